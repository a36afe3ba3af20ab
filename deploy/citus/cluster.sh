#!/usr/bin/env bash
# A Citus cluster on 127.0.0.1 for tests: a coordinator and two workers, PostgreSQL 15 + Citus 13.2 (built
# and installed by deploy/citus/install.sh when missing), under .local/citus, as the `postgres` user.
#   cluster.sh start   start a fresh cluster; the last line printed is the coordinator's libpq URL of
#                      database `driftgate` (Citus installed there and on both workers, workers added)
#   cluster.sh database NAME   create one more Citus database NAME on every node (extension, workers added);
#                      prints its coordinator URL
#   cluster.sh workers print the workers' maintenance URLs (database postgres), one a line
#   cluster.sh stop    stop the three servers
# `driftgate migrate` against that URL distributes the tables (db/citus.cpp).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
root="$here/.local/citus"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
db=driftgate
as_pg=()
[ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)
nodes=(coordinator worker1 worker2)

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
port_of() { cat "$root/$1.port"; }
psql_node() { psql "postgresql://postgres@127.0.0.1:$(port_of "$1")/$2" -v ON_ERROR_STOP=1 -qAt -c "$3"; }

start_node() {
  local node=$1
  "${as_pg[@]}" "$bin/initdb" -D "$root/$node" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$root/$node.initdb.log"
  free_port >"$root/$node.port"
  "${as_pg[@]}" "$bin/pg_ctl" -D "$root/$node" -l "$root/$node.log" -w -t 60 \
    -o "-p $(port_of "$node") -k $root -c listen_addresses=127.0.0.1 -c shared_preload_libraries=citus \
        -c max_connections=300 -c max_worker_processes=32 -c shared_buffers=128MB -c max_wal_size=2GB -c fsync=off \
        -c citus.shard_count=${CITUS_SHARD_COUNT:-8}" start >/dev/null
}

# A database with Citus on every node; the coordinator's metadata (nodes) is per database.
database() {
  local name=$1 node
  for node in "${nodes[@]}"; do
    psql_node "$node" postgres "CREATE DATABASE $name"
    psql_node "$node" "$name" "CREATE EXTENSION citus"
  done
  psql_node coordinator "$name" "SELECT citus_set_coordinator_host('127.0.0.1', $(port_of coordinator))" >/dev/null
  for node in worker1 worker2; do
    psql_node coordinator "$name" "SELECT citus_add_node('127.0.0.1', $(port_of "$node"))" >/dev/null
  done
  echo "postgresql://postgres@127.0.0.1:$(port_of coordinator)/$name"
}

start() {
  "$here/deploy/citus/install.sh"
  stop
  rm -rf "$root"
  mkdir -p "$root"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$root"
  for node in "${nodes[@]}"; do start_node "$node"; done
  database "$db"
}

stop() {
  for node in "${nodes[@]}"; do
    [ -f "$root/$node/postmaster.pid" ] &&
      "${as_pg[@]}" "$bin/pg_ctl" -D "$root/$node" -m fast -w stop >/dev/null 2>&1 || true
  done
}

case "${1:-}" in
  start) start ;;
  database) database "${2:?database NAME}" ;;
  workers) for node in worker1 worker2; do echo "postgresql://postgres@127.0.0.1:$(port_of "$node")/postgres"; done ;;
  stop) stop ;;
  *) echo "usage: $0 start|database NAME|workers|stop" >&2; exit 2 ;;
esac
