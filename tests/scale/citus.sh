#!/usr/bin/env bash
# The Citus suite: a fresh coordinator + two workers (deploy/citus/cluster.sh, which builds and installs
# Citus once per machine), `driftgate migrate` on the coordinator (which distributes the tables), then
# tests/scale/test_citus.py. The cluster stops on exit, pass or fail.
#   tests/scale/citus.sh [BUILD_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
cluster="$here/deploy/citus/cluster.sh"
trap '"$cluster" stop' EXIT
url="$("$cluster" start | tail -n 1)"
DRIFTGATE_DB_URL="$url" "$here/$build/driftgate" migrate
/usr/bin/python3 "$here/tests/scale/test_citus.py" "$here/$build/driftgate" "$url"
