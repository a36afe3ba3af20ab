#!/usr/bin/env bash
# make run: migrate the local database and serve on $2 (default 8080) in the foreground.
# It listens on 127.0.0.1 only; DRIFTGATE_BIND=0.0.0.0 (make run BIND=0.0.0.0) listens on every interface.
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"; port="${2:-8080}"
bind="${DRIFTGATE_BIND:-127.0.0.1}"
# The address to print (and to try with curl): the bound one, or loopback when bound to every interface.
case "$bind" in 0.0.0.0 | "::") shown=127.0.0.1 ;; *) shown="$bind" ;; esac
[[ "$shown" == *:* ]] && shown="[$shown]"
# The local throwaway database, unless DRIFTGATE_DB_URL names another one.
export DRIFTGATE_DB_URL="${DRIFTGATE_DB_URL:-$("$here/deploy/local/pg.sh" url)}"
if [ -z "${DRIFTGATE_ADMIN_TOKEN:-}" ]; then
  tok_file="$here/.local/admin_token"
  [ -s "$tok_file" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr '+/' '-_' >"$tok_file")
  DRIFTGATE_ADMIN_TOKEN="$(cat "$tok_file")"
  export DRIFTGATE_ADMIN_TOKEN
fi
# The key that seals webhook secrets at rest: generated once for this checkout, kept with the database.
if [ -z "${DRIFTGATE_SECRET_KEY:-}" ]; then
  key_file="$here/.local/secret_key"
  [ -s "$key_file" ] || (umask 077; head -c 32 /dev/urandom | base64 >"$key_file")
  DRIFTGATE_SECRET_KEY="$(cat "$key_file")"
  export DRIFTGATE_SECRET_KEY
fi
# Webhook receivers of a local session listen on this machine; the default policy reaches public
# addresses only (README "DRIFTGATE_WEBHOOK_ALLOW").
export DRIFTGATE_WEBHOOK_ALLOW="${DRIFTGATE_WEBHOOK_ALLOW-127.0.0.1,::1}"
"$here/$build/driftgate" migrate
cat <<MSG

driftgate is starting on http://$shown:$port (listening on $bind:$port)
  database:     $DRIFTGATE_DB_URL
  admin token:  stored in .local/admin_token (or your DRIFTGATE_ADMIN_TOKEN)
  secret key:   .local/secret_key seals webhook secrets (or your DRIFTGATE_SECRET_KEY)
  webhooks to:  public addresses and $DRIFTGATE_WEBHOOK_ALLOW (DRIFTGATE_WEBHOOK_ALLOW)
  try:          curl -s http://$shown:$port/healthz
                curl -s -H "Authorization: Bearer \$(cat .local/admin_token)" http://$shown:$port/v1/models
  stop:         Ctrl-C (the database keeps running; 'make pg-stop' stops it)

MSG
exec "$here/$build/driftgate" serve --bind "$bind" --port "$port"
