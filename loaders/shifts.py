"""Shifted cells in table rows: score how plausible each cell is for its column, detect
a row sitting left or right of its columns (`detect_shift`) and move it back (`realign`).

A cell in the lead column that reads as a date, or text past the last column, is the
usual sign; the scorers for dates and RAG words live here, the one for names of bodies
in `loaders.bodies`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

from .dates import parse_due
from .tables import CACHE_SIZE, clean_cell, norm

_DATEISH_RE = re.compile(
    r"\b(ongoing|on-going|monthly|quarterly|annually|annual|weekly|"
    r"tbc|tbd|complete[d]?|in place|rolling)\b",
    re.IGNORECASE,
)
RAG_WORDS = frozenset(
    {
        "red",
        "amber",
        "green",
        "blue",
        "grey",
        "r",
        "a",
        "g",
        "b",
        "ag",
        "ar",
        "amber green",
        "red amber",
        "green amber",
        "complete",
        "completed",
        "on track",
        "off track",
        "at risk",
        "not started",
        "closed",
    }
)


@lru_cache(maxsize=CACHE_SIZE)
def date_score(cell: str) -> float:
    """1 when a cell reads as a due date or a recurring timescale, else 0."""
    text = clean_cell(cell)
    if not text:
        return 0.0
    if len(text.split()) > 30:
        return 0.0
    return 1.0 if parse_due(text) or _DATEISH_RE.search(text) else 0.0


@lru_cache(maxsize=CACHE_SIZE)
def rag_score(cell: str) -> float:
    """1 when a cell is a RAG / status word."""
    return 1.0 if norm(cell) in RAG_WORDS else 0.0


def detect_shift(
    cells: Sequence[str],
    width: int,
    scorers: Mapping[int, Callable[[str], float]],
    *,
    max_shift: int = 3,
    margin: float = 1.0,
) -> int:
    """How far a row's cells sit right (+) or left (-) of their columns; 0 when aligned.

    ``scorers`` maps a column index to how plausible a cell is for that column (a lead
    column scores bodies, a due column dates). The shift that makes the row most
    plausible wins if it beats no shift by ``margin``; content pushed past the last
    column counts against a shift.

    A scorer with an ``upper_bound`` attribute (see `bounded`) lets shifts that cannot
    beat no shift by ``margin`` go unscored; the answer is the same.
    """
    n = len(cells)
    full = [bool(c.strip()) for c in cells]
    filled = sum(full)
    before: list[int] = []  # before[k]: filled cells among the first k (made when needed)

    def upto(k: int) -> int:
        k = 0 if k < 0 else k if k < n else n
        if not k:
            return 0
        if not before:
            before.append(0)
            for f in full:
                before.append(before[-1] + f)
        return before[k]

    scored: dict[tuple[int, int], float] = {}  # (column, cell index) -> score: each cell once
    items = list(scorers.items())
    uppers = [getattr(fn, "upper_bound", None) for fn in scorers.values()]

    def score(s: int, bound: bool = False) -> float:
        total = 0.0
        for (col, fn), upper in zip(items, uppers, strict=True):
            i = col + s
            if 0 <= i < n:
                if bound:  # same sums with each score at its maximum: never below score(s)
                    total += (upper or 0.0) if full[i] else 0.0
                    continue
                key = (col, i)
                if key not in scored:
                    scored[key] = fn(cells[i])
                total += scored[key]
        # filled cells left of the row (lost) and outside columns s..s+width-1 (overflow)
        lost = upto(s)
        inside = (sum(full[:width]) if s == 0 and width > 0 else upto(s + width)) - lost
        overflow = filled - (inside if inside > 0 else 0)
        return total - 1.5 * overflow - 1.5 * lost - 0.1 * abs(s)

    shifts = range(-max_shift, max_shift + 1)
    if margin > 0 and all(u is not None for u in uppers):
        # Only a shift scoring at least score(0) + margin can win, and then the best of
        # those wins: the others cannot be the maximum.
        base = score(0)
        if all(u >= 0 for u in uppers):  # type: ignore[operator]
            # Every shift scores at most the sum of all maxima less 0.1 (the penalties are
            # not negative, and float rounding keeps the order): an aligned row that
            # scores well needs no other shift scored.
            top = 0.0
            for u in uppers:
                top += u or 0.0
            if top - 0.1 < base + margin:
                return 0
        scores = {s: score(s) for s in shifts if s != 0 and score(s, bound=True) >= base + margin}
        if not scores:
            return 0
        scores[0] = base
    else:
        scores = {s: score(s) for s in shifts}
    best = max(sorted(scores), key=lambda s: (scores[s], -abs(s)))
    return best if best != 0 and scores[best] >= scores[0] + margin else 0


def bounded(fn: Callable[[str], float], upper: float) -> Callable[[str], float]:
    """``fn`` marked for `detect_shift` as scoring at most ``upper``, and 0 for a blank
    cell (true of `bodies_score`, `date_score` and `rag_score`)."""
    fn.upper_bound = upper  # type: ignore[attr-defined]
    return fn


bounded(date_score, 1.0)
bounded(rag_score, 1.0)


def realign(cells: Sequence[str], shift: int, split_at: int) -> list[str]:
    """Undo a shift: columns before ``split_at`` (context cells) absorb it.

    A right shift drops that many empty context cells (the last ones); a left shift
    pads the context on the left, after dropping trailing empty context cells, so the
    nearest context column keeps its text.
    """
    cut = max(split_at + shift, 0)
    head, tail = list(cells[:cut]), list(cells[cut:])
    if shift > 0:
        for _ in range(shift):
            empties = [i for i, c in enumerate(head) if not c.strip()]
            if empties:
                head.pop(empties[-1])
            elif len(head) >= 2:  # no room: keep the text, merged into its neighbour
                head[-2:] = [f"{head[-2]} {head[-1]}"]
    elif shift < 0:
        while head and not head[-1].strip():
            head.pop()
        head = [""] * (split_at - len(head)) + head
    return head + tail
