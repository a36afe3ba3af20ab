#!/usr/bin/env bash
# Lints openapi.yaml (or $1) with Redocly CLI, pinned in package-lock.json, under redocly.yaml (the
# recommended rules; exceptions justified there and in .redocly.lint-ignore.yaml). `npm ci` runs only when
# tools/openapi/node_modules is missing or package-lock.json changed since the last install (a hash kept
# in node_modules), as ui/build.sh does; several build folders share node_modules, so installs hold a lock.
# OPENAPI_DEPS_ONLY=1 installs and stops (the build does that, so `make test` itself needs no network).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
spec="$(realpath "${1:-$here/../../openapi.yaml}")"
for tool in node npm; do
  command -v "$tool" >/dev/null ||
    { echo "tools/openapi/lint.sh: $tool not found: run deploy/local/deps.sh (Debian packages nodejs, npm)" >&2; exit 1; }
done

cd "$here"
lock="${TMPDIR:-/tmp}/driftgate-openapi-$(printf '%s' "$here" | sha256sum | cut -c1-16).lock"
exec 9>"$lock"
flock 9
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp=node_modules/.driftgate-package-lock.sha256
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "tools/openapi: npm ci (package-lock.json changed or node_modules missing)"
  npm ci --no-audit --no-fund --loglevel=error
  printf '%s\n' "$want" >"$stamp"
fi
flock -u 9
[ "${OPENAPI_DEPS_ONLY:-0}" = 1 ] && exit 0
# Redocly's usage telemetry would call out to the network; the lint needs none.
export REDOCLY_TELEMETRY=off
exec node_modules/.bin/redocly lint --config "$here/redocly.yaml" "$spec"
