"""`promtool check metrics` (Debian `prometheus`, Prometheus' own linter) accepts driftgate's /metrics.

The scrape is taken after traffic that fills every family: a model, predictions, labels that confirm a
breach (a decision, a retrain, a webhook delivery), errors (404, 400) — so labelled series, histograms
and the ledger gauges are all present, not only the empty families of a fresh process.
"""
import shutil
import subprocess
import sys
import urllib.request

from e2e_support import FreshDatabase, Receiver, Server, binary_stream, wait_until

PROMTOOL = shutil.which("promtool")


def scrape(server):
    with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=30) as r:
        assert r.status == 200
        return r.read()


def main(binary):
    if PROMTOOL is None:
        raise SystemExit("promtool not installed: make test installs Debian's prometheus (deploy/local/deps.sh)")
    db, receiver = FreshDatabase(), Receiver()
    server = Server(binary, db.url)
    try:
        model = {"name": "lint", "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 0.85}],
                 "evaluation": {"window": 400, "min_samples": 200}, "webhook": {"url": receiver.url()}}
        assert server.call("POST", "/v1/models", model)[0] == 201
        for k in range(3):
            preds, labels = binary_stream(k, 300 * k, 300, 0.55)
            assert server.call("POST", "/v1/models/lint/predictions", preds)[0] == 200
            assert server.call("POST", "/v1/models/lint/labels", labels)[0] == 200
        assert receiver.wait_for(1, 20), "no retrain webhook"
        assert server.call("GET", "/v1/models/absent")[0] == 404
        assert server.call("POST", "/v1/models/lint/labels", {"records": [{"id": 1}]})[0] == 400
        wait_until(lambda: b"driftgate_" in scrape(server), 10, "metrics")
        text = scrape(server)
        r = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True, timeout=60)
        assert r.returncode == 0, (r.stdout + r.stderr).decode()
        # promtool must have had something to judge: several families, a histogram among them.
        assert text.count(b"# TYPE ") >= 5 and b" histogram" in text, text[:2000]
        print(f"ok: promtool check metrics accepts {text.count(b'# TYPE ')} families, {len(text)} bytes")
    finally:
        if server.proc.poll() is None:
            server.stop()
        receiver.close()
        db.drop()


if __name__ == "__main__":
    main(sys.argv[1])
