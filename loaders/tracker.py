"""Action trackers (CSV / XLSX) to action records, and the blank tracker template.

A tracker is a table with one action per row. Columns are found by their header
names, through the one column vocabulary of `loaders.columns` (``data/columns.yaml``:
Owner -> Lead, RAG -> Status, By when -> Due, Workstream -> Priority, Plan -> Strategy,
...), or a user's own mapping (``columns``). Columns of no role are kept on each action
as ``props`` under their header. The
header row need not be the first: title rows above it are structure. Blank rows are
structure; a row without an Action is rejected with the reason; a blank Strategy or
Priority cell continues the row above (grouped rows are typed that way, and merged
XLSX cells are filled from their top-left value); with no Strategy column the
strategy is the file's stem. Provenance: document = file name, lines = row numbers.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphmodel.errors import InputError
from graphmodel.files import write_atomic
from graphmodel.schema import ActionRecord, LoadResult, PriorityRef, Source

from .bodies import GENERIC_BODIES, Vocabulary, split_bodies
from .columns import describes_action, match_columns
from .dates import parse_due
from .readers.spreadsheet import read_csv, read_xlsx

#: Columns of the template, in order, and what goes in each (the "Read me" sheet).
TEMPLATE_COLUMNS: tuple[tuple[str, str], ...] = (
    (
        "Strategy",
        "The strategy, plan or programme the action belongs to. Leave blank to "
        "continue the row above; with no Strategy column the file name is used.",
    ),
    ("Priority", "The priority, theme or workstream within the strategy (optional)."),
    ("Action", "What will be done. Required: a row without an action is reported, not loaded."),
    (
        "Lead",
        "The body that leads, e.g. 'LBS Community Safety & Partnerships', 'SLaM'. "
        "Several leads: separate with commas.",
    ),
    ("Partners", "Bodies that support the action, separated by commas."),
    ("Due", "When it is due: a date, or text such as 'March 2018', 'Q3 2018/19'."),
    ("Status", "Delivery status or RAG rating as you use it: Green, Amber, Red, Complete..."),
    ("Progress", "Latest update in words."),
)
HEADER_SCAN_ROWS = 20
_SKIP_SHEETS = re.compile(r"^(read ?me|instructions?|guidance|notes|help|about|lists?)$", re.I)
_ROW_NUM = re.compile(r"[^\w&]+")
_PARENS = re.compile(r"\([^)]*\)")
_UNDATED = re.compile(r"ongoing|on-going|tbc|tbd", re.I)


@lru_cache(maxsize=1)
def body_vocabulary() -> Vocabulary:
    """Known body names, so "Youth & Play Service" is one body, not two."""
    from graphmodel.resolve import Resolver

    return Vocabulary([*GENERIC_BODIES, *Resolver.default().known_names()])


def _header_key(cell: Any) -> str:
    if isinstance(cell, str):
        return _text_key(cell)  # a tracker repeats its strategy, lead and status cells
    return _text_key(str(cell or ""))


@lru_cache(maxsize=1 << 14)
def _text_key(text: str) -> str:
    text = _PARENS.sub(" ", text).replace("&", " and ").casefold()
    return " ".join(_ROW_NUM.sub(" ", text).split())


def match_header(cells: Sequence[Any], columns: Mapping[str, str] | None = None) -> dict[str, int] | None:
    """Column index of each role if ``cells`` is a header row (it must name an Action).

    Roles come from the one column vocabulary (`loaders.columns`); ``columns`` is the
    user's own role -> header mapping (``--columns``), applied first.
    """
    texts = [_text(c) for c in cells]  # each cell's text once (every data row is checked)
    if sum(1 for t in texts if t) < 2:
        return None
    found = match_columns(texts, user=columns)
    roles = found.roles
    return roles if "action" in roles and len(roles) >= 2 else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _due(value: Any) -> tuple[str | None, str | None]:
    """(due as written, ISO due date) from a cell: an Excel date or text."""
    if isinstance(value, datetime | date):
        iso = (value.date() if isinstance(value, datetime) else value).isoformat()
        return iso, iso
    text = _text(value)
    return (text or None), (parse_due(text) if text else None)


# --------------------------------------------------------------------------- reading
Row = tuple[int, int, list[Any]]  # (first line, last line, cells)


# --------------------------------------------------------------------------- loading
def load(path: Path, *, columns: Mapping[str, str] | None = None) -> LoadResult:
    """Action records from a CSV or XLSX tracker; every row loaded, structural or rejected.

    ``columns`` maps roles to the tracker's own header names (``--columns``).
    """
    if not path.exists():
        raise InputError(f"{path} does not exist")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError(f"{path.name}: trackers are .csv or .xlsx files")
    res = LoadResult(path.name, "tracker")
    sheets = (
        read_csv(
            path, is_header=lambda cells: match_header(cells, columns) is not None, scan_rows=HEADER_SCAN_ROWS
        )
        if suffix == ".csv"
        else read_xlsx(path, skip_sheet=lambda title: _SKIP_SHEETS.match(title) is not None)
    )
    for sheet in sheets:  # bounded reading (loaders.readers.spreadsheet), then the table
        for line, kind, message in sheet.warnings:
            res.warn(line, kind, message)
        _load_table(res, path, sheet.name, sheet.rows, columns)
    return res


def _blank(cells: Sequence[Any]) -> bool:
    return not any(_text(c) for c in cells)


def _load_table(
    res: LoadResult, path: Path, sheet: str, rows: list[Row], columns: Mapping[str, str] | None = None
) -> None:
    # trailing blank rows (formatting only) are not part of the table
    while rows and _blank(rows[-1][2]):
        rows.pop()
    header_at = next(
        (k for k, (_, _, cells) in enumerate(rows[:HEADER_SCAN_ROWS]) if match_header(cells, columns)), None
    )
    where = f"sheet {sheet!r}" if sheet else "the file"
    if header_at is None:
        for first, _, cells in rows:
            if _blank(cells):
                res.structural()
            else:
                res.reject(
                    first,
                    f"no header row naming an Action column in the first {HEADER_SCAN_ROWS} rows of {where}",
                    " | ".join(_text(c) for c in cells if _text(c)),
                )
        if rows:
            res.warn(rows[0][0], "no-header", f"{where}: no header row with an Action column")
        return
    header = [_text(c) for c in rows[header_at][2]]
    cols = match_header(header, columns) or {}
    # named columns of no role: kept on each action under their header, never dropped
    others = match_columns(header, user=columns).unrecognised
    priority_level = (
        _header_key(rows[header_at][2][cols["priority"]]).replace(" ", "_")
        if "priority" in cols
        else "priority"
    )
    res.structural(header_at + 1)  # title rows and the header row itself
    header_width = max(i for i, c in enumerate(rows[header_at][2]) if _text(c)) + 1
    strategy, priority = path.stem, ""

    def cell(cells: Sequence[Any], role: str) -> Any:
        i = cols.get(role)
        return cells[i] if i is not None and i < len(cells) else None

    for first, last, cells in rows[header_at + 1 :]:
        if _blank(cells) or match_header(cells, columns):
            res.structural()  # blank row, or the header repeated
            continue
        strategy = _text(cell(cells, "strategy")) or strategy
        priority = _text(cell(cells, "priority")) or priority
        action = _text(cell(cells, "action"))
        if not action:
            res.reject(first, "row has no Action text", " | ".join(_text(c) for c in cells if _text(c)))
            continue
        leads, lead_supports = split_bodies(_text(cell(cells, "lead")), body_vocabulary())
        partner_leads, partner_supports = split_bodies(_text(cell(cells, "partners")), body_vocabulary())
        supports = [
            s for s in dict.fromkeys([*lead_supports, *partner_leads, *partner_supports]) if s not in leads
        ]
        due, due_date = _due(cell(cells, "due"))
        status = _text(cell(cells, "status")) or "open"
        props: dict[str, Any] = {"progress": _text(cell(cells, "progress")) or None}
        for role in ("measure", "reference"):
            if _text(cell(cells, role)):
                props[role] = _text(cell(cells, role))
        for i, name in others.items():
            if i < len(cells) and _text(cells[i]):
                props.setdefault(name, _text(cells[i]))
                if describes_action(name) and props[name] == _text(cells[i]):
                    props.setdefault("detail_columns", []).append(name)  # read with the action's text
        if sheet:
            props["sheet"] = sheet
        src = Source(path.name, first, last)
        res.loaded(
            ActionRecord(
                strategy,
                (PriorityRef(priority_level, priority),) if priority else (),
                action,
                src,
                level="action",
                status=status,
                leads=tuple(leads),
                supports=tuple(supports),
                due=due,
                due_date=due_date,
                props=props,
            )
        )
        if not leads:
            res.warn(first, "no-lead", f"action has no lead: {action[:60]}")
        extra = [_text(c) for c in cells[header_width:] if _text(c)]
        if extra:  # cells past the header have no column: report them, never drop silently
            res.warn(first, "extra-cells", f"cells beyond the header ignored: {' | '.join(extra)[:80]}")
        if due and not due_date and not _UNDATED.search(due):
            res.warn(first, "no-date", f"due {due!r} is not a date partnermap can read")


# --------------------------------------------------------------------------- template
def write_template(out: Path) -> None:
    """Write a blank tracker workbook: an "Actions" sheet with the columns partnermap
    reads (no example rows) and a "Read me" sheet describing each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Actions"
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor="1F4E79")
    widths = {"Action": 60, "Progress": 50, "Lead": 28, "Partners": 28}
    for col, (name, _) in enumerate(TEMPLATE_COLUMNS, start=1):
        c = ws.cell(row=1, column=col, value=name)
        c.font, c.fill = header_font, header_fill
        c.alignment = Alignment(vertical="center")
        ws.column_dimensions[c.column_letter].width = widths.get(name, 18)
    ws.freeze_panes = "A2"
    status_col = ws.cell(row=1, column=[n for n, _ in TEMPLATE_COLUMNS].index("Status") + 1)
    dv = DataValidation(
        type="list",
        formula1='"Green,Amber,Red,Complete,Not started"',
        allow_blank=True,
        showErrorMessage=False,
    )
    dv.add(f"{status_col.column_letter}2:{status_col.column_letter}1000")
    ws.add_data_validation(dv)

    info = wb.create_sheet("Read me")
    info.append(["Column", "What to enter"])
    for c in info[1]:
        c.font, c.fill = header_font, header_fill
    for name, what in TEMPLATE_COLUMNS:
        info.append([name, what])
    info.append([])
    info.append(
        [
            "",
            "Header names may also be written Owner/Responsible (Lead), Supporting "
            "(Partners), Deadline/By when/Target date (Due), RAG (Status), "
            "Update/Comments (Progress), Theme/Workstream (Priority), Plan/Programme "
            "(Strategy). Title rows above the header are fine.",
        ]
    )
    info.append(["", "Load with: partnermap load tracker.xlsx"])
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 100
    for row in info.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()  # built in memory: a full disk then fails in write_atomic, cleanly
    wb.save(buf)
    write_atomic(out, buf.getvalue(), what="workbook")
