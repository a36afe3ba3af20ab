#!/usr/bin/env bash
# make test: a fresh, migrated test database, then the whole suite via ctest.
#   deploy/local/test.sh [BUILD_DIR [TEMPLATE_DB]]   (defaults: build, driftgate_test)
# A run with its own TEMPLATE_DB can go beside another (make sanitize uses driftgate_test_asan).
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
template="${2:-driftgate_test}"
base="$("$here/deploy/local/pg.sh" url)"
server="${base%/*}"
# Tests clone this migrated template database, one fresh database per test binary or server.
export DRIFTGATE_TEST_DB_ADMIN_URL="$server/postgres"
export DRIFTGATE_TEST_DB_URL="$server/$template"
runuser_psql() { psql "$DRIFTGATE_TEST_DB_ADMIN_URL" -v ON_ERROR_STOP=1 -qAt "$@"; }
runuser_psql -c "DROP DATABASE IF EXISTS \"$template\" WITH (FORCE)"
runuser_psql -c "CREATE DATABASE \"$template\""
DRIFTGATE_DB_URL="$DRIFTGATE_TEST_DB_URL" "$here/$build/driftgate" migrate
cd "$here/$build"
ctest --output-on-failure -j2 --timeout 900 "${CTEST_ARGS[@]:-}"
