#!/usr/bin/env bash
# Builds the /ui ops page into $1 (default: ui/dist): the packages via tools/npm_deps.sh (`npm ci` only
# when ui/node_modules is missing or package-lock.json changed), then build.mjs, under one lock (several
# build folders share ui/node_modules).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/dist}"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
source "$here/../tools/npm_deps.sh"
npm_deps "$here" ui  # the lock stays held through the build: it reads the shared node_modules
cd "$here"
[ "${UI_DEPS_ONLY:-0}" = 1 ] && exit 0
node build.mjs "$out"
