"""Duplicate actions within and across plans: typed groups, each a star to one action.

What is compared. The action's own words, not its (truncated) label. In an action-plan
table the "Actions" cell is often the action and its rows its steps, one per lead: rows
whose own text is short ("Develop and design survey.") are compared as one unit, the
cell's text. A row whose own text says enough on its own (`MIN_OWN_WORDS` content words)
is an action in itself and is compared on its own words, as is an action without a cell.
Inside one cell, rows whose own texts say the same thing for different leads are the aim
split over owners.

How pairs are found (near-linear). Identical texts (after `normalise`) are one string,
so N copies cost N, not N². Candidate pairs of distinct strings come from MinHash LSH
over content words and rare shared keys (`_text.candidate_strings`), plus pairs sharing
at least two rare word stems (5-letter prefixes found in at most `STEM_CAP` strings),
which finds rewordings with few common words ("Test purchasing" / "Test purchase
operations"). Each bucket is bounded, so cost grows with the strings, not their square.

How pairs are scored. ``lexical`` = 0.5 x TF-IDF cosine (word 1-2grams + char_wb 3-5grams)
+ 0.5 x token_set_ratio; ``semantic`` = cosine of wordllama embeddings (`_semantic`).
``score`` = `W_LEXICAL` x lexical + (1 - `W_LEXICAL`) x semantic. Weights and threshold
were chosen on pairs labelled by reading the seeds (tests/labels/duplicates.yaml).

How groups are formed. Strings above the threshold are clustered as stars (a greedy
centre with the most neighbours takes every unassigned neighbour scoring at least the
threshold with it), so a group never chains unrelated texts through a middle one, and
the graph holds one DUPLICATES edge per member to the group's representative action.

Shared aims below the threshold. The same aim pursued by different owners is written in
more different words than a rewording, so such a pair is a shared aim from `SHARED_AIM_MIN`
when the two texts share `RARE_SHARED` rare terms (`rare_terms`: words or acronyms in at
most `RARE_TEXTS` texts, such as MECC or "carbon monoxide"). These ties are joined after
the stars above the threshold are formed (a string in no group joins a representative it
is tied to), so they never reshape an exact or reworded group; the pairs are the same
blocked candidates; the evidence names the terms. Chosen with the sweep on the labels.

Types. ``exact``: same words. ``reworded``: same action in other words. ``shared-aim``:
the same aim pursued separately by different owners (`separate_owners`: their owners -
leads, or partners where none is named - are known and disjoint, within one area, and not
one strategy's action restated in another of its documents) - a coordination point. A group's type is the
most telling of its members' relations (shared-aim, then reworded, then exact).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import cast

import numpy as np
from scipy import sparse

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph, gc_paused, settle_as_old
from graphmodel.schema import EdgeKind, NodeKind

from ._base import (
    BODY_KINDS,
    STOPWORDS,
    StrategyIndex,
    check_unit,
    cite,
    content_words,
    normalise,
    own_text,
    per_graph,
    strategy_index,
)
from ._semantic import MODEL, embed, pair_cosines
from ._text import (
    _rare,
    _sorted_unique,
    candidate_strings,
    is_content_word,
    score_array,
    vectorise,
    word_occurrences,
)
from .backend import QuerySource, graph_of
from .results import DuplicateGroup, DuplicateMember, DuplicatePair

DEFAULT_THRESHOLD = 0.63
W_LEXICAL = 0.5
FLOOR = 0.45  # pairs scoring below this are not kept at all
STEM_CAP = 30  # a stem found in more strings than this is too common to block on
MIN_OWN_WORDS = 8  # a row's own text this long is an action in itself, compared without its cell
NEAR_EXACT = 0.95  # cosine and token_set at least this: the same words, a word or two apart
SHARED_AIM_MIN = 0.34  # a shared aim with a rare term in common may score this low (see `rare_terms`)
RARE_TEXTS = 3  # a term in at most this many compared texts is rare: distinctive of an aim
RARE_SHARED = 2  # rare terms two texts must share for that (one rare word alone is often chance)
RARE_MIN_TEXTS = 50  # fewer compared texts than this say nothing about which terms are rare
CELL_MAX_PAIRS = 30  # rows of one cell compared pairwise only when the cell has at most this many texts
METHOD = f"{W_LEXICAL}*(0.5*tfidf(word1-2+char_wb3-5)+0.5*token_set_ratio)+{1 - W_LEXICAL}*{MODEL}"
SCOPES = ("within", "across", "all")
TYPES = ("shared-aim", "reworded", "exact")  # most telling first


def combined(lexical: float | np.ndarray, semantic: float | np.ndarray) -> float | np.ndarray:
    """The duplicate score of a pair from its lexical and semantic similarity."""
    return np.round(W_LEXICAL * np.asarray(lexical) + (1 - W_LEXICAL) * np.asarray(semantic), 4)


@dataclass(frozen=True, slots=True)
class Unit:
    """What is compared: an Actions cell with its rows, or one action without a cell."""

    id: str  # the representative row (first by source)
    rows: tuple[str, ...]
    text: str
    cell: str | None  # the cell (a Priority of level "action"), if any
    owners: frozenset[str]  # its leads, or its partners where it names no lead (`owner_map`)
    area: str | None
    strategy: str | None = None
    document: str = ""
    review: bool = False  # the document is a review of the strategy (`props.documents` role)


#: A reference at the start of a normalised text: "28 ...", "1 2 3 ...", "a1 ...", "sp4b ...".
_LEADING_REF = re.compile(r"^(?:[a-z]{0,3}\d+[a-z]?\s)+")


def same_words(a: str, b: str) -> bool:
    """Are two `normalise`d texts the same words, once spacing and a row reference that only
    one of them starts with are set aside? A tracker numbers its rows ("28 - Redesign stop
    smoking service provision") where the plan does not, and PDF text loses spaces
    ("2020/21to"); a different number on both sides ("5 schools" / "10 schools") is not the
    same words.

    >>> same_words("28 redesign stop smoking services", "redesign stop smoking services")
    True
    >>> same_words("by 2020 21to reduce loneliness", "by 2020 21 to reduce loneliness")
    True
    >>> same_words("5 schools adopt the scheme", "10 schools adopt the scheme")
    False
    """
    squeeze_a, squeeze_b = a.replace(" ", ""), b.replace(" ", "")
    if squeeze_a == squeeze_b:
        return True
    ref_a, ref_b = _LEADING_REF.match(a), _LEADING_REF.match(b)
    if (ref_a is None) == (ref_b is None):
        return False
    return _LEADING_REF.sub("", a).replace(" ", "") == _LEADING_REF.sub("", b).replace(" ", "")


def reports_on(a: Unit, b: Unit) -> bool:
    """Whether one unit is a later review's report on the other (one strategy, two documents,
    one of them a review): that is progress (`queries.progress`), not a duplicate."""
    return (
        a.strategy is not None
        and a.strategy == b.strategy
        and a.document != b.document
        and (a.review or b.review)
    )


def steps_of_one_action(a: Unit, b: Unit) -> bool:
    """Two rows of one Actions cell that are not the same aim split over different leads."""
    return (
        a.cell is not None
        and a.cell == b.cell
        and a.rows != b.rows
        and _relation(a, b, False) != "shared-aim"
    )


@dataclass(frozen=True, slots=True)
class Link:
    """A member's tie to its group's representative."""

    member: str
    rep: str
    relation: str  # exact, reworded, shared-aim
    score: float
    lexical: float
    semantic: float
    cosine: float
    token_set: float
    level: str = "unit"  # "unit" (cells and actions) or "row" (rows of one cell)
    term: str = ""  # rare terms both texts hold, when they tied below the threshold (evidence)


@dataclass(slots=True)
class Analysis:
    """Everything threshold-independent about a graph's duplicates."""

    units: dict[str, Unit]
    scored: list[Scored]
    top: Scored  # the units (cells and actions without one): `scored[0]`

    def links(self, threshold: float) -> list[Link]:
        return [x for s in self.scored for x in s.links(threshold)]


