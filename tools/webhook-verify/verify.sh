#!/usr/bin/env bash
# Runs verify.mjs (the Standard Webhooks reference library) after installing its pinned packages: `npm ci`
# only when node_modules is missing or package-lock.json changed (tools/npm_deps.sh). stdin/stdout as
# verify.mjs says. WEBHOOK_VERIFY_DEPS_ONLY=1 only installs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../npm_deps.sh"
npm_deps "$here" webhook-verify >&2
flock -u 9
[ "${WEBHOOK_VERIFY_DEPS_ONLY:-0}" = 1 ] && exit 0
exec node "$here/verify.mjs"
