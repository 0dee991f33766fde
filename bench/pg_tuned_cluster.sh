#!/usr/bin/env bash
# A private PostgreSQL 15 cluster with the server settings docker-compose.yml gives
# production, for benchmarks that must not depend on (or disturb) the machine's own
# cluster, whose Debian defaults (128 MB shared buffers, 1 GB WAL) suit a laptop.
#
#   bench/pg_tuned_cluster.sh start    # → postgres://postgres@127.0.0.1:5499/portal_bench
#   bench/pg_tuned_cluster.sh stop
#
# Runs the server as the postgres user (initdb refuses root); data in /var/tmp.
set -euo pipefail
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
ROOT=${PG_TUNED_ROOT:-/var/tmp/pgtuned}
PORT=${PG_TUNED_PORT:-5499}
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
start)
  mkdir -p "$ROOT"
  [ "$(id -u)" = 0 ] && chown postgres "$ROOT"
  [ -d "$ROOT/data" ] || as_postgres "$BIN/initdb" -D "$ROOT/data" -A trust -U postgres >/dev/null
  as_postgres "$BIN/pg_ctl" -D "$ROOT/data" -l "$ROOT/log" -w start -o "-p $PORT -k $ROOT \
    -c listen_addresses=127.0.0.1 -c shared_buffers=4GB -c effective_cache_size=12GB \
    -c maintenance_work_mem=1GB -c wal_buffers=64MB -c max_wal_size=16GB \
    -c checkpoint_timeout=30min"
  "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres portal_bench 2>/dev/null || true
  echo "postgres://postgres@127.0.0.1:$PORT/portal_bench"
  ;;
stop)
  as_postgres "$BIN/pg_ctl" -D "$ROOT/data" -m fast stop
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
