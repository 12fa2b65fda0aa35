"""The one place that turns result rows into a table, JSON or CSV on stdout.

JSON and CSV carry every value in full (CSV list cells as plain values joined with "; ",
cells that a spreadsheet would run as a formula prefixed with ``'``). Only the table
abbreviates long cells, wraps them on word boundaries at the terminal's width and strips
control and escape sequences from document text.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any, TextIO

from graphmodel.cells import spreadsheet_safe

#: Longest cell the table shows; longer text is cut on a word boundary and ends in "…".
TABLE_CELL_MAX = 120
#: Table width when stdout is not a terminal and COLUMNS is unset (a pipe, a file).
PIPE_WIDTH = 120
LIST_SEP = "; "
# ANSI escape sequences (CSI, OSC, two-character escapes) and the other C0/C1 controls
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|\x1b[@-_]"  # other two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class Fmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def to_plain(obj: Any) -> Any:
    """Dataclasses, enums, tuples and sets as JSON-ready plain values."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        if hasattr(obj, "to_dict"):
            return to_plain(obj.to_dict())
        return {f.name: to_plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): to_plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
    if isinstance(obj, (set, frozenset)):
        return sorted((to_plain(v) for v in obj), key=str)
    if isinstance(obj, StrEnum):
        return str(obj)
    return obj


def _cell(value: Any) -> str:
    """A value as CSV/table text: lists as plain values joined with "; ", mappings as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return LIST_SEP.join(_cell(v) for v in value)
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def terminal_safe(text: str) -> str:
    """``text`` without ANSI escape sequences or control characters (newlines and tabs
    become spaces), so document text cannot move the cursor or recolour a terminal."""
    text = _ESCAPES.sub("", text)
    return _CONTROLS.sub("", text.replace("\t", " ").replace("\r", " "))


def abbreviate(text: str, limit: int = TABLE_CELL_MAX) -> str:
    """``text`` cut to at most ``limit`` characters on a word boundary, ending in "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def _columns(rows: Sequence[dict[str, Any]], preferred: Sequence[str] | None) -> list[str]:
    if preferred:
        return list(preferred)
    cols: list[str] = []
    for r in rows:
        cols.extend(k for k in r if k not in cols)
    return cols


def render(
    rows: Iterable[Any],
    fmt: Fmt | str = Fmt.table,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    out: TextIO | None = None,
) -> None:
    """Print ``rows`` in ``fmt``. JSON is always a list; nothing else goes to stdout with it.

    ``columns`` picks the table/CSV columns (JSON always has every field); by default a
    row type's ``table_columns`` class attribute, else every field.
    """
    stream = out or sys.stdout
    row_list = list(rows)
    preferred = columns
    if preferred is None and row_list and hasattr(type(row_list[0]), "table_columns"):
        preferred = type(row_list[0]).table_columns
    plain = [to_plain(r) for r in row_list]
    fmt = Fmt(fmt)
    if fmt is Fmt.json:
        stream.write(json.dumps(plain, ensure_ascii=False, indent=2) + "\n")
        return
    cols = _columns(plain, preferred)
    if fmt is Fmt.csv:
        w = csv.writer(stream, lineterminator="\r\n")  # RFC 4180; quotes any CR or LF in a cell
        w.writerow(cols)
        for r in plain:
            w.writerow([spreadsheet_safe(_cell(r.get(c))) for c in cols])
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # cells as Text: document text is never parsed as markup

    console = Console(file=stream, soft_wrap=False)  # the terminal's width, or COLUMNS
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        console.width = PIPE_WIDTH
    if not plain:
        console.print(f"{title + ': ' if title else ''}nothing found", markup=False, highlight=False)
        return
    table = Table(title=title, show_lines=False, header_style="bold")
    cells = [[abbreviate(terminal_safe(_cell(r.get(c)))) for c in cols] for r in plain]
    for i, c in enumerate(cols):
        longest = max(len(row[i]) for row in cells)
        if longest <= 12:  # numbers, kinds, flags: as wide as their values (headers fold)
            table.add_column(c, overflow="fold", min_width=longest, max_width=max(longest, 7))
        else:  # text shares what is left, wrapped on word boundaries
            table.add_column(c, overflow="fold", ratio=min(longest, 60))
    for row in cells:
        table.add_row(*(Text(cell) for cell in row))
    console.print(table)
