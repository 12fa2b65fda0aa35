"""Queries on a graph server: Cypher does the matching and aggregating, Python the wording.

When a query's source is the Neo4j store, the query asks the server for its facts
here: coverage (each recommendation and what ADDRESSES it), due (actions filtered by
date, with their strategy and leads), partners (role counts per body and strategy,
open due dates, degrees, distinct citations: aggregations on the server), search
(only names, aliases and texts; strategies for the hits shown), path (undirected
variable-length patterns: FalkorDB's shortestPath is directed-only). The same
row-building code then runs on those facts as on a graph in memory, so answers are
the same on both stores by construction (``tests/neo4j/test_differential.py``).

The text-inference queries (dependencies, duplicates, alignment) score text in
Python: `server_graph` fetches the node and edge kinds they read (`NEEDS`).

Every value is a ``$parameter``; labels and types come from the schema enums.
A node's strategy is the one its PART_OF chain reaches (the smallest id if a chain
forks into several, which loaders never produce). This module knows no driver: it
talks to the store's ``run``/``read``/``dialect``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from graphmodel import cypher as cy
from graphmodel.bolt_batches import split_list
from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import INFERRED_EDGES, Edge, EdgeKind, Node, NodeKind, Source

from ._base import own_text
from .results import PathResult

if TYPE_CHECKING:
    from .coverage import Addressed
    from .partners import PartnerFacts

#: query name -> (node kinds, edge kinds) it reads. Only the text-inference queries read
#: a part of the graph (they score text in Python); the others run as Cypher below.
#: None of them reads documents, recommendations, ADDRESSES or the stored inferred links.
_TEXT_NODES = frozenset(NodeKind) - {NodeKind.DOCUMENT, NodeKind.RECOMMENDATION}
_TEXT_EDGES = frozenset(EdgeKind) - INFERRED_EDGES - {EdgeKind.ADDRESSES}
NEEDS: dict[str, tuple[frozenset[NodeKind] | None, frozenset[EdgeKind] | None]] = {
    "dependencies": (_TEXT_NODES, _TEXT_EDGES),
    "duplicates": (_TEXT_NODES, _TEXT_EDGES),
    "alignment": (_TEXT_NODES, _TEXT_EDGES),
}

MAX_HOPS = 8
MAX_PATHS = 200  # as many as the embedded path query considers
MAX_DEPTH = 12  # PART_OF links from an action up to its strategy (loaders make at most 5)
_BODY_KINDS = (NodeKind.ORGANISATION, NodeKind.SERVICE)


def is_server(source: object) -> bool:
    """Is ``source`` a graph server store (the Neo4j store)?"""
    return getattr(source, "name", None) == "neo4j" and hasattr(source, "run")


def server_graph(store: Any, query: str) -> PartnerGraph:
    """The part of the server's graph that ``query`` reads (see `NEEDS`)."""
    nodes, edges = NEEDS.get(query, (None, None))
    return store.read(node_kinds=nodes, edge_kinds=edges)


def _path_rows(store: Any, start: tuple[str, NodeKind], end: tuple[str, NodeKind]) -> list[list[str]]:
    """Node-id sequences of the shortest undirected paths, Documents left out."""
    params = {"a": start[0], "b": end[0], "limit": MAX_PATHS}
    dialect = store.dialect
    # FalkorDB: grow the length until one answers (see Dialect.path_query)
    lengths = [MAX_HOPS] if dialect.name == "neo4j" else list(range(1, MAX_HOPS + 1))
    for hops in lengths:
        rows = store.run(dialect.path_query(start[1], end[1], hops), params, doing="finding paths")
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
        {"u": u[0], "v": v[0]},
        doing="reading a path's edges",
    )
    best = min((r for r in rows if r["type"] in set(EdgeKind)), key=lambda r: (r["s"], r["t"], r["type"]))
    return cy.edge_from_properties(best["s"], best["t"], EdgeKind(best["type"]), best)


