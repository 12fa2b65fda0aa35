"""The shape of a workstream review: where each section is, and the lines inside one.

`find_workstreams` finds the ``[N.] Workstream K: Title`` sections and where each ends;
the patterns here name the line shapes `loaders.workstreams` reads inside a section
(bullets, list headings, aims, theme and table heads), and `parse_due` reads due phrases
("due end of June 2019", "by end FY19/20").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from graphmodel.schema import PriorityRef

from .dates import parse_due

HEADING = re.compile(
    r"^\s*(?:#+\s*)?(?:\*\*)?(?:(?P<para>\d{1,3})\.\s+)?Work\s?stream\s+(?P<key>\d{1,2}|[A-Z])\b"
    r"\s*[:.–—-]\s*(?P<title>\S.*?)\s*(?:\*\*)?\s*$",
    re.I,
)
GLYPH = re.compile(r"^\s*(?:[\uf0b7•▪◦●■○➢✓]|[-–*](?=\s))\s*(?P<t>\S.*)$")
INDENT = re.compile(r"^[ \t]{1,6}(?P<t>\S.*)$")
ROMAN = re.compile(r"^\s*\(?(?P<n>[ivx]{1,5})[.)]\s+(?P<t>\S.*)$")
PAGE_NO = re.compile(r"^\s*(?:page\s+)?\d{1,3}\s*$", re.I)
ACHIEVED = re.compile(
    r"^(?:key |other |main |our )?(?:achievements?|highlights|progress to date|what we have achieved)"
    r"(?: (?:to date|so far|in \d{4}(?:[-/]\d{2,4})?))?\s*:?$"
    r"|^a key achievement (?:in|for|of) this (?:area|workstream|project)\b.*:$",
    re.I,
)
PLANNED = re.compile(
    r"^(?:future objectives?|next steps|future plans|planned actions|key objectives"
    r"|priorities for (?:the )?(?:next|coming) (?:year|twelve months|12 months)"
    r"|objectives for (?:the )?(?:next|coming) year)\s*:?$",
    re.I,
)
AIMS = re.compile(
    r"^\s*(?:this (?:work\s?stream|project|programme) aims? to"
    r"|the (?:working )?aims? of this (?:work\s?stream|project|programme) (?:is|are)"
    r"|the working aim is)\b",
    re.I,
)
THEMES_INTRO = re.compile(r"\b(?:themes|priorities|areas of focus)\s*:\s*$", re.I)
TERMINAL = re.compile(r"[.;:!?][”\"’')]*\s*$")
TABLE_HEAD = re.compile(r"objectiv.*action.*progress|action.*progress.*update", re.I)
# words every TABLE_HEAD match holds: searched first, as they are much quicker to rule out
TABLE_HEAD_WORDS = (re.compile("action", re.I), re.compile("progress", re.I))
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+\S")
_MONTH = r"(?:" + "|".join(sorted((m for m in calendar.month_name if m), key=len, reverse=True)) + r")"
_DUE = [
    re.compile(
        r"\bdue (?:by |on |in )?(?:the )?(?P<raw>(?:end of |end |early |mid[- ])?"
        r"(?:\d{1,2}(?:st|nd|rd|th)? (?:of )?)?" + _MONTH + r",? \d{4})",
        re.I,
    ),
    re.compile(
        r"\bby (?:the )?(?P<raw>(?:end of |end )?(?:\d{1,2}(?:st|nd|rd|th)? (?:of )?)?"
        + _MONTH
        + r",? \d{4})",
        re.I,
    ),
    re.compile(r"\b(?:due |by )(?:the )?(?P<raw>end (?:of )?(?:FY ?)?\d{2}/\d{2})", re.I),
    re.compile(r"\bbetween " + _MONTH + r" \d{4} and (?P<raw>" + _MONTH + r" \d{4})", re.I),
    re.compile(r"\((?:[^()]*?,\s*)?(?P<raw>(?:\d{1,2} )?" + _MONTH + r" \d{4})\)", re.I),
]


def find_due(text: str) -> tuple[str | None, str | None]:
    """The due phrase of a progress sentence ("due end of June 2019", "by end FY19/20",
    "(March 2020)") and its ISO date, read by the one date parser, `loaders.dates.parse_due`.

    Examples
    --------
    >>> find_due("JSNA in progress – due end of June 2019")
    ('end of June 2019', '2019-06-30')
    >>> find_due("programme for all staff by end FY19/20")
    ('end FY19/20', '2020-03-31')
    """
    flat = " ".join(text.split())
    for pat in _DUE:
        m = pat.search(flat)
        if m:
            raw = m.group("raw")
            return raw, parse_due(raw)
    return None, None


def join_lines(parts: list[str]) -> str:
    """Wrapped lines to one text; "scale-" + "up" joins without a space."""
    out = ""
    for p in parts:
        p = " ".join(p.split())
        if not p:
            continue
        if out.endswith("-") and out[-2:-1].isalpha() and p[:1].islower():
            out += p
        else:
            out = f"{out} {p}" if out else p
    return out


@dataclass(slots=True)
class Bullet:
    lines: list[int]
    parts: list[str]
    mode: str | None

    @property
    def text(self) -> str:
        return join_lines(self.parts)

    def terminated(self) -> bool:
        return bool(TERMINAL.search(self.parts[-1]))


@dataclass(slots=True)
class Workstream:
    key: str
    title: str
    first: int  # 1-based heading lines
    last: int
    body: tuple[int, int]  # 0-based [start, end) of the section body
    aims: list[str] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rag: str | None = None
    rag_evidence: str | None = None

    @property
    def path(self) -> tuple[PriorityRef, ...]:
        return (PriorityRef("workstream", self.title),)


def _is_caps_heading(s: str) -> bool:
    if len(s.split()) > 10:
        return False  # prose: the cheap test first
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters)


def find_workstreams(lines: tuple[str, ...]) -> list[Workstream]:
    heads: list[tuple[int, re.Match[str]]] = [
        (i, m) for i, ln in enumerate(lines) if (m := HEADING.match(ln)) and len(ln) < 160
    ]
    out: list[Workstream] = []
    for k, (i, m) in enumerate(heads):
        title, last = m.group("title"), i
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if (
            nxt
            and len(nxt) <= 40
            and not TERMINAL.search(title)
            and not TERMINAL.search(nxt)
            and not GLYPH.match(lines[i + 1])
            and not HEADING.match(lines[i + 1])
            and not ACHIEVED.match(nxt)
            and not PLANNED.match(nxt)
        ):
            title, last = f"{title} {nxt}", i + 1  # title wrapped onto a second line
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        para = int(m.group("para")) if m.group("para") else None
        for j in range(last + 1, end):
            s = lines[j].strip()
            num = _NUMBERED.match(s)
            if (para is not None and num and int(num.group(1)) > para) or _is_caps_heading(s):
                end = j
                break
        out.append(
            Workstream(m.group("key"), " ".join(title.split()).strip(" :*"), i + 1, last + 1, (last + 1, end))
        )
    return out
