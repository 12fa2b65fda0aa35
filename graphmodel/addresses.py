"""Recommendation -> action/priority links: which part of a strategy answers which recommendation.

A recommendation's ``references`` are the raw "where referenced" items a strategy printed
beside it. `link_addresses` turns each into ADDRESSES edges (Action or Priority ->
Recommendation) inside the recommendation's own strategy:

* quoted actions ("Action - Develop non-stigmatising ...", "Action plan - Deliver ...")
  match the Action whose text is most similar (rapidfuzz ``token_set_ratio`` on
  lower-cased words; at least `ACTION_THRESHOLD`);
* "Strategic priority 3 - improving ... - Crisis" matches the numbered priority, plus any
  theme under it whose name words all occur in the item;
* other items ("Improving recovery", "Housing", "Stigma and Literacy", "Action under
  prevention and promotion of wellbeing") match priorities whose name words all occur in the
  item (a theme named "Crisis services" matches "Crisis services - Barnet CCG ..."), else
  an action by similarity at the stricter `LOOSE_ACTION_THRESHOLD`.

Items that name nothing found ("Local policy context", "Action plan") are kept in the
recommendation's ``props["unmatched_references"]``; its status item ("This has happened")
is neither. Edges carry ``score`` (0..1), ``method`` and the shared words as ``evidence``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .graph import PartnerGraph
from .schema import Edge, EdgeKind, Node, NodeKind

#: token_set_ratio (0-100) a quoted action must reach. Measured on the seed Appendix 1:
#: all 15 quotes score 100 against their action (quotes cut mid-sentence are word subsets);
#: the best wrong action for any quote scores at most 68.
ACTION_THRESHOLD = 80.0
#: for items that do not say "Action": only near-verbatim copies of an action count.
LOOSE_ACTION_THRESHOLD = 92.0

_STOP = frozenset(
    (
        "a an and as at by for from in into is of on or our the their this to we will with be that which"
    ).split()
)
_ACTION_PREFIX = re.compile(r"^action(?:\s+plan)?\s*[-–:]\s*(?P<quote>.+)$", re.I)
_ACTION_UNDER = re.compile(r"^actions?\s+(?:under|in)\s+(?P<name>.+)$", re.I)
#: a named strategy or plan ("Carers Strategy", "Local Transformation Plan for ...")
_OTHER_STRATEGY = re.compile(
    r"\b[A-Z][\w'’-]*\s+(?:Strategy|Plan|Programme|Framework|View)\b|"
    r"\b(?:strategy|plan)\W*$"
)
_NUMBERED_PRIORITY = re.compile(r"^(?:strategic\s+)?priority\s+(?P<n>\d{1,2})\b(?P<rest>.*)$", re.I)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _content(text: str) -> set[str]:
    """Content words, lightly stemmed (plural s), for name-containment tests."""
    out = set()
    for w in _words(text):
        if w in _STOP:
            continue
        out.add(w[:-1] if len(w) > 4 and w.endswith("s") else w)
    return out


def _norm(text: str) -> str:
    return " ".join(_words(text))


@dataclass(frozen=True, slots=True)
class _Link:
    target: str
    score: float
    method: str
    words: tuple[str, ...]


def _best_action(quote: str, actions: list[Node], threshold: float) -> _Link | None:
    q = _norm(quote)
    if len(q.split()) < 3:
        return None
    scored = sorted(
        ((fuzz.token_set_ratio(q, _norm(str(a.props.get("text") or a.label))), a.id, a) for a in actions),
        key=lambda t: (-t[0], t[1]),
    )
    if not scored or scored[0][0] < threshold:
        return None
    score, aid, node = scored[0]
    shared = sorted(_content(quote) & _content(str(node.props.get("text") or node.label)))
    return _Link(aid, round(score / 100, 3), "token_set_ratio", tuple(shared))


def _priority_links(item: str, priorities: list[Node], scope: set[str] | None = None) -> list[_Link]:
    """Priorities whose every name word occurs in ``item`` (within ``scope`` when given)."""
    words = _content(item)
    out = []
    for p in priorities:
        if scope is not None and p.id not in scope:
            continue
        name = _content(p.label)
        if name and name <= words:
            out.append(_Link(p.id, 1.0, "name-containment", tuple(sorted(name))))
    return out


def _descendants(graph: PartnerGraph, node_id: str) -> set[str]:
    out: set[str] = set()
    frontier = [node_id]
    while frontier:
        nid = frontier.pop()
        for e in graph.in_edges(nid, EdgeKind.PART_OF):
            if e.source not in out:
                out.add(e.source)
                frontier.append(e.source)
    return out


def match_reference(
    item: str, graph: PartnerGraph, actions: list[Node], priorities: list[Node]
) -> list[_Link]:
    """The nodes one "where referenced" item points at (empty when none is found)."""
    text = item.strip().rstrip(";.").strip()
    if m := _ACTION_PREFIX.match(text):
        link = _best_action(m.group("quote"), actions, ACTION_THRESHOLD)
        return [link] if link else []
    if m := _ACTION_UNDER.match(text):
        return _priority_links(m.group("name"), priorities)
    if m := _NUMBERED_PRIORITY.match(text):
        n = int(m.group("n"))
        tops = [
            p
            for p in priorities
            if p.props.get("number") == n and p.props.get("level") == "strategic_priority"
        ]
        links = [_Link(p.id, 1.0, "priority-number", (f"priority {n}",)) for p in tops]
        for p in tops:
            links += _priority_links(m.group("rest"), priorities, _descendants(graph, p.id))
        return links
    head = re.split(r"\s+[-–]\s+", text, maxsplit=1)[0] if len(text.split()) > 12 else text
    if _OTHER_STRATEGY.search(head):
        return []  # names another strategy or plan: a reference, not a part of this one
    links = _priority_links(head, priorities)
    if not links and len(text.split()) >= 5:
        link = _best_action(text, actions, LOOSE_ACTION_THRESHOLD)
        links = [link] if link else []
    return links


def link_addresses(graph: PartnerGraph) -> None:
    """Add ADDRESSES edges for every Recommendation's references (see module docstring)."""
    # Members of each strategy, found once per strategy: many recommendations share one, and
    # the edges added here (ADDRESSES) do not change who is PART_OF what.
    parts: dict[str, tuple[list[Node], list[Node]]] = {}
    for rec in list(graph.nodes(NodeKind.RECOMMENDATION)):
        sid = graph.strategy_of(rec.id)
        refs = [str(r) for r in rec.props.get("references") or []]
        if sid is None or not refs:
            continue
        if sid not in parts:
            members = [graph.node(m) for m in sorted(graph.members_of(sid))]
            parts[sid] = (
                [n for n in members if n.kind == NodeKind.ACTION],
                [n for n in members if n.kind == NodeKind.PRIORITY],
            )
        actions, priorities = parts[sid]
        status = (rec.props.get("status") or "").strip().rstrip(".").casefold()
        unmatched: list[str] = []
        for item in refs:
            cleaned = item.strip().rstrip(".;").strip()
            if status and cleaned.casefold().endswith(status):
                continue  # the status statement ("This has happened") names no part of the plan
            links = match_reference(item, graph, actions, priorities)
            if not links:
                unmatched.append(item)
            for link in links:
                graph.add_edge(
                    Edge(
                        link.target,
                        rec.id,
                        EdgeKind.ADDRESSES,
                        rec.source,
                        {"reference": item, "score": link.score, "matched_words": list(link.words)},
                        score=link.score,
                        method=link.method,
                        evidence=" ".join(link.words),
                    )
                )
        graph.add_node(Node(rec.id, rec.kind, rec.label, rec.source, {"unmatched_references": unmatched}))
