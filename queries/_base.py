"""Shared helpers for queries: citing sources, naming things, text, caches, options.

Turning a query's source into facts (or a graph) is `queries.backend`'s job; this module
works on graphs and nodes, and imports nothing of ``queries``.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from typing import Any, TypeVar

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import EdgeKind, Node, NodeKind, Source

#: Edge kinds by which a body (organisation or service) takes part in an action.
ROLE_EDGES = (EdgeKind.LEADS, EdgeKind.SUPPORTS, EdgeKind.RESOURCES)
BODY_KINDS = (NodeKind.ORGANISATION, NodeKind.SERVICE)

# Words too common in strategy documents to say anything about what an action is about.
STOPWORDS = frozenset(
    """
a about across after all also an and any are as at be been being between both but by can
could do does each for from has have how in into is it its may more most must new no not
of on or other our out over own per so such than that the their them then there these they
this those through to under up upon via was we well were what when where which while who
will with within would you your including include includes ensure develop developed
developing development work working support supported continue continued use using make
made key further based e.g eg i.e ie etc within year years ongoing place places
""".split()
)

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def cite(src: Source | dict[str, Any] | None) -> str:
    """``doc.txt:12-14`` for a `Source` (or its dict form)."""
    if src is None:
        return ""
    if isinstance(src, dict):
        src = Source.from_dict(src)
    return src.cite()


def cites(sources: Iterable[Source | None]) -> tuple[str, ...]:
    """Unique citations in document/line order."""
    return tuple(s.cite() for s in sorted({s for s in sources if s is not None}))


@lru_cache(maxsize=1 << 18)  # pure; each text is normalised by several stages (100k+ texts)
def normalise(text: str) -> str:
    """Lower-case ASCII words separated by single spaces (for matching, not display)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_WORD.findall(ascii_text.lower().replace("’", "'")))


def content_words(text: str) -> list[str]:
    """Words of ``text`` that carry meaning (no stopwords, at least 3 letters)."""
    return [w for w in normalise(text).split() if len(w) >= 3 and w not in STOPWORDS]


def own_text(node: Node) -> str:
    """An action's own text (without the Actions cell above it)."""
    text = node.props.get("text") if node.props else None
    return str(text) if text else node.label


def action_text(node: Node) -> str:
    """The full text of an action: its "Actions" cell (if the table had one) and its own text.

    The label may be truncated; in action-plan tables the sub-objective alone ("To reduce
    risk ...") repeats across rows, so the Actions cell is what tells rows apart.
    """
    return _action_text(node)[0]


def _join_normalised(*parts: str) -> str:
    """normalise(" ".join(texts)) from the texts' own normal forms: words never span the
    joining space, so normalising part by part gives the same words."""
    return " ".join(p for p in parts if p)


def _action_text(node: Node) -> tuple[str, str]:
    """`action_text` and its `normalise` form (each text normalised once)."""
    own = own_text(node)
    own_norm = normalise(own)
    cell = node.props.get("actions_text") if node.props else None
    if isinstance(cell, str) and cell.strip():
        cell_norm = normalise(cell)
        if cell_norm not in own_norm:
            return f"{cell.strip()} {own}", _join_normalised(cell_norm, own_norm)
    return own, own_norm


#: Priority levels that are cells of the same action-plan row as the action below them.
CONTEXT_LEVELS = frozenset({"action", "sub_area"})


def detail_texts(node: Node) -> list[str]:
    """The cells of an action's row that say more about it (the loaders list their columns in
    ``props.detail_columns``: a "Description" beside the "Action", an "Impact/ outputs" column)."""
    props = node.props or {}
    names = props.get("detail_columns") or ()
    return [str(props[k]) for k in names if isinstance(k, str) and isinstance(props.get(k), str) and props[k]]


def context_text(graph: PartnerGraph, action_id: str) -> str:
    """An action's text plus the row cells above it (its Actions and Sub Area priorities)
    and the cells of its row that describe it (`detail_texts`)."""
    node = graph.node(action_id)
    first, normed = _action_text(node)
    parts = [first]  # normed: normalise(" ".join(parts)), kept up to date part by part
    for detail in detail_texts(node):
        if normalise(detail) not in normed:
            parts.append(detail)
            normed = _join_normalised(normed, normalise(detail))
    frontier, seen = [action_id], {action_id}
    while frontier:
        nid = frontier.pop()
        for target in graph.targets(nid, EdgeKind.PART_OF):
            parent = graph.node(target)
            if (
                parent.kind == NodeKind.PRIORITY
                and parent.props.get("level") in CONTEXT_LEVELS
                and parent.id not in seen
            ):
                seen.add(parent.id)
                if normalise(parent.label) not in normed:
                    parts.append(str(parent.props.get("text") or parent.label))
                    normed = _join_normalised(normed, normalise(parts[-1]))
                frontier.append(parent.id)
    return " ".join(parts)


def aliases(node: Node) -> list[str]:
    """Label and every surface form a node was found under."""
    names = [node.label]
    for a in node.props.get("aliases") or []:
        if isinstance(a, str) and a not in names:
            names.append(a)
    return names


T = TypeVar("T")
_CACHE: weakref.WeakKeyDictionary[PartnerGraph, dict[str, tuple[int, Any]]] = weakref.WeakKeyDictionary()