def server_path(store: Any, a: str, b: str, *, limit: int = 3) -> list[PathResult]:
    """`queries.paths.path` run on the server: same rows, same order."""
    from .paths import path_result, resolve_entity

    if limit < 1:
        raise InputError(f"limit must be at least 1, got {limit}")
    store.check_complete()
    start, end = resolve_entity(store, a, "A"), resolve_entity(store, b, "B")
    ends = node_heads(store, [start, end])
    if start == end:
        raise InputError(f"A and B name the same node ({ends[start][1]})")
    found = {tuple(ids) for ids in _path_rows(store, (start, ends[start][0]), (end, ends[end][0]))}
    found = {p for p in found if len(set(p)) == len(p)}  # simple paths only
    if not found:
        return []
    heads = node_heads(store, sorted({n for p in found for n in p}))
    labels = {n: head[1] for n, head in heads.items()}

    def kind(n: str) -> NodeKind:
        return heads[n][0]

    ordered = sorted(found, key=lambda p: ([labels[n] for n in p], list(p)))
    edges: dict[tuple[str, str], Edge] = {}

    def edge_of(u: str, v: str) -> Edge:
        key = (min(u, v), max(u, v))
        if key not in edges:
            edges[key] = _pair_edge(store, (u, kind(u)), (v, kind(v)))
        return edges[key]

    return [path_result(rank, p, labels, edge_of) for rank, p in enumerate(ordered[:limit], start=1)]


# --------------------------------------------------------------------------- helpers
def _is(var: str, kinds: Iterable[NodeKind]) -> str:
    """``(v:A OR v:B)``: a label test from the enums."""
    return "(" + " OR ".join(f"{var}:{cy.label(k)}" for k in kinds) + ")"


def _node_cols(var: str, keys: str | None = None) -> str:
    """Return columns from which `_node` rebuilds node ``var`` (long values left out);
    with ``keys`` (the name of a list parameter) only those properties."""
    only = f"k IN ${keys} AND " if keys else ""
    long = (
        f"[k IN coalesce({var}.pm_long, []) WHERE k IN ${keys}]" if keys else f"coalesce({var}.pm_long, [])"
    )
    return (
        f"{var}.id AS {var}_id, labels({var}) AS {var}_labels, {long} AS {var}_long, "
        f"[k IN keys({var}) WHERE {only}NOT k IN coalesce({var}.pm_long, []) | [k, {var}[k]]] "
        f"AS {var}_kv"
    )


#: Properties every rebuilt node needs (id, name, source); ``props_json`` holds odd values.
_HEAD_KEYS = ["id", "label", "src_document", "src_line_start", "src_line_end", "props_json"]


def _kind(labels: list[str]) -> NodeKind | None:
    kinds = set(NodeKind)
    return next((NodeKind(x) for x in labels if x in kinds), None)


def _node(store: Any, row: dict[str, Any], var: str) -> Node:
    kind = _kind(row[f"{var}_labels"])
    if kind is None:
        raise InputError(f"node {row[f'{var}_id']!r} on the server has no partnermap label")
    return store.node_from_row(kind, row[f"{var}_id"], row[f"{var}_kv"], row[f"{var}_long"])


def _in_strategy(kind: NodeKind = NodeKind.ACTION) -> str:
    """``MATCH`` of every (s, a): ``kind`` node ``a`` whose PART_OF chain reaches strategy
    ``s``, each pair once. Walked down from the strategies: 4x faster on FalkorDB than
    one variable-length match per node."""
    return (
        f"MATCH (s:{cy.label(NodeKind.STRATEGY)})<-[:{cy.rel_type(EdgeKind.PART_OF)}"
        f"*1..{MAX_DEPTH}]-(a:{cy.label(kind)}) WITH DISTINCT s, a "
    )


def _strategy_of(store: Any, kind: NodeKind = NodeKind.ACTION) -> dict[str, str]:
    """Strategy id of every ``kind`` node in one (the smallest id if several)."""
    out: dict[str, str] = {}
    for r in store.run(
        _in_strategy(kind) + "RETURN a.id AS a, s.id AS s", doing="reading which strategy each action is in"
    ):
        if r["a"] not in out or r["s"] < out[r["a"]]:
            out[r["a"]] = r["s"]
    return out


def _strategy_names(store: Any) -> dict[str, str]:
    return {
        r["id"]: r["label"]
        for r in store.run(
            f"MATCH (s:{cy.label(NodeKind.STRATEGY)}) RETURN s.id AS id, s.label AS label",
            doing="reading strategy names",
        )
    }


