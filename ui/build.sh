#!/usr/bin/env bash
# Builds the /ui ops page into $1 (default: ui/dist). `npm ci` runs only when ui/node_modules is missing
# or package-lock.json changed since the last install (a hash kept in node_modules), then build.mjs.
# Several build folders share ui/node_modules, so the install and build hold one lock.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/dist}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
for tool in node npm; do
  command -v "$tool" >/dev/null ||
    { echo "ui/build.sh: $tool not found: run deploy/local/deps.sh (Debian packages nodejs, npm)" >&2; exit 1; }
done

cd "$here"
lock="${TMPDIR:-/tmp}/driftgate-ui-$(printf '%s' "$here" | sha256sum | cut -c1-16).lock"
exec 9>"$lock"
flock 9

want="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp=node_modules/.driftgate-package-lock.sha256
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "ui: npm ci (package-lock.json changed or node_modules missing)"
  npm ci --no-audit --no-fund --loglevel=error
  printf '%s\n' "$want" >"$stamp"
fi
[ "${UI_DEPS_ONLY:-0}" = 1 ] && exit 0
node build.mjs "$out"
