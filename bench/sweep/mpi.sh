#!/usr/bin/env bash
# Sweeps over MPI ranks against threads (issue 16, item 4): each bench sweep as one process with 2
# threads and as `mpirun -np 2` with 1 thread per rank, in interleaved rounds; prints the median
# run time of each (compile excluded; on rank 0 it includes waiting for the other rank to finish
# its own compile and its ranges), the slowest rank's time on its ranges alone, the median wall
# time of the whole command (start-up and every rank's compile included), and from the MPI runs
# rank 0's merge: bytes received from the ranks and its time to decode and merge them. Not part of CTest; see README.md, "Over MPI".
# Usage: bench/sweep/mpi.sh [path/to/plan] [rounds]   (default: build/plan, 5)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/mpi_common.sh"
since() { awk -v a="$(date +%s.%N)" -v b="$1" 'BEGIN { print a - b }'; }

printf "%-17s %10s %12s %12s %10s %12s %11s %12s %9s\n" sweep "1p×2t run" "2 ranks run" "ranks' own" "1p×2t wall" "2 ranks wall" "own/thr" "merge bytes" "merge s"
for file in sweep2d.plan sweep5d.plan parallelism.plan; do
    : >"$work/threads"; : >"$work/ranks"; : >"$work/own"; : >"$work/wall_t"; : >"$work/wall_r"; : >"$work/merge"
    for _ in $(seq "$rounds"); do
        start=$(date +%s.%N)
        "$plan" run --stats --threads 2 "$here/$file" 2>&1 >/dev/null | sed -n 's/.* run \([0-9.]*\) s.*/\1/p' >>"$work/threads"
        since "$start" >>"$work/wall_t"
        start=$(date +%s.%N)
        line=$(mpirun --oversubscribe -q -np 2 "$plan" run --stats --threads 1 "$here/$file" 2>&1 >/dev/null | grep ' ranks,')
        since "$start" >>"$work/wall_r"
        echo "$line" | sed -n 's/.* run \([0-9.]*\) s.*/\1/p' >>"$work/ranks"
        echo "$line" | grep -o '[0-9][0-9]* in [0-9.]* s' | awk '{ m = $3 > m ? $3 : m } END { print m }' >>"$work/own"
        echo "$line" | sed -n 's/.*merged \([0-9]*\) bytes in \([0-9.]*\) s.*/\1 \2/p' >>"$work/merge"
    done
    t=$(median <"$work/threads"); r=$(median <"$work/ranks"); o=$(median <"$work/own")
    printf "%-17s %10s %12s %12s %10.2f %12.2f %11.2f %12s %9s\n" "$file" "$t" "$r" "$o" "$(median <"$work/wall_t")" "$(median <"$work/wall_r")" \
        "$(awk -v o="$o" -v t="$t" 'BEGIN { print o / t }')" "$(cut -d' ' -f1 "$work/merge" | median)" "$(cut -d' ' -f2 "$work/merge" | median)"
done
