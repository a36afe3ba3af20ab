#!/usr/bin/env bash
# Fleet ingest on Citus (a coordinator + 2 workers, deploy/citus/cluster.sh) against one PostgreSQL, back to
# back in one run, for bench/run.sh: prints bench table rows as JSON lines on stdout, progress on stderr.
#
#   bench/citus_fleet.sh DRIFTGATE LOADGEN
#
# Skipped (one row saying so, exit 0) when Citus is not installed; deploy/citus/install.sh builds it.
# "One PostgreSQL" is a plain database (no citus extension, so Citus stays out of it) on the coordinator's
# own server: the same binary and settings (fsync off, shared_buffers 128MB) as every Citus node, so the
# ratio compares layouts, not configurations. The same driftgate binary, models and records run against
# both: BENCH_CITUS_MODELS models x BENCH_CITUS_PER_MODEL predictions each, interleaved (loadgen fleet),
# BENCH_CONNS connections.
# CPU per node comes from /proc as in bench/footprint.sh: a node's postmaster with its reaped children
# (cutime + cstime) plus every live child — the per-node cost that deploy/README.md's capacity table scales.
# Everything shares this machine's cores, so the rows/s of both layouts are bounded by the same CPUs; the
# CPU seconds per 10^6 rows of each tier are the figures that carry over to separate machines.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
driftgate=${1:?usage: citus_fleet.sh DRIFTGATE LOADGEN}
loadgen=${2:?usage: citus_fleet.sh DRIFTGATE LOADGEN}
models=${BENCH_CITUS_MODELS:-1000}
per_model=${BENCH_CITUS_PER_MODEL:-100}
conns=${BENCH_CONNS:-2}
python=/usr/bin/python3
hz=$(getconf CLK_TCK)
cluster="$here/deploy/citus/cluster.sh"
nodes_dir="$here/.local/citus"
token="bench-citus-token-$(date +%s)-0123456789"
ts_base_us=$(( $(date +%s) * 1000000 - 3600 * 1000000 ))
server_pid=""

log() { echo "bench: citus: $*" >&2; }
row() {
  "$python" -c 'import json,sys; print(json.dumps(dict(zip(["figure","value","baseline","ratio","target","pass"], sys.argv[1:]))))' "$@"
}
figure="fleet ingest on Citus (coordinator + 2 workers), rows/s ($models models x $per_model, interleaved)"
if [[ ! -f "$(pg_config --pkglibdir)/citus.so" ]]; then
  log "Citus is not installed: section skipped (deploy/citus/install.sh builds it)"
  row "$figure" "skipped: Citus not installed (deploy/citus/install.sh)" "" "" "" ""
  exit 0
fi

. "$here/bench/lib.sh"  # bench_serve, bench_stop_server

# CPU ticks of one node's PostgreSQL (postmaster, reaped and live children), and of the server.
node_ticks() {
  local postmaster total pid
  postmaster=$(head -n 1 "$nodes_dir/$1/postmaster.pid")
  total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$postmaster/stat")
  for pid in $(pgrep -P "$postmaster"); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
server_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
field() { "$python" -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

# Runs the fleet against database URL $1 (migrated here) with its own `driftgate serve`; prints
# "rows_per_s errors server coordinator worker1 worker2", CPU as seconds per 10^6 rows. Runs in a command
# substitution: a failure ends the script (set -e), the server stops either way.
fleet_on() {
  local url=$1 port out s0 s1 c0 c1 w10 w11 w20 w21
  trap bench_stop_server EXIT  # this subshell's own server
  DRIFTGATE_DB_URL="$url" "$driftgate" migrate >/dev/null 2>&1
  bench_serve "$driftgate" "$url" "$token" warn "$work/server.log" 400
  lg() { "$loadgen" "$1" --url "http://127.0.0.1:$port" --token "$token" --ts-base-us "$ts_base_us" "${@:2}"; }
  out=$(lg create-models --prefix fleet --count "$models" --kind ingest --conns "$conns")
  [[ "$(field "$out" errors)" == 0 ]] || { echo "bench: citus: model creation failed: $out" >&2; exit 1; }
  s0=$(server_ticks) c0=$(node_ticks coordinator) w10=$(node_ticks worker1) w20=$(node_ticks worker2)
  out=$(lg fleet --prefix fleet --models "$models" --per-model "$per_model" --conns "$conns") || true  # errors counted below
  s1=$(server_ticks) c1=$(node_ticks coordinator) w11=$(node_ticks worker1) w21=$(node_ticks worker2)
  bench_stop_server
  "$python" -c 'import json, sys
d = json.loads(sys.argv[1]); hz = float(sys.argv[2]); rows = d["rows"] or 1
per_million = lambda ticks: int(ticks) / hz / rows * 1e6
print(d["rows_per_s"], d["errors"], *(f"{per_million(t):.2f}" for t in sys.argv[3:]))' \
    "$out" "$hz" "$((s1 - s0))" "$((c1 - c0))" "$((w11 - w10))" "$((w21 - w20))"
}

work=$(mktemp -d /tmp/driftgate-bench-citus.XXXXXX)
trap 'bench_stop_server; "$cluster" stop; rm -rf "$work"' EXIT
log "starting a coordinator and two workers"
citus_url="$("$cluster" start | tail -n 1)"
plain_url="${citus_url%/*}/bench_plain"
psql "${citus_url%/*}/postgres" -v ON_ERROR_STOP=1 -qAt -c "CREATE DATABASE bench_plain" >/dev/null
load0=$(cut -d ' ' -f 1 /proc/loadavg)

log "one PostgreSQL: $models models x $per_model predictions, $conns connections"
plain=$(fleet_on "$plain_url")
read -r plain_rate plain_errors plain_server plain_pg _ _ <<<"$plain"
log "Citus: the same on the coordinator, tables distributed over two workers"
citus=$(fleet_on "$citus_url")
read -r citus_rate citus_errors citus_server citus_coord citus_w1 citus_w2 <<<"$citus"
load1=$(cut -d ' ' -f 1 /proc/loadavg)

ratio=$("$python" -c "print(f'{$citus_rate / $plain_rate:.2f}')")
fmt() { "$python" -c 'import sys; print(f"{float(sys.argv[1]):,.0f}")' "$1"; }
ok=$("$python" -c "print('pass' if $plain_errors == 0 and $citus_errors == 0 else 'FAIL')")
row "$figure" "$(fmt "$citus_rate")" "$(fmt "$plain_rate") (one PostgreSQL)" "$ratio" "" "$ok"
row "  CPU s per 10^6 rows on Citus: server / coordinator / worker 1 / worker 2" \
  "$citus_server / $citus_coord / $citus_w1 / $citus_w2" "" "" "" ""
row "  CPU s per 10^6 rows on one PostgreSQL: server / PostgreSQL" "$plain_server / $plain_pg" "" "" "" ""
row "  load average (1 min) before / after the Citus section" "$load0 / $load1" "" "" "" ""
