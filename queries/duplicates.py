"""Near-duplicate actions within and across plans, grouped, with pairwise scores.

Score of a pair = 0.5 * TF-IDF cosine + 0.5 * token_set_ratio, plus 0.05 per shared
lead (at most 0.1), capped at 1. Pairs at or above the threshold are joined into
groups (union-find). Both parts are symmetric, so score(a, b) == score(b, a).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import EdgeKind, NodeKind
from graphmodel.store import Store

from ._base import (
    CONTEXT_LEVELS,
    STOPWORDS,
    StrategyIndex,
    action_text,
    check_unit,
    cite,
    graph_of,
    leads_of,
    normalise,
    own_text,
    per_graph,
    strategy_index,
)
from ._text import (
    Scored,
    candidate_strings,
    expand_pairs,
    has_content_words,
    score_array,
    shared_words,
    vectorise,
)
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
    nodes = graph.g.nodes  # networkx's own views: no Edge/Node objects per action
    for _, target, key in graph.g.out_edges(action_id, keys=True):
        if (
            key == EdgeKind.PART_OF
            and nodes[target]["kind"] == NodeKind.PRIORITY
            and (nodes[target]["props"] or {}).get("level") in CONTEXT_LEVELS
        ):
            return target
    return None


#: Scored action pairs as arrays: (i, j, cosine, token_set), indices into `Similarity.ids`.
Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class Similarity:
    """Scored candidate pairs of every action of a graph (indices into ``ids``).

    ``full``: pairs from different Actions cells, scored on their full text (cell + own
    text); ``own``: pairs scored on their own text: rows of one Actions cell, and pairs
    whose own texts are both specific (at least `MIN_OWN_WORDS` content words). Both are
    kept as arrays (``full_arrays``, ``own_arrays``); the dicts of `Scored` are built on
    first use.
    """

    def __init__(self, ids: tuple[str, ...], full: Arrays, own: Arrays) -> None:
        self.ids = ids
        self.full_arrays = full
        self.own_arrays = own

    @staticmethod
    def _dict(arrays: Arrays) -> dict[tuple[int, int], Scored]:
        return {(i, j): Scored(i, j, c, t) for i, j, c, t in zip(*(a.tolist() for a in arrays), strict=True)}

    @cached_property
    def full(self) -> dict[tuple[int, int], Scored]:
        return self._dict(self.full_arrays)

    @cached_property
    def own(self) -> dict[tuple[int, int], Scored]:
        return self._dict(self.own_arrays)


def _score_mapped(norm: list[str], x: object, ii: np.ndarray, jj: np.ndarray, row: np.ndarray) -> Arrays:
    """Score action pairs ``(ii[k], jj[k])`` through the rows ``row`` of their texts in one
    shared TF-IDF matrix; pairs whose texts are the same strings are scored once. Pairs
    below the cosine floor are left out."""
    ri, rj = row[ii], row[jj]
    n = len(norm)
    code = np.minimum(ri, rj) * n + np.maximum(ri, rj)
    uniq, back = np.unique(code, return_inverse=True)
    si, sj, cos, ts = score_array(norm, uniq // n, uniq % n, x, floor=0.25)  # type: ignore[arg-type]
    at = np.searchsorted(uniq, si * n + sj)  # scored string pairs -> positions in uniq
    hit = np.full(len(uniq), -1)
    hit[at] = np.arange(len(at))
    k = hit[back.reshape(-1)]
    ok = k >= 0
    return ii[ok], jj[ok], cos[k[ok]], ts[k[ok]]


def _similarity(graph: PartnerGraph) -> Similarity:
    actions = list(graph.nodes(NodeKind.ACTION))
    texts = [action_text(n) for n in actions]
    own = [own_text(n) for n in actions]
    cell_ids: dict[str | None, int] = {None: -1}
    cells = np.array(
        [cell_ids.setdefault(_cell_of(graph, n.id), len(cell_ids) - 1) for n in actions], dtype=np.int64
    )
    n = len(actions)
    strings = list(dict.fromkeys(texts + own))  # rows of the TF-IDF matrix
    where = {t: k for k, t in enumerate(strings)}
    full_row = np.array([where[t] for t in texts], dtype=np.int64)
    own_row = np.array([where[t] for t in own], dtype=np.int64)
    norm = [normalise(t) for t in strings]
    # candidates are found once over the distinct normalised strings of both kinds of text,
    # then mapped to the actions whose full (or own) texts they are
    distinct = list(dict.fromkeys(norm))
    at = {t: k for k, t in enumerate(distinct)}
    to_distinct = np.array([at[t] for t in norm], dtype=np.int64)
    full_d, own_d = to_distinct[full_row], to_distinct[own_row]
    is_full = np.zeros(len(distinct), dtype=bool)
    is_own = np.zeros(len(distinct), dtype=bool)
    is_full[full_d] = True
    is_own[own_d] = True
    # TF-IDF (fitted once for both kinds of text) and candidates are independent and spend
    # most of their time in numpy/scipy, which release the GIL: run them side by side
    with ThreadPoolExecutor(max_workers=2) as pool:
        fitted = pool.submit(vectorise, strings, normalised=norm)
        si, sj = candidate_strings(
            distinct, keep=lambda i, j: (is_full[i] & is_full[j]) | (is_own[i] & is_own[j])
        )
        x = fitted.result()
    words = has_content_words(distinct)
    fi, fj = expand_pairs(full_d, si, sj, all_repeats=words)
    oi, oj = expand_pairs(own_d, si, sj, all_repeats=words)
    code = np.union1d(oi * n + oj, fi * n + fj)
    ii, jj = code // max(n, 1), code % max(n, 1)
    siblings = (cells[ii] >= 0) & (cells[ii] == cells[jj])
    words_in = np.array([sum(len(w) >= 3 and w not in STOPWORDS for w in t.split()) for t in norm])
    specific = words_in[own_row] >= MIN_OWN_WORDS  # content words of the own text (normalised)
    differs = full_row != own_row
    own_pairs = siblings | (specific[ii] & specific[jj] & (differs[ii] | differs[jj]))
    full = ~siblings
    return Similarity(
        tuple(n.id for n in actions),
        _score_mapped(norm, x, ii[full], jj[full], full_row),
        _score_mapped(norm, x, ii[own_pairs], jj[own_pairs], own_row),
    )


def similarity(graph: PartnerGraph) -> Similarity:
    """`Similarity` of ``graph``'s actions, computed once per graph state (duplicates and
    dependencies both use it)."""
    return per_graph(graph, "similarity", _similarity)


def _best(sim: Similarity) -> Arrays:
    """Each pair once, with the better (higher cosine + token_set) of its full and own
    scores; on a tie the full-text score."""
    fi, fj, fc, ft = sim.full_arrays
    oi, oj, oc, ot = sim.own_arrays
    n = max(len(sim.ids), 1)
    code = np.concatenate((fi * n + fj, oi * n + oj))
    cos, ts = np.concatenate((fc, oc)), np.concatenate((ft, ot))
    kind = np.concatenate((np.zeros(len(fi)), np.ones(len(oi))))
    order = np.lexsort((kind, -(cos + ts), code))
    first = order[np.concatenate(([True], code[order][1:] != code[order][:-1]))] if len(code) else order
    return code[first] // n, code[first] % n, cos[first], ts[first]


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
    ii, jj, cos, ts = _best(sim)
    # below the floor even with two shared leads: no lead lookups
    near = 0.5 * cos + 0.5 * ts + 0.1 >= floor - 1e-4
    leads: dict[int, set[str]] = {}
    out = []
    for i, j, c, t in zip(
        ii[near].tolist(), jj[near].tolist(), cos[near].tolist(), ts[near].tolist(), strict=True
    ):
        for k in (i, j):
            if k not in leads:
                leads[k] = set(leads_of(graph, sim.ids[k]))
        common = tuple(sorted(leads[i] & leads[j]))
        score = pair_score(c, t, len(common))
        if score >= floor:
            a, b = sorted((sim.ids[i], sim.ids[j]))
            out.append(Pair(a, b, score, c, t, common))
    out.sort(key=lambda p: (p.a, p.b))
    return out


def duplicate_actions(
    source: Store | PartnerGraph, *, threshold: float = DEFAULT_THRESHOLD, scope: str = "all"
) -> list[DuplicateGroup]:
    """Groups of near-duplicate actions (best group first).

    ``scope``: ``within`` one strategy, ``across`` strategies, or ``all``.
    """
    check_unit(threshold, "threshold")
    if scope not in SCOPES:
        raise InputError(f"scope must be one of {', '.join(SCOPES)}, got {scope!r}")
    graph = graph_of(source, "duplicates")
    index = strategy_index(graph)
    pairs = scored_pairs(graph, floor=threshold)
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
        members = tuple(
            DuplicateMember(
                i, nodes[i].label, index.label(index.of.get(i)), leads_of(graph, i), cite(nodes[i].source)
            )
            for i in ids
        )
        lead_count: dict[str, int] = {}
        for m in members:
            for lead in m.leads:
                lead_count[lead] = lead_count.get(lead, 0) + 1
        strategies = tuple(sorted({m.strategy for m in members}))
        out_pairs = tuple(
            DuplicatePair(
                p.a,
                p.b,
                p.score,
                p.cosine,
                p.token_set,
                p.shared_leads,
                shared_words(action_text(nodes[p.a]), action_text(nodes[p.b])),
            )
            for p in sorted(root_pairs, key=lambda p: (-p.score, p.a, p.b))
        )
        words = out_pairs[0].shared_words
        groups.append(
            DuplicateGroup(
                group=0,
                scope="within" if len(strategies) == 1 else "across",
                score=out_pairs[0].score,
                size=len(ids),
                strategies=strategies,
                labels=tuple(m.label for m in members),
                shared_leads=tuple(sorted(k for k, v in lead_count.items() if v > 1)),
                members=members,
                pairs=out_pairs,
                method=METHOD,
                evidence="shared words: " + ", ".join(words) if words else "same text",
                sources=tuple(m.source for m in members),
            )
        )
    groups.sort(key=lambda g: (-g.score, -g.size, g.members[0].id))
    return [_renumber(g, k) for k, g in enumerate(groups, start=1)]


def _renumber(g: DuplicateGroup, k: int) -> DuplicateGroup:
    from dataclasses import replace

    return replace(g, group=k)
