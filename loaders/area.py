"""Which local area (borough, county, city, CCG / ICB footprint) a document or a strategy
belongs to.

Papers of many boroughs share one graph; a Merton action should not be inferred to
rely on Hackney's strategy. The area is found by structure, not from a list of places:

1. bodies that name their area: "London Borough of X", "Royal Borough of X",
   "X Council" / "X Borough Council" / "X City Council", "NHS X CCG", "X CCG",
   "NHS X ICB", "X Integrated Care Board / System", "X Police", "X Fire and Rescue",
   "X's <plan words>" (e.g. "Barnet's Joint Mental Health ... Strategy"); an NHS trust
   ("X Community Healthcare NHS Trust") counts half, and only when the paper also writes
   X outside trust names or nothing else names an area (an organisation's name is not the
   document's area: "Western Sussex Hospitals NHS Foundation Trust" in a West Sussex plan);
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
from collections.abc import Iterable, Sequence

from graphmodel.schema import LoadResult, StrategyRecord

from .text import TextDocument

# A place name: capitalised words, joined by "and", "upon", "on", "of" or "-"
# ("Barking and Dagenham", "Kingston upon Thames", "Richmond upon Thames").
_PLACE = r"[A-Z][a-z]+(?:[\- ](?:(?:and|upon|on|of) )?[A-Z][a-z]+)*"

_PATTERNS = (
    re.compile(rf"\b(?:London|Royal) Borough of ({_PLACE})"),
    re.compile(rf"\bCity of ({_PLACE}) Council\b"),
    re.compile(rf"\b({_PLACE}) (?:(?:Borough|City|District|County) )?Council\b"),
    re.compile(rf"\bNHS ({_PLACE}) (?:CCG|Clinical Commissioning Group|ICB|Integrated Care Board)\b"),
    re.compile(rf"\b({_PLACE}) (?:CCG|Clinical Commissioning Group|ICB|Integrated Care (?:Board|System))\b"),
    re.compile(rf"\b({_PLACE})['’]s (?=[^.\n]{{0,80}}?\b(?:Strategy|Plan|Programme|Framework)\b)"),
    re.compile(rf"\b({_PLACE}) (?:Police|Constabulary|Fire (?:and|&) Rescue)\b"),
)
#: Which patterns name the place after their fixed words (the place ends at the first body
#: or plan word: "London Borough of Merton Community Safety Plan" is Merton's).
_PLACE_FIRST = (True, True, False, True, False, False, False)
#: Trusts name their area less reliably ("South London and Maudsley"): each counts half
#: what a council, CCG or ICB does.
_TRUST = re.compile(rf"\b({_PLACE}) (?:NHS (?:Foundation )?Trust)\b")

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
name item minutes agenda glossary general dental medical mayor integrated care system
healthcare care teaching university universities college hospitals metropolitan british
transport civil nuclear ministry royal
""".split()
)

_PLAN_WORD = re.compile(r"\b(?:strategy|plan|programme|review|framework)\b", re.IGNORECASE)
_TITLE_START = re.compile(rf"^\s*(?:Report title:\s*)?({_PLACE})\s+(?=[A-Z])")


_JOINERS = ("and", "upon", "on", "of")
_COMPASS = frozenset({"North", "South", "East", "West", "Central", "Mid"})


def _place(candidate: str, *, first: bool = False) -> str | None:
    """``candidate`` as an area, or None when its words are plan or body words.

    With ``first`` the place leads the candidate ("Merton Community Safety Plan" ->
    "Merton"); else it ends it ("Barnet Clinical Commissioning Group and Barnet" ->
    "Barnet", "Leeds City" -> "Leeds").
    """
    if re.match(r"City of [A-Z]", candidate):
        return candidate.strip()
    tokens = candidate.split()
    while not first and tokens and tokens[-1] in ("County", "City", "Borough", "District"):
        tokens = tokens[:-1]  # "Kent County" (Council)
    if first:
        n = next(
            (i for i, w in enumerate(tokens) if w.lower() in NOT_PLACES and w not in _JOINERS), len(tokens)
        )
        tokens = tokens[:n]
    else:
        n = next(
            (
                i
                for i in range(len(tokens) - 1, -1, -1)
                if tokens[i].lower() in NOT_PLACES and tokens[i] not in _JOINERS
            ),
            -1,
        )
        tokens = tokens[n + 1 :]
    while tokens and tokens[0] in _JOINERS:
        tokens = tokens[1:]
    while tokens and tokens[-1] in _JOINERS:
        tokens = tokens[:-1]
    words = [w for w in re.split(r"[\s\-]+", " ".join(tokens)) if w and w.lower() not in _JOINERS]
    if not words or any(w.lower() in NOT_PLACES for w in words):
        return None
    return " ".join(tokens)


#: Words each of `_PATTERNS` needs in a text to match at all: most lines have none.
_NEEDS = (
    ("Borough of",),
    ("Council",),
    ("Council",),
    ("CCG", "Clinical Commissioning Group", "ICB", "Integrated Care Board"),
    ("CCG", "Clinical Commissioning Group", "ICB", "Integrated Care"),
    ("'s ", "’s "),
    ("Police", "Constabulary", "Fire"),
)


