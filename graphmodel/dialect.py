"""Where FalkorDB and Neo4j 5 differ, in one place: detection, limits, indexes, paths.

FalkorDB's Bolt layer reports itself as ``Neo4j/5.13.0``, so the agent string
cannot tell them apart; `detect` probes ``CALL db.indexes()`` instead (FalkorDB
answers with ``label``/``properties``/``entitytype`` columns; Neo4j 5 removed
the procedure). This module knows no driver: it gets a ``run`` callable.

Limits measured on FalkorDB 4.16.3 over Bolt (see ECOSYSTEM.md):

- one request with parameters whose query text plus parameters exceed ~4 KB
  drops the connection (sometimes the server): budget 3,000 bytes;
- one reply record of ~70 KB or more never arrives: read long values in slices;
- string parameters are spliced into the query text on the server WITHOUT
  escaping: ``'`` ends the string (a value ``' MATCH (n) DETACH DELETE n //``
  deletes the graph) and backslashes are read as escapes. `Dialect.encode`
  escapes every string parameter (``\\`` and ``\'``) so it arrives intact;
  map keys must be plain identifiers. A NUL character is still lost there;
- after a Bolt connection closes, the listener misses the next new connection (its
  handshake hangs until the client gives up) until some other socket event
  happens; `wake_listener` (a bare TCP connect and close) is that event. It is
  harmless for Neo4j, and done before every new driver;
- ``BOLT_PORT`` above 32767 is silently ignored (no Bolt listener);
- ``substring()`` sometimes drops the last character when asked for more than
  remains: slices are clamped;
- ``shortestPath`` only in WITH/RETURN, directed, both ends bound: paths use
  undirected variable-length patterns there, ``shortestPath`` on Neo4j.
"""

from __future__ import annotations

import contextlib
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .cypher import kind_label, label, marker
from .schema import NodeKind

#: ``run(query, params) -> (column names, rows as dicts)``
Runner = Callable[[str, dict[str, Any]], tuple[list[str], list[dict[str, Any]]]]


@dataclass(frozen=True, slots=True)
class Dialect:
    """What one server flavour accepts."""

    name: str
    max_request: int  # bytes of query text + parameters in one request
    max_reply_chars: int  # characters of one long value asked for in one reply
    page: int  # nodes per read page

    def encode(self, value: Any) -> Any:
        """Parameters as this server needs them (escaped strings on FalkorDB)."""
        if self.name != "falkordb":
            return value
        return _escape(value)

    def index_queries(self, kinds: Iterable[NodeKind], run: Runner) -> list[str]:
        """Statements that create the missing ``id`` indexes of ``kinds``."""
        if self.name == "neo4j":
            return [
                f"CREATE INDEX pm_{str(k).lower()}_id IF NOT EXISTS FOR (n:{kind_label(k)}) ON (n.id)"
                for k in kinds
            ]
        # FalkorDB: no IF NOT EXISTS and no names; creating one twice is an error
        _, rows = run("CALL db.indexes()", {})
        have = {
            str(r.get("label"))
            for r in rows
            if str(r.get("entitytype", "NODE")).upper() == "NODE" and "id" in (r.get("properties") or [])
        }
        return [f"CREATE INDEX FOR (n:{kind_label(k)}) ON (n.id)" for k in kinds if str(k) not in have]

    def path_query(self, start: NodeKind, end: NodeKind, hops: int) -> str:
        """Shortest undirected paths from ``$a`` to ``$b`` (ids) avoiding Documents, as rows
        ``ids`` (node ids along the path), at most ``$limit``.

        Neo4j: ``allShortestPaths`` up to ``hops``. FalkorDB (whose ``shortestPath`` is
        directed only): paths of exactly ``hops``; the caller grows ``hops`` from 1 and
        keeps the first length that answers.
        """
        a, b, n = label(start), label(end), int(hops)
        no_docs = (
            f"none(x IN nodes(p) WHERE x:{label(NodeKind.DOCUMENT)}) "
            f"AND all(x IN nodes(p) WHERE x:{marker()}) "
            "AND all(r IN relationships(p) WHERE r.pm_app = 'partnermap')"
        )
        if self.name == "neo4j":
            return (
                f"MATCH (a:{a} {{id: $a}}), (b:{b} {{id: $b}}) "
                f"MATCH p = allShortestPaths((a)-[*..{n}]-(b)) WHERE {no_docs} "
                "RETURN [x IN nodes(p) | x.id] AS ids LIMIT $limit"
            )
        return (
            f"MATCH p = (a:{a} {{id: $a}})-[*{n}..{n}]-(b:{b} {{id: $b}}) "
            f"WHERE {no_docs} RETURN [x IN nodes(p) | x.id] AS ids LIMIT $limit"
        )


def wake_listener(uri: str, timeout: float = 1.0) -> None:
    """Connect to the Bolt port of ``uri`` and close at once (see the module docstring)."""
    try:
        parts = urlsplit(uri)
        host, port = parts.hostname, parts.port or 7687
    except ValueError:
        return
    if not host:
        return
    with contextlib.suppress(OSError):  # unreachable: the driver will say so
        for _ in range(2):  # one is not always enough (measured: every other connection hung)
            socket.create_connection((host, port), timeout).close()


def _escape(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(value, (list, tuple)):
        return [_escape(v) for v in value]
    if isinstance(value, dict):
        for k in value:
            if not _KEY.match(str(k)):
                raise ValueError(f"parameter map key {k!r} is not a plain identifier")
        return {k: _escape(v) for k, v in value.items()}
    return value


_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

FALKORDB = Dialect("falkordb", max_request=3000, max_reply_chars=8000, page=1000)
NEO4J5 = Dialect("neo4j", max_request=400_000, max_reply_chars=1_000_000, page=5000)


def detect(run: Runner) -> Dialect:
    """Probe the server behind ``run``: FalkorDB or Neo4j 5."""
    try:
        keys, _ = run("CALL db.indexes()", {})
    except Exception:  # Neo4j 5 has no db.indexes(): a refusal means "not FalkorDB"
        return NEO4J5
    if {"label", "properties", "entitytype"} <= set(keys):
        return FALKORDB
    return NEO4J5
