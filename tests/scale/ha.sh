#!/usr/bin/env bash
# The failover suite: a fresh Patroni pair (deploy/ha/cluster.sh), `driftgate migrate` through its
# multi-host URL, then tests/scale/test_ha_failover.py. The cluster stops on exit, pass or fail.
#   tests/scale/ha.sh [BUILD_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
cluster="$here/deploy/ha/cluster.sh"
trap '"$cluster" stop' EXIT
"$cluster" stop  # a cluster left by an interrupted run
url="$("$cluster" start | tail -n 1)"
DRIFTGATE_DB_URL="$url" "$here/$build/driftgate" migrate
/usr/bin/python3 "$here/tests/scale/test_ha_failover.py" "$here/$build/driftgate" "$url" "$cluster"
