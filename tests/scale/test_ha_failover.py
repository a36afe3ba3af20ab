"""Failover test on a real Patroni pair (deploy/ha/cluster.sh, synchronous_mode): two clients stream
prediction and label batches through one `driftgate serve` while the primary's postmaster is SIGKILLed
twice, the second time while a label batch is being evaluated. A client resends a batch that got a 503
(as the API asks: predictions and labels are idempotent by id) and fails on anything else.

Passes when: every batch that got a 200 is stored exactly once (counted rows, distinct ids), every label
batch is evaluated exactly once (one metrics row per label batch), the breach gives exactly one retrain,
one outbox row and one webhook request, the server never restarts and answers /readyz 200 at the end.
Prints the outage clients saw per failover and the data lost (0, or the test fails).

  python3 test_ha_failover.py BINARY DB_URL CLUSTER_SCRIPT
"""
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from e2e_support import ADMIN_TOKEN, Receiver, Server, binary_stream, wait_until  # noqa: E402

BATCH = 200
MODEL = "ha"
# The label transaction pauses this long inside the model's evaluation lock (service/ingest/test_hooks.h), so a
# kill timed after a label request went out lands inside its evaluation.
LABEL_TX_DELAY_MS = 1000


def post(port, path, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST")
    req.add_header("Content-Type", "application/json")
    req.add_header("Authorization", f"Bearer {ADMIN_TOKEN}")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), json.loads(e.read() or b"null")


class Client(threading.Thread):
    """Streams batch pairs (predictions, then their labels) until told to stop; degrades on request."""

    def __init__(self, name, port, shared):
        super().__init__(daemon=True)
        self.name, self.port, self.shared = name, port, shared
        self.log = []  # (kind, started, ended, status)
        self.acked = {"predictions": 0, "labels": 0}
        self.bad = []

    def send(self, kind, body):
        while True:
            started = time.monotonic()
            status, headers, answer = post(self.port, f"/v1/models/{MODEL}/{kind}", body)
            ended = time.monotonic()
            self.log.append((kind, started, ended, status))
            if status == 200:
                self.acked[kind] += 1
                return
            if status != 503 or headers.get("Retry-After") is None:
                self.bad.append((kind, status, headers.get("Retry-After"), answer))
                return
            time.sleep(0.05)

    def run(self):
        k = 0
        while not self.shared["stop"].is_set() and not self.bad:
            accuracy = 0.6 if self.shared["degrade"].is_set() else 0.97
            preds, labels = binary_stream(hash((self.name, k)) & 0xFFFF, k * BATCH, BATCH, accuracy, prefix=self.name)
            self.send("predictions", preds)
            self.send("labels", labels)
            k += 1


def drain(server, sink):
    """Reads the server's output as it comes (e2e_support.Server pipes it; a full pipe would block the server's
    logging, and every failed reconnect logs a line), keeping it for the failure report."""
    def run():
        for line in server.proc.stdout:
            sink.append(line.decode(errors="replace"))
    threading.Thread(target=run, daemon=True).start()


def psql(url, sql):
    return subprocess.run(["psql", url, "-qAt", "-c", sql], check=True, capture_output=True, text=True).stdout.strip()


def outage_after(clients, t_kill):
    """Seconds from the kill until every client had a 200 for a request sent after it, and the 503s seen."""
    worst, count = 0.0, 0
    for c in clients:
        after = [e for e in c.log if e[1] >= t_kill]
        count += sum(1 for e in after if e[3] == 503)
        first_ok = next((e[2] for e in after if e[3] == 200), None)
        assert first_ok is not None, f"client {c.name} never recovered"
        worst = max(worst, first_ok - t_kill)
    return worst, count


def evaluation_running(port):
    """A label transaction holds the model's evaluation lock (db/sql/locks.h kLockModel: advisory (1, model_id),
    exclusive; prediction batches take it shared) until it commits, pausing LABEL_TX_DELAY_MS before."""
    return psql(f"postgresql://postgres@127.0.0.1:{port}/driftgate",
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 1 "
                "AND mode = 'ExclusiveLock' AND granted") != "0"


