#!/usr/bin/env bash
# Two builds of plan on the benchmark's programs, interleaved: ROUNDS rounds of (before, after) on
# each of sweep2d, sweep5d and parallelism.plan, JIT on one thread, then the interpreter on
# sweep2d and sweep5d (fewer rounds: seconds each). Prints the least and the median run time of
# each (compile excluded) and the ratio after / before of the medians, all from this one run, and
# whether the two builds print the same.
# Usage: bench/sweep/compare.sh BEFORE_PLAN AFTER_PLAN [ROUNDS, default 15]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
before=$1 after=$2 rounds=${3:-15}
run_time() {  # plan file backend → seconds of the run
    "$1" run --stats --backend "$3" --threads 1 "$here/$2" 2>&1 >/dev/null | sed -n 's/.*run \([0-9.e-]*\) s.*/\1/p'
}
summary() { sort -g | awk '{ x[NR] = $1 } END { printf "%.5f %.5f", x[1], (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2 }'; }
printf "%-18s %-6s %22s %22s %8s %s\n" program backend "before: min / median" "after: min / median" ratio "same output"
for case in "sweep2d.plan jit $rounds" "sweep5d.plan jit $rounds" "parallelism.plan jit $rounds" \
            "sweep2d.plan interp 3" "sweep5d.plan interp 3"; do
    read -r file backend n <<<"$case"
    : >"/tmp/compare.$$.b"; : >"/tmp/compare.$$.a"
    for _ in $(seq "$n"); do
        run_time "$before" "$file" "$backend" >>"/tmp/compare.$$.b"
        run_time "$after" "$file" "$backend" >>"/tmp/compare.$$.a"
    done
    read -r bmin bmed <<<"$(summary <"/tmp/compare.$$.b")"
    read -r amin amed <<<"$(summary <"/tmp/compare.$$.a")"
    same=no
    cmp -s <("$before" run --backend "$backend" "$here/$file") <("$after" run --backend "$backend" "$here/$file") && same=yes
    awk -v f="$file" -v k="$backend" -v a="$bmin" -v b="$bmed" -v c="$amin" -v d="$amed" -v s="$same" \
        'BEGIN { printf "%-18s %-6s %10.5f / %9.5f %10.5f / %9.5f %8.2f %s\n", f, k, a, b, c, d, d / b, s }'
done
rm -f "/tmp/compare.$$.b" "/tmp/compare.$$.a"
