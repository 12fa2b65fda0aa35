"""The curated domain lexicon (``data/lexicon.yaml``): domains, their words and their bodies."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from graphmodel.errors import InputError
from graphmodel.paths import DATA_DIR, missing_data_file
from graphmodel.schema import Node

from ._base import aliases, normalise

LEXICON_FILE = "lexicon.yaml"


def _term_pattern(term: str) -> str:
    """Whole-word pattern; words in capitals (CAMHS, A&E) must appear in capitals."""
    body = re.escape(term.strip()).replace(r"\ ", r"[\s\-]+")
    if term.upper() == term and any(c.isalpha() for c in term):
        return rf"(?-i:(?<![\w&]){body}(?![\w&]))"
    return rf"(?<![\w&]){body}(?![\w&])"


#: Tokens for term lookup: runs of word characters and "&" (so "A&E" is one token). Hyphens,
#: apostrophes and spaces separate tokens, so "self-harm" also finds "self harm" and
#: "children's" finds "children’s".
_TOKEN = re.compile(r"[\w&]+")


def _is_capitals(term: str) -> bool:
    return term.upper() == term and any(c.isalpha() for c in term)


class _TermIndex:
    """Term lookup by tokens: one pass over a text finds every term, longest first.

    A regex per term (or one big alternation) costs time per term per text; here each
    token of the text costs one dict lookup unless it starts some term. Matching is
    whole-token, case-insensitive except for terms written in capitals.
    """

    __slots__ = ("first", "terms")

    def __init__(self, terms: tuple[str, ...]) -> None:
        self.terms: dict[tuple[str, ...], list[tuple[tuple[str, ...], bool]]] = {}
        self.first: dict[str, int] = {}  # first token (casefolded) -> longest term length
        for t in terms:
            toks = tuple(_TOKEN.findall(t))
            if not toks:
                continue
            key = tuple(x.casefold() for x in toks)
            self.terms.setdefault(key, []).append((toks, _is_capitals(t)))
            self.first[key[0]] = max(self.first.get(key[0], 0), len(key))

    def find(self, text: str, tokens: tuple[list[tuple[int, int]], list[str]] | None = None) -> list[str]:
        """Distinct terms in ``text`` as written there, in order of first occurrence."""
        spans, folded = tokens if tokens is not None else tokenise(text)
        out: list[str] = []
        seen: set[str] = set()
        n = len(folded)
        first = self.first
        end = 0  # tokens before this are inside a term already found
        # only places where some term starts can match: visit those, in order
        for i in [j for j, t in enumerate(folded) if t in first]:
            if i < end:
                continue
            longest = first[folded[i]]
            step = 1
            for length in range(min(longest, n - i), 0, -1):
                options = self.terms.get(tuple(folded[i : i + length]))
                if not options:
                    continue
                if not any(
                    not caps or tuple(text[a:b] for a, b in spans[i : i + length]) == want
                    for want, caps in options
                ):
                    continue
                word = " ".join(text[spans[i][0] : spans[i + length - 1][1]].split())
                if word.casefold() not in seen:
                    seen.add(word.casefold())
                    out.append(word)
                step = length
                break
            end = i + step
        return out


def tokenise(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """Token spans and casefolded tokens of ``text`` (shared by every domain's lookup)."""
    spans = [m.span() for m in _TOKEN.finditer(text)]
    return spans, [text[a:b].casefold() for a, b in spans]


@dataclass(slots=True)
class Domain:
    """One service domain: its words, the bodies that belong to it, and who owns it."""

    name: str
    label: str
    strategy_words: tuple[str, ...]
    categories: frozenset[str]
    bodies: frozenset[str]  # normalised names
    terms: tuple[str, ...]
    by_profile: bool = True
    # the named services, teams and facilities among ``terms`` (casefolded): what an action
    # can rely on; the rest are needs and client groups (weak evidence on their own)
    services: frozenset[str] = frozenset()  # may a strategy own it by how much its actions use it?
    # other names of one service (casefolded) -> the name it is listed under first
    synonyms: dict[str, str] = field(default_factory=dict)
    _index: _TermIndex = field(repr=False, default=None)  # type: ignore[assignment]
    _owner_rx: re.Pattern[str] = field(repr=False, default=None)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        self._index = _TermIndex(tuple(t for t in self.terms if t.strip()))
        words = sorted(set(self.strategy_words), key=lambda t: (-len(t), t))
        self._owner_rx = (
            re.compile("|".join(_term_pattern(w) for w in words), re.IGNORECASE)
            if words
            else re.compile(r"(?!x)x")
        )

    def words_in(self, text: str, tokens: tuple[list[tuple[int, int]], list[str]] | None = None) -> list[str]:
        """Distinct lexicon words of this domain found in ``text`` (as written there).

        Longest term first at each place ("mental health services" wins over "mental
        health"); ``tokens`` (from `tokenise`) lets several domains share one pass.
        """
        return self._index.find(text, tokens)

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

    def words_in(self, text: str) -> dict[str, list[str]]:
        """Domain name -> lexicon words of that domain in ``text`` (domains with none left out)."""
        tokens = tokenise(text)
        present = set(tokens[1])
        # a domain none of whose terms starts with a token of the text finds nothing: skip
        # its scan (most texts name one or two domains)
        found = {
            name: d.words_in(text, tokens)
            for name, d in self.domains.items()
            if not present.isdisjoint(d._index.first)
        }
        return {k: v for k, v in found.items() if v}

    def canonical(self, domain: str, word: str) -> str:
        """The first name of the service ``word`` names in ``domain`` (a lexicon line
        ``[drug and alcohol services, drug and alcohol treatment]`` is one service), else
        ``word``: two plans naming one service in other words rely on the same thing."""
        d = self.domains.get(domain)
        return d.synonyms.get(" ".join(word.casefold().split()), word) if d else word

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

            # services: a word, or a list of the names of one service (first: its name)
            raw = d.get("services") or []
            if not isinstance(raw, list) or not all(
                isinstance(x, str) or (isinstance(x, list) and x and all(isinstance(y, str) for y in x))
                for x in raw
            ):
                raise InputError(f"{where}: {name}.services must be a list of words or of lists of names")
            services: list[str] = []
            synonyms: dict[str, str] = {}
            for x in raw:
                names = [x] if isinstance(x, str) else x
                services.extend(names)
                for other in names[1:]:
                    synonyms[" ".join(other.casefold().split())] = names[0]

            domains[str(name)] = Domain(
                name=str(name),
                label=str(d.get("label") or name),
                strategy_words=tuple(strs("strategy_words")),
                categories=frozenset(strs("categories")),
                bodies=frozenset(normalise(b) for b in strs("bodies")),
                terms=tuple(services + strs("needs")),
                by_profile=bool(d.get("by_profile", True)),
                services=frozenset(" ".join(x.casefold().split()) for x in services),
                synonyms=synonyms,
            )
        generic = data.get("generic_bodies") or []
        return cls(domains, frozenset(normalise(str(b)) for b in generic))


def load_lexicon(path: Path | None = None) -> Lexicon:
    """The lexicon in ``path`` (default ``data/lexicon.yaml``); `InputError` if it is absent."""
    path = path or DATA_DIR / LEXICON_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(missing_data_file(path)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path.name} is not valid YAML: {str(exc).splitlines()[0]}") from None
    return Lexicon.from_dict(data, path.name)
