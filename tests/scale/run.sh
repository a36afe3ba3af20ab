#!/usr/bin/env bash
# make test-scale: driftgate on real scale-out engines, each suite with its own throwaway cluster on
# 127.0.0.1 that stops when the suite ends (pass or fail):
#   pgbouncer.sh  the HTTP tier through PgBouncer 1.18 in transaction mode (DRIFTGATE_DB_PREPARED=off)
#   ha.sh         two SIGKILLed primaries of a Patroni pair under streaming load
#   citus.sh      the distributed layout and the two-server gate test on a Citus coordinator + 2 workers
#                 (builds and installs Citus once per machine)
#   tests/scale/run.sh [BUILD_DIR] [SUITE...]   (default: every suite)
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
shift || true
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(pgbouncer ha citus)
for suite in "${suites[@]}"; do
  echo "== test-scale: $suite"
  start=$(date +%s)
  "$here/tests/scale/$suite.sh" "$build"
  echo "== test-scale: $suite passed in $(( $(date +%s) - start )) s"
done
