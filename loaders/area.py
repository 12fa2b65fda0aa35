"""Which local area (borough, council, CCG) a document or a strategy belongs to.

Papers of many boroughs share one graph; a Merton action should not be inferred to
rely on Hackney's strategy. The area is found by structure, not from a list of places:

1. bodies that name their area: "London Borough of X", "Royal Borough of X",
   "X Council" / "X Borough Council" / "X City Council", "NHS X CCG", "X CCG",
   "X's <plan words>" (e.g. "Barnet's Joint Mental Health ... Strategy");
2. in a corpus of titles, a place name leading several plan titles ("Barnet Knife
   Crime ... Action Plan", "Barnet Joint Mental Health ... Strategy").

Candidates whose words are common plan or organisation words ("Youth Council",
"Schools Council", "The CCG", "London ...") are not areas. In a document the most
frequent name of kind 1 wins, heading-like lines (short, no final full stop) counting
twice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .text import TextDocument

# A place name: capitalised words, joined by "and", "upon", "on", "of" or "-"
# ("Barking and Dagenham", "Kingston upon Thames", "Richmond upon Thames").
_PLACE = r"[A-Z][a-z]+(?:[\- ](?:(?:and|upon|on|of) )?[A-Z][a-z]+)*"

_PATTERNS = (
    re.compile(rf"\b(?:London|Royal) Borough of ({_PLACE})"),
    re.compile(rf"\bCity of ({_PLACE}) Council\b"),
    re.compile(rf"\b({_PLACE}) (?:(?:Borough|City|District|County) )?Council\b"),
    re.compile(rf"\bNHS ({_PLACE}) (?:CCG|Clinical Commissioning Group)\b"),
    re.compile(rf"\b({_PLACE}) (?:CCG|Clinical Commissioning Group)\b"),
    re.compile(rf"\b({_PLACE})['’]s (?=[^.\n]{{0,80}}?\b(?:Strategy|Plan|Programme|Framework)\b)"),
)

#: Words that start plan titles or name kinds of bodies: never an area on their own.
NOT_PLACES = frozenset(
    """
a an the this that our all joint draft annual final interim revised refreshed updated new
multi agency multiagency knife crime carrying mental health wellbeing well being strategy
strategies plan plans action actions programme program partnership partnerships review
report delivery framework policy community communities safety safer children child young
youth people adults adult older family families schools school education police council
councils borough city county district london england national regional local public
integrated suicide prevention violence serious gangs gang offending substance misuse
alcohol drugs housing homelessness domestic abuse sexual early help safeguarding health
and wellbeing board trust foundation hospital hospitals nhs ccg clinical commissioning
group the cabinet scrutiny committee sub item report meeting appendix key summary
executive overview introduction background purpose recommendations recommendation
workstream priority priorities objective objectives outcome outcomes area areas sub
voluntary sector service services team teams unit office officers member members lead
leads chair parish town strategic operational tactical classification open date meeting
name item minutes agenda glossary
""".split()
)

_PLAN_WORD = re.compile(r"\b(?:strategy|plan|programme|review|framework)\b", re.IGNORECASE)
_TITLE_START = re.compile(rf"^\s*(?:Report title:\s*)?({_PLACE})\s+(?=[A-Z])")


_JOINERS = ("and", "upon", "on", "of")


def _place(candidate: str) -> str | None:
    """``candidate`` as an area, or None when its words are plan or body words."""
    if re.match(r"City of [A-Z]", candidate):
        return candidate.strip()
    words = [w for w in re.split(r"[\s\-]+", candidate) if w.lower() not in _JOINERS]
    if not words or all(w.lower() in NOT_PLACES for w in words):
        return None
    if words[0].lower() in NOT_PLACES:  # "Youth Offending Council", "Schools Forum Council"
        return None
    return candidate.strip()


#: Words each of `_PATTERNS` needs in a text to match at all: most lines have none.
_NEEDS = (
    ("Borough of",),
    ("Council",),
    ("Council",),
    ("CCG", "Clinical Commissioning Group"),
    ("CCG", "Clinical Commissioning Group"),
    ("'s ", "’s "),
)


def areas_in(text: str) -> list[str]:
    """Every area ``text`` names by structure (see the module docstring), in order."""
    out = []
    for rx, needs in zip(_PATTERNS, _NEEDS, strict=True):
        if not any(w in text for w in needs):
            continue
        for m in rx.finditer(text):
            place = _place(m.group(1))
            if place:
                out.append(place)
    return out


def area_of_title(title: str) -> str | None:
    """The area a plan title names by structure ("Southwark Council Plan", "London Borough
    of Merton ...", "City of London ...", "Barnet's ... Strategy"), else None.

    >>> area_of_title("London Borough of Merton Community Safety Plan")
    'Merton'
    >>> area_of_title("Joint Mental Health and Wellbeing Strategy 2017-2020") is None
    True
    """
    named = areas_in(title)
    if named:
        return named[0]
    m = re.match(rf"^\s*City of ({_PLACE})", title)
    return f"City of {m.group(1).split()[0]}" if m else None


def _leading_run(title: str) -> list[str]:
    """Capitalised words leading a plan title, up to the first plan word."""
    if not _PLAN_WORD.search(title):
        return []
    m = _TITLE_START.match(title)
    if not m:
        return []
    words: list[str] = []
    for w in m.group(1).split():
        if w.lower() in NOT_PLACES and w not in _JOINERS:
            break
        words.append(w)
    while words and words[-1] in _JOINERS:
        words.pop()
    return words


def areas_of_titles(titles: Iterable[str]) -> dict[str, str]:
    """Title -> area for the titles of one corpus that name an area.

    Structural names first (`area_of_title`); else a place leading the title, accepted
    only when the same leading words start at least two titles that go on differently
    ("Barnet Knife Crime ... Plan" and "Barnet Joint Mental Health ... Strategy"), so a
    topic ("Dual Diagnosis Strategy", "Faith Strategy") is not taken for a place.
    """
    titles = list(dict.fromkeys(titles))
    runs = {t: _leading_run(t) for t in titles}
    following: dict[str, set[str]] = {}  # leading words -> the words that follow them
    for t, run in runs.items():
        rest = t.split()
        for k in range(1, len(run) + 1):
            nxt = rest[k].lower() if k < len(rest) else ""
            following.setdefault(" ".join(run[:k]), set()).add(nxt)
    out = {}
    for t in titles:
        area = area_of_title(t)
        if area is None:
            run = runs[t]
            for k in range(len(run), 0, -1):
                lead = " ".join(run[:k])
                if len(following.get(lead, ())) >= 2:
                    area = _place(lead)
                    break
        if area:
            out[t] = area
    return out


def _is_heading(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= 120 and "\t" not in s and not s.endswith((".", ",", ";"))


def area_from_lines(lines: Iterable[str]) -> str | None:
    """The area ``lines`` name most often by structure (headings count twice; ties: first)."""
    votes: Counter[str] = Counter()
    first: dict[str, int] = {}
    for n, line in enumerate(lines):
        for place in areas_in(line):
            votes[place] += 2 if _is_heading(line) else 1
            first.setdefault(place, n)
    if not votes:
        return None
    return min(votes, key=lambda p: (-votes[p], first[p]))


def detect_area(doc: TextDocument) -> str | None:
    """The area (borough, council or CCG) ``doc`` belongs to, or None if it names none."""
    return area_from_lines(doc.lines)
