"""The curated domain lexicon (``data/lexicon.yaml``): domains, their words and their bodies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graphmodel.errors import InputError
from graphmodel.paths import DATA_DIR
from graphmodel.schema import Node

from ._base import aliases, normalise

LEXICON_FILE = "lexicon.yaml"


def _term_pattern(term: str) -> str:
    """Whole-word pattern; words in capitals (CAMHS, A&E) must appear in capitals."""
    body = re.escape(term.strip()).replace(r"\ ", r"[\s\-]+")
    if term.upper() == term and any(c.isalpha() for c in term):
        return rf"(?-i:(?<![\w&]){body}(?![\w&]))"
    return rf"(?<![\w&]){body}(?![\w&])"


@dataclass(slots=True)
class Domain:
    """One service domain: its words, the bodies that belong to it, and who owns it."""

    name: str
    label: str
    strategy_words: tuple[str, ...]
    categories: frozenset[str]
    bodies: frozenset[str]  # normalised names
    terms: tuple[str, ...]
    by_profile: bool = True  # may a strategy own it by how much its actions use it?
    _rx: list[tuple[str, re.Pattern[str]]] = field(repr=False, default_factory=list)
    _owner_rx: re.Pattern[str] = field(repr=False, default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        # longest first, so "mental health services" wins over "mental health"; each term is
        # only tried when its first word occurs at all (a cheap substring test), which keeps
        # a few hundred actions x a hundred terms fast
        terms = sorted(set(self.terms), key=lambda t: (-len(t), t))
        self._rx = [(t.split()[0].casefold(), re.compile(_term_pattern(t), re.IGNORECASE))
                    for t in terms if t.strip()]
        words = sorted(set(self.strategy_words), key=lambda t: (-len(t), t))
        self._owner_rx = re.compile("|".join(_term_pattern(w) for w in words), re.IGNORECASE) \
            if words else re.compile(r"(?!x)x")

    def words_in(self, text: str) -> list[str]:
        """Distinct lexicon words of this domain found in ``text`` (as written there)."""
        low = text.casefold()
        taken: list[tuple[int, int]] = []
        found: list[str] = []
        for first, rx in self._rx:
            if first not in low:
                continue
            for m in rx.finditer(text):
                if any(a <= m.start() and m.end() <= b for a, b in taken):
                    continue  # inside a longer term already found
                taken.append(m.span())
                word = " ".join(m.group(0).split())
                if word.casefold() not in {f.casefold() for f in found}:
                    found.append(word)
        order = {w: text.find(w) for w in found}
        return sorted(found, key=lambda w: order[w])

    def owns_title(self, title: str) -> bool:
        return bool(self._owner_rx.search(title))

    def has_body(self, node: Node) -> bool:
        """Whether an organisation/service node belongs to this domain (name, alias or category)."""
        cat = node.props.get("category")
        if isinstance(cat, str) and cat in self.categories:
            return True
        return any(normalise(a) in self.bodies for a in aliases(node))


@dataclass(slots=True)
class Lexicon:
    domains: dict[str, Domain]
    generic_bodies: frozenset[str]

    def is_generic(self, node: Node) -> bool:
        return any(normalise(a) in self.generic_bodies for a in aliases(node))

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "lexicon") -> Lexicon:
        if not isinstance(data, dict) or not isinstance(data.get("domains"), dict):
            raise InputError(f"{where} has no 'domains' mapping")
        domains = {}
        for name, d in data["domains"].items():
            if not isinstance(d, dict):
                raise InputError(f"{where}: domain {name!r} is not a mapping")

            def strs(key: str, d: dict[str, Any] = d, name: str = name) -> list[str]:
                v = d.get(key) or []
                if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                    raise InputError(f"{where}: {name}.{key} must be a list of words")
                return v

            domains[str(name)] = Domain(
                name=str(name), label=str(d.get("label") or name),
                strategy_words=tuple(strs("strategy_words")),
                categories=frozenset(strs("categories")),
                bodies=frozenset(normalise(b) for b in strs("bodies")),
                terms=tuple(strs("services") + strs("needs")),
                by_profile=bool(d.get("by_profile", True)))
        generic = data.get("generic_bodies") or []
        return cls(domains, frozenset(normalise(str(b)) for b in generic))


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The lexicon in ``path`` (default ``data/lexicon.yaml``); empty if the file is absent."""
    path = path or DATA_DIR / LEXICON_FILE
    if not path.exists():
        return Lexicon({}, frozenset())
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(f"{path.name} is not valid YAML: {str(exc).splitlines()[0]}") from None
    return Lexicon.from_dict(data, path.name)
