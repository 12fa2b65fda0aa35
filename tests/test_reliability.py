"""The rest of the bad-input matrix, end-to-end injection, and repeatability with trackers.

Each bad input gives one clear error line or a loaded graph with the problem rows
reported; never a traceback; a failed load leaves the previous store byte-for-byte.
(Empty, binary, cp1252, BOM/CRLF, mixed directories and store files are covered in
test_bad_input.py, test_store.py and test_cli.py.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from cli.main import app
from graphmodel.store import NetworkxStore

runner = CliRunner()

# Columns of a knife-crime-style action plan (tab-separated, as committee papers export).
KC_HEADER = (
    "Priority Area – Prevention\tSub Area\tActions\tSub-Objective\tLead\tAgency Outcome"
    "\tResource\tOperational Outcome\tExpected Completion Date\tProgress to Date"
)


def load(store: Path, *paths: Path):
    return runner.invoke(app, ["--store", str(store), "load", *map(str, paths), "--format", "json"])


def loaded(result) -> dict:
    """The JSON load report of a successful load, checked for full accounting."""
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    report = json.loads(result.stdout)
    assert report["rows_read"] == report["rows_accounted"]
    return report


def one_line_error(result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    return json.loads(lines[0])["error"]


def actions(store: Path) -> dict[str, dict]:
    """Actions in the store by text."""
    data = json.loads(store.read_text(encoding="utf-8"))
    return {n["props"].get("text", n["label"]): n for n in data["nodes"] if n["kind"] == "Action"}


def warnings_at(report: dict, kind: str) -> list[int]:
    return sorted(w["line"] for w in report["warnings"] if w["kind"] == kind)


@pytest.fixture()
def store(tmp_path: Path, tiny_graph) -> Path:
    path = tmp_path / "store" / "graph.json"
    NetworkxStore(path).write(tiny_graph)
    return path


# ------------------------------------------------------------------ text tables


def test_table_with_a_missing_lead_column_loads_and_reports_each_row(tmp_path: Path) -> None:
    doc = tmp_path / "plan.txt"
    doc.write_text(
        "Youth Violence Action Plan 2018-2020\n"
        "Priority Area – Prevention\tActions\tSub-Objective\tExpected Completion Date\n"
        "Engage young people\tRun a survey\tDesign the survey.\tOctober 2018\n"
        "\t\tPilot the survey in four schools.\tMarch 2019\n",
        encoding="utf-8",
    )
    store = tmp_path / "g.json"
    report = loaded(load(store, doc))
    acts = actions(store)
    assert {"Design the survey.", "Pilot the survey in four schools."} <= acts.keys()
    assert acts["Pilot the survey in four schools."]["props"]["due_date"] == "2019-03-31"
    assert warnings_at(report, "no-lead") == [3, 4]  # the missing column is reported per row


def test_ragged_rows_keep_their_text_and_are_reported(tmp_path: Path) -> None:
    doc = tmp_path / "plan.txt"
    doc.write_text(
        "Youth Violence Action Plan 2018-2020\n" + KC_HEADER + "\n"
        # one cell too many: the extra text must not vanish
        "Engage\tSchools\tWork with schools\tRun assemblies.\tPolice\tDone\tCouncil"
        "\tAll schools reached\tMarch 2019\tOn track\tsee appendix B\n"
        # far too few cells
        "\t\t\tVisit youth clubs.\n",
        encoding="utf-8",
    )
    store = tmp_path / "g.json"
    report = loaded(load(store, doc))
    acts = actions(store)
    assemblies = acts["Run assemblies."]
    assert assemblies["props"]["due_date"] == "2019-03-31"
    assert "see appendix B" in json.dumps(assemblies)  # kept, not dropped
    assert 3 in warnings_at(report, "shifted-cells")
    assert "Visit youth clubs." in acts
    assert 4 in warnings_at(report, "no-lead")


def test_unbalanced_html_tags_do_not_leak_into_the_graph(tmp_path: Path) -> None:
    doc = tmp_path / "plan.txt"
    doc.write_text(
        "Youth Violence Action Plan 2018-2020\n" + KC_HEADER + "\n"
        "<p>Engage\t<ul><li>Schools\tWork with schools</p></p>\t<p>Run assemblies."
        "\tPolice</li>\tDone\tCouncil\t<ul>Reached\tMarch 2019\t<div>On track\n"
        "</li></ul></p><p\n",
        encoding="utf-8",
    )
    store = tmp_path / "g.json"
    loaded(load(store, doc))
    acts = actions(store)
    assert "Run assemblies." in acts, acts.keys()
    node = acts["Run assemblies."]
    assert node["props"]["due_date"] == "2019-03-31"
    assert "<" not in node["label"]


def test_document_over_the_size_limit_is_one_line_error(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARTNERMAP_MAX_DOCUMENT_MB", "0.001")  # 1 KB
    doc = tmp_path / "huge.txt"
    doc.write_text("Action plan line\n" * 200, encoding="utf-8")
    before = store.read_bytes()
    assert "the limit is" in one_line_error(load(store, doc))
    assert store.read_bytes() == before


def _big_document(path: Path, megabytes: int) -> None:
    """A realistic big paper: a knife-crime table and prose, repeated."""
    block = (
        "\n".join(
            [
                "Knife Crime and Knife Carrying Action Plan 2017 - 2019",
                "",
                KC_HEADER,
                "Engagement with young people is essential.\tConsultation with young people\t"
                "To put young people at the centre of the plan.\tKnife crime is a priority for the "
                "Youth Council.\tYouth Council\tKnife is a regular agenda item.\tCouncil\tAction plan "
                "includes young people's perspective.\tOngoing\t",
                "\t\tKnife carrying survey to be developed.\tDevelop and design survey.\tSASH Youth "
                "Council\tQuestionnaire drafted.\tCouncil\tQuestionnaire piloted in 4 schools.\t"
                "October 2017\t",
                "\t\t\tCollation and analysis of pilot survey results.\tLBS CS&P\tEvaluation of survey."
                "\tCouncil\tSurvey methodology established.\tMarch 2018\t",
                "",
                "The Wellbeing Hub, IAPT and CAMHS worked with the Police and schools this year to "
                "reduce the number of young people carrying knives, as the Suicide Prevention "
                "Strategy and the Five Year Forward View for Mental Health set out.",
                "",
            ]
        )
        + "\n"
    )
    data = block.encode("utf-8")
    with path.open("wb") as f:
        for _ in range(megabytes * 1024 * 1024 // len(data) + 1):
            f.write(data)


@pytest.mark.slow
def test_fifty_megabyte_document_loads_or_is_refused_within_a_minute(tmp_path: Path, store: Path) -> None:
    doc = tmp_path / "big.txt"
    _big_document(doc, 50)
    before = store.read_bytes()
    cmd = [sys.executable, "-m", "cli", "--store", str(store), "load", str(doc), "--format", "json"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    except subprocess.TimeoutExpired:
        assert store.read_bytes() == before  # killed mid-load: the store is untouched
        pytest.fail("loading a 50 MB document took more than 60 s")
    assert "Traceback" not in proc.stderr
    if proc.returncode == 2:  # refused: one clear line, store untouched
        assert len(proc.stderr.strip().splitlines()) == 1
        assert store.read_bytes() == before
    else:
        assert proc.returncode == 0, proc.stderr
        report = json.loads(proc.stdout)
        assert report["rows_read"] == report["rows_accounted"]


# ------------------------------------------------------------------ trackers


def _tracker_xlsx(path: Path) -> None:
    """A tracker with a merged title, merged Strategy/Priority cells and blank rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Actions"
    ws.append(["Partnership action tracker 2018"])  # row 1, merged across the table
    ws.merge_cells("A1:F1")
    ws.append([])  # 2
    ws.append(["Plan", "Theme", "Action", "Owner", "By when", "RAG"])  # 3
    ws.append(
        ["Youth Violence Plan", "Diversion", "Run holiday sports sessions", "Council", "August 2018", "Green"]
    )  # 4
    ws.append([None, None, "Fund detached youth work", "Council, Police", None, "Amber"])  # 5
    ws.merge_cells("A4:A5")
    ws.merge_cells("B4:B5")
    ws.append([])  # 6
    ws.append([])  # 7
    ws.append([None, "Enforcement", "Weapon sweeps near schools", "Police", "March 2019", None])  # 8
    ws.append([None, "Enforcement", None, "Police", None, None])  # 9: no action
    ws.append([])
    ws.append([])
    wb.save(path)


