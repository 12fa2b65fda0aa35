"""Near-duplicate actions within and across plans, grouped, with pairwise scores.

Score of a pair = 0.5 * TF-IDF cosine + 0.5 * token_set_ratio, plus 0.05 per shared
lead (at most 0.1), capped at 1. Pairs at or above the threshold are joined into
groups (union-find). Both parts are symmetric, so score(a, b) == score(b, a).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import EdgeKind, NodeKind
from graphmodel.store import Store

from ._base import (
    CONTEXT_LEVELS,
    StrategyIndex,
    action_text,
    check_unit,
    cite,
    content_words,
    graph_of,
    leads_of,
    normalise,
    own_text,
    per_graph,
    strategy_index,
)
from ._text import Scored, candidate_array, score_array, shared_words, vectorise
from .results import DuplicateGroup, DuplicateMember, DuplicatePair

DEFAULT_THRESHOLD = 0.8
METHOD = "tfidf(word1-2+char_wb3-5)+token_set_ratio+shared_leads"
SCOPES = ("within", "across", "all")
MIN_OWN_WORDS = 8  # own text this long says enough on its own to be compared without its cell


@dataclass(frozen=True, slots=True)
class Pair:
    """A scored pair of actions (ids ordered a < b)."""

    a: str
    b: str
    score: float
    cosine: float
    token_set: float
    shared_leads: tuple[str, ...]


def pair_score(cosine: float, token_set: float, shared_leads: int) -> float:
    """The verified duplicate score of a pair (see module docstring)."""
    return round(min(1.0, 0.5 * cosine + 0.5 * token_set + 0.05 * min(shared_leads, 2)), 4)


def _cell_of(graph: PartnerGraph, action_id: str) -> str | None:
    """The "Actions" cell (a Priority of level ``action``) an action-plan row belongs to."""
    for e in graph.out_edges(action_id, EdgeKind.PART_OF):
        if graph.kind_of(e.target) == NodeKind.PRIORITY and \
                graph.node(e.target).props.get("level") in CONTEXT_LEVELS:
            return e.target
    return None


@dataclass(frozen=True, slots=True)
class Similarity:
    """Scored candidate pairs of every action of a graph (indices into ``ids``).

    ``full``: pairs from different Actions cells, scored on their full text (cell + own
    text); ``own``: pairs scored on their own text: rows of one Actions cell, and pairs
    whose own texts are both specific (at least `MIN_OWN_WORDS` content words).
    """

    ids: tuple[str, ...]
    full: dict[tuple[int, int], Scored]
    own: dict[tuple[int, int], Scored]


def _score_mapped(norm: list[str], x: object, ii: np.ndarray, jj: np.ndarray, row: np.ndarray,
                  ) -> dict[tuple[int, int], Scored]:
    """Score action pairs ``(ii[k], jj[k])`` through the rows ``row`` of their texts in one
    shared TF-IDF matrix; pairs whose texts are the same strings are scored once."""
    ri, rj = row[ii], row[jj]
    n = len(norm)
    code = np.minimum(ri, rj) * n + np.maximum(ri, rj)
    uniq, back = np.unique(code, return_inverse=True)
    si, sj, cos, ts = score_array(norm, uniq // n, uniq % n, x, floor=0.25)  # type: ignore[arg-type]
    at = np.searchsorted(uniq, si * n + sj)  # scored string pairs -> positions in uniq
    hit = np.full(len(uniq), -1)
    hit[at] = np.arange(len(at))
    k = hit[back]
    ok = k >= 0
    return {(i, j): Scored(i, j, c, t) for i, j, c, t in
            zip(ii[ok].tolist(), jj[ok].tolist(), cos[k[ok]].tolist(), ts[k[ok]].tolist(), strict=True)}


def _similarity(graph: PartnerGraph) -> Similarity:
    actions = list(graph.nodes(NodeKind.ACTION))
    texts = [action_text(n) for n in actions]
    own = [own_text(n) for n in actions]
    cell_ids: dict[str | None, int] = {None: -1}
    cells = np.array([cell_ids.setdefault(_cell_of(graph, n.id), len(cell_ids) - 1) for n in actions],
                     dtype=np.int64)
    n = len(actions)
    oi, oj = candidate_array(own)
    fi, fj = candidate_array(texts)
    code = np.union1d(oi * n + oj, fi * n + fj)
    ii, jj = code // max(n, 1), code % max(n, 1)
    siblings = (cells[ii] >= 0) & (cells[ii] == cells[jj])
    specific = np.array([len(content_words(t)) >= MIN_OWN_WORDS for t in own], dtype=bool)
    differs = np.array([t != o for t, o in zip(texts, own, strict=True)], dtype=bool)
    own_pairs = siblings | (specific[ii] & specific[jj] & (differs[ii] | differs[jj]))
    strings = list(dict.fromkeys(texts + own))
    where = {t: k for k, t in enumerate(strings)}
    x = vectorise(strings) if len(code) else None  # fitted once for both kinds of text
    norm = [normalise(t) for t in strings]
    full = ~siblings
    return Similarity(tuple(n.id for n in actions),
                      _score_mapped(norm, x, ii[full], jj[full], np.array([where[t] for t in texts])),
                      _score_mapped(norm, x, ii[own_pairs], jj[own_pairs],
                                    np.array([where[t] for t in own])))


def similarity(graph: PartnerGraph) -> Similarity:
    """`Similarity` of ``graph``'s actions, computed once per graph state (duplicates and
    dependencies both use it)."""
    return per_graph(graph, "similarity", _similarity)


def scored_pairs(graph: PartnerGraph, *, floor: float = 0.5) -> list[Pair]:
    """Every candidate pair of actions scoring at least ``floor`` (ids ordered a < b).

    Actions are compared by their full text (Actions cell + own text). Two rows of the
    same Actions cell share that cell, so they are compared by their own text only:
    "Develop and design survey" and "Facilitate implementation of survey" are steps of
    one action, not duplicates. Rows of different cells whose own texts are specific
    (long enough to say something on their own) score the better of both texts: a
    sub-objective copied into another plan under another Actions cell is a duplicate.
    """
    sim = similarity(graph)
    leads: dict[int, set[str]] = {}
    out = []
    for key in sim.full.keys() | sim.own.keys():
        best = None
        for s in (sim.full.get(key), sim.own.get(key)):
            if s is not None and (best is None or s.cosine + s.token_set > best.cosine + best.token_set):
                best = s
        assert best is not None
        if 0.5 * best.cosine + 0.5 * best.token_set + 0.1 < floor - 1e-4:
            continue  # below the floor even with two shared leads: skip the lead lookups
        i, j = key
        for k in (i, j):
            if k not in leads:
                leads[k] = set(leads_of(graph, sim.ids[k]))
        common = tuple(sorted(leads[i] & leads[j]))
        score = pair_score(best.cosine, best.token_set, len(common))
        if score >= floor:
            a, b = sorted((sim.ids[i], sim.ids[j]))
            out.append(Pair(a, b, score, best.cosine, best.token_set, common))
    out.sort(key=lambda p: (p.a, p.b))
    return out


def duplicate_actions(source: Store | PartnerGraph, *, threshold: float = DEFAULT_THRESHOLD,
                      scope: str = "all") -> list[DuplicateGroup]:
    """Groups of near-duplicate actions (best group first).

    ``scope``: ``within`` one strategy, ``across`` strategies, or ``all``.
    """
    check_unit(threshold, "threshold")
    if scope not in SCOPES:
        raise InputError(f"scope must be one of {', '.join(SCOPES)}, got {scope!r}")
    graph = graph_of(source, "duplicates")
    index = strategy_index(graph)
    pairs = [p for p in scored_pairs(graph, floor=min(threshold, 0.5)) if p.score >= threshold]
    if scope != "all":
        want_same = scope == "within"
        pairs = [p for p in pairs if (index.of[p.a] == index.of[p.b]) == want_same]
    return groups_of(graph, index, pairs)


def groups_of(graph: PartnerGraph, index: StrategyIndex, pairs: list[Pair]) -> list[DuplicateGroup]:
    """Pairs joined into groups (union-find), best group first."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        ra, rb = find(p.a), find(p.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    by_root: dict[str, list[Pair]] = {}
    for p in pairs:
        by_root.setdefault(find(p.a), []).append(p)
    groups = []
    for root_pairs in by_root.values():
        ids = sorted({x for p in root_pairs for x in (p.a, p.b)})
        nodes = {i: graph.node(i) for i in ids}
        members = tuple(DuplicateMember(i, nodes[i].label, index.label(index.of.get(i)),
                                        leads_of(graph, i), cite(nodes[i].source)) for i in ids)
        lead_count: dict[str, int] = {}
        for m in members:
            for lead in m.leads:
                lead_count[lead] = lead_count.get(lead, 0) + 1
        strategies = tuple(sorted({m.strategy for m in members}))
        out_pairs = tuple(DuplicatePair(p.a, p.b, p.score, p.cosine, p.token_set, p.shared_leads,
                                        shared_words(action_text(nodes[p.a]), action_text(nodes[p.b])))
                          for p in sorted(root_pairs, key=lambda p: (-p.score, p.a, p.b)))
        words = out_pairs[0].shared_words
        groups.append(DuplicateGroup(
            group=0, scope="within" if len(strategies) == 1 else "across",
            score=out_pairs[0].score, size=len(ids), strategies=strategies,
            labels=tuple(m.label for m in members),
            shared_leads=tuple(sorted(k for k, v in lead_count.items() if v > 1)),
            members=members, pairs=out_pairs, method=METHOD,
            evidence="shared words: " + ", ".join(words) if words else "same text",
            sources=tuple(m.source for m in members)))
    groups.sort(key=lambda g: (-g.score, -g.size, g.members[0].id))
    return [_renumber(g, k) for k, g in enumerate(groups, start=1)]


def _renumber(g: DuplicateGroup, k: int) -> DuplicateGroup:
    from dataclasses import replace

    return replace(g, group=k)
