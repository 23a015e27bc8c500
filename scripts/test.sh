#!/usr/bin/env bash
# Set up (if needed), then lint, type-check, qmllint and run the whole test suite (offscreen).
# Extra arguments go to pytest, e.g.  scripts/test.sh tests/unit -x
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== ruff"; .venv/bin/ruff check .
echo "== mypy"; .venv/bin/mypy
echo "== qmllint (per-file budget, scripts/qmllint_budget.json)"
.venv/bin/python scripts/qmllint.py
echo "== pytest"
QT_QPA_PLATFORM=offscreen exec .venv/bin/python -m pytest "$@"
