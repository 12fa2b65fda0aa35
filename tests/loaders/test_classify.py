"""The block classifier (`loaders.classify`): one interpreter per unit, the decision in
the load report, nothing claimed twice, nothing silent; `load --strict`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.ingest import build, read_paths
from cli.main import app
from graphmodel.schema import ActionRecord, PriorityRecord
from loaders import load_model, load_text
from loaders.readers.text import read
from loaders.text import TextDocument, read_text_document

PLAIN_PLAN = (
    "Youth Safety Action Plan 2024-2026\n\n"
    "Strategic Priority\tActions\tOwner\tTimescale\n"
    "Keeping young people safe\tRun detached youth work in three parks\tYouth Service\tMarch 2025\n"
    "Keeping young people safe\tTrain school staff in contextual safeguarding\tEducation Safeguarding Team\t"
    "December 2024\n"
    "Early help\tOpen two family hubs\tEarly Help Service\tSeptember 2025\n"
)


def _doc(text: str, name: str = "plan.txt") -> TextDocument:
    return TextDocument.from_text(name, text)


def test_plain_four_column_plan_gives_each_action_once() -> None:
    results = load_text(_doc(PLAIN_PLAN))
    actions = [r for res in results for r in res.records if isinstance(r, ActionRecord)]
    assert sorted(a.text for a in actions) == [
        "Open two family hubs",
        "Run detached youth work in three parks",
        "Train school staff in contextual safeguarding",
    ]
    assert {a.text: a.leads for a in actions}["Train school staff in contextual safeguarding"] == (
        "Education Safeguarding Team",
    )
    by_loader = {res.loader: res for res in results}
    assert not [r for r in by_loader["action_plan"].records if isinstance(r, ActionRecord)]
    assert not [r for r in by_loader["strategy_plan"].records if isinstance(r, ActionRecord)]
    (decision,) = [d for d in by_loader["blocks"].decisions if d.unit == "table"]
    assert decision.kind == "action plan" and decision.records == 3
    assert decision.reason.startswith("table_actions:")
    for res in results:
        assert res.rows_read == res.rows_accounted


def test_seed_tables_stay_with_the_legacy_loaders() -> None:
    seed = Path(__file__).parents[2] / "data" / "002_bf875e7a520b882d.txt"
    results = load_text(read_text_document(seed))
    blocks = results[-1]
    assert not [r for r in blocks.records if isinstance(r, ActionRecord) and r.level == "action"]
    kinds = {d.reason for d in blocks.decisions if d.unit == "table" and d.kind == "action plan"}
    assert kinds == {"read by the action_plan loader"}  # the knife-crime plan tables
    assert any(d.kind == "packed strategy action plan" for d in blocks.decisions)


def test_unrecognised_document_warns_naming_what_was_found() -> None:
    text = (
        "Budget summary\n\nLine\tAmount\tVariance\nStaff\t£4m\t£0.2m\nPremises\t£1m\t£0.1m\n\n- one\n- two\n"
    )
    (res,) = [r for r in load_text(_doc(text, "budget.txt")) if r.loader == "blocks"]
    (w,) = [w for w in res.warnings if w.kind == "nothing-interpreted"]
    assert "1 tables, 2 list items" in w.message and "Line | Amount | Variance" in w.message
    assert {d.kind for d in res.decisions} == {"none"}


def test_decisions_are_in_the_load_report_json(tmp_path: Path) -> None:
    p = tmp_path / "review.md"
    p.write_text("# Review 2024\n\n## Key achievements\n\n- Opened a hub – On Track\n", encoding="utf-8")
    data = read_paths([p]).to_dict()
    (d,) = data["decisions"]
    assert (d["unit"], d["kind"], d["records"], d["line_start"]) == ("list", "progress review", 1, 5)


def test_strict_exits_2_and_leaves_the_store(tmp_path: Path) -> None:
    empty = tmp_path / "minutes.txt"
    empty.write_text("Minutes\n\nThe meeting opened at six and closed at seven.\n", encoding="utf-8")
    store = tmp_path / "g.json"
    runner = CliRunner()
    res = runner.invoke(app, ["--store", str(store), "load", "--strict", str(empty)])
    assert res.exit_code == 2, res.output
    assert "nothing interpreted from minutes.txt" in res.stderr
    assert res.stderr.strip().splitlines()[-1].startswith("error: --strict")
    assert not store.exists()
    res = runner.invoke(app, ["--store", str(store), "load", "--format", "json", str(empty)])
    assert res.exit_code == 0 and store.exists()
    assert "warning: nothing interpreted from minutes.txt" in res.stderr
    assert json.loads(res.stdout)["warnings"][0]["kind"] == "nothing-interpreted"


def test_document_node_keeps_its_glossary(tmp_path: Path) -> None:
    p = tmp_path / "paper.md"
    p.write_text(
        "# Paper\n\nThe Integrated Care Board (ICB) met.\n\n## Glossary\n\nA&E: Accident and Emergency\n",
        encoding="utf-8",
    )
    graph = build(read_paths([p]), infer=False).graph
    (doc,) = [n for n in graph.nodes() if n.kind == "Document"]
    assert doc.props["glossary"] == [
        {"term": "ICB", "expansion": "Integrated Care Board", "line": 3},
        {"term": "A&E", "expansion": "Accident and Emergency", "line": 7},
    ]


def test_tracker_with_every_row_rejected_is_not_silent(tmp_path: Path) -> None:
    csv = tmp_path / "tracker.csv"
    csv.write_text("ref,column_a,column_b\n1,Open the hub,Green\n2,Train staff,Amber\n", encoding="utf-8")
    report = read_paths([csv])
    assert report.empty_documents() == ["tracker.csv"]
    (w,) = [w for w in report.warnings() if w["kind"] == "nothing-interpreted"]
    assert "3 rows read, 3 rejected" in w["message"]  # the tracker counts its unrecognised header row too


def test_any_reader_model_goes_through_the_classifier(tmp_path: Path) -> None:
    """What a PDF/DOCX/HTML reader produces is read the same way (here a model made by
    the text reader): line loaders on its lines, then the classifier on its blocks."""
    p = tmp_path / "paper.md"
    p.write_text("# Paper\n\n## Our priorities\n\n- Safer streets\n- Healthy homes\n", encoding="utf-8")
    _, results = load_model(read(p))
    res = results[-1]
    assert res.loader == "blocks"
    assert [r.path[-1].name for r in res.records if isinstance(r, PriorityRecord)] == [
        "Safer streets",
        "Healthy homes",
    ]
    _, results = load_model(read(_write(tmp_path / "x.md", "# Minutes\n\nWe met.\n")))
    assert [w.kind for r in results for w in r.warnings] == ["nothing-interpreted"]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
