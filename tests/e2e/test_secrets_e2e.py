"""Secrets at rest with the real binary (README "Secrets at rest").

`serve` refuses to start without DRIFTGATE_SECRET_KEY. Rows left in plaintext by an earlier version are
sealed when `serve` starts. `driftgate reseal` re-seals under a new key (and says which key it misses
when the old one is not given); a server holding only the new key then delivers the retrain request
signed with the original secret and the original header value. After each step a `pg_dump` of the whole
database holds no plaintext secret. All traffic stays on 127.0.0.1.
"""
import base64
import hashlib
import json
import os
import subprocess
import sys

from e2e_support import SECRET_KEY, FreshDatabase, Receiver, Server, binary_stream, verify_signature

SECRET = "whsec_ZTJlLXNlYWxlZC1zZWNyZXQtMDEyMzQ1"
HEADER_SECRET = "Bearer e2e-SEALED-header-0123456789"
NEW_KEY = "bmV3LWUyZS1zZWNyZXQta2V5LTAxMjM0NTY3ODlhYmM="  # 32 bytes


def key_id(key):
    # README: the first 12 hex digits of SHA-256("driftgate-secret-key-id:" || key bytes)
    return hashlib.sha256(b"driftgate-secret-key-id:" + base64.b64decode(key)).hexdigest()[:12]


def plaintext_in_dump(db):
    dump = subprocess.run(["pg_dump", "--data-only", db.url], capture_output=True, check=True).stdout
    return [s for s in (SECRET, SECRET[6:], HEADER_SECRET, "e2e-SEALED") if s.encode() in dump]


def run(binary, args, env):
    return subprocess.run([binary] + args, env=dict(os.environ, **env), capture_output=True, text=True, timeout=60)


def main(binary):
    db, receiver = FreshDatabase(), Receiver()
    server = None
    try:
        # 1. No key, no server.
        env = {k: v for k, v in os.environ.items() if k != "DRIFTGATE_SECRET_KEY"}
        env.update(DRIFTGATE_DB_URL=db.url, DRIFTGATE_ADMIN_TOKEN="e2e-admin-token-0123456789")
        r = subprocess.run([binary, "serve", "--port", "0", "--bind", "127.0.0.1"], env=env, capture_output=True,
                           text=True, timeout=20)
        assert r.returncode == 2 and "DRIFTGATE_SECRET_KEY" in r.stderr, (r.returncode, r.stderr)

        # 2. Plaintext rows of an earlier version are sealed when serve starts.
        server = Server(binary, db.url)
        model = {"name": "e2e-sealed", "task": "binary_classification",
                 "kpis": [{"metric": "accuracy", "min": 0.85}],
                 "evaluation": {"window": 1000, "min_samples": 300, "confidence": 0.95},
                 "webhook": {"url": receiver.url(), "secret": SECRET,
                             "headers": {"Authorization": {"secret": HEADER_SECRET}}}}
        status, body = server.call("POST", "/v1/models", model)
        assert status == 201, body
        assert server.stop() == 0
        db.scalar(f"UPDATE models SET webhook_secret = '{SECRET}', secrets_key_id = NULL, "
                  f"webhook_header_secrets = '{json.dumps({'Authorization': HEADER_SECRET})}'")
        assert plaintext_in_dump(db), "the dump check must see plaintext where there is some"
        server = Server(binary, db.url)
        assert db.scalar("SELECT secrets_key_id FROM models") == key_id(SECRET_KEY)
        assert plaintext_in_dump(db) == [], plaintext_in_dump(db)
        assert server.stop() == 0

        # 3. Rotation: without the old key reseal names it; with it, everything moves to the new key.
        r = run(binary, ["reseal"], {"DRIFTGATE_DB_URL": db.url, "DRIFTGATE_SECRET_KEY": NEW_KEY})
        assert r.returncode == 1 and key_id(SECRET_KEY) in r.stderr and SECRET not in r.stderr, r.stderr
        r = run(binary, ["reseal"], {"DRIFTGATE_DB_URL": db.url, "DRIFTGATE_SECRET_KEY": NEW_KEY,
                                     "DRIFTGATE_SECRET_KEY_PREVIOUS": SECRET_KEY})
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout) == {"key_id": key_id(NEW_KEY), "models": 1, "outbox": 0}, r.stdout
        assert plaintext_in_dump(db) == []

        # 4. A server with only the new key signs with the original secret.
        server = Server(binary, db.url, extra_env={"DRIFTGATE_SECRET_KEY": NEW_KEY})
        for k in range(4):
            preds, labels = binary_stream(k, k * 500, 500, 0.65)
            assert server.call("POST", "/v1/models/e2e-sealed/predictions", preds)[0] == 200
            assert server.call("POST", "/v1/models/e2e-sealed/labels", labels)[0] == 200
        assert receiver.wait_for(1, 20), "no webhook arrived"
        req = receiver.requests[0]
        h = req["headers"]
        assert verify_signature(SECRET, h["webhook-id"], h["webhook-timestamp"], req["body"],
                                h["webhook-signature"]), "bad signature"
        assert h["authorization"] == HEADER_SECRET, h
        assert db.scalar("SELECT secrets_key_id FROM outbox") == key_id(NEW_KEY)
        assert plaintext_in_dump(db) == [], plaintext_in_dump(db)
        assert server.stop() == 0
        print("ok: no key refused, legacy rows sealed at start, rotation by reseal, deliveries signed as before")
    finally:
        if server is not None and server.proc.poll() is None:
            server.proc.kill()
        receiver.close()
        db.drop()


if __name__ == "__main__":
    main(sys.argv[1])
