#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and runs every test.
#   bash scripts/test.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/deps.sh

mojifix_install_deps
mojifix_build_release
ctest --test-dir build --output-on-failure -j2