def test_xlsx_with_merged_cells_and_blank_rows(tmp_path: Path) -> None:
    book = tmp_path / "tracker.xlsx"
    _tracker_xlsx(book)
    store = tmp_path / "g.json"
    report = loaded(load(store, book))
    acts = actions(store)
    assert set(acts) == {
        "Run holiday sports sessions",
        "Fund detached youth work",
        "Weapon sweeps near schools",
    }
    assert [r["line"] for r in report["rejects"]] == [9]
    data = json.loads(store.read_text(encoding="utf-8"))
    names = {n["id"]: n["label"] for n in data["nodes"]}
    part_of = {names[e["source"]]: names[e["target"]] for e in data["edges"] if e["kind"] == "PART_OF"}
    # the merged Strategy/Priority cells reach row 5; the blank rows do not break the table
    assert part_of["Fund detached youth work"] == "Diversion"
    assert part_of["Weapon sweeps near schools"] == "Enforcement"
    assert part_of["Diversion"] == part_of["Enforcement"] == "Youth Violence Plan"
    assert acts["Weapon sweeps near schools"]["source"]["line_start"] == 8


def test_csv_with_ragged_rows_and_a_missing_column(tmp_path: Path) -> None:
    sheet = tmp_path / "tracker.csv"
    sheet.write_text(
        "Action,Owner,Due\n"
        "Map youth provision,Council,June 2018\n"
        "Train youth workers\n"  # short row
        "Refer young people to CAMHS,SLaM,December 2018,Green,see note\n"  # long row
        ",Police,\n",
        encoding="utf-8",
    )  # no action
    store = tmp_path / "g.json"
    report = loaded(load(store, sheet))
    assert set(actions(store)) == {
        "Map youth provision",
        "Train youth workers",
        "Refer young people to CAMHS",
    }
    assert [r["line"] for r in report["rejects"]] == [5]
    assert warnings_at(report, "no-lead") == [3]
    assert warnings_at(report, "extra-cells") == [4]  # the cells past the header are reported


