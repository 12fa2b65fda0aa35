"""Finding things: fuzzy search over names and text, one resolver from a name to a node, and
explained shortest paths between two.

`resolve_entity` is the one resolver every command and view uses (``query path``,
``query dependencies --from/--to``, ``viz --focus``): an id, else the best search hit,
and when several hits score within `TIE_MARGIN` of the best it refuses the name and
lists the candidates instead of picking one silently.

Paths are undirected (a lead and a partner of the same action are two hops apart
whatever the edge directions) but each hop says which way its edge points, its kind
and the source line it came from. Document nodes are left out: every node cites its
document, so paths through them would explain nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from itertools import pairwise

from rapidfuzz import fuzz

from graphmodel.errors import InputError
from graphmodel.schema import Edge, Node, NodeKind

from ._base import aliases, cite, normalise
from .backend import QuerySource, facts_of
from .results import Hop, PathResult, SearchHit

MIN_SEARCH_SCORE = 70.0
#: Hits within this many points of the best make a name ambiguous.
TIE_MARGIN = 5.0
#: Names this short (acronyms, short aliases: "SILS", "CCG") match fuzzily only when
#: nearly equal (`SHORT_NAME_MIN`), never as a fragment of a longer query word.
SHORT_NAME = 5
SHORT_NAME_MIN = 85.0
_SHOWN = 8  # candidates listed in an "ambiguous" message
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


def _fields(node: Node) -> list[tuple[str, str]]:
    text = node.props.get("text")
    if isinstance(text, str) and text and text == node.label:
        return [("text", text)]  # an action's label is its text: scored as long text
    out = [("label", node.label)]
    out += [("alias", a) for a in aliases(node)[1:]]
    if isinstance(text, str) and text:
        out.append(("text", text))
    return out


def text_score(want: str, value: str, *, long_text: bool = False) -> float:
    """0..100: exact 100; every query word in the value 90..99 (more for a value the query
    covers more of: "Metropolitan Police" is nearer "Metropolitan Police Service" than
    "Metropolitan Police Service Control Strategy"; 85 in long text); else fuzzy.

    Partial (fragment) matching is used only when the value is at least as long as the
    query, and a short name (`SHORT_NAME` letters or fewer) must be nearly equal: "crisis"
    does not match the alias "SILS" because "sis" is in both.
    """
    if not value:
        return 0.0
    if value == want:
        return 100.0
    words, wanted = set(value.split()), set(want.split())
    if wanted <= words:  # a name the query covers more of ranks higher (90..99)
        return 85.0 if long_text else round(90.0 + 9.0 * len(wanted) / len(words), 1)
    score = fuzz.ratio(want, value)
    if len(value) <= SHORT_NAME:
        return score if score >= SHORT_NAME_MIN else 0.0
    if len(want) >= 5 and len(value) >= len(want):  # a misspelt word or phrase inside a longer name
        score = max(score, 0.85 * fuzz.partial_ratio(want, value))
    return min(score, 80.0) if long_text else score


def search(
    source: QuerySource,
    text: str,
    *,
    limit: int = 20,
    min_score: float = MIN_SEARCH_SCORE,
    kinds: Collection[NodeKind] | None = None,
) -> list[SearchHit]:
    """Nodes whose label, aliases or action text fuzzily match ``text`` (best first);
    only nodes of ``kinds`` when given."""
    want = normalise(text)
    if not want:
        raise InputError("search text is empty")
    facts = facts_of(source)
    found = []
    for node in facts.search_nodes():
        if kinds is not None and node.kind not in kinds:
            continue
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
    strategy = facts.strategy_labels(in_strategy)
    return [
        SearchHit(n.id, str(n.kind), n.label, score, matched, strategy.get(n.id, ""), (cite(n.source),))
        for score, n, matched in found
    ]


def resolve_entity(
    source: QuerySource, text: str, option: str, *, kinds: Collection[NodeKind] | None = None
) -> str:
    """The one node id ``text`` names (of ``kinds`` when given): an id, else the best search
    hit. `InputError` when nothing matches, or when several hits score within `TIE_MARGIN`
    of the best (the message lists them, so the user can pick one by its full name or id).
    """
    facts = facts_of(source)
    heads = facts.heads([text])
    if text in heads and (kinds is None or heads[text][0] in kinds):
        return text
    if not normalise(text):
        raise InputError(f"{option} is empty; give a name or an id")
    hits = search(facts, text, limit=50, min_score=MIN_SEARCH_SCORE, kinds=kinds)
    if not hits:
        if kinds:  # few enough to suggest the nearest names of that kind
            near = search(facts, text, limit=5, min_score=1.0, kinds=kinds)
            what = " or ".join(str(k).lower() for k in kinds)
            listing = "; ".join(h.label for h in near) or "none loaded"
            raise InputError(f"{option} {text!r} matches nothing of kind {what}; candidates: {listing}")
        raise InputError(f"no node matches {option} {text!r}; try 'partnermap query search'")
    exact = [h for h in hits if h.score >= 100.0]  # a full name or alias, as written
    close = exact or [h for h in hits if h.score >= hits[0].score - TIE_MARGIN]
    if len(close) == 1:
        return close[0].id
    listing = "; ".join(f"{h.label} ({h.kind})" for h in close[:_SHOWN])
    more = f"; and {len(close) - _SHOWN} more" if len(close) > _SHOWN else ""
    count = f"{len(close)}+" if len(close) == len(hits) == 50 else str(len(close))
    raise InputError(
        f"{option} {text!r} is ambiguous ({count} matches); candidates: {listing}{more}; "
        "give a full name or an id"
    )


def path(source: QuerySource, a: str, b: str, *, limit: int = 3) -> list[PathResult]:
    """Up to ``limit`` shortest paths between the entities ``a`` and ``b`` names, hop by hop."""
    if limit < 1:
        raise InputError(f"limit must be at least 1, got {limit}")
    facts = facts_of(source)
    start, end = resolve_entity(facts, a, "A"), resolve_entity(facts, b, "B")
    if start == end:
        raise InputError(f"A and B name the same node ({facts.heads([start])[start][1]})")
    found = facts.shortest_paths(start, end)
    if not found:
        return []
    labels = {n: head[1] for n, head in facts.heads(sorted({n for p in found for n in p})).items()}
    found.sort(key=lambda p: ([labels[n] for n in p], p))
    return [path_result(rank, p, labels, facts.pair_edge) for rank, p in enumerate(found[:limit], start=1)]


def path_result(
    rank: int, nodes: list[str] | tuple[str, ...], labels: dict[str, str], edge_of: Callable[[str, str], Edge]
) -> PathResult:
    """The explained path through ``nodes``: each hop's edge kind, direction and source
    (``edge_of(u, v)`` is the edge kept for that node pair: `queries.facts.Facts.pair_edge`)."""
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
