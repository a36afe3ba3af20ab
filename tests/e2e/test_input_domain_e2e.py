"""The real binary honours what its configuration and openapi.yaml promise about careless input:

1. DRIFTGATE_MAX_FUTURE_SKEW_SECONDS bounds how far after the server clock a record's `ts` may lie: at 60 a
   prediction or label 10 minutes ahead gets 400 naming `records[0].ts` (the server stays up, nothing is
   stored), one 30 seconds ahead is stored; by default (7 days) 10 minutes ahead is stored. A value
   outside its range stops `serve` at start, naming the variable.
2. A model created without `webhook.secret` gets a generated `whsec_` secret (24 random bytes, base64),
   shown in the 201 answer and never again, and its retrain webhook is signed with that secret.
"""
import base64
import datetime
import os
import re
import subprocess
import sys

from e2e_support import ADMIN_TOKEN, SECRET_KEY, FreshDatabase, Receiver, Server, binary_stream, verify_signature


def ahead(seconds):
    """An RFC 3339 UTC time `seconds` after now."""
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def stored(db):
    return db.scalar("SELECT (SELECT count(*) FROM predictions) || '/' || (SELECT count(*) FROM labels)")


def model(name, hook_url=None):
    doc = {"name": name, "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 0.85}],
           "evaluation": {"window": 400, "min_samples": 200}, "detectors": [],
           "webhook": {"url": hook_url or "http://127.0.0.1:9/hooks/retrain"}}
    return doc


def expect_ts_refused(server, path, record):
    status, body = server.call("POST", path, {"records": [record]})
    assert status == 400, (status, body)
    assert body.get("field") == "records[0].ts", body
    assert "DRIFTGATE_MAX_FUTURE_SKEW_SECONDS" in body.get("detail", ""), body
    assert server.call("GET", "/healthz", auth=False)[0] == 200


def check_future_skew(binary, db):
    server = Server(binary, db.url, extra_env={"DRIFTGATE_MAX_FUTURE_SKEW_SECONDS": "60"})
    try:
        assert server.call("POST", "/v1/models", model("skew"))[0] == 201
        before = stored(db)
        expect_ts_refused(server, "/v1/models/skew/predictions", {"id": "p-far", "ts": ahead(600), "prediction": 1})
        expect_ts_refused(server, "/v1/models/skew/labels", {"id": "p-far", "ts": ahead(600), "label": 1})
        assert stored(db) == before, (stored(db), before)
        status, body = server.call("POST", "/v1/models/skew/predictions",
                                   {"records": [{"id": "p-near", "ts": ahead(30), "prediction": 1}]})
        assert status == 200 and body["accepted"] == 1, body
        assert server.stop() == 0
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
    server = Server(binary, db.url)  # the default skew, 7 days
    try:
        status, body = server.call("POST", "/v1/models/skew/predictions",
                                   {"records": [{"id": "p-far", "ts": ahead(600), "prediction": 1}]})
        assert status == 200 and body["accepted"] == 1, body
        assert server.stop() == 0
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
    for bad in ("-1", "soon", str(11 * 365 * 86400)):
        env = dict(os.environ, DRIFTGATE_DB_URL=db.url, DRIFTGATE_ADMIN_TOKEN=ADMIN_TOKEN,
                   DRIFTGATE_SECRET_KEY=SECRET_KEY, DRIFTGATE_MAX_FUTURE_SKEW_SECONDS=bad)
        r = subprocess.run([binary, "serve", "--port", "0", "--bind", "127.0.0.1"], env=env, capture_output=True,
                           text=True, timeout=30)
        assert r.returncode != 0 and "DRIFTGATE_MAX_FUTURE_SKEW_SECONDS" in r.stdout + r.stderr, (bad, r)


def check_generated_secret(binary, db, receiver):
    server = Server(binary, db.url)
    try:
        status, created = server.call("POST", "/v1/models", model("unsigned", receiver.url()))
        assert status == 201, created
        secret = created["webhook"].get("secret", "")
        assert re.fullmatch(r"whsec_[A-Za-z0-9+/]{32}", secret), created["webhook"]
        assert len(base64.b64decode(secret[len("whsec_"):])) == 24
        assert created["webhook"]["secret_set"] is True
        status, other = server.call("POST", "/v1/models", model("unsigned-2", receiver.url()))
        assert status == 201 and other["webhook"]["secret"] != secret, other
        # Never shown again: reads, the list, a replace and a patch.
        reads = [server.call("GET", "/v1/models/unsigned"), server.call("GET", "/v1/models"),
                 server.call("PATCH", "/v1/models/unsigned", {"policy": {"cooldown_seconds": 60}}),
                 server.call("PUT", "/v1/models/unsigned", {k: v for k, v in model("unsigned", receiver.url()).items()
                                                            if k != "name"})]
        for status, body in reads:
            assert status == 200, body
            assert secret not in repr(body) and "'secret':" not in repr(body), body
        assert reads[0][1]["webhook"]["secret_set"] is True, reads[0][1]
        # The generated secret signs the retrain request.
        preds, labels = binary_stream(3, 0, 400, 0.5)
        assert server.call("POST", "/v1/models/unsigned/predictions", preds)[0] == 200
        assert server.call("POST", "/v1/models/unsigned/labels", labels)[0] == 200
        assert receiver.wait_for(1, 30), "no retrain webhook arrived"
        req = receiver.requests[0]
        h = req["headers"]
        assert verify_signature(secret, h["webhook-id"], h["webhook-timestamp"], req["body"],
                                h["webhook-signature"]), h
        assert server.stop() == 0
    finally:
        if server.proc.poll() is None:
            server.proc.kill()


def main(binary):
    db, receiver = FreshDatabase(), Receiver()
    try:
        check_future_skew(binary, db)
        check_generated_secret(binary, db, receiver)
        print("ok: the future-skew bound is configured by DRIFTGATE_MAX_FUTURE_SKEW_SECONDS; a generated "
              "whsec_ secret is shown once and signs deliveries")
    finally:
        receiver.close()
        db.drop()


if __name__ == "__main__":
    main(sys.argv[1])
