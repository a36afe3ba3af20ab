#!/usr/bin/env bash
# driftgate's own footprint, for bench/run.sh (one line there): prints bench table rows as JSON lines.
#
#   bench/footprint.sh LOADGEN URL TOKEN TS_BASE_US SERVER_PID PG_DATA_DIR MODELS
#
# 1. Idle: the server's CPU over FOOTPRINT_IDLE_SECONDS (default 60) with MODELS models and no traffic,
#    as a share of one core (goal < 0.5 %: no busy polling — workers wait on events or long timers),
#    and PostgreSQL's over the same seconds.
# 2. Work: CPU seconds per million records processed (FOOTPRINT_RECORDS predictions, then as many labels
#    with evaluation, on a fresh model), the server and PostgreSQL apart.
# CPU comes from /proc: the server's utime + stime; PostgreSQL's is the postmaster's own and reaped
# children's (cutime + cstime) plus every live child's utime + stime — backends come and go, and a
# backend's CPU moves into the postmaster's cutime when it exits, so the sum counts each tick once.
set -euo pipefail

loadgen=${1:?usage: footprint.sh LOADGEN URL TOKEN TS_BASE_US SERVER_PID PG_DATA_DIR MODELS}
url=$2 token=$3 ts_base_us=$4 server_pid=$5 pg_data=$6 models=$7
idle_s=${FOOTPRINT_IDLE_SECONDS:-60}
records=${FOOTPRINT_RECORDS:-100000}
python=/usr/bin/python3
hz=$(getconf CLK_TCK)
postmaster=$(head -n 1 "$pg_data/postmaster.pid")

server_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
pg_ticks() {
  local total pid
  total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$postmaster/stat")
  for pid in $(pgrep -P "$postmaster"); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
row() {
  "$python" -c 'import json,sys; print(json.dumps(dict(zip(["figure","value","baseline","ratio","target","pass"], sys.argv[1:]))))' "$@"
}
lg() { "$loadgen" "$1" --url "$url" --token "$token" --ts-base-us "$ts_base_us" "${@:2}"; }

# ---- 1. idle
echo "bench: footprint: ${idle_s}s idle with $models models" >&2
sleep 5  # let the last load's background work (drift checks, deliveries) finish
s0=$(server_ticks) p0=$(pg_ticks) t0=$(date +%s%N)
sleep "$idle_s"
s1=$(server_ticks) p1=$(pg_ticks) t1=$(date +%s%N)
read -r server_pct pg_pct < <("$python" -c 'import sys
s, p, hz, ns = (float(v) for v in sys.argv[1:])
secs = ns / 1e9
print(100 * s / hz / secs, 100 * p / hz / secs)' "$((s1 - s0))" "$((p1 - p0))" "$hz" "$((t1 - t0))")
row "server idle CPU, % of one core (${idle_s}s, $models models, no traffic)" "$(printf '%.3f' "$server_pct")" "" "" \
  "< 0.5%" "$("$python" -c "print('pass' if $server_pct < 0.5 else 'FAIL')")"
row "  PostgreSQL CPU over the same idle seconds (incl. autovacuum left by earlier load), % of one core" "$(printf '%.3f' "$pg_pct")" "" "" "" ""

# ---- 2. CPU per million records
echo "bench: footprint: CPU for $records predictions + $records labels" >&2
lg create-models --prefix footprint --count 1 --kind labels >/dev/null
s0=$(server_ticks) p0=$(pg_ticks)
lg predictions --model footprint --records "$records" --batch 1000 --conns 2 >/dev/null
lg labels --model footprint --records "$records" --batch 1000 --conns 2 >/dev/null
sleep 1  # the drift checks the predictions queued run on the server's own thread
s1=$(server_ticks) p1=$(pg_ticks)
per_million() { "$python" -c "print(f'{$1 / $hz / (2 * $records) * 1e6:.1f}')"; }
row "CPU s per 10^6 records (predictions + labels), server" "$(per_million $((s1 - s0)))" "" "" "" ""
row "CPU s per 10^6 records (predictions + labels), PostgreSQL" "$(per_million $((p1 - p0)))" "" "" "" ""
