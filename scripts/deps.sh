#!/usr/bin/env bash
# Installs the Debian 12 packages plan needs, if any is missing. Sourced by setup.sh and test.sh.
plan_packages=(
  build-essential cmake pkg-config        # compiler and build
  tao-pegtl-dev libfmt-dev libcli11-dev   # grammar, output, command line
  libedit-dev nlohmann-json3-dev          # REPL line editing, JSON
  catch2                                  # tests
  libopenblas-dev libsqlite3-dev          # validation trainer: sgemm, run store
  liblbfgs-dev                            # L-BFGS for scaling-law fits
  llvm-19-dev                             # the JIT of sweeps (ORC)
  clang-19                                # numeric/math.cpp as bitcode for the JIT
  libmpfr-dev                             # the math's accuracy tests (numeric/, against MPFR)
  python3-torch python3-numpy             # reference checks of the trainer (/usr/bin/python3)
  hyperfine time                          # bench/: start-up timing, peak memory (GNU time)
)

install_plan_dependencies() {
  local missing=()
  for p in "${plan_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}
