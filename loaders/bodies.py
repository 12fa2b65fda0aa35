"""Names of bodies in lead / partner / resource cells: split a cell into leads and
supporting bodies (`split_bodies`), score how much a cell reads like names
(`bodies_score`), learn names a document uses (`learn_bodies`), and the vocabulary of
known names with the abbreviations a document defines (`Vocabulary`, `glossary_pairs`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from .shifts import date_score
from .tables import CACHE_SIZE, clean_cell, norm, split_cells

_WS_RE = re.compile(r"\s+")

#: Highest `bodies_score` (full coverage by known names).
BODIES_MAX = 1.5

#: Names of bodies that any English plan uses without defining them.
GENERIC_BODIES = (
    "Police",
    "Council",
    "Schools",
    "All partners",
    "Voluntary sector",
    "Health",
    "NHS",
    "CCG",
    "Public Health",
    "Probation",
    "Housing",
    "Colleges",
    "GPs",
    "Social Care",
    "Partners",
    "Voluntary and community sector",
    "Communities",
    "Education",
    "Trading Standards",
    "Primary Care",
    "GP Federations",
    "Adult Social Care",
    "Children's Social Care",
    "Local Authority",
    "Police and Crime Commissioner",
    "Police and Crime Commissioners Office",
    "Police and Crime Commissioner's Office",
)

_CONNECTIVE_RE = re.compile(
    r"\s*\b(in conjunction with|in consultation with|in partnership with|in collaboration with|"
    r"with support from|with the support of|supported by|with input from|working with|"
    r"alongside|via|to liaise with|liaising with|to work with)\b\s*",
    re.IGNORECASE,
)
#: Connectives after which the next clause may start with the subject of another pair,
#: e.g. "SAPH to liaise with primary schools SASH to liaise with secondary schools".
_CHAINED = frozenset({"to liaise with", "liaising with", "to work with"})
_SEP_TOKENS = frozenset({",", ";", "/", "+", "and", "&", _NEWLINE := "\u23ce"})
#: Separators that may also join the words of one body's name ("Districts & Boroughs",
#: "Kent Fire and Rescue Service", a name wrapped over two lines of a PDF cell).
_SOFT_SEPS = frozenset({"and", "&", _NEWLINE})
_TOKEN_RE = re.compile(r"[,;/+]|[^\s,;/+]+")
#: Words that end a body's name ("... Trust", "... Police"): a run of words ending in one
#: is a whole name, so "and" / "&" / a line break after it starts another.
_HEADS = frozenset(
    """
