#!/usr/bin/env bash
# Installs the Debian 12 packages plan needs, if any is missing. Sourced by setup.sh and test.sh.
plan_packages=(
  build-essential cmake pkg-config        # compiler and build
  tao-pegtl-dev libfmt-dev libcli11-dev   # grammar, output, command line
  libedit-dev nlohmann-json3-dev          # REPL line editing, JSON
  catch2                                  # tests
  libopenblas-dev libsqlite3-dev          # validation trainer: sgemm, run store
  liblbfgs-dev                            # L-BFGS for scaling-law fits
  librsvg2-dev                            # plot/: PNG plots, the SVG rasterised (optional: PLAN_PNG)
  libopenmpi-dev openmpi-bin              # sweeps over the ranks of an MPI job (cluster/)
  llvm-19-dev libzstd-dev                 # the JIT of sweeps (ORC), linked statically
  clang-19 libclang-rt-19-dev             # fuzz/: libFuzzer with ASan and UBSan (scripts/fuzz.sh)
  libmpfr-dev                             # the math's accuracy tests (numeric/, against MPFR)
  python3-torch python3-numpy             # reference checks of the trainer (/usr/bin/python3)
  python3-jsonschema                      # tests/cli/json_schema_test.py: --json output against docs/
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
