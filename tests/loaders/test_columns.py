"""One column vocabulary (data/columns.yaml) for every table, and --columns."""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.ingest import read_paths
from cli.main import app
from graphmodel.errors import InputError
from graphmodel.schema import ActionRecord
from loaders import tracker
from loaders.columns import match_columns, parse_columns_option, role_of, vocabulary

REAL = Path(__file__).parent / "real"


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("What we have committed to", "action"),
        ("Led by", "lead"),
        ("Timescal e", "due"),  # a word split by wrapping in a PDF
        ("Timescal\ne", "due"),
        ("timeframe", "due"),
        ("Planned completion", "due"),
        ("By when", "due"),
        ("RAG", "status"),
        ("achieved", "status"),
        ("Latest update", "progress"),
        ("Theme", "priority"),
        ("Domain", "priority"),
        ("Shared\nOutcome", "priority"),
        ("Success looks like", "measure"),
        ("What does success look like?", "measure"),
        ("Which partners are involved", "partners"),
        ("ap_text", "action"),
        ("Owner(s)", "lead"),
        ("Lead officer / organisation", "lead"),
        ("Responsibilty", "lead"),  # typo: matched fuzzily
        ("Ref", "reference"),
        ("Objectively Verifiable Indicators", "indicator"),
    ],
)
def test_header_roles(header: str, role: str) -> None:
    assert role_of(header) == role


@pytest.mark.parametrize(
    "text", ["Map youth provision open after school", "Police", "March 2020", "Colour", ""]
)
def test_data_cells_name_no_role(text: str) -> None:
    assert role_of(text) is None


def test_match_keeps_unrecognised_columns() -> None:
    cols = match_columns(["Ref", "Action", "Owner", "Colour", "", "Action"])
    assert cols.roles == {"reference": 0, "action": 1, "lead": 2}
    assert cols.unrecognised == {3: "Colour", 5: "Action"}  # a second Action column is kept too


def test_every_role_of_the_template_is_in_the_vocabulary() -> None:
    assert {
        "action",
        "lead",
        "partners",
        "due",
        "status",
        "progress",
        "priority",
        "measure",
        "reference",
    } <= set(vocabulary().roles)
    for name, _ in tracker.TEMPLATE_COLUMNS:
        assert role_of(name) == name.lower()


def test_columns_option_parsing() -> None:
    assert parse_columns_option('action=Description, lead="Which partners",status=RAG') == {
        "action": "Description",
        "lead": "Which partners",
        "status": "RAG",
    }
    with pytest.raises(InputError, match="unknown role 'colour'"):
        parse_columns_option("colour=Red")
    with pytest.raises(InputError, match="expected role=Header"):
        parse_columns_option("action")


def test_real_tracker_with_short_codes_maps_by_vocabulary() -> None:
    path = REAL / "sfws_actionplan_raw_2020.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    res = tracker.load(path)
    assert res.rows_read == res.rows_accounted and res.rejects == []
    actions = [r for r in res.records if isinstance(r, ActionRecord)]
    assert len(actions) == len(rows) == 71
    assert Counter(a.status for a in actions) == Counter(r["achieved"] for r in rows)
    pilot = actions[1]
    assert pilot.text == "Pilot project 'Actively Quitting' using physical activity as a diversion"
    assert pilot.status == "Red" and pilot.supports == ("Wellbeing programme",) and pilot.due == "S"
    assert pilot.props["measure"] == "Smokers will be referred from SSS to leisure provision"
    assert pilot.props["hic_label"] == "Working in partnership is the building block for success"
    assert pilot.props["January update"] == "Move to 2020/21 for discussion"


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_cli_columns_maps_an_unknown_tracker(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        "Thing to do,Who's on it,Colour,Month\nPaint the hall,Estates,Green,May 2025\n", encoding="utf-8"
    )
    store = str(tmp_path / "g.json")
    plain = _run("--store", store, "load", str(path), "--format", "json")
    assert plain.exit_code == 0
    assert json.loads(plain.stdout)["rows_accounted"] == 2 and json.loads(plain.stdout)["rejects"]
    mapped = _run(
        "--store",
        store,
        "load",
        str(path),
        "--replace",
        "--columns",
        "action=Thing to do,lead=Who's on it,status=Colour,due=Month",
        "--format",
        "json",
    )
    assert mapped.exit_code == 0, mapped.stderr
    report = json.loads(mapped.stdout)
    assert report["rejects"] == [] and report["counts"]["nodes"]["Action"] == 1
    bad = _run("--store", store, "load", str(path), "--columns", "colour=Colour")
    assert bad.exit_code == 2
    assert bad.stderr.strip().count("\n") == 0 and "unknown role 'colour'" in bad.stderr


def test_cli_loads_pdf_docx_html(tmp_path: Path) -> None:
    fixtures = Path(__file__).parent / "fixtures"
    store = str(tmp_path / "g.json")
    result = _run(
        "--store",
        store,
        "load",
        str(fixtures / "northfield_plan.pdf"),
        str(REAL / "sfws_action_plan_2022.docx"),
        str(REAL / "sfws_action_plan_2019.html"),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    docs = {d["document"]: d for d in report["documents"]}
    assert set(docs) == {"northfield_plan.pdf", "sfws_action_plan_2022.docx", "sfws_action_plan_2019.html"}
    assert docs["sfws_action_plan_2022.docx"]["loaders"]["blocks"]["rows_loaded"] == 88
    assert docs["northfield_plan.pdf"]["loaders"]["blocks"]["rows_loaded"] == 5
    assert report["rows_read"] == report["rows_accounted"]


def test_document_info_has_the_files_sha_and_extracted_lines(tmp_path: Path) -> None:
    pdf = Path(__file__).parent / "fixtures" / "northfield_plan.pdf"
    report = read_paths([pdf])
    (info,) = report.documents
    assert info.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
    # title, agreement line, header, and the five rows' lines (one wraps onto a second line)
    assert info.lines == 9
