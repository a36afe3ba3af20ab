"""The client's pure parts: webhook verification, batching, Retry-After and backoff (no server)."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from driftgate import RetryPolicy, webhooks  # noqa: E402
from driftgate._transport import parse_retry_after  # noqa: E402
from driftgate.batching import batches  # noqa: E402
from driftgate.webhooks import WebhookVerificationError  # noqa: E402

# The Standard Webhooks reference vector (spec and its libraries' tests), also checked with openssl in
# tests/unit/webhook/signature_test.cpp.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TS = 1614265330
BODY = b'{"test": 2432232314}'
SIG = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def headers(sig=SIG, ts=TS, msg_id=MSG_ID):
    return {"webhook-id": msg_id, "webhook-timestamp": str(ts), "webhook-signature": sig}


class Verify(unittest.TestCase):
    def test_reference_vector(self):
        self.assertEqual(webhooks.sign(SECRET, MSG_ID, TS, BODY), SIG)
        self.assertEqual(webhooks.verify(SECRET, headers(), BODY, now=TS), {"test": 2432232314})

    def test_raw_secret_is_not_decoded(self):
        # openssl dgst -sha256 -hmac 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' (signature_test.cpp)
        raw_sig = "v1,ELhqG0Ku1gwOc1f4jyKdp3SFGFLAOdJ9bvpWLciCakI="
        webhooks.verify("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", headers(raw_sig), BODY, now=TS)
        with self.assertRaises(WebhookVerificationError):
            webhooks.verify(SECRET, headers(raw_sig), BODY, now=TS)

    def test_wrong_secret_tampered_body_or_id_refused(self):
        for secret, hdrs, body in [("whsec_" + "A" * 32, headers(), BODY), (SECRET, headers(), BODY + b" "),
                                   (SECRET, headers(msg_id="msg_other"), BODY),
                                   (SECRET, headers(ts=TS + 1), BODY)]:
            with self.assertRaises(WebhookVerificationError):
                webhooks.verify(secret, hdrs, body, now=TS)

    def test_timestamp_tolerance_both_ways(self):
        webhooks.verify(SECRET, headers(), BODY, now=TS + 300)
        webhooks.verify(SECRET, headers(), BODY, now=TS - 300)
        for now in (TS + 301, TS - 301):
            with self.assertRaisesRegex(WebhookVerificationError, "tolerance"):
                webhooks.verify(SECRET, headers(), BODY, now=now)
        webhooks.verify(SECRET, headers(), BODY, now=TS + 1000, tolerance=1000)

    def test_any_of_several_signatures_and_other_versions_skipped(self):
        other = "v1," + "A" * 43 + "="
        webhooks.verify(SECRET, headers(f"{other} {SIG}"), BODY, now=TS)
        webhooks.verify(SECRET, headers(f"{SIG} v2,{SIG[3:]}"), BODY, now=TS)
        with self.assertRaises(WebhookVerificationError):
            webhooks.verify(SECRET, headers(f"v2,{SIG[3:]} {other}"), BODY, now=TS)
        with self.assertRaises(WebhookVerificationError):
            webhooks.verify(SECRET, headers(SIG[3:]), BODY, now=TS)  # no version prefix

    def test_header_names_any_case_and_missing_headers(self):
        mixed = {"Webhook-Id": MSG_ID, "WEBHOOK-TIMESTAMP": str(TS), "webhook-Signature": SIG}
        webhooks.verify(SECRET, mixed, BODY.decode(), now=TS)
        for name in ("webhook-id", "webhook-timestamp", "webhook-signature"):
            partial = {k: v for k, v in headers().items() if k != name}
            with self.assertRaisesRegex(WebhookVerificationError, name):
                webhooks.verify(SECRET, partial, BODY, now=TS)
        with self.assertRaises(WebhookVerificationError):
            webhooks.verify(SECRET, headers(ts="soon"), BODY, now=TS)

    def test_bad_secret_is_a_value_error(self):
        for secret in ("", "whsec_", "whsec_not*base64"):
            with self.assertRaises(ValueError):
                webhooks.verify(secret, headers(), BODY, now=TS)


class Batching(unittest.TestCase):
    def records(self, n, pad=0):
        return [{"id": f"r{i}", "prediction": 1, "features": {"pad": "x" * pad}} for i in range(n)]

    def test_split_by_record_count(self):
        got = list(batches(self.records(25_000)))
        self.assertEqual([len(b.records) for b in got], [10_000, 10_000, 5_000])
        self.assertEqual([b.start for b in got], [0, 10_000, 20_000])

    def test_split_by_body_bytes_and_size_is_exact(self):
        recs = self.records(100, pad=100)
        limit = 2_000
        got = list(batches(recs, max_records=10_000, max_body_bytes=limit))
        self.assertGreater(len(got), 1)
        for i, b in enumerate(got):
            self.assertEqual(b.size, len(b.body))
            self.assertLessEqual(b.size, limit)
            if i + 1 < len(got):  # closed only because the next record would not fit
                self.assertGreater(b.size + 1 + len(got[i + 1].records[0]), limit)
        decoded = [r for b in got for r in json.loads(b.body)["records"]]
        self.assertEqual(decoded, recs)

    def test_exact_fit_at_the_limit(self):
        recs = self.records(10)
        whole = next(batches(recs)).size
        self.assertEqual(len(list(batches(recs, max_body_bytes=whole))), 1)
        self.assertEqual(len(list(batches(recs, max_body_bytes=whole - 1))), 2)

    def test_unsendable_records_named_by_index(self):
        with self.assertRaisesRegex(ValueError, r"records\[2\]"):
            list(batches(self.records(2) + [{"id": "x", "prediction": float("nan")}]))
        with self.assertRaisesRegex(ValueError, r"records\[1\].*body limit"):
            list(batches(self.records(1) + self.records(1, pad=5000), max_body_bytes=1000))


class Retry(unittest.TestCase):
    def test_retry_after_forms(self):
        self.assertEqual(parse_retry_after("3"), 3.0)
        self.assertAlmostEqual(parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=1445412480.0), 10.0)
        self.assertIsNone(parse_retry_after("soon"))
        self.assertIsNone(parse_retry_after(None))

    def test_full_jitter_bounds(self):
        top = RetryPolicy(base_delay=0.5, max_delay=3.0, rng=lambda: 1.0)
        self.assertEqual([top.backoff(a) for a in range(1, 6)], [0.5, 1.0, 2.0, 3.0, 3.0])
        self.assertEqual(RetryPolicy(rng=lambda: 0.0).backoff(4), 0.0)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
