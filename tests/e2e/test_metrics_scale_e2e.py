"""GET /metrics at fleet scale, against the real binary: a scrape renders what is in memory and does no
database work, so its cost does not grow with the stored records, and scrapes never hold up API requests.

With DRIFTGATE_E2E_METRICS_MODELS models (default 10,000) and DRIFTGATE_E2E_METRICS_PREDICTIONS stored
predictions (default 1,000,000; the figures in deploy/README.md "Metrics" were measured with 10,000,000):
- without the metrics token /metrics answers 401; with it, 200 with the ledger gauges;
- a scrape takes < 100 ms (the median and the slowest of 20);
- eight concurrent scrapes slow an admin request sent with them by < 100 ms at the median of 30 rounds
  against the same request alone, and none of the 30 takes a second.
The slowest of 30 is a wall time on a shared machine, which can lose scheduler slices now and then, so it
is bounded only by what separates a stall from a busy machine: scrapes that queried the database took over
a minute and held up admin requests for two. The bounds scale by SLOWDOWN under the sanitizers.
Prints the figures.
"""
import concurrent.futures
import http.client
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from e2e_support import ADMIN_TOKEN, SLOWDOWN, FreshDatabase, Server, wait_until  # noqa: E402

METRICS_TOKEN = "e2e-metrics-token-0123456789"
MODELS = int(os.environ.get("DRIFTGATE_E2E_METRICS_MODELS", "10000"))
PREDICTIONS = int(os.environ.get("DRIFTGATE_E2E_METRICS_PREDICTIONS", "1000000"))
LOADED_MODELS = 50  # the predictions are spread over these
BATCH = 10000  # the default DRIFTGATE_MAX_RECORDS
ADMIN_PATH = "/v1/models/m%05d" % (MODELS // 2)


class Client:
    """One keep-alive connection (http.client reconnects by itself if the server closes it)."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method, path, body=None, token=ADMIN_TOKEN):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if body is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 1:
                    raise


def model_body(i):
    # The webhook is never called: no model gets labels.
    return ('{"name": "m%05d", "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 0.8}],'
            ' "webhook": {"url": "http://127.0.0.1:9/never"}}' % i)


def create_models(port):
    def create(chunk):
        c = Client(port)
        for i in chunk:
            status, body = c.call("POST", "/v1/models", model_body(i))
            assert status == 201, (status, body[:300])
    chunks = [range(k, MODELS, 8) for k in range(8)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(create, chunks))


def load_predictions(port):
    per_model = PREDICTIONS // LOADED_MODELS

    def load(m):
        c = Client(port)
        sent = 0
        while sent < per_model:
            n = min(BATCH, per_model - sent)
            recs = ",".join('{"id":"r%d","ts":"2026-06-01T%02d:%02d:%02dZ","features":{"x":%d},"prediction":%d}'
                            % (sent + k, (sent + k) // 3600 % 24, (sent + k) // 60 % 60, (sent + k) % 60,
                               (sent + k) % 97, (sent + k) % 2) for k in range(n))
            status, body = c.call("POST", f"/v1/models/m{m:05d}/predictions", '{"records":[' + recs + "]}")
            assert status == 200, (status, body[:300])
            sent += n
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        list(pool.map(load, range(LOADED_MODELS)))


def timed(fn):
    t0 = time.monotonic()
    out = fn()
    return time.monotonic() - t0, out


def main():
    binary = sys.argv[1]
    db = FreshDatabase()
    server = None
    try:
        server = Server(binary, db.url, extra_env={"DRIFTGATE_METRICS_TOKEN": METRICS_TOKEN,
                                                  "DRIFTGATE_DB_POOL": "12"})
        port = server.port
        # Thousands of requests log more than a pipe holds: drain it, or the server blocks on its log.
        threading.Thread(target=lambda: [None for _ in server.proc.stdout], daemon=True).start()
        t, _ = timed(lambda: create_models(port))
        print(f"created {MODELS} models in {t:.1f} s")
        t, _ = timed(lambda: load_predictions(port))
        print(f"stored {PREDICTIONS} predictions in {t:.1f} s")

        c = Client(port)
        assert c.call("GET", "/metrics", token=None)[0] == 401
        assert c.call("GET", "/metrics", token="wrong-metrics-token-000000")[0] == 401
        # The first background computation of the ledger has published its gauges.
        wait_until(lambda: b'driftgate_ledger_retrains{model="m00000"' in c.call("GET", "/metrics",
                                                                                 token=METRICS_TOKEN)[1],
                   120, "the ledger gauges")

        scrapes = sorted(timed(lambda: c.call("GET", "/metrics", token=METRICS_TOKEN))[0] for _ in range(20))
        size = len(c.call("GET", "/metrics", token=METRICS_TOKEN)[1])
        print(f"scrape ({size} bytes): median {scrapes[10] * 1e3:.1f} ms, slowest {scrapes[-1] * 1e3:.1f} ms")
        # The typical scrape is the ceiling's subject; one slow scrape among twenty is the shared machine's
        # scheduling, bounded far below what a per-scrape ledger cost (64 s).
        assert scrapes[10] < 0.100 * SLOWDOWN and scrapes[-1] < 1.0 * SLOWDOWN, scrapes

        # Eight scrapes at once, and an admin request sent at the same moment, thirty times.
        admin = Client(port)
        quiet = sorted(timed(lambda: admin.call("GET", ADMIN_PATH))[0] for _ in range(30))
        scrapers = [Client(port) for _ in range(8)]
        busy = []
        with concurrent.futures.ThreadPoolExecutor(9) as pool:
            for _ in range(30):
                start = threading.Barrier(9)

                def scrape(sc):
                    start.wait()
                    return sc.call("GET", "/metrics", token=METRICS_TOKEN)[0]

                def request():
                    start.wait()
                    return timed(lambda: admin.call("GET", ADMIN_PATH))
                futures = [pool.submit(scrape, sc) for sc in scrapers]
                t, (status, _) = pool.submit(request).result()
                assert status == 200 and all(f.result() == 200 for f in futures)
                busy.append(t)
        busy.sort()
        print(f"admin request: alone median {quiet[15] * 1e3:.1f} ms, slowest {quiet[-1] * 1e3:.1f} ms; "
              f"with 8 concurrent scrapes median {busy[15] * 1e3:.1f} ms, slowest {busy[-1] * 1e3:.1f} ms")
        assert busy[15] - quiet[15] < 0.100 * SLOWDOWN and busy[-1] < 1.0 * SLOWDOWN, (quiet, busy)
        print("ok: /metrics at scale")
    finally:
        try:
            if server:
                rc = server.stop(timeout=60)
                assert rc == 0, f"server exited with {rc}"
        finally:
            db.drop()


if __name__ == "__main__":
    main()
