"""Hostile inputs (issue 18): bounded cost, one line for what cannot be read, and text
decoded or cleaned with a warning rather than loaded raw or refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tracemalloc
import zlib
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from graphmodel.schema import ActionRecord
from graphmodel.store import NetworkxStore
from loaders import load_text, tracker
from loaders.dates import parse_due
from loaders.text import TextDocument, read_text_document
from tests import hostile_xlsx as hx

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture()
def store(tmp_path: Path, tiny_graph) -> Path:
    path = tmp_path / "store" / "graph.json"
    NetworkxStore(path).write(tiny_graph)
    return path


def load(store: Path, *paths: Path):
    return runner.invoke(app, ["--store", str(store), "load", *map(str, paths), "--format", "json"])


def one_line_error(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    return json.loads(lines[0])["error"]


def loaded(result) -> dict:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    report = json.loads(result.stdout)
    assert report["rows_read"] == report["rows_accounted"]
    return report


def store_labels(store: Path) -> list[str]:
    return [n["label"] for n in json.loads(store.read_text(encoding="utf-8"))["nodes"]]


# ------------------------------------------------------------------ XLSX: bounded cost
def _peak_mb(fn) -> float:
    tracemalloc.start()
    try:
        fn()
    except Exception:  # the error is checked by the caller; here only memory counts
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / 1048576


@pytest.mark.parametrize(
    "name, edit, env",
    [
        (
            "far-cell",
            hx.before_sheetdata_end(
                '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
            ),
            "PARTNERMAP_MAX_ROWS",
        ),
        (
            "wide-row",
            hx.before_sheetdata_end('<row r="3"><c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row>'),
            "PARTNERMAP_MAX_COLUMNS",
        ),
        (
            "huge-merge",
            hx.after_sheetdata('<mergeCells count="1"><mergeCell ref="A2:XFD1048576"/></mergeCells>'),
            "PARTNERMAP_MAX_COLUMNS",
        ),
    ],
)
def test_xlsx_that_describes_a_huge_grid_is_one_line_in_bounded_memory(
    tmp_path: Path, store: Path, name: str, edit, env: str
) -> None:
    """A 5 KB file naming XFD1048576 (one far cell, one row reaching it, one merge over
    it) is refused naming the limit and its variable; reading it stays small."""
    book = hx.write(tmp_path / f"{name}.xlsx", hx.patched(hx.base_workbook(), {hx.SHEET: edit}))
    assert book.stat().st_size < 10_000
    before = store.read_bytes()
    error = one_line_error(load(store, book))
    assert env in error and "the limit is" in error
    assert store.read_bytes() == before
    assert _peak_mb(lambda: tracker.load(book)) < 64


def test_the_far_cell_loads_when_its_limit_is_raised(tmp_path: Path, monkeypatch) -> None:
    """Each limit is a setting, not a wall: with PARTNERMAP_MAX_COLUMNS raised the wide row
    loads (and the real action is there)."""
    edit = hx.before_sheetdata_end('<row r="3"><c r="XFD3" t="inlineStr"><is><t>far</t></is></c></row>')
    book = hx.write(tmp_path / "wide.xlsx", hx.patched(hx.base_workbook(), {hx.SHEET: edit}))
    monkeypatch.setenv("PARTNERMAP_MAX_COLUMNS", "20000")
    res = tracker.load(book)
    assert [r.text for r in res.records] == ["Run a survey"]
    assert any(r.reason == "row has no Action text" for r in res.rejects)  # the far cell's row


def test_shared_string_bomb_is_refused_before_inflating(tmp_path: Path, store: Path) -> None:
    """A ~100 KB zip whose shared strings inflate to 60 MB: refused from the zip directory."""
    big = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"><si><t>'
    big += b"A" * (60 * 1048576) + b"</t></si></sst>"
    data = hx.with_shared_strings(hx.base_workbook(), big, '<row r="3"><c r="A3" t="s"><v>0</v></c></row>')
    book = hx.write(tmp_path / "bomb.xlsx", data)
    assert book.stat().st_size < 200_000
    error = one_line_error(load(store, book))
    assert "PARTNERMAP_MAX_SHARED_STRINGS_MB" in error
    assert _peak_mb(lambda: tracker.load(book)) < 64


def test_uncompressed_size_limit(tmp_path: Path, store: Path, monkeypatch) -> None:
    book = hx.write(tmp_path / "t.xlsx", hx.base_workbook())
    monkeypatch.setenv("PARTNERMAP_MAX_XLSX_UNCOMPRESSED_MB", "0.001")
    assert "PARTNERMAP_MAX_XLSX_UNCOMPRESSED_MB" in one_line_error(load(store, book))


def test_too_many_merges(tmp_path: Path, store: Path, monkeypatch) -> None:
    merges = "".join(f'<mergeCell ref="C{r}:D{r}"/>' for r in range(1, 6))
    edit = hx.after_sheetdata(f'<mergeCells count="5">{merges}</mergeCells>')
    book = hx.write(tmp_path / "m.xlsx", hx.patched(hx.base_workbook(), {hx.SHEET: edit}))
    monkeypatch.setenv("PARTNERMAP_MAX_MERGES", "3")
    assert "PARTNERMAP_MAX_MERGES" in one_line_error(load(store, book))
    monkeypatch.setenv("PARTNERMAP_MAX_MERGES", "10")
    loaded(load(store, book))


def test_merged_cells_still_fill_their_rows(tmp_path: Path) -> None:
    """The bounded merge reader keeps what merges mean: a Strategy cell merged down three
    rows is the strategy of all three actions."""
    rows = [["Strategy", "Action", "Lead"], ["Safer Streets", "Patrol parks", "Police"]]
    rows += [["", "Light alleys", "Council"], ["", "Mentor pupils", "Schools"]]
    edit = hx.after_sheetdata('<mergeCells count="1"><mergeCell ref="A2:A4"/></mergeCells>')
    book = hx.write(tmp_path / "merged.xlsx", hx.patched(hx.base_workbook(rows), {hx.SHEET: edit}))
    res = tracker.load(book)
    assert [(r.strategy, r.text) for r in res.records] == [
        ("Safer Streets", "Patrol parks"),
        ("Safer Streets", "Light alleys"),
        ("Safer Streets", "Mentor pupils"),
    ]


# ------------------------------------------------------------------ XLSX: corrupt -> one line
def _bad_sst_index() -> bytes:
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>one</t></si></sst>'
    return hx.with_shared_strings(hx.base_workbook(), sst, '<row r="3"><c r="A3" t="s"><v>99</v></c></row>')


CORRUPT = {
    "bad-deflate": lambda: hx.corrupt_deflate(hx.base_workbook()),
    "malformed-xml": lambda: hx.patched(hx.base_workbook(), {hx.SHEET: lambda b: b[: len(b) // 2]}),
    "bad-shared-string-index": _bad_sst_index,
    "encrypted-flag": lambda: hx.set_encrypted_flag(hx.base_workbook()),
    "ole-password-protected": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000,
    "entity-declarations": lambda: hx.patched(
        hx.base_workbook(),
        {
            hx.SHEET: lambda b: (
                b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
                b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + b.replace(b"Council", b"&b;")
            )
        },
    ),
    "not-a-zip": lambda: b"PK\x03\x04this is not a workbook",
}


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_corrupt_xlsx_is_one_line(tmp_path: Path, store: Path, case: str) -> None:
    book = hx.write(tmp_path / f"{case}.xlsx", CORRUPT[case]())
    before = store.read_bytes()
    error = one_line_error(load(store, book))
    assert f"{case}.xlsx" in error
    assert store.read_bytes() == before


# ------------------------------------------------------------------ only regular files, sizes
def test_dev_zero_named_like_a_document_is_refused_at_once(tmp_path: Path, store: Path) -> None:
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    assert "not a regular file" in one_line_error(load(store, link))


def test_a_fifo_is_refused_without_hanging(tmp_path: Path, store: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "cli", "--store", str(store), "load", str(fifo)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "FIFO" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_fifo_in_a_folder_is_listed_as_skipped_never_opened(tmp_path: Path, store: Path) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "plan.txt").write_text(
        "Youth Plan 2018\n\nAction\tLead\tDue\nOpen a youth club.\tCouncil\tMarch 2019\n", encoding="utf-8"
    )
    os.mkfifo(folder / "pipe.txt")  # a supported suffix: only its kind keeps it out
    done = subprocess.run(  # opening the FIFO would block: the timeout fails the test instead
        [sys.executable, "-m", "cli", "--store", str(store), "load", str(folder), "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["skipped"] == [
        {"file": str(folder / "pipe.txt"), "reason": "a named pipe (FIFO), not a regular file"}
    ]
    assert [d["document"] for d in report["documents"]] == ["plan.txt"]


@pytest.mark.parametrize("value", ["nan", "inf", "-3", "lots"])
def test_bad_limit_settings_are_one_line(tmp_path: Path, store: Path, monkeypatch, value: str) -> None:
    doc = tmp_path / "plan.txt"
    doc.write_text("Action plan\n", encoding="utf-8")
    monkeypatch.setenv("PARTNERMAP_MAX_DOCUMENT_MB", value)
    error = one_line_error(load(store, doc))
    assert "PARTNERMAP_MAX_DOCUMENT_MB" in error and value in error


def test_csv_size_and_row_limits_name_their_variables(tmp_path: Path, store: Path, monkeypatch) -> None:
    sheet = tmp_path / "t.csv"
    sheet.write_text("Action,Lead\n" + "".join(f"Task {i},Council\n" for i in range(10)), encoding="utf-8")
    monkeypatch.setenv("PARTNERMAP_MAX_ROWS", "5")
    assert "PARTNERMAP_MAX_ROWS" in one_line_error(load(store, sheet))
    monkeypatch.setenv("PARTNERMAP_MAX_ROWS", "50")
    monkeypatch.setenv("PARTNERMAP_MAX_TRACKER_MB", "0.0001")
    assert "PARTNERMAP_MAX_TRACKER_MB" in one_line_error(load(store, sheet))
    monkeypatch.delenv("PARTNERMAP_MAX_TRACKER_MB")
    assert loaded(load(store, sheet))["rows_read"] == 11


# ------------------------------------------------------------------ decoding
PLAN = (
    "Action plan\n\nAction\tLead\tTimescale\nRun a knife crime survey in schools\tYouth Council\tMarch 2018\n"
)


@pytest.mark.parametrize(
    "encoding, bom",
    [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b""), ("utf-16-be", b"")],
)
def test_utf16_documents_are_decoded(tmp_path: Path, store: Path, encoding: str, bom: bytes) -> None:
    doc = tmp_path / "plan.md"
    doc.write_bytes(bom + ("Café plan — £5\n" + PLAN).encode(encoding))
    loaded(load(store, doc))
    assert "Run a knife crime survey in schools" in store_labels(store)
    assert read_text_document(doc).lines[0] == "Café plan — £5"


def test_mixed_utf8_and_cp1252_is_decoded_with_a_warning(tmp_path: Path, store: Path) -> None:
    doc = tmp_path / "mixed.txt"
    doc.write_bytes(
        "Café strategy (UTF-8)\n".encode() + "Budget £5m – agreed\n".encode("cp1252") + PLAN.encode()
    )
    report = loaded(load(store, doc))
    warning = next(w for w in report["warnings"] if w["kind"] == "mixed-encoding")
    assert warning["document"] == "mixed.txt" and warning["line"] == 2
    assert "Run a knife crime survey in schools" in store_labels(store)
    assert read_text_document(doc).lines[:2] == ("Café strategy (UTF-8)", "Budget £5m – agreed")


def test_control_characters_past_8kb_are_removed_with_a_warning(tmp_path: Path, store: Path) -> None:
    filler = "Background paragraph about the borough's services.\n" * 200  # > 8 KB
    doc = tmp_path / "late.txt"
    doc.write_text(filler + PLAN.replace("Run a knife", "Run\x00 a\x1b[31m kn\x07ife"), encoding="utf-8")
    report = loaded(load(store, doc))
    warning = next(w for w in report["warnings"] if w["kind"] == "control-characters")
    assert warning["line"] == 204 and "3 control" in warning["message"]
    text = store.read_text(encoding="utf-8")
    assert "\\u0000" not in text and "\\u001b" not in text and "\\u0007" not in text
    assert "Run a[31m knife crime survey in schools" in store_labels(store)


def test_csv_with_an_unterminated_quote_is_reported_with_its_line(tmp_path: Path, store: Path) -> None:
    sheet = tmp_path / "t.csv"
    sheet.write_text(
        "Action,Lead,Due,Status\n"
        'Run a survey,Council,March 2018,Green\n"Train staff,NHS,June 2018,Amber\n'
        "Open a hub,Police,May 2019,Red\nMap activities,Council,July 2019,Green\n",
        encoding="utf-8",
    )
    report = loaded(load(store, sheet))
    warning = next(w for w in report["warnings"] if w["kind"] == "unterminated-quote")
    assert warning["line"] == 3 and "line 3" in warning["message"]


# ------------------------------------------------------------------ dates
@pytest.mark.parametrize("text", ["Q5 2018/19", "Q0 17/18", "Q9 2019", "quarter 7 2018/19"])
def test_impossible_quarters_are_not_dates(text: str) -> None:
    assert parse_due(text) is None


def test_two_digit_years_are_read_near_the_document_date() -> None:
    assert parse_due("31/12/99", near=2017) == "1999-12-31"
    assert parse_due("31/12/99") == "1999-12-31"  # near today, not 2099
    assert parse_due("March 18", near=2017) == "2018-03-31"
    assert parse_due("Q3 99/00", near=1999) == "1999-12-31"
    assert parse_due("Q4 17/18") == "2018-03-31"  # real quarters unchanged


def _dated_paper(year: int, dues: list[str]) -> TextDocument:
    """A made-up board paper dated in ``year`` with one action per due cell."""
    rows = [f"Action {i} for young people.\tCouncil\t{due}\tStarted." for i, due in enumerate(dues)]
    head = ["Health and Wellbeing Board", f"Tuesday 5 September {year}", "", f"Youth Plan {year}", ""]
    return TextDocument.from_text("paper.txt", "\n".join([*head, "Action\tLead\tDue\tProgress", *rows, ""]))


def test_loaders_read_two_digit_years_near_the_papers_own_date() -> None:
    # A 1972 paper's "31/03/75" is 1975 (near today it would read as 2075).
    old = load_text(_dated_paper(1972, ["31/03/75"]))
    assert [a.due_date for r in old for a in r.records if isinstance(a, ActionRecord)] == ["1975-03-31"]
    # A 2017 paper: a day in 2019, a financial quarter unaffected, "99" is 1999, never 2099.
    new = load_text(_dated_paper(2017, ["31/03/19", "Q4 2018/19", "31/12/99"]))
    dues = [a.due_date for r in new for a in r.records if isinstance(a, ActionRecord)]
    assert dues == ["2019-03-31", "2019-03-31", "1999-12-31"]
    # the paper's year applies only while it loads
    assert parse_due("31/03/75") == parse_due("31/03/75", near=date.today().year)


# ------------------------------------------------------------------ Neo4j settings
def test_http_uri_is_one_line_and_hides_the_password(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "http://bob:s3cr3tpw@localhost:7474")
    result = runner.invoke(app, ["--backend", "neo4j", "stats"])
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Bolt URI" in lines[0] and "Traceback" not in result.output
    assert "s3cr3tpw" not in result.output + result.stderr


_NOISY_DRIVER = """
import logging, sys
from neo4j import GraphDatabase, exceptions