def _cells(graph: PartnerGraph) -> dict[str, str | None]:
    """The Actions cell (a Priority of level ``action``) of each action, or None."""
    nodes = graph.g._node
    out: dict[str, str | None] = {}
    succ = graph.g._succ
    part_of = str(EdgeKind.PART_OF)
    for a in sorted(n for n, d in nodes.items() if d["kind"] == NodeKind.ACTION):
        out[a] = None
        for target, keys in succ[a].items():  # networkx's own dicts: no view per action
            if (
                part_of in keys
                and nodes[target]["kind"] == NodeKind.PRIORITY
                and (nodes[target]["props"] or {}).get("level") == "action"
            ):
                out[a] = target
                break
    return out


def _bodies_by_action(graph: PartnerGraph, role: EdgeKind) -> dict[str, tuple[str, ...]]:
    """Labels of the bodies with edge ``role`` (LEADS, SUPPORTS) to each action, sorted."""
    nodes = graph.g._node
    kind = str(role)
    out: dict[str, set[str]] = {}
    # one pass over networkx's own adjacency dicts (no edge view), not per action
    for body, targets in graph.g._succ.items():
        if nodes[body]["kind"] not in BODY_KINDS:
            continue
        for action, keys in targets.items():
            if kind in keys:
                out.setdefault(action, set()).add(nodes[body]["label"])
    return {a: tuple(sorted(names)) for a, names in out.items()}


