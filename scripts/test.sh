#!/usr/bin/env bash
# The whole test suite, twice: in the Release build, and in a build with AddressSanitizer and
# UndefinedBehaviorSanitizer; the embedding tests under ThreadSanitizer; then each fuzz target briefly. Installs missing dependencies first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
install_plan_dependencies
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

# -O1 keeps the sanitized build quick to compile and run.
cmake -S . -B build-asan -DPLAN_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1"
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  LSAN_OPTIONS=suppressions="$PWD/tests/sanitizer/lsan.supp":print_suppressions=0 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

# The embedding tests under ThreadSanitizer: sessions in parallel threads, host functions on a
# sweep's threads, a cancel from another thread (a small build: the core, the sweep layer, libplan).
JOBS="$jobs" bash scripts/tsan.sh

# Each libFuzzer target for 15 s (five targets: about 75 s of fuzzing after their build), from the
# seed corpus: a crash found since the last change fails the run.
bash scripts/fuzz.sh 15
