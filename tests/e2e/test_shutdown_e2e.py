"""Graceful shutdown on SIGTERM: /readyz goes 503 first while the server still serves; a batch sent in
that window is stored; then new /v1 requests are refused with 503 (or the listener is closed); the
process exits 0, having finished what was in flight."""
import signal
import sys
import time
import urllib.error
import urllib.request

from e2e_support import FreshDatabase, Server, binary_stream, wait_until


def status(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0


def main(binary):
    db = FreshDatabase()
    server = None
    try:
        server = Server(binary, db.url, extra_env={"DRIFTGATE_SHUTDOWN_DELAY_MS": "3000"})
        model = {"name": "bye", "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 0.5}],
                 "webhook": {"url": "http://127.0.0.1:9/h"}}
        assert server.call("POST", "/v1/models", model)[0] == 201
        server.proc.send_signal(signal.SIGTERM)
        wait_until(lambda: status(server.port, "/readyz") == 503, 5, "readiness 503 after SIGTERM")
        assert status(server.port, "/healthz") == 200, "still serving while draining"
        preds, _ = binary_stream(1, 0, 500, 0.9)
        code, body = server.call("POST", "/v1/models/bye/predictions", preds)
        assert code == 200 and body["accepted"] == 500, (code, body)
        wait_until(lambda: status(server.port, "/v1/models") in (503, 0), 10, "new /v1 requests refused")
        rc = server.proc.wait(30)
        assert rc == 0, rc
        assert int(db.scalar("SELECT count(*) FROM predictions")) == 500
        print("ok: readiness 503 first, in-window batch stored, refused after, exit 0")
    finally:
        if server and server.proc.poll() is None:
            server.proc.kill()
        db.drop()


if __name__ == "__main__":
    main(sys.argv[1])
