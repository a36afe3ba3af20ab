#!/usr/bin/env bash
# The HTTP tier (every *_apitest) with driftgate's connections through PgBouncer 1.18 in transaction mode
# (deploy/pgbouncer/pgbouncer.sh) and DRIFTGATE_DB_PREPARED=off. Test databases are still created and
# dropped on the server directly (CREATE DATABASE cannot go through a transaction pooler).
# Passes when ctest passes, PgBouncer really pooled per transaction, and the traffic went through it.
#   tests/scale/pgbouncer.sh [BUILD_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
template=driftgate_test_bouncer
bouncer="$here/deploy/pgbouncer/pgbouncer.sh"
trap '"$bouncer" stop' EXIT

direct="$("$here/deploy/local/pg.sh" start)"
direct="${direct%/*}"
pooled="$("$bouncer" start)"
admin="$("$bouncer" admin)"
admin_q() { psql "$admin" -qAt -F ' ' -c "$1"; }

mode="$(admin_q 'SHOW CONFIG' | awk '$1 == "pool_mode" {print $2}')"
[ "$mode" = transaction ] || { echo "pgbouncer: pool_mode is '$mode', not transaction" >&2; exit 1; }

psql "$direct/postgres" -v ON_ERROR_STOP=1 -qAt -c "DROP DATABASE IF EXISTS $template WITH (FORCE)" \
  -c "CREATE DATABASE $template"
DRIFTGATE_DB_URL="$direct/$template" "$here/$build/driftgate" migrate

# Sum of transactions PgBouncer forwarded, over every database (SHOW STATS: database, total_xact_count, ...).
xacts() { admin_q 'SHOW STATS' | awk '{s += $2} END {print s + 0}'; }
before="$(xacts)"

export DRIFTGATE_TEST_DB_ADMIN_URL="$direct/postgres"
export DRIFTGATE_TEST_DB_URL="$pooled/$template"
export DRIFTGATE_DB_PREPARED=off
(cd "$here/$build" && ctest --output-on-failure -j2 --timeout 900 -L '^api$' "$@")

# Stats are folded in every 15 s (stats_period); wait for them rather than guess.
after="$before"
for _ in $(seq 40); do
  after="$(xacts)"
  [ "$after" -gt $((before + 1000)) ] && break
  sleep 1
done
echo "pgbouncer: $((after - before)) transactions pooled in transaction mode"
[ "$after" -gt $((before + 1000)) ] || { echo "pgbouncer: the api tier did not go through PgBouncer" >&2; exit 1; }
psql "$direct/postgres" -qAt -c "DROP DATABASE IF EXISTS $template WITH (FORCE)"
