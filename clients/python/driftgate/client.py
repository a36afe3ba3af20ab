"""The driftgate REST client (openapi.yaml describes every route)."""
from __future__ import annotations

import datetime as _dt
import json
import ssl
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Union

from . import batching
from .errors import ApiError, DriftgateError, PayloadTooLargeError
from ._transport import RetryPolicy, Transport

__version__ = "0.1.0"

TimeArg = Union[str, _dt.datetime, None]
JsonObject = Dict[str, Any]


@dataclass
class IngestResult:
    """Totals over every batch one `send_*` call sent."""

    accepted: int = 0
    duplicates: int = 0
    unmatched: int = 0  # labels only: kept until their prediction arrives
    batches: int = 0  # batches the server stored
    retries: int = 0  # extra attempts after connection errors, 429 or 503
    splits: int = 0  # batches halved because the server answered 413 (its limits are lower than ours)
    batch_sizes: List[int] = field(default_factory=list)  # body bytes of each stored batch


@dataclass
class Page:
    items: List[JsonObject]
    next_cursor: Optional[str]


def _time(value: TimeArg) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is None:
        raise ValueError("datetime arguments must be timezone-aware")
    return value.astimezone(_dt.timezone.utc).isoformat().replace("+00:00", "Z")


def _seg(name: str) -> str:
    return urllib.parse.quote(name, safe="")


