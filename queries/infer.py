"""Materialise inferred links (DEPENDS_ON, DUPLICATES) into a graph at the default thresholds.

Called by `graphmodel.pipeline.build` on every load, so the stored graph (and the
views and exports made from it) carry the same links the queries report, each with
score, method and evidence. DEPENDS_ON edges also carry ``props.kind`` ("service",
"similar-action", "names-strategy"; see `queries.dependencies.link_kind`).
"""

from __future__ import annotations

from graphmodel.graph import PartnerGraph
from graphmodel.schema import Edge, EdgeKind

from .dependencies import DEFAULT_MIN_SCORE, dependency_links
from .duplicates import DEFAULT_THRESHOLD, METHOD, duplicate_actions


def materialise(graph: PartnerGraph) -> dict[str, int]:
    """Recompute every inferred edge of ``graph`` in place; returns how many of each were added."""
    graph.remove_edges(EdgeKind.DEPENDS_ON)
    graph.remove_edges(EdgeKind.DUPLICATES)
    added = {str(EdgeKind.DEPENDS_ON): 0, str(EdgeKind.DUPLICATES): 0}
    # both computed before any edge is added: they share the text similarity of the graph
    links = dependency_links(graph, min_score=DEFAULT_MIN_SCORE)
    groups = duplicate_actions(graph, threshold=DEFAULT_THRESHOLD)
    for link in links:
        src = graph.node(link.action_id).source
        for target in link.target_ids:
            graph.add_edge(Edge(link.action_id, target, EdgeKind.DEPENDS_ON, src,
                                {"to_strategy": link.to_strategy_id, "words": list(link.words),
                                 "kind": link.kind},
                                score=link.score, method=link.method, evidence=link.evidence))
            added[str(EdgeKind.DEPENDS_ON)] += 1
    for group in groups:
        for pair in group.pairs:
            words = ", ".join(pair.shared_words)
            graph.add_edge(Edge(pair.a, pair.b, EdgeKind.DUPLICATES, graph.node(pair.a).source,
                                {"group_size": group.size, "cosine": pair.cosine,
                                 "token_set": pair.token_set, "shared_leads": list(pair.shared_leads)},
                                score=pair.score, method=METHOD,
                                evidence=f"shared words: {words}" if words else "same text"))
            added[str(EdgeKind.DUPLICATES)] += 1
    return added
