"""HTTP with retries: exponential backoff with full jitter, honouring `Retry-After`.

What is retried (and why it is safe):
- connection errors (refused, reset, dropped before the answer) on idempotent calls. Ingest counts as
  idempotent because record ids are unique per model: a batch re-sent after a lost answer is counted as
  duplicates and changes nothing (openapi.yaml, tag ingest). Reporting the same retrain status again is also a
  no-op. Creating a model is not (a retry would see `409`), so there only a refused connection — nothing
  was sent — is retried.
- `429` and `503`: the server answers them before doing any work (rate limit before the scope check; no
  database), so every call may be re-sent. The wait is the server's `Retry-After` when it gives one.
Backoff: "full jitter" (a uniform wait in [0, min(cap, base * 2**attempt)]), as described in
https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/ — it spreads clients that failed
together instead of having them retry in lock step.
"""
from __future__ import annotations

import email.utils
import http.client
import json
import random
import socket
import ssl
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional, Tuple

from .errors import ApiError, TransportError, error_for

_RETRY_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry. `max_attempts` counts the first try."""

    max_attempts: int = 5
    base_delay: float = 0.2
    max_delay: float = 10.0
    max_retry_after: float = 60.0  # a longer Retry-After is capped to this
    rng: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def backoff(self, attempt: int) -> float:
        """The wait before retry number `attempt` (1 for the first retry)."""
        return self.rng() * min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Seconds from a `Retry-After` value: delta-seconds or an HTTP-date (RFC 9110, section 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass
class Response:
    status: int
    body: Any
    attempts: int


class Transport:
    def __init__(self, base_url: str, token: Optional[str], timeout: float, retry: RetryPolicy,
                 user_agent: str, ssl_context: Optional[ssl.SSLContext] = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"base_url must be an http(s) URL, got {base_url!r}")
        self._scheme = parsed.scheme
        self._host = parsed.hostname
        self._port = parsed.port
        self._prefix = parsed.path.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._retry = retry
        self._user_agent = user_agent
        self._ssl_context = ssl_context
        self._sleep = sleep

    def _connection(self) -> http.client.HTTPConnection:
        if self._scheme == "https":
            return http.client.HTTPSConnection(self._host, self._port, timeout=self._timeout,
                                               context=self._ssl_context)
        return http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)

    def _once(self, method: str, target: str, body: Optional[bytes]) -> Tuple[int, Dict[str, str], bytes]:
        headers = {"Accept": "application/json", "User-Agent": self._user_agent}
        if self._token is not None:
            headers["Authorization"] = f"Bearer {self._token}"
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn = self._connection()
        try:
            try:
                conn.request(method, target, body=body, headers=headers)
            except (BrokenPipeError, ConnectionResetError) as cut:
                # A server may answer (413, 401) and close before the whole body is sent: its answer is
                # read if it arrived; if it did not, the original error stands.
                try:
                    resp = conn.getresponse()
                    raw = resp.read()
                except (OSError, http.client.HTTPException):
                    raise cut from None
                return resp.status, {k.lower(): v for k, v in resp.getheaders()}, raw
            resp = conn.getresponse()
            raw = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, raw
        finally:
            conn.close()

    def request(self, method: str, path: str, body: Optional[bytes] = None,
                query: Optional[Dict[str, Any]] = None, idempotent: bool = True) -> Response:
        target = self._prefix + path
        if query:
            pairs = {k: str(v) for k, v in query.items() if v is not None}
            if pairs:
                target += "?" + urllib.parse.urlencode(pairs)
        attempt = 0
        while True:
            attempt += 1
            try:
                status, headers, raw = self._once(method, target, body)
            except (ConnectionRefusedError, socket.gaierror) as e:
                failure: Exception = e  # nothing reached the server: always safe to retry
                wait = self._retry.backoff(attempt)
            except (OSError, http.client.HTTPException) as e:
                if not idempotent:
                    raise TransportError(f"{method} {path}: {e!r} (not retried: the call is not idempotent)") from e
                failure = e
                wait = self._retry.backoff(attempt)
            else:
                parsed = _decode(raw)
                if status < 400:
                    return Response(status, parsed, attempt)
                retry_after = parse_retry_after(headers.get("retry-after"))
                problem = parsed if isinstance(parsed, dict) else {"title": "error", "detail": str(parsed)}
                error = error_for(status, problem, retry_after)
                if status not in _RETRY_STATUSES or attempt >= self._retry.max_attempts:
                    raise error
                failure = error
                wait = (min(retry_after, self._retry.max_retry_after) if retry_after is not None
                        else self._retry.backoff(attempt))
            if attempt >= self._retry.max_attempts:
                if isinstance(failure, ApiError):
                    raise failure
                raise TransportError(f"{method} {path}: {failure!r} after {attempt} attempts") from failure
            self._sleep(wait)


def _decode(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")
