"""Entity resolution: surface names to canonical organisations, services and strategies.

A name as written in a Lead / Partners column ("LBS CS&PS", "SLAM", "(PCT)") is resolved
within an area (the document's, or the one the name starts with: "Kent Police", "LBS ..."),
in order, by:

1. exact match of its normalised key (case, punctuation, "&"/"and", "the", apostrophes)
   against the curated aliases in ``data/organisations.yaml`` and ``data/services.yaml``
   of bodies serving that area (``areas:``; a region serves the areas inside it, see
   ``data/areas.yaml``), then the same with a leading area name ("London Borough of X",
   an area alias such as "LBS") or "NHS" dropped; a distinctive name of two or more
   words with a proper noun ("South London and Maudsley") names its body anywhere;
2. generic names ("Public Health", "the Council", "Police"; ``generic:`` in the YAML)
   that no curated body of the area answers: one body per area, "Public Health (Kent)";
3. the abbreviations and "Key" lists the documents of that area define (`learn`);
4. fuzzy matching: an abbreviation typo (two adjacent characters swapped, or one extra
   trailing character: "C&SP", "CS&PS" for "CS&P"), or, for names of 10+ characters,
   a Levenshtein similarity (rapidfuzz ``fuzz.ratio``) of at least `FUZZY_THRESHOLD`
   with a clear margin over any other body.

What stays unresolved returns None; the builder keeps it as an unverified body when it
reads as one (`graphmodel.bodies.reads_as_body`) and reports it. "Collective" phrases
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

from .areas import NATIONAL, AreaTable
from .areas import area_key as _area_key
from .bodies import COMMON_WORDS, guess_category
from .errors import InputError
from .name_keys import (
    _abbreviation_typo,
    _factor,
    _hint_category,
    _initials,
    _is_abbreviation,
    _letters,
    clean_name,
    name_key,
    split_prefix,
    strategy_key,
    tidy_strategy,
)
from .name_keys import (
    strip_prefix as strip_prefix,  # re-exported: part of this module's interface
)
from .paths import DATA_DIR, missing_data_file
from .schema import GlossaryRecord

#: `areas.area_key` is pure and a big build asks it about the same few names millions of times.
area_key = lru_cache(maxsize=1 << 14)(_area_key)

#: Minimum fuzz.ratio (0-100) for a long-name fuzzy match. Measured on seed names
#: (``pytest tests/test_resolve.py -s`` prints the table): one- or two-letter typos of
#: curated names score 96.0-98.7; the closest different body, "Community Safety
#: Partnership" vs "Community Safety and Partnerships Team", scores 91.8, then "Economic
#: Development Team" 88.9, "Youth Offending Team Board" 87.0. 94 sits between.
FUZZY_THRESHOLD = 94.0
#: A fuzzy winner must beat the best other body by this much, or the name is ambiguous.
FUZZY_MARGIN = 3.0

#: ``area`` for a lookup not scoped to any area (every curated body may answer).
ANY = "*"
_PAREN = re.compile(r"\s*\(([^()]*)\)\s*")


#: Capitalised words right before a mention ("Kent " before "County Council"); sentence
#: openers and verbs ("The", "Deliver") are not part of a name.
_LEADING_NAME = re.compile(
    r"(?<![\w&'’-])(?!(?:The|A|An|This|Our|With|And|Of|For|To|In|By|From|Deliver|Develop|Support|Work|"
    r"Ensure|Commission|Agree|Review|Provide|Promote|Improve|Engage|Establish|Explore)\s)"
    r"((?:(?:[A-Z][\w'’&-]*|St\.)\s+)+)$"
)


#: Words that, right before a generic name, make it another body ("County Council",
#: "Youth Council", "Joint Public Health Team").
_MODIFIERS = frozenset(
    "county city borough district parish town youth schools school joint parent parents student "
    "students young national regional metropolitan".split()
)


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a surface name resolved to."""

    canonical: str
    kind: str = "organisation"  # or "service"
    category: str = "unknown"
    short: str | None = None
    provider: str | None = None
    matched_by: str = "exact"  # exact | prefix | generic | glossary | fuzzy-abbreviation | fuzzy
    verified: bool = True  # False: known only from the documents, not from data/
    area: str | None = None  # the area a generic name was resolved in


