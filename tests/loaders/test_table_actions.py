"""Table interpreter: action plans, trackers and indicator tables from any reader."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from graphmodel.errors import InputError
from graphmodel.schema import ActionRecord, LoadResult, PriorityRecord
from loaders import load_path
from loaders.readers import Block, BlockKind, Cell, DocumentModel, read_document
from loaders.table_actions import interpret_table, join_wrapped

FIXTURES = Path(__file__).parent / "fixtures"
REAL = Path(__file__).parent / "real"


def _actions(path: Path, **kw: object) -> list[ActionRecord]:
    results = load_path(path, **kw)
    for r in results:
        assert r.rows_read == r.rows_accounted, r.to_dict()
    return [rec for r in results for rec in r.records if isinstance(rec, ActionRecord)]


def _key(a: ActionRecord) -> tuple:
    return (a.text, a.leads, a.due, a.due_date, a.status, tuple(p.name for p in a.path))


def test_same_plan_as_docx_pdf_and_xlsx() -> None:
    # made by tests/loaders/fixtures/make_same_plan.py from one list of rows
    docx_, pdf, xlsx = (_actions(FIXTURES / f"northfield_plan.{ext}") for ext in ("docx", "pdf", "xlsx"))
    expected = [
        (
            "Open two family hubs in the north of the borough",
            ("Children's Services",),
            "March 2025",
            "2025-03-31",
            "Green",
            ("Early help",),
        ),
        (
            "Train fifty frontline staff in trauma-informed practice so that every school has a named "
            "practitioner",
            ("Public Health", "Children's Services"),
            "Q3 2024/25",
            "2024-12-31",
            "Amber",
            ("Early help",),
        ),
        (
            "Install knife bins at six locations",
            ("Community Safety",),
            "June 2025",
            "2025-06-30",
            "Complete",
            ("Safer streets",),
        ),
        ("Run weapon sweeps in parks each month", ("Police",), "Ongoing", None, "Green", ("Safer streets",)),
        (
            "Map youth provision open after school",
            ("Youth Service",),
            "December 2024",
            "2024-12-31",
            "Red",
            ("Safer streets",),
        ),
    ]
    for found in (docx_, pdf, xlsx):
        assert [_key(a) for a in found] == expected
    assert {a.source.page for a in pdf} == {1}
    # a merged Priority cell does not pull a row's citation up to the row above
    assert [a.source.line_start for a in docx_] == [4, 5, 6, 7, 8]
    assert pdf[1].source.line_start > pdf[0].source.line_end - 1


def test_real_plan_docx_and_xlsx_agree() -> None:
    d = _actions(REAL / "sfws_action_plan_2022.docx")
    x = _actions(REAL / "sfws_action_plan_2022.xlsx")
    assert len(d) == len(x) == 88
    assert [(a.text, a.supports, a.status) for a in d] == [(a.text, a.supports, a.status) for a in x]
    ecig = d[2]
    assert ecig.text == "3 - Promote e-cigarettes as a safer and healthier alternative to smoking"
    assert ecig.supports == ("Fire Service",) and ecig.status == "Complete"
    assert ecig.props["measure"].startswith("Increase in number of bed bound smokers using E-cigs")
    # "Description" is a second action-like column: kept, not dropped
    assert ecig.props["Description"].startswith("Promote e-cigarettes as a safer and healthier alternative")
    assert ecig.props["progress"].startswith("All WSCC services promote e-cigarettes")
    assert sum(a.status == "Complete" for a in d) == 52 and sum(a.status == "Incomplete" for a in d) == 36


def _docx_table(
    path: Path, header: list[str], rows: list[list[str]], title: str = "Westvale Wellbeing Plan"
) -> Path:
    d = docx.Document()
    d.add_heading(title, 0)
    t = d.add_table(rows=len(rows) + 1, cols=len(header))
    for j, h in enumerate(header):
        t.cell(0, j).text = h
    for i, row in enumerate(rows, start=1):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    d.save(str(path))
    return path


FOUR = ["Strategic Priority", "Actions", "Owner", "Timescale"]
FOUR_ROWS = [
    ["1. Prevention", "Launch a social prescribing service", "CCG", "April 2018"],
    ["", "Expand peer support groups", "Mind", "2018/19"],
    ["2. Recovery", "Open a crisis café", "SLaM", "December 2018"],
]


def test_plain_four_column_plan_gives_each_action_once(tmp_path: Path) -> None:
    path = _docx_table(tmp_path / "westvale.docx", FOUR, FOUR_ROWS)
    actions = _actions(path)
    assert [a.text for a in actions] == [
        "Launch a social prescribing service",
        "Expand peer support groups",
        "Open a crisis café",
    ]
    assert [a.leads for a in actions] == [("CCG",), ("Mind",), ("SLaM",)]
    assert [a.path[-1].name for a in actions] == ["1. Prevention", "1. Prevention", "2. Recovery"]
    assert actions[0].path[-1].level == "strategic_priority"
    assert {a.strategy for a in actions} == {"Westvale Wellbeing Plan"}
    # the same table as a web page
    html = tmp_path / "westvale.html"
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in FOUR_ROWS)
    html.write_text(
        "<h1>Westvale Wellbeing Plan</h1><table><tr>"
        + "".join(f"<th>{h}</th>" for h in FOUR)
        + f"</tr>{cells}</table>",
        encoding="utf-8",
    )
    assert [_key(a) for a in _actions(html)] == [_key(a) for a in actions]


def _model(header: list[str], rows: list[list[str]]) -> tuple[DocumentModel, Block]:
    lines = [" | ".join(header)] + [" | ".join(r) for r in rows]
    cells = [tuple(Cell(v, i + 2, i + 2) for v in r) for i, r in enumerate(rows)]
    block = Block(
        BlockKind.TABLE,
        1,
        len(lines),
        header=(tuple(Cell(h, 1, 1) for h in header),),
        rows=tuple(cells),
    )
    heading = Block(BlockKind.HEADING, 1, 1, "Performance report Q2", level=1)
    doc = DocumentModel(
        "perf.html", "html", "0" * 64, "utf-8", ("Performance report Q2", *lines), (heading, block)
    )
    return doc, block


def test_indicator_table_gives_one_action_per_indicator_with_rag_status() -> None:
    doc, block = _model(
        ["Indicator", "Target", "Actual", "RAG", "Commentary"],
        [
            ["Smoking at time of delivery", "8%", "9.1%", "Amber", "Improving"],
            ["", "", "", "", ""],
            ["Childhood immunisations (MMR2)", "95%", "88%", "Red", ""],
            ["", "", "12", "", ""],
        ],
    )
    res = LoadResult(doc.name, "tables")
    assert interpret_table(doc, block, res) == "indicators"
    actions = [r for r in res.records if isinstance(r, ActionRecord)]
    assert [(a.text, a.level, a.status, a.props["target"], a.props["actual"]) for a in actions] == [
        ("Smoking at time of delivery", "indicator", "Amber", "8%", "9.1%"),
        ("Childhood immunisations (MMR2)", "indicator", "Red", "95%", "88%"),
    ]
    assert actions[0].props["progress"] == "Improving"
    # every row accounted: two loaded, one blank, one rejected with its reason
    assert (res.rows_read, res.rows_loaded, res.rows_structural, len(res.rejects)) == (4, 2, 1, 1)
    assert res.rejects[0].reason == "row has no indicator text"


def test_sections_unrecognised_columns_and_rejects() -> None:
    doc, block = _model(
        ["What we will do", "Led by", "By when", "Colour code"],
        [
            ["Theme A: homes", "Theme A: homes", "Theme A: homes", "Theme A: homes"],
            ["Build 200 homes", "Housing, Planning", "2027", "blue"],
            ["", "Housing", "2028", ""],
            ["What we will do", "Led by", "By when", "Colour code"],
        ],
    )
    res = LoadResult(doc.name, "tables")
    assert interpret_table(doc, block, res) == "action plan"
    (section,) = [r for r in res.records if isinstance(r, PriorityRecord)]
    assert section.path[-1].name == "Theme A: homes" and section.path[-1].level == "section"
    (action,) = [r for r in res.records if isinstance(r, ActionRecord)]
    assert action.leads == ("Housing", "Planning") and action.due_date == "2027-12-31"
    assert action.path == section.path and action.strategy == "Performance report Q2"
    assert action.props["Colour code"] == "blue"  # a column of no role is kept
    assert (res.rows_loaded, res.rows_structural, len(res.rejects)) == (2, 1, 1)
    assert res.rejects[0].reason == "row has no action text" and res.rejects[0].line == 4


def test_tables_that_are_not_plans_count_nothing() -> None:
    doc, block = _model(["Abbreviation", "Meaning"], [["CCG", "Clinical Commissioning Group"]])
    res = LoadResult(doc.name, "tables")
    assert interpret_table(doc, block, res) is None
    assert res.rows_read == 0 and res.records == []
    # a user mapping makes an unknown table an action plan
    doc, block = _model(["Thing to do", "Who's on it"], [["Paint the hall", "Estates"]])
    assert interpret_table(doc, block, res) is None
    assert (
        interpret_table(doc, block, res, columns={"action": "Thing to do", "lead": "Who's on it"})
        == "action plan"
    )
    assert [r.leads for r in res.records if isinstance(r, ActionRecord)] == [("Estates",)]


def test_join_wrapped() -> None:
    assert join_wrapped("Corporate Lead-\nStrategy") == "Corporate Lead- Strategy"
    assert join_wrapped("Performance/P\nH Consultant") == "Performance/PH Consultant"
    assert join_wrapped("Mar\n2026") == "Mar 2026"
    assert join_wrapped("self-\nharm admission") == "self-harm admission"


def test_encrypted_pdf_is_refused() -> None:
    with pytest.raises(InputError, match="encrypted PDF"):
        read_document(FIXTURES / "encrypted.pdf")


def test_a_table_whose_cells_arrived_interleaved_is_not_read_but_reported() -> None:
    """An "Action | Owner | Due by" table whose cells came one fragment per line and landed
    in the wrong columns (as in a board pack converted to Markdown: bullets and words of
    neighbouring columns in the action column) is reported, not loaded as fragments."""
    doc, block = _model(
        ["Action", "Owner", "Due by"],
        [
            ["•", "Performance Monitoring", "•"],
            ["Quality Strategy", "Medical Director", "Sept 25"],
            ["•", "Health Equity Strategy", "•"],
            ["Review the gaps in control relating to quality", "•", "Officer"],
            ["Officer", "(BC/QC)", "Q2 2025/26"],
            ["•", "Risk register report", "•"],
        ],
    )
    res = LoadResult(doc.name, "tables")
    assert interpret_table(doc, block, res) is None
    assert res.records == [] and res.rows_read == 0
    assert [w.kind for w in res.warnings] == ["unreadable-table"]


def test_terse_but_whole_actions_are_still_read() -> None:
    doc, block = _model(
        ["Action", "Owner", "Due by"],
        [
            ["Recruit two youth workers", "Youth Service", "March 2025"],
            ["Audit referrals", "Public Health", "June 2025"],
            ["Training", "Workforce team", "July 2025"],
            ["Open family hubs", "Early Help", "September 2025"],
            ["Publish the needs assessment", "Public Health", "December 2025"],
            ["Review commissioning", "Commissioning", "2026"],
        ],
    )
    res = LoadResult(doc.name, "tables")
    assert interpret_table(doc, block, res) == "action plan"
    assert len([r for r in res.records if isinstance(r, ActionRecord)]) == 6
    assert not res.warnings
