"""Any number of `driftgate serve` processes on one database decide each breach once.

Two real server processes share a fresh database; a degrading stream is split across them with label
batches sent concurrently; exactly one signed retrain webhook and one `retrain` decision result. Both
servers then stop gracefully on SIGTERM.
"""
import json
import sys
import threading

from e2e_support import FreshDatabase, Receiver, Server, binary_stream, verify_signature, wait_until

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def main(binary):
    db, receiver = FreshDatabase(), Receiver()
    servers = []
    try:
        servers = [Server(binary, db.url), Server(binary, db.url)]
        a, b = servers
        model = {"name": "e2e-fraud", "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 0.85}],
                 "detectors": [{"type": "adwin"}], "webhook": {"url": receiver.url(), "secret": SECRET}}
        status, body = a.call("POST", "/v1/models", model)
        assert status == 201, body
        batches = []
        for k in range(16):
            accuracy = 0.93 if k < 6 else 0.68
            preds, labels = binary_stream(k, k * 500, 500, accuracy)
            target = servers[k % 2]
            status, body = target.call("POST", "/v1/models/e2e-fraud/predictions", preds)
            assert status == 200 and body["accepted"] == 500, body
            batches.append(labels)
        errors = []

        def send(server, items):
            for labels in items:
                status, body = server.call("POST", "/v1/models/e2e-fraud/labels", labels)
                if status != 200:
                    errors.append((status, body))

        threads = [threading.Thread(target=send, args=(servers[i], batches[i::2])) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors

        status, body = b.call("GET", "/v1/models/e2e-fraud/decisions?limit=1000")
        assert status == 200, body
        retrains = [d for d in body["decisions"] if d["action"] == "retrain"]
        assert len(retrains) == 1, json.dumps(body["decisions"], indent=1)
        assert receiver.wait_for(1, 20), "no webhook arrived"
        assert not receiver.wait_for(2, 1.0), "a second webhook arrived"
        # Counted in the database: one retrain, one outbox row, delivered once on its first attempt.
        wait_until(lambda: db.scalar("SELECT count(*) FROM outbox WHERE status = 'delivered'") == "1", 20,
                   "the delivery recorded")
        assert db.scalar("SELECT count(*) FROM retrains") == "1"
        assert db.scalar("SELECT count(*) FROM outbox") == "1"
        assert db.scalar("SELECT attempts || ' ' || last_status FROM outbox") == "1 200"
        assert len(receiver.requests) == 1
        req = receiver.requests[0]
        hook = json.loads(req["body"])
        assert hook["retrain_id"] == retrains[0]["retrain_id"], hook
        assert verify_signature(SECRET, req["headers"]["webhook-id"], req["headers"]["webhook-timestamp"],
                                req["body"], req["headers"]["webhook-signature"]), "bad signature"
        status, metrics = a.call("GET", "/v1/models/e2e-fraud/metrics?limit=1000")
        assert sum(1 for _ in metrics["metrics"]) == 16, metrics
        for s in servers:
            assert s.stop() == 0, "server did not exit cleanly"
        print("ok: two servers, one breach, one webhook")
    finally:
        for s in servers:
            if s.proc.poll() is None:
                s.proc.kill()
        receiver.close()
        db.drop()


if __name__ == "__main__":
    main(sys.argv[1])