@dataclass(frozen=True, slots=True)
class Mention:
    """A service, organisation or strategy named in free text."""

    kind: str  # "service" | "organisation" | "strategy"
    canonical: str
    words: str
    resolution: Resolution | None = None  # the body, for a service or organisation


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
    areas: tuple[str, ...] = (NATIONAL,)
    generic: bool = False  # a kind of body every area has: resolved as "<name> (<area>)"


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


def _entities(rows: Iterable[Mapping[str, Any]], kind: str, *, generic: bool = False) -> list[_Entity]:
    out = []
    for row in rows:
        name = str(row["name"])
        short = str(row["short"]) if row.get("short") else None
        names = tuple(
            dict.fromkeys([name, *([short] if short else []), *(str(a) for a in row.get("aliases") or ())])
        )
        words = tuple(str(w) for w in (row.get("triggers") or row.get("mention") or ()))
        category = str(row.get("category") or row.get("domain") or "unknown")
        areas = tuple(str(a) for a in (row.get("areas") or ())) or (NATIONAL,)
        out.append(_Entity(name, kind, category, short, row.get("provider"), names, words, areas, generic))
    return out


class Resolver:
    """Resolves names of bodies and strategies; see the module docstring for the order."""

    def __init__(
        self,
        *,
        organisations: Iterable[Mapping[str, Any]] = (),
        services: Iterable[Mapping[str, Any]] = (),
        strategies: Iterable[Mapping[str, Any]] = (),
        collectives: Iterable[str] = (),
        generic: Iterable[Mapping[str, Any]] = (),
        generic_services: Iterable[Mapping[str, Any]] = (),
        areas: AreaTable | None = None,
    ) -> None:
        self.areas = areas or AreaTable()
        self._splits: dict[str, tuple[str | None, str]] = {}
        self._bodies = _entities(organisations, "organisation") + _entities(services, "service")
        self._full: dict[str, list[_Entity]] = {}
        self._stripped: dict[str, list[_Entity]] = {}
        for ent in self._bodies:
            for n in ent.names:
                self._index_body(n, ent)
        self._generic: dict[str, _Entity] = {}
        for ent in _entities(generic, "organisation", generic=True) + _entities(
            generic_services, "service", generic=True
        ):
            for n in ent.names:
                self._generic.setdefault(name_key(n), ent)
        self._collectives = {name_key(c) for c in collectives}
        self._strategies: dict[str, list[tuple[str, str | None, bool, tuple[str, ...]]]] = {}
        self._strategies_stripped: dict[str, list[tuple[str, str | None, bool, tuple[str, ...]]]] = {}
        self._strategy_terms: list[tuple[str, str]] = []
        for row in strategies:
            canon, kind = str(row["name"]), row.get("kind")
            mention = row.get("mention", True) is not False
            s_areas = tuple(str(a) for a in (row.get("areas") or ())) or (NATIONAL,)
            hit = (canon, kind, mention, s_areas)
            for n in [canon, *(str(a) for a in row.get("aliases") or ())]:
                for index, key in (
                    (self._strategies, strategy_key(n)),
                    (self._strategies_stripped, strategy_key(n, strip=True, areas=self.areas)),
                ):
                    hits = index.setdefault(key, [])
                    if all(h[0] != canon for h in hits):
                        hits.append(hit)
                if mention:
                    self._strategy_terms.append((n, canon))
        # (scope, key) -> (abbr, exp, hint); scope: an area key, "doc:<name>", or "*" (all)
        self.glossary: dict[tuple[str, str], tuple[str, str, str | None]] = {}
        self._expansions: dict[tuple[str, str], str] = {}  # (scope, key(expansion)) -> key(abbr)
        # the first definition of each key in any scope (lookups not scoped to an area)
        self._glossary_any: dict[str, tuple[str, str, str | None]] = {}
        self._expansions_any: dict[str, str] = {}
        self._mention_res: tuple[re.Pattern[str], re.Pattern[str]] | None = None
        self._mention_map: dict[tuple[bool, str], list[tuple[str, str]]] = {}
        # Memo of resolve() per (surface name, area, document): a big corpus repeats the same
        # leads tens of thousands of times; `learn` clears it, since the glossary takes part.
        self._resolved: dict[tuple[str, str | None, str | None], Resolution | None] = {}
        self._strategy_hits: dict[tuple[str, str | None], tuple[str, str | None, bool] | None] = {}
        self._fuzzy_keys: list[str] | None = None
        # memos of pure lookups over data that only `learn` / `add_area` change (both clear them)
        self._agreed: dict[tuple[tuple[str, ...], str | None], bool] = {}
        self._glossary_keys: dict[str, set[str]] | None = None  # scope -> split keys of its glossary
        self._by_name: dict[str, _Entity] = {e.canonical: e for e in self._bodies}

    def _index_body(self, name: str, ent: _Entity) -> None:
        key = name_key(name)
        for other in self._full.get(key, ()):
            if other.canonical != ent.canonical and self._overlap(other.areas, ent.areas):
                raise InputError(
                    f"curated alias {name!r} is given to both {other.canonical!r} and "
                    f"{ent.canonical!r}; keep it on one"
                )
        for index, k in ((self._full, key), (self._stripped, self._split(key)[1])):
            ents = index.setdefault(k, [])
            if ent not in ents:
                ents.append(ent)

    def _overlap(self, a: tuple[str, ...], b: tuple[str, ...]) -> bool:
        """Whether two bodies' areas share a place (then one alias cannot name both)."""
        return any(self.areas.agrees(a, x) for x in b if x != NATIONAL) or NATIONAL in a or NATIONAL in b

    @classmethod
    def from_data(cls, data_dir: Path) -> Resolver:
        """A resolver with the curated YAML of ``data_dir``."""
        orgs = _read_yaml(data_dir / "organisations.yaml")
        services = _read_yaml(data_dir / "services.yaml")
        return cls(
            organisations=orgs.get("organisations") or (),
            services=services.get("services") or (),
            strategies=_read_yaml(data_dir / "strategies.yaml").get("strategies") or (),
            collectives=orgs.get("collectives") or (),
            generic=orgs.get("generic") or (),
            generic_services=services.get("generic") or (),
            areas=AreaTable.from_mapping(_read_yaml(data_dir / "areas.yaml")),
        )

    @classmethod
    def default(cls) -> Resolver:
        """A resolver with the bundled curated YAML in ``data/``."""
        return cls.from_data(DATA_DIR)

    def known_names(self) -> list[str]:
        """Every curated name and alias of a body (for splitting cells that list several)."""
        return sorted({n for ent in (*self._bodies, *self._generic.values()) for n in ent.names})

    def _split(self, key: str) -> tuple[str | None, str]:
        """`split_prefix` of ``key`` with this resolver's areas (memo: keys repeat)."""
        hit = self._splits.get(key)
        if hit is None:
            hit = self._splits[key] = split_prefix(key, self.areas)
        return hit

    def add_area(self, area: str) -> None:
        """Know a document's own area (a place the area table may not list)."""
        if not self.areas.is_area(area):
            self.areas.add(area)
            self._resolved.clear()
            self._splits.clear()
            self._strategy_hits.clear()
            self._agreed.clear()
            self._glossary_keys = None

    # ------------------------------------------------------------------ areas
    def _agrees(self, ent: _Entity, area: str | None) -> bool:
        if area == ANY:
            return True
        memo = (ent.areas, area)
        hit = self._agreed.get(memo)
        if hit is None:
            hit = self._agreed[memo] = self.areas.agrees(ent.areas, area)
        return hit

    @staticmethod
    def _scope(area: str | None, document: str | None) -> str:
        if area == ANY:
            return ANY
        return area_key(area) if area else f"doc:{document or ''}"

    def _distinctive(self, key: str) -> bool:
        """A name of two or more words with one that is no common word ("south london and
        maudsley"): it names its body wherever it is written."""
        words = key.split()
        return len(words) >= 2 and any(w not in COMMON_WORDS and len(w) > 2 for w in words)

    # ------------------------------------------------------------------ glossary
    def learn(self, glossary: Iterable[GlossaryRecord], *, scope_of: Any = None) -> None:
        """Add abbreviations defined by the documents (first definition wins).

        ``scope_of(document)`` gives the area (or None) whose names a document's
        definitions serve; without it they serve every document (one borough's corpus).
        """
        for g in glossary:
            abbr, exp = clean_name(g.abbreviation), clean_name(g.expansion)
            if not abbr or not exp:
                continue
            scope = ANY if scope_of is None else self._scope(scope_of(g.source.document), g.source.document)
            self.glossary.setdefault((scope, name_key(abbr)), (abbr, exp, g.category))
            self._expansions.setdefault((scope, name_key(exp)), name_key(abbr))
            self._glossary_any.setdefault(name_key(abbr), (abbr, exp, g.category))
            self._expansions_any.setdefault(name_key(exp), name_key(abbr))
        self._mention_res = None
        self._resolved.clear()
        self._glossary_keys = None

    def _glossary_entry(self, key: str, scope: str) -> tuple[str, str, str | None] | None:
        if scope == ANY:
            return self.glossary.get((ANY, key)) or self._glossary_any.get(key)
        return self.glossary.get((scope, key)) or self.glossary.get((ANY, key))

    def _expansion_of(self, key: str, scope: str) -> str | None:
        if scope == ANY:
            return self._expansions.get((ANY, key)) or self._expansions_any.get(key)
        return self._expansions.get((scope, key)) or self._expansions.get((ANY, key))

    # ------------------------------------------------------------------ bodies
    def is_collective(self, raw: str) -> bool:
        """True for phrases that name no single body ("All partners", "service users")."""
        return name_key(clean_name(raw)) in self._collectives

    def resolve(self, raw: str, *, area: str | None = ANY, document: str | None = None) -> Resolution | None:
        """The organisation or service ``raw`` names, or None if it stays unresolved.

        ``area`` is the area of the document the name is written in (None: not known;
        the default `ANY` looks in every area). ``document`` labels generic names of a
        document whose area is not known.

        >>> r = Resolver.default()
        >>> r.resolve("LBS C&SP").canonical
        'LBS Community Safety & Partnerships Team'
        >>> r.resolve("Public Health", area="West Sussex").canonical
        'Public Health (West Sussex)'
        >>> r.resolve("All partners") is None
        True
        """
        memo = (raw, area, None if area else document)
        if memo in self._resolved:
            return self._resolved[memo]
        res = self._resolved[memo] = self._resolve(raw, area, document)
        return res

    def _resolve(self, raw: str, area: str | None, document: str | None) -> Resolution | None:
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
            res = (
                self._exact(cand, area)
                or self._generic_name(cand, area, document)
                or self._from_glossary(cand, area, document)
            )
            if res is not None:
                return res
        return self._fuzzy(name, area, document)

    def _glossary_split_keys(self, scope: str) -> set[str]:
        """`_split` keys of the abbreviations defined for ``scope`` (and for every scope);
        indexed once per glossary state, not rebuilt from the whole glossary per name."""
        if self._glossary_keys is None:
            by_scope: dict[str, set[str]] = {}
            for s, k in self.glossary:
                by_scope.setdefault(s, set()).add(self._split(k)[1])
            self._glossary_keys = by_scope
        if scope == ANY:
            return set().union(*self._glossary_keys.values())
        return self._glossary_keys.get(scope, set()) | self._glossary_keys.get(ANY, set())

    def _resolution(self, ent: _Entity, how: str) -> Resolution:
        return Resolution(ent.canonical, ent.kind, ent.category, ent.short, ent.provider, how)

    def _pick(self, ents: Iterable[_Entity], area: str | None) -> _Entity | None:
        """The one body of ``ents`` serving ``area`` (None if none, or several)."""
        fits = list({e.canonical: e for e in ents if self._agrees(e, area)}.values())
        if len(fits) > 1 and area != ANY:
            # the most local wins: a Southwark team over a London-wide body of the same name
            local = [e for e in fits if area_key(area or "") in {area_key(a) for a in e.areas}]
            fits = local or fits
        return fits[0] if len(fits) == 1 or (fits and area == ANY) else None

    def _exact(self, name: str, area: str | None) -> Resolution | None:
        key = name_key(name)
        named, rest = self._split(key)
        scope = named or area
        ents = self._full.get(key, [])
        ent = self._pick(ents, scope)
        if ent is None and ents and self._distinctive(key) and len({e.canonical for e in ents}) == 1:
            ent = ents[0]  # "South London and Maudsley": names its body wherever it is written
        if ent is not None:
            return self._resolution(ent, "exact")
        ent = self._pick(self._stripped.get(rest, ()), scope)
        return self._resolution(ent, "prefix") if ent is not None else None

    def _generic_name(self, name: str, area: str | None, document: str | None) -> Resolution | None:
        """A generic name ("Public Health", "Kent Police") as the body of its area."""
        key = name_key(name)
        named, rest = self._split(key)
        ent = self._generic.get(key) or self._generic.get(rest)
        if ent is None:
            return None
        scope = named or area
        for n in ent.names:  # the area's own curated body under the generic name ("Housing")
            own = self._pick(self._full.get(name_key(n), ()), scope)
            if own is not None:
                return self._resolution(own, "generic")
        if scope == ANY:
            return Resolution(ent.canonical, ent.kind, ent.category, ent.short, None, "generic")
        where = self.areas.name(scope) if scope else (document or "area not known")
        return Resolution(
            f"{ent.canonical} ({where})", ent.kind, ent.category, None, None, "generic", True, scope
        )

    def _from_glossary(self, name: str, area: str | None, document: str | None) -> Resolution | None:
        key = name_key(name)
        scope = self._scope(area, document)
        entry = self._glossary_entry(key, scope)
        if entry is None:
            akey = self._expansion_of(key, scope)
            if akey is None:
                akey = self._split(key)[1]
                if self._glossary_entry(akey, scope) is None:
                    return None
            entry = self._glossary_entry(akey, scope)
        if entry is None:
            return None
        abbr, exp, hint = entry
        res = (
            self._exact(exp, area)
            or self._generic_name(exp, area, document)
            or self._fuzzy(exp, area, document, glossary=False)
        )
        if res is not None:
            return replace(res, matched_by="glossary")
        category = _hint_category(hint)
        if category == "unknown":
            category = guess_category(exp)
        return Resolution(exp, "organisation", category, abbr, None, "glossary", False)

    def _fuzzy(
        self, name: str, area: str | None, document: str | None, *, glossary: bool = True
    ) -> Resolution | None:
        named, key = self._split(name_key(name))
        scope = named or area
        # 1. abbreviation typos ("LBS C&SP", "LBS CS&PS"): only when written in capitals
        last = clean_name(name).split()[-1] if name.split() else ""
        if " " not in key and _is_abbreviation(last):
            hits: dict[str, Resolution] = {}
            for k, ents in self._stripped.items():
                if " " not in k and _abbreviation_typo(key, k):
                    ent = self._pick(ents, scope)
                    if ent is not None:
                        hits[ent.canonical] = self._resolution(ent, "fuzzy-abbreviation")
            if glossary:  # abbreviations only the documents define
                gscope = self._scope(scope, document)
                for gk in self._glossary_split_keys(gscope):
                    if " " not in gk and _abbreviation_typo(key, gk):
                        res = self._from_glossary(gk, scope, document)
                        if res is not None:
                            hits.setdefault(res.canonical, replace(res, matched_by="fuzzy-abbreviation"))
            return next(iter(hits.values())) if len(hits) == 1 else None
        # 2. long names: Levenshtein similarity with a margin over the runner-up; full keys
        # too, so a typo in the prefix itself ("Sothwark CCG") is caught
        full = name_key(name)
        if len(key) < 10 and len(full) < 10:
            return None
        if self._fuzzy_keys is None:  # curated names only: fixed once the resolver is made
            long_keys = {k for k in self._stripped if len(k) >= 6} | {k for k in self._full if len(k) >= 10}
            self._fuzzy_keys = sorted(long_keys)
        keys = self._fuzzy_keys
        scored: list[tuple[float, _Entity]] = []
        for k, s, _ in process.extract(key, keys, scorer=fuzz.ratio, limit=8) + process.extract(
            full, keys, scorer=fuzz.ratio, limit=8
        ):
            ent = self._pick([*self._full.get(k, ()), *self._stripped.get(k, ())], scope)
            if ent is not None:
                scored.append((s, ent))
        scored.sort(key=lambda t: -t[0])
        if not scored or scored[0][0] < FUZZY_THRESHOLD:
            return None
        best = scored[0][1]
        rival = max((s for s, e in scored if e.canonical != best.canonical), default=0.0)
        if scored[0][0] - rival < FUZZY_MARGIN:
            return None
        return self._resolution(best, "fuzzy")

    # ------------------------------------------------------------------ mentions
    def _mention_terms(self) -> list[tuple[str, str, str]]:
        """(surface term, kind, canonical) for everything worth finding in free text."""
        terms: list[tuple[str, str, str]] = []
        for ent in (*self._bodies, *self._generic.values()):
            for n in (*ent.names, *ent.mention_words):
                if ent.generic:
                    # a kind of body, named in text only as a name is written: "Public Health",
                    # "Trading Standards", not "public health" or "social care"
                    if n[:1].isupper() and (len(n.split()) > 1 or _is_abbreviation(n)):
                        terms.append((f"\x00{n}", ent.kind, ent.canonical))
                    elif re.fullmatch(r"the [A-Z][a-z]+", n):  # "the Council", "the Police"
                        terms += [
                            (f"\x00{n[4:]}", ent.kind, ent.canonical),
                            (f"\x00{n.lower()}", ent.kind, ent.canonical),
                        ]
                    continue
                # single ordinary words ("Council", "Health", "Kings", "the Met") are too loose
                # for text: only names of two or more words, abbreviations, or mention words
                if len(name_key(n).split()) > 1 or _is_abbreviation(clean_name(n)) or n in ent.mention_words:
                    terms.append((n, ent.kind, ent.canonical))
                elif re.fullmatch(r"the [A-Z][a-z]+", n):
                    # "the Council": "Council" capitalised, or "the council"; never a bare
                    # "council" ("other council departments") or "met"
                    terms += [(n[4:], ent.kind, ent.canonical), (n.lower(), ent.kind, ent.canonical)]
        for (_scope, akey), (abbr, _exp, _hint) in self.glossary.items():
            if _is_abbreviation(abbr) and akey not in self._full:
                res = self._from_glossary(abbr, ANY, None)
                # only abbreviations of known bodies: a glossary also lists "SWOT", "JSNA"
                if res is not None and res.matched_by == "glossary" and name_key(res.canonical) in self._full:
                    terms.append((abbr, res.kind, res.canonical))
        terms += [(n, "strategy", canon) for n, canon in self._strategy_terms]
        return terms

    def _compile_mentions(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        exact: dict[str, list[tuple[str, str]]] = {}
        loose: dict[str, list[tuple[str, str]]] = {}
        for term, kind, canon in self._mention_terms():
            as_written = term.startswith("\x00")
            t = clean_name(term.removeprefix("\x00"))
            if len(t) < 2:
                continue
            if (
                as_written or _is_abbreviation(t) or re.fullmatch(r"[A-Z][a-z]+|the [a-z]+", t)
            ):  # case matters: "PS", "Council"
                for variant in {t, t.upper()} if _is_abbreviation(t) and not as_written else {t}:
                    hits = exact.setdefault(variant, [])
                    if (kind, canon) not in hits:
                        hits.append((kind, canon))
            else:
                hits = loose.setdefault(name_key(t), [])
                if (kind, canon) not in hits:
                    hits.append((kind, canon))
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

    def mentions(self, text: str, *, area: str | None = ANY, document: str | None = None) -> list[Mention]:
        """Services, organisations and strategies named in ``text``, in text order, as
        they resolve in ``area`` (a generic name is its area's body; a body of another
        area is not named)."""
        if not text:
            return []
        if self._mention_res is None:
            self._mention_res = self._compile_mentions()
        exact_re, loose_re = self._mention_res
        found: list[tuple[int, int, str, list[tuple[str, str]]]] = []
        for is_exact, rx in ((True, exact_re), (False, loose_re)):
            for m in rx.finditer(text):
                words = m.group(0)
                targets = self._mention_map.get((is_exact, words if is_exact else name_key(words)))
                if targets:
                    found.append((m.start(), -len(words), words, targets))
        out: list[Mention] = []
        seen: set[tuple[str, str]] = set()
        for start, _, words, targets in sorted(found):
            lead = _LEADING_NAME.search(text, max(0, start - 80), start) if start else None
            mention: Mention | None = None
            if lead and lead.end() == start and any(k == "strategy" for k, _ in targets):
                # "Northshire Council Plan": a place written before a strategy's name is
                # part of the name (another area's plan is not this area's curated one)
                before = lead.group(1).split()
                if self.areas.is_area(before[-1]):
                    words = f"{before[-1]} {words}"
            elif lead and lead.end() == start:
                # "Public Health" inside "Barnet Public Health", "County Council" inside
                # "Kent County Council": the whole name is what is named
                before = lead.group(1).split()
                for n in range(min(len(before), 4), 0, -1):
                    whole = " ".join([*before[-n:], words])
                    res = self.resolve(whole, area=area, document=document)
                    if res is not None and res.verified:
                        mention = Mention(res.kind, res.canonical, whole, res)
                        break
                if mention is None and (
                    self.areas.is_area(before[-1]) or before[-1].casefold() in _MODIFIERS
                ):
                    continue  # another body's name ("Joint Public Health Team", "Kent Police")
            if mention is None:
                mention = self._mention(words, targets, area, document)
            if mention is not None and (mention.kind, mention.canonical) not in seen:
                # first naming in the text, longest form at a position
                seen.add((mention.kind, mention.canonical))
                out.append(mention)
        return out

    def _mention(
        self, words: str, targets: list[tuple[str, str]], area: str | None, document: str | None
    ) -> Mention | None:
        kinds = {k for k, _ in targets}
        if "strategy" in kinds:
            # the words as written, in the document's area: a curated strategy of another
            # area ("Council Plan" of one borough) is not what another council's paper names
            hit = self._strategy(words, area)
            return Mention("strategy", hit[0] if hit else tidy_strategy(words), words)
        res = self._exact(words, area)
        if res is None and area == ANY:
            res = self._from_glossary(words, area, document)
        if res is None:
            scope = self._scope(area, document)
            if any(self._glossary_entry(name_key(words), s) for s in {scope, ANY}):
                res = self._from_glossary(words, area, document)
        if res is None:  # a trigger word ("talking therapies") of a body serving the area
            by_name = self._by_name
            ent = self._pick((by_name[c] for _k, c in targets if c in by_name), area)
            res = self._resolution(ent, "exact") if ent is not None else None
        if res is None:  # a kind of body every area has ("Public Health"): the area's own
            res = self._generic_name(words, area, document)
        if res is None or not res.verified:
            return None
        return Mention(res.kind, res.canonical, words, res)

    # ------------------------------------------------------------------ strategies
    def strategy_name(self, name: str, area: str | None = ANY) -> str:
        """Canonical name of a strategy title (curated aliases of strategies of ``area``,
        else a tidied form: "Barnet's X" written "Barnet X").

        >>> r = Resolver.default()
        >>> r.strategy_name("The Five Year Forward View (2014)")
        'NHS Five Year Forward View'
        >>> r.strategy_name("Suicide Prevention Action Plan 2021-24", "West Sussex")
        'Suicide Prevention Action Plan'
        """
        hit = self._strategy(name, area)
        if hit:
            return hit[0]
        m = re.match(r"^\s*(?:the\s+)?([A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){0,3})['’]s\s", name, re.I)
        if m and self.areas.is_area(m.group(1)):
            name = name[: m.start(1)] + m.group(1) + " " + name[m.end() :]
        return tidy_strategy(name)

    def expansion(self, name: str, area: str | None = ANY, document: str | None = None) -> str | None:
        """What the documents of ``area`` define the abbreviation ``name`` as, if they do."""
        if not _is_abbreviation(name.replace(" ", "")) or self._strategy(name, area):
            return None
        entry = self._glossary_entry(name_key(name), self._scope(area, document))
        return entry[1] if entry else None

    def is_curated_strategy(self, name: str, area: str | None = ANY) -> bool:
        """Whether ``name`` is a curated strategy (``data/strategies.yaml``) of ``area``."""
        return self._strategy(name, area) is not None

    def strategy_kind(self, name: str, area: str | None = ANY) -> str | None:
        """Curated kind (strategy, plan, programme, review) of a strategy title, if known."""
        hit = self._strategy(name, area)
        return hit[1] if hit else None

    def _strategy(self, name: str, area: str | None = ANY) -> tuple[str, str | None, bool] | None:
        memo = (name, area)
        if memo not in self._strategy_hits:  # curated strategies do not change: memo per title
            key = strategy_key(name)
            named = self._split(key)[0]
            scope = named or area
            found = None
            for index, k in (
                (self._strategies, key),
                (self._strategies_stripped, strategy_key(name, strip=True, areas=self.areas)),
            ):
                fits = [h for h in index.get(k, ()) if scope == ANY or self.areas.agrees(h[3], scope)]
                if fits:
                    found = fits[0][:3]
                    break
            self._strategy_hits[memo] = found
        return self._strategy_hits[memo]
