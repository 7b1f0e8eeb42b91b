#!/usr/bin/env bash
# Set-up on a fresh Debian 12 machine: install dependencies, build (Release), run the quickstart.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
install_plan_dependencies
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
./build/plan run examples/quickstart.plan
