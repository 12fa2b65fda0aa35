"""Progress across years: each action of a plan, matched to what a later review of the same
strategy reports about it.

A strategy's documents are in ``props.documents`` (`graphmodel.build.merge_editions`):
the plan (or draft) is the document with role ``plan``/``draft``, a review one with role
``review`` and a later (or the same, or an unknown) year. Every plan action (an Actions cell
with its rows counts once, as in `queries.duplicates`) is compared with every item of the
strategy's later reviews: the review's best match by ``score`` = 0.5 x lexical + 0.5 x
semantic (as duplicates score pairs, `queries.duplicates.combined`).

Status, one row per plan action:

- ``achieved``: the best match (scoring at least `ACHIEVED_MIN`) is reported as done (an
  achievement, or an item saying "completed", "established", "launched", "now included",
  "has been enhanced"...), nothing in its opening words says the work is still under way
  ("underway", "discussions", "planned", "to be"),
  and it names the plan's deliverable: two or more, and at least `DELIVERABLE_MIN`, of the
  plan action's specific words, or a semantic cosine of `DELIVERABLE_SEMANTIC`. The same
  topic is not enough.
- ``continuing``: the review reports on it (score >= `MATCH_MIN`) but not as done: work
  under way, or carried forward as an objective.
- ``not-reported``: no review item scores `MATCH_MIN` while sharing a specific word with it.

Cost: per strategy one (plan x review) block of embedding dot products, then lexical
scores for the `CANDIDATES` best review items of each plan action.
"""

from __future__ import annotations

import re

import numpy as np

from graphmodel.graph import PartnerGraph
from graphmodel.schema import NodeKind

from ._base import cite, content_words, normalise, resolve_strategy
from ._semantic import pair_cosines
from ._text import score_array, vectorise
from .backend import QuerySource, graph_of
from .duplicates import Unit, analysis, combined
from .results import ProgressRow

MATCH_MIN = 0.42
ACHIEVED_MIN = 0.45  # a report of done work must match the action more closely than a mention
DELIVERABLE_MIN = 0.25  # share of the plan action's specific words the review item repeats (and 2+)
DELIVERABLE_SEMANTIC = 0.6
CANDIDATES = 5
METHOD = "best review item by 0.5*lexical+0.5*semantic; achieved = reported done + same deliverable"
STATUSES = ("achieved", "continuing", "not-reported")

_DONE = re.compile(
    r"\b(?:completed?|completion|established|delivered|launched|in place|"
    r"now (?:included|fully|in|established|offered|available|running)|"
    r"ha(?:ve|s) been|was (?:created|launched|established|held|agreed)|"
    r"were held|successful(?:ly)?|achieved|approved|introduced|embedded|fully funded|operational|"
    r"procured|re-written|rewritten|submitted|set up|took part|carried out)\b",
    re.I,
)
_ONGOING = re.compile(
    r"\b(?:underway|under way|discussions?|planned|planning|to be|will|being|consider|"
    r"currently|in development|ongoing|proposed|scope|explore)\b",
    re.I,
)
_GENERIC = frozenset(
    """deliver delivery ensure improve increase review provide support develop implement people
    services service work working partners local mental health wellbeing community
    care needs access offer appropriate including part""".split()
)
OPENING = 14  # words of a reported item that say whether it is done or under way


def _years(graph: PartnerGraph, sid: str) -> tuple[dict[str, str], dict[str, int | None]]:
    docs = [d for d in graph.node(sid).props.get("documents") or [] if isinstance(d, dict)]
    return {d["file"]: d.get("role") or "plan" for d in docs}, {d["file"]: d.get("year") for d in docs}


def _done(unit_status: str | None, level: str | None, text: str) -> bool:
    """Whether a review item reports its work done: listed as an achievement or saying so, and
    its opening words do not say it is still under way ("discussions with...", "mapping ...
    currently underway")."""
    opening = " ".join(text.split()[:OPENING])
    reported_done = unit_status == "achieved" or level == "achievement" or bool(_DONE.search(text))
    return reported_done and not _ONGOING.search(opening)


def _shares_subject(plan: str, review: str, generic: frozenset[str] = _GENERIC) -> bool:
    """At least one specific word (stem) in common: a match on tone alone is no report.
    ``generic`` words (the common ones, and the strategy's own place name) do not count."""
    stems = {w[:5] for w in content_words(review) if w not in generic}
    return any(w[:5] in stems for w in content_words(plan) if w not in generic)