def lead_map(graph: PartnerGraph) -> dict[str, tuple[str, ...]]:
    """Labels of the bodies leading each action (as `leads_of`), for every action at once."""
    return per_graph(graph, "leads", lambda g: _bodies_by_action(g, EdgeKind.LEADS))


def owner_map(graph: PartnerGraph) -> dict[str, tuple[str, ...]]:
    """Who carries each action out, for telling a shared aim: its leads, or where a row
    names no lead (a tracker whose only owner column is its partners), its partners."""

    def owners(g: PartnerGraph) -> dict[str, tuple[str, ...]]:
        return {**_bodies_by_action(g, EdgeKind.SUPPORTS), **lead_map(g)}

    return per_graph(graph, "owners", owners)


def specific(text: str) -> bool:
    """Whether an action's own words say enough to be compared on their own (at least
    `MIN_OWN_WORDS` content words)."""
    return sum(1 for w in normalise(text).split() if len(w) >= 3 and w not in STOPWORDS) >= MIN_OWN_WORDS


#: What `_unit_plan` gives: (representative row, rows, compared text, cell) per unit.
Plan = tuple[str, tuple[str, ...], str, str | None]


def _unit_plan(graph: PartnerGraph) -> tuple[list[Plan], list[Plan]]:
    """(units, rows of multi-row cells as units of their own text), as plain tuples: what
    is compared and which rows it stands for (no strategies, leads or scores)."""
    cells = _cells(graph)
    nodes = graph.g._node

    def order(a: str) -> tuple:
        s = nodes[a]["source"]
        return (s.document, s.line_start, a)

    by_cell: dict[str, list[tuple[str, str]]] = {}
    units: list[Plan] = []
    rows: list[Plan] = []
    for a in sorted(cells, key=order):
        cell = cells[a]
        props = nodes[a]["props"]  # `own_text` of the node, without making a Node
        text = str(props["text"]) if props and props.get("text") else nodes[a]["label"]
        if cell is None or specific(text):
            # a row that says enough on its own (a sub-objective that is itself an action) is
            # compared on its own words; short steps ("Develop and design survey.") go with
            # their cell. Its cell is kept: two rows of one cell are steps, not duplicates,
            # unless the same aim is split over different leads
            units.append((a, (a,), text, cell))
        else:
            by_cell.setdefault(cell, []).append((a, text))
    for cell, members in by_cell.items():
        node = graph.node(cell)
        units.append(
            (members[0][0], tuple(a for a, _ in members), str(node.props.get("text") or node.label), cell)
        )
        if len(members) > 1:
            rows.extend((a, (a,), text, cell) for a, text in members)
    return units, rows


def unit_plan(graph: PartnerGraph) -> tuple[list[Plan], list[Plan]]:
    """`_unit_plan` of ``graph``, computed once per graph state."""
    return per_graph(graph, "unit_plan", _unit_plan)


def compared_texts(graph: PartnerGraph) -> dict[str, str]:
    """The text each action is compared on (its unit's, or its row's): what `unit_texts`
    gives for an `analysis`, without scoring anything."""

    def texts(g: PartnerGraph) -> dict[str, str]:
        units, rows = unit_plan(g)
        out = {a: text for a, _, text, _ in units}
        for a, _, text, _ in rows:
            out.setdefault(a, text)
        return out

    return per_graph(graph, "compared_texts", texts)


