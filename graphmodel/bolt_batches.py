"""What a push sends over Bolt, sized and split to fit one request.

FalkorDB drops a request whose query text plus parameters exceed ~4 KB, so the Neo4j
store measures every row in PackStream bytes (`packed_size`), packs rows into batches
under the budget, and sends values too long for one request in parts (`split_text`,
`split_list`). `PushProgress` / `PushError` say how far a push got.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import BackendError


# --------------------------------------------------------------------------- sizes
def packed_size(value: Any) -> int:
    """Bytes ``value`` takes in Bolt's PackStream encoding (what the server must buffer)."""
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, int):
        if -16 <= value < 128:
            return 1
        if -(2**7) <= value < 2**7:
            return 2
        if -(2**15) <= value < 2**15:
            return 3
        return 5 if -(2**31) <= value < 2**31 else 9
    if isinstance(value, float):
        return 9
    if isinstance(value, str):
        n = len(value.encode("utf-8"))
        return n + _header(n)
    if isinstance(value, (list, tuple)):
        return _header(len(value)) + sum(packed_size(v) for v in value)
    if isinstance(value, Mapping):
        return _header(len(value)) + sum(packed_size(str(k)) + packed_size(v) for k, v in value.items())
    return 16


def _header(n: int) -> int:
    return 1 if n < 16 else 2 if n < 256 else 3 if n < 65536 else 5


def split_text(text: str, max_bytes: int, escaped: bool = False) -> list[str]:
    """``text`` in pieces of at most ``max_bytes`` UTF-8 bytes (counting the escapes
    FalkorDB needs when ``escaped``), never inside a character."""
    parts: list[str] = []
    cur: list[str] = []
    size = 0
    for ch in text:
        b = len(ch.encode("utf-8")) + (escaped and ch in "\\'")
        if size + b > max_bytes and cur:
            parts.append("".join(cur))
            cur, size = [], 0
        cur.append(ch)
        size += b
    if cur:
        parts.append("".join(cur))
    return parts


def split_list(items: list[Any], max_bytes: int, size_of: Callable[[Any], int]) -> list[list[Any]]:
    parts: list[list[Any]] = []
    cur: list[Any] = []
    size = 0
    for x in items:
        b = size_of(x)
        if size + b > max_bytes and cur:
            parts.append(cur)
            cur, size = [], 0
        cur.append(x)
        size += b
    if cur:
        parts.append(cur)
    return parts


@dataclass(slots=True)
class PushProgress:
    """How far a push got; reported when it stops part-way."""

    node_batches: int = 0
    node_batches_total: int = 0
    edge_batches: int = 0
    edge_batches_total: int = 0
    parts: int = 0  # long values sent in parts
    swept: int = 0  # stale nodes and edges removed

    def describe(self) -> str:
        return (
            f"{self.node_batches}/{self.node_batches_total} node batches and "
            f"{self.edge_batches}/{self.edge_batches_total} edge batches done"
        )


class PushError(BackendError):
    """A push stopped part-way; ``progress`` says how far it got."""

    def __init__(self, message: str, progress: PushProgress) -> None:
        self.progress = progress
        super().__init__(message)


@dataclass(slots=True)
class Item:
    """One node or edge to send: its key fields, properties, and long values in parts."""

    query_args: dict[str, Any]  # {"id": ...} or {"s": ..., "t": ...}
    row: dict[str, Any]
    parts: list[tuple[str, Any]]  # (property key, part) in send order
