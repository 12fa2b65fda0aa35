"""Shared mechanics of tab-separated tables in text exports of committee papers.

Cells (split, strip ``<p>``/``<ul>``/``<li>``/``<i>``/``<u>``/``**`` markup, list items),
header rows (cells matched to known column names and their synonyms) and rows that
span several physical lines. Loaders of action plans, trackers and strategy tables
share these so they read the same document the same way; shifted cells are detected
and realigned in `loaders.shifts`, names of bodies in lead / partner cells split in
`loaders.bodies`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from .columns import vocabulary

# ----------------------------------------------------------------------------- cells

_BLOCK_TAG_RE = re.compile(r"</?(?:p|ul|ol|li|br|div|tr|td)\b[^>]{0,200}>", re.IGNORECASE)
_INLINE_TAG_RE = re.compile(r"</?(?:i|u|b|em|strong|span|sup|sub|a)\b[^>]{0,200}>", re.IGNORECASE)
_BULLET_RE = re.compile(r"\s*[•·▪●◦]\s*")
_WS_RE = re.compile(r"\s+")
_NON_WORD_RE = re.compile(r"[^\w&]+")


def split_cells(line: str) -> list[str]:
    """Cells of one tab-separated line (all of them, empty ones included)."""
    return line.split("\t")


#: Size of the per-string caches (here, in `loaders.shifts` and `loaders.bodies`): the
#: cells of one large table (a 50 MB paper has ~1M cells; the same cell is cleaned and
#: scored many times while its row is read).
CACHE_SIZE = 1 << 16


def cell_items(cell: str) -> list[str]:
    """The paragraphs / list items of a cell, as plain text, in order.

    ``<p>A</p> <p>B</p>`` and ``<ul> • A • B</ul>`` give ``["A", "B"]``; plain text
    gives one item.
    """
    return list(_cell_items(cell))


_BULLETS = "•·▪●◦"  # the characters of _BULLET_RE


@lru_cache(maxsize=CACHE_SIZE)
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


@lru_cache(maxsize=CACHE_SIZE)
def clean_cell(cell: str) -> str:
    """A cell as one line of plain text: markup stripped, list items joined with "; "."""
    parts: list[str] = []
    for item in _cell_items(cell):
        if parts:  # a list of parts, not concatenation: a cell may hold many items
            parts.append(" " if parts[-1].endswith((":", ";", ".", "?", "!")) else "; ")
        parts.append(item)
    return "".join(parts).replace(" :", ":")


@lru_cache(maxsize=CACHE_SIZE)
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
    "priority_area": (
        "priority area",
        "priority",
        "priorities",
        "theme",
        "strategic priority",
        "workstream",
        "work stream",
        "area",
    ),
    "sub_area": ("sub area", "sub-area", "subarea", "sub theme", "sub-theme"),
    "action": ("actions", "action", "action required", "actions required", "what we will do", "key actions"),
    "sub_objective": (
        "sub objective",
        "sub-objective",
        "sub objectives",
        "objective",
        "objectives",
        "task",
        "tasks",
    ),
    "lead": (
        "lead",
        "owner",
        "responsible",
        "lead officer",
        "lead agency",
        "lead organisation",
        "responsible officer",
        "responsible agency",
        "lead partner",
        "action owner",
        "who",
    ),
    "partners": (
        "partners",
        "partner",
        "support",
        "supporting",
        "supported by",
        "key partners",
        "partner agencies",
        "supporting partners",
        "support from",
    ),
    "due": (
        "expected completion date",
        "due",
        "due date",
        "deadline",
        "timescale",
        "timescales",
        "by when",
        "target date",
        "completion date",
        "date",
        "when",
        "target",
    ),
    "progress": (
        "progress to date",
        "progress",
        "update",
        "status update",
        "progress update",
        "comments",
        "commentary",
        "latest update",
        "notes",
    ),
    "rag": ("rag", "status", "rag status", "rag rating", "rating"),
    "resource": ("resource", "resources", "funding", "budget", "resourcing"),
    "agency_outcome": ("agency outcome", "agency outcomes"),
    "operational_outcome": (
        "operational outcome",
        "operational outcomes",
        "outcome",
        "outcomes",
        "success measure",
        "success measures",
        "measure of success",
        "measures",
    ),
    "ref": ("ref", "no", "number", "reference", "id", "#", "item"),
}
#: Roles shared with the one column vocabulary (``data/columns.yaml``, `loaders.columns`):
#: every name it lists for them is a name here too (the roles above stay finer: strategic
#: outcome / priority area / sub area, action / sub-objective, agency / operational outcome).
_SHARED_ROLES = {
    "lead": "lead",
    "partners": "partners",
    "due": "due",
    "progress": "progress",
    "rag": "status",
}


def _with_vocabulary(synonyms: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    taken = {norm(s) or s: role for role, syns in synonyms.items() for s in syns}
    out = dict(synonyms)
    for role, shared in _SHARED_ROLES.items():
        extra = [n for n in vocabulary().names.get(shared, ()) if taken.get(norm(n) or n, role) == role]
        out[role] = tuple(dict.fromkeys([*synonyms[role], *extra]))
    return out


COLUMN_SYNONYMS = _with_vocabulary(COLUMN_SYNONYMS)
_SYNONYM_TO_ROLE = {norm(s) or s: role for role, syns in COLUMN_SYNONYMS.items() for s in syns}
_KEY_WORDS = max(len(k.split()) for k in _SYNONYM_TO_ROLE)  # words of the longest name
#: Roles whose header cell may carry a label after a dash, e.g. "Priority Area – Enforcement".
LABELLED_ROLES = frozenset({"strategic_outcome", "priority_area", "sub_area"})
TEXT_ROLES = ("sub_objective", "action")
_LABEL_RE = re.compile(r"^(.{2,40}?)\s*[–—:-]\s*(\S.*)$")


@lru_cache(maxsize=CACHE_SIZE)
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
