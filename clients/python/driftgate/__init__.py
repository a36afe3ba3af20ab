"""Python client for driftgate, the retraining gate (standard library only, Python >= 3.9).

    from driftgate import Client
    dg = Client("http://127.0.0.1:8080", token)
    dg.send_predictions("fraud-scorer", records)   # batched, retried, idempotent by record id
"""
from . import webhooks
from ._transport import RetryPolicy
from .batching import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_RECORDS
from .client import Client, IngestResult, Page, __version__
from .errors import (ApiError, AuthError, BadRequestError, ConflictError, DriftgateError, NotFoundError,
                     PayloadTooLargeError, RateLimitedError, TransportError, UnavailableError)
from .webhooks import WebhookVerificationError

__all__ = ["ApiError", "AuthError", "BadRequestError", "Client", "ConflictError", "DEFAULT_MAX_BODY_BYTES",
           "DEFAULT_MAX_RECORDS", "DriftgateError", "IngestResult", "NotFoundError", "Page",
           "PayloadTooLargeError", "RateLimitedError", "RetryPolicy", "TransportError", "UnavailableError",
           "WebhookVerificationError", "__version__", "webhooks"]
