"""Verifying driftgate's retrain webhook (Standard Webhooks signatures).

Scheme (https://github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md, and openapi.yaml
`webhooks`): the POST carries `webhook-id`, `webhook-timestamp` (unix seconds) and
`webhook-signature`, a space-separated list of `v1,<base64 HMAC-SHA256>` entries over
`{webhook-id}.{webhook-timestamp}.{raw body}`. Key: a secret starting with `whsec_` is base64 after the
prefix; any other secret is used as its raw UTF-8 bytes (unlike the reference libraries, which decode
every secret — driftgate lets operators use a plain passphrase).

A receiver must check the exact bytes it received (before any JSON parsing), reject timestamps far from
its clock (replays; the spec suggests 5 minutes), and treat `webhook-id` as the idempotency key because
delivery is at-least-once.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any, Dict, Iterable, Optional, Protocol, Tuple, Union

DEFAULT_TOLERANCE_SECONDS = 300
_PREFIX = "whsec_"


class Headers(Protocol):
    """Anything with `items()` of (name, value): a dict, `http.server`'s headers, `email.message.Message`."""

    def items(self) -> Iterable[Tuple[str, Any]]: ...


class WebhookVerificationError(Exception):
    """The delivery is not authentic (or not fresh); answer it with 4xx and do not act on it."""


def _key(secret: Union[str, bytes]) -> bytes:
    if isinstance(secret, bytes):
        key = secret
    elif secret.startswith(_PREFIX):
        try:
            key = base64.b64decode(secret[len(_PREFIX):], validate=True)
        except (binascii.Error, ValueError) as e:
            raise ValueError("webhook secret: not base64 after 'whsec_'") from e
    else:
        key = secret.encode("utf-8")
    if not key:
        raise ValueError("webhook secret is empty")
    return key


def sign(secret: Union[str, bytes], msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value driftgate sends: `v1,` + base64(HMAC-SHA256)."""
    content = f"{msg_id}.{timestamp}.".encode("utf-8") + body
    mac = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode("ascii")


def _header(headers: Headers, name: str) -> str:
    # Header names are case-insensitive (RFC 9110); accept a plain dict in any case as well as
    # http.server's / email.message's case-insensitive objects.
    for key, value in headers.items():
        if key.lower() == name:
            return str(value)
    raise WebhookVerificationError(f"missing header {name}")


def verify(secret: Union[str, bytes], headers: Headers, body: Union[bytes, str], *,
           tolerance: int = DEFAULT_TOLERANCE_SECONDS, now: Optional[float] = None) -> Dict[str, Any]:
    """Checks a delivery and returns its JSON payload; raises WebhookVerificationError otherwise.

    `body` must be the raw bytes as received. `tolerance` is how far (seconds, either way) the
    timestamp may be from `now` (default: this machine's clock).
    """
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    msg_id = _header(headers, "webhook-id")
    stamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not msg_id or "." in msg_id:
        raise WebhookVerificationError("webhook-id is empty or contains '.'")
    try:
        timestamp = int(stamp.strip())
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not an integer") from None
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise WebhookVerificationError("webhook-timestamp is outside the tolerance (replayed or clock skew)")
    expected = sign(secret, msg_id, timestamp, raw).encode("ascii")
    matched = False
    for entry in signatures.split(" "):
        # Compare every v1 entry in constant time and keep going after a match, so neither the bytes nor
        # the position of the matching entry (key rotation sends several) show in the timing.
        if entry.startswith("v1,") and hmac.compare_digest(entry.encode("utf-8", "replace"), expected):
            matched = True
    if not matched:
        raise WebhookVerificationError("no matching v1 signature")
    try:
        payload = json.loads(raw)
    except ValueError:
        raise WebhookVerificationError("body is not JSON") from None
    if not isinstance(payload, dict):
        raise WebhookVerificationError("body is not a JSON object")
    return payload
