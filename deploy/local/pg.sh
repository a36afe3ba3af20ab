#!/usr/bin/env bash
# A throwaway PostgreSQL under .local/pg for `make run` and `make test`.
#   pg.sh start      initialise (once) and start on a free 127.0.0.1 port; prints the database URL
#   pg.sh stop       stop it
#   pg.sh url        print the database URL of the running server
# PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)/.local/pg"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
as_pg=()
[ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)
db="${DRIFTGATE_LOCAL_DB:-driftgate}"

running() { [ -f "$root/port" ] && "${as_pg[@]}" "$bin/pg_ctl" -D "$root/data" status >/dev/null 2>&1; }
url() { echo "postgresql://postgres@127.0.0.1:$(cat "$root/port")/$1"; }
psql_pg() { "${as_pg[@]}" psql -h 127.0.0.1 -p "$(cat "$root/port")" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start() {
  mkdir -p "$root"
  if [ ! -f "$root/data/PG_VERSION" ]; then
    mkdir -p "$root/data" "$root/sock"
    [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$root"
    "${as_pg[@]}" "$bin/initdb" -D "$root/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$root/initdb.log"
  fi
  if ! running; then
    free_port >"$root/port"
    "${as_pg[@]}" "$bin/pg_ctl" -D "$root/data" -l "$root/data/server.log" -w -t 60 \
      -o "-p $(cat "$root/port") -k $root/sock -c listen_addresses=127.0.0.1 -c max_connections=300 \
          -c shared_buffers=256MB -c max_wal_size=2GB" start >/dev/null
  fi
  psql_pg -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 ||
    psql_pg -d postgres -c "CREATE DATABASE \"$db\""
  url "$db"
}

case "${1:-}" in
  start) start ;;
  stop) running && "${as_pg[@]}" "$bin/pg_ctl" -D "$root/data" -m fast -w stop >/dev/null || true ;;
  url) running && url "$db" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
