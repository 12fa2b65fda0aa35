"""Name keys: how names of bodies and strategies are normalised before they are compared
(case, punctuation, "&"/"and", "the", apostrophes, years, leading area and NHS qualifiers),
and the small predicates on abbreviations the resolver uses."""

from __future__ import annotations

import re
from functools import lru_cache

from .areas import AreaTable

_PREFIXES = ("nhs ",)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_PUNCT = re.compile(r"[^\w&\s]")
_YEARS = re.compile(r"\(?\b(?:19|20)\d{2}(?:\s*[-/]\s*(?:(?:19|20)?\d{2}))?\b\)?")


def clean_name(raw: str) -> str:
    """Tidy a name as written: quotes, whitespace, bullets, wrapping parentheses."""
    name = " ".join(raw.translate(_QUOTES).split())
    name = name.strip(" -*•·;,:.\"'")
    while name.startswith("(") and name.endswith(")") and name.count("(") == 1:
        name = name[1:-1].strip()
    return name


@lru_cache(maxsize=1 << 16)  # pure, and called for the same names and mention words again and again
def name_key(name: str) -> str:
    """Normalised matching key: case, apostrophes, punctuation, "&"/"and", "the" ignored.

    >>> name_key("The South London & the Maudsley's")
    'south london and maudsleys'
    """
    s = name.translate(_QUOTES).casefold().replace("'", "")
    s = re.sub(r"(?<=\s)&(?=\s)|^&|&$", " and ", s)
    s = _PUNCT.sub(" ", s)
    return " ".join(w for w in s.split() if w != "the")


def strip_prefix(key: str, areas: AreaTable | None = None) -> str:
    """``key`` without leading area / NHS qualifiers ("lbs cs&p" -> "cs&p" when the area
    table knows "LBS")."""
    return split_prefix(key, areas)[1]


def split_prefix(key: str, areas: AreaTable | None = None) -> tuple[str | None, str]:
    """(area named by a leading qualifier or None, ``key`` without the qualifiers)."""
    named: str | None = None
    changed = True
    while changed:
        changed = False
        for p in _PREFIXES:
            if key.startswith(p) and len(key) > len(p):
                key, changed = key[len(p) :], True
        if areas is not None:
            area, rest = areas.split_prefix(key)
            if area is not None and rest:
                named, key, changed = named or area, rest, True
    return named, key


def strategy_key(name: str, *, strip: bool = False, areas: AreaTable | None = None) -> str:
    """Matching key of a strategy title: years, "Draft", "the" and apostrophes ignored.

    With ``strip`` a leading area name ("Kent", "LBS", "Barnet's") is dropped too (tried
    second, so "Barnet's Five Year Forward View" stays apart from the NHS one).
    """
    s = _YEARS.sub(" ", name.translate(_QUOTES))
    words = name_key(s).split()
    while words and words[0] == "draft":
        words = words[1:]
    key = " ".join(words)
    if strip:
        key = split_prefix(key, areas)[1]
        while key.startswith("draft "):
            key = key[6:]
    return key


@lru_cache(maxsize=1 << 14)
def tidy_strategy(name: str) -> str:
    """Display form of an uncurated strategy title (years, "The", "Draft" dropped)."""
    s = clean_name(name)
    s = _YEARS.sub(" ", s)
    s = re.sub(r"\(\s*\)", " ", s)
    s = re.sub(r"^(?:the|draft)\s+", "", " ".join(s.split()), flags=re.I)
    s = re.sub(r"^(?:the|draft)\s+", "", s, flags=re.I)
    s = s.strip(" -,:;")
    return s or clean_name(name)


def _is_abbreviation(word: str) -> bool:
    """ "CS&P", "SLaM", "Y&PS": no spaces, at least two capitals, short."""
    return (
        " " not in word
        and len(word) <= 8
        and sum(c.isupper() for c in word) >= 2
        and sum(c.islower() for c in word) <= 2
    )


def _abbreviation_typo(a: str, b: str) -> bool:
    """True if ``a`` is ``b`` with two adjacent characters swapped or one character appended."""
    if len(a) < 4 or len(b) < 3:
        return False
    if len(a) == len(b) + 1:
        return a[:-1] == b
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _letters(abbr: str) -> str:
    return "".join(c for c in abbr.upper() if c.isalpha()).removesuffix("S")


def _initials(name: str) -> str:
    small = {"and", "of", "the", "for", "&", "in", "to"}
    return "".join(w[0].upper() for w in name.split() if w.lower() not in small and w[0].isalpha())


def _hint_category(hint: str | None) -> str:
    """Category from a Key-list section heading ("Council", "Health and Social Care")."""
    h = (hint or "").casefold()
    for words, cat in (
        (("council", "local authority"), "council"),
        (("police", "justice", "probation"), "police-justice"),
        (("nhs", "health"), "nhs"),
        (("school", "education"), "education"),
        (("voluntary", "community sector", "charit"), "voluntary"),
        (("national", "regional", "government", "london"), "regional-national"),
    ):
        if any(w in h for w in words):
            return cat
    return "unknown"


def _factor(alternatives: list[tuple[list[str], str]], *, fold: bool) -> str:
    """An ordered regex alternation, factored on leading literal characters.

    ``alternatives`` are (literal atoms, rest of the pattern) in the order they must be
    tried. Alternatives whose next literals differ (ASCII; case-insensitively with ``fold``,
    for an IGNORECASE pattern) can never
    both match at one position, so grouping those that share a literal keeps the result of
    the plain ``a|b|c`` (first match in order, same backtracking), while the regex engine
    tries a handful of branches per position instead of every term. An alternative whose
    next atom is not a plain ASCII literal keeps its place: groups are never merged across it.
    """
    out: list[str] = []
    groups: dict[str, list[tuple[list[str], str]]] = {}

    def flush() -> None:
        for members in groups.values():
            if len(members) == 1:
                atoms, rest = members[0]
                out.append("".join(atoms) + rest)
            else:
                inner = _factor([(atoms[1:], rest) for atoms, rest in members], fold=fold)
                out.append(f"{members[0][0][0]}(?:{inner})")
        groups.clear()

    for atoms, rest in alternatives:
        ch = atoms[0].removeprefix("\\") if atoms else ""
        if len(ch) == 1 and ch.isascii():
            groups.setdefault(ch.lower() if fold else ch, []).append((atoms, rest))
        else:
            flush()
            out.append("".join(atoms) + rest)
    flush()
    return "|".join(out)
