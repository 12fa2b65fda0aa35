"""Bounded reading of CSV and XLSX trackers: rows of cells, with a bounded cost.

A 5 KB XLSX can describe a sheet of 17 billion cells (one cell at ``XFD1048576``,
or one merge over it) or a 1 GB shared string; a normal openpyxl load builds all
of it. This reader never does:

- the file must be a regular file under ``PARTNERMAP_MAX_TRACKER_MB``;
- XLSX: the zip directory is checked before anything is inflated (total declared
  uncompressed size, the shared strings' size, no encrypted entries, no XML entity
  declarations anywhere), then sheets are streamed (openpyxl ``read_only``) with the
  declared dimension ignored, so only cells that exist cost anything; rows,
  columns and cells are counted as they come, and ``<mergeCells>`` is read from the
  sheet XML by a bounded scan (openpyxl's read-only mode exposes no merges);
- CSV: decoded like documents (UTF-16, mixed UTF-8/Windows-1252, control characters
  removed with a warning), rows and columns counted, and a quoted cell that runs
  over lines that look like rows of their own is reported (an unterminated quote);
- every corrupt workbook (bad zip, bad deflate, malformed XML, a shared-string index
  out of range, an encrypted or password-protected file) is one `InputError` sentence.

Each limit is in `loaders.limits` and is raised by its environment variable.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from graphmodel.errors import InputError
from loaders.limits import (
    CELLS,
    COLUMNS,
    MERGES,
    ROWS,
    SHARED_STRINGS_MB,
    TRACKER_MB,
    XLSX_UNCOMPRESSED_MB,
    read_bounded,
    regular_file,
)
from loaders.text import CONTROL_RE, decode_text

#: (first line, last line, cells) of one table row.
Row = tuple[int, int, list[Any]]
#: (line, kind, message) of a problem found while reading.
ReadWarning = tuple[int, str, str]


@dataclass(slots=True)
class SheetRows:
    """The rows of one sheet (``name`` is "" for a CSV file) and what reading found."""

    name: str
    rows: list[Row]
    warnings: list[ReadWarning] = field(default_factory=list)


class _Budget:
    """Counts cells across a file against `CELLS`."""

    def __init__(self, where: str) -> None:
        self.where, self.cells, self.cap = where, 0, CELLS.value()

    def add(self, n: int) -> None:
        self.cells += n
        if self.cells > self.cap:
            raise CELLS.exceeded(self.where, f"more than {self.cap:,} cells")


# --------------------------------------------------------------------------- CSV
def read_csv(
    path: Path, *, is_header: Callable[[Sequence[Any]], bool], scan_rows: int = 20
) -> list[SheetRows]:
    """The rows of CSV ``path``; the delimiter that reveals a header row (``is_header``
    within the first ``scan_rows`` rows) wins, else the sniffed one."""
    data = read_bounded(path, TRACKER_MB)
    text, _, decoded = decode_text(data, path.name, kind="CSV tracker")
    found = [(line, kind, msg) for line, kind, msg in decoded]
    sample = text[:8192]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        first = next((ln for ln in sample.splitlines() if ln.strip()), "")
        sniffed = max(",;\t", key=first.count)
    parsed: list[tuple[str, list[Row]]] = []
    for delimiter in dict.fromkeys([sniffed, ",", ";", "\t"]):
        rows = _csv_parse(text, delimiter, path.name)
        if any(is_header(c) for _, _, c in rows[:scan_rows]):
            parsed = [(delimiter, rows)]
            break
        parsed.append((delimiter, rows))
    delimiter, rows = parsed[0]
    header = next((c for _, _, c in rows[:scan_rows] if is_header(c)), None)
    found += _unterminated_quotes(rows, delimiter, len(header) if header else None)
    return [SheetRows("", rows, found)]


def _csv_parse(text: str, delimiter: str, name: str) -> list[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    max_rows, max_cols, budget = ROWS.value(), COLUMNS.value(), _Budget(name)
    prev = 0
    try:
        for cells in reader:
            if len(rows) >= max_rows:
                raise ROWS.exceeded(name, f"more than {max_rows:,} rows")
            if len(cells) > max_cols:
                raise COLUMNS.exceeded(f"{name}:{prev + 1}", f"a row of {len(cells):,} cells")
            budget.add(len(cells))
            rows.append((prev + 1, reader.line_num, list(cells)))
            prev = reader.line_num
    except csv.Error as exc:
        raise InputError(f"{name}:{prev + 1}: not a readable CSV row ({exc})") from None
    return rows


def _unterminated_quotes(rows: list[Row], delimiter: str, width: int | None) -> list[ReadWarning]:
    """Rows whose quoted cell runs over lines that look like rows of their own."""
    need = max(2, (width or 3) - 1)  # delimiters on a line that looks like a row
    out = []
    for first, last, cells in rows:
        if last <= first:
            continue
        for cell in cells:
            inner = cell.split("\n")[1:]
            like_rows = sum(1 for ln in inner if ln.count(delimiter) >= need)
            if like_rows:
                out.append(
                    (
                        first,
                        "unterminated-quote",
                        f"a quoted cell runs from line {first} to line {last} and holds "
                        f"{like_rows} line(s) that look like rows: is a closing quote missing?",
                    )
                )
                break
    return out


# --------------------------------------------------------------------------- XLSX
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_MERGE = re.compile(
    rb"<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']([A-Za-z]{1,3}\d{1,7}(?::[A-Za-z]{1,3}\d{1,7})?)[\"']"
)
_CELL_REF = re.compile(r"([A-Za-z]{1,3})(\d{1,7})")
_CHUNK = 1 << 16
_CORRUPT = (
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    SyntaxError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    UnicodeDecodeError,
)


def _corrupt(name: str, exc: BaseException) -> InputError:
    detail = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
    return InputError(f"{name} is not a readable XLSX workbook ({type(exc).__name__}: {detail})")


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def _cell(ref: str) -> tuple[int, int]:
    m = _CELL_REF.fullmatch(ref)
    if not m:
        raise ValueError(f"bad cell reference {ref!r}")
    return int(m.group(2)), _column_number(m.group(1))


def check_archive(path: Path, zf: zipfile.ZipFile) -> None:
    """Refuse a workbook whose zip directory promises too much, or hides what we refuse."""
    name = path.name
    infos = zf.infolist()
    if len(infos) > 10_000:
        raise InputError(f"{name} is not a plausible XLSX workbook ({len(infos):,} parts)")
    total = sum(i.file_size for i in infos)
    if total > XLSX_UNCOMPRESSED_MB.value():
        raise XLSX_UNCOMPRESSED_MB.exceeded(name, f"the workbook inflates to {total / 1048576:.1f} MB")
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputError(f"{name} is encrypted (a zip entry needs a password); save it unprotected")
        if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > SHARED_STRINGS_MB.value():
            raise SHARED_STRINGS_MB.exceeded(
                name, f"its shared strings are {info.file_size / 1048576:.1f} MB"
            )
    for info in infos:  # entity declarations (billion laughs, external entities): refused outright
        if info.filename.lower().endswith((".xml", ".rels", ".vml")):
            _scan(zf, info.filename, name, merges=False)


def _scan(zf: zipfile.ZipFile, member: str, name: str, *, merges: bool) -> list[str]:
    """Stream ``member`` once: refuse a DTD; collect ``<mergeCell ref>`` values (bounded)."""
    found: list[str] = []
    cap = MERGES.value()
    tail = b""
    with zf.open(member) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            buf = tail + chunk
            if _DTD.search(buf):
                raise InputError(
                    f"{name}: part {member} declares XML entities (<!DOCTYPE/<!ENTITY>), which "
                    "partnermap refuses; save the workbook again from a spreadsheet program"
                )
            if merges:
                cut = buf.rfind(b"<")  # a tag may straddle chunks: keep it for the next round
                cut = cut if cut > len(buf) - 512 else len(buf)
                for m in _MERGE.finditer(buf, 0, cut):
                    found.append(m.group(1).decode("ascii"))
                    if len(found) > cap:
                        raise MERGES.exceeded(
                            f"{name} sheet part {member}", f"more than {cap:,} merged ranges"
                        )
                tail = buf[cut:]
            else:
                tail = buf[-16:]
    return found


def read_xlsx(path: Path, *, skip_sheet: Callable[[str], bool] = lambda _title: False) -> list[SheetRows]:
    """The rows of every sheet of XLSX ``path`` (sheets ``skip_sheet`` accepts are left out),
    merged ranges filled from their top-left value."""
    st = regular_file(path)
    name = path.name
    if st.st_size > TRACKER_MB.value():
        raise TRACKER_MB.exceeded(name, f"the file is {st.st_size / 1048576:.1f} MB")
    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic == _OLE_MAGIC:
        raise InputError(
            f"{name} is password-protected or an old binary Excel file, not an XLSX workbook; "
            "save it as .xlsx without a password"
        )
    from openpyxl import load_workbook

    budget = _Budget(name)
    try:
        with zipfile.ZipFile(path) as zf:
            check_archive(path, zf)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it ignores
            wb = load_workbook(path, read_only=True, data_only=True)
        try:
            sheets = []
            for ws in wb.worksheets:
                if skip_sheet(ws.title.strip()):
                    continue
                sheets.append(_read_sheet(wb, ws, name, budget))
            return sheets
        finally:
            wb.close()
    except InputError:
        raise
    except MemoryError:
        raise InputError(
            f"{name} is too large to read in memory; lower its size or raise the limits"
        ) from None
    except _CORRUPT as exc:
        raise _corrupt(name, exc) from None


def _read_sheet(wb: Any, ws: Any, name: str, budget: _Budget) -> SheetRows:
    where = f"{name} sheet {ws.title!r}"
    max_rows, max_cols = ROWS.value(), COLUMNS.value()
    member = getattr(ws, "_worksheet_path", None)
    refs = _scan(wb._archive, member, name, merges=True) if member else []
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # the declared dimension can claim XFD1048576: trust only real cells
    grid: list[list[Any]] = []
    controls, first_control = 0, 0
    for row in ws.iter_rows(values_only=True):
        if len(grid) >= max_rows:
            raise ROWS.exceeded(where, f"more than {max_rows:,} rows")
        if len(row) > max_cols:
            raise COLUMNS.exceeded(where, f"row {len(grid) + 1} reaches column {len(row):,}")
        budget.add(len(row))
        cells = list(row)
        for i, value in enumerate(cells):  # DEL and C1 controls are legal XML: never load them raw
            if isinstance(value, str) and CONTROL_RE.search(value):
                controls += len(CONTROL_RE.findall(value))
                first_control = first_control or len(grid) + 1
                cells[i] = CONTROL_RE.sub("", value)
        grid.append(cells)
    found: list[ReadWarning] = []
    if controls:
        found.append(
            (first_control, "control-characters", f"{controls} control character(s) removed from cells")
        )
    while grid and not any(c is not None and str(c).strip() for c in grid[-1]):
        grid.pop()  # trailing blank rows (formatting only) cost nothing further
    for ref in refs:  # a merged cell holds its value top-left only
        first, _, last = ref.partition(":")
        r1, c1 = _cell(first)
        r2, c2 = _cell(last or first)
        if c2 > max_cols:
            raise COLUMNS.exceeded(where, f"a merged range {ref} reaches column {c2:,}")
        if r1 > len(grid):
            continue  # a merge over blank rows only: nothing to fill
        top = grid[r1 - 1][c1 - 1] if c1 <= len(grid[r1 - 1]) else None
        for r in range(r1, min(r2, len(grid)) + 1):
            cells = grid[r - 1]
            if len(cells) < c2:
                budget.add(c2 - len(cells))
                cells.extend([None] * (c2 - len(cells)))
            budget.add(c2 - c1 + 1)
            for c in range(c1, c2 + 1):
                cells[c - 1] = top
    return SheetRows(ws.title, [(i, i, cells) for i, cells in enumerate(grid, start=1)], found)
