"""The one place that turns result rows into a table, JSON or CSV on stdout."""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any, TextIO


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
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


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
        w = csv.writer(stream, lineterminator="\n")
        w.writerow(cols)
        for r in plain:
            w.writerow([_cell(r.get(c)) for c in cols])
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # cells as Text: document text is never parsed as markup

    console = Console(file=stream, width=max(100, Console().width), soft_wrap=False)
    if not plain:
        console.print(f"{title + ': ' if title else ''}nothing found", markup=False)
        return
    table = Table(title=title, show_lines=False, header_style="bold")
    for c in cols:
        table.add_column(c, overflow="fold")
    for r in plain:
        table.add_row(*(Text(_cell(r.get(c))) for c in cols))
    console.print(table)
