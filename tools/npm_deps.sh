# Sourced by ui/build.sh and tools/openapi/lint.sh: the npm packages of one folder, installed only when
# needed. npm_deps DIR LABEL checks node and npm, takes an exclusive lock for DIR on file descriptor 9
# (several build folders share DIR/node_modules) and runs `npm ci` only when DIR/node_modules is missing
# or DIR/package-lock.json changed since the last install (its hash kept in node_modules). The lock stays
# held for the caller's next steps; `flock -u 9` releases it early.
npm_deps() {
  local dir="$1" label="$2" tool want stamp
  for tool in node npm; do
    command -v "$tool" >/dev/null ||
      { echo "$label: $tool not found: run deploy/local/deps.sh (Debian packages nodejs, npm)" >&2; return 1; }
  done
  exec 9>"${TMPDIR:-/tmp}/driftgate-npm-$(printf '%s' "$dir" | sha256sum | cut -c1-16).lock"
  flock 9
  want="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  stamp="$dir/node_modules/.driftgate-package-lock.sha256"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "$label: npm ci (package-lock.json changed or node_modules missing)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    printf '%s\n' "$want" >"$stamp"
  fi
}
