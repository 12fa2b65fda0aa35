"""The facts of a graph server: `CypherFacts`, Cypher over Bolt to a `CypherStore`.

Cypher does the matching and aggregating, Python the wording: coverage (each
recommendation and what ADDRESSES it), due (actions filtered by date, with their
strategy and leads), partners (role counts per body and strategy, open due dates,
degrees, distinct citations: aggregations on the server), search (only names, aliases
and texts; strategies for the hits shown), paths (undirected variable-length patterns:
FalkorDB's shortestPath is directed-only). The query modules build their rows from these
facts with the same code as from a graph in memory (`queries.memory.GraphFacts`), so
answers are the same on both stores by construction (``tests/neo4j/test_differential.py``).

The text-inference queries (dependencies, duplicates, alignment) score text in Python:
`CypherFacts.graph` fetches the node and edge kinds they read (`queries.facts.NEEDS`).

Every value is a ``$parameter``; labels and types come from the schema enums.
A node's strategy is the one its PART_OF chain reaches (the smallest id if a chain
forks into several, which loaders never produce). This module knows no driver: it
talks to the store's ``run``/``read``/``dialect`` (`graphmodel.store.CypherStore`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from graphmodel import cypher as cy
from graphmodel.bolt_batches import split_list
from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import INFERRED_EDGES, Edge, EdgeKind, Node, NodeKind, Source
from graphmodel.store import CypherStore

from ._base import own_text
from .facts import MAX_PATHS, NEEDS, Addressed, DueFact, PartnerFacts, is_finished

MAX_HOPS = 8
MAX_DEPTH = 12  # PART_OF links from an action up to its strategy (loaders make at most 5)
_BODY_KINDS = (NodeKind.ORGANISATION, NodeKind.SERVICE)


# --------------------------------------------------------------------------- helpers
def _is(var: str, kinds: Iterable[NodeKind]) -> str:
    """``(v:A OR v:B)``: a label test from the enums."""
    return "(" + " OR ".join(f"{var}:{cy.label(k)}" for k in kinds) + ")"


def _node_cols(var: str, keys: str | None = None) -> str:
    """Return columns from which `CypherFacts._node` rebuilds node ``var`` (long values
    left out); with ``keys`` (the name of a list parameter) only those properties."""
    only = f"k IN ${keys} AND " if keys else ""
    long = (
        f"[k IN coalesce({var}.pm_long, []) WHERE k IN ${keys}]" if keys else f"coalesce({var}.pm_long, [])"
    )
    return (
        f"{var}.id AS {var}_id, labels({var}) AS {var}_labels, {long} AS {var}_long, "
        f"[k IN keys({var}) WHERE {only}NOT k IN coalesce({var}.pm_long, []) | [k, {var}[k]]] "
        f"AS {var}_kv"
    )


def _src_cols(var: str) -> str:
    """Return columns of relationship ``var``'s provenance (every ``src_*`` property, page
    and sheet included), read back by `_source`."""
    return ", ".join(f"{var}.{k} AS {var}_{k}" for k in cy.SOURCE_KEYS)


def _source(row: dict[str, Any], var: str) -> Source:
    return cy.source_from_properties({k: row[f"{var}_{k}"] for k in cy.SOURCE_KEYS})


#: Properties every rebuilt node needs (id, name, source); ``props_json`` holds odd values.
_HEAD_KEYS = ["id", "label", *cy.SOURCE_KEYS, "props_json"]
_DUE_KEYS = [*_HEAD_KEYS, "p_due_date", "p_due", "p_status"]
_SEARCH_KEYS = [*_HEAD_KEYS, "p_aliases", "p_text"]


def _kind(labels: list[str]) -> NodeKind | None:
    kinds = set(NodeKind)
    return next((NodeKind(x) for x in labels if x in kinds), None)


def _in_strategy(kind: NodeKind = NodeKind.ACTION) -> str:
    """``MATCH`` of every (s, a): ``kind`` node ``a`` whose PART_OF chain reaches strategy
    ``s``, each pair once. Walked down from the strategies: 4x faster on FalkorDB than
    one variable-length match per node."""
    return (
        f"MATCH (s:{cy.label(NodeKind.STRATEGY)})<-[:{cy.rel_type(EdgeKind.PART_OF)}"
        f"*1..{MAX_DEPTH}]-(a:{cy.label(kind)}) WITH DISTINCT s, a "
    )


class CypherFacts:
    """`queries.facts.Facts` asked of a graph server by Cypher.

    The first fact asked checks that no push is running or stopped part-way
    (`CypherStore.check_complete`): one check per facts object, i.e. per query.
    """

    def __init__(self, store: CypherStore) -> None:
        self.store = store
        self._checked = False
        self._kinds: dict[str, NodeKind] = {}  # node id -> kind, for the nodes `heads` found
        self._edges: dict[tuple[str, str], Edge] = {}

    def __repr__(self) -> str:
        return f"CypherFacts({self.store!r})"

    def _run(self, query: str, params: dict[str, Any] | None = None, *, doing: str) -> list[dict[str, Any]]:
        if not self._checked:
            self.store.check_complete()
            self._checked = True
        return self.store.run(query, params, doing=doing)

    def _node(self, row: dict[str, Any], var: str) -> Node:
        kind = _kind(row[f"{var}_labels"])
        if kind is None:
            raise InputError(f"node {row[f'{var}_id']!r} on the server has no partnermap label")
        return self.store.node_from_row(kind, row[f"{var}_id"], row[f"{var}_kv"], row[f"{var}_long"])

    def _chunks(self, values: list[str]) -> list[list[str]]:
        """``values`` in lists whose UTF-8 size stays under half a request (for ``$ids``)."""
        budget = max(256, self.store.max_request // 2)
        return split_list(values, budget, lambda v: len(v.encode("utf-8")) + 8)

    def _strategy_of(self, kind: NodeKind = NodeKind.ACTION) -> dict[str, str]:
        """Strategy id of every ``kind`` node in one (the smallest id if several)."""
        out: dict[str, str] = {}
        for r in self._run(
            _in_strategy(kind) + "RETURN a.id AS a, s.id AS s",
            doing="reading which strategy each action is in",
        ):
            if r["a"] not in out or r["s"] < out[r["a"]]:
                out[r["a"]] = r["s"]
        return out

    def _strategy_names(self) -> dict[str, str]:
        return {
            r["id"]: r["label"]
            for r in self._run(
                f"MATCH (s:{cy.label(NodeKind.STRATEGY)}) RETURN s.id AS id, s.label AS label",
                doing="reading strategy names",
            )
        }

    # ----------------------------------------------------------------------- facts
    def graph(self, query: str | None = None) -> PartnerGraph:
        """The part of the server's graph that ``query`` reads (see `NEEDS`; all of it
        for a query not listed there)."""
        nodes, edges = NEEDS.get(query or "", (None, None))
        return self.store.read(node_kinds=nodes, edge_kinds=edges)

    def addressed(self) -> list[Addressed]:
        rec = cy.label(NodeKind.RECOMMENDATION)
        recs: dict[str, Addressed] = {
            r["r_id"]: (self._node(r, "r"), [])
            for r in self._run(f"MATCH (r:{rec}) RETURN {_node_cols('r')}", doing="reading recommendations")
        }
        for r in self._run(
            f"MATCH (x:{cy.marker()})-[e:{cy.rel_type(EdgeKind.ADDRESSES)}]->(r:{rec}) "
            f"RETURN r.id AS rid, {_src_cols('e')}, {_node_cols('x')}",
            doing="reading what addresses them",
        ):
            recs[r["rid"]][1].append((_source(r, "e"), self._node(r, "x")))
        return list(recs.values())

    def due(self, before: date | None) -> list[DueFact]:
        """Every action, or those with a due date string before ``before``; actions carry
        only the properties due reads."""
        where = "" if before is None else "WHERE a.p_due_date IS NOT NULL AND a.p_due_date < $before "
        names = self._strategy_names()
        strategy = self._strategy_of()
        params: dict[str, Any] = {"keys": _DUE_KEYS}
        if before is not None:
            params["before"] = before.isoformat()
        rows = self._run(
            f"MATCH (a:{cy.label(NodeKind.ACTION)}) {where}"
            f"OPTIONAL MATCH (b)-[:{cy.rel_type(EdgeKind.LEADS)}]->(a) WHERE {_is('b', _BODY_KINDS)} "
            f"WITH a, collect(b.label) AS leads RETURN leads, {_node_cols('a', 'keys')}",
            params,
            doing="reading due dates",
        )
        return [
            DueFact(self._node(r, "a"), names.get(strategy.get(r["a_id"], ""), ""), tuple(sorted(r["leads"])))
            for r in rows
        ]

    def documents(self) -> list[Node]:
        """The Document nodes (read alone: no edges)."""
        return list(self.store.read(node_kinds=[NodeKind.DOCUMENT], edge_kinds=[]).nodes(NodeKind.DOCUMENT))

    def partners(self) -> PartnerFacts:
        """`PartnerFacts` by Cypher aggregations on the server.

        Role counts per strategy come from the strategies down; what is left of each
        body's total is counted under no strategy.
        """
        facts = PartnerFacts()
        body = _is("b", _BODY_KINDS)
        roles = sorted(str(k) for k in (EdgeKind.LEADS, EdgeKind.SUPPORTS, EdgeKind.RESOURCES))
        act = cy.label(NodeKind.ACTION)
        role_match = f"MATCH (b)-[r]->(a:{act}) WHERE {body} AND type(r) IN $roles "
        for r in self._run(
            role_match + "RETURN b.id AS b, type(r) AS kind, count(*) AS n",
            {"roles": roles},
            doing="counting partners' roles",
        ):
            facts.counts[r["b"]][r["kind"]][""] += int(r["n"])
        for r in self._run(
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
        for r in self._run(
            role_match + f"RETURN DISTINCT b.id AS b, {_src_cols('r')}",
            {"roles": roles},
            doing="reading partners' citations",
        ):
            facts.sources[r["b"]].append(_source(r, "r"))
        for r in self._run(
            role_match
            + f"RETURN b.id AS b, coalesce(r.p_generic, false) AS generic, {_node_cols('a', 'keys')}",
            {"roles": roles, "keys": [*_HEAD_KEYS, "p_text", "p_status", "p_due"]},
            doing="reading who takes part in each action",
        ):
            action = r["a_id"]
            facts.add_role(r["b"], action, bool(r["generic"]))
            if action not in facts.open_actions:
                node = self._node(r, "a")
                if not is_finished(node.props.get("status"), node.props.get("due")):
                    facts.open_actions[action] = own_text(node)
        for r in self._run(
            f"MATCH (b)-[r]->(:{act}) WHERE {body} AND type(r) IN $roles "
            f"WITH DISTINCT b RETURN {_node_cols('b', 'keys')}",
            {"roles": roles, "keys": [*_HEAD_KEYS, "p_category"]},
            doing="reading partners",
        ):
            facts.bodies[r["b_id"]] = self._node(r, "b")
        structural = sorted(str(k) for k in EdgeKind if k not in INFERRED_EDGES)
        for r in self._run(
            f"MATCH (b)-[r]-(x:{cy.marker()}) WHERE {body} AND type(r) IN $types "
            f"AND NOT x:{cy.label(NodeKind.DOCUMENT)} AND x.id <> b.id "
            "RETURN b.id AS b, count(DISTINCT x.id) AS n",
            {"types": structural},
            doing="counting partners' links",
        ):
            if r["b"] in facts.bodies:
                facts.degree[r["b"]] = int(r["n"])
        facts.strategy_labels = self._strategy_names()
        for r in self._run(
            _in_strategy() + "RETURN s.id AS s, count(a) AS n", doing="counting strategies' actions"
        ):
            facts.strategy_actions[r["s"]] = int(r["n"])
        return facts

    def search_nodes(self) -> list[Node]:
        """Every node but documents, with only the properties search reads (names, text)."""
        out = []
        for r in self._run(
            f"MATCH (n:{cy.marker()}) WHERE NOT n:{cy.label(NodeKind.DOCUMENT)} "
            f"RETURN {_node_cols('n', 'keys')}",
            {"keys": _SEARCH_KEYS},
            doing="reading names",
        ):
            if _kind(r["n_labels"]) is not None:
                out.append(self._node(r, "n"))
        return out

    def strategy_labels(self, ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for kind in (NodeKind.ACTION, NodeKind.PRIORITY):
            for chunk in self._chunks(ids):
                for r in self._run(
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

    def heads(self, ids: list[str]) -> dict[str, tuple[NodeKind, str]]:
        """(kind, label) of each node of ``ids`` that the server holds (by the id indexes)."""
        out: dict[str, tuple[NodeKind, str]] = {}
        for kind in NodeKind:
            for chunk in self._chunks(ids):
                for r in self._run(
                    f"UNWIND $ids AS i MATCH (n:{cy.label(kind)} {{id: i}}) "
                    "RETURN n.id AS id, n.label AS label",
                    {"ids": chunk},
                    doing="reading node names",
                ):
                    out[r["id"]] = (kind, r["label"])
                    self._kinds[r["id"]] = kind
        return out

    def _kind_of(self, node_id: str) -> NodeKind:
        if node_id not in self._kinds:
            self.heads([node_id])
        return self._kinds[node_id]

    def shortest_paths(self, start: str, end: str) -> list[tuple[str, ...]]:
        """Grown one hop at a time on FalkorDB until a length answers (see
        `graphmodel.dialect.Dialect.path_query`); paths that revisit a node are dropped."""
        params = {"a": start, "b": end, "limit": MAX_PATHS}
        dialect = self.store.dialect
        kinds = self._kind_of(start), self._kind_of(end)
        lengths = [MAX_HOPS] if dialect.name == "neo4j" else list(range(1, MAX_HOPS + 1))
        for hops in lengths:
            rows = self._run(dialect.path_query(*kinds, hops), params, doing="finding paths")
            if rows:
                found = {tuple(r["ids"]) for r in rows}
                return [p for p in found if len(set(p)) == len(p)]
        return []

    def pair_edge(self, u: str, v: str) -> Edge:
        key = (min(u, v), max(u, v))
        if key not in self._edges:
            ku, kv = self._kind_of(u), self._kind_of(v)
            rows = self._run(
                f"MATCH (x:{cy.label(ku)} {{id: $u}})-[r]-(y:{cy.label(kv)} {{id: $v}}) "
                "RETURN startNode(r).id AS s, endNode(r).id AS t, type(r) AS type, "
                + ", ".join(f"r.{k} AS {k}" for k in cy.SOURCE_KEYS),
                {"u": u, "v": v},
                doing="reading a path's edges",
            )
            best = min(
                (r for r in rows if r["type"] in set(EdgeKind)), key=lambda r: (r["s"], r["t"], r["type"])
            )
            self._edges[key] = cy.edge_from_properties(best["s"], best["t"], EdgeKind(best["type"]), best)
        return self._edges[key]
