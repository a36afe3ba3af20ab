#!/usr/bin/env bash
# The Citus suite: a fresh coordinator + two workers (deploy/citus/cluster.sh, which builds and installs
# Citus once per machine), then against the coordinator:
#   1. the PostgreSQL and HTTP tiers (every *_pgtest and *_apitest): a migrated template database, cloned
#      per test on every node (tests/support/test_db.h, DRIFTGATE_TEST_DB_NODES);
#   2. `driftgate migrate` (which distributes the tables) and tests/scale/test_citus.py.
# The cluster stops on exit, pass or fail.
#   tests/scale/citus.sh [BUILD_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
cluster="$here/deploy/citus/cluster.sh"
trap '"$cluster" stop' EXIT
url="$("$cluster" start | tail -n 1)"

template=driftgate_test
template_url="$("$cluster" database "$template" | tail -n 1)"
# One shard per worker for the tiers (the layout test below keeps the cluster's 8): every test clones the
# template on each node, and its time grows with the number of shard tables.
psql "$template_url" -v ON_ERROR_STOP=1 -qAt -c "ALTER DATABASE $template SET citus.shard_count = 2"
DRIFTGATE_DB_URL="$template_url" "$here/$build/driftgate" migrate
mapfile -t workers < <("$cluster" workers)
admins=("${template_url%/*}/postgres" "${workers[@]}")
# A template must be idle to be cloned, and Citus's maintenance daemon keeps a session in every Citus
# database: closed to connections first, so that the daemon cannot come back.
for admin in "${admins[@]}"; do
  psql "$admin" -v ON_ERROR_STOP=1 -qAt -c "ALTER DATABASE $template ALLOW_CONNECTIONS false" \
    -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$template'" >/dev/null
done
(
  export DRIFTGATE_TEST_DB_ADMIN_URL="${admins[0]}" DRIFTGATE_TEST_DB_URL="$template_url"
  export DRIFTGATE_TEST_DB_NODES="${workers[*]}"
  cd "$here/$build" && ctest --output-on-failure -j2 --timeout 900 -L '^(db|api)$' "${@:2}"
)

DRIFTGATE_DB_URL="$url" "$here/$build/driftgate" migrate
/usr/bin/python3 "$here/tests/scale/test_citus.py" "$here/$build/driftgate" "$url"
