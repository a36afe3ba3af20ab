"""Crash test: a client streams batches while the server is killed with SIGKILL and restarted several
times, retrying any batch that did not get a 200. Afterwards the stored counts equal what was sent and
nothing is stored twice; every label was evaluated exactly once."""
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from e2e_support import ADMIN_TOKEN, FreshDatabase, Server, binary_stream, wait_until

BATCHES, SIZE, KILLS = 60, 200, 6


def post(port, path, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST")
    req.add_header("Content-Type", "application/json")
    req.add_header("Authorization", f"Bearer {ADMIN_TOKEN}")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, None
    except (OSError, ConnectionError):
        return 0, None


def main(binary):
    db = FreshDatabase()
    server = None
    try:
        server = Server(binary, db.url)
        port = server.port
        # A window that holds every pair: its size after the stream says each label was evaluated once.
        model = {"name": "crash", "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 0.5}],
                 "evaluation": {"window": 100000}, "webhook": {"url": "http://127.0.0.1:9/h"}}
        assert server.call("POST", "/v1/models", model)[0] == 201
        done = threading.Event()
        sent = {"predictions": 0, "labels": 0, "retries": 0}

        def client():
            for k in range(BATCHES):
                preds, labels = binary_stream(k, k * SIZE, SIZE, 0.9)
                for path, body in (("/v1/models/crash/predictions", preds), ("/v1/models/crash/labels", labels)):
                    while True:
                        status, answer = post(port, path, body)
                        if status == 200:
                            break
                        sent["retries"] += 1
                        time.sleep(0.05)  # the server is restarting: back off briefly, then resend the same batch
                sent["predictions"] += SIZE
                sent["labels"] += SIZE
            done.set()

        t = threading.Thread(target=client)
        t.start()
        for kill in range(KILLS):
            target = (kill + 1) * BATCHES * SIZE // (KILLS + 2)
            wait_until(lambda: done.is_set() or sent["labels"] >= target, 120, f"{target} labels sent")
            server.proc.send_signal(signal.SIGKILL)
            server.proc.wait()
            server = Server(binary, db.url, port=port)
        t.join(300)
        assert done.is_set(), "client did not finish"
        total = BATCHES * SIZE
        assert int(db.scalar("SELECT count(*) FROM predictions")) == total
        assert int(db.scalar("SELECT count(*) FROM labels")) == total
        assert int(db.scalar("SELECT count(*) FROM labels WHERE NOT matched")) == 0
        assert int(db.scalar("SELECT count(*) FROM eval_queue")) == 0
        status, metrics = server.call("GET", "/v1/models/crash/metrics?limit=1000")
        assert metrics["metrics"][-1]["n"] == total, metrics["metrics"][-1]
        print(f"ok: {total} records each way through {KILLS} SIGKILLs, {sent['retries']} retried requests")
    finally:
        if server and server.proc.poll() is None:
            server.proc.kill()
        db.drop()


if __name__ == "__main__":
    main(sys.argv[1])
