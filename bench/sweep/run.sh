#!/usr/bin/env bash
# Runs the sweep benchmark: plan's JIT (1 and 2 threads), plan's interpreter, hand-written C++
# (-O3 -march=native) and NumPy, on the 2-D and 5-D grids; then the parallelism search
# (parallelism.plan: JIT and interpreter only); prints times and ratios from this run.
# Every JIT time, the C++ and the NumPy ones are the best of three runs; the interpreter runs once.
# Usage: bench/sweep/run.sh [path/to/plan]   (default: build/plan)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
plan=${1:-$here/../../build/plan}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
g++ -O3 -march=native -std=c++20 -o "$work/hand" "$here/hand.cpp"

run_plan() {  # file backend threads → seconds of the run (compile excluded), compile ms
    "$plan" run --stats --backend "$2" --threads "$3" "$here/$1" 2>&1 >/dev/null |
        sed -n 's/.*JIT compile \([0-9.]*\) ms.*run \([0-9.]*\) s.*/\2 \1/p; s/.*backend interp.*run \([0-9.]*\) s.*/\1 0/p'
}
best_of3() {  # as run_plan, the smallest run time and compile time of three runs
    for _ in 1 2 3; do run_plan "$@"; done | sort -g | awk 'NR == 1 { t = $1 } { c = c == "" || $2 < c ? $2 : c } END { print t, c }'
}
field() { sed -n "s/.*$1 \([0-9.e+-]*\).*/\1/p"; }

printf "%-4s %10s %10s %10s %10s %10s %10s | %8s %8s %8s %8s\n" grid "jit1 s" "jit2 s" "interp s" "C++ s" "numpy s" "compile" \
    "C++/jit" "np/jit" "int/jit" "1→2 thr"
for dim in 2 5; do
    read -r jit1 compile <<<"$(best_of3 sweep${dim}d.plan jit 1)"
    read -r jit2 _ <<<"$(best_of3 sweep${dim}d.plan jit 2)"
    read -r interp _ <<<"$(run_plan sweep${dim}d.plan interp 1)"
    hand=$("$work/hand" $dim | field time)
    numpy=$(/usr/bin/python3 "$here/numpy_sweep.py" $dim | field time)
    awk -v d=$dim -v j1=$jit1 -v j2=$jit2 -v i=$interp -v h=$hand -v n=$numpy -v c=$compile 'BEGIN {
        printf "%-4s %10.5f %10.5f %10.4f %10.5f %10.4f %8.1fms | %8.2f %8.2f %8.1f %8.2f\n",
               d "-D", j1, j2, i, h, n, c, h / j1, n / j1, i / j1, j1 / j2 }'
done
echo "(ratios per core: C++/jit = hand-written time / JIT time (≥ 0.8 is the target), np/jit ≥ 5, int/jit ≥ 30;"
echo " 1→2 thr = JIT speed-up from 1 to 2 threads)"
"$plan" run --backend jit "$here/sweep2d.plan" | head -4

# The parallelism search: grid points/s as --stats prints them, and layouts/s counting only the
# points that reach the memory model (the constraints on whole numbers before it cut the rest: a
# copy of the sweep that stops before the memory model counts them as its feasible points).
echo
sed -e '/let memory = /,/report top 10/c\    minimize b\n    report top 1' "$here/parallelism.plan" >"$work/reach.plan"
stats() { "$plan" run --stats --backend "$2" --threads "$3" "$1" 2>&1 >/dev/null; }
grid=$(stats "$here/parallelism.plan" jit 1 | sed -n 's/.*, \([0-9]*\) points,.*/\1/p')
reach=$(stats "$work/reach.plan" jit 1 | sed -n 's/.*, \([0-9]*\) feasible.*/\1/p')
read -r pjit1 pcompile <<<"$(best_of3 parallelism.plan jit 1)"
read -r pjit2 _ <<<"$(best_of3 parallelism.plan jit 2)"
read -r pinterp _ <<<"$(run_plan parallelism.plan interp 1)"
awk -v g=$grid -v r=$reach -v j1=$pjit1 -v j2=$pjit2 -v i=$pinterp -v c=$pcompile 'BEGIN {
    printf "parallelism.plan: %d grid points, %d reach the memory model\n", g, r
    printf "%-8s %10s %10s %10s %10s | %14s %14s %14s | %8s %8s\n", "", "jit1 s", "jit2 s", "interp s", "compile",
           "grid pts/s 1t", "grid pts/s 2t", "layouts/s 1t", "int/jit", "1→2 thr"
    printf "%-8s %10.5f %10.5f %10.3f %8.1fms | %14.3g %14.3g %14.3g | %8.0f %8.2f\n", "", j1, j2, i, c,
           g / j1, g / j2, r / j1, i / j1, j1 / j2 }'
"$plan" run --threads 1 "$here/parallelism.plan" | head -5
