#!/usr/bin/env bash
# Lints openapi.yaml (or $1) with Redocly CLI, pinned in package-lock.json, under redocly.yaml (the
# recommended rules; exceptions justified there and in .redocly.lint-ignore.yaml). The packages are
# installed by tools/npm_deps.sh (`npm ci` only when needed, under a lock shared with other build folders).
# OPENAPI_DEPS_ONLY=1 installs and stops (the build does that, so `make test` itself needs no network).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
spec="$(realpath "${1:-$here/../../openapi.yaml}")"
source "$here/../npm_deps.sh"
npm_deps "$here" tools/openapi
flock -u 9
[ "${OPENAPI_DEPS_ONLY:-0}" = 1 ] && exit 0
# Redocly's usage telemetry would call out to the network; the lint needs none.
export REDOCLY_TELEMETRY=off
exec "$here/node_modules/.bin/redocly" lint --config "$here/redocly.yaml" "$spec"