class Client:
    """A driftgate server at `base_url`, called with one bearer token.

    Ingest is split into batches within `max_records` and `max_body_bytes` (the server's defaults;
    set them to the server's `DRIFTGATE_MAX_RECORDS` / `DRIFTGATE_MAX_BODY_BYTES` when those differ —
    a lower server limit still works, by halving batches on `413`, at the cost of the refused sends).
    Thread-safe: each request uses its own connection.
    """

    def __init__(self, base_url: str, token: Optional[str], *, timeout: float = 60.0,
                 retry: Optional[RetryPolicy] = None, max_records: int = batching.DEFAULT_MAX_RECORDS,
                 max_body_bytes: int = batching.DEFAULT_MAX_BODY_BYTES,
                 ssl_context: Optional[ssl.SSLContext] = None) -> None:
        self.max_records = max_records
        self.max_body_bytes = max_body_bytes
        self._http = Transport(base_url, token, timeout, retry or RetryPolicy(),
                               f"driftgate-python/{__version__}", ssl_context)

    # ------------------------------------------------------------------ models
    def create_model(self, config: Mapping[str, Any]) -> JsonObject:
        """`POST /v1/models`. The answer is the only one that shows `webhook.secret`."""
        return self._object("POST", "/v1/models", config, idempotent=False)

    def get_model(self, name: str) -> JsonObject:
        return self._object("GET", f"/v1/models/{_seg(name)}")

    def list_models(self) -> List[JsonObject]:
        return list(self._json("GET", "/v1/models")["models"])

    def replace_model(self, name: str, config: Mapping[str, Any]) -> JsonObject:
        return self._object("PUT", f"/v1/models/{_seg(name)}", config)

    def delete_model(self, name: str) -> None:
        self._http.request("DELETE", f"/v1/models/{_seg(name)}")

    # ------------------------------------------------------------------ ingest
    def send_predictions(self, model: str, records: Iterable[Mapping[str, Any]]) -> IngestResult:
        """Sends any number of predictions in batches within the server's limits.

        Each batch is all-or-nothing on the server, the whole call is not: when a batch is refused the
        `ApiError` says which record (`record_index`, counted over `records`) and what the earlier
        batches stored (`stored_before`, an `IngestResult`). Re-sending everything is safe: stored ids
        come back as duplicates.
        """
        return self._ingest(f"/v1/models/{_seg(model)}/predictions", records)

    def send_labels(self, model: str, records: Iterable[Mapping[str, Any]]) -> IngestResult:
        """Sends any number of labels (`{"id", "label", "ts"?}`); batching as `send_predictions`."""
        return self._ingest(f"/v1/models/{_seg(model)}/labels", records)

    def _ingest(self, path: str, records: Iterable[Mapping[str, Any]]) -> IngestResult:
        result = IngestResult()
        for batch in batching.batches(records, self.max_records, self.max_body_bytes):
            pending = [batch]
            while pending:
                current = pending.pop(0)
                try:
                    response = self._http.request("POST", path, current.body)
                except PayloadTooLargeError as e:
                    if len(current.records) < 2:
                        e._locate(current.start, result)
                        raise
                    result.splits += 1
                    pending[:0] = current.halves()
                    continue
                except ApiError as e:
                    e._locate(current.start, result)
                    raise
                body = response.body or {}
                result.accepted += int(body.get("accepted", 0))
                result.duplicates += int(body.get("duplicates", 0))
                result.unmatched += int(body.get("unmatched", 0))
                result.batches += 1
                result.retries += response.attempts - 1
                result.batch_sizes.append(current.size)
        return result

    # ------------------------------------------------------------------ history (paged)
    def pages(self, model: str, kind: str, *, from_: TimeArg = None, to: TimeArg = None,
              page_size: int = 1000) -> Iterator[Page]:
        """Every page of `kind` (`decisions`, `metrics`, `drift`, `retrains`), oldest first."""
        if kind not in ("decisions", "metrics", "drift", "retrains"):
            raise ValueError(f"unknown history kind {kind!r}")
        cursor: Optional[str] = None
        while True:
            query = {"from": _time(from_), "to": _time(to), "limit": page_size, "cursor": cursor}
            body = self._http.request("GET", f"/v1/models/{_seg(model)}/{kind}", query=query).body
            page = Page(list(body[kind]), body.get("next_cursor"))
            yield page
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    def _items(self, model: str, kind: str, from_: TimeArg, to: TimeArg, page_size: int) -> Iterator[JsonObject]:
        for page in self.pages(model, kind, from_=from_, to=to, page_size=page_size):
            yield from page.items

    def decisions(self, model: str, *, from_: TimeArg = None, to: TimeArg = None,
                  page_size: int = 1000) -> Iterator[JsonObject]:
        return self._items(model, "decisions", from_, to, page_size)

    def metrics(self, model: str, *, from_: TimeArg = None, to: TimeArg = None,
                page_size: int = 1000) -> Iterator[JsonObject]:
        return self._items(model, "metrics", from_, to, page_size)

    def drift(self, model: str, *, from_: TimeArg = None, to: TimeArg = None,
              page_size: int = 1000) -> Iterator[JsonObject]:
        return self._items(model, "drift", from_, to, page_size)

    def retrains(self, model: str, *, from_: TimeArg = None, to: TimeArg = None,
                 page_size: int = 1000) -> Iterator[JsonObject]:
        return self._items(model, "retrains", from_, to, page_size)

    # ------------------------------------------------------------------ thresholds and backtests
    def suggest(self, model: str, *, from_: TimeArg = None, to: TimeArg = None,
                tolerance: Optional[Mapping[str, float]] = None, kpis: Optional[Iterable[str]] = None,
                assume_retrain_hours: Optional[float] = None) -> JsonObject:
        """`POST .../suggest`: every KPI of the task over a labelled baseline (the model's reference, or
        the labels with data time in [from_, to)) with its interval, a suggested threshold per KPI
        (`tolerance`: {"absolute": 0.02, "relative": 0.1} by default), the suggested `config` and its
        `backtest` over all stored history. Writes nothing, so it is retried like a read."""
        body: JsonObject = {}
        if from_ is not None:
            body["from"] = _time(from_)
        if to is not None:
            body["to"] = _time(to)
        if tolerance is not None:
            body["tolerance"] = dict(tolerance)
        if kpis is not None:
            body["kpis"] = list(kpis)
        if assume_retrain_hours is not None:
            body["assume_retrain_hours"] = assume_retrain_hours
        return self._object("POST", f"/v1/models/{_seg(model)}/suggest", body)

    def backtest(self, model: str, config: Mapping[str, Any], *, from_: TimeArg = None, to: TimeArg = None,
                 assume_retrain_hours: Optional[float] = None) -> JsonObject:
        """`POST .../backtest`: `config` replayed over the stored history (or [from_, to)); writes nothing."""
        body: JsonObject = {"config": dict(config)}
        if from_ is not None:
            body["from"] = _time(from_)
        if to is not None:
            body["to"] = _time(to)
        if assume_retrain_hours is not None:
            body["assume_retrain_hours"] = assume_retrain_hours
        return self._object("POST", f"/v1/models/{_seg(model)}/backtest", body)

    # ------------------------------------------------------------------ retraining runs
    def report_retrain_status(self, model: str, retrain_id: str, status: str,
                              model_version: Optional[str] = None) -> JsonObject:
        """`POST .../retrains/{id}/status` with `running`, `succeeded` or `failed`; returns the run.

        Reporting the current status again is a no-op on the server, so this is retried like ingest.
        """
        body: JsonObject = {"status": status}
        if model_version is not None:
            body["model_version"] = model_version
        return self._object("POST", f"/v1/models/{_seg(model)}/retrains/{_seg(retrain_id)}/status", body)

    # ------------------------------------------------------------------ plumbing
    def _json(self, method: str, path: str, body: Optional[Mapping[str, Any]] = None,
              idempotent: bool = True) -> Any:
        data = None if body is None else json.dumps(body, allow_nan=False).encode("utf-8")
        return self._http.request(method, path, data, idempotent=idempotent).body

    def _object(self, method: str, path: str, body: Optional[Mapping[str, Any]] = None,
                idempotent: bool = True) -> JsonObject:
        answer = self._json(method, path, body, idempotent)
        if not isinstance(answer, dict):
            raise DriftgateError(f"{method} {path}: expected a JSON object, got {type(answer).__name__}")
        return answer
