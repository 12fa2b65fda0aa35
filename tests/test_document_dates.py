"""Documents know their title, body and date; `query due` can judge each plan as of it.

Expectations from reading the seeds: 000_69c1f70b9380e9e0.txt is the Health and Wellbeing
Board paper of 26 June 2019 ("Date:" / "26 June 2019", "Meeting Name:" / "Health and
Wellbeing Board"); 002_bf875e7a520b882d.txt is the Education & Children's Services
Scrutiny Sub-Committee agenda pack for Tuesday 5 September 2017, with the knife-crime plan:
- line 266: "Contact community, faith, third sector, business and other groups.", due
  "Initial consultation to be completed by July 2017." (not done: to be completed);
- line 382: the Female Focus Group sub-objective, due "Group to be established by October 2017.";
and in 000, line 639: "Deliver the mental wellbeing JSNA ...", due "end of June 2019".
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.ingest import ingest, read_paths
from cli.main import app
from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.paths import DATA_DIR
from graphmodel.schema import NodeKind
from graphmodel.store import NetworkxStore
from queries import due
from queries.timeline import AS_OF_DOCUMENT, AS_OF_LATEST, document_dates, latest_document_date

REVIEW, PACK = "000_69c1f70b9380e9e0.txt", "002_bf875e7a520b882d.txt"
runner = CliRunner()


def _doc(graph: PartnerGraph, name: str) -> dict:
    return next(n.props for n in graph.nodes(NodeKind.DOCUMENT) if n.label == name)


def _row(rows: list, doc: str, line: int, due_text: str):
    found = [r for r in rows if r.sources[0].startswith(f"{doc}:{line}") and r.due == due_text]
    assert len(found) == 1, [(r.sources, r.due) for r in rows if f":{line}" in r.sources[0]]
    return found[0]


def test_document_nodes_carry_title_body_and_date(seed_graph: PartnerGraph) -> None:
    review = _doc(seed_graph, REVIEW)
    assert review["body"] == "Health and Wellbeing Board"
    assert review["meeting_date"] == "2019-06-26" and review["date_precision"] == "day"
    assert review["title"].startswith("Southwark Joint Mental Health and Wellbeing Strategy")
    pack = _doc(seed_graph, PACK)
    assert pack["body"] == "Education & Children's Services Scrutiny Sub-Committee"
    assert pack["meeting_date"] == "2017-09-05"
    # the props the Document node had before stay as they were
    assert {"sha256", "encoding", "lines", "area"} <= set(pack) and pack["area"] == "Southwark"
    assert document_dates(seed_graph) == {REVIEW: date(2019, 6, 26), PACK: date(2017, 9, 5)}
    assert latest_document_date(seed_graph) == date(2019, 6, 26)


def test_due_as_of_each_document(seed_graph: PartnerGraph) -> None:
    rows = due(seed_graph, as_of=AS_OF_DOCUMENT)
    consult = _row(rows, PACK, 266, "Initial consultation to be completed by July 2017.")
    assert (consult.as_of, consult.state, consult.days_overdue) == ("2017-09-05", "overdue", 36)  # 31 Jul
    focus = _row(rows, PACK, 382, "Group to be established by October 2017.")
    assert (focus.as_of, focus.state) == ("2017-09-05", "due")  # not yet late when the plan was read
    jsna = _row(rows, REVIEW, 639, "end of June 2019")
    assert (jsna.as_of, jsna.state) == ("2019-06-26", "due")  # four days left at the review


def test_due_as_of_the_latest_paper(seed_graph: PartnerGraph) -> None:
    rows = due(seed_graph, as_of=AS_OF_LATEST)
    assert {r.as_of for r in rows} == {"2019-06-26"}
    focus = _row(rows, PACK, 382, "Group to be established by October 2017.")
    assert (focus.state, focus.days_overdue) == ("overdue", 603)  # 2017-10-31 -> 2019-06-26
    # the default stays today
    assert {r.as_of for r in due(seed_graph)} == {date.today().isoformat()}


def test_as_of_with_no_dated_paper_is_today(tiny_graph: PartnerGraph) -> None:
    today = date.today().isoformat()
    assert {r.as_of for r in due(tiny_graph, as_of=AS_OF_LATEST)} <= {today}
    assert {r.as_of for r in due(tiny_graph, as_of=AS_OF_DOCUMENT)} <= {today}


def test_bad_as_of_names_the_choices(seed_graph: PartnerGraph) -> None:
    with pytest.raises(InputError, match="'document' or 'latest'"):
        due(seed_graph, as_of="soon")


def test_cli_as_of_document_and_report(tmp_path: Path) -> None:
    store = tmp_path / "g.json"
    out = runner.invoke(app, ["--store", str(store), "load", str(DATA_DIR / REVIEW), str(DATA_DIR / PACK)])
    assert out.exit_code == 0, out.output
    report = out.stdout[out.stdout.index("what each paper says it is") :]  # the load report's table
    assert "2019-06-26" in report and "2017-09-05" in report and "Sub-Committee" in report
    out = runner.invoke(app, ["--store", str(store), "load", str(DATA_DIR / PACK), "--format", "json"])
    doc = json.loads(out.stdout)["documents"][0]
    assert (doc["document"], doc["meeting_date"], doc["date_precision"]) == (PACK, "2017-09-05", "day")
    assert doc["body"] == "Education & Children's Services Scrutiny Sub-Committee"
    out = runner.invoke(
        app, ["--store", str(store), "query", "due", "--as-of", "document", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    assert {r["as_of"] for r in json.loads(out.stdout)} == {"2017-09-05", "2019-06-26"}
    out = runner.invoke(app, ["--store", str(store), "query", "due", "--as-of", "latest"])
    assert "as of 2019-06-26" in out.stdout
    help_text = " ".join(
        re.sub(r"[│╭╮╰╯─]", " ", runner.invoke(app, ["query", "due", "--help"]).stdout).split()
    )
    assert "'document'" in help_text and "'latest'" in help_text and "default today" in help_text
    out = runner.invoke(app, ["--store", str(store), "query", "due", "--as-of", "whenever"])
    assert out.exit_code == 2 and "Traceback" not in out.output


def test_a_plan_loaded_after_a_paper_that_named_it_is_not_referenced(tmp_path: Path) -> None:
    mention = tmp_path / "mention.txt"
    mention.write_text(
        "Kingsmere Borough Council\n\nCommunity Safety Partnership, 4 February 2019\n\n"
        "The Partnership Board will monitor delivery of the Serious Youth Violence Action Plan "
        "2019-2021 every quarter.\n",
        encoding="utf-8",
    )
    plan = tmp_path / "plan.txt"  # a made-up plan whose table names it in its title line
    case = Path(__file__).parent / "loaders" / "cases" / "action_plan_rag_columns" / "input.txt"
    plan.write_text(case.read_text(encoding="utf-8"), encoding="utf-8")
    store = NetworkxStore(tmp_path / "g.json")

    def kind() -> str:
        graph = store.read()
        return next(
            n.props["kind"]
            for n in graph.nodes(NodeKind.STRATEGY)
            if n.label == "Serious Youth Violence Action Plan"
        )

    ingest([mention], store)
    assert kind() == "referenced"  # only named so far
    ingest([plan], store)  # a second load: merged into the store
    assert kind() != "referenced"  # it has actions now


CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")
def test_corpus_documents_through_the_load_path() -> None:
    # read from the papers: the West Sussex report's first page ("West Sussex / Drug and
    # Alcohol / Partnership / Annual Progress Report / October 2024"); the Leeds board pack
    # (.md, through the text reader): "Trust Board Meeting Held In Public", "4 September 2025"
    report = read_paths(
        [
            CORPUS / "west-sussex_drug-and-alcohol-partnership_annual-progress-report_oct2024.pdf",
            CORPUS / "leeds-community-healthcare_board-papers_2025-09-04.md",
        ]
    )
    docs = {d.name.split("_")[0].split("-")[0]: d for d in report.documents}
    ws, leeds = docs["west"], docs["leeds"]
    assert (ws.title, ws.body) == ("Annual Progress Report", "West Sussex Drug and Alcohol Partnership")
    assert (ws.meeting_date, ws.date_precision, ws.date_source) == ("2024-10-01", "month", "text")
    assert (leeds.body, leeds.meeting_date, leeds.date_precision) == ("Trust Board", "2025-09-04", "day")
    per_doc = {d["document"]: d for d in report.to_dict()["documents"]}
    assert per_doc[ws.name]["body"] == "West Sussex Drug and Alcohol Partnership"