def kill_primary(cluster):
    t = time.monotonic()
    out = subprocess.run([cluster, "kill-primary"], check=True, capture_output=True, text=True).stdout.strip()
    print(out, flush=True)
    return t


def main(binary, url, cluster):
    receiver = Receiver()
    server, output = None, []
    try:
        server = Server(binary, url, extra_env={"DRIFTGATE_TEST_LABEL_TX_DELAY_MS": str(LABEL_TX_DELAY_MS)})
        drain(server, output)
        model = {"name": MODEL, "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 0.85}],
                 "webhook": {"url": receiver.url()}}
        status, body = server.call("POST", "/v1/models", model)
        assert status == 201, body
        shared = {"stop": threading.Event(), "degrade": threading.Event()}
        clients = [Client(n, server.port, shared) for n in ("a", "b")]
        for c in clients:
            c.start()
        labels_acked = lambda: sum(c.acked["labels"] for c in clients)  # noqa: E731

        wait_until(lambda: labels_acked() >= 6, 120, "6 label batches before the first failover")
        t1 = kill_primary(cluster)
        wait_until(lambda: labels_acked() >= 12, 120, "ingest resumes after the first failover")
        subprocess.run([cluster, "wait-sync"], check=True)
        shared["degrade"].set()  # the breach builds up around the second failover
        primary = subprocess.run([cluster, "primary"], check=True, capture_output=True, text=True).stdout.strip()
        wait_until(lambda: evaluation_running(primary), 60, "a label batch inside its evaluation")
        t2 = kill_primary(cluster)
        n = labels_acked()
        wait_until(lambda: labels_acked() >= n + 12, 180, "ingest resumes after the second failover")
        shared["stop"].set()
        for c in clients:
            c.join(120)
        bad = [b for c in clients for b in c.bad]
        assert not bad, f"answers other than 200 or 503 with Retry-After: {bad}"
        assert server.proc.poll() is None, "the server died"
        assert server.call("GET", "/readyz", auth=False)[0] == 200

        preds_acked = sum(c.acked["predictions"] for c in clients)
        labels_total = labels_acked()
        stored = psql(url, "SELECT count(*) || ' ' || count(DISTINCT record_id) FROM predictions").split()
        assert stored == [str(preds_acked * BATCH)] * 2, (stored, preds_acked)
        labels = psql(url, "SELECT count(*) || ' ' || count(DISTINCT record_id) FROM labels").split()
        assert labels == [str(labels_total * BATCH)] * 2, (labels, labels_total)
        evaluations = int(psql(url, "SELECT count(*) FROM metrics"))
        assert evaluations == labels_total, f"{evaluations} evaluations for {labels_total} label batches"
        wait_until(lambda: psql(url, "SELECT count(*) FROM outbox WHERE status = 'delivered'") == "1", 60,
                   "the retrain delivered")
        assert psql(url, "SELECT count(*) FROM retrains") == "1"
        assert psql(url, "SELECT count(*) FROM outbox") == "1"
        assert not receiver.wait_for(2, 1.0), f"{len(receiver.requests)} webhook requests for one retrain"
        assert len(receiver.requests) == 1
        o1, n1 = outage_after(clients, t1)
        o2, n2 = outage_after(clients, t2)
        kinds2 = sorted({e[0] for c in clients for e in c.log if e[1] <= t2 <= e[2] and e[3] == 503})
        assert "labels" in kinds2, "the second failover did not interrupt a label evaluation"
        print(f"ok: {preds_acked} prediction and {labels_total} label batches of {BATCH} acknowledged, all stored "
              f"once, {evaluations} evaluations, 1 retrain webhook; failover 1: clients saw {o1:.1f} s of outage "
              f"({n1} answers 503); failover 2 (interrupting {kinds2} in flight): {o2:.1f} s ({n2} "
              f"answers 503); data lost: 0")
        assert server.stop() == 0
    except BaseException:
        sys.stderr.write("server output (last 40 lines):\n" + "".join(output[-40:]))
        raise
    finally:
        if server and server.proc.poll() is None:
            server.proc.kill()
        receiver.close()


if __name__ == "__main__":
    main(*sys.argv[1:4])
