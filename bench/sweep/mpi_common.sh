# What bench/sweep/mpi.sh and mpi_balance.sh share: the plan binary and rounds from their
# arguments, Open MPI allowed to run as root (CI runs as root), a median, and a scratch folder.
# Sourced, not run.
plan=${1:-$here/../../build/plan}
rounds=${2:-5}
export OMPI_ALLOW_RUN_AS_ROOT=${OMPI_ALLOW_RUN_AS_ROOT:-1} OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
