"""Finding things: fuzzy search over names and text, and explained shortest paths between two.

Paths are undirected (a lead and a partner of the same action are two hops apart
whatever the edge directions) but each hop says which way its edge points, its kind
and the source line it came from. Document nodes are left out: every node cites its
document, so paths through them would explain nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice, pairwise

import networkx as nx
from rapidfuzz import fuzz

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import Edge, Node, NodeKind
from graphmodel.store import Store

from ._base import aliases, cite, graph_of, normalise
from .cypher import is_server
from .results import Hop, PathResult, SearchHit

MIN_SEARCH_SCORE = 70.0
_KIND_ORDER = {
    k: i
    for i, k in enumerate(
        [
            NodeKind.ORGANISATION,
            NodeKind.SERVICE,
            NodeKind.STRATEGY,
            NodeKind.RECOMMENDATION,
            NodeKind.PRIORITY,
            NodeKind.ACTION,
        ]
    )
}


def _fields(node) -> list[tuple[str, str]]:
    out = [("label", node.label)]
    out += [("alias", a) for a in aliases(node)[1:]]
    text = node.props.get("text")
    if isinstance(text, str) and text and text != node.label:
        out.append(("text", text))
    return out


def text_score(want: str, value: str, *, long_text: bool = False) -> float:
    """0..100: exact 100; every query word in the value 90 (85 in long text); else fuzzy."""
    if not value:
        return 0.0
    if value == want:
        return 100.0
    words = set(value.split())
    if set(want.split()) <= words:
        return 85.0 if long_text else 90.0
    score = fuzz.ratio(want, value)
    if len(want) >= 5:  # a misspelt word or phrase inside a longer name or text
        score = max(score, 0.85 * fuzz.partial_ratio(want, value))
    return min(score, 80.0) if long_text else score


def search(
    source: Store | PartnerGraph, text: str, *, limit: int = 20, min_score: float = MIN_SEARCH_SCORE
) -> list[SearchHit]:
    """Nodes whose label, aliases or action text fuzzily match ``text`` (best first)."""
    want = normalise(text)
    if not want:
        raise InputError("search text is empty")
    if is_server(source):
        from .cypher import search_nodes, strategy_labels

        nodes: Iterable[Node] = search_nodes(source)
    else:
        graph = graph_of(source, "search")
        nodes = (n for n in graph.nodes() if n.kind != NodeKind.DOCUMENT)
    found = []
    for node in nodes:
        best, matched = 0.0, ""
        for field_name, value in _fields(node):
            score = text_score(want, normalise(value), long_text=field_name == "text")
            if score > best:
                best, matched = score, field_name
        if best >= min_score:
            found.append((round(best, 1), node, matched))
    found.sort(key=lambda t: (-t[0], _KIND_ORDER.get(t[1].kind, 9), len(t[1].label), t[1].id))
    found = found[:limit]
    # the strategy is looked up for the hits shown only
    in_strategy = [n.id for _, n, _ in found if n.kind in (NodeKind.ACTION, NodeKind.PRIORITY)]
    if is_server(source):
        strategy = strategy_labels(source, in_strategy)
    else:
        of = {nid: graph.strategy_of(nid) for nid in in_strategy}
        strategy = {nid: graph.node(sid).label for nid, sid in of.items() if sid is not None}
    return [
        SearchHit(n.id, str(n.kind), n.label, score, matched, strategy.get(n.id, ""), (cite(n.source),))
        for score, n, matched in found
    ]


def resolve_entity(source: Store | PartnerGraph, text: str, option: str) -> str:
    """The node id ``text`` names: an id, else the single best search hit."""
    if is_server(source):
        from .cypher import node_heads

        if node_heads(source, [text]):
            return text
    elif isinstance(source, PartnerGraph) and text in source:
        return text
    hits = search(source, text, limit=5, min_score=70)
    if not hits:
        raise InputError(f"{option} {text!r} matches nothing; try 'partnermap query search'")
    if (
        len(hits) > 1
        and hits[1].score == hits[0].score
        and hits[1].kind == hits[0].kind
        and hits[0].score < 100
    ):
        listing = "; ".join(f"{h.label} ({h.kind})" for h in hits[:5] if h.score == hits[0].score)
        raise InputError(f"{option} {text!r} is ambiguous; candidates: {listing}")
    return hits[0].id


def _undirected(graph: PartnerGraph) -> nx.Graph:
    g = nx.Graph()
    for n, d in graph.g.nodes(data=True):
        if d["kind"] != NodeKind.DOCUMENT:
            g.add_node(n)
    for e in graph.edges():  # sorted, so the edge kept for a node pair is deterministic
        if e.source in g and e.target in g and e.source != e.target and not g.has_edge(e.source, e.target):
            g.add_edge(e.source, e.target, edge=e)
    return g


def path(source: Store | PartnerGraph, a: str, b: str, *, limit: int = 3) -> list[PathResult]:
    """Up to ``limit`` shortest paths between the entities ``a`` and ``b`` names, hop by hop."""
    if limit < 1:
        raise InputError(f"limit must be at least 1, got {limit}")
    if is_server(source):  # runs on the server: queries/cypher.py
        from .cypher import server_path

        return server_path(source, a, b, limit=limit)
    graph = graph_of(source)
    start, end = resolve_entity(graph, a, "A"), resolve_entity(graph, b, "B")
    if start == end:
        raise InputError(f"A and B name the same node ({graph.node(start).label})")
    g = _undirected(graph)
    if start not in g or end not in g:
        return []
    try:
        found = list(islice(nx.all_shortest_paths(g, start, end), 200))
    except nx.NetworkXNoPath:
        return []
    labels = {n: graph.node(n).label for p in found for n in p}
    found.sort(key=lambda p: ([labels[n] for n in p], p))
    return [
        path_result(rank, p, labels, lambda u, v: g.edges[u, v]["edge"])
        for rank, p in enumerate(found[:limit], start=1)
    ]


def path_result(
    rank: int, nodes: list[str] | tuple[str, ...], labels: dict[str, str], edge_of: Callable[[str, str], Edge]
) -> PathResult:
    """The explained path through ``nodes``: each hop's edge kind, direction and source
    (``edge_of(u, v)`` is the edge kept for that node pair, by either store)."""
    hops = []
    for u, v in pairwise(nodes):
        e = edge_of(u, v)
        hops.append(
            Hop(u, labels[u], str(e.kind), "->" if e.source == u else "<-", v, labels[v], e.source_ref.cite())
        )
    text = labels[nodes[0]] + "".join(
        f" -{h.kind}-> {h.target}" if h.direction == "->" else f" <-{h.kind}- {h.target}" for h in hops
    )
    return PathResult(
        rank,
        len(hops),
        labels[nodes[0]],
        labels[nodes[-1]],
        tuple(hops),
        text,
        tuple(dict.fromkeys(h.cite for h in hops)),
    )
