"""Crash test: a client streams batches while the server is killed with SIGKILL and restarted several
times, retrying any batch that did not get a 200. Every kill lands inside a label transaction: the server
runs with DRIFTGATE_TEST_LABEL_TX_DELAY_MS (service/ingest/test_hooks.h), which holds each label batch's
transaction open after its evaluation, and the test kills only once PostgreSQL shows that transaction idle
while holding the model's evaluation lock. Afterwards the stored counts equal what was sent and nothing is
stored twice; every label was evaluated exactly once; each killed label batch was retried."""
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
LABEL_TX_DELAY_MS = 500  # long enough to observe the open transaction under load, short enough for 60 batches
# A backend of this database idle inside a transaction for over 50 ms while holding an advisory lock: a
# label batch paused before its commit (only the label and evaluation transactions take the model's lock,
# and their statements follow each other within microseconds). One query: psql is slow on a busy machine.
PAUSED_LABEL_TX = """SELECT count(*) FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
  WHERE a.datname = current_database() AND a.state = 'idle in transaction'
    AND now() - a.state_change > interval '50 milliseconds'
    AND l.locktype = 'advisory' AND l.granted"""


def label_transaction_paused(db):
    return int(db.scalar(PAUSED_LABEL_TX)) > 0


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
        hook = {"DRIFTGATE_TEST_LABEL_TX_DELAY_MS": str(LABEL_TX_DELAY_MS)}
        server = Server(binary, db.url, extra_env=hook)
        port = server.port
        # A window that holds every pair: its size after the stream says each label was evaluated once.
        model = {"name": "crash", "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 0.5}],
                 "evaluation": {"window": 100000}, "webhook": {"url": "http://127.0.0.1:9/h"}}
        assert server.call("POST", "/v1/models", model)[0] == 201
        done = threading.Event()
        sent = {"predictions": 0, "labels": 0, "retries": 0, "label_retries": 0}

        def client():
            for k in range(BATCHES):
                preds, labels = binary_stream(k, k * SIZE, SIZE, 0.9)
                for path, body in (("/v1/models/crash/predictions", preds), ("/v1/models/crash/labels", labels)):
                    while True:
                        status, answer = post(port, path, body)
                        if status == 200:
                            break
                        sent["retries"] += 1
                        sent["label_retries"] += path.endswith("/labels")
                        time.sleep(0.05)  # the server is restarting: back off briefly, then resend the same batch
                sent["predictions"] += SIZE
                sent["labels"] += SIZE
            done.set()

        t = threading.Thread(target=client)
        t.start()
        killed_inside = 0
        for kill in range(KILLS):
            target = (kill + 1) * BATCHES * SIZE // (KILLS + 2)
            wait_until(lambda: done.is_set() or sent["labels"] >= target, 120, f"{target} labels sent")
            wait_until(lambda: label_transaction_paused(db) or done.is_set(), 60,
                       "a label transaction paused before commit")
            assert not done.is_set(), f"the client finished before kill {kill + 1} found a paused transaction"
            server.proc.send_signal(signal.SIGKILL)
            server.proc.wait()
            killed_inside += 1
            server = Server(binary, db.url, port=port, extra_env=hook)
        t.join(300)
        assert done.is_set(), "client did not finish"
        assert killed_inside == KILLS
        # Each kill cut a label request off before its 200, so the client resent at least that many.
        assert sent["label_retries"] >= KILLS, sent
        total = BATCHES * SIZE
        assert int(db.scalar("SELECT count(*) FROM predictions")) == total
        assert int(db.scalar("SELECT count(*) FROM labels")) == total
        assert int(db.scalar("SELECT count(*) FROM labels WHERE NOT matched")) == 0
        assert int(db.scalar("SELECT count(*) FROM eval_queue")) == 0
        status, metrics = server.call("GET", "/v1/models/crash/metrics?limit=1000")
        assert metrics["metrics"][-1]["n"] == total, metrics["metrics"][-1]
        print(f"ok: {total} records each way through {KILLS} SIGKILLs inside label transactions, "
              f"{sent['retries']} retried requests ({sent['label_retries']} label batches)")
    finally:
        if server and server.proc.poll() is None:
            server.proc.kill()
        db.drop()


if __name__ == "__main__":
    main(sys.argv[1])