def test_corrupt_xlsx_is_one_line_error(tmp_path: Path, store: Path) -> None:
    book = tmp_path / "tracker.xlsx"
    book.write_bytes(b"PK\x03\x04this is not a workbook")
    before = store.read_bytes()
    assert "not a readable XLSX" in one_line_error(load(store, book))
    assert store.read_bytes() == before


@pytest.mark.parametrize("content", ["{truncated", '{"schema": "partnermap/7", "nodes": [], "edges": []}'])
def test_load_into_a_corrupt_or_future_store_changes_nothing(
    tmp_path: Path, seed_paths: list[Path], content: str
) -> None:
    path = tmp_path / "graph.json"
    path.write_text(content, encoding="utf-8")
    one_line_error(load(path, seed_paths[1]))
    assert path.read_text(encoding="utf-8") == content
    # no temp file left (the writers' lock file stays beside the store: deleting it would race)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".graph.json.lock", "graph.json"]


# ------------------------------------------------------------------ repeatability


def test_trackers_and_seeds_in_two_orders_give_identical_stores(
    tmp_path: Path, seed_paths: list[Path]
) -> None:
    book = tmp_path / "in" / "tracker.xlsx"
    book.parent.mkdir()
    _tracker_xlsx(book)
    sheet = tmp_path / "in" / "actions.csv"
    sheet.write_text(
        "Strategy,Action,Lead,Due\n"
        "Mental Health Strategy,Open a crisis cafe,SLaM,March 2019\n"
        "Knife Crime Plan,Run weapons awareness in schools,Police,Ongoing\n",
        encoding="utf-8",
    )
    inputs = [*seed_paths, book, sheet]
    a, b, c = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    loaded(load(a, *inputs))
    loaded(load(b, *reversed(inputs)))
    assert a.read_bytes() == b.read_bytes()
    # one file at a time, in yet another order, merges to the same graph
    for p in (sheet, seed_paths[1], book, seed_paths[0]):
        loaded(load(c, p))
    assert json.loads(c.read_text(encoding="utf-8")) == json.loads(a.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ injection, end to end

PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'


def test_hostile_document_reaches_the_report_only_escaped(tmp_path: Path) -> None:
    doc = tmp_path / "hostile.txt"
    doc.write_text(
        f"Youth Violence Action Plan {PAYLOAD} 2018\n" + KC_HEADER + "\n"
        f"Engage\tSchools\tWork with schools\tRun assemblies {PAYLOAD}.\tPolice"
        f"\tDone\tCouncil\tReached\tMarch 2019\tOn track {PAYLOAD}\n"
        f"\t\t\tVisit youth clubs.\tBadCo {PAYLOAD}\tDone\tCouncil\tReached\t"
        "June 2019\t\n",
        encoding="utf-8",
    )
    store = tmp_path / "g.json"
    loaded(load(store, doc))
    assert PAYLOAD in store.read_text(encoding="utf-8").replace('\\"', '"')  # kept as data
    out = tmp_path / "site"
    result = runner.invoke(app, ["--store", str(store), "report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    pages = sorted(out.rglob("*.html"))
    assert pages
    seen_escaped = False
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for raw in ("<script>window.__pwned", "<img src=x", 'onerror="window'):
            assert raw not in html, (page.name, raw)
        seen_escaped |= "&lt;script&gt;window.__pwned" in html or "\\u003cscript\\u003ewindow.__pwned" in html
    assert seen_escaped  # the text is shown (escaped), not silently dropped


# ------------------------------------------------------------------ credentials


@pytest.mark.parametrize("command", [["stats"], ["neo4j", "status"]])
def test_server_password_never_reaches_the_output(command: list[str]) -> None:
    """An unreachable server is exit 3 and one sentence that does not repeat the password."""
    pytest.importorskip("graphmodel.neo4j_store")  # arrives with the Neo4j store
    secret = "s3cret-Pa55word-do-not-print"
    env = {
        "PARTNERMAP_BACKEND": "neo4j",
        "NEO4J_URI": "bolt://127.0.0.1:9",  # closed port
        "NEO4J_USER": "neo4j",
        "NEO4J_PASSWORD": secret,
    }
    for fmt in ([], ["--format", "json"]) if command == ["stats"] else ([],):
        result = runner.invoke(app, [*command, *fmt], env=env)
        assert result.exit_code == 3, (result.output, result.stderr)
        assert "Traceback" not in result.output + result.stderr
        assert len([ln for ln in result.stderr.splitlines() if ln.strip()]) == 1
        assert secret not in result.output + result.stderr
