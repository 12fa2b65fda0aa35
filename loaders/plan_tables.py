"""Where action-plan tables are in a text document: header rows (memoised), section
banners ("Strategic Outcome – ..."), plan titles, page furniture, the span of each table,
and whether its rows pack several actions per cell (those are `loaders.strategy_plan`'s).
Used by `loaders.action_plan`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .tables import Header, cell_items, clean_cell, match_header, norm, paragraph_count, split_cells
from .text import TextDocument

_SECTION_RE = re.compile(
    r"^\W*(strategic outcome|outcome|strategic aim|strategic objective|"
    r"strategic priority|priority area|priority|theme|workstream)\b\s*"
    r"(?:\d+[.:]?)?\s*[–—:-]?\s*(\S.*)?$",
    re.IGNORECASE,
)
_PLAN_WORDS_RE = re.compile(
    r"\b(plan|strategy|programme|program|tracker|framework|"
    r"action plan|delivery plan|log)\b",
    re.IGNORECASE,
)
PAGE_RE = re.compile(r"^\W*(page\s+\d+(\s+of\s+\d+)?|\d{1,4}|-\s*\d+\s*-)\W*$", re.IGNORECASE)


def row_header(cells: list[str]) -> Header | None:
    """`match_header` of a row's cells, memoised: every line of a table is matched several
    times (finding the table, its end, its rows, packed or not). Headers are not mutated."""
    return _header_of(tuple(cells))


@lru_cache(maxsize=1 << 14)
def _header_of(cells: tuple[str, ...]) -> Header | None:
    return match_header(cells)


def section_banner(cells: list[str]) -> tuple[str, str, str] | None:
    """(level, name, text) for a banner row like "Strategic Outcome – X <ul>...</ul>"."""
    if not cells or not cells[0].strip() or any(c.strip() for c in cells[1:]):
        return None  # a banner fills its first cell only
    items = cell_items(cells[0])
    m = _SECTION_RE.match(items[0]) if items else None
    if not m or not m[2]:
        return None
    level = (
        "priority_area"
        if m[1].lower() in {"priority area", "priority", "theme", "workstream"}
        else "strategic_outcome"
    )
    return level, m[2].strip().rstrip("."), " ".join(items[1:])


def is_title(line: str) -> bool:
    """A line that names a plan (a plan word, 2-16 words, not a sentence, not a header)."""
    text = clean_cell(line).strip("#* ")
    return (
        "\t" not in line
        and bool(_PLAN_WORDS_RE.search(text))
        and 2 <= len(text.split()) <= 16
        and not text.endswith((".", ",", ";", ":"))
        and match_header([line]) is None
    )


@dataclass(slots=True)
class PlanTable:
    """A located table: its header, line span (0-based, inclusive) and plan title."""

    header: Header
    start: int
    end: int
    title: str | None
    title_line: int | None


def find_tables(lines: tuple[str, ...]) -> Iterator[PlanTable]:
    """Action-plan tables of a document, in order: each from its banners and title down
    to the prose or other table that ends it (repeated headers and page furniture
    inside)."""
    i = 0
    n = len(lines)
    while i < n:
        header = row_header(split_cells(lines[i])) if "\t" in lines[i] else None
        if header is None:
            i += 1
            continue
        # Backwards: banner rows and the title just above the first header belong to it.
        start, j, title, title_line = i, i - 1, None, None
        while j >= 0 and i - j <= 12:
            line = lines[j]
            if not line.strip():
                j -= 1
                continue
            if section_banner(split_cells(line)):
                start, j = j, j - 1
                continue
            if is_title(line):
                start, title, title_line = j, clean_cell(line).strip("#* "), j
            break
        if title is None:  # the nearest plan-naming line further up, outside the table
            for k in range(j, max(-1, i - 60), -1):
                if is_title(lines[k]):
                    title, title_line = clean_cell(lines[k]).strip("#* "), k
                    break
        # Forwards: rows, repeated headers / titles / banners, until prose or another table.
        end, k, prev_row = i, i + 1, True
        while k < n:
            line = lines[k]
            if not line.strip():
                prev_row = False
            elif "\t" in line:
                other = row_header(split_cells(line))
                if other is not None and other.signature != header.signature:
                    break
                end, prev_row = k, True
            elif (title and norm(line) == norm(title)) or section_banner([line]) or PAGE_RE.match(line):
                end, prev_row = k, False
            elif prev_row:
                end = k  # a cell's line break
            elif furniture_before_header(lines, k, header):
                end, prev_row = k, False
            else:
                break
            k += 1
        yield PlanTable(header, start, end, title, title_line)
        i = end + 1


def furniture_before_header(lines: tuple[str, ...], k: int, header: Header) -> bool:
    """Line ``k`` is page furniture (a running head or footer) when only short lines
    stand between it and a repeat of ``header``."""
    for line in lines[k : k + 8]:
        if not line.strip():
            continue
        if "\t" in line:
            other = row_header(split_cells(line))
            return other is not None and other.signature == header.signature
        if len(line.split()) > 12:
            return False
    return False


def is_packed(doc: TextDocument, t: PlanTable) -> bool:
    """Rows packing several actions with several owners / timescales as paragraphs, side
    by side: a strategy's packed action plan (read by `loaders.strategy_plan`), not a table
    of one action per row."""
    text_col = t.header.columns[t.header.text_role]
    cols = [t.header.columns[r] for r in ("lead", "due") if r in t.header.columns]
    rows = [split_cells(line) for line in doc.lines[t.start : t.end + 1] if "\t" in line]
    rows = [r for r in rows if row_header(r) is None and any(clean_cell(c) for c in r)]

    def packed(r: list[str]) -> bool:
        return (
            text_col < len(r)
            and paragraph_count(r[text_col]) >= 2
            and any(i < len(r) and paragraph_count(r[i]) >= 2 for i in cols)
        )

    return bool(rows) and sum(1 for r in rows if packed(r)) * 4 >= len(rows)
