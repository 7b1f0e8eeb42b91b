#!/usr/bin/env bash
# run.sh PLAN CASE.cmd: runs each line of CASE.cmd (with `plan` meaning the binary under test)
# from the source root, printing the command, its stdout+stderr and its exit status.
plan_bin=$1
cd "$(dirname "$0")/../.." || exit 1
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  echo "\$ $line"
  plan() { "$plan_bin" "$@"; }
  eval "$line" 2>&1
  echo "[exit $?]"
done < "$2"