def _units(graph: PartnerGraph, index: StrategyIndex) -> tuple[list[Unit], list[Unit]]:
    """(units, rows of multi-row cells as units of their own text)."""
    area: dict[str | None, str | None] = {s.id: s.props.get("area") for s in graph.nodes(NodeKind.STRATEGY)}
    reviews = {
        (s.id, d.get("file"))
        for s in graph.nodes(NodeKind.STRATEGY)
        for d in s.props.get("documents") or []
        if isinstance(d, dict) and d.get("role") == "review"
    }
    nodes = graph.g._node
    lead_names = owner_map(graph)

    def unit(plan: Plan, owners: frozenset[str]) -> Unit:
        a, rows, text, cell = plan
        sid, doc = index.of.get(a), nodes[a]["source"].document
        return Unit(a, rows, text, cell, owners, area.get(sid), sid, doc, (sid, doc) in reviews)

    def leads(a: str) -> frozenset[str]:
        return frozenset(lead_names.get(a, ()))

    planned, planned_rows = unit_plan(graph)
    # a cell's owners: the leads of all its rows
    units = [unit(p, frozenset().union(*(leads(a) for a in p[1]))) for p in planned]
    rows = [unit(p, leads(p[0])) for p in planned_rows]
    return units, rows


def stem_pairs(norm: list[str], *, cap: int = STEM_CAP) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) of strings sharing two rare word stems (one, when either has at most
    two): stems are the first five letters of content words of four letters or more."""
    # each distinct word is cut to its stem once; a text's stems count once each (a 0/1 matrix)
    occurrences, row = word_occurrences(norm)
    vocab: dict[str, int] = {}
    code = {
        w: vocab.setdefault(w[:5], len(vocab)) if len(w) >= 4 and w not in STOPWORDS else -1
        for w in dict.fromkeys(occurrences)
    }
    if not vocab:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    ids = np.fromiter(map(code.__getitem__, occurrences), dtype=np.int64, count=len(occurrences))
    del occurrences, code
    stem = ids >= 0
    cells = _sorted_unique(row[stem] * len(vocab) + ids[stem])
    m = sparse.csr_matrix(
        (np.ones(len(cells), dtype=np.float32), (cells // len(vocab), cells % len(vocab))),
        shape=(len(norm), len(vocab)),
    )
    return _rare(m, cap, 2)


def separate_owners(a: Unit, b: Unit) -> bool:
    """Whether two units are pursued separately: their owners are known and disjoint, within
    one area, and they are not one strategy's action restated in another of its documents
    (a plan and its later version may list other partners for the same action)."""
    return (
        bool(a.owners and b.owners)
        and not (a.owners & b.owners)
        and a.area == b.area
        and not (a.strategy is not None and a.strategy == b.strategy and a.document != b.document)
    )


def _relation(a: Unit, b: Unit, same_text: bool) -> str:
    if separate_owners(a, b):
        return "shared-aim"
    return "exact" if same_text else "reworded"


_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]*[A-Z](?=s?\b)")  # CO, MECC, LMS (a plural "s" allowed)


def rare_terms(
    texts: list[str], norm: list[str], live: np.ndarray, *, cap: int
) -> tuple[sparse.csr_matrix, list[str]]:
    """(strings x terms) 0/1 matrix of the rare terms of each string, and the terms. A term
    is a content word of the `normalise`d ``norm`` or an acronym written in capitals in
    ``texts`` (MECC; CO, too short to be a content word). It is rare when found in at most
    ``cap`` of the ``live`` strings: it marks one aim out, unlike "smoking" in a smoking plan
    or "NHS" anywhere. Below `RARE_MIN_TEXTS` live strings nothing is rare."""
    if int(live.sum()) < RARE_MIN_TEXTS:  # in a handful of texts every word is "rare"
        return sparse.csr_matrix((len(norm), 1), dtype=np.float32), [""]
    occurrences, row = word_occurrences(norm)
    vocab: dict[str, int] = {}
    code = {
        w: vocab.setdefault(w, len(vocab)) if is_content_word(w) else -1 for w in dict.fromkeys(occurrences)
    }
    ids = np.fromiter(map(code.__getitem__, occurrences), dtype=np.int64, count=len(occurrences))
    del occurrences, code
    # acronyms too short to be content words ("CO"), one column per acronym
    acr_rows: list[int] = []
    acr_ids: list[int] = []
    for k, t in enumerate(texts):
        for w in {w.lower() for w in _ACRONYM.findall(t)}:
            if not is_content_word(w):
                acr_rows.append(k)
                acr_ids.append(vocab.setdefault(w, len(vocab)))
    words = list(vocab)
    ids = np.concatenate((ids, np.array(acr_ids, dtype=np.int64)))
    row = np.concatenate((row, np.array(acr_rows, dtype=np.int64)))
    keep = (ids >= 0) & live[row] if len(ids) else ids >= 0
    n_words = max(len(words), 1)
    cells = _sorted_unique(row[keep] * n_words + ids[keep])
    rows, cols = cells // n_words, cells % n_words
    df = np.bincount(cols, minlength=n_words)
    rare = df[cols] <= cap
    m = sparse.csr_matrix(
        (np.ones(int(rare.sum()), dtype=np.float32), (rows[rare], cols[rare])), shape=(len(norm), n_words)
    )
    return m, [w.upper() if not is_content_word(w) else w for w in words]


def _shared_terms(terms: sparse.csr_matrix, si: np.ndarray, sj: np.ndarray) -> np.ndarray:
    """For each pair (si[k], sj[k]), how many rare terms (columns of ``terms``) both hold."""
    both = terms[si].multiply(terms[sj]).tocsr()
    both.eliminate_zeros()
    return np.diff(both.indptr).astype(np.int64)


def _score_strings(
    norm: list[str],
    ii: np.ndarray,
    jj: np.ndarray,
    x: sparse.csr_matrix,
    emb: np.ndarray,
    terms: sparse.csr_matrix,
) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """((i, j, score, lexical, semantic, cosine, token_set), term) of string pairs scoring >=
    FLOOR, or >= `SHARED_AIM_MIN` with `RARE_SHARED` rare terms in common (``term``: how many
    columns of ``terms`` both hold); ``norm`` are the `normalise`d strings, ``x`` their
    `vectorise` rows."""
    si, sj, cos, ts = score_array(norm, ii, jj, x, floor=0.0)
    sem = pair_cosines(emb, si, sj)
    lex = np.round(0.5 * cos + 0.5 * ts, 4)
    score = cast(np.ndarray, combined(lex, sem))  # arrays in, an array out
    term = np.zeros(len(si), dtype=np.int64)
    low = np.flatnonzero(score >= min(SHARED_AIM_MIN, FLOOR))
    if len(low):
        term[low] = _shared_terms(terms, si[low], sj[low])
    ok = (score >= FLOOR) | ((score >= SHARED_AIM_MIN) & (term >= RARE_SHARED))
    return (si[ok], sj[ok], score[ok], lex[ok], sem[ok], cos[ok], ts[ok]), term[ok]


@dataclass(slots=True)
class Scored:
    """Scored string pairs of some units (the part of the work that does not depend on the
    threshold); `Scored.links` clusters them at a threshold."""

    units: list[Unit]
    holders: dict[int, list[int]]  # string -> indices of the units with that text
    arrays: tuple[np.ndarray, ...]  # (i, j, score, lexical, semantic, cosine, token_set)
    keep: tuple[str, ...] = TYPES
    level: str = "unit"
    embeddings: np.ndarray | None = None  # unit rows per string (dependencies reuse them)
    term: np.ndarray | None = None  # per pair: how many rare terms both strings hold
    words: tuple[str, ...] = ()
    terms: sparse.csr_matrix | None = None  # (strings x words) rare terms of each string

    def shared_terms(self, i: int, j: int, limit: int = 3) -> str:
        """The rare terms strings ``i`` and ``j`` both hold (short acronyms such as CO first)."""
        if self.terms is None:
            return ""
        both = set(self.terms[i].indices.tolist()) & set(self.terms[j].indices.tolist())
        names = sorted((self.words[c] for c in both), key=lambda w: (not w.isupper(), w))
        return ", ".join(names[:limit])

    def links(self, threshold: float) -> list[Link]:
        """Star groups at ``threshold`` (one `Link` per member that is not a representative):
        the string with the most copies and neighbours is a centre first."""
        si, sj, score, lex, sem, cos, ts = self.arrays
        term = self.term if self.term is not None else np.zeros(len(si), dtype=np.int64)
        high = score >= threshold - 1e-9
        # below the threshold, a pair of different owners' texts sharing a rare term is a
        # shared aim down to `SHARED_AIM_MIN` (checked per pair below)
        ok = np.flatnonzero(high | ((score >= min(SHARED_AIM_MIN, threshold) - 1e-9) & (term >= RARE_SHARED)))
        nbrs: dict[int, list[tuple[float, int, int]]] = {}
        low: list[tuple[float, int, int, int]] = []  # shared-aim ties below the threshold
        units, holders = self.units, self.holders
        for k in ok.tolist():
            a, b, s = int(si[k]), int(sj[k]), float(score[k])
            first_a, first_b = units[holders[a][0]], units[holders[b][0]]
            if reports_on(first_a, first_b) or steps_of_one_action(first_a, first_b):
                continue
            if not high[k]:
                if _relation(first_a, first_b, False) == "shared-aim":
                    low.append((s, a, b, k))
                continue
            nbrs.setdefault(a, []).append((s, b, k))
            nbrs.setdefault(b, []).append((s, a, k))
        # a string held once and tied to none is a group of one: it makes no link, and is
        # nobody's member, so only the others are ordered (in the same relative order)
        live = [s for s, h in holders.items() if len(h) > 1 or s in nbrs]
        weight = {s: len(holders[s]) + len(nbrs.get(s, ())) for s in live}
        centre_of: dict[int, tuple[int, int | None]] = {}
        text = {s: normalise(units[holders[s][0]].text) for s in live}
        # ties broken by the words, not by input order: the same groups whatever the order
        for s in sorted(live, key=lambda s: (-weight[s], text[s])):
            if s in centre_of:
                continue
            centre_of[s] = (s, None)
            for _, t, k in sorted(nbrs.get(s, ()), key=lambda x: (-x[0], text[x[1]])):
                if t not in centre_of:
                    centre_of[t] = (s, k)
        # then the shared-aim ties below the threshold, best first, leaving the groups above
        # untouched: a string in no group joins a representative it is tied to, or two such
        # strings form a group (still a star: every member is tied to its representative)
        for _, a, b, _ in low:
            for t in (a, b):
                if t not in text:
                    text[t] = normalise(units[holders[t][0]].text)
        for _, a, b, k in sorted(low, key=lambda x: (-x[0], *sorted((text[x[1]], text[x[2]])))):
            free_a, free_b = a not in centre_of, b not in centre_of
            if free_a and free_b:
                c, m = sorted((a, b), key=lambda s: (-len(holders[s]), text[s]))
                centre_of[c] = (c, None)
                centre_of[m] = (c, k)
            elif free_b and centre_of[a][0] == a:
                centre_of[b] = (a, k)
            elif free_a and centre_of[b][0] == b:
                centre_of[a] = (b, k)
        by_rep: dict[str, list[Link]] = {}
        for s, (c, via) in centre_of.items():
            rep = self.units[self.holders[c][0]]
            for h in self.holders[s]:
                u = self.units[h]
                if u.id == rep.id or reports_on(u, rep):
                    continue
                if via is None:  # the same words as the representative
                    x = Link(u.id, rep.id, _relation(u, rep, True), 1.0, 1.0, 1.0, 1.0, 1.0, self.level)
                else:
                    vals = tuple(float(v) for v in (score[via], lex[via], sem[via], cos[via], ts[via]))
                    # a word or two dropped, or the same words but for a row number or spacing
                    same = (vals[3] >= NEAR_EXACT and vals[4] >= NEAR_EXACT) or same_words(text[s], text[c])
                    relation = _relation(u, rep, same)
                    if not high[via] and relation != "shared-aim":
                        continue  # a copy held by the representative's own owner: not a shared aim
                    x = Link(
                        member=u.id,
                        rep=rep.id,
                        relation=relation,
                        score=vals[0],
                        lexical=vals[1],
                        semantic=vals[2],
                        cosine=vals[3],
                        token_set=vals[4],
                        level=self.level,
                        term="" if high[via] else self.shared_terms(int(si[via]), int(sj[via])),
                    )
                by_rep.setdefault(rep.id, []).append(x)
        # a group is kept whole when one of its ties is of a kind asked for (rows of one cell:
        # the aim split over leads, even if two of them share a lead)
        out = [x for links in by_rep.values() if any(x.relation in self.keep for x in links) for x in links]
        return out


def score_units(
    units: list[Unit], *, within_cells: bool = False, keep: tuple[str, ...] = TYPES, level: str = "unit"
) -> Scored:
    """`Scored` pairs of ``units`` (texts without content words left out): candidates by
    blocking, or with ``within_cells`` every pair of rows of one cell (texts of different
    cells kept apart; a cell with more than `CELL_MAX_PAIRS` texts is not paired). All
    cells are scored in one pass: one TF-IDF fit, one embedding call."""
    norm = [normalise(u.text) for u in units]
    keys = [(u.cell, t) if within_cells else (None, t) for u, t in zip(units, norm, strict=True)]
    strings = list(dict.fromkeys(keys))
    at = {t: k for k, t in enumerate(strings)}
    holders: dict[int, list[int]] = {}
    for k, (key, t) in enumerate(zip(keys, norm, strict=True)):
        if any(len(w) >= 3 and w not in STOPWORDS for w in t.split()):
            holders.setdefault(at[key], []).append(k)
    texts = [units[holders[s][0]].text if s in holders else "" for s in range(len(strings))]
    # the embedding and the TF-IDF fit (mostly numpy and scipy, which release the GIL) run
    # beside the blocking
    pool = ThreadPoolExecutor(max_workers=1)
    embedding = pool.submit(embed, texts)
    text_norm = [normalise(t) for t in texts]
    tfidf = pool.submit(vectorise, texts, normalised=text_norm)
    if within_cells:
        per_cell: dict[str | None, list[int]] = {}
        for k, (cell, _) in enumerate(strings):
            if k in holders:
                per_cell.setdefault(cell, []).append(k)
        parts = [
            (np.array(m)[a], np.array(m)[b])
            for m in per_cell.values()
            if 1 < len(m) <= CELL_MAX_PAIRS
            for a, b in [np.triu_indices(len(m), k=1)]
        ]
        empty = np.zeros(0, dtype=np.int64)
        ii = np.concatenate([p[0] for p in parts]).astype(np.int64) if parts else empty
        jj = np.concatenate([p[1] for p in parts]).astype(np.int64) if parts else empty
    else:
        flat = [t for _, t in strings]
        li, lj = candidate_strings(flat)
        ri, rj = stem_pairs(flat)
        n = max(len(strings), 1)
        code = np.union1d(li * n + lj, ri * n + rj)
        ii, jj = code // n, code % n
        live = np.array([s in holders for s in range(len(strings))], dtype=bool)
        if len(ii):
            ok = live[ii] & live[jj]
            ii, jj = ii[ok], jj[ok]
    emb, x = embedding.result(), tfidf.result()
    pool.shutdown()
    # rare terms after the blocking: they lower the bar for a shared aim, they add no candidates
    live_strings = np.array([s in holders for s in range(len(strings))], dtype=bool)
    terms, words = rare_terms(texts, text_norm, live_strings, cap=RARE_TEXTS)
    arrays, term = _score_strings(text_norm, ii, jj, x, emb, terms)
    return Scored(units, holders, arrays, keep, level, emb, term, tuple(words), terms)


def _analyse(graph: PartnerGraph) -> Analysis:
    # the collector stays off meanwhile: the per-pair temporaries are freed by reference
    # counting, and it would re-walk the whole graph again and again to find no cycles
    with gc_paused():
        an = _analyse_now(graph)
        settle_as_old()  # it lives on (cached per graph): no young-generation walk of it
    return an


def _analyse_now(graph: PartnerGraph) -> Analysis:
    index = strategy_index(graph)
    units, rows = _units(graph, index)
    top = score_units(units)
    # rows of one cell are steps of one action: only the same aim for different leads (or a
    # repeated row) is worth reporting
    scored = [top, score_units(rows, within_cells=True, keep=("shared-aim", "exact"), level="row")]
    everything = {u.id: u for u in units}
    for r in rows:
        everything.setdefault(r.id, r)
    return Analysis(everything, scored, top)


def analysis(graph: PartnerGraph) -> Analysis:
    """The duplicate stars of ``graph``, computed once per graph state."""
    return per_graph(graph, "duplicates", _analyse)


GROUP_WHY = {
    "exact": "exact: the same words written more than once",
    "reworded": "reworded: the same action in other words",
    "shared-aim": "shared aim: the same aim pursued by different leads (a coordination point)",
}


def _shared(text: str, other: set[str], limit: int = 8) -> tuple[str, ...]:
    """`shared_words` of ``text`` and a text whose content words are ``other``."""
    seen: list[str] = []
    for w in content_words(text):
        if w in other and w not in seen:
            seen.append(w)
    return tuple(seen[:limit])


def _why(relation: str, words: tuple[str, ...], lexical: float, semantic: float, term: str = "") -> str:
    shared = f"shared words: {', '.join(words)}" if words else "no shared content words"
    if term:  # tied below the threshold by a rare term: say so
        shared = f"below the threshold, tied by a rare term: {term} (in at most {RARE_TEXTS} texts); {shared}"
    what = {
        "exact": "same words",
        "reworded": "same action in other words",
        "shared-aim": "same aim, different leads (coordination point)",
    }[relation]
    return f"{what}; lexical {lexical:.2f}, semantic {semantic:.2f}; {shared}"


def groups_from_links(
    graph: PartnerGraph, index: StrategyIndex, links: list[Link], texts: dict[str, str]
) -> list[DuplicateGroup]:
    """`DuplicateGroup` rows of star links (best group first)."""
    by_rep: dict[str, list[Link]] = {}
    for x in links:
        by_rep.setdefault(x.rep, []).append(x)
    leads = lead_map(graph)

    def leads_of_action(i: str) -> tuple[str, ...]:
        return leads.get(i, ())

    groups = []
    for rep, members in by_rep.items():
        members.sort(key=lambda x: (-x.score, x.member))
        ids = [rep, *(x.member for x in members)]
        nodes = {i: graph.node(i) for i in ids}
        rel = {x.member: x for x in members}
        out_members = []
        for i in ids:
            tie = rel.get(i)
            out_members.append(
                DuplicateMember(
                    i,
                    nodes[i].label,
                    index.label(index.of.get(i)),
                    leads_of_action(i),
                    cite(nodes[i].source),
                    text=texts.get(i, own_text(nodes[i])),
                    relation="representative" if tie is None else tie.relation,
                    score=1.0 if tie is None else tie.score,
                )
            )
        pairs = []
        rep_words = set(content_words(texts.get(rep, "")))  # once per group, not per member
        for x in members:
            words = _shared(texts.get(x.member, ""), rep_words)
            common = tuple(sorted(set(leads_of_action(x.member)) & set(leads_of_action(rep))))
            first, second = sorted((x.member, rep))
            pairs.append(
                DuplicatePair(
                    a=first,
                    b=second,
                    score=x.score,
                    cosine=x.cosine,
                    token_set=x.token_set,
                    shared_leads=common,
                    shared_words=words,
                    semantic=x.semantic,
                    lexical=x.lexical,
                    relation=x.relation,
                    why=_why(x.relation, words, x.lexical, x.semantic, x.term),
                )
            )
        kinds = {x.relation for x in members}
        kind = next(t for t in TYPES if t in kinds)
        strategies = tuple(sorted({m.strategy for m in out_members}))
        lead_count: dict[str, int] = {}
        for m in out_members:
            for lead in m.leads:
                lead_count[lead] = lead_count.get(lead, 0) + 1
        groups.append(
            DuplicateGroup(
                group=0,
                scope="within" if len(strategies) == 1 else "across",
                score=max(x.score for x in members),
                size=len(ids),
                strategies=strategies,
                labels=tuple(m.text or m.label for m in out_members),  # the words compared
                shared_leads=tuple(sorted(k for k, v in lead_count.items() if v > 1)),
                members=tuple(out_members),
                pairs=tuple(pairs),
                method=METHOD,
                evidence=f"{GROUP_WHY[kind]}; closest tie: {pairs[0].why}",
                sources=tuple(m.source for m in out_members),
                type=kind,
                representative=rep,
            )
        )
    groups.sort(key=lambda g: (-g.score, -g.size, g.representative))
    return [replace(g, group=k) for k, g in enumerate(groups, start=1)]


def unit_texts(an: Analysis) -> dict[str, str]:
    """The compared text of each representative row."""
    return {u: x.text for u, x in an.units.items()}


def duplicate_actions(
    source: QuerySource, *, threshold: float = DEFAULT_THRESHOLD, scope: str = "all"
) -> list[DuplicateGroup]:
    """Typed groups of duplicate actions (best group first).

    ``scope``: ``within`` one strategy, ``across`` strategies, or ``all``; ``threshold``:
    the lowest score a member's tie to its group's representative may have.
    """
    check_unit(threshold, "threshold")
    if scope not in SCOPES:
        raise InputError(f"scope must be one of {', '.join(SCOPES)}, got {scope!r}")
    graph = graph_of(source, "duplicates")
    with gc_paused():  # see `_analyse`: the temporaries go by reference counting
        index = strategy_index(graph)
        an = analysis(graph)
        links = an.links(threshold)
        if scope != "all":
            want_same = scope == "within"
            links = [x for x in links if (index.of.get(x.member) == index.of.get(x.rep)) == want_same]
        groups = groups_from_links(graph, index, links, unit_texts(an))
        del links
        settle_as_old()
    return groups
