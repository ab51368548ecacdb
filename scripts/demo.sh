#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and fixes the bundled
# example dump.   bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/deps.sh

mojifix_install_deps
mojifix_build_release >&2

echo "== examples/articles.txt, fixed by build/mojifix ==" >&2
exec build/mojifix examples/articles.txt
