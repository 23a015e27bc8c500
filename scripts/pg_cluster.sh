#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the backend's tests and bench, on a unix socket only.
#   scripts/pg_cluster.sh start DIR [durable]   prints the URL for SEVA_TEST_POSTGRES_URL
#   scripts/pg_cluster.sh stop DIR              stops it and deletes DIR
# DIR should be new and empty (mktemp -d). initdb refuses to run as root, so as root the
# cluster runs as `nobody` with DIR handed to it. Durability is switched off (fsync, full page
# writes) unless `durable` is given: test data lives for one run and the tests measure
# behaviour, not the disk; the bench (bench/bench_backend_stores.py) asks for `durable`.
set -euo pipefail
cmd="${1:?usage: pg_cluster.sh start|stop DIR}"; dir="${2:?usage: pg_cluster.sh start|stop DIR}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$bin/initdb" ] || { echo "pg_cluster: no PostgreSQL server (apt install postgresql)" >&2; exit 2; }
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    [ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    opts="-k $dir -c listen_addresses= -c max_connections=300"
    [ "${3:-}" = durable ] || opts="$opts -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$opts" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql:///postgres?host=$dir&user=postgres"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: pg_cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
