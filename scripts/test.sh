#!/usr/bin/env bash
# Set up (if needed), then lint, type-check, qmllint and run the whole test suite (offscreen),
# with a throw-away PostgreSQL cluster for the backend suite.
# Extra arguments go to pytest, e.g.  scripts/test.sh tests/unit -x
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== ruff"; .venv/bin/ruff check .
echo "== mypy"; .venv/bin/mypy
echo "== qmllint (per-file budget, scripts/qmllint_budget.json)"
.venv/bin/python scripts/qmllint.py
# The backend suite runs over SQLite and PostgreSQL: a throw-away cluster on a unix socket in a
# temp dir, stopped and deleted when this script ends, whichever way it ends.
pg_dir="$(mktemp -d /tmp/seva-pg.XXXXXX)"
trap 'scripts/pg_cluster.sh stop "$pg_dir"' EXIT
SEVA_TEST_POSTGRES_URL="$(scripts/pg_cluster.sh start "$pg_dir")"
export SEVA_TEST_POSTGRES_URL
echo "== pytest (PostgreSQL for the backend suite: $pg_dir)"
status=0
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@" || status=$?
exit "$status"
