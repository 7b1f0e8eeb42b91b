#!/usr/bin/env bash
# How evenly the ranks of an MPI job share a sweep whose later axes are computed from earlier ones
# (issue 16, item 1): examples/parallelism_175b.plan on the interpreter (its ranges differ most
# there), 2 and 3 ranks, ranges taken from the shared counter (the default) against fixed shares
# (PLAN_MPI_FIXED_SHARES=1), in interleaved rounds. Prints per round the ranges and seconds of each
# rank on its ranges, and the median of the slowest rank's time over the mean of the ranks' times
# (1.00: even). Not part of CTest; see README.md, "Over MPI".
# Usage: bench/sweep/mpi_balance.sh [path/to/plan] [rounds]   (default: build/plan, 5)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/mpi_common.sh"
for ranks in 2 3; do
    : >"$work/counter"; : >"$work/fixed"
    for round in $(seq "$rounds"); do
        for mode in counter fixed; do
            fixed=$([ $mode = fixed ] && echo 1 || echo 0)
            shares=$(mpirun --oversubscribe -q -np $ranks -x PLAN_MPI_FIXED_SHARES=$fixed "$plan" run --stats --threads 1 --backend interp \
                "$here/../../examples/parallelism_175b.plan" 2>&1 >/dev/null | sed -n 's/.*ranges per rank: \([^;]*\);.*/\1/p')
            echo "np $ranks round $round $mode: $shares"
            echo "$shares" | grep -o '[0-9][0-9]* in [0-9.]* s' |
                awk '{ t[NR] = $3; s += $3 } END { m = 0; for (i in t) m = t[i] > m ? t[i] : m; print m / (s / NR) }' >>"$work/$mode"
        done
    done
    echo "np $ranks: slowest / mean, median of $rounds: counter $(median <"$work/counter"), fixed shares $(median <"$work/fixed")"
done
