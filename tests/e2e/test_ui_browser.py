"""The /ui ops page in headless Chromium against the real binary.

A fresh database and `driftgate serve` (assets from the default `ui/` folder next to the binary, which
`make build` fills), a local webhook receiver, and a scripted scenario:

  ui-fraud   accuracy 0.93 → 0.68 with `amount` and `channel` shifted: detector alarms, a data-drift
             check naming `amount`, a confirmed breach → `retrain` decision → signed webhook; the
             pipeline reports running → succeeded and the new generation runs at 0.93 again (ok)
  ui-churn   degrades, its retrain fails, more breaches inside the cooldown → suppressed
  ui-search  degrades, retrain requested and never reported → retraining
  ui-ranker  below its threshold on fewer labels than min_samples: an unconfirmed breach → warn
  ui-stable  healthy → ok

Then the static routes are checked over HTTP (types, cache headers, no token, traversal refused), and
tests/e2e/ui_browser.mjs (playwright-core from ui/node_modules driving Debian's /usr/bin/chromium,
traffic to 127.0.0.1 only) enters a read token, opens ui-fraud and checks the chart, band, threshold,
markers, spans, the decisions table, the top drifted feature and the sustainability ledger of ui-fraud
and of the fleet, saving <build>/ui-screenshot.png.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

from e2e_support import FreshDatabase, Receiver, Server, verify_signature, wait_until

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
BASE = 1795392000  # 2026-11-23T00:00:00Z, data time of the first record
STEP = 10          # seconds of data time between records
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CHROMIUM = os.environ.get("DRIFTGATE_CHROMIUM", "/usr/bin/chromium")


def ts(i):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(BASE + i * STEP))


def records(rng, prefix, start, n, accuracy, shifted=False):
    preds, labels = [], []
    for i in range(start, start + n):
        p = rng.randrange(2)
        y = p if rng.random() < accuracy else 1 - p
        features = {
            "amount": round(rng.gauss(80 if shifted else 50, 10), 3),
            "age": round(rng.gauss(40, 12), 1),
            "channel": rng.choices(["web", "app", "pos"], [0.1, 0.2, 0.7] if shifted else [0.5, 0.3, 0.2])[0],
        }
        preds.append({"id": f"{prefix}{i}", "ts": ts(i), "features": features, "prediction": p,
                      "score": round(rng.random(), 4)})
        labels.append({"id": f"{prefix}{i}", "ts": ts(i), "label": y})
    return preds, labels


def feed(server, model, rng, start, n, accuracy, shifted=False, batch=100):
    for k in range(start, start + n, batch):
        preds, labels = records(rng, "r", k, min(batch, start + n - k), accuracy, shifted)
        status, body = server.call("POST", f"/v1/models/{model}/predictions", {"records": preds})
        assert status == 200, body
        status, body = server.call("POST", f"/v1/models/{model}/labels", {"records": labels})
        assert status == 200, body


def create(server, name, receiver, **extra):
    doc = {"name": name, "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 0.85}],
           "evaluation": {"window": 500, "min_samples": 200}, "detectors": [{"type": "adwin"}, {"type": "ddm"}],
           "policy": {"cooldown_seconds": 3600, "max_retrains_per_day": 3},
           "webhook": {"url": receiver.url(f"/hooks/{name}"), "secret": SECRET}}
    doc.update(extra)
    status, body = server.call("POST", "/v1/models", doc)
    assert status == 201, body


def retrain_of(server, model):
    status, body = server.call("GET", f"/v1/models/{model}/decisions?limit=1000")
    assert status == 200, body
    runs = [d for d in body["decisions"] if d["action"] == "retrain"]
    assert len(runs) == 1, json.dumps(body["decisions"], indent=1)
    return runs[0]


def report(server, model, retrain_id, status, version=None):
    code, body = server.call("POST", f"/v1/models/{model}/retrains/{retrain_id}/status",
                             {"status": status, "model_version": version})
    assert code == 200, body


def scenario(server, receiver):
    rng = random.Random(7)
    # The main model: reference = its first 500 predictions, a data check after every 500 more.
    # Costed for the sustainability ledger: a retrain every 0.01 days (864 s) would be the baseline.
    create(server, "ui-fraud", receiver, reference={"size": 500}, drift={"window": 500, "every": 500, "share": 0.3},
           retrain_cost={"energy_kwh": 40, "carbon_intensity_g_per_kwh": 400}, baseline_schedule_days=0.01)
    feed(server, "ui-fraud", rng, 0, 2000, 0.93)
    feed(server, "ui-fraud", rng, 2000, 1500, 0.68, shifted=True)
    fraud = retrain_of(server, "ui-fraud")
    assert "confirmed breach" in fraud["reason"], fraud
    assert receiver.wait_for(1, 20), "no retrain webhook arrived"
    hook = next(r for r in receiver.requests if r["path"] == "/hooks/ui-fraud")
    assert json.loads(hook["body"])["retrain_id"] == fraud["retrain_id"]
    assert verify_signature(SECRET, hook["headers"]["webhook-id"], hook["headers"]["webhook-timestamp"], hook["body"],
                            hook["headers"]["webhook-signature"]), "bad webhook signature"
    # The data-drift worker is asynchronous: wait for the check that saw the shift.
    def drifted_check():
        status, body = server.call("GET", "/v1/models/ui-fraud/drift?limit=1000")
        checks = [e for e in body["drift"] if e["kind"] == "data"]
        return checks and checks[-1]["dataset"]["drift"] and checks[-1]["features"][0]["feature"] == "amount"
    wait_until(drifted_check, 30, "a data-drift check naming amount")
    # The same checks stored the label-free estimate (CBPE) the chart draws beside the realized KPI.
    status, body = server.call("GET", "/v1/models/ui-fraud/metrics?kind=estimated&limit=1000")
    assert status == 200 and body["metrics"], body
    report(server, "ui-fraud", fraud["retrain_id"], "running")
    report(server, "ui-fraud", fraud["retrain_id"], "succeeded", "ui-fraud-2026-11-23")
    # Generation 2 at 0.93 again; 500 predictions only fill its new reference (no new data check).
    feed(server, "ui-fraud", rng, 3500, 500, 0.93, shifted=True)

    create(server, "ui-churn", receiver, detectors=[{"type": "adwin"}],
           policy={"cooldown_seconds": 86400, "max_retrains_per_day": 3})
    feed(server, "ui-churn", rng, 0, 600, 0.95, batch=300)
    feed(server, "ui-churn", rng, 600, 600, 0.6, batch=300)
    report(server, "ui-churn", retrain_of(server, "ui-churn")["retrain_id"], "failed")
    feed(server, "ui-churn", rng, 1200, 300, 0.6, batch=300)

    create(server, "ui-search", receiver, detectors=[])
    feed(server, "ui-search", rng, 0, 600, 0.95, batch=300)
    feed(server, "ui-search", rng, 600, 600, 0.6, batch=300)
    retrain_of(server, "ui-search")

    # Below the threshold, but too few labels to confirm it.
    create(server, "ui-ranker", receiver, detectors=[], evaluation={"window": 300, "min_samples": 300})
    feed(server, "ui-ranker", rng, 0, 200, 0.7, batch=100)

    create(server, "ui-stable", receiver, detectors=[])
    feed(server, "ui-stable", rng, 0, 900, 0.95, batch=300)


# What the models list must show after the scenario.
EXPECTED_STATES = {"ui-fraud": "ok", "ui-churn": "suppressed", "ui-search": "retraining", "ui-ranker": "warn",
                   "ui-stable": "ok"}


def expected_ledger(server):
    """The ledger the panel must show, checked here against the scenario by hand: ui-fraud's data time runs
    0 … 39,990 s, so the 864 s schedule gives floor(39990 / 864) = 46 baseline retrains; 1 requested, 45
    avoided; × 40 kWh and × 0.4 kg/kWh. The fleet adds ui-churn's and ui-search's requests (uncosted, whose
    7-day baseline is 0 over their hours of data)."""
    status, model = server.call("GET", "/v1/models/ui-fraud/sustainability")
    assert status == 200, model
    assert model["retrains"]["requested"] == 1 and model["retrains"]["baseline"] == 46, model
    assert model["retrains"]["avoided"] == 45, model
    assert model["energy_kwh"] == {"spent": 40.0, "avoided": 1800.0}, model
    assert model["co2e_kg"] == {"spent": 16.0, "avoided": 720.0}, model
    status, fleet = server.call("GET", "/v1/sustainability")
    assert status == 200, fleet
    assert fleet["retrains"]["requested"] == 3 and fleet["retrains"]["avoided"] == 45, fleet
    assert fleet["energy_kwh"] == {"spent": 40.0, "avoided": 1800.0}, fleet
    return {"model": model, "fleet": {k: fleet[k] for k in ("retrains", "energy_kwh", "co2e_kg")}}


def fetch(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def check_static_routes(port):
    status, headers, body = fetch(port, "/ui")
    assert status == 200 and headers["Content-Type"].startswith("text/html"), (status, headers)
    assert headers["Cache-Control"] == "no-cache", headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], headers
    html = body.decode()
    assets = [a.split('"')[0] for a in html.split('/ui/assets/')[1:]]
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets), html
    for a in assets:
        status, headers, _ = fetch(port, f"/ui/assets/{a}")
        want = "text/javascript" if a.endswith(".js") else "text/css"
        assert status == 200 and headers["Content-Type"].startswith(want), (a, status, headers)
        assert "immutable" in headers["Cache-Control"], headers
    status, headers, _ = fetch(port, "/ui/favicon.svg")
    assert status == 200 and headers["Content-Type"] == "image/svg+xml", headers
    for bad in ["/ui/missing.js", "/ui/%2e%2e/README.md", "/ui/..%2fREADME.md", "/ui/.hidden", "/ui/assets/a/b.js",
                "/ui/a%00.js", "/ui/CMakeLists.txt.bak"]:
        status, headers, body = fetch(port, bad)
        assert status == 404 and headers["Content-Type"] == "application/problem+json", (bad, status, body)


def read_token(server):
    status, body = server.call("POST", "/v1/tokens", {"name": "ops-ui", "scopes": ["read"]})
    if status == 404:  # a server without scoped tokens: the admin token holds every scope
        from e2e_support import ADMIN_TOKEN
        return ADMIN_TOKEN
    assert status == 201, body
    return body["token"]


def main(binary):
    build_dir = os.path.dirname(os.path.abspath(binary))
    assert os.path.isfile(os.path.join(build_dir, "ui", "index.html")), "no ui/ next to the binary: make build"
    node = shutil.which("node")
    assert node, "node not found: deploy/local/deps.sh installs it"
    assert os.path.isfile(os.path.join(ROOT, "ui", "node_modules", "playwright-core", "package.json")), \
        "ui/node_modules/playwright-core missing: make build runs ui/build.sh (npm ci)"
    assert os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} missing: deploy/local/deps.sh chromium"
    db, receiver, server = FreshDatabase(), Receiver(), None
    try:
        server = Server(binary, db.url)
        started = time.monotonic()
        scenario(server, receiver)
        print(f"scenario loaded in {time.monotonic() - started:.1f}s")
        check_static_routes(server.port)
        screenshot = os.path.join(build_dir, "ui-screenshot.png")
        if os.path.exists(screenshot):
            os.remove(screenshot)
        args = [node, os.path.join(HERE, "ui_browser.mjs"), "--url", f"http://127.0.0.1:{server.port}/ui",
                "--token", read_token(server), "--model", "ui-fraud", "--screenshot", screenshot,
                "--chromium", CHROMIUM, "--expect-states", json.dumps(EXPECTED_STATES),
                "--expect-ledger", json.dumps(expected_ledger(server))]
        r = subprocess.run(args, timeout=180, capture_output=True, text=True)
        sys.stdout.write(r.stdout)
        sys.stderr.write(r.stderr)
        assert r.returncode == 0, f"browser check failed ({r.returncode})"
        assert os.path.getsize(screenshot) > 10000, "screenshot missing or empty"
        assert server.stop() == 0
        print(f"ok: /ui in Chromium, screenshot {screenshot}")
    finally:
        if server and server.proc.poll() is None:
            server.proc.kill()
        receiver.close()
        db.drop()


if __name__ == "__main__":
    main(sys.argv[1])
