"""Exceptions raised by the driftgate client.

Every 4xx/5xx answer of the server is an RFC 9457 problem document (`type`, `title`, `status`,
`detail`, and `field` when one input is to blame); `ApiError` carries those members as attributes.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Mapping, Optional

_RECORD_FIELD = re.compile(r"^records\[(\d+)\]")


class DriftgateError(Exception):
    """Base class of everything this package raises on purpose."""


class TransportError(DriftgateError):
    """The server could not be reached (or dropped the connection) on every attempt."""


class ApiError(DriftgateError):
    """A problem+json answer from the server."""

    def __init__(self, status: int, problem: Mapping[str, Any], retry_after: Optional[float] = None) -> None:
        self.status: int = status
        self.type: str = str(problem.get("type", "about:blank"))
        self.title: str = str(problem.get("title", ""))
        self.detail: str = str(problem.get("detail", ""))
        field = problem.get("field")
        self.field: Optional[str] = field if isinstance(field, str) else None
        self.problem: Dict[str, Any] = dict(problem)
        self.retry_after: Optional[float] = retry_after
        # Set by auto-batching ingest: the index of the offending record in the caller's whole input
        # (the server names it relative to the batch it saw), and how far earlier batches got.
        self.record_index: Optional[int] = None
        self.batch_start: Optional[int] = None
        self.stored_before: Optional[Any] = None
        where = f" (field {self.field})" if self.field else ""
        super().__init__(f"{status} {self.title}: {self.detail}{where}")

    def _locate(self, batch_start: int, stored_before: Any) -> None:
        self.batch_start = batch_start
        self.stored_before = stored_before
        match = _RECORD_FIELD.match(self.field or "")
        if match:
            self.record_index = batch_start + int(match.group(1))


class BadRequestError(ApiError):
    """400: the input is invalid; `field` names what (for example `records[3].score`)."""


class AuthError(ApiError):
    """401 (missing or unknown token) or 403 (the token lacks the scope)."""


class NotFoundError(ApiError):
    """404: no such model, run or path."""


class ConflictError(ApiError):
    """409: the model exists already, or a retrain status transition is not allowed."""


class PayloadTooLargeError(ApiError):
    """413: the body or the record count is over the server's limit."""


class RateLimitedError(ApiError):
    """429: over the token's rate limit (retried automatically until the attempts run out)."""


class UnavailableError(ApiError):
    """503: the database does not answer or the server is shutting down (retried automatically)."""


_BY_STATUS = {400: BadRequestError, 401: AuthError, 403: AuthError, 404: NotFoundError, 409: ConflictError,
              413: PayloadTooLargeError, 429: RateLimitedError, 503: UnavailableError}


def error_for(status: int, problem: Mapping[str, Any], retry_after: Optional[float] = None) -> ApiError:
    return _BY_STATUS.get(status, ApiError)(status, problem, retry_after)
