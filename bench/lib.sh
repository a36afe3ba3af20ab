# shellcheck shell=bash
# Shell functions the bench scripts share; sourced (`. "$here/bench/lib.sh"`), never run. They use the
# caller's $python and set its $port and $server_pid, which its EXIT trap reads to stop the server.

# A TCP port on 127.0.0.1 that nothing listens on now.
# shellcheck disable=SC2154  # $python is the caller's
bench_free_port() {
  "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# bench_serve DRIFTGATE DB_URL TOKEN LOG_LEVEL LOG_FILE [WAIT_STEPS]: `driftgate serve` on a free port of
# 127.0.0.1 in the background, with a fresh secret key and 127.0.0.1 allowed for webhooks (the breach
# runs' receiver listens there; the default policy refuses it). Returns once /readyz answers, polled every
# 50 ms WAIT_STEPS times (default 200: 10 s); otherwise prints the server's log and fails.
bench_serve() {
  local driftgate=$1 url=$2 token=$3 level=$4 log_file=$5 steps=${6:-200}
  port=$(bench_free_port)
  DRIFTGATE_ADMIN_TOKEN="$token" DRIFTGATE_DB_URL="$url" DRIFTGATE_LOG_LEVEL="$level" \
    DRIFTGATE_SECRET_KEY="$(head -c 32 /dev/urandom | base64)" DRIFTGATE_WEBHOOK_ALLOW=127.0.0.1 \
    "$driftgate" serve --bind 127.0.0.1 --port "$port" >"$log_file" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 "$steps"); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$log_file" >&2; return 1; }
}

# SIGTERM (a graceful stop) to the server started by bench_serve, if it still runs, and waits for it.
bench_stop_server() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
