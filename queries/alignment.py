"""How the strategies line up with a programme (default: the one most items align with).

Sections of the answer:

- ``member``: the programme's member organisations. Taken from a membership statement
  in a document ("PS initially includes Barnet CCG, the Royal Free, ...": the builder
  resolves the names into ``props.member_ids``, with the sentence and its line), or from
  names a loader listed in ``props.members``; when no document states the members, the
  organisations named in the programme's own text and in the evidence of ALIGNS_WITH /
  REFERENCES edges to it, whole-word matching of their names and aliases (basis says so).
- ``aligned``: priorities (workstreams) and actions that explicitly align with it
  (ALIGNS_WITH) or name it (MENTIONS).
- ``member-led``: actions led by a member.
- ``share``: per strategy, how many actions are aligned or member-led.
- ``gap``: actions on the programme's themes (content words shared by at least two
  aligned items) that neither align with nor name it, scored by TF-IDF cosine with
  the aligned items.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from graphmodel.graph import PartnerGraph
from graphmodel.schema import EdgeKind, NodeKind, Source

from ._base import (
    StrategyIndex,
    action_text,
    aliases,
    cites,
    content_words,
    normalise,
    resolve_strategy,
    strategy_index,
)
from ._text import vectorise
from .backend import QuerySource, graph_of
from .results import AlignmentItem

GAP_MIN_COSINE = 0.12
GAP_MIN_THEME_WORDS = 2
MAX_GAPS = 25
# One-word aliases that are ordinary words in programme text ("mental health"), not names.
_WEAK_ALIASES = frozenset(
    {
        "health",
        "care",
        "community",
        "communities",
        "partners",
        "council",
        "schools",
        "education",
        "services",
        "primary care",
    }
)


def _texts_about(graph: PartnerGraph, pid: str) -> list[str]:
    node = graph.node(pid)
    texts = [str(v) for k, v in node.props.items() if isinstance(v, str) and k != "aliases"]
    for e in graph.in_edges(pid):
        if e.kind in (EdgeKind.ALIGNS_WITH, EdgeKind.REFERENCES):
            texts.extend(str(v) for v in (e.evidence, e.props.get("evidence")) if v)
    return texts


def default_programme(graph: PartnerGraph) -> str | None:
    """Id of the programme most priorities and actions align with (ALIGNS_WITH), if any:
    the documents say which programme matters, not a name written in the code."""
    counts: Counter[str] = Counter(
        e.target
        for e in graph.edges(EdgeKind.ALIGNS_WITH)
        if graph.kind_of(e.target) == NodeKind.STRATEGY
        and graph.kind_of(e.source) in (NodeKind.PRIORITY, NodeKind.ACTION)
    )
    if not counts:
        return None
    return min(counts, key=lambda sid: (-counts[sid], graph.node(sid).label, sid))


def members(graph: PartnerGraph, pid: str) -> list[tuple[str, str]]:
    """(organisation id, basis) of the programme's members."""
    orgs = list(graph.nodes(NodeKind.ORGANISATION))
    props = graph.node(pid).props
    stated = props.get("member_ids")
    if isinstance(stated, list) and stated:
        evidence = props.get("members_evidence") or "a membership statement"
        return [(str(m), f"stated: {evidence}") for m in dict.fromkeys(stated) if str(m) in graph]
    names = props.get("members")
    found: dict[str, str] = {}
    if isinstance(names, list) and names:
        for raw in names:
            want = normalise(str(raw))
            for o in orgs:
                if any(normalise(a) == want for a in aliases(o)):
                    found.setdefault(o.id, "listed as a member")
        return sorted(found.items())
    text = " ".join(normalise(t) for t in _texts_about(graph, pid))
    for o in orgs:
        for a in aliases(o):
            a_n = normalise(a)
            if len(a_n) < 3 or a_n in _WEAK_ALIASES:
                continue
            if re.search(rf"(?<![a-z0-9]){re.escape(a_n)}(?![a-z0-9])", text):
                found.setdefault(o.id, f"named with the programme ({a})")
                break
    return sorted(found.items())