council councils trust trusts partnership partnerships board boards service services police
constabulary forum forums network networks group groups team teams commission association
foundation hospital hospitals charity society alliance federation federations agency
authority constabulary ccg icb ics collaborative hub hubs unit units office department
directorate school schools college colleges practice practices probation sector
""".split()
)
#: Words that go on a name rather than start one ("... Partnership / NHS Foundation Trust").
_CONTINUATIONS = frozenset(
    {"nhs", "foundation", "trust", "service", "services", "team", "board", "of", "for"}
)
_NAMEISH_WORDS = frozenset({"and", "&", "the", "of", "for", "in", "with", "all", "local", "–", "-"})


class Vocabulary:
    """Known body names (case-insensitive), with the prefixes they share (e.g. "LBS").

    ``expansions`` maps an abbreviation to its expansion; an abbreviation whose
    expansion starts with a prefix ("CS&P" = "LBS Community Safety ...") joins it
    ("LBS CS&P").
    """

    def __init__(self, names: Iterable[str] = (), expansions: Mapping[str, str] | None = None):
        self.expansions = {k.lower(): v for k, v in (expansions or {}).items()}
        self.names: dict[tuple[str, ...], str] = {}
        for name in [*names, *(expansions or {}).keys(), *(expansions or {}).values()]:
            toks = tuple(t.lower() for t in _TOKEN_RE.findall(name.strip()))
            if toks and len(toks) <= 10:
                self.names.setdefault(toks, name.strip())
        self.longest = max((len(k) for k in self.names), default=1)
        singles = {k[0] for k in self.names if len(k) == 1}
        self.prefixes = {k[0] for k in self.names if len(k) > 1 and k[0] in singles}
        # per first token, the lengths of the names it starts, longest first: `_scan`
        # tries only those
        starts: dict[str, set[int]] = {}
        for k in self.names:
            starts.setdefault(k[0], set()).add(len(k))
        self._lengths = {t: sorted(ls, reverse=True) for t, ls in starts.items()}
        # bodies_score and split_bodies per cell text (a vocabulary is not changed after
        # it is made: `with_names` makes a new one); lead cells repeat down a plan
        self._scores: dict[str, float] = {}
        self._splits: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def __contains__(self, name: str) -> bool:
        return tuple(t.lower() for t in _TOKEN_RE.findall(name)) in self.names

    def with_names(self, names: Iterable[str]) -> Vocabulary:
        """A copy that also knows ``names``."""
        return Vocabulary([*self.names.values(), *names], self.expansions)


def as_vocabulary(vocabulary: Vocabulary | Iterable[str] | None) -> Vocabulary:
    if isinstance(vocabulary, Vocabulary):
        return vocabulary
    if vocabulary is None:
        return _generic_vocabulary()
    return Vocabulary([*GENERIC_BODIES, *(vocabulary or ())])


@lru_cache(maxsize=1)
def _generic_vocabulary() -> Vocabulary:
    return Vocabulary(GENERIC_BODIES)


_PARENS_RE = re.compile(r"\([^)]*\)")
_LEADING_WORD_RE = re.compile(r"^(?:the|and|with)\s+", re.IGNORECASE)
_SPACED_DASH_RE = re.compile(r"\s[–—-]\s")
_LEADING_THE_RE = re.compile(r"^the\s+", re.IGNORECASE)
_DATE_WORDS_RE = re.compile(
    r"\b(Q[1-4]|FY|Jan\w*|Feb\w*|Mar\w*|Apr\w*|May|Jun\w*|Jul\w*|Aug\w*|Sep\w*|Oct\w*|"
    r"Nov\w*|Dec\w*|Ongoing|On-going|Monthly|Quarterly|Annual\w*|Weekly|TB[CD]|"
    r"Complete\w*)\b"
)


_SENTENCE_GAP_RE = re.compile(r"(?<=[a-z]{3})\.\s+(?=[A-Z])")


def _clean_names_text(cell: str) -> str:
    # a line break may part two names or wrap one: kept as a token, decided in `_best_runs`
    text = clean_cell(cell.replace("\n", f" {_NEWLINE} ")) if "\n" in cell.strip() else clean_cell(cell)
    text = _PARENS_RE.sub(" ", text)  # "(Safer Schools officers)" qualifies, not names
    text = _SENTENCE_GAP_RE.sub("; ", text)  # "Primary Care. Community Hubs": two names
    return _WS_RE.sub(" ", text).strip().rstrip(".").strip().strip(_NEWLINE).strip()


def _scan(tokens: list[str], vocab: Vocabulary) -> list[tuple[str, str]]:
    """Tokens as items: ("name", text) for a vocabulary match, ("sep", t), ("word", t)."""
    items: list[tuple[str, str]] = []
    lowered = [t.lower() for t in tokens]
    names, lengths = vocab.names, vocab._lengths
    i = 0
    while i < len(tokens):
        # longest first, as before; only lengths of names that start with this token
        for k in lengths.get(lowered[i], ()):
            if k > len(tokens) - i:
                continue
            key = tuple(lowered[i : i + k])
            if key in names and not (k == 1 and key[0] in _SEP_TOKENS):
                items.append(("name", " ".join(tokens[i : i + k])))
                i += k
                break
        else:
            kind = "sep" if tokens[i].lower() in _SEP_TOKENS else "word"
            items.append((kind, tokens[i]))
            i += 1
    return items


def _group_names(group: list[tuple[str, str]], vocab: Vocabulary) -> list[str]:
    """Names in a run of items between separators: split only when every item is known."""
    merged: list[tuple[str, str]] = []
    for kind, text in group:
        prev = merged[-1] if merged else None
        if (
            prev
            and prev[0] == "name"
            and prev[1].lower() in vocab.prefixes
            and kind == "name"
            and vocab.expansions.get(text.lower(), "").lower().startswith(prev[1].lower() + " ")
        ):
            merged[-1] = ("name", f"{prev[1]} {text}")  # "LBS" + "CS&P" -> "LBS CS&P"
        else:
            merged.append((kind, text))
    if merged and all(k == "name" for k, _ in merged):
        return [t for _, t in merged]
    return [" ".join(t for _, t in merged)] if merged else []


def _known(run: list[tuple[str, str]], vocab: Vocabulary) -> bool:
    """Whether a run of items is a known name or ends in one ("Social Care", "Kent
    Police"); a run joined over "and" / "&" only when known as a whole."""
    if not run:
        return False
    if " ".join(t for _, t in run) in vocab:
        return True
    return run[-1][0] == "name" and all(k != "join" for k, _ in run)


def _complete(run: list[tuple[str, str]], vocab: Vocabulary) -> bool:
    """Whether a run of items reads as one whole body's name (see `_best_runs`)."""
    text = " ".join(t for _, t in run)
    if not run:
        return False
    if _known(run, vocab):
        return True
    words = text.split()
    if text[:1].islower() and all(k != "join" for k, _ in run):
        return True  # "local residents and people with lived experience": parted as written
    if len(words) == 1 and text.endswith(("'s", "’s", "'", "’")):
        # "residents and carers": lower-case words are parted as written; "Children's and
        # Adults' Social Care": the possessive shares the head that follows (split_owners)
        return True
    if len(words) > 1 and words[0].casefold() in _CONTINUATIONS:
        return False  # "NHS Foundation Trust": the end of a name begun before
    if len(words) > 1 and words[-1].casefold().strip(".") in _HEADS:
        return True
    return len(words) == 1 and 2 <= len(text) <= 8 and sum(c.isupper() for c in text) >= 2


def _best_runs(
    pieces: list[list[tuple[str, str]]], seps: list[str], vocab: Vocabulary
) -> list[list[tuple[str, str]]]:
    """Pieces parted by "and" / "&" / line breaks, joined into the names they make.

    Every way of joining neighbours is scored (+1 a whole name, -2 a fragment); the best
    wins, fewer names on a tie. So "Districts & Boroughs" and "Children and Young People's
    Services" stay one name, "Public Health and Trading Standards" (both known) are two.
    """
    n = len(pieces)
    if n == 1:
        return pieces
    if n > 10:  # too many to try every way: split where both sides are known names
        cuts = [i for i in range(n - 1) if _complete(pieces[i], vocab) and _complete(pieces[i + 1], vocab)]
    else:
        best: tuple[int, int, list[int]] | None = None
        for mask in range(1 << (n - 1)):
            cut = [i for i in range(n - 1) if mask >> i & 1]
            runs = _runs(pieces, seps, cut)
            score = sum(_score(runs, i, vocab) for i in range(len(runs)))
            if best is None or (score, -len(cut)) > (best[0], best[1]):
                best = (score, -len(cut), cut)
        cuts = best[2] if best else []
    return _runs(pieces, seps, cuts)


def _score(runs: list[list[tuple[str, str]]], i: int, vocab: Vocabulary) -> int:
    """+1 for a whole name, -2 for a fragment; one word ending the list next to a known
    name is a name too ("Social Care & Education", not "CCG and Children and Families")."""
    if _complete(runs[i], vocab):
        return 1
    ends = (i == 0 and len(runs) > 1 and _known(runs[1], vocab)) or (
        i == len(runs) - 1 and i > 0 and _known(runs[i - 1], vocab)
    )
    if len(runs[i]) == 1 and ends:
        return 1
    return -2


def _runs(
    pieces: list[list[tuple[str, str]]], seps: list[str], cuts: list[int]
) -> list[list[tuple[str, str]]]:
    out: list[list[tuple[str, str]]] = [list(pieces[0])]
    for i in range(1, len(pieces)):
        if i - 1 in cuts:
            out.append(list(pieces[i]))
        else:
            if seps[i - 1] != _NEWLINE:
                out[-1].append(("join", seps[i - 1]))
            out[-1].extend(pieces[i])
    return out


def _segment_names(segment: str, vocab: Vocabulary) -> list[str]:
    segment = _LEADING_WORD_RE.sub("", segment.strip(" ,;."))
    if not segment:
        return []
    tokens = _TOKEN_RE.findall(segment)
    items = _scan(tokens, vocab)
    dashed = bool(_SPACED_DASH_RE.search(segment))  # "YOS – RJ and Victim Staff" is one name
    names: list[str] = []
    pieces: list[list[tuple[str, str]]] = [[]]
    seps: list[str] = []

    def flush() -> None:
        nonlocal pieces, seps
        filled = [(p, s) for p, s in zip(pieces, [*seps, ""], strict=True) if p]
        if filled:
            runs = _best_runs([p for p, _ in filled], [s for _, s in filled][:-1], vocab)
            for run in runs:
                names.extend(_group_names([("word" if k == "join" else k, t) for k, t in run], vocab))
        pieces, seps = [[]], []

    for kind, text in items:
        low = text.lower()
        if kind == "sep" and low in _SOFT_SEPS and not (dashed and low != _NEWLINE):
            pieces.append([])
            seps.append(text)
        elif kind == "sep" and not (dashed and low in {"and", "&"}):
            flush()
        else:
            group_kind = "word" if kind == "sep" else kind
            pieces[-1].append((group_kind, text))
    flush()
    out: list[str] = []
    for name in names:
        name = _LEADING_THE_RE.sub("", name).strip(" -–")
        if out and name not in vocab and out[-1].split()[0].lower() in vocab.prefixes:
            prefixed = f"{out[-1].split()[0]} {name}"  # "LBS CS&P / Y&PS" -> "LBS Y&PS"
            name = prefixed if prefixed in vocab else name
        if name:
            out.append(name)
    return out


def split_bodies(
    cell: str, vocabulary: Vocabulary | Iterable[str] | None = None
) -> tuple[list[str], list[str]]:
    """(leads, supports): the bodies a lead cell names.

    Connectives ("in conjunction with", "in consultation with", "supported by", "via",
    ...) divide leads from supporting bodies; separators (, ; / & and) and the longest
    known names divide bodies; a run of words that cannot all be matched to known
    names stays one name (resolution downstream matches it or reports it).

    Examples
    --------
    >>> vocab = Vocabulary([*GENERIC_BODIES, "LBS", "LBS Education", "SAPH", "SASH"],
    ...                    {"CS&P": "LBS Community Safety & Partnerships Team"})
    >>> split_bodies("Police LBS CS&P SAPH SASH All partners", vocab)
    (['Police', 'LBS CS&P', 'SAPH', 'SASH', 'All partners'], [])
    >>> split_bodies("LBS CS&P in conjunction with LBS Education and SASH", vocab)
    (['LBS CS&P'], ['LBS Education', 'SASH'])
    >>> split_bodies("LBS Regulatory Services in consultation with the Police.")
    (['LBS Regulatory Services'], ['Police'])
    """
    vocab = as_vocabulary(vocabulary)
    found = vocab._splits.get(cell)
    if found is None:
        if len(vocab._splits) >= CACHE_SIZE:
            vocab._splits.clear()
        found = vocab._splits[cell] = _split_bodies(cell, vocab)
    return list(found[0]), list(found[1])  # callers get lists of their own


def _split_bodies(cell: str, vocab: Vocabulary) -> tuple[tuple[str, ...], tuple[str, ...]]:
    text = _clean_names_text(cell)
    if not text:
        return (), ()
    parts = _CONNECTIVE_RE.split(text)  # [seg, conn, seg, conn, seg ...]
    leads: list[str] = []
    supports: list[str] = []
    leads += _segment_names(parts[0], vocab)
    for j in range(1, len(parts), 2):
        segment = parts[j + 1]
        if parts[j].lower() in _CHAINED and j + 2 < len(parts):
            # "... to liaise with primary schools SASH to liaise with ...": the known name
            # that ends the clause is the subject of the next pair, so a lead.
            tokens = _TOKEN_RE.findall(segment)
            items = _scan(tokens, vocab)
            if len(items) > 1 and items[-1][0] == "name":
                leads.append(items[-1][1])
                segment = " ".join(t for _, t in items[:-1])
        supports += _segment_names(segment, vocab)
    leads = list(dict.fromkeys(leads))
    supports = [s for s in dict.fromkeys(supports) if s not in leads]
    return tuple(leads), tuple(supports)


def bodies_score(cell: str, vocabulary: Vocabulary | Iterable[str] | None = None) -> float:
    """How much a cell reads like names of bodies (0..1.5); a date scores below zero."""
    vocab = as_vocabulary(vocabulary)
    score = vocab._scores.get(cell)
    if score is None:
        if len(vocab._scores) >= CACHE_SIZE:
            vocab._scores.clear()
        score = vocab._scores[cell] = _bodies_score(cell, vocab)
    return score


def _bodies_score(cell: str, vocab: Vocabulary) -> float:
    text = _clean_names_text(cell)
    if not text:
        return 0.0
    if len(text.split()) > 25 and len(clean_cell(text).split()) > 30:
        return 0.0  # neither names (25 words at most, below) nor a date (date_score: 30)
    if date_score(text) and not any(ch.isupper() for ch in _DATE_WORDS_RE.sub("", text)):
        return -0.5
    words = text.split()
    if len(words) > 25:
        return 0.0
    plain = _CONNECTIVE_RE.sub(" , ", text)
    items = _scan(_TOKEN_RE.findall(plain), vocab)
    known = sum(len(t.split()) for k, t in items if k == "name")
    total = sum(len(t.split()) for k, t in items if k != "sep") or 1
    nameish = sum(1 for k, t in items if k == "word" and (t[:1].isupper() or t.lower() in _NAMEISH_WORDS))
    coverage = min(1.0, (known + nameish) / total)
    return coverage + (0.5 if known else 0.0)


def learn_bodies(cells: Iterable[str], vocabulary: Vocabulary) -> set[str]:
    """Names that stand alone in lead / resource cells but are not yet known.

    "Police In conjunction with CPS and Local magistrates" teaches "Local magistrates",
    so "Police CPS Local magistrates" elsewhere splits into three. Sentence-like text
    ("Funding stream to be confirmed") is not learned.
    """
    learned: set[str] = set()
    for cell in cells:
        leads, supports = split_bodies(cell, vocabulary)
        if len(leads) + len(supports) < 2:
            continue  # a name alone in its cell may be several run together
        for name in [*leads, *supports]:
            words = name.split()
            if (
                name not in vocabulary
                and 1 <= len(words) <= 4
                and name[:1].isupper()
                and not re.search(r"\b(to|be|is|are|will|been|was|tbc)\b", name, re.IGNORECASE)
                and bodies_score(name, vocabulary) >= 0.5
            ):
                # learn only names whose words are not all already known (those split anyway)
                items = _scan(_TOKEN_RE.findall(name), vocabulary)
                if any(k == "word" for k, _ in items):
                    learned.add(name)
    return learned


_GLOSSARY_HEADING_RE = re.compile(r"^\W*(glossary|abbreviations|acronyms|key)\b", re.IGNORECASE)
_DEFINED_RE = re.compile(
    r"\b((?:[A-Z][\w'’&.-]*)(?:\s+(?:of|and|for|the|&|on|[A-Z][\w'’&.-]*)){0,7})\s+\(([A-Z][A-Za-z&]{1,9})\)"
)


def glossary_pairs(lines: Sequence[str]) -> dict[str, str]:
    """Abbreviation -> expansion, from "ABBR<TAB>Expansion" rows under a glossary heading
    and from "Full Name (ABBR)" in running text. Minimal: a vocabulary for splitting
    names, not a glossary loader."""
    pairs: dict[str, str] = {}
    in_glossary = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if "\t" not in line:
            in_glossary = bool(_GLOSSARY_HEADING_RE.match(stripped)) and len(stripped.split()) <= 5
            continue
        if not in_glossary:
            continue
        cells = [clean_cell(c) for c in split_cells(line) if c.strip()]
        if (
            len(cells) == 2
            and len(cells[0].split()) <= 4
            and len(cells[0]) <= 30
            and norm(cells[0]) not in {"abbreviation", "abbreviations", "acronym", "term"}
        ):
            pairs.setdefault(cells[0], cells[1])
    for line in lines:
        if "(" not in line:
            continue  # cleaning only removes text: no "(" in the line, none in its cleaned text
        for m in _DEFINED_RE.finditer(clean_cell(line)):
            expansion = re.sub(r"^(?:the|and|of)\s+", "", m[1], flags=re.IGNORECASE)
            if len(expansion.split()) >= 2:
                pairs.setdefault(m[2], expansion)
    return pairs
