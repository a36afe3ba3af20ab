#!/usr/bin/env bash
# PgBouncer (Debian's 1.18) in transaction mode in front of the throwaway PostgreSQL of deploy/local/pg.sh.
#   pgbouncer.sh start   start on a free 127.0.0.1 port; prints the base URL (postgresql://postgres@127.0.0.1:PORT)
#   pgbouncer.sh stop    stop it
#   pgbouncer.sh admin   print the URL of its admin console (SHOW POOLS, SHOW STATS, SHOW CONFIG)
# Every database name is forwarded to the same-named database on the local server (the `*` entry), so a
# test database cloned on the server is reachable through PgBouncer at once. PgBouncer refuses to run as
# root: as root it runs as the `postgres` user, like the server. driftgate behind it needs
# DRIFTGATE_DB_PREPARED=off (PgBouncer < 1.21 cannot carry named prepared statements across transactions).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
root="$here/.local/pgbouncer"
as_pg=()
[ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
running() { [ -f "$root/pgbouncer.pid" ] && kill -0 "$(cat "$root/pgbouncer.pid")" 2>/dev/null; }
base_url() { echo "postgresql://postgres@127.0.0.1:$(cat "$root/port")"; }

start() {
  command -v /usr/sbin/pgbouncer >/dev/null || "$here/deploy/local/deps.sh" pgbouncer
  local server pg_port
  server="$("$here/deploy/local/pg.sh" start)"
  pg_port="${server##*:}"
  pg_port="${pg_port%%/*}"
  if running; then base_url; return; fi
  mkdir -p "$root"
  free_port >"$root/port"
  echo '"postgres" ""' >"$root/userlist.txt"
  cat >"$root/pgbouncer.ini" <<EOF
[databases]
* = host=127.0.0.1 port=$pg_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $(cat "$root/port")
unix_socket_dir =
auth_type = trust
auth_file = $root/userlist.txt
admin_users = postgres
pool_mode = transaction
max_client_conn = 2000
default_pool_size = 20
; pools (and their SHOW STATS) outlive a test run
autodb_idle_timeout = 3600
server_login_retry = 1
logfile = $root/pgbouncer.log
pidfile = $root/pgbouncer.pid
EOF
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$root"
  "${as_pg[@]}" /usr/sbin/pgbouncer -d "$root/pgbouncer.ini"
  for _ in $(seq 100); do
    psql "$(base_url)/pgbouncer" -qAt -c 'SHOW VERSION' >/dev/null 2>&1 && { base_url; return; }
    sleep 0.1
  done
  echo "pgbouncer did not start; see $root/pgbouncer.log" >&2
  exit 1
}

stop() {
  running || return 0
  local pid
  pid="$(cat "$root/pgbouncer.pid")"
  kill -TERM "$pid"  # 1.18: SIGTERM shuts down at once (SIGINT would wait for clients)
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  admin) running && echo "$(base_url)/pgbouncer" ;;
  *) echo "usage: $0 start|stop|admin" >&2; exit 2 ;;
esac
