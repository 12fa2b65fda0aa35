"""Cost of reading trackers: a large honest XLSX, and hostile ones that describe huge grids.

    python -m benchmarks.bounded_input [--rows 20000]

Prints one line per case: seconds, peak Python memory (tracemalloc) and the outcome
(rows read, or the one-line refusal). Nothing is asserted: numbers for the README.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from graphmodel.errors import InputError
from loaders import tracker

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def honest_workbook(rows: int) -> bytes:
    """A tracker of ``rows`` actions in eight columns."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Actions")
    ws.append(["Strategy", "Priority", "Action", "Lead", "Partners", "Due", "Status", "Progress"])
    for i in range(rows):
        ws.append(
            [
                f"Plan {i % 7}",
                f"Theme {i % 31}",
                f"Deliver action number {i} with partners across the borough",
                f"Team {i % 13}",
                "Police, NHS",
                "March 2019",
                "Green",
                "On track",
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _edit(
    data: bytes, member: str, fn: Callable[[bytes], bytes], extra: dict[str, bytes] | None = None
) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info.filename, fn(body) if info.filename == member else body)
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def hostile_cases() -> dict[str, bytes]:
    small = honest_workbook(3)
    sheet = next(n for n in zipfile.ZipFile(io.BytesIO(small)).namelist() if "worksheets/" in n)
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    merge = b'</sheetData><mergeCells count="1"><mergeCell ref="A2:XFD1048576"/></mergeCells>'
    return {
        "one cell at XFD1048576": _edit(small, sheet, lambda b: b.replace(b"</sheetData>", far)),
        "merge over A2:XFD1048576": _edit(small, sheet, lambda b: b.replace(b"</sheetData>", merge)),
    }


def measure(name: str, data: bytes, folder: Path) -> None:
    path = folder / "case.xlsx"
    path.write_bytes(data)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        res = tracker.load(path)
        outcome = f"{res.rows_read} rows read, {len(res.records)} actions"
    except InputError as exc:
        outcome = f"refused: {exc}"
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 1048576
    tracemalloc.stop()
    print(f"{name:32} {len(data) / 1024:9.0f} KB {seconds:7.2f} s {peak:8.1f} MB peak  {outcome[:110]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        measure(f"honest tracker, {args.rows} rows", honest_workbook(args.rows), folder)
        for name, data in hostile_cases().items():
            measure(name, data, folder)


if __name__ == "__main__":
    main()
