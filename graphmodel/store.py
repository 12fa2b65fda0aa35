"""Stores: where a graph lives. The embedded store is one JSON file (``partnermap/1``).

Writes are atomic (temp file in the same directory, fsync, rename), so a crash
mid-write leaves the previous store intact.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Protocol, runtime_checkable

from .errors import StoreError
from .graph import PartnerGraph
from .schema import SCHEMA_ID

DEFAULT_STORE = Path(".partnermap") / "graph.json"


@runtime_checkable
class Store(Protocol):
    """Where a graph is kept. `NetworkxStore` and `Neo4jStore` implement it."""

    name: str

    def exists(self) -> bool: ...

    def read(self) -> PartnerGraph: ...

    def write(self, graph: PartnerGraph) -> None: ...

    def clear(self) -> int | None: ...  # a server store says how many nodes it removed


def dumps(graph: PartnerGraph) -> str:
    """The canonical JSON text of ``graph``: same graph, same bytes."""
    return json.dumps(graph.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def parse_store_text(text: str, where: str) -> PartnerGraph:
    """Parse store JSON, with one clear `StoreError` for each way it can be wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoreError(
            f"store {where} is not valid JSON (line {exc.lineno}): "
            "it is corrupt; reload with 'partnermap load --replace'"
        ) from None
    schema = data.get("schema") if isinstance(data, dict) else None
    if not isinstance(schema, str) or not schema.startswith("partnermap/"):
        raise StoreError(f"store {where} is not a partnermap store (no 'schema': '{SCHEMA_ID}' field)")
    if schema != SCHEMA_ID:
        raise StoreError(
            f"store {where} was written with schema {schema!r}, which this version "
            f"(reads {SCHEMA_ID!r}) does not understand; upgrade partnermap"
        )
    try:
        return PartnerGraph.from_dict(data)
    except (KeyError, ValueError, TypeError) as exc:
        raise StoreError(f"store {where} is corrupt: {exc!s}") from None


class NetworkxStore:
    """The embedded store: a JSON file read into a networkx graph."""

    name = "embedded"

    def __init__(self, path: Path | str = DEFAULT_STORE) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"NetworkxStore({str(self.path)!r})"

    def exists(self) -> bool:
        return self.path.is_file()

    def read(self) -> PartnerGraph:
        """The stored graph (empty when no store file exists yet)."""
        if not self.path.exists():
            return PartnerGraph()
        try:
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise StoreError(f"store {self.path} is not UTF-8 text: it is corrupt") from None
        except OSError as exc:
            raise StoreError(f"cannot read store {self.path}: {exc.strerror}") from None
        return parse_store_text(text, str(self.path))

    def write(self, graph: PartnerGraph) -> None:
        """Validate then atomically replace the store file."""
        graph.validate()
        try:
            atomic_write_text(self.path, dumps(graph))
        except OSError as exc:
            raise StoreError(f"cannot write store {self.path}: {exc.strerror}") from None

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
