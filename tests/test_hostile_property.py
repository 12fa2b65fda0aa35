"""Property tests: generated hostile XLSX and CSV trackers end in a loaded, fully
accounted table or one `InputError` sentence, in bounded memory, never a traceback.

Hostile here means: cells anywhere up to ``XFD1048576``, merged ranges of any size
(overlapping too), shared strings with out-of-range indexes, any text encoding, and
control characters and markup in cells. Example counts are small so this runs in
seconds; the limits are lowered (through their environment variables) for the same
reason, which also exercises each limit's error.
"""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path
from unittest import mock
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from graphmodel.errors import InputError
from loaders import tracker
from tests import hostile_xlsx as hx

LIMITS = {"PARTNERMAP_MAX_ROWS": "2000", "PARTNERMAP_MAX_COLUMNS": "200", "PARTNERMAP_MAX_CELLS": "200000"}
MEMORY_MB = 80
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _column(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


CONTROLS = st.sampled_from("\x00\x01\x1b\x7f\ufeff")
cell_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)) | CONTROLS, max_size=30)
coords = st.tuples(st.integers(1, 1_048_576) | st.integers(1, 30), st.integers(1, 16_384) | st.integers(1, 8))


def _range(a: tuple[int, int], b: tuple[int, int]) -> str:
    """``A1:B2``-style range spanned by two (row, column) corners."""
    top, bottom = min(a[0], b[0]), max(a[0], b[0])
    left, right = min(a[1], b[1]), max(a[1], b[1])
    return f"{_column(left)}{top}:{_column(right)}{bottom}"


def _check(path: Path) -> None:
    """Load ``path``: a fully accounted result or one sentence; peak memory bounded."""
    tracemalloc.start()
    try:
        with mock.patch.dict(os.environ, LIMITS):
            try:
                res = tracker.load(path)
            except InputError as exc:
                message = str(exc)
                assert message and "\n" not in message and "Traceback" not in message
                event(f"refused: {message.split(':')[-1].split(';')[0][:40]}")
            else:
                assert res.rows_read == res.rows_accounted
                event(f"loaded ({'some' if res.records else 'no'} actions)")
        peak = tracemalloc.get_traced_memory()[1] / 1048576
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_MB, f"{peak:.0f} MB"


@SETTINGS
@given(
    cells=st.lists(st.tuples(coords, cell_text), max_size=12),
    merges=st.lists(st.tuples(coords, coords), max_size=4),
    shared=st.lists(cell_text, max_size=5),
    shared_refs=st.lists(st.tuples(coords, st.integers(-2, 8)), max_size=4),
)
def test_hostile_xlsx_loads_or_is_one_line(tmp_path_factory, cells, merges, shared, shared_refs) -> None:
    rows: dict[int, list[str]] = {}
    for (r, c), text in cells:
        ref = f"{_column(c)}{r}"
        rows.setdefault(r, []).append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>')
    for (r, c), idx in shared_refs:
        rows.setdefault(r, []).append(f'<c r="{_column(c)}{r}" t="s"><v>{idx}</v></c>')
    body = "".join(f'<row r="{r}">{"".join(cs)}</row>' for r, cs in sorted(rows.items()) if r > 2)
    merge_xml = "".join(f'<mergeCell ref="{_range(a, b)}"/>' for a, b in merges)
    data = hx.base_workbook()
    edits = {hx.SHEET: hx.before_sheetdata_end(body)}
    if merge_xml:
        data = hx.patched(data, {hx.SHEET: hx.after_sheetdata(f"<mergeCells>{merge_xml}</mergeCells>")})
    sst = "".join(f"<si><t>{escape(s)}</t></si>" for s in shared)
    sst_xml = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sst}</sst>'.encode()
    data = hx.with_shared_strings(data, sst_xml, "") if shared or shared_refs else data
    data = hx.patched(data, edits)
    path = tmp_path_factory.mktemp("x") / "hostile.xlsx"
    path.write_bytes(data)
    _check(path)


@SETTINGS
@given(
    rows=st.lists(st.lists(cell_text, max_size=6), max_size=15),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "mixed"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    quote_damage=st.booleans(),
)
def test_hostile_csv_loads_or_is_one_line(tmp_path_factory, rows, encoding, delimiter, quote_damage) -> None:
    lines = [delimiter.join(["Action", "Lead", "Due"])]
    lines += [delimiter.join(r) for r in rows]
    if quote_damage and len(lines) > 1:
        lines[1] = '"' + lines[1]
    text = "\n".join(lines) + "\n"
    if encoding == "mixed":
        half = len(text) // 2
        data = text[:half].encode("utf-8", "replace") + text[half:].encode("cp1252", "replace")
    else:
        data = text.encode(encoding, "replace")
    path = tmp_path_factory.mktemp("c") / "hostile.csv"
    path.write_bytes(data)
    _check(path)
