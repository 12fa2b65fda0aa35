"""Stores: where a graph lives. The embedded store is one JSON file (``partnermap/1``).

Writes are atomic (`graphmodel.files.write_atomic`: temp file in the same directory,
fsync, rename), so a crash mid-write leaves the previous store intact and a reader
never sees half a store. Writers take an exclusive lock (``.<name>.lock`` beside the
store, the maintained ``filelock`` package) around read-merge-write (`NetworkxStore.locked`),
so two loads at once both land; a writer that waits longer than
``PARTNERMAP_LOCK_TIMEOUT`` seconds (default 120) stops with one sentence. Under the
lock, temp files of a crashed writer are removed.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from filelock import FileLock, Timeout

from .errors import InputError, OutputError, StoreError
from .files import check_target, ensure_folder, remove_stale_temps, write_atomic
from .graph import PartnerGraph
from .schema import SCHEMA_ID, EdgeKind, Node, NodeKind
from .store_path import DEFAULT_STORE

if TYPE_CHECKING:  # the dialects are not needed to open the embedded store (start-up time)
    from .dialect import Dialect


@runtime_checkable
class Store(Protocol):
    """Where a graph is kept. `NetworkxStore` and `Neo4jStore` implement it (the latter
    is also a `CypherStore`)."""

    name: str

    def exists(self) -> bool: ...

    def read(self) -> PartnerGraph: ...

    def write(self, graph: PartnerGraph) -> None: ...

    def clear(self) -> int | None: ...  # a server store says how many nodes it removed

    def locked(self) -> AbstractContextManager[None]:
        """Hold off other writers while the caller reads, merges and writes."""
        ...


class CypherStore(ABC):
    """A store on a graph server that answers Cypher (`graphmodel.neo4j_store.Neo4jStore`).

    Queries ask it for their facts by Cypher instead of reading the whole graph
    (``queries.cypher``); ``queries.backend.facts_of`` recognises it by this type, so
    choosing the backend never imports the driver.
    """

    name: str

    @abstractmethod
    def run(
        self, query: str, params: dict[str, Any] | None = None, *, doing: str = "running a query"
    ) -> list[dict[str, Any]]:
        """Rows of one query (``params`` as ``$parameters``)."""

    @abstractmethod
    def read(
        self, *, node_kinds: Iterable[NodeKind] | None = None, edge_kinds: Iterable[EdgeKind] | None = None
    ) -> PartnerGraph:
        """The graph on the server, or the part of it of these kinds."""

    @abstractmethod
    def check_complete(self) -> None:
        """Raise `StoreError` when a push is running or stopped part-way."""

    @abstractmethod
    def node_from_row(self, kind: NodeKind, node_id: str, kv: list[list[Any]], long: list[str]) -> Node:
        """A `Node` from a query's ``[key, value]`` pairs (``long``: keys stored in parts)."""

    @property
    @abstractmethod
    def dialect(self) -> Dialect:
        """The server's Cypher dialect."""

    @property
    @abstractmethod
    def max_request(self) -> int:
        """Bytes of query text plus parameters one request may carry."""


def dumps(graph: PartnerGraph) -> str:
    """The canonical JSON text of ``graph``: same graph, same bytes."""
    return json.dumps(graph.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def lock_timeout(env: dict[str, str] | None = None) -> float:
    """Seconds a writer waits for the store lock (``PARTNERMAP_LOCK_TIMEOUT``, default 120)."""
    raw = (os.environ if env is None else env).get("PARTNERMAP_LOCK_TIMEOUT", "").strip()
    if not raw:
        return 120.0
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise InputError(f"PARTNERMAP_LOCK_TIMEOUT must be a number of seconds (0 or more), not {raw!r}")
    return value


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
        self._lock: FileLock | None = None

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(f".{self.path.name}.lock")

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive writer lock on this store (re-entrant within one store object).

        Readers do not take it: they see the old or the new file (atomic rename).
        """
        check_target(self.path, what="store")
        ensure_folder(self.path.parent)
        if self._lock is None:
            self._lock = FileLock(self.lock_path, timeout=lock_timeout())
        try:
            self._lock.acquire()
        except Timeout:
            raise StoreError(
                f"store {self.path} is being written by another partnermap process (lock "
                f"{self.lock_path.name} held for {self._lock.timeout:g} s); try again when it "
                "finishes, or raise PARTNERMAP_LOCK_TIMEOUT"
            ) from None
        except OSError as exc:
            raise OutputError(f"cannot lock store {self.path}: {exc.strerror}") from None
        try:
            if self._lock.lock_counter == 1:  # no writer is live: every temp file is stale
                remove_stale_temps(self.path, all_of_them=True)
            yield
        finally:
            self._lock.release()

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
        """Validate then atomically replace the store file, under the writer lock."""
        graph.validate()
        text = dumps(graph)
        with self.locked():
            try:
                write_atomic(self.path, text, what="store")
            except OutputError as exc:
                raise StoreError(str(exc)) from None

    def clear(self) -> None:
        check_target(self.path, what="store")
        with self.locked():
            self.path.unlink(missing_ok=True)