def _deliverable(plan: str, review: str, semantic: float, generic: frozenset[str] = _GENERIC) -> bool:
    want = [w for w in dict.fromkeys(content_words(plan)) if w not in generic]
    if not want:
        return semantic >= DELIVERABLE_SEMANTIC
    have = set(content_words(review))
    stems = {w[:5] for w in have}
    shared = sum(1 for w in want if w in have or w[:5] in stems)
    return (shared >= 2 and shared / len(want) >= DELIVERABLE_MIN) or semantic >= DELIVERABLE_SEMANTIC


def plan_progress(graph: PartnerGraph, sid: str) -> list[ProgressRow]:
    """`ProgressRow` of every plan action of strategy ``sid`` (none without a plan and a
    later review among its documents)."""
    roles, years = _years(graph, sid)
    # the strategy's own place name is in every row of it: no evidence of a match
    area = str(graph.node(sid).props.get("area") or "")
    generic = _GENERIC | frozenset(content_words(area))
    an = analysis(graph)
    top = an.top
    units = [u for u in top.units if u.strategy == sid]
    plan_docs = {f for f, r in roles.items() if r in ("plan", "draft")}
    if not plan_docs:
        return []
    known = {f: y for f, y in years.items() if y}  # documents with a year
    first = min((known[f] for f in plan_docs if f in known), default=None)
    review_docs = {
        f
        for f, r in roles.items()
        if r == "review" and (first is None or f not in known or known[f] >= first)
    }
    plans = [u for u in units if u.document in plan_docs]
    reviews = [u for u in units if u.document in review_docs]
    if not plans or not reviews or top.embeddings is None:
        return []
    pos = {u.id: k for k, u in enumerate(top.units)}
    string_of = {h: s for s, hs in top.holders.items() for h in hs}

    def row(u: Unit) -> int:
        return string_of.get(pos[u.id], -1)

    pe = np.stack([top.embeddings[row(u)] if row(u) >= 0 else np.zeros(256, np.float32) for u in plans])
    re_ = np.stack([top.embeddings[row(u)] if row(u) >= 0 else np.zeros(256, np.float32) for u in reviews])
    sims = pe @ re_.T
    k = min(CANDIDATES, len(reviews))
    best = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    texts = [u.text for u in plans] + [u.text for u in reviews]
    norm = [normalise(t) for t in texts]
    x = vectorise(texts, normalised=norm)
    ii = np.repeat(np.arange(len(plans)), k)
    jj = best.reshape(-1) + len(plans)
    si, sj, cos, ts = score_array(norm, ii, jj, x, floor=0.0)
    emb = np.concatenate((pe, re_))
    sem = pair_cosines(emb, si, sj)
    score = combined(np.round(0.5 * cos + 0.5 * ts, 4), sem)
    choice: dict[int, tuple[float, int, float]] = {}
    for a, b, s, m in zip(si.tolist(), sj.tolist(), np.asarray(score).tolist(), sem.tolist(), strict=True):
        if a not in choice or (s, -b) > (choice[a][0], -choice[a][1]):
            choice[a] = (s, b - len(plans), m)
    label = graph.node(sid).label
    out = []
    for i, u in enumerate(plans):
        node = graph.node(u.id)
        s, j, m = choice.get(i, (0.0, -1, 0.0))
        if j < 0 or s < MATCH_MIN or not _shares_subject(u.text, reviews[j].text, generic):
            out.append(
                ProgressRow(
                    u.id, u.text, label, "not-reported", "", "", round(s, 4), cite(node.source), METHOD
                )
            )
            continue
        r = reviews[j]
        rnode = graph.node(r.id)
        done = _done(rnode.props.get("status"), rnode.props.get("level"), r.text)
        achieved = done and s >= ACHIEVED_MIN and _deliverable(u.text, r.text, m, generic)
        status = "achieved" if achieved else "continuing"
        out.append(
            ProgressRow(
                u.id,
                u.text,
                label,
                status,
                r.text,
                cite(rnode.source),
                round(s, 4),
                cite(node.source),
                METHOD,
            )
        )
    return out


def progress(source: QuerySource, *, strategy: str | None = None) -> list[ProgressRow]:
    """Each plan action of each strategy (or of ``strategy``, a fuzzy name) with what a later
    review of the same strategy reports: achieved, continuing or not-reported."""
    graph = graph_of(source, "progress")
    if strategy:
        wanted = [resolve_strategy(graph, strategy)]
    else:
        wanted = sorted(s.id for s in graph.nodes(NodeKind.STRATEGY) if s.props.get("documents"))
    rows = [r for sid in wanted for r in plan_progress(graph, sid)]
    rows.sort(key=lambda r: (r.strategy, STATUSES.index(r.status), -r.score, r.action_id))
    return rows