def per_graph(graph: PartnerGraph, name: str, compute: Callable[[PartnerGraph], T]) -> T:
    """``compute(graph)``, remembered for this graph object until it changes.

    Several queries (and `materialise`) need the same derived data (strategy of each action,
    scored text pairs); computing it once per graph keeps a run linear in the work. The key
    is the graph's mutation counter (`PartnerGraph.version`), so any node or edge added or
    removed, or any property set, through the graph's methods gives a fresh answer.
    """
    sig = graph.version
    slot = _CACHE.setdefault(graph, {})
    hit = slot.get(name)
    if hit is not None and hit[0] == sig:
        return hit[1]
    value = compute(graph)
    slot[name] = (sig, value)
    return value


def strategy_index(graph: PartnerGraph) -> StrategyIndex:
    """The `StrategyIndex` of ``graph``, built once per graph state."""
    return per_graph(graph, "strategy_index", StrategyIndex)


class StrategyIndex:
    """Which strategy each action belongs to, computed once per graph."""

    def __init__(self, graph: PartnerGraph) -> None:
        self.graph = graph
        self.of: dict[str, str | None] = {}
        self.actions: dict[str, list[str]] = {}
        for n in graph.nodes(NodeKind.ACTION):
            sid = graph.strategy_of(n.id)
            self.of[n.id] = sid
            if sid is not None:
                self.actions.setdefault(sid, []).append(n.id)

    def label(self, sid: str | None) -> str:
        return self.graph.node(sid).label if sid is not None and sid in self.graph else ""


def roles(graph: PartnerGraph, action_id: str) -> list[tuple[str, EdgeKind, Source]]:
    """(body id, LEADS/SUPPORTS/RESOURCES, source) for every body taking part in an action."""
    out = []
    for body, _, d in graph.in_edge_data(action_id):  # no Edge objects for other edges
        if d["kind"] in ROLE_EDGES and graph.kind_of(body) in BODY_KINDS:
            out.append((body, EdgeKind(d["kind"]), d["source_ref"]))
    return sorted(out, key=lambda t: (t[1], t[0]))


def leads_of(graph: PartnerGraph, action_id: str) -> tuple[str, ...]:
    """Labels of the bodies that lead an action."""
    return tuple(sorted(graph.node(b).label for b, k, _ in roles(graph, action_id) if k is EdgeKind.LEADS))


# ----------------------------------------------------------------------- options
def check_unit(value: float, option: str) -> float:
    """``value`` if it is within 0..1, else an `InputError` naming ``option``."""
    if not 0.0 <= value <= 1.0:
        raise InputError(f"{option} must be between 0 and 1, got {value}")
    return value


def parse_date(text: str | date | None, option: str) -> date | None:
    """An ISO date (YYYY-MM-DD) from an option value; `InputError` if it is not one."""
    if text is None or isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(f"{option} must be a date like 2018-03-31, got {text!r}") from None


#: Words that every strategy title may carry: they do not tell strategies apart.
GENERIC_TITLE_WORDS = frozenset(
    """strategy strategies plan plans action actions programme
program joint draft annual review delivery the and of for borough council year""".split()
)


def _title_words(text: str) -> list[str]:
    return [w for w in normalise(text).split() if w not in GENERIC_TITLE_WORDS and not w.isdigit()]


def name_score(query: str, name: str) -> float:
    """How well ``query`` names ``name`` (0..100): all its words present scores 95, else fuzzy."""
    from rapidfuzz import fuzz

    q, n = _title_words(query), _title_words(name)
    if not q or not n:
        return 0.0
    if normalise(query) == normalise(name):
        return 100.0
    if set(q) <= set(n):
        return 95.0
    return max(
        fuzz.token_set_ratio(" ".join(q), " ".join(n)),
        0.9 * fuzz.partial_ratio(" ".join(q), " ".join(n)) if len(" ".join(q)) >= 4 else 0.0,
    )


def resolve_strategy(graph: PartnerGraph, name: str, option: str = "strategy") -> str:
    """The id of the one strategy ``name`` fuzzily names (label or alias).

    Unknown or ambiguous names raise `InputError` listing the candidates.
    """
    strategies = list(graph.nodes(NodeKind.STRATEGY))
    if not strategies:
        raise InputError(f"{option} {name!r}: the store holds no strategies; load documents first")
    exact = [
        s.id for s in strategies if s.id == name or any(normalise(a) == normalise(name) for a in aliases(s))
    ]
    if len(exact) == 1:
        return exact[0]
    scored = sorted(
        ((max(name_score(name, a) for a in aliases(s)), s.label, s.id) for s in strategies),
        key=lambda t: (-t[0], t[1]),
    )
    best = scored[0]
    close = [s for s in scored if s[0] >= 80 and best[0] - s[0] < 5]
    if best[0] >= 80 and len(close) == 1:
        return best[2]
    shown = close if len(close) > 1 else scored[:5]
    listing = "; ".join(label for _, label, _ in shown)
    what = "is ambiguous" if len(close) > 1 else "matches no strategy"
    raise InputError(f"{option} {name!r} {what}; candidates: {listing}")


@lru_cache(maxsize=1)
def today() -> date:
    """Today's date (one place, so tests can see what 'now' was)."""
    return date.today()
