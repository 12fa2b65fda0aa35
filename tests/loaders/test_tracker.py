"""Tracker loader (CSV / XLSX) and the blank template."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from graphmodel.errors import InputError
from graphmodel.schema import ActionRecord, LoadResult
from loaders import load_path, tracker


def _actions(path: Path) -> tuple[list[ActionRecord], LoadResult]:
    res = tracker.load(path)
    assert res.rows_read == res.rows_accounted, res.to_dict()
    return [r for r in res.records if isinstance(r, ActionRecord)], res


def _workbook(
    path: Path, rows: list[list[object]], merges: tuple[str, ...] = (), title: str = "Tracker"
) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def test_xlsx_title_rows_merged_cells_blank_rows_and_dates(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "kc.xlsx",
        [
            ["Serious Violence Action Tracker 2019/20"],  # 1 title
            ["Updated monthly by the community safety team"],  # 2 title
            [],  # 3 blank
            [
                "Programme",
                "Workstream",
                "Action",
                "Responsible",
                "Support",
                "Deadline",
                "RAG",
                "Comments",
            ],  # 4 header
            [
                "Serious Violence Plan",
                "Prevention",
                "Map youth provision",
                "LBS CS&P",
                "Youth Council, SASH",
                datetime(2019, 12, 31),
                "Amber",
                "Mapping started",
            ],  # 5
            [
                None,
                None,
                "Refer young people to CAMHS",
                "Police in conjunction with SLaM",
                None,
                "March 2020",
                "Green",
                None,
            ],  # 6 (merged A5:A7, B5:B6)
            [None, "Enforcement", "Weapon sweeps", "Police", None, "Ongoing", None, None],  # 7
            [],  # 8 blank
            [None, None, None, "LBS YOS", None, "April 2020", None, None],  # 9 no action
        ],
        merges=("A5:A7", "B5:B6"),
    )
    actions, res = _actions(path)
    assert [a.text for a in actions] == [
        "Map youth provision",
        "Refer young people to CAMHS",
        "Weapon sweeps",
    ]
    first, second, third = actions
    assert first.strategy == second.strategy == third.strategy == "Serious Violence Plan"
    assert [p.name for p in second.path] == ["Prevention"]  # merged B5:B6
    assert second.path[0].level == "workstream"
    assert [p.name for p in third.path] == ["Enforcement"]
    assert first.leads == ("LBS CS&P",) and first.supports == ("Youth Council", "SASH")
    assert second.leads == ("Police",) and second.supports == ("SLaM",)
    assert first.due == "2019-12-31" and first.due_date == "2019-12-31"  # an Excel date
    assert second.due == "March 2020" and second.due_date == "2020-03-31"
    assert third.due == "Ongoing" and third.due_date is None
    assert first.status == "Amber" and third.status == "open"
    assert first.props["progress"] == "Mapping started"
    assert (first.source.document, first.source.line_start) == ("kc.xlsx", 5)
    assert [(r.line, r.reason) for r in res.rejects] == [(9, "row has no Action text")]
    assert res.rows_structural == 4 + 1  # rows 1-4, blank row 8
    assert res.rows_read == 9


def test_csv_semicolon_cp1252_and_missing_strategy_column(tmp_path: Path) -> None:
    path = tmp_path / "youth_tracker.csv"
    path.write_bytes(
        "Youth plan – actions\r\nTheme;Task;Owner;By when;Status;Update\r\n"
        "Prevention;Café outreach, weekly;Youth & Play Service;Q3 2019/20;Red;"
        "Delayed\r\n;;;;;\r\n".encode("cp1252")
    )
    actions, res = _actions(path)
    assert len(actions) == 1
    a = actions[0]
    assert a.text == "Café outreach, weekly"  # comma inside a cell: the header decides
    assert a.strategy == "youth_tracker"  # no Strategy column: the file's stem
    assert a.leads == ("Youth & Play Service",)
    assert a.due_date == "2019-12-31" and a.status == "Red"
    assert a.source.line_start == 3
    # title and header; the trailing empty row is formatting, not part of the table
    assert res.rows_structural == 2 and res.rows_read == 3


def test_csv_tab_utf8_bom_repeated_header(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "\ufeffStrategy\tAction\tLead\tPartners\tDue date\n"
        "MH\tExpand IAPT\tCCG\tSLaM; VCS\t2018/19\n"
        "Strategy\tAction\tLead\tPartners\tDue date\n"
        "MH\tReview Place of Safety\tSLaM\t\tnext year\n",
        encoding="utf-8",
    )
    actions, res = _actions(path)
    assert [a.text for a in actions] == ["Expand IAPT", "Review Place of Safety"]
    assert actions[0].supports == ("SLaM", "VCS")
    assert actions[0].due_date == "2019-03-31"
    assert res.rows_structural == 2  # header and its repeat
    assert "no-date" in {w.kind for w in res.warnings}  # "next year" is not a date


def test_no_header_rejects_every_row(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("Name,Phone\nAlice,123\n", encoding="utf-8")
    actions, res = _actions(path)
    assert actions == [] and len(res.rejects) == 2
    assert {w.kind for w in res.warnings} == {"no-header"}


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Owner", "lead"),
        ("Responsible", "lead"),
        ("Supporting", "partners"),
        ("Support", "partners"),
        ("Deadline", "due"),
        ("Due date", "due"),
        ("By when", "due"),
        ("Target date", "due"),
        ("RAG", "status"),
        ("Update", "progress"),
        ("Comments", "progress"),
        ("Theme", "priority"),
        ("Workstream", "priority"),
        ("Priority area", "priority"),
        ("Plan", "strategy"),
        ("Programme", "strategy"),
        ("ACTIONS", "action"),
        ("Lead (organisation)", "lead"),
    ],
)
def test_header_synonyms(header: str, role: str) -> None:
    cols = tracker.match_header(["Action", header] if role != "action" else [header, "Lead"])
    assert cols is not None and role in cols


def test_template_round_trip(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "tracker.xlsx"
    tracker.write_template(out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Actions", "Read me"]
    header = [c.value for c in wb["Actions"][1]]
    assert header == ["Strategy", "Priority", "Action", "Lead", "Partners", "Due", "Status", "Progress"]
    assert wb["Actions"]["A1"].font.bold and wb["Actions"].max_row == 1  # no example rows
    readme = {r[0]: r[1] for r in wb["Read me"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert set(readme) == set(header)
    actions, res = _actions(out)
    assert actions == [] and res.rejects == [] and res.warnings == []
    # filled in, it loads
    ws = wb["Actions"]
    ws.append(
        [
            "KC plan",
            "Prevention",
            "Run a knife crime conference",
            "SSCB, SSAB",
            None,
            "September 2018",
            "Green",
            None,
        ]
    )
    wb.save(out)
    actions, _ = _actions(out)
    assert len(actions) == 1 and actions[0].leads == ("SSCB", "SSAB")


def test_template_command(tmp_path: Path) -> None:
    from cli.main import app

    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(app, ["template", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [r.loader for r in load_path(out)] == ["tracker"]


def test_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="XLSX"):
        tracker.load(bad)
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        tracker.load(empty)


def test_csv_bytes_go_through_the_document_decoder(tmp_path: Path) -> None:
    """CSV and text documents share one decoder (loaders.text.decode_bytes): control bytes
    that no spreadsheet writes are refused as binary, with the tracker named as such."""
    noise = tmp_path / "noise.csv"
    noise.write_bytes(b"Action,Lead\n" + bytes(range(1, 9)) * 40 + b"\n")
    with pytest.raises(InputError, match=r"noise\.csv is a binary file, not a CSV tracker"):
        tracker.load(noise)
    late_nul = tmp_path / "late.csv"
    late_nul.write_bytes(b"Action,Lead\n" + b"Run the survey,Police\n" * 300 + b"\x00")
    assert len(late_nul.read_bytes()) > 4096  # the tracker's own decoder looked at 4 KiB only
    with pytest.raises(InputError, match="binary file, not a CSV tracker"):
        tracker.load(late_nul)
