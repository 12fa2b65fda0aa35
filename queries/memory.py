"""The facts of a graph in memory (the embedded store, or any `PartnerGraph`): `GraphFacts`.

Each fact is read off the networkx graph directly; derived data (the strategy of each
action, the undirected path graph) is cached per graph state (`queries._base.per_graph`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import islice

import networkx as nx

from graphmodel.graph import PartnerGraph
from graphmodel.schema import INFERRED_EDGES, Edge, EdgeKind, Node, NodeKind

from ._base import BODY_KINDS, ROLE_EDGES, leads_of, own_text, per_graph, strategy_index
from .facts import MAX_PATHS, Addressed, DueFact, PartnerFacts, is_finished


def body_degree(graph: PartnerGraph, body: str) -> int:
    """Distinct neighbours of ``body`` by non-inferred edges, documents and itself left out
    (its degree in the undirected structural graph)."""
    near = {v for _, v, k in graph.g.out_edges(body, keys=True) if EdgeKind(k) not in INFERRED_EDGES}
    near |= {u for u, _, k in graph.g.in_edges(body, keys=True) if EdgeKind(k) not in INFERRED_EDGES}
    near.discard(body)
    return sum(1 for n in near if graph.kind_of(n) != NodeKind.DOCUMENT)


def undirected(graph: PartnerGraph) -> nx.Graph:
    """The graph paths run on: undirected, Documents and self-loops left out; each node
    pair keeps its first edge by (source, target, kind) as ``edge``."""
    g = nx.Graph()
    for n, d in graph.g.nodes(data=True):
        if d["kind"] != NodeKind.DOCUMENT:
            g.add_node(n)
    for e in graph.edges():  # sorted, so the edge kept for a node pair is deterministic
        if e.source in g and e.target in g and e.source != e.target and not g.has_edge(e.source, e.target):
            g.add_edge(e.source, e.target, edge=e)
    return g


class GraphFacts:
    """`queries.facts.Facts` read from a graph in memory."""

    def __init__(self, graph: PartnerGraph) -> None:
        self.g = graph

    def __repr__(self) -> str:
        return f"GraphFacts({len(self.g)} nodes)"

    def graph(self, query: str | None = None) -> PartnerGraph:
        """The whole graph (it is in memory already)."""
        return self.g

    def addressed(self) -> list[Addressed]:
        graph = self.g
        return [
            (rec, [(e.source_ref, graph.node(e.source)) for e in graph.in_edges(rec.id, EdgeKind.ADDRESSES)])
            for rec in graph.nodes(NodeKind.RECOMMENDATION)
        ]

    def due(self, before: date | None) -> Iterator[DueFact]:
        graph, index = self.g, strategy_index(self.g)
        for n in graph.nodes(NodeKind.ACTION):
            yield DueFact(n, index.label(index.of.get(n.id)), leads_of(graph, n.id))

    def documents(self) -> list[Node]:
        return list(self.g.nodes(NodeKind.DOCUMENT))

    def partners(self) -> PartnerFacts:
        graph = self.g
        index = strategy_index(graph)
        facts = PartnerFacts()
        for e in graph.edges():
            if e.kind not in ROLE_EDGES or graph.kind_of(e.source) not in BODY_KINDS:
                continue
            if graph.kind_of(e.target) != NodeKind.ACTION:
                continue
            facts.bodies.setdefault(e.source, graph.node(e.source))
            facts.counts[e.source][str(e.kind)][index.of.get(e.target) or ""] += 1
            facts.sources[e.source].append(e.source_ref)
            facts.add_role(e.source, e.target, bool(e.props.get("generic")))
            if e.target not in facts.open_actions:
                action = graph.node(e.target)
                if not is_finished(action.props.get("status"), action.props.get("due")):
                    facts.open_actions[e.target] = own_text(action)
        facts.degree = {b: body_degree(graph, b) for b in facts.bodies}
        facts.strategy_labels = {s.id: s.label for s in graph.nodes(NodeKind.STRATEGY)}
        facts.strategy_actions = {sid: len(ids) for sid, ids in index.actions.items()}
        return facts

    def search_nodes(self) -> Iterator[Node]:
        return (n for n in self.g.nodes() if n.kind != NodeKind.DOCUMENT)

    def strategy_labels(self, ids: list[str]) -> dict[str, str]:
        of = {nid: self.g.strategy_of(nid) for nid in ids}
        return {nid: self.g.node(sid).label for nid, sid in of.items() if sid is not None}

    def heads(self, ids: list[str]) -> dict[str, tuple[NodeKind, str]]:
        graph = self.g
        return {i: (graph.kind_of(i), graph.node(i).label) for i in ids if i in graph}

    def shortest_paths(self, start: str, end: str) -> list[tuple[str, ...]]:
        g = per_graph(self.g, "undirected", undirected)
        if start not in g or end not in g:
            return []
        try:
            return [tuple(p) for p in islice(nx.all_shortest_paths(g, start, end), MAX_PATHS)]
        except nx.NetworkXNoPath:
            return []

    def pair_edge(self, u: str, v: str) -> Edge:
        edge: Edge = per_graph(self.g, "undirected", undirected).edges[u, v]["edge"]
        return edge
