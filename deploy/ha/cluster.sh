#!/usr/bin/env bash
# A PostgreSQL HA pair on 127.0.0.1 for failover tests: one etcd and two Patroni-managed PostgreSQL 15
# nodes with synchronous replication, short TTLs, everything under .local/ha.
#   cluster.sh start         start (initialising on first use); the last line printed is the libpq URL of
#                            database `driftgate` on whichever node is primary (multi-host, read-write)
#   cluster.sh stop          stop both nodes and etcd
#   cluster.sh kill-primary  SIGKILL the current primary's postmaster and return at once
#   cluster.sh primary       print the current primary's port
#   cluster.sh wait-sync     wait until a standby is synchronous (the state in which a failover loses nothing)
# synchronous_mode: a commit is acknowledged only once the synchronous standby has it, so a failover to it
# loses nothing acknowledged. master_start_timeout 0: a crashed primary fails over to the standby instead
# of restarting in place (when the standby is in sync; otherwise Patroni restarts it). Patroni docs:
# "Replication modes" and "Dynamic configuration settings".
# PostgreSQL and Patroni run as the `postgres` user (PostgreSQL refuses root).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
root="$here/.local/ha"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
as_pg=()
[ "$(id -u)" -eq 0 ] && as_pg=(runuser -u postgres --)

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
port_of() { cat "$root/$1.port"; }

write_node_config() {
  local node=$1 pg_port rest_port
  pg_port="$(port_of "$node")"
  rest_port="$(port_of "$node.rest")"
  mkdir -p "$root/$node"
  cat >"$root/$node.yml" <<EOF
scope: driftgate
name: $node
log:
  level: WARNING
restapi:
  listen: 127.0.0.1:$rest_port
  connect_address: 127.0.0.1:$rest_port
etcd3:
  hosts: 127.0.0.1:$(port_of etcd)
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    master_start_timeout: 0
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      remove_data_directory_on_rewind_failure: true
      remove_data_directory_on_diverged_timelines: true
      parameters:
        max_connections: 200
        wal_log_hints: "on"
        wal_keep_size: 256MB
        max_wal_senders: 10
        max_replication_slots: 10
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
postgresql:
  listen: 127.0.0.1:$pg_port
  connect_address: 127.0.0.1:$pg_port
  data_dir: $root/$node/data
  bin_dir: $bin
  pgpass: $root/$node/pgpass
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 trust
    - host replication all 127.0.0.1/32 trust
  authentication:
    superuser: {username: postgres, password: postgres}
    replication: {username: replicator, password: replicator}
    rewind: {username: postgres, password: postgres}
  parameters:
    unix_socket_directories: $root/$node
EOF
}

start_etcd() {
  alive "$root/etcd.pid" && return
  "${as_pg[@]}" /usr/bin/etcd --name dg --data-dir "$root/etcd" \
    --listen-client-urls "http://127.0.0.1:$(port_of etcd)" --advertise-client-urls "http://127.0.0.1:$(port_of etcd)" \
    --listen-peer-urls "http://127.0.0.1:$(port_of etcd.peer)" \
    --initial-advertise-peer-urls "http://127.0.0.1:$(port_of etcd.peer)" \
    --initial-cluster "dg=http://127.0.0.1:$(port_of etcd.peer)" >"$root/etcd.log" 2>&1 &
  echo $! >"$root/etcd.pid"
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$(port_of etcd)/health" >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "etcd did not start; see $root/etcd.log" >&2
  exit 1
}

start_node() {
  local node=$1
  alive "$root/$node.pid" && return
  "${as_pg[@]}" /usr/bin/patroni "$root/$node.yml" >>"$root/$node.log" 2>&1 &
  echo $! >"$root/$node.pid"
}

# The port of the node whose Patroni REST API says it is the primary (GET /primary answers 200 there).
primary() {
  local node
  for node in node1 node2; do
    if curl -fs -o /dev/null "http://127.0.0.1:$(port_of "$node.rest")/primary"; then port_of "$node"; return 0; fi
  done
  return 1
}

start() {
  command -v /usr/bin/patroni >/dev/null && command -v /usr/bin/etcd >/dev/null ||
    "$here/deploy/local/deps.sh" patroni etcd-server
  # A throwaway cluster: nothing running means a fresh one (no state from an earlier run to reconcile).
  alive "$root/etcd.pid" || alive "$root/node1.pid" || alive "$root/node2.pid" || rm -rf "$root"
  mkdir -p "$root"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$root"
  for p in etcd etcd.peer node1 node1.rest node2 node2.rest; do [ -f "$root/$p.port" ] || free_port >"$root/$p.port"; done
  for node in node1 node2; do write_node_config "$node"; done
  [ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$root"
  start_etcd
  start_node node1
  local hosts="postgresql://postgres@127.0.0.1:$(port_of node1),127.0.0.1:$(port_of node2)"
  local attrs="target_session_attrs=read-write&connect_timeout=2"
  for _ in $(seq 600); do primary >/dev/null && break; sleep 0.1; done
  primary >/dev/null || { echo "no primary; see $root/node1.log" >&2; exit 1; }
  start_node node2
  # Ready when the standby streams synchronously (patronictl lists it as "Sync Standby").
  wait_sync || { echo "see $root/node2.log" >&2; exit 1; }
  psql "$hosts/postgres?$attrs" -qAt -c "SELECT 1 FROM pg_database WHERE datname = 'driftgate'" | grep -q 1 ||
    psql "$hosts/postgres?$attrs" -qAt -c 'CREATE DATABASE driftgate'
  echo "$hosts/driftgate?$attrs"
}

stop_pid() {
  local file=$1 pid
  alive "$file" || return 0
  pid="$(cat "$file")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

stop() {
  # Patroni stops its PostgreSQL on SIGTERM; a postmaster left behind (Patroni killed) is stopped here.
  stop_pid "$root/node2.pid"
  stop_pid "$root/node1.pid"
  for node in node1 node2; do
    [ -f "$root/$node/data/postmaster.pid" ] &&
      "${as_pg[@]}" "$bin/pg_ctl" -D "$root/$node/data" -m immediate -w stop >/dev/null 2>&1 || true
  done
  stop_pid "$root/etcd.pid"
}

kill_primary() {
  local port node
  port="$(primary)" || { echo "no primary right now" >&2; exit 1; }
  for node in node1 node2; do
    [ "$(port_of "$node")" = "$port" ] || continue
    kill -KILL "$(head -n 1 "$root/$node/data/postmaster.pid")"
    echo "killed the primary's postmaster on port $port"
  done
}

# Blocks until a standby is in sync again (after a failover the old primary rejoins as one), at most 180 s.
wait_sync() {
  for _ in $(seq 1800); do
    "${as_pg[@]}" patronictl -c "$root/node1.yml" list 2>/dev/null | grep -q "Sync Standby" && return 0
    sleep 0.1
  done
  echo "no synchronous standby within 180 s" >&2
  return 1
}

case "${1:-}" in
  start) start ;;
  wait-sync) wait_sync ;;
  stop) stop ;;
  kill-primary) kill_primary ;;
  primary) primary ;;
  *) echo "usage: $0 start|stop|kill-primary|primary|wait-sync" >&2; exit 2 ;;
esac
