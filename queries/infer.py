"""Materialise inferred links (DEPENDS_ON, DUPLICATES) into a graph at the default thresholds,
and read them back (`stored_dependencies`, `stored_duplicates`).

Called by `graphmodel.pipeline.build` on every load, so the stored graph (and the
views and exports made from it) carry the same links the queries report, each with
score, method and evidence. DEPENDS_ON edges also carry ``props.kind`` ("service",
"similar-action", "names-strategy"; see `queries.dependencies.link_kind`).
"""

from __future__ import annotations

from typing import Any

from graphmodel.graph import PartnerGraph
from graphmodel.schema import INFERRED_EDGES, Edge, EdgeKind

from ._base import cite, strategy_index
from .dependencies import DEFAULT_MIN_SCORE, dependency_links, link_kind, sort_key
from .duplicates import DEFAULT_THRESHOLD, METHOD, Link, analysis, duplicate_actions, groups_from_links
from .results import DependencyLink, DuplicateGroup


def materialise(graph: PartnerGraph) -> dict[str, int]:
    """Recompute every inferred edge of ``graph`` in place; returns how many of each were added."""
    graph.remove_edges(EdgeKind.DEPENDS_ON)
    graph.remove_edges(EdgeKind.DUPLICATES)
    added = {str(EdgeKind.DEPENDS_ON): 0, str(EdgeKind.DUPLICATES): 0}
    # both computed before any edge is added: they share the text similarity of the graph
    links = dependency_links(graph, min_score=DEFAULT_MIN_SCORE)
    groups = duplicate_actions(graph, threshold=DEFAULT_THRESHOLD)
    texts = {u: x.text for u, x in analysis(graph).units.items()}
    for link in links:
        src = graph.node(link.action_id).source
        for target in link.target_ids:
            graph.add_edge(
                Edge(
                    link.action_id,
                    target,
                    EdgeKind.DEPENDS_ON,
                    src,
                    {
                        "to_strategy": link.to_strategy_id,
                        "to_strategies": [link.to_strategy_id],
                        "words": list(link.words),
                        "kind": link.kind,
                    },
                    score=link.score,
                    method=link.method,
                    evidence=link.evidence,
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


def stored_dependencies(graph: PartnerGraph) -> list[DependencyLink]:
    """The DEPENDS_ON links `materialise` stored in ``graph``, one row per (action, strategy),
    in the default order of `queries.dependencies.dependencies` (no inference is rerun).

    One edge (action -> body) may stand for links to several strategies
    (``props.to_strategies``); it keeps the score, method and evidence of the strongest,
    so such rows are approximate. Rows whose edges are all their own are exact.
    """
    index = strategy_index(graph)
    by_link: dict[tuple[str, str], list[Edge]] = {}
    for e in graph.edges(EdgeKind.DEPENDS_ON):
        for to in e.props.get("to_strategies") or [e.props.get("to_strategy") or e.target]:
            by_link.setdefault((e.source, str(to)), []).append(e)
    rows = []
    for (action, to), edges in by_link.items():
        edges.sort(key=lambda e: e.target)
        first, a = edges[0], index.of.get(action)
        if a is None or to not in graph:
            continue
        words = tuple(dict.fromkeys(w for e in edges for w in e.props.get("words") or []))
        rows.append(
            DependencyLink(
                action_id=action,
                action=graph.node(action).label,
                from_strategy_id=a,
                from_strategy=graph.node(a).label,
                to_strategy_id=to,
                to_strategy=graph.node(to).label,
                target_ids=tuple(e.target for e in edges),
                targets=tuple(graph.node(e.target).label for e in edges),
                words=words,
                score=float(first.score or 0.0),
                method=first.method or "",
                evidence=first.evidence or "",
                sources=(cite(first.source_ref),),
                kind=str(first.props.get("kind") or link_kind(set((first.method or "").split("+")))),
            )
        )
    rows.sort(key=lambda r: sort_key(r, "kind"))
    return rows


def stored_duplicates(graph: PartnerGraph) -> list[DuplicateGroup]:
    """The DUPLICATES stars `materialise` stored in ``graph``, grouped as
    `queries.duplicates.duplicate_actions` groups them (no inference is rerun)."""
    links, texts = [], {}
    for e in graph.edges(EdgeKind.DUPLICATES):
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
