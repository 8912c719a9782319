#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL server on 127.0.0.1 for the integration suite.
#   scripts/test-postgres.sh start   prints the TEST_DATABASE_URL to use
#   scripts/test-postgres.sh stop
# Uses Debian's postgresql package (apt-get install -y postgresql). Runs as the
# `postgres` user when started as root, because PostgreSQL refuses to run as root.
set -euo pipefail
PGPORT="${PGPORT:-54329}"
PGDIR="${PGDIR:-/tmp/aftercare-test-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$BIN" ]; then echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2; exit 1; fi

as_pg() {
  if [ "$(id -u)" = "0" ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "${1:-start}" in
  start)
    if [ -f "$PGDIR/postmaster.pid" ]; then as_pg "'$BIN/pg_ctl' -D '$PGDIR' stop -m immediate" >/dev/null 2>&1 || true; fi
    rm -rf "$PGDIR"
    mkdir -p "$PGDIR"
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$PGDIR"
    as_pg "'$BIN/initdb' -D '$PGDIR' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
    as_pg "'$BIN/pg_ctl' -D '$PGDIR' -o \"-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" -l '$PGDIR/server.log' -w start" >/dev/null
    echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"
    ;;
  stop)
    as_pg "'$BIN/pg_ctl' -D '$PGDIR' stop -m fast" >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
