"""The Python client against the real `driftgate` binary (argv[1]) on 127.0.0.1.

One server on a fresh database, with a lowered body limit (1 MiB) so that auto-batching is exercised on
both limits by 25,000 records; the example pipeline receiver (clients/python/examples) gets the real
retrain webhook, verifies it and reports the run back. Counts are checked against the database.
"""
import datetime
import http.client
import math
import os
import socket
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..", "..")
sys.path[:0] = [os.path.join(HERE, ".."), os.path.join(HERE, "..", "examples"), os.path.join(ROOT, "tests", "e2e")]

import driftgate  # noqa: E402
from driftgate import BadRequestError, Client, RetryPolicy, webhooks  # noqa: E402
from e2e_support import ADMIN_TOKEN, FreshDatabase, Server, binary_stream, wait_until  # noqa: E402
from pipeline_receiver import PipelineServer  # noqa: E402

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
BODY_LIMIT = 1024 * 1024
N = 25_000
FAST = RetryPolicy(base_delay=0.01, max_delay=0.05)


class DroppingProxy:
    """Forwards HTTP requests to the server; for the next `drop` requests it lets the server answer but
    closes the client's connection instead of relaying that answer (an answer lost on the way back)."""

    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.drop = 0
        self.dropped = 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn):
        with conn:
            reader = conn.makefile("rb")
            request_line = reader.readline().decode().split()
            headers = {}
            while True:
                line = reader.readline().decode()
                if line in ("\r\n", "\n", ""):
                    break
                key, value = line.split(":", 1)
                headers[key.strip()] = value.strip()
            body = reader.read(int(headers.get("Content-Length", 0)))
            upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=60)
            upstream.request(request_line[0], request_line[1], body=body or None, headers=headers)
            resp = upstream.getresponse()
            payload = resp.read()
            upstream.close()
            if self.drop > 0:
                self.drop -= 1
                self.dropped += 1
                return  # the server did the work; the client never hears of it
            head = f"HTTP/1.1 {resp.status} {resp.reason}\r\n"
            for key, value in resp.getheaders():
                if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                    head += f"{key}: {value}\r\n"
            head += f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
            conn.sendall(head.encode() + payload)

    def close(self):
        self.sock.close()


class RecordingPipeline(PipelineServer):
    """The example receiver, also keeping each verified delivery's raw headers and body."""

    def __init__(self, *args):
        super().__init__(*args)
        self.deliveries = []

    def accept(self, headers, body, payload):
        self.deliveries.append((headers, body))
        super().accept(headers, body, payload)


