"""Materialise inferred links (DEPENDS_ON, DUPLICATES) into a graph at the default thresholds,
and read them back (`stored_dependencies`, `stored_duplicates`).

Called by `cli.ingest.build` on every load, so the stored graph (and the
views and exports made from it) carry the same links the queries report, each with
score, method and evidence. DEPENDS_ON goes from the relying action to each providing
action (``props.kind``: relies-on-service / shared-partner / overlapping-objective;
``props.service``: the Service node relied on, else its name); DUPLICATES goes from
each member of a group to the group's representative action (a star, not every pair).
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from graphmodel.build import merge_editions
from graphmodel.graph import PartnerGraph
from graphmodel.schema import INFERRED_EDGES, Edge, EdgeKind, NodeKind

from ._base import strategy_index
from .dependencies import DEFAULT_MIN_SCORE, Dependency, inferred_dependencies, link_rows
from .duplicates import DEFAULT_THRESHOLD, METHOD, Link, analysis, duplicate_actions, groups_from_links
from .results import DependencyLink, DuplicateGroup


def materialise(graph: PartnerGraph) -> dict[str, int]:
    """Recompute every inferred edge of ``graph`` in place; returns how many of each were added."""
    # editions of one strategy loaded at different times are one strategy (build does this
    # within one load; a store merged from several loads needs it again)
    merge_editions(graph)
    graph.remove_edges(EdgeKind.DEPENDS_ON)
    graph.remove_edges(EdgeKind.DUPLICATES)
    added = {str(EdgeKind.DEPENDS_ON): 0, str(EdgeKind.DUPLICATES): 0}
    # both computed before any edge is added: they share the text similarity of the graph
    deps = [d for d in inferred_dependencies(graph) if d.score >= DEFAULT_MIN_SCORE]
    groups = duplicate_actions(graph, threshold=DEFAULT_THRESHOLD)
    texts = {u: x.text for u, x in analysis(graph).units.items()}
    for d in deps:
        graph.add_edge(
            Edge(
                d.source,
                d.target,
                EdgeKind.DEPENDS_ON,
                graph.node(d.source).source,
                {
                    "kind": d.kind,
                    "service": d.service_id or d.service,
                    "service_name": d.service,
                    "from_strategy": d.from_strategy,
                    "to_strategy": d.to_strategy,
                    "words": list(d.words_from),
                    "target_words": list(d.words_to),
                },
                score=d.score,
                method=d.method,
                evidence=d.evidence,
            )
        )
        added[str(EdgeKind.DEPENDS_ON)] += 1
    for group in groups:
        for pair in group.pairs:
            member = pair.b if pair.a == group.representative else pair.a
            graph.add_edge(
                Edge(
                    member,
                    group.representative,
                    EdgeKind.DUPLICATES,
                    graph.node(member).source,
                    {
                        "type": pair.relation,
                        "group_type": group.type,
                        "group_size": group.size,
                        "lexical": pair.lexical,
                        "semantic": pair.semantic,
                        "cosine": pair.cosine,
                        "token_set": pair.token_set,
                        "shared_leads": list(pair.shared_leads),
                        "text": texts.get(member, ""),
                        "representative_text": texts.get(group.representative, ""),
                    },
                    score=pair.score,
                    method=METHOD,
                    evidence=pair.why,
                )
            )
            added[str(EdgeKind.DUPLICATES)] += 1
    return added


def materialise_on_server(store: Any, progress: Any = None) -> dict[str, int]:
    """Recompute the inferred links of the graph on a graph server (the Neo4j store) and
    write them back there, replacing older ones; returns how many of each it now holds.

    The text scoring runs here in Python on the pulled graph; only the DEPENDS_ON and
    DUPLICATES edges are sent back (`Neo4jStore.write_inferred`).
    """
    graph = store.read()
    materialise(graph)
    store.write_inferred(graph, progress=progress)
    return {str(k): sum(1 for _ in graph.edges(k)) for k in sorted(INFERRED_EDGES)}


def _edges_of(graph: PartnerGraph, kind: EdgeKind) -> list[Edge]:
    """The edges of one kind, ordered as `PartnerGraph.edges` orders them (source, target,
    kind), sorting only those: the whole graph's edges need not be sorted to pick a few."""
    key = str(kind)
    rows = sorted(
        ((u, v, k, d) for u, v, k, d in graph.g.edges(keys=True, data=True) if k == key),
        key=itemgetter(0, 1, 2),
    )
    return [
        Edge(u, v, d["kind"], d["source_ref"], d["props"], d["score"], d["method"], d["evidence"])
        for u, v, k, d in rows
    ]


def stored_dependencies(graph: PartnerGraph) -> list[DependencyLink]:
    """The DEPENDS_ON links `materialise` stored in ``graph``, one row per (action, other
    strategy), as `queries.dependencies.dependencies` gives them (no inference is rerun)."""
    deps = []
    for e in _edges_of(graph, EdgeKind.DEPENDS_ON):
        p = e.props
        service = str(p.get("service") or "")
        deps.append(
            Dependency(
                e.source,
                e.target,
                str(p.get("from_strategy") or ""),
                str(p.get("to_strategy") or ""),
                str(p.get("kind") or ""),
                float(e.score or 0.0),
                str(p.get("service_name") or service),
                service if service in graph and graph.kind_of(service) == NodeKind.SERVICE else None,
                tuple(p.get("words") or ()),
                tuple(p.get("target_words") or ()),
                e.evidence or "",
                e.method or "",
            )
        )
    deps = [d for d in deps if d.from_strategy in graph and d.to_strategy in graph]
    return link_rows(graph, deps, 0.0, "kind")


def stored_duplicates(graph: PartnerGraph) -> list[DuplicateGroup]:
    """The DUPLICATES stars `materialise` stored in ``graph``, grouped as
    `queries.duplicates.duplicate_actions` groups them (no inference is rerun)."""
    links, texts = [], {}
    for e in _edges_of(graph, EdgeKind.DUPLICATES):
        p = e.props
        links.append(
            Link(
                e.source,
                e.target,
                str(p.get("type") or "reworded"),
                float(e.score or 0.0),
                float(p.get("lexical") or 0.0),
                float(p.get("semantic") or 0.0),
                float(p.get("cosine") or 0.0),
                float(p.get("token_set") or 0.0),
            )
        )
        texts[e.source] = str(p.get("text") or "")
        texts[e.target] = str(p.get("representative_text") or "")
    return groups_from_links(graph, strategy_index(graph), links, texts)
