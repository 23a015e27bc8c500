#!/usr/bin/env bash
# Set up (if needed), then lint, type-check and run the whole test suite (offscreen).
# Extra arguments go to pytest, e.g.  scripts/test.sh tests/unit -x
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== ruff"; .venv/bin/ruff check .
echo "== mypy (core)"; .venv/bin/mypy
echo "== pytest"
QT_QPA_PLATFORM=offscreen exec .venv/bin/python -m pytest "$@"
