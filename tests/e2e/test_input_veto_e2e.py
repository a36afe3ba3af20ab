"""The data-quality veto judges the evaluated pairs, whichever replica took which request.

Two real `driftgate serve` processes share a fresh database. A model with about 300 predictions a day (data
time) gets two days of reference and five healthy days, then five days on which feature x2 arrives null on
about half of the predictions, whose accuracy drops to 0.60 while the others stay at 0.92 (the whole window
breaches). Every day's predictions are split between the two servers, sent concurrently, and each label goes
to the other server than its prediction. No retrain may result, and the suppressed decisions name x2.
"""
import json
import sys
import threading
import time

from e2e_support import FreshDatabase, Server

DAY = 86400
START = 1793491200  # 2026-11-01T00:00:00Z


def day_records(rng_state, day, null_share, accuracy_present, accuracy_null, per_day=300):
    """One day's predictions and labels from a seeded SplitMix64 (tests/support/quarter_stream.h)."""
    mask = (1 << 64) - 1

    def uniform():
        rng_state[0] = (rng_state[0] + 0x9E3779B97F4A7C15) & mask
        z = rng_state[0]
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        return ((z ^ (z >> 31)) >> 11) / float(1 << 53)

    preds, labels = [], []
    for i in range(per_day):
        rid = f"v{day * per_day + i}"
        ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(START + day * DAY + i * DAY // per_day))
        x2_null = uniform() < null_share
        correct = uniform() < (accuracy_null if x2_null else accuracy_present)
        p = 1 if uniform() < 0.5 else 0
        features = {"x1": 10 * uniform(), "x2": None if x2_null else 100 + 50 * uniform(),
                    "country": "FR" if uniform() < 0.3 else "DE"}
        preds.append({"id": rid, "ts": ts, "features": features, "prediction": p, "score": uniform()})
        labels.append({"id": rid, "ts": ts, "label": p if correct else 1 - p})
    return preds, labels


def send_split(servers, kind, halves):
    """POSTs halves[i] to servers[i], concurrently; raises on any non-200."""
    errors = []

    def send(server, records):
        status, body = server.call("POST", f"/v1/models/split-veto/{kind}", {"records": records})
        if status != 200:
            errors.append((status, body))

    threads = [threading.Thread(target=send, args=(servers[i], halves[i])) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def main(binary):
    db = FreshDatabase()
    servers = []
    try:
        servers = [Server(binary, db.url), Server(binary, db.url)]
        model = {"name": "split-veto", "task": "binary_classification",
                 "kpis": [{"metric": "accuracy", "min": 0.85}], "detectors": [{"type": "adwin"}],
                 "evaluation": {"window": 1000, "min_samples": 300, "confidence": 0.95},
                 "reference": {"size": 600}, "webhook": {"url": "http://127.0.0.1:9/hook"}}
        status, body = servers[0].call("POST", "/v1/models", model)
        assert status == 201, body
        rng = [1405]
        for day in range(12):
            incident = day >= 7
            preds, labels = day_records(rng, day, 0.5 if incident else 0.0, 0.92, 0.60 if incident else 0.92)
            send_split(servers, "predictions", [preds[0::2], preds[1::2]])
            # Each label goes to the server that did not take its prediction.
            send_split(servers, "labels", [labels[1::2], labels[0::2]])

        retrains = int(db.scalar("SELECT count(*) FROM retrains"))
        status, body = servers[1].call("GET", "/v1/models/split-veto/decisions?limit=1000")
        assert status == 200, body
        decisions = body["decisions"]
        assert retrains == 0, json.dumps(decisions, indent=1)
        named = [d for d in decisions
                 if d["action"] == "suppressed" and "data-quality incident on x2 (missing" in d["reason"]]
        assert named, json.dumps(decisions, indent=1)
        assert any(d["reason"].startswith("confirmed breach: accuracy") for d in decisions), decisions
        # The breach was real: replayed without the veto, the same history retrains.
        unvetoed = dict(model, data_quality={"enabled": False})
        del unvetoed["name"], unvetoed["webhook"]
        status, body = servers[0].call("POST", "/v1/models/split-veto/backtest",
                                       {"config": unvetoed, "assume_retrain_hours": 8760})
        assert status == 200 and body["retrains"] >= 1 and body["current"]["retrains"] == 0, body
        # Both servers judged predictions (each built the profile): every incident-day prediction with x2
        # null carries the fault, whichever server stored it.
        unjudged = int(db.scalar("SELECT count(*) FROM record_keys WHERE kind = 'p' AND broken = '{}'"))
        faulty = int(db.scalar("SELECT count(*) FROM record_keys WHERE kind = 'p' AND cardinality(broken) > 0"))
        assert unjudged == 600, unjudged
        assert 600 < faulty < 900, faulty
        for s in servers:
            assert s.stop() == 0, "server did not exit cleanly"
        print(f"ok: two servers, {len(named)} suppressed decision(s) naming x2, no retrain")
    finally:
        for s in servers:
            if s.proc.poll() is None:
                s.proc.kill()
        db.drop()


if __name__ == "__main__":
    main(sys.argv[1])