def areas_in(text: str) -> list[str]:
    """Every area ``text`` names by structure (see the module docstring), in order.

    >>> areas_in("Kent County Council, NHS Kent and Medway ICB and Sussex Police")
    ['Kent', 'Kent and Medway', 'Sussex']
    """
    found: dict[int, str] = {}  # by where the place ends: "NHS X CCG" is "X CCG" too
    for rx, needs, first in zip(_PATTERNS, _NEEDS, _PLACE_FIRST, strict=True):
        if not any(w in text for w in needs):
            continue
        for m in rx.finditer(text):
            place = _place(m.group(1), first=first)
            if place:
                found.setdefault(m.end(1), place)
    return [p for _, p in sorted(found.items())]


def trusts_in(text: str) -> list[str]:
    """Areas named by NHS trusts in ``text`` ("Leeds Community Healthcare NHS Trust")."""
    if "Trust" not in text:
        return []
    return [p for m in _TRUST.finditer(text) if (p := _place(m.group(1), first=True))]


def area_of_title(title: str) -> str | None:
    """The area a plan title names by structure ("Barnet Council Plan", "London Borough
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
    return detect_area_with_basis(list(lines))[0]


def detect_area_with_basis(lines: Sequence[str]) -> tuple[str | None, str | None]:
    """(area, how it was found) for ``lines``: the area named most often by structure
    (headings count twice; ties: the first named), trusts only when nothing else names one.

    >>> detect_area_with_basis(["West Sussex County Council", "Public Health will lead."])
    ('West Sussex', "named 1 time, first as 'West Sussex' on line 1")
    """
    votes: Counter[str] = Counter()  # councils, CCGs, ICBs: 2 (4 in a heading); trusts: 1
    named: Counter[str] = Counter()
    first: dict[str, int] = {}
    trust_votes: Counter[str] = Counter()
    for n, line in enumerate(lines, start=1):
        weight = 2 if _is_heading(line) else 1
        for place in areas_in(line):
            votes[place] += 2 * weight
            named[place] += 1
            first.setdefault(place, n)
        for place in trusts_in(line):
            if place.split()[-1] not in _COMPASS:
                trust_votes[place] += 1
                first.setdefault(place, n)
    text = "\n".join(lines)
    for place, k in trust_votes.items():
        # an organisation's name is not the document's area: a place written only inside
        # NHS trust names ("Western Sussex Hospitals NHS Foundation Trust") votes only when
        # no council, CCG, ICB or police force names an area
        if not votes or place in votes or _written_outside_trusts(place, text):
            votes[place] += k
            named[place] += k
    if not votes:
        return None, None
    best = min(votes, key=lambda p: (-votes[p], first[p]))
    times = "1 time" if named[best] == 1 else f"{named[best]} times"
    basis = f"named {times}, first as {best!r} on line {first[best]}"
    # "Sussex Police" and "NHS Sussex ICB" serve Sussex; a paper that says "West Sussex"
    # more often than "Sussex" alone is West Sussex's
    qualified = Counter(
        m.group(1) for m in re.finditer(rf"\b((?:{'|'.join(_COMPASS)})\s+{re.escape(best)})\b", text)
    )
    if qualified:
        q, n = qualified.most_common(1)[0]
        bare = len(re.findall(rf"\b{re.escape(best)}\b", text)) - sum(qualified.values())
        if n > bare:
            return " ".join(q.split()), f"{basis}; written {q!r} {n} times"
    return best, basis


def _written_outside_trusts(place: str, text: str) -> bool:
    """Whether ``text`` writes ``place`` outside the names of NHS trusts (and not as part of
    a compass-qualified place: "West Sussex" is not "Sussex" written)."""
    rest = _TRUST.sub(" ", text)
    compass = "|".join(_COMPASS)
    rest = re.sub(rf"\b(?:{compass})\s+{re.escape(place)}\b", " ", rest)
    return re.search(rf"(?<![\w-]){re.escape(place)}(?![\w-])", rest) is not None


def area_with_basis(results: Iterable[LoadResult]) -> tuple[str | None, str | None]:
    """(area, how) of a document read by a reader of its own (PDF, spreadsheet): from the
    texts of the records its loaders made."""
    texts: list[str] = []
    for res in results:
        for rec in res.records:
            for attr in ("name", "text", "target", "expansion"):
                value = getattr(rec, attr, None)
                if isinstance(value, str):
                    texts.append(value)
            texts.extend(str(v) for v in getattr(rec, "leads", ()) or ())
    area, basis = detect_area_with_basis(texts)
    if area is not None:
        return area, (basis.replace(" on line", " in record") if basis else None)
    # no body names its area: a place leading the plan titles ("Barnet Knife Crime ... Plan",
    # "Barnet Joint Mental Health ... Strategy")
    titles = [
        str(t)
        for res in results
        for rec in res.records
        for t in (
            getattr(rec, "strategy", None),
            getattr(rec, "name", None) if hasattr(rec, "path") else None,
        )
        if t
    ]
    titles += [str(rec.name) for res in results for rec in res.records if isinstance(rec, StrategyRecord)]
    named = Counter(areas_of_titles(titles).values())
    if not named:
        return None, None
    place, n = named.most_common(1)[0]
    return place, f"leads {n} plan titles"


def detect_area(doc: TextDocument) -> str | None:
    """The area (borough, county, city or NHS footprint) ``doc`` belongs to, or None."""
    return area_from_lines(doc.lines)
