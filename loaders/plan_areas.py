"""Naming an action plan's priority areas from the descriptions in its first column:
a description seen before keeps its area; a new one takes the page label, or the theme
(a "**Name** – description" bullet above the table) it shares the most distinctive
words with. Used by `loaders.action_plan` (its docstring states the rule).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left

from rapidfuzz import fuzz

from .tables import norm

_THEME_RE = re.compile(r"^\s*[-•*]\s*\*\*(.{3,80}?)\*\*\s*[–—:-]\s*(\S.*)$")
_STOP = frozenset(
    {
        "the",
        "and",
        "of",
        "to",
        "in",
        "for",
        "with",
        "a",
        "an",
        "on",
        "at",
        "by",
        "as",
        "is",
        "are",
        "be",
        "or",
        "from",
        "that",
        "this",
        "which",
        "their",
        "our",
        "its",
        "it",
        "into",
        "who",
        "those",
        "all",
    }
)


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in norm(text).split() if len(w) > 2 and w not in _STOP}


def theme_lines(lines: tuple[str, ...]) -> list[tuple[int, str, str]]:
    """(line index, "Name", "description") of every bold-named bullet in a document:
    the plans' themes. Found once per document, not once per table."""
    out = []
    for i, line in enumerate(lines):
        m = _THEME_RE.match(line)
        if m:
            out.append((i, m[1].strip(), m[2].strip()))
    return out


def themes_before(themes: list[tuple[int, str, str]], before: int) -> list[tuple[str, str]]:
    """The themes above line index ``before`` (a table's first line)."""
    return [(name, desc) for i, name, desc in themes[: bisect_left(themes, (before,))]]


class Areas:
    """Names priority areas from their descriptions (see the module docstring)."""

    def __init__(self, themes: list[tuple[str, str]]):
        self.themes = themes
        self.by_desc: dict[str, str] = {}
        self.bound: dict[str, str] = {}  # norm(area name) -> area name as printed
        docs = [_words(f"{n} {t}") for n, t in themes]
        df: dict[str, int] = {}
        for ws in docs:
            for w in ws:
                df[w] = df.get(w, 0) + 1
        self.theme_words = docs
        self.idf = {w: math.log(1 + len(docs) / c) for w, c in df.items()}

    def known(self, desc: str) -> str | None:
        key = norm(desc)
        if key in self.by_desc:
            return self.by_desc[key]
        for other, area in self.by_desc.items():
            if fuzz.ratio(key, other) >= 92:
                return area
        return None

    def _theme(self, desc: str) -> str | None:
        words = _words(desc)
        scores = [sum(self.idf.get(w, 0) for w in words & tw) for tw in self.theme_words]
        if not scores or max(scores) <= 1.0:
            return None
        best = self.themes[scores.index(max(scores))][0]
        return self.bound.get(norm(best), best)

    def resolve(self, desc: str, label: str | None) -> str:
        area = self.known(desc)
        if area is None:
            if label and norm(label) not in self.bound:
                area = label
            else:
                area = self._theme(desc) or label or _short(desc)
            self.by_desc[norm(desc)] = area
            self.bound.setdefault(norm(area), area)
        return area


def _short(text: str) -> str:
    first = re.split(r"(?<=[.;])\s", text, maxsplit=1)[0].rstrip(".;")
    return first if len(first) <= 90 else first[:90].rsplit(" ", 1)[0]
