"""Entity resolution: surface names to canonical organisations, services and strategies.

A name as written in a Lead / Partners column ("LBS CS&PS", "SLAM", "(PCT)") is resolved,
in order, by:

1. exact match of its normalised key (case, punctuation, "&"/"and", "the", apostrophes)
   against the curated aliases in ``data/organisations.yaml`` and ``data/services.yaml``,
   then the same with a leading "LBS" / "London Borough of Southwark" / "Southwark" /
   "NHS" dropped (only where that leaves one candidate);
2. the abbreviations and "Key" lists the documents define themselves (`learn`);
3. fuzzy matching: an abbreviation typo (two adjacent characters swapped, or one extra
   trailing character: "C&SP", "CS&PS" for "CS&P"), or, for names of 10+ characters,
   a Levenshtein similarity (rapidfuzz ``fuzz.ratio``) of at least `FUZZY_THRESHOLD`
   with a clear margin over any other body.

What stays unresolved returns None, and the builder reports it. "Collective" phrases
("All partners") are never resolved: see the header of ``data/organisations.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from .errors import InputError
from .paths import DATA_DIR, missing_data_file
from .schema import GlossaryRecord

#: Minimum fuzz.ratio (0-100) for a long-name fuzzy match. Measured on seed names
#: (``pytest tests/test_resolve.py -s`` prints the table): one- or two-letter typos of
#: curated names score 96.0-98.7; the closest different body, "Community Safety
#: Partnership" vs "Community Safety and Partnerships Team", scores 91.8, then "Economic
#: Development Team" 88.9, "Youth Offending Team Board" 87.0. 94 sits between.
FUZZY_THRESHOLD = 94.0
#: A fuzzy winner must beat the best other body by this much, or the name is ambiguous.
FUZZY_MARGIN = 3.0

_PREFIXES = ("london borough of southwark ", "lb southwark ", "lbs ", "southwark ", "nhs ")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_PUNCT = re.compile(r"[^\w&\s]")
_YEARS = re.compile(r"\(?\b(?:19|20)\d{2}(?:\s*[-/]\s*(?:(?:19|20)?\d{2}))?\b\)?")
_PAREN = re.compile(r"\s*\(([^()]*)\)\s*")


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a surface name resolved to."""

    canonical: str
    kind: str = "organisation"  # or "service"
    category: str = "unknown"
    short: str | None = None
    provider: str | None = None
    matched_by: str = "exact"  # exact | prefix | glossary | fuzzy-abbreviation | fuzzy


@dataclass(frozen=True, slots=True)
class Mention:
    """A service, organisation or strategy named in free text."""

    kind: str  # "service" | "organisation" | "strategy"
    canonical: str
    words: str


# --------------------------------------------------------------------------- keys
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


def strip_prefix(key: str) -> str:
    """``key`` without leading borough / NHS qualifiers ("lbs cs&p" -> "cs&p")."""
    changed = True
    while changed:
        changed = False
        for p in _PREFIXES:
            if key.startswith(p) and len(key) > len(p):
                key, changed = key[len(p) :], True
    return key


def strategy_key(name: str, *, strip: bool = False) -> str:
    """Matching key of a strategy title: years, "Draft", "the" and apostrophes ignored.

    With ``strip`` a leading "Southwark" / "LBS" is dropped too (tried second, so
    "Southwark's Five Year Forward View" stays apart from the NHS one).
    """
    s = _YEARS.sub(" ", name.translate(_QUOTES))
    words = name_key(s).replace("southwarks", "southwark").split()
    drop = ("draft", "southwark", "lbs") if strip else ("draft",)
    while words and words[0] in drop:
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=1 << 14)
def tidy_strategy(name: str) -> str:
    """Display form of an uncurated strategy title (years, "The", "Draft" dropped)."""
    s = clean_name(name)
    s = re.sub(r"\bSouthwark['’]s\b", "Southwark", s)
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


# --------------------------------------------------------------------------- curated data
@dataclass(frozen=True, slots=True)
class _Entity:
    canonical: str
    kind: str
    category: str
    short: str | None
    provider: str | None
    names: tuple[str, ...]  # canonical, short and aliases
    mention_words: tuple[str, ...]


@lru_cache(maxsize=4)
def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise InputError(missing_data_file(path)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path.name} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path.name} should hold a mapping at the top level")
    return data


def _entities(rows: Iterable[Mapping[str, Any]], kind: str) -> list[_Entity]:
    out = []
    for row in rows:
        name = str(row["name"])
        short = str(row["short"]) if row.get("short") else None
        names = tuple(
            dict.fromkeys([name, *([short] if short else []), *(str(a) for a in row.get("aliases") or ())])
        )
        words = tuple(str(w) for w in (row.get("triggers") or row.get("mention") or ()))
        category = str(row.get("category") or row.get("domain") or "unknown")
        out.append(_Entity(name, kind, category, short, row.get("provider"), names, words))
    return out


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


