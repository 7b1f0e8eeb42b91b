#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang-19 (ASan and UBSan) in build-fuzz and runs each
# for SECONDS seconds (default 60) on a corpus seeded from the examples, the tests and the stdlib.
# A crash, a leak, a hang (over 10 s: eval_fuzz cancels each input after 1 s, so a hang is an
# evaluation that a cancel does not stop) or a formatter property broken stops it with the input kept
# under build-fuzz/artifacts/: turn it into a regression test under tests/.
#   scripts/fuzz.sh [SECONDS] [TARGET...]     targets: parse check eval format readers
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(parse check eval format readers)

launcher=()
command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
CC=clang-19 CXX=clang++-19 cmake -S . -B build-fuzz -DPLAN_FUZZ=ON -DPLAN_JIT=OFF -DPLAN_TRAINING=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" > /dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/%/_fuzz}"

# The seeds: plan sources for the language targets, config.json and CSV files for the readers.
seed_files() {
  case $1 in
    readers) find tests/configs tests/data -type f \( -name '*.json' -o -name '*.csv' \) ;;
    # eval_fuzz cancels an input after 1 s, so seeds that do real work are seeds like any other.
    *) find examples tests/diagnostics tests/sweeps stdlib -type f -name '*.plan' ;;
  esac
}
mkdir -p build-fuzz/artifacts
status=0
for target in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$target
  mkdir -p "$corpus"
  seed_files "$target" | while read -r f; do cp "$f" "$corpus/$(echo "$f" | tr '/' '_')"; done
  echo "== $target: ${seconds} s"
  # -rss_limit_mb: no input may take more than 2 GB; -max_len: a few examples are longer than the default.
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 "build-fuzz/fuzz/${target}_fuzz" "$corpus" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="build-fuzz/artifacts/${target}-" 2>&1 | tail -n 40; then
    status=1
  fi
done
exit $status
