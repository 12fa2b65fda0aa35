"""Shared mechanics of tab-separated tables in text exports of committee papers.

Cells (split, strip ``<p>``/``<ul>``/``<li>``/``<i>``/``<u>``/``**`` markup, list items),
header rows (cells matched to known column names and their synonyms), rows that
span several physical lines, shifted cells (detect and realign), and names of
bodies in lead / partner cells (`split_bodies`). Loaders of action plans, trackers
and strategy tables share these so they read the same document the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .dates import parse_due

# ----------------------------------------------------------------------------- cells

_BLOCK_TAG_RE = re.compile(r"</?(?:p|ul|ol|li|br|div|tr|td)\b[^>]{0,200}>", re.IGNORECASE)
_INLINE_TAG_RE = re.compile(r"</?(?:i|u|b|em|strong|span|sup|sub|a)\b[^>]{0,200}>", re.IGNORECASE)
_BULLET_RE = re.compile(r"\s*[•·▪●◦]\s*")
_WS_RE = re.compile(r"\s+")
_NON_WORD_RE = re.compile(r"[^\w&]+")


def split_cells(line: str) -> list[str]:
    """Cells of one tab-separated line (all of them, empty ones included)."""
    return line.split("\t")


#: Size of the per-string caches below: the cells of one large table (a 50 MB paper has
#: ~1M cells; the same cell is cleaned and scored many times while its row is read).
_CACHE = 1 << 16


def cell_items(cell: str) -> list[str]:
    """The paragraphs / list items of a cell, as plain text, in order.

    ``<p>A</p> <p>B</p>`` and ``<ul> • A • B</ul>`` give ``["A", "B"]``; plain text
    gives one item.
    """
    return list(_cell_items(cell))


_BULLETS = "•·▪●◦"  # the characters of _BULLET_RE


@lru_cache(maxsize=_CACHE)
def _cell_items(cell: str) -> tuple[str, ...]:
    # cached as a tuple: callers get their own list
    if "<" not in cell and "**" not in cell and not any(b in cell for b in _BULLETS):
        # no tags, bold marks or bullets: one item, white space collapsed (str.split splits
        # at exactly the characters \s matches)
        item = " ".join(cell.split())
        return (item,) if item and item not in {"-", "--", "---"} else ()
    text = _INLINE_TAG_RE.sub("", cell).replace("**", "")
    parts = _BLOCK_TAG_RE.split(text)
    items: list[str] = []
    for part in parts:
        items.extend(_WS_RE.sub(" ", p).strip() for p in _BULLET_RE.split(part))
    return tuple(i for i in items if i and i not in {"-", "--", "---"})


def paragraph_count(cell: str) -> int:
    """How many ``<p>`` paragraphs a cell holds (packed cells hold several)."""
    return len(re.findall(r"<p\b", cell, re.IGNORECASE))


@lru_cache(maxsize=_CACHE)
def clean_cell(cell: str) -> str:
    """A cell as one line of plain text: markup stripped, list items joined with "; "."""
    parts: list[str] = []
    for item in _cell_items(cell):
        if parts:  # a list of parts, not concatenation: a cell may hold many items
            parts.append(" " if parts[-1].endswith((":", ";", ".", "?", "!")) else "; ")
        parts.append(item)
    return "".join(parts).replace(" :", ":")


@lru_cache(maxsize=_CACHE)
def norm(text: str) -> str:
    """Lower-case, punctuation-free, single-spaced text for comparing cells."""
    text = clean_cell(text).lower().replace("\u2019", "'")
    # one space per run of other characters: white space is one of them, so no run of
    # white space is left to collapse
    return _NON_WORD_RE.sub(" ", text).strip()


# ----------------------------------------------------------------------------- headers

#: Column roles and the names a header cell may use for them (compared after `norm`).
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "strategic_outcome": ("strategic outcome", "strategic outcomes"),
    "priority_area": ("priority area", "priority", "priorities", "theme", "strategic priority",
                      "workstream", "work stream", "area"),
    "sub_area": ("sub area", "sub-area", "subarea", "sub theme", "sub-theme"),
    "action": ("actions", "action", "action required", "actions required", "what we will do",
               "key actions"),
    "sub_objective": ("sub objective", "sub-objective", "sub objectives", "objective",
                      "objectives", "task", "tasks"),
    "lead": ("lead", "owner", "responsible", "lead officer", "lead agency", "lead organisation",
             "responsible officer", "responsible agency", "lead partner", "action owner", "who"),
    "partners": ("partners", "partner", "support", "supporting", "supported by", "key partners",
                 "partner agencies", "supporting partners", "support from"),
    "due": ("expected completion date", "due", "due date", "deadline", "timescale", "timescales",
            "by when", "target date", "completion date", "date", "when", "target"),
    "progress": ("progress to date", "progress", "update", "status update", "progress update",
                 "comments", "commentary", "latest update", "notes"),
    "rag": ("rag", "status", "rag status", "rag rating", "rating"),
    "resource": ("resource", "resources", "funding", "budget", "resourcing"),
    "agency_outcome": ("agency outcome", "agency outcomes"),
    "operational_outcome": ("operational outcome", "operational outcomes", "outcome", "outcomes",
                            "success measure", "success measures", "measure of success",
                            "measures"),
    "ref": ("ref", "no", "number", "reference", "id", "#", "item"),
}
_SYNONYM_TO_ROLE = {norm(s) or s: role for role, syns in COLUMN_SYNONYMS.items() for s in syns}
_KEY_WORDS = max(len(k.split()) for k in _SYNONYM_TO_ROLE)  # words of the longest name
#: Roles whose header cell may carry a label after a dash, e.g. "Priority Area – Enforcement".
LABELLED_ROLES = frozenset({"strategic_outcome", "priority_area", "sub_area"})
TEXT_ROLES = ("sub_objective", "action")
_LABEL_RE = re.compile(r"^(.{2,40}?)\s*[–—:-]\s*(\S.*)$")


@lru_cache(maxsize=_CACHE)
def column_role(cell: str) -> tuple[str, str | None] | None:
    """(role, label) for a header cell, or None when the cell is not a column name."""
    text = clean_cell(cell).strip()
    if text == "#":
        return _SYNONYM_TO_ROLE["#"], None
    if "<" in text or "*" in text or sum(map(str.isalnum, text.split())) <= _KEY_WORDS:
        # (without tags or bold marks, each all-letter-or-digit word of ``text`` is a
        # word of its `norm`: with more of them than a column name has, it names none)
        key = norm(text)
        if key in _SYNONYM_TO_ROLE:
            return _SYNONYM_TO_ROLE[key], None
    m = _LABEL_RE.match(text)
    if m and _SYNONYM_TO_ROLE.get(norm(m[1])) in LABELLED_ROLES:
        return _SYNONYM_TO_ROLE[norm(m[1])], m[2].strip()
    return None


@dataclass(frozen=True, slots=True)
class Header:
    """A header row: which column index holds which role, and the label it carries."""

    columns: dict[str, int]
    names: tuple[str, ...]  # cleaned header cell texts, one per column
    label: str | None = None  # e.g. "Consultation and Engagement" from "Priority Area – ..."
    label_role: str | None = None

    @property
    def width(self) -> int:
        return len(self.names)

    @property
    def signature(self) -> tuple[str, ...]:
        """Roles in column order: two headers of one table share it."""
        by_index = {i: r for r, i in self.columns.items()}
        return tuple(by_index.get(i, "") for i in range(self.width))

    @property
    def text_role(self) -> str:
        """The column holding one row's action text: the rightmost of action and
        sub-objective (the most specific; "Objective | Action" puts the action last,
        "Actions | Sub-Objective" the sub-objective)."""
        return max((r for r in TEXT_ROLES if r in self.columns), key=lambda r: self.columns[r])


def match_header(cells: Sequence[str], *, min_roles: int = 3) -> Header | None:
    """The `Header` that ``cells`` spell, or None.

    A header names at least ``min_roles`` known columns, most of its non-empty cells
    are column names, one column holds action text and one says who or when.
    """
    while cells and not cells[-1].strip():
        cells = cells[:-1]
    nonempty = [c for c in cells if c.strip()]
    if len(nonempty) < min_roles:
        return None
    columns: dict[str, int] = {}
    label = label_role = None
    unread = len(nonempty)  # non-empty cells not yet matched; an empty one names no column
    for i, cell in enumerate(cells):
        if not cell.strip():
            continue  # names no column
        unread -= 1
        found = column_role(cell)
        if found is None or found[0] in columns:
            # each unread cell adds a column at most: give up once too few could follow
            # (most rows are data, decided after half their cells)
            best = len(columns) + unread
            if best < min_roles or best < 0.6 * len(nonempty):
                return None
            continue
        columns[found[0]] = i
        if found[1]:
            label, label_role = found[1], found[0]
    if len(columns) < min_roles or len(columns) < 0.6 * len(nonempty):
        return None
    if not any(r in columns for r in TEXT_ROLES):
        return None
    if not {"lead", "due", "rag", "progress", "partners"} & columns.keys():
        return None
    names = tuple(clean_cell(c) for c in cells)
    return Header(columns, names, label, label_role)


# ----------------------------------------------------------------------------- rows


@dataclass(slots=True)
class Row:
    """One logical table row: its cells and the physical lines (1-based) it spans."""

    cells: list[str]
    line_start: int
    line_end: int

    def cell(self, index: int | None) -> str:
        """Cleaned text of cell ``index`` ('' when absent)."""
        if index is None or index >= len(self.cells):
            return ""
        return clean_cell(self.cells[index])

    @property
    def blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


def merge_continuation(row: Row, line: str, line_no: int, width: int) -> None:
    """Append physical ``line`` to ``row``: a cell that held a line break.

    The line's first cell continues the cell the row ended in; its other cells follow.
    """
    parts = split_cells(line)
    last = min(len(row.cells), width) - 1 if len(row.cells) > width else len(row.cells) - 1
    row.cells[last] = f"{row.cells[last]}\n{parts[0]}".strip("\n")
    row.cells.extend(parts[1:])
    row.line_end = line_no


def trailing_width(cells: Sequence[str]) -> int:
    """Number of cells up to and including the last non-empty one."""
    n = len(cells)
    while n and not cells[n - 1].strip():
        n -= 1
    return n


# ----------------------------------------------------------------------------- shifts

_DATEISH_RE = re.compile(r"\b(ongoing|on-going|monthly|quarterly|annually|annual|weekly|"
                         r"tbc|tbd|complete[d]?|in place|rolling)\b", re.IGNORECASE)
RAG_WORDS = frozenset({"red", "amber", "green", "blue", "grey", "r", "a", "g", "b", "ag", "ar",
                       "amber green", "red amber", "green amber", "complete", "completed",
                       "on track", "off track", "at risk", "not started", "closed"})


@lru_cache(maxsize=_CACHE)
def date_score(cell: str) -> float:
    """1 when a cell reads as a due date or a recurring timescale, else 0."""
    text = clean_cell(cell)
    if not text:
        return 0.0
    if len(text.split()) > 30:
        return 0.0
    return 1.0 if parse_due(text) or _DATEISH_RE.search(text) else 0.0


@lru_cache(maxsize=_CACHE)
def rag_score(cell: str) -> float:
    """1 when a cell is a RAG / status word."""
    return 1.0 if norm(cell) in RAG_WORDS else 0.0


def detect_shift(cells: Sequence[str], width: int, scorers: Mapping[int, Callable[[str], float]],
                 *, max_shift: int = 3, margin: float = 1.0) -> int:
    """How far a row's cells sit right (+) or left (-) of their columns; 0 when aligned.

    ``scorers`` maps a column index to how plausible a cell is for that column (a lead
    column scores bodies, a due column dates). The shift that makes the row most
    plausible wins if it beats no shift by ``margin``; content pushed past the last
    column counts against a shift.

    A scorer with an ``upper_bound`` attribute (see `bounded`) lets shifts that cannot
    beat no shift by ``margin`` go unscored; the answer is the same.
    """
    n = len(cells)
    full = [bool(c.strip()) for c in cells]
    filled = sum(full)
    before: list[int] = []  # before[k]: filled cells among the first k (made when needed)

    def upto(k: int) -> int:
        k = 0 if k < 0 else k if k < n else n
        if not k:
            return 0
        if not before:
            before.append(0)
            for f in full:
                before.append(before[-1] + f)
        return before[k]
    scored: dict[tuple[int, int], float] = {}  # (column, cell index) -> score: each cell once
    items = list(scorers.items())
    uppers = [getattr(fn, "upper_bound", None) for fn in scorers.values()]

    def score(s: int, bound: bool = False) -> float:
        total = 0.0
        for (col, fn), upper in zip(items, uppers, strict=True):
            i = col + s
            if 0 <= i < n:
                if bound:  # same sums with each score at its maximum: never below score(s)
                    total += (upper or 0.0) if full[i] else 0.0
                    continue
                key = (col, i)
                if key not in scored:
                    scored[key] = fn(cells[i])
                total += scored[key]
        # filled cells left of the row (lost) and outside columns s..s+width-1 (overflow)
        lost = upto(s)
        inside = (sum(full[:width]) if s == 0 and width > 0 else upto(s + width)) - lost
        overflow = filled - (inside if inside > 0 else 0)
        return total - 1.5 * overflow - 1.5 * lost - 0.1 * abs(s)

    shifts = range(-max_shift, max_shift + 1)
    if margin > 0 and all(u is not None for u in uppers):
        # Only a shift scoring at least score(0) + margin can win, and then the best of
        # those wins: the others cannot be the maximum.
        base = score(0)
        if all(u >= 0 for u in uppers):  # type: ignore[operator]
            # Every shift scores at most the sum of all maxima less 0.1 (the penalties are
            # not negative, and float rounding keeps the order): an aligned row that
            # scores well needs no other shift scored.
            top = 0.0
            for u in uppers:
                top += u or 0.0
            if top - 0.1 < base + margin:
                return 0
        scores = {s: score(s) for s in shifts
                  if s != 0 and score(s, bound=True) >= base + margin}
        if not scores:
            return 0
        scores[0] = base
    else:
        scores = {s: score(s) for s in shifts}
    best = max(sorted(scores), key=lambda s: (scores[s], -abs(s)))
    return best if best != 0 and scores[best] >= scores[0] + margin else 0


def bounded(fn: Callable[[str], float], upper: float) -> Callable[[str], float]:
    """``fn`` marked for `detect_shift` as scoring at most ``upper``, and 0 for a blank
    cell (true of `bodies_score`, `date_score` and `rag_score`)."""
    fn.upper_bound = upper  # type: ignore[attr-defined]
    return fn


#: Highest `bodies_score` (full coverage by known names).
BODIES_MAX = 1.5
bounded(date_score, 1.0)
bounded(rag_score, 1.0)


def realign(cells: Sequence[str], shift: int, split_at: int) -> list[str]:
    """Undo a shift: columns before ``split_at`` (context cells) absorb it.

    A right shift drops that many empty context cells (the last ones); a left shift
    pads the context on the left, after dropping trailing empty context cells, so the
    nearest context column keeps its text.
    """
    cut = max(split_at + shift, 0)
    head, tail = list(cells[:cut]), list(cells[cut:])
    if shift > 0:
        for _ in range(shift):
            empties = [i for i, c in enumerate(head) if not c.strip()]
            if empties:
                head.pop(empties[-1])
            elif len(head) >= 2:  # no room: keep the text, merged into its neighbour
                head[-2:] = [f"{head[-2]} {head[-1]}"]
    elif shift < 0:
        while head and not head[-1].strip():
            head.pop()
        head = [""] * (split_at - len(head)) + head
    return head + tail


# ----------------------------------------------------------------------------- bodies

#: Names of bodies that any English plan uses without defining them.
GENERIC_BODIES = ("Police", "Council", "Schools", "All partners", "Voluntary sector", "Health",
                  "NHS", "CCG", "Public Health", "Probation", "Housing", "Colleges", "GPs",
                  "Social Care", "Partners", "Voluntary and community sector")

_CONNECTIVE_RE = re.compile(
    r"\s*\b(in conjunction with|in consultation with|in partnership with|in collaboration with|"
    r"with support from|with the support of|supported by|with input from|working with|"
    r"alongside|via|to liaise with|liaising with|to work with)\b\s*", re.IGNORECASE)
#: Connectives after which the next clause may start with the subject of another pair,
#: e.g. "SAPH to liaise with primary schools SASH to liaise with secondary schools".
_CHAINED = frozenset({"to liaise with", "liaising with", "to work with"})
_SEP_TOKENS = frozenset({",", ";", "/", "+", "and", "&"})
_TOKEN_RE = re.compile(r"[,;/+]|[^\s,;/+]+")
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
    r"Complete\w*)\b")


def _clean_names_text(cell: str) -> str:
    text = clean_cell(cell)
    text = _PARENS_RE.sub(" ", text)  # "(Safer Schools officers)" qualifies, not names
    return _WS_RE.sub(" ", text).strip().rstrip(".").strip()


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
            key = tuple(lowered[i:i + k])
            if key in names and not (k == 1 and key[0] in _SEP_TOKENS):
                items.append(("name", " ".join(tokens[i:i + k])))
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
        if (prev and prev[0] == "name" and prev[1].lower() in vocab.prefixes and kind == "name"
                and vocab.expansions.get(text.lower(), "").lower().startswith(prev[1].lower() + " ")):
            merged[-1] = ("name", f"{prev[1]} {text}")  # "LBS" + "CS&P" -> "LBS CS&P"
        else:
            merged.append((kind, text))
    if merged and all(k == "name" for k, _ in merged):
        return [t for _, t in merged]
    return [" ".join(t for _, t in merged)] if merged else []


def _segment_names(segment: str, vocab: Vocabulary) -> list[str]:
    segment = _LEADING_WORD_RE.sub("", segment.strip(" ,;."))
    if not segment:
        return []
    tokens = _TOKEN_RE.findall(segment)
    items = _scan(tokens, vocab)
    dashed = bool(_SPACED_DASH_RE.search(segment))  # "YOS – RJ and Victim Staff" is one name
    names: list[str] = []
    group: list[tuple[str, str]] = []
    for kind, text in items:
        if kind == "sep" and not (dashed and text.lower() in {"and", "&"}):
            names += _group_names(group, vocab)
            group = []
        else:
            group.append(("word" if kind == "sep" else kind, text))
    names += _group_names(group, vocab)
    out: list[str] = []
    for name in names:
        name = _LEADING_THE_RE.sub("", name).strip(" -–")
        if out and name not in vocab and out[-1].split()[0].lower() in vocab.prefixes:
            prefixed = f"{out[-1].split()[0]} {name}"  # "LBS CS&P / Y&PS" -> "LBS Y&PS"
            name = prefixed if prefixed in vocab else name
        if name:
            out.append(name)
    return out


def split_bodies(cell: str, vocabulary: Vocabulary | Iterable[str] | None = None
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
        if len(vocab._splits) >= _CACHE:
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
        if len(vocab._scores) >= _CACHE:
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
            if (name not in vocabulary and 1 <= len(words) <= 4 and name[:1].isupper()
                    and not re.search(r"\b(to|be|is|are|will|been|was|tbc)\b", name, re.IGNORECASE)
                    and bodies_score(name, vocabulary) >= 0.5):
                # learn only names whose words are not all already known (those split anyway)
                items = _scan(_TOKEN_RE.findall(name), vocabulary)
                if any(k == "word" for k, _ in items):
                    learned.add(name)
    return learned


# ----------------------------------------------------------------------------- glossaries

_GLOSSARY_HEADING_RE = re.compile(r"^\W*(glossary|abbreviations|acronyms|key)\b", re.IGNORECASE)
_DEFINED_RE = re.compile(
    r"\b((?:[A-Z][\w'’&.-]*)(?:\s+(?:of|and|for|the|&|on|[A-Z][\w'’&.-]*)){0,7})\s+\(([A-Z][A-Za-z&]{1,9})\)")


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
            in_glossary = (bool(_GLOSSARY_HEADING_RE.match(stripped))
                           and len(stripped.split()) <= 5)
            continue
        if not in_glossary:
            continue
        cells = [clean_cell(c) for c in split_cells(line) if c.strip()]
        if (len(cells) == 2 and len(cells[0].split()) <= 4 and len(cells[0]) <= 30
                and norm(cells[0]) not in {"abbreviation", "abbreviations", "acronym", "term"}):
            pairs.setdefault(cells[0], cells[1])
    for line in lines:
        if "(" not in line:
            continue  # cleaning only removes text: no "(" in the line, none in its cleaned text
        for m in _DEFINED_RE.finditer(clean_cell(line)):
            expansion = re.sub(r"^(?:the|and|of)\s+", "", m[1], flags=re.IGNORECASE)
            if len(expansion.split()) >= 2:
                pairs.setdefault(m[2], expansion)
    return pairs
