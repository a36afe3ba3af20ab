#!/usr/bin/env bash
# The bench row "label ingest + evaluation with 20 segments" alone, as bench/run.sh runs it (sections 2 and
# 2b: the same loadgen calls, the plain model first), without the rest of `make bench`:
#
#   bench/segments_row.sh BUILD_DIR [LABELS]     BUILD_DIR holds driftgate and bench/loadgen; LABELS 100000
#
# Prints both rates, their ratio (target >= 0.8), the load average around the runs and each model's stored
# evaluation state size (model_state: bytes stored, bytes of JSON text). PERF=1 records the server with
# `perf record -g` during the segmented run and keeps the work folder.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:?usage: bench/segments_row.sh BUILD_DIR [LABELS]}" && pwd)"
n=${2:-100000}
conns=${BENCH_CONNS:-2}
python=/usr/bin/python3
token="bench-admin-token-$(date +%s)-0123456789"
pg_url="$("$here/deploy/local/pg.sh" start)"
server="${pg_url%/*}"
db="segrow_$$"
work=$(mktemp -d /tmp/driftgate-segrow.XXXXXX)
server_pid=""
. "$here/bench/lib.sh"  # bench_serve, bench_stop_server
cleanup() {
  bench_stop_server
  psql "$server/postgres" -qAt -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  [[ -n "${PERF:-}" ]] || rm -rf "$work"
}
trap cleanup EXIT
psql "$server/postgres" -v ON_ERROR_STOP=1 -qAt -c "CREATE DATABASE $db" >/dev/null
DRIFTGATE_DB_URL="$server/$db" "$build/driftgate" migrate >/dev/null 2>&1
bench_serve "$build/driftgate" "$server/$db" "$token" warn "$work/server.log"
ts_base_us=$(( $(date +%s) * 1000000 - 3600 * 1000000 ))
lg() { "$build/bench/loadgen" "$1" --url "http://127.0.0.1:$port" --token "$token" --ts-base-us "$ts_base_us" "${@:2}"; }
lg create-models --prefix labels --count 1 --kind labels >/dev/null
lg predictions --model labels --records "$n" --batch 1000 --conns "$conns" >/dev/null
lg create-models --prefix labseg --count 1 --kind labels --segments trigger >/dev/null
lg predictions --model labseg --records "$n" --batch 1000 --conns "$conns" --segments 20 >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
plain=$(lg labels --model labels --records "$n" --batch 1000 --conns "$conns")
if [[ -n "${PERF:-}" ]]; then
  perf record -g -p "$server_pid" -o "$work/perf.data" >/dev/null 2>&1 &
  perf_pid=$!
fi
segmented=$(lg labels --model labseg --records "$n" --batch 1000 --conns "$conns")
if [[ -n "${PERF:-}" ]]; then
  kill -INT "$perf_pid"
  wait "$perf_pid" || true
  echo "perf data: $work/perf.data"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" -c 'import json,sys
a, b = (json.loads(x) for x in sys.argv[1:3])
ra, rb, ea, eb = a["rows_per_s"], b["rows_per_s"], a["errors"], b["errors"]
print(f"label ingest + evaluation: {ra:,.0f} rows/s; with 20 segments: {rb:,.0f} rows/s; ratio {rb / ra:.2f} "
      f"(errors {ea}, {eb})")' "$plain" "$segmented"
psql "$server/$db" -qAt -F ' ' -c "SELECT m.name, pg_column_size(s.state), length(s.state::text) FROM model_state s \
  JOIN models m ON m.id = s.model_id ORDER BY m.name" | while read -r name stored text; do
  echo "model_state of $name: $stored bytes stored, $text bytes of JSON"
done
