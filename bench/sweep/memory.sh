#!/usr/bin/env bash
# Constant memory: the same sweep (a top-10 report) over 10^4, 10^6, 10^8 and 10^10 points, on the
# JIT with every core; prints each run's peak resident memory (GNU time's %M) and time. Streaming
# top-K keeps the peak flat: what grows with the grid is only the time.
# Usage: bench/sweep/memory.sh [path/to/plan]   (default: build/plan)
set -euo pipefail
plan=${1:-build/plan}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf "%12s %12s %10s\n" points "peak RSS" seconds
for side in 100 1000 10000 100000; do
    cat >"$work/grid.plan" <<PLAN
sweep big {
    a in 1 .. $side step 1
    b in 1 .. $side step 1
    let s = a * 3 + b / 7
    minimize abs(s - 12345.5)
    report top 10
}
PLAN
    /usr/bin/time -f "%M %e" -o "$work/time" "$plan" run "$work/grid.plan" >/dev/null
    read -r kb secs <"$work/time"
    awk -v n=$((side * side)) -v kb="$kb" -v s="$secs" 'BEGIN { printf "%12.0f %9.1f MB %10s\n", n, kb / 1024, s }'
done