def stream():
    """25,000 predictions and labels: accuracy 0.93, then 0.68 for the last 2,500 (a breach)."""
    preds, labels = [], []
    for k in range(N // 500):
        p, l = binary_stream(k, k * 500, 500, 0.93 if k < 45 else 0.68, prefix="py")
        preds += p["records"]
        labels += l["records"]
    return preds, labels


def check_models(dg, receiver_port):
    model = {"name": "py-client", "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 0.85}],
             "detectors": [{"type": "adwin"}], "policy": {"cooldown_seconds": 86400, "max_retrains_per_day": 1},
             "webhook": {"url": f"http://127.0.0.1:{receiver_port}/hooks/retrain", "secret": SECRET}}
    created = dg.create_model(model)
    assert created["name"] == "py-client" and created["webhook"]["secret"] == SECRET, created
    try:
        dg.create_model(model)
        raise AssertionError("a second create was not refused")
    except driftgate.ConflictError as e:
        assert e.status == 409, e
    try:
        dg.create_model(dict(model, name="py-bad", kpis=[{"metric": "accuracy_score", "min": 0.8}]))
        raise AssertionError("a bad KPI was accepted")
    except BadRequestError as e:
        assert e.status == 400 and e.field == "kpis[0].metric" and e.title and e.detail, vars(e)
    scratch = dg.create_model(dict(model, name="py-scratch"))
    assert dg.get_model("py-scratch")["name"] == scratch["name"]
    replaced = dg.replace_model("py-scratch", dict(model, name="py-scratch", kpis=[{"metric": "f1", "min": 0.5}]))
    assert replaced["kpis"][0]["metric"] == "f1", replaced
    assert [m["name"] for m in dg.list_models()] == ["py-client", "py-scratch"]
    dg.delete_model("py-scratch")
    try:
        dg.get_model("py-scratch")
        raise AssertionError("a deleted model was found")
    except driftgate.NotFoundError as e:
        assert e.status == 404, e
    assert [m["name"] for m in dg.list_models()] == ["py-client"]


def check_rate_limit(binary, db_url, records):
    """A second server with a rate limit: the client waits out each 429's Retry-After and gets through."""
    limited = Server(binary, db_url, extra_env={"DRIFTGATE_RATE_LIMIT_RPS": "2", "DRIFTGATE_RATE_LIMIT_BURST": "1"})
    try:
        dg = Client(f"http://127.0.0.1:{limited.port}", ADMIN_TOKEN, max_records=500, retry=FAST)
        started = time.monotonic()
        result = dg.send_predictions("py-client", records)  # 4 batches against 1 request of burst
        waited = time.monotonic() - started
        assert (result.accepted, result.duplicates, result.batches) == (0, len(records), 4), result
        # FAST alone would have given up after ~0.1 s; Retry-After (whole seconds) is what was honoured.
        assert result.retries >= 1 and waited >= 1.0 * result.retries, (result, waited)
        assert limited.stop() == 0
        return result
    finally:
        if limited.proc.poll() is None:
            limited.proc.kill()


def check_suggest(dg, labels, preds):
    to = labels[-1]["ts"].replace("Z", "+00:00")
    end = (datetime.datetime.fromisoformat(to) + datetime.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    s = dg.suggest("py-client", from_=labels[0]["ts"], to=end)
    n = len(labels)
    assert s["baseline"] == {"source": "period", "from": labels[0]["ts"], "to": end, "pairs": n}, s["baseline"]
    p = sum(a["label"] == b["prediction"] for a, b in zip(labels, preds)) / n
    z = statistics.NormalDist().inv_cdf(0.975)
    center = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    acc = s["kpis"]["accuracy"]
    assert abs(acc["value"] - p) < 1e-12 and abs(acc["lower"] - (center - half)) < 1e-9, (acc, p, center - half)
    assert abs(acc["upper"] - (center + half)) < 1e-9, acc
    assert abs(acc["suggested"]["min"] - (acc["lower"] - 0.02)) < 1e-15 and acc["in_config"] == "suggested", acc
    assert s["config"]["kpis"] == [{"metric": "accuracy", "min": acc["suggested"]["min"]}], s["config"]
    assert dg.backtest("py-client", s["config"]) == s["backtest"] and s["backtest"]["retrains"] >= 1, s["backtest"]
    try:
        dg.suggest("py-client", tolerance={"absolute": 1.5})
        raise AssertionError("a tolerance of 1.5 was accepted")
    except BadRequestError as e:
        assert (e.status, e.field) == (400, "tolerance.absolute"), vars(e)


def main(binary):
    db = FreshDatabase()
    server = pipeline = proxy = None
    started = time.monotonic()
    try:
        server = Server(binary, db.url, extra_env={"DRIFTGATE_WEBHOOK_ALLOW": "127.0.0.1",
                                                   "DRIFTGATE_MAX_BODY_BYTES": str(BODY_LIMIT)})
        base = f"http://127.0.0.1:{server.port}"
        dg = Client(base, ADMIN_TOKEN, max_body_bytes=BODY_LIMIT, retry=FAST)
        pipeline = RecordingPipeline(("127.0.0.1", 0), SECRET, dg, lambda model, rid, payload: "v2-" + rid[:8])
        threading.Thread(target=pipeline.serve_forever, daemon=True).start()
        check_models(dg, pipeline.server_address[1])
        count = lambda table: int(db.scalar(  # noqa: E731
            f"SELECT count(*) FROM {table} t JOIN models m ON m.id = t.model_id WHERE m.name = 'py-client'"))
        preds, labels = stream()

        # A 400 names the field and the record in the caller's input; nothing of that batch is stored.
        bad = [dict(r) for r in preds[:20]]
        bad[3]["score"] = "high"
        try:
            dg.send_predictions("py-client", bad)
            raise AssertionError("a bad score was accepted")
        except BadRequestError as e:
            assert (e.status, e.field, e.record_index) == (400, "records[3].score", 3), vars(e)
            assert e.title and "score" in e.detail, vars(e)
        assert count("predictions") == 0

        # 25,000 records through auto-batching, split by both limits: 10,000 records of ~100 bytes are
        # over 1 MiB, so no batch reaches the record cap; every batch fits the server on the first send.
        result = dg.send_predictions("py-client", preds)
        assert (result.accepted, result.duplicates, result.splits) == (N, 0, 0), result
        assert result.batches == 3 and max(result.batch_sizes) <= BODY_LIMIT, result
        assert count("predictions") == N
        big = Client(base, ADMIN_TOKEN, retry=FAST)  # believes in 8 MiB: the server's 413s halve its batches
        again = big.send_predictions("py-client", preds)
        assert (again.accepted, again.duplicates) == (0, N) and again.splits >= 1, again

        # A batch whose answer is lost is retried and counted as duplicates: stored exactly once.
        proxy = DroppingProxy(server.port)
        flaky = Client(f"http://127.0.0.1:{proxy.port}", ADMIN_TOKEN, retry=FAST)
        extra = [dict(r, id="late" + r["id"]) for r in preds[:300]]
        proxy.drop = 1
        retried = flaky.send_predictions("py-client", extra)
        assert proxy.dropped == 1 and (retried.accepted, retried.duplicates, retried.retries) == (0, 300, 1), retried
        assert count("predictions") == N + 300
        # Creating a model is not idempotent (a re-send would be a 409): a lost answer is not retried.
        proxy.drop = 1
        try:
            flaky.create_model({"name": "py-once", "task": "regression", "kpis": [{"metric": "mae", "max": 1}],
                                "webhook": {"url": "http://127.0.0.1:9/hook"}})
            raise AssertionError("a create whose answer was lost did not raise")
        except driftgate.TransportError:
            pass
        assert proxy.dropped == 2 and db.scalar("SELECT count(*) FROM models WHERE name = 'py-once'") == "1"

        # Labels in batches of 500 (one evaluation each) drive the model to one retrain.
        for k in range(0, N, 500):
            got = dg.send_labels("py-client", labels[k:k + 500])
            assert got.accepted == 500, got
        assert count("labels") == N

        # Pages iterated to the end (small pages so there are many) match the database.
        pages = list(dg.pages("py-client", "metrics", page_size=7))
        assert len(pages) > 5 and not pages[-1].next_cursor, len(pages)
        assert sum(len(p.items) for p in pages) == count("metrics") == N // 500, len(pages)
        for kind in ("decisions", "drift"):
            items = list(getattr(dg, kind)("py-client", page_size=3))
            assert len(items) == count({"decisions": "decisions", "drift": "drift_events"}[kind]), kind
        actions = [d["action"] for d in dg.decisions("py-client", page_size=5)]
        assert actions.count("retrain") == 1, actions

        # Thresholds from the healthy first 20,000 pairs: accuracy and its Wilson interval recomputed here
        # (stdlib NormalDist), the rule applied, and the attached backtest equal to POST .../backtest.
        check_suggest(dg, labels[:20000], preds[:20000])

        # The real delivery: verified by the example receiver, which reports the run back.
        wait_until(lambda: any(r["status"] == "succeeded" for r in dg.retrains("py-client")), 20,
                   "the pipeline to report the retrain succeeded")
        runs = list(dg.retrains("py-client", page_size=1))
        assert len(runs) == 1 == count("retrains") and runs[0]["model_version"].startswith("v2-"), runs
        assert len(pipeline.deliveries) >= 1
        headers, body = pipeline.deliveries[0]
        payload = webhooks.verify(SECRET, headers, body)
        assert payload["retrain_id"] == runs[0]["id"] and payload["type"] == "retrain.requested", payload
        try:
            webhooks.verify("whsec_" + "B" * 32, headers, body)
            raise AssertionError("a wrong secret verified")
        except webhooks.WebhookVerificationError:
            pass
        # The same delivery sent to a receiver holding another secret is refused with 401.
        wrong = RecordingPipeline(("127.0.0.1", 0), "not-the-secret", dg, lambda *a: "never")
        threading.Thread(target=wrong.serve_forever, daemon=True).start()
        req = urllib.request.Request(f"http://127.0.0.1:{wrong.server_address[1]}/hooks/retrain", data=body,
                                     headers={k: v for k, v in headers.items() if k.startswith("webhook-")})
        try:
            urllib.request.urlopen(req, timeout=10)
            raise AssertionError("the wrong receiver accepted the delivery")
        except urllib.error.HTTPError as e:
            assert e.code == 401, e.code
        assert wrong.deliveries == []
        wrong.shutdown()
        wrong.server_close()
        rate_limited = check_rate_limit(binary, db.url, preds[:2000])
        assert server.stop() == 0
        print(f"ok: python client, {N} records, {len(pages)} metric pages, "
              f"{result.batches} batches of {result.batch_sizes} bytes; "
              f"8 MiB client against the 1 MiB server: {again.splits} halvings after 413; "
              f"429: {rate_limited.retries} retries; {time.monotonic() - started:.1f}s")
    finally:
        if server and server.proc.poll() is None:
            server.proc.kill()
        if pipeline:
            pipeline.shutdown()
            pipeline.server_close()
        if proxy:
            proxy.close()
        db.drop()


if __name__ == "__main__":
    main(sys.argv[1])
