"""Helpers for end-to-end tests of the real `driftgate` binary (Debian's python3, stdlib only).

A fresh database is cloned from the migrated template that `make test` prepares (DRIFTGATE_TEST_DB_URL),
servers are real processes on free 127.0.0.1 ports, the webhook receiver is a real HTTP server.
"""
import hashlib
import hmac
import base64
import http.server
import json
import os
import random
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

ADMIN_TOKEN = "e2e-admin-token-0123456789"
# DRIFTGATE_SECRET_KEY of every server these tests start: base64 of 32 bytes (README "Secrets at rest").
SECRET_KEY = "ZTJlLXNlY3JldC1rZXktMDEyMzQ1Njc4OWFiY2RlZmc="
# How much slower than a release build the server under test runs: `make sanitize` sets it (ASan + UBSan
# cost several times the CPU), and the wall-time and CPU bounds of the hostile-traffic tests scale by it.
# Each bound stays far below what the failure it guards against took (seconds to minutes).
SLOWDOWN = float(os.environ.get("DRIFTGATE_E2E_SLOWDOWN", "1"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(cond, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class FreshDatabase:
    def __init__(self):
        template = os.environ["DRIFTGATE_TEST_DB_URL"]
        self.admin = os.environ["DRIFTGATE_TEST_DB_ADMIN_URL"]
        self.name = f"dge2e_{os.getpid()}_{random.randrange(10**6)}"
        self.url = template.rsplit("/", 1)[0] + "/" + self.name
        for attempt in range(50):
            r = subprocess.run(["psql", self.admin, "-qAt", "-c",
                                f'CREATE DATABASE "{self.name}" TEMPLATE "{template.rsplit("/", 1)[1]}"'],
                               capture_output=True, text=True)
            if r.returncode == 0:
                break
            time.sleep(0.1 + 0.02 * attempt)  # another test is cloning the template
        else:
            raise RuntimeError(r.stderr)

    def scalar(self, sql):
        return subprocess.run(["psql", self.url, "-qAt", "-c", sql], capture_output=True, text=True,
                              check=True).stdout.strip()

    def drop(self):
        subprocess.run(["psql", self.admin, "-qAt", "-c", f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'],
                       capture_output=True)


class Receiver:
    """Records webhook deliveries; answers `status` (settable)."""

    def __init__(self):
        self.requests = []
        self.status = 200
        self.cond = threading.Condition()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with outer.cond:
                    outer.requests.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                           "body": body})
                    outer.cond.notify_all()
                    status = outer.status
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/hooks/retrain"):
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_for(self, count, timeout):
        with self.cond:
            return self.cond.wait_for(lambda: len(self.requests) >= count, timeout)

    def close(self):
        self.server.shutdown()


class Server:
    def __init__(self, binary, db_url, extra_env=None, port=None):
        self.port = port or free_port()
        env = dict(os.environ, DRIFTGATE_DB_URL=db_url, DRIFTGATE_ADMIN_TOKEN=ADMIN_TOKEN,
                   DRIFTGATE_WEBHOOK_BACKOFF_BASE_SECONDS="0.05", DRIFTGATE_WEBHOOK_BACKOFF_MAX_SECONDS="0.5",
                   DRIFTGATE_DISPATCH_POLL_MS="50", DRIFTGATE_HTTP_THREADS="4",
                   DRIFTGATE_SHUTDOWN_DELAY_MS="200", DRIFTGATE_SECRET_KEY=SECRET_KEY,
                   # the receivers listen on 127.0.0.1, which the default webhook policy refuses
                   DRIFTGATE_WEBHOOK_ALLOW="127.0.0.1")
        env.update(extra_env or {})
        self.proc = subprocess.Popen([binary, "serve", "--port", str(self.port), "--bind", "127.0.0.1"], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        wait_until(lambda: self.ready(), 20, f"server on {self.port} ready")

    def ready(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"server exited: {self.proc.stdout.read().decode()}")
        try:
            return self.call("GET", "/readyz", auth=False)[0] == 200
        except OSError:
            return False

    def call(self, method, path, body=None, auth=True):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if auth:
            req.add_header("Authorization", f"Bearer {ADMIN_TOKEN}")
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                raw = r.read()
                return r.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as e:
            raw = e.read()
            return e.code, (json.loads(raw) if raw else None)

    def stop(self, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise AssertionError("server did not stop within %ss of SIGTERM" % timeout)
        return self.proc.returncode


def verify_signature(secret, msg_id, timestamp, body, header):
    key = base64.b64decode(secret[len("whsec_"):]) if secret.startswith("whsec_") else secret.encode()
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    expected = "v1," + base64.b64encode(mac).decode()
    return any(hmac.compare_digest(expected, s) for s in header.split(" "))


def binary_stream(seed, start, n, accuracy, prefix="e"):
    rng = random.Random(seed)
    preds, labels = [], []
    for i in range(start, start + n):
        ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1793491200 + i))
        p = rng.randrange(2)
        y = p if rng.random() < accuracy else 1 - p
        preds.append({"id": f"{prefix}{i}", "ts": ts, "features": {"x": rng.gauss(0, 1)}, "prediction": p,
                      "score": rng.random()})
        labels.append({"id": f"{prefix}{i}", "ts": ts, "label": y})
    return {"records": preds}, {"records": labels}
