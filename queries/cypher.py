"""Queries against a graph server: fetch only what a query needs, by Cypher, on the server.

`graph_of` (``queries._base``) calls `server_graph` when its source is the Neo4j
store: each query names the node and edge kinds it reads (`NEEDS`), the server
selects those (``MATCH (n:Kind)`` / ``type(r) IN $types``, paged), and the query's
own Python code finishes on that part of the graph, so answers are the same on
both stores by construction. `server_path` runs the path search itself on the
server (undirected variable-length patterns: FalkorDB's shortestPath is
directed-only); `server_search` fetches names, aliases and texts but no edges
except PART_OF.

This module knows no driver: it talks to the store's ``run``/``read``/``dialect``.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from graphmodel import cypher as cy
from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import INFERRED_EDGES, Edge, EdgeKind, NodeKind

from .results import Hop, PathResult

_ALL_NODES = frozenset(NodeKind)
_NO_DOCS = _ALL_NODES - {NodeKind.DOCUMENT}
_STRUCTURAL = frozenset(EdgeKind) - INFERRED_EDGES
_ROLES = frozenset({EdgeKind.LEADS, EdgeKind.SUPPORTS, EdgeKind.RESOURCES})

#: query name -> (node kinds, edge kinds) it reads; None means every kind.
NEEDS: dict[str, tuple[frozenset[NodeKind] | None, frozenset[EdgeKind] | None]] = {
    "coverage": (frozenset({NodeKind.RECOMMENDATION, NodeKind.ACTION, NodeKind.PRIORITY}),
                 frozenset({EdgeKind.ADDRESSES})),
    "due": (_NO_DOCS - {NodeKind.RECOMMENDATION}, _ROLES | {EdgeKind.PART_OF}),
    "partners": (_NO_DOCS, _STRUCTURAL),
    "search": (_NO_DOCS, frozenset({EdgeKind.PART_OF})),
    # text inference reads strategies' areas from documents and every kind of link
    "dependencies": (None, None),
    "duplicates": (None, None),
    "alignment": (None, None),
}

MAX_HOPS = 8
MAX_PATHS = 200  # as many as the embedded path query considers


def is_server(source: object) -> bool:
    """Is ``source`` a graph server store (the Neo4j store)?"""
    return getattr(source, "name", None) == "neo4j" and hasattr(source, "run")


def server_graph(store: Any, query: str) -> PartnerGraph:
    """The part of the server's graph that ``query`` reads (see `NEEDS`)."""
    nodes, edges = NEEDS.get(query, (None, None))
    return store.read(node_kinds=nodes, edge_kinds=edges)


def _path_rows(store: Any, start: tuple[str, NodeKind], end: tuple[str, NodeKind]
               ) -> list[list[str]]:
    """Node-id sequences of the shortest undirected paths, Documents left out."""
    a, b = cy.label(start[1]), cy.label(end[1])
    no_docs = f"none(x IN nodes(p) WHERE x:{cy.label(NodeKind.DOCUMENT)})"
    if store.dialect.name == "neo4j":
        rows = store.run(
            f"MATCH (a:{a} {{id: $a}}), (b:{b} {{id: $b}}) "
            f"MATCH p = allShortestPaths((a)-[*..{MAX_HOPS}]-(b)) WHERE {no_docs} "
            "RETURN [x IN nodes(p) | x.id] AS ids LIMIT $limit",
            {"a": start[0], "b": end[0], "limit": MAX_PATHS}, doing="finding paths")
        return [r["ids"] for r in rows]
    for hops in range(1, MAX_HOPS + 1):  # FalkorDB: grow the length until one answers
        rows = store.run(
            f"MATCH p = (a:{a} {{id: $a}})-[*{hops}..{hops}]-(b:{b} {{id: $b}}) "
            f"WHERE {no_docs} RETURN [x IN nodes(p) | x.id] AS ids LIMIT $limit",
            {"a": start[0], "b": end[0], "limit": MAX_PATHS}, doing="finding paths")
        if rows:
            return [r["ids"] for r in rows]
    return []


def _pair_edge(store: Any, u: tuple[str, NodeKind], v: tuple[str, NodeKind]) -> Edge:
    """The edge the embedded path query keeps for a node pair: the first by
    (source, target, kind), self-loops aside."""
    rows = store.run(
        f"MATCH (x:{cy.label(u[1])} {{id: $u}})-[r]-(y:{cy.label(v[1])} {{id: $v}}) "
        "RETURN startNode(r).id AS s, endNode(r).id AS t, type(r) AS type, "
        "r.src_document AS src_document, r.src_line_start AS src_line_start, "
        "r.src_line_end AS src_line_end",
        {"u": u[0], "v": v[0]}, doing="reading a path's edges")
    best = min((r for r in rows if r["type"] in set(EdgeKind)),
               key=lambda r: (r["s"], r["t"], r["type"]))
    return cy.edge_from_properties(best["s"], best["t"], EdgeKind(best["type"]), best)


def server_path(store: Any, a: str, b: str, *, limit: int = 3) -> list[PathResult]:
    """`queries.paths.path` run on the server: same rows, same order."""
    from .paths import resolve_entity

    if limit < 1:
        raise InputError(f"limit must be at least 1, got {limit}")
    names = server_graph(store, "search")
    start, end = resolve_entity(names, a, "A"), resolve_entity(names, b, "B")
    if start == end:
        raise InputError(f"A and B name the same node ({names.node(start).label})")
    kind = names.kind_of
    found = {tuple(ids) for ids in _path_rows(store, (start, kind(start)), (end, kind(end)))}
    found = {p for p in found if len(set(p)) == len(p)}  # simple paths only
    if not found:
        return []
    labels = {n: names.node(n).label for p in found for n in p}
    ordered = sorted(found, key=lambda p: ([labels[n] for n in p], list(p)))
    edges: dict[tuple[str, str], Edge] = {}
    out = []
    for rank, p in enumerate(ordered[:limit], start=1):
        hops = []
        for u, v in pairwise(p):
            key = (min(u, v), max(u, v))
            if key not in edges:
                edges[key] = _pair_edge(store, (u, kind(u)), (v, kind(v)))
            e = edges[key]
            hops.append(Hop(u, labels[u], str(e.kind), "->" if e.source == u else "<-", v,
                            labels[v], e.source_ref.cite()))
        text = labels[p[0]] + "".join(
            f" -{h.kind}-> {h.target}" if h.direction == "->" else f" <-{h.kind}- {h.target}"
            for h in hops)
        out.append(PathResult(rank, len(hops), labels[p[0]], labels[p[-1]], tuple(hops), text,
                              tuple(dict.fromkeys(h.cite for h in hops))))
    return out
