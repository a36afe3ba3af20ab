#!/usr/bin/env bash
# make sanitize: the whole test suite built with AddressSanitizer + UBSan (CMakePresets.json "asan",
# build-asan/) against the local PostgreSQL, on a template database of its own (driftgate_test_asan),
# so it can run beside `make test`. Any sanitizer report fails the run: UBSan halts on the first error,
# ASan aborts, and LeakSanitizer reports at exit of every test binary and server.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="$here/build-asan"
base="$("$here/deploy/local/pg.sh" start)"
server="${base%/*}"
export DRIFTGATE_TEST_DB_ADMIN_URL="$server/postgres"
export DRIFTGATE_TEST_DB_URL="$server/driftgate_test_asan"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

cmake --preset asan -S "$here" >/dev/null
cmake --build "$build" -j"${JOBS:-2}"
psql "$DRIFTGATE_TEST_DB_ADMIN_URL" -v ON_ERROR_STOP=1 -qAt \
  -c "DROP DATABASE IF EXISTS driftgate_test_asan WITH (FORCE)" -c "CREATE DATABASE driftgate_test_asan"
DRIFTGATE_DB_URL="$DRIFTGATE_TEST_DB_URL" "$build/driftgate" migrate
cd "$build"
ctest --output-on-failure -j2 --timeout 1800
