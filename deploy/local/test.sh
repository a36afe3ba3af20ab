#!/usr/bin/env bash
# make test: a fresh, migrated test database, then the whole suite via ctest.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
base="$("$here/deploy/local/pg.sh" url)"
server="${base%/*}"
# Tests clone this migrated template database, one fresh database per test binary or server.
export DRIFTGATE_TEST_DB_ADMIN_URL="$server/postgres"
export DRIFTGATE_TEST_DB_URL="$server/driftgate_test"
runuser_psql() { psql "$DRIFTGATE_TEST_DB_ADMIN_URL" -v ON_ERROR_STOP=1 -qAt "$@"; }
runuser_psql -c "DROP DATABASE IF EXISTS driftgate_test WITH (FORCE)"
runuser_psql -c "CREATE DATABASE driftgate_test"
DRIFTGATE_DB_URL="$DRIFTGATE_TEST_DB_URL" "$here/$build/driftgate" migrate
cd "$here/$build"
ctest --output-on-failure -j2 --timeout 900 "${CTEST_ARGS[@]:-}"
