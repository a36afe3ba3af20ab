"""Splitting a record stream into request bodies that fit the server's limits.

The server refuses (`413`) a batch with more than `DRIFTGATE_MAX_RECORDS` records (default 10,000) or a
body over `DRIFTGATE_MAX_BODY_BYTES` (default 8 MiB); a batch is all-or-nothing. Each record is encoded
once; a batch closes when the next record would break either limit.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, List, Mapping

DEFAULT_MAX_RECORDS = 10_000
DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024

_OPEN = b'{"records":['
_CLOSE = b"]}"


@dataclass
class Batch:
    start: int  # index of the batch's first record in the caller's whole input
    records: List[bytes]  # each record's JSON encoding

    @property
    def body(self) -> bytes:
        return _OPEN + b",".join(self.records) + _CLOSE

    @property
    def size(self) -> int:
        return len(_OPEN) + len(_CLOSE) + sum(len(r) for r in self.records) + max(0, len(self.records) - 1)

    def halves(self) -> "List[Batch]":
        mid = len(self.records) // 2
        return [Batch(self.start, self.records[:mid]), Batch(self.start + mid, self.records[mid:])]


def encode_record(record: Mapping[str, Any], index: int) -> bytes:
    try:
        # allow_nan=False: NaN and infinities are not JSON (RFC 8259) and the server refuses them.
        return json.dumps(record, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as e:
        raise ValueError(f"records[{index}]: cannot be sent as JSON: {e}") from e


def batches(records: Iterable[Mapping[str, Any]], max_records: int = DEFAULT_MAX_RECORDS,
            max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> Iterator[Batch]:
    """Lazily groups `records` into batches within both limits, in order."""
    if max_records < 1:
        raise ValueError("max_records must be at least 1")
    if max_body_bytes <= len(_OPEN) + len(_CLOSE):
        raise ValueError("max_body_bytes is too small for any batch")
    current = Batch(0, [])
    size = len(_OPEN) + len(_CLOSE)
    index = -1
    for index, record in enumerate(records):
        encoded = encode_record(record, index)
        alone = len(_OPEN) + len(_CLOSE) + len(encoded)
        if alone > max_body_bytes:
            raise ValueError(f"records[{index}]: {alone} bytes on its own, over the body limit of "
                             f"{max_body_bytes} bytes")
        extra = len(encoded) + (1 if current.records else 0)
        if current.records and (len(current.records) >= max_records or size + extra > max_body_bytes):
            yield current
            current = Batch(index, [])
            size = len(_OPEN) + len(_CLOSE)
            extra = len(encoded)
        current.records.append(encoded)
        size += extra
    if current.records:
        yield current
