"""Alert routing with the real binary and a real Alertmanager (README "Alert routing").

Debian's `prometheus-alertmanager` runs on a free 127.0.0.1 port with a temporary config and storage; Slack,
PagerDuty and the retrain pipeline are local receivers that record every request. Checked:
  1. a notify URL the webhook policy refuses is a 400 naming notify[0].url;
  2. a confirmed KPI breach opens exactly one alert (one alerts row, one Alertmanager alert, one PagerDuty
     dedup_key, one Slack "[FIRING]" message) that later evaluations update, never repeat;
  3. the recovery resolves it: gone from Alertmanager's own /api/v2/alerts, a PagerDuty `resolve` with the
     same dedup_key, a Slack "[RESOLVED]"; Slack and PagerDuty bodies have their documented shapes;
  4. the routing key is never returned and never stored in plaintext;
  5. the retrain webhook and the `webhook`-kind alert verify with the npm `standardwebhooks` library;
  6. with Alertmanager down, a breach of a model using the server default (DRIFTGATE_NOTIFY) and a failing
     retrain webhook, then a driftgate restart, then Alertmanager back: the breach alert arrives, the
     delivery_failed alert opened and resolved, nothing lost.
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from e2e_support import FreshDatabase, Receiver, Server, binary_stream, free_port, wait_until

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VERIFY = os.path.join(ROOT, "tools", "webhook-verify", "verify.sh")
ALERTMANAGER = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
SECRET = "whsec_" + base64.b64encode(b"e2e-notify-signing-secret-0123").decode()
ROUTING_KEY = "R0UTING-e2e-notify-key-0123456789abcdef"
BREACH_EVENTS = ["retrain", "suppressed"]


class Alertmanager:
    """The real Alertmanager on 127.0.0.1; resolve_timeout 1 h, so an alert that disappears within the test
    was resolved by driftgate's endsAt, not by Alertmanager's timeout."""

    def __init__(self, port):
        self.port, self.dir, self.proc = port, tempfile.mkdtemp(prefix="dg-am-"), None
        with open(os.path.join(self.dir, "am.yml"), "w") as f:
            f.write('global:\n  resolve_timeout: 1h\nroute:\n  receiver: "null"\nreceivers:\n  - name: "null"\n')

    def start(self):
        self.proc = subprocess.Popen(
            [ALERTMANAGER, f"--config.file={self.dir}/am.yml", f"--storage.path={self.dir}/data",
             f"--web.listen-address=127.0.0.1:{self.port}", "--cluster.listen-address="],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.ready, 30, "Alertmanager ready")

    def ready(self):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/-/ready", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def alerts(self, model):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v2/alerts", timeout=5) as r:
            return [a for a in json.loads(r.read()) if a["labels"].get("model") == model]

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def feed(server, model, seed, start, n, accuracy):
    preds, labels = binary_stream(seed, start, n, accuracy, prefix=model + "-")
    assert server.call("POST", f"/v1/models/{model}/predictions", preds)[0] == 200
    status, body = server.call("POST", f"/v1/models/{model}/labels", labels)
    assert status == 200, body


def model_doc(name, receiver, notify=None):
    doc = {"name": name, "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 0.85}],
           "evaluation": {"window": 400, "min_samples": 200, "confidence": 0.95},
           "policy": {"cooldown_seconds": 0, "max_retrains_per_day": 10},
           "webhook": {"url": receiver.url(), "secret": SECRET}}
    if notify is not None:
        doc["notify"] = notify
    return doc


def bodies(receiver):
    return [json.loads(r["body"]) for r in receiver.requests]


def pending_notifications(db):
    return int(db.scalar("SELECT count(*) FROM outbox WHERE notify_key IS NOT NULL AND status = 'pending'"))


def verify_with_standardwebhooks(requests, secret):
    lines = "".join(json.dumps({"secret": secret, "body_base64": base64.b64encode(r["body"]).decode(),
                                "headers": {k: r["headers"][k] for k in
                                            ("webhook-id", "webhook-timestamp", "webhook-signature")}}) + "\n"
                    for r in requests)
    out = subprocess.run([VERIFY], input=lines, capture_output=True, text=True, timeout=300, check=True).stdout
    return [json.loads(line)["ok"] for line in out.splitlines()]


def check_policy(binary, db, receiver):
    server = Server(binary, db.url, extra_env={"DRIFTGATE_WEBHOOK_ALLOW": ""})
    try:
        status, body = server.call("POST", "/v1/models", model_doc(
            "refused", receiver, [{"kind": "slack", "url": "http://127.0.0.1:9/x", "events": ["retrain"]}]))
        assert status == 400 and "notify[0].url" in body["detail"], (status, body)
    finally:
        assert server.stop() == 0


def check_breach_and_recovery(server, db, am, slack, pagerduty, hooks, retrain_rx):
    notify = [{"kind": "alertmanager", "url": f"http://127.0.0.1:{am.port}", "events": BREACH_EVENTS},
              {"kind": "slack", "url": slack.url("/services/T0/B0/x"), "events": BREACH_EVENTS},
              {"kind": "pagerduty", "url": pagerduty.url(""), "routing_key": ROUTING_KEY, "events": BREACH_EVENTS},
              {"kind": "webhook", "url": hooks.url("/alerts"), "events": BREACH_EVENTS}]
    status, body = server.call("POST", "/v1/models", model_doc("fraud", retrain_rx, [dict(notify[2], routing_key=None)]))
    assert status == 400 and "notify[0].routing_key" in body["detail"], (status, body)
    status, body = server.call("POST", "/v1/models", model_doc(
        "fraud", retrain_rx, [{"kind": "pagerduty", "url": pagerduty.url(""), "events": ["retrain"]}]))
    assert status == 400 and "notify[0].routing_key" in body["detail"], (status, body)
    status, created = server.call("POST", "/v1/models", model_doc("fraud", retrain_rx, notify))
    assert status == 201, created
    assert "routing_key" not in json.dumps(created["notify"][2]).replace("routing_key_set", ""), created["notify"]
    assert created["notify"][2]["routing_key_set"] is True
    assert ROUTING_KEY not in db.scalar("SELECT config::text FROM models"), "routing key stored in plaintext"
    # A replace built from the returned model (no routing key in it) keeps the stored key; a bad event is
    # refused naming the field.
    got = server.call("GET", "/v1/models/fraud")[1]
    doc = {k: v for k, v in got.items() if k not in ("generation", "created_at", "updated_at")}
    doc["webhook"] = {"url": retrain_rx.url(), "secret": SECRET}
    status, replaced = server.call("PUT", "/v1/models/fraud", doc)
    assert status == 200 and replaced["notify"][2] == created["notify"][2], (status, replaced)
    bad = json.loads(json.dumps(doc))
    bad["notify"][1]["events"] = ["retrain", "sometimes"]
    status, body = server.call("PUT", "/v1/models/fraud", bad)
    assert status == 400 and "notify[1].events[1]" in body["detail"], (status, body)

    feed(server, "fraud", 1, 0, 300, 0.97)  # healthy: nothing opens
    assert db.scalar("SELECT count(*) FROM alerts") == "0"
    for k in range(4):  # the breach, confirmed, then suppressed while the retrain runs
        feed(server, "fraud", 2 + k, 1000 + 300 * k, 300, 0.55)
    wait_until(lambda: pending_notifications(db) == 0 and len(slack.requests) >= 1, 30, "firing delivered")
    wait_until(lambda: len(am.alerts("fraud")) == 1, 30, "the alert in Alertmanager")
    assert db.scalar("SELECT count(*) || '/' || count(*) FILTER (WHERE status = 'open') FROM alerts") == "1/1"
    [active] = am.alerts("fraud")
    assert active["status"]["state"] == "active" and active["labels"]["condition"] == "kpi_breach", active
    assert active["generatorURL"].endswith("/ui/#/models/fraud"), active
    slack_msgs = bodies(slack)
    firing = [m for m in slack_msgs if m["text"].startswith("[FIRING]")]
    assert len(firing) == 1, slack_msgs
    delivered = int(db.scalar("SELECT count(*) FROM outbox WHERE format = 'slack' AND status = 'delivered'"))
    assert len(slack_msgs) == delivered, (len(slack_msgs), delivered)
    updates = int(db.scalar("SELECT updates FROM alerts"))
    assert len(slack_msgs) <= 1 + updates <= 3, (len(slack_msgs), updates)  # updated on change only
    assert db.scalar(f"SELECT count(*) FROM outbox WHERE body LIKE '%{ROUTING_KEY}%'") == "0"
    pd = bodies(pagerduty)
    assert {e["dedup_key"] for e in pd} == {pd[0]["dedup_key"]} and pd[0]["event_action"] == "trigger", pd
    assert all(r["path"] == "/v2/enqueue" for r in pagerduty.requests)

    retrains = server.call("GET", "/v1/models/fraud/retrains")[1]["retrains"]
    assert len(retrains) == 1, retrains
    assert retrain_rx.wait_for(1, 20), "no retrain webhook"
    assert server.call("POST", f"/v1/models/fraud/retrains/{retrains[0]['id']}/status",
                       {"status": "succeeded", "model_version": "v2"})[0] == 200
    feed(server, "fraud", 9, 5000, 100, 0.97)  # the next evaluation without a confirmed breach
    wait_until(lambda: am.alerts("fraud") == [], 30, "the alert resolved in Alertmanager")
    wait_until(lambda: pending_notifications(db) == 0, 30, "resolution delivered")
    assert db.scalar("SELECT status FROM alerts") == "resolved"
    before = (len(slack.requests), len(pagerduty.requests), len(hooks.requests))
    feed(server, "fraud", 10, 6000, 100, 0.97)  # still healthy: nothing more
    time.sleep(0.5)  # the dispatcher polls every 50 ms; a stray message would have arrived by now
    assert (len(slack.requests), len(pagerduty.requests), len(hooks.requests)) == before
    return slack_msgs


def check_shapes(slack, pagerduty, hooks, retrain_rx):
    for m in bodies(slack):
        assert isinstance(m["text"], str) and m["text"], m
        assert [b["type"] for b in m["blocks"]] == ["header", "section", "context"], m
        assert m["blocks"][0]["text"]["type"] == "plain_text" and len(m["blocks"][0]["text"]["text"]) <= 150
        assert m["blocks"][1]["text"]["type"] == "mrkdwn"
    assert bodies(slack)[-1]["text"].startswith("[RESOLVED]")
    pd = bodies(pagerduty)
    assert all(e["routing_key"] == ROUTING_KEY for e in pd)
    trigger, resolve = pd[0], pd[-1]
    payload = trigger["payload"]
    assert payload["source"] == "driftgate" and payload["severity"] in ("critical", "error", "warning", "info")
    assert 0 < len(payload["summary"]) <= 1024 and payload["component"] == "fraud", payload
    assert resolve == {"routing_key": ROUTING_KEY, "event_action": "resolve", "dedup_key": trigger["dedup_key"]}
    kinds = [json.loads(r["body"])["type"] for r in hooks.requests]
    assert kinds[0] == "alert.firing" and kinds[-1] == "alert.resolved" and kinds.count("alert.firing") == 1, kinds
    signed = hooks.requests + retrain_rx.requests[:1]
    assert verify_with_standardwebhooks(signed, SECRET) == [True] * len(signed)
    wrong = "whsec_" + base64.b64encode(b"not-the-secret-of-this-model!!").decode()
    assert verify_with_standardwebhooks(signed[:1], wrong) == [False]


def check_restart_while_down(binary, db, am, retrain_rx, env):
    server = Server(binary, db.url, extra_env=env)
    try:
        assert server.call("POST", "/v1/models", model_doc("churn", retrain_rx))[0] == 201  # no own notify
        am.stop()
        retrain_rx.status = 500  # the retrain webhook fails too: delivery_failed opens
        for k in range(3):
            feed(server, "churn", 20 + k, 300 * k, 300, 0.55)
        wait_until(lambda: db.scalar("SELECT count(*) FROM alerts WHERE status = 'open'") == "2", 30,
                   "kpi_breach and delivery_failed open")
        wait_until(lambda: int(db.scalar("SELECT coalesce(min(attempts), 0) FROM outbox WHERE "
                                         "format = 'alertmanager' AND status = 'pending'")) >= 1, 30,
                   "Alertmanager attempts failing")
    finally:
        assert server.stop() == 0
    retrain_rx.status = 200
    server = Server(binary, db.url, extra_env=env)
    try:
        am.start()
        names = lambda: sorted(a["labels"]["alertname"] for a in am.alerts("churn"))  # noqa: E731
        wait_until(lambda: pending_notifications(db) == 0 and names() == ["DriftgateKpiBreach"], 60,
                   "the breach alert in Alertmanager once it is back, the delivery_failed one resolved")
        breach_id = db.scalar("SELECT id FROM alerts WHERE condition = 'kpi_breach' AND status = 'open'")
        assert am.alerts("churn")[0]["annotations"]["alert_id"] == breach_id
        # its message was tried while Alertmanager was down, kept across the restart, then delivered
        assert db.scalar(f"SELECT min(attempts) > 1 FROM outbox WHERE notify_key LIKE '{breach_id}/%' "
                         "AND status = 'delivered'") == "t"
        assert db.scalar("SELECT status FROM alerts WHERE condition = 'delivery_failed'") == "resolved"
        assert db.scalar("SELECT count(*) FROM alerts WHERE model_id = (SELECT id FROM models WHERE "
                         "name = 'churn')") == "2"
    finally:
        assert server.stop() == 0


def main(binary):
    if ALERTMANAGER is None:
        raise SystemExit("prometheus-alertmanager not installed: make test installs it (deploy/local/deps.sh)")
    db = FreshDatabase()
    slack, pagerduty, hooks, retrain_rx = Receiver(), Receiver(), Receiver(), Receiver()
    am = Alertmanager(free_port())
    try:
        check_policy(binary, db, retrain_rx)
        am.start()
        env = {"DRIFTGATE_NOTIFY": json.dumps([{"kind": "alertmanager", "url": f"http://127.0.0.1:{am.port}"}]),
               "DRIFTGATE_PUBLIC_URL": "http://127.0.0.1:8080"}
        server = Server(binary, db.url, extra_env=env)
        try:
            check_breach_and_recovery(server, db, am, slack, pagerduty, hooks, retrain_rx)
        finally:
            assert server.stop() == 0
        check_shapes(slack, pagerduty, hooks, retrain_rx)
        print(f"breach of 'fraud': {len(slack.requests)} Slack, {len(pagerduty.requests)} PagerDuty, "
              f"{len(hooks.requests)} webhook messages for 1 alert with "
              f"{db.scalar('SELECT updates FROM alerts')} update(s), then resolved")
        check_restart_while_down(binary, db, am, retrain_rx, env)
        print("ok: one alert per breach, updated not repeated, resolved on recovery; Alertmanager, Slack, "
              "PagerDuty shapes; standardwebhooks verifies; nothing lost across a restart with Alertmanager down")
    finally:
        am.close()
        for r in (slack, pagerduty, hooks, retrain_rx):
            r.close()
        db.drop()


if __name__ == "__main__":
    main(sys.argv[1])
