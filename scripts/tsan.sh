#!/bin/sh
# Runs the embedding tests (tests/embed_*_test.cpp: sessions in parallel threads, a host's
# functions called from a sweep's threads, a cancel from another thread) under ThreadSanitizer.
# The build has only what they need: no JIT (LLVM's own code is not instrumented), no trainer
# (OpenMP's runtime is not either) and no MPI; sweeps run on the interpreter's threads.
# About 10 minutes on 2 cores from a cold cache; CI runs it as its own job.
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build-tsan -DPLAN_TSAN=ON -DPLAN_JIT=OFF -DPLAN_TRAINING=OFF -DPLAN_MPI=OFF \
    -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" ${PLAN_CMAKE_ARGS:-}
cmake --build build-tsan --target plan_embed_tests -j"${JOBS:-2}"
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}" ./build-tsan/tests/plan_embed_tests "[embed]"