class Resolver:
    """Resolves names of bodies and strategies; see the module docstring for the order."""

    def __init__(
        self,
        *,
        organisations: Iterable[Mapping[str, Any]] = (),
        services: Iterable[Mapping[str, Any]] = (),
        strategies: Iterable[Mapping[str, Any]] = (),
        collectives: Iterable[str] = (),
    ) -> None:
        self._bodies = _entities(organisations, "organisation") + _entities(services, "service")
        self._full: dict[str, _Entity] = {}
        self._stripped: dict[str, _Entity | None] = {}  # None: more than one body
        for ent in self._bodies:
            for n in ent.names:
                self._index_body(n, ent)
        self._collectives = {name_key(c) for c in collectives}
        self._strategies: dict[str, tuple[str, str | None, bool]] = {}
        self._strategies_stripped: dict[str, tuple[str, str | None, bool] | None] = {}
        self._strategy_terms: list[tuple[str, str]] = []
        for row in strategies:
            canon, kind = str(row["name"]), row.get("kind")
            mention = row.get("mention", True) is not False
            for n in [canon, *(str(a) for a in row.get("aliases") or ())]:
                self._strategies.setdefault(strategy_key(n), (canon, kind, mention))
                sk = strategy_key(n, strip=True)
                prev = self._strategies_stripped.get(sk, (canon, kind, mention))
                self._strategies_stripped[sk] = (canon, kind, mention) if prev and prev[0] == canon else None
                if mention:
                    self._strategy_terms.append((n, canon))
        self.glossary: dict[str, tuple[str, str, str | None]] = {}  # key -> (abbr, exp, hint)
        self._expansions: dict[str, str] = {}  # key(expansion) -> key(abbreviation)
        self._mention_res: tuple[re.Pattern[str], re.Pattern[str]] | None = None
        self._mention_map: dict[tuple[bool, str], tuple[str, str]] = {}
        # Memo of resolve() per surface name (a big corpus repeats the same leads tens of
        # thousands of times); `learn` clears it, since the glossary takes part.
        self._resolved: dict[str, Resolution | None] = {}
        self._strategy_hits: dict[str, tuple[str, str | None, bool] | None] = {}
        self._fuzzy_choices: dict[str, _Entity] | None = None

    def _index_body(self, name: str, ent: _Entity) -> None:
        key = name_key(name)
        other = self._full.get(key)
        if other is not None and other.canonical != ent.canonical:
            raise InputError(
                f"curated alias {name!r} is given to both {other.canonical!r} and "
                f"{ent.canonical!r}; keep it on one"
            )
        self._full[key] = ent
        sk = strip_prefix(key)
        prev = self._stripped.get(sk, ent)
        self._stripped[sk] = ent if prev is not None and prev.canonical == ent.canonical else None

    @classmethod
    def from_data(cls, data_dir: Path) -> Resolver:
        """A resolver with the curated YAML of ``data_dir``."""
        orgs = _read_yaml(data_dir / "organisations.yaml")
        return cls(
            organisations=orgs.get("organisations") or (),
            services=_read_yaml(data_dir / "services.yaml").get("services") or (),
            strategies=_read_yaml(data_dir / "strategies.yaml").get("strategies") or (),
            collectives=orgs.get("collectives") or (),
        )

    @classmethod
    def default(cls) -> Resolver:
        """A resolver with the bundled curated YAML in ``data/``."""
        return cls.from_data(DATA_DIR)

    def known_names(self) -> list[str]:
        """Every curated name and alias of a body (for splitting cells that list several)."""
        return sorted({n for ent in self._bodies for n in ent.names})

    # ------------------------------------------------------------------ glossary
    def learn(self, glossary: Iterable[GlossaryRecord]) -> None:
        """Add abbreviations defined by the documents (first definition wins)."""
        for g in glossary:
            abbr, exp = clean_name(g.abbreviation), clean_name(g.expansion)
            if not abbr or not exp:
                continue
            self.glossary.setdefault(name_key(abbr), (abbr, exp, g.category))
            self._expansions.setdefault(name_key(exp), name_key(abbr))
        self._mention_res = None
        self._resolved.clear()

    # ------------------------------------------------------------------ bodies
    def is_collective(self, raw: str) -> bool:
        """True for phrases that name no single body ("All partners", "service users")."""
        return name_key(clean_name(raw)) in self._collectives

    def resolve(self, raw: str) -> Resolution | None:
        """The organisation or service ``raw`` names, or None if it stays unresolved.

        >>> r = Resolver.default()
        >>> r.resolve("LBS C&SP").canonical
        'LBS Community Safety & Partnerships Team'
        >>> r.resolve("All partners") is None
        True
        """
        if raw in self._resolved:
            return self._resolved[raw]
        res = self._resolved[raw] = self._resolve(raw)
        return res

    def _resolve(self, raw: str) -> Resolution | None:
        name = clean_name(raw)
        if not name or self.is_collective(name):
            return None
        candidates = [name]
        if "(" in name:  # "Children and Families (C&F)", "LBS Education (via Sub Group)"
            outside = clean_name(_PAREN.sub(" ", name))
            inside = [clean_name(m) for m in re.findall(r"\(([^()]*)\)", name)]
            # the abbreviation stands for the name only if it spells its initials:
            # "CCG and Children and Families (C&F)" names two bodies, not C&F
            candidates += [
                outside,
                *(i for i in inside if _is_abbreviation(i) and _initials(outside) == _letters(i)),
            ]
        for cand in candidates:
            res = self._exact(cand) or self._from_glossary(cand)
            if res is not None:
                return res
        return self._fuzzy(name)

    def _resolution(self, ent: _Entity, how: str) -> Resolution:
        return Resolution(ent.canonical, ent.kind, ent.category, ent.short, ent.provider, how)

    def _exact(self, name: str) -> Resolution | None:
        key = name_key(name)
        if key in self._full:
            return self._resolution(self._full[key], "exact")
        ent = self._stripped.get(strip_prefix(key))
        return self._resolution(ent, "prefix") if ent is not None else None

    def _from_glossary(self, name: str) -> Resolution | None:
        key = name_key(name)
        akey = key if key in self.glossary else self._expansions.get(key)
        if akey is None and strip_prefix(key) in self.glossary:
            akey = strip_prefix(key)
        if akey is None:
            return None
        abbr, exp, hint = self.glossary[akey]
        res = self._exact(exp) or self._fuzzy(exp, glossary=False)
        if res is not None:
            return replace(res, matched_by="glossary")
        return Resolution(exp, "organisation", _hint_category(hint), abbr, None, "glossary")

    def _fuzzy(self, name: str, *, glossary: bool = True) -> Resolution | None:
        key = strip_prefix(name_key(name))
        # 1. abbreviation typos ("LBS C&SP", "LBS CS&PS"): only when written in capitals
        last = clean_name(name).split()[-1] if name.split() else ""
        if " " not in key and _is_abbreviation(last):
            hits = {
                ent.canonical: self._resolution(ent, "fuzzy-abbreviation")
                for k, ent in self._stripped.items()
                if ent is not None and " " not in k and _abbreviation_typo(key, k)
            }
            if glossary:  # abbreviations only the documents define
                for gk in {strip_prefix(k) for k in self.glossary}:
                    if " " not in gk and _abbreviation_typo(key, gk):
                        res = self._from_glossary(gk)
                        if res is not None:
                            hits.setdefault(res.canonical, replace(res, matched_by="fuzzy-abbreviation"))
            return next(iter(hits.values())) if len(hits) == 1 else None
        # 2. long names: Levenshtein similarity with a margin over the runner-up; full keys
        # too, so a typo in the prefix itself ("Sothwark CCG") is caught
        full = name_key(name)
        if len(key) < 10 and len(full) < 10:
            return None
        if self._fuzzy_choices is None:  # curated names only: fixed once the resolver is made
            choices = {k: e for k, e in self._stripped.items() if e is not None and len(k) >= 6}
            choices |= {k: e for k, e in self._full.items() if len(k) >= 10}
            self._fuzzy_choices = choices
        choices = self._fuzzy_choices
        keys = list(choices)
        scored = sorted(
            process.extract(key, keys, scorer=fuzz.ratio, limit=8)
            + process.extract(full, keys, scorer=fuzz.ratio, limit=8),
            key=lambda t: -t[1],
        )
        if not scored or scored[0][1] < FUZZY_THRESHOLD:
            return None
        best = choices[scored[0][0]]
        rival = max((s for k, s, _ in scored if choices[k].canonical != best.canonical), default=0.0)
        if scored[0][1] - rival < FUZZY_MARGIN:
            return None
        return self._resolution(best, "fuzzy")

    # ------------------------------------------------------------------ mentions
    def _mention_terms(self) -> list[tuple[str, str, str]]:
        """(surface term, kind, canonical) for everything worth finding in free text."""
        terms: list[tuple[str, str, str]] = []
        for ent in self._bodies:
            for n in (*ent.names, *ent.mention_words):
                # single ordinary words ("Council", "Health", "Kings") are too loose for text
                if " " in n or _is_abbreviation(n) or n in ent.mention_words:
                    terms.append((n, ent.kind, ent.canonical))
        for akey, (abbr, _exp, _hint) in self.glossary.items():
            if _is_abbreviation(abbr) and akey not in self._full:
                res = self._from_glossary(abbr)
                # only abbreviations of known bodies: a glossary also lists "SWOT", "JSNA"
                if res is not None and res.matched_by == "glossary" and name_key(res.canonical) in self._full:
                    terms.append((abbr, res.kind, res.canonical))
        terms += [(n, "strategy", canon) for n, canon in self._strategy_terms]
        return terms

    def _compile_mentions(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        exact: dict[str, tuple[str, str]] = {}
        loose: dict[str, tuple[str, str]] = {}
        for term, kind, canon in self._mention_terms():
            t = clean_name(term)
            if len(t) < 2:
                continue
            if _is_abbreviation(t):  # case matters: "PS", "MASH", "SERVE"
                for variant in {t, t.upper()}:
                    exact.setdefault(variant, (kind, canon))
            else:
                loose.setdefault(name_key(t), (kind, canon))
        self._mention_map = {(True, k): v for k, v in exact.items()}
        self._mention_map |= {(False, k): v for k, v in loose.items()}

        def token(t: str) -> str:
            if t == "and":
                return r"(?:and|&)"
            # keys drop apostrophes: "kings" must match "King's" / "King’s" as well
            return re.escape(t[:-1]) + r"['’]?s" if t.endswith("s") and len(t) > 2 else re.escape(t)

        def alternation(words: Iterable[str], loose_words: bool) -> str:
            ordered = sorted(words, key=len, reverse=True)
            sep = r"[\s\-,/]+(?:the\s+)?"
            parts = (
                [sep.join(token(t) for t in w.split()) for w in ordered]
                if loose_words
                else [re.escape(w) for w in ordered]
            )
            # Each part as its leading literal characters (one atom each) and the rest, so
            # the alternation can be factored into a prefix tree (see `_factor`).
            split = []
            for w, part in zip(ordered, parts, strict=True):
                head = w.split()[0] if loose_words else w
                if loose_words and (head == "and" or (head.endswith("s") and len(head) > 2)):
                    head = head[:-1] if head != "and" else ""  # token() is not literal there
                atoms = [re.escape(c) for c in head]
                rest = part[len("".join(atoms)) :]
                split.append((atoms, rest))
            body = _factor(split, fold=loose_words) or r"(?!x)x"
            return rf"(?<![\w&])(?:{body})(?![\w&])"

        return (re.compile(alternation(exact, False)), re.compile(alternation(loose, True), re.IGNORECASE))

    def mentions(self, text: str) -> list[Mention]:
        """Services, organisations and strategies named in ``text``, in text order."""
        if not text:
            return []
        if self._mention_res is None:
            self._mention_res = self._compile_mentions()
        exact_re, loose_re = self._mention_res
        found: list[tuple[int, int, str, tuple[str, str]]] = []
        for is_exact, rx in ((True, exact_re), (False, loose_re)):
            for m in rx.finditer(text):
                words = m.group(0)
                target = self._mention_map.get((is_exact, words if is_exact else name_key(words)))
                if target is not None:
                    found.append((m.start(), -len(words), words, target))
        out: list[Mention] = []
        seen: set[tuple[str, str]] = set()
        for _, _, words, target in sorted(found):
            if target not in seen:  # first naming in the text, longest form at a position
                seen.add(target)
                out.append(Mention(target[0], target[1], words))
        return out

    # ------------------------------------------------------------------ strategies
    def strategy_name(self, name: str) -> str:
        """Canonical name of a strategy title (curated aliases, else a tidied form).

        >>> Resolver.default().strategy_name("Draft Joint Mental Health and Wellbeing Strategy 2017-2020")
        'Southwark Joint Mental Health and Wellbeing Strategy'
        """
        hit = self._strategy(name)
        return hit[0] if hit else tidy_strategy(name)

    def strategy_kind(self, name: str) -> str | None:
        """Curated kind (strategy, plan, programme, review) of a strategy title, if known."""
        hit = self._strategy(name)
        return hit[1] if hit else None

    def _strategy(self, name: str) -> tuple[str, str | None, bool] | None:
        if name not in self._strategy_hits:  # curated strategies do not change: memo per title
            self._strategy_hits[name] = self._strategies.get(
                strategy_key(name)
            ) or self._strategies_stripped.get(strategy_key(name, strip=True))
        return self._strategy_hits[name]