def alignment(source: QuerySource, *, programme: str | None = None) -> list[AlignmentItem]:
    """Members, aligned items, member-led actions, per-strategy shares and likely gaps."""
    graph = graph_of(source, "alignment")
    if programme is None:
        found = default_programme(graph)
        if found is None:  # nothing aligns with any programme in this corpus
            return []
        pid = found
    else:
        pid = resolve_strategy(graph, programme, "--programme")
    pname = graph.node(pid).label
    index = strategy_index(graph)
    out: list[AlignmentItem] = []

    def item(section: str, nid: str, strategy: str, detail: str, score: float | None, srcs: list) -> None:
        out.append(
            AlignmentItem(
                pname,
                section,
                nid,
                graph.node(nid).label,
                strategy,
                detail,
                None if score is None else round(score, 3),
                cites(srcs),
            )
        )

    member_list = members(graph, pid)
    member_ids = {m for m, _ in member_list}
    props = graph.node(pid).props
    statement = (
        Source(str(props["members_document"]), int(props["members_line"]), int(props["members_line"]))
        if props.get("member_ids") and props.get("members_document") and props.get("members_line")
        else None
    )
    for mid, basis in member_list:
        item("member", mid, "", basis, None, [statement or graph.node(mid).source])

    aligned: dict[str, tuple[str, list]] = {}
    for e in graph.in_edges(pid):
        if e.kind in (EdgeKind.ALIGNS_WITH, EdgeKind.MENTIONS) and graph.kind_of(e.source) in (
            NodeKind.PRIORITY,
            NodeKind.ACTION,
        ):
            how = "aligns with it" if e.kind == EdgeKind.ALIGNS_WITH else "names it"
            prev = aligned.get(e.source)
            aligned[e.source] = (
                how if prev is None or prev[0] == how else "aligns with and names it",
                [*(prev[1] if prev else []), e.source_ref],
            )
    covered: set[str] = set()
    for nid, (how, srcs) in sorted(aligned.items()):
        node = graph.node(nid)
        sid = index.of.get(nid) if node.kind == NodeKind.ACTION else graph.strategy_of(nid)
        extra = f" ({node.props.get('level')})" if node.props.get("level") else ""
        item("aligned", nid, index.label(sid), f"{node.kind}{extra} {how}", None, [*srcs, node.source])
        covered.add(nid)
        if node.kind == NodeKind.PRIORITY:
            covered |= {m for m in graph.members_of(nid)}

    led_by_member: dict[str, list[str]] = {}
    for e in graph.edges(EdgeKind.LEADS):
        if e.source in member_ids and graph.kind_of(e.target) == NodeKind.ACTION:
            led_by_member.setdefault(e.target, []).append(e.source)
    for aid, leads in sorted(led_by_member.items()):
        names = ", ".join(sorted(graph.node(m).label for m in leads))
        item(
            "member-led",
            aid,
            index.label(index.of.get(aid)),
            f"led by {names}",
            None,
            [graph.node(aid).source],
        )

    for sid, acts in sorted(index.actions.items(), key=lambda t: index.label(t[0])):
        n = len(acts)
        n_al = sum(1 for a in acts if a in covered)
        n_led = sum(1 for a in acts if a in led_by_member)
        item(
            "share",
            sid,
            index.label(sid),
            f"{n_al} of {n} actions aligned or under an aligned workstream; {n_led} led by members",
            (n_al + n_led) / (2 * n) if n else 0.0,
            [],
        )

    out.extend(_gaps(graph, index, pid, pname, aligned, covered))
    return out


def _gaps(
    graph: PartnerGraph,
    index: StrategyIndex,
    pid: str,
    pname: str,
    aligned: dict[str, tuple[str, list]],
    covered: set[str],
) -> list[AlignmentItem]:
    aligned_texts = []
    for nid in sorted(aligned):  # one order whatever the load order: the text is joined
        node = graph.node(nid)
        aims = node.props.get("aims") or ""
        aligned_texts.append(f"{action_text(node)} {aims}")
    if not aligned_texts:
        return []
    name_words = set(content_words(pname))
    df: Counter[str] = Counter()
    for t in aligned_texts:
        df.update(set(content_words(t)) - name_words)
    themes = {w for w, c in df.items() if c >= 2} or {w for w, _ in df.most_common(10)}
    candidates = [a for a in sorted(index.of) if a not in covered]
    if not candidates:
        return []
    texts = [action_text(graph.node(a)) for a in candidates]
    x = vectorise([*texts, " ".join(aligned_texts)])
    sims = np.asarray(x[:-1] @ x[-1].T.toarray()).ravel()
    rows = []
    for aid, text, sim in zip(candidates, texts, sims, strict=True):
        shared = sorted(set(content_words(text)) & themes)
        if len(shared) >= GAP_MIN_THEME_WORDS and sim >= GAP_MIN_COSINE:
            node = graph.node(aid)
            rows.append(
                AlignmentItem(
                    pname,
                    "gap",
                    aid,
                    node.label,
                    index.label(index.of.get(aid)),
                    f"on the programme's themes ({', '.join(shared[:8])}) but does not reference it",
                    round(float(sim), 3),
                    cites([node.source]),
                )
            )
    rows.sort(key=lambda r: (-(r.score or 0.0), r.id))
    return rows[:MAX_GAPS]
