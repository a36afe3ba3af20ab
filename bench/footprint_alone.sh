#!/usr/bin/env bash
# driftgate's own footprint without the rest of `make bench`: the part of bench/run.sh that leads up to
# bench/footprint.sh — a fresh database, `driftgate serve`, the fleet's models with a little traffic each —
# then footprint.sh itself, whose rows (JSON lines) it prints.
#
#   bench/footprint_alone.sh DRIFTGATE LOADGEN
#
# DRIFTGATE is the server binary (e.g. build/driftgate), LOADGEN bench/loadgen from a build with
# -DDRIFTGATE_BUILD_BENCH=ON (e.g. `cmake --build build-bench --target loadgen`). Knobs (environment):
#   BENCH_FLEET_MODELS=10000 BENCH_FLEET_PER_MODEL=100   as in bench/run.sh
#   FOOTPRINT_IDLE_SECONDS=60 FOOTPRINT_RECORDS=100000   passed to footprint.sh
#   DRIFTGATE_DISPATCH_POLL_MS                           passed to the server (unset: its default)
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
driftgate=$(realpath "${1:?usage: footprint_alone.sh DRIFTGATE LOADGEN}")
loadgen=$(realpath "${2:?usage: footprint_alone.sh DRIFTGATE LOADGEN}")
models=${BENCH_FLEET_MODELS:-10000}
per_model=${BENCH_FLEET_PER_MODEL:-100}
python=/usr/bin/python3
token="bench-admin-token-$(date +%s)-0123456789"
work=$(mktemp -d /tmp/driftgate-footprint.XXXXXX)
pg_url="$("$here/deploy/local/pg.sh" start)"
server="${pg_url%/*}"
db="footprint_$$"
server_pid=""

. "$here/bench/lib.sh"  # bench_serve, bench_stop_server
cleanup() {
  bench_stop_server
  psql "$server/postgres" -qAt -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql "$server/postgres" -v ON_ERROR_STOP=1 -qAt -c "CREATE DATABASE $db" >/dev/null
DRIFTGATE_DB_URL="$server/$db" "$driftgate" migrate >/dev/null 2>&1
ts_base_us=$(($(date +%s) * 1000000 - 3600 * 1000000))
bench_serve "$driftgate" "$server/$db" "$token" info "$work/server.log"
lg() { "$loadgen" "$1" --url "http://127.0.0.1:$port" --token "$token" --ts-base-us "$ts_base_us" "${@:2}"; }

echo "footprint: creating $models models, $per_model predictions each" >&2
created=$(lg create-models --prefix fleet --count "$models" --kind ingest --conns 2) || true
errors=$("$python" -c 'import json,sys; print(json.loads(sys.argv[1])["errors"])' "$created" 2>/dev/null || echo "?")
[[ "$errors" == 0 ]] || { echo "footprint: model creation failed: $created" >&2; tail -n 20 "$work/server.log" >&2; exit 1; }
lg fleet --prefix fleet --models "$models" --per-model "$per_model" --conns 2 >/dev/null
"$here/bench/footprint.sh" "$loadgen" "http://127.0.0.1:$port" "$token" "$ts_base_us" "$server_pid" \
  "$here/.local/pg/data" "$models"