def _chunks(values: list[str], budget: int) -> list[list[str]]:
    """``values`` in lists whose UTF-8 size stays under ``budget`` bytes (for ``$ids``)."""
    return split_list(values, budget, lambda v: len(v.encode("utf-8")) + 8)


def _ids_budget(store: Any) -> int:
    return max(256, store.max_request // 2)


# --------------------------------------------------------------------------- facts
def coverage_facts(store: Any) -> list[Addressed]:
    """Each recommendation and the (edge source, node) pairs that ADDRESS it."""
    store.check_complete()
    rec = cy.label(NodeKind.RECOMMENDATION)
    recs: dict[str, tuple[Node, list[tuple[Source, Node]]]] = {
        r["r_id"]: (_node(store, r, "r"), [])
        for r in store.run(f"MATCH (r:{rec}) RETURN {_node_cols('r')}", doing="reading recommendations")
    }
    for r in store.run(
        f"MATCH (x:{cy.marker()})-[e:{cy.rel_type(EdgeKind.ADDRESSES)}]->(r:{rec}) "
        "RETURN r.id AS rid, e.src_document AS d, e.src_line_start AS ls, "
        f"e.src_line_end AS le, {_node_cols('x')}",
        doing="reading what addresses them",
    ):
        recs[r["rid"]][1].append((Source(r["d"], int(r["ls"]), int(r["le"])), _node(store, r, "x")))
    return list(recs.values())


_DUE_KEYS = [*_HEAD_KEYS, "p_due_date", "p_due", "p_status"]


def due_facts(store: Any, before: date | None) -> list[tuple[Node, str, tuple[str, ...]]]:
    """(action, its strategy's name, its leads' names) for every action, or for those
    with a due date string before ``before`` (the caller re-checks the date). Actions
    carry only the properties due reads."""
    store.check_complete()
    where = "" if before is None else "WHERE a.p_due_date IS NOT NULL AND a.p_due_date < $before "
    names = _strategy_names(store)
    strategy = _strategy_of(store)
    params: dict[str, Any] = {"keys": _DUE_KEYS}
    if before is not None:
        params["before"] = before.isoformat()
    rows = store.run(
        f"MATCH (a:{cy.label(NodeKind.ACTION)}) {where}"
        f"OPTIONAL MATCH (b)-[:{cy.rel_type(EdgeKind.LEADS)}]->(a) WHERE {_is('b', _BODY_KINDS)} "
        f"WITH a, collect(b.label) AS leads RETURN leads, {_node_cols('a', 'keys')}",
        params,
        doing="reading due dates",
    )
    return [
        (_node(store, r, "a"), names.get(strategy.get(r["a_id"], ""), ""), tuple(sorted(r["leads"])))
        for r in rows
    ]


def partner_facts(store: Any) -> PartnerFacts:
    """`queries.partners.PartnerFacts` by Cypher aggregations on the server.

    Role counts per strategy come from the strategies down; what is left of each
    body's total is counted under no strategy.
    """
    from .partners import PartnerFacts, is_finished

    store.check_complete()
    facts = PartnerFacts()
    body = _is("b", _BODY_KINDS)
    roles = sorted(str(k) for k in (EdgeKind.LEADS, EdgeKind.SUPPORTS, EdgeKind.RESOURCES))
    act = cy.label(NodeKind.ACTION)
    role_match = f"MATCH (b)-[r]->(a:{act}) WHERE {body} AND type(r) IN $roles "
    for r in store.run(
        role_match + "RETURN b.id AS b, type(r) AS kind, count(*) AS n",
        {"roles": roles},
        doing="counting partners' roles",
    ):
        facts.counts[r["b"]][r["kind"]][""] += int(r["n"])
    for r in store.run(
        _in_strategy() + f"MATCH (b)-[r]->(a) WHERE {body} AND type(r) IN $roles "
        "RETURN b.id AS b, type(r) AS kind, s.id AS s, count(*) AS n",
        {"roles": roles},
        doing="counting partners' roles per strategy",
    ):
        per = facts.counts[r["b"]][r["kind"]]
        per[r["s"]] += int(r["n"])
        per[""] -= int(r["n"])
    for by_kind in facts.counts.values():
        for per in by_kind.values():
            if per[""] <= 0:
                del per[""]
    for r in store.run(
        role_match + "RETURN DISTINCT b.id AS b, r.src_document AS d, "
        "r.src_line_start AS ls, r.src_line_end AS le",
        {"roles": roles},
        doing="reading partners' citations",
    ):
        facts.sources[r["b"]].append(Source(r["d"], int(r["ls"]), int(r["le"])))
    for r in store.run(
        role_match + f"RETURN b.id AS b, coalesce(r.p_generic, false) AS generic, {_node_cols('a', 'keys')}",
        {"roles": roles, "keys": [*_HEAD_KEYS, "p_text", "p_status", "p_due"]},
        doing="reading who takes part in each action",
    ):
        action = r["a_id"]
        facts.add_role(r["b"], action, bool(r["generic"]))
        if action not in facts.open_actions:
            node = _node(store, r, "a")
            if not is_finished(node.props.get("status"), node.props.get("due")):
                facts.open_actions[action] = own_text(node)
    for r in store.run(
        f"MATCH (b)-[r]->(:{act}) WHERE {body} AND type(r) IN $roles "
        f"WITH DISTINCT b RETURN {_node_cols('b', 'keys')}",
        {"roles": roles, "keys": [*_HEAD_KEYS, "p_category"]},
        doing="reading partners",
    ):
        facts.bodies[r["b_id"]] = _node(store, r, "b")
    structural = sorted(str(k) for k in EdgeKind if k not in INFERRED_EDGES)
    for r in store.run(
        f"MATCH (b)-[r]-(x:{cy.marker()}) WHERE {body} AND type(r) IN $types "
        f"AND NOT x:{cy.label(NodeKind.DOCUMENT)} AND x.id <> b.id "
        "RETURN b.id AS b, count(DISTINCT x.id) AS n",
        {"types": structural},
        doing="counting partners' links",
    ):
        if r["b"] in facts.bodies:
            facts.degree[r["b"]] = int(r["n"])
    facts.strategy_labels = _strategy_names(store)
    for r in store.run(
        _in_strategy() + "RETURN s.id AS s, count(a) AS n", doing="counting strategies' actions"
    ):
        facts.strategy_actions[r["s"]] = int(r["n"])
    return facts


_SEARCH_KEYS = [*_HEAD_KEYS, "p_aliases", "p_text"]


def search_nodes(store: Any) -> list[Node]:
    """Every node but documents, with only the properties search reads (names, text)."""
    store.check_complete()
    out = []
    for r in store.run(
        f"MATCH (n:{cy.marker()}) WHERE NOT n:{cy.label(NodeKind.DOCUMENT)} RETURN {_node_cols('n', 'keys')}",
        {"keys": _SEARCH_KEYS},
        doing="reading names",
    ):
        if _kind(r["n_labels"]) is not None:
            out.append(_node(store, r, "n"))
    return out


def strategy_labels(store: Any, ids: list[str]) -> dict[str, str]:
    """The name of the strategy each action or priority in ``ids`` belongs to."""
    out: dict[str, str] = {}
    for kind in (NodeKind.ACTION, NodeKind.PRIORITY):
        for chunk in _chunks(ids, _ids_budget(store)):
            for r in store.run(
                f"UNWIND $ids AS i MATCH (n:{cy.label(kind)} {{id: i}}) "
                f"OPTIONAL MATCH (n)-[:{cy.rel_type(EdgeKind.PART_OF)}*1..{MAX_DEPTH}]->"
                f"(s:{cy.label(NodeKind.STRATEGY)}) "
                "WITH i, collect([s.id, s.label]) AS found WHERE size(found) > 0 "
                "RETURN i, found",
                {"ids": chunk},
                doing="reading strategies",
            ):
                out[r["i"]] = min(r["found"])[1]
    return out


def node_heads(store: Any, ids: list[str]) -> dict[str, tuple[NodeKind, str]]:
    """(kind, label) of each node of ``ids`` that the server holds (by the id indexes)."""
    out: dict[str, tuple[NodeKind, str]] = {}
    for kind in NodeKind:
        for chunk in _chunks(ids, _ids_budget(store)):
            for r in store.run(
                f"UNWIND $ids AS i MATCH (n:{cy.label(kind)} {{id: i}}) RETURN n.id AS id, n.label AS label",
                {"ids": chunk},
                doing="reading node names",
            ):
                out[r["id"]] = (kind, r["label"])
    return out