def noisy_driver(*_a, **_k):
    logging.getLogger("neo4j.io").warning("[#0000] _: <CONNECTION> Failed to read from defunct connection")
    raise exceptions.ServiceUnavailable("Failed to establish connection")

GraphDatabase.driver = noisy_driver
sys.argv = ["partnermap", "--backend", "neo4j", "stats"]
from cli.main import main
main()
"""


def test_driver_log_lines_do_not_precede_the_one_line_error() -> None:
    """The driver logs connection trouble at WARNING; with no logging configured Python
    prints it to stderr before our sentence (run as a real process: pytest's own log
    capture would hide it)."""
    done = subprocess.run(
        [sys.executable, "-c", _NOISY_DRIVER],
        cwd=REPO,
        env={**os.environ, "NEO4J_URI": "bolt://127.0.0.1:1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert done.returncode == 3 and len(lines) == 1, done.stderr
    assert "defunct" not in done.stderr


def test_zlib_is_what_rejects_a_bad_deflate() -> None:
    """(The bad-deflate case above is real: the corrupted member does not inflate.)"""
    import io
    import zipfile

    data = hx.corrupt_deflate(hx.base_workbook())
    with pytest.raises((zlib.error, zipfile.BadZipFile)):
        zipfile.ZipFile(io.BytesIO(data)).read(hx.SHEET)


def test_xlsx_cells_lose_control_characters_with_a_warning(tmp_path: Path) -> None:
    """XML forbids most control characters but allows DEL and the C1 range: a cell
    holding them is loaded without them, and the load report says so."""
    edit = lambda b: b.replace(b"Run a survey", "Run\x85 a\x7f survey\x9b[31m".encode())  # noqa: E731
    book = hx.write(tmp_path / "ctl.xlsx", hx.patched(hx.base_workbook(), {hx.SHEET: edit}))
    res = tracker.load(book)
    assert [r.text for r in res.records] == ["Run a survey[31m"]
    warning = next(w for w in res.warnings if w.kind == "control-characters")
    assert warning.line == 2 and "3 control" in warning.message
