"""Issue 16: right answers on the bundled Southwark papers, and honest output.

Expectations come from reading the seeds (data/*.txt; line numbers of
002_bf875e7a520b882d.txt, the 2017 agenda pack, unless said otherwise):

- line 260: knife-crime action "To establish robust and sustainable mechanisms to put young
  people at centre of action plan." (92 characters), lead "LBS C&SP", resources "Council",
  due "Initial consultation June 2017. Ongoing";
- line 300: "Develop understanding of knife crime problem profile in Southwark.", lead
  "LBS Regulatory Services in consultation with the Police.", resources "Council", due
  "Knife crime profile completed January 2017";
- glossary: line 431 "AKCF Anti-Knife Crime Forum", line 449 "SILS Southwark Inclusive
  Learning Service"; lines 362-363 name the "London Knife Crime Strategy";
- the Draft Joint Mental Health and Wellbeing Strategy's action plan (line 1281 on) is loaded
  under "Southwark Joint Mental Health and Wellbeing Strategy"; the 2019 review (000_...,
  line 359) only names the "Southwark Suicide Prevention Strategy (2017-2022)".
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from cli.main import app
from cli.output import Fmt, render
from graphmodel.errors import InputError
from graphmodel.export import export_graph, spreadsheet_safe
from graphmodel.graph import PartnerGraph
from graphmodel.schema import Edge, EdgeKind, Node, NodeKind, Source
from graphmodel.store import NetworkxStore
from queries import due, partners, path, search
from queries.paths import resolve_entity

KC_DOC = "002_bf875e7a520b882d.txt"
LINE_260 = "To establish robust and sustainable mechanisms to put young people at centre of action plan."
LINE_300 = "Develop understanding of knife crime problem profile in Southwark."
runner = CliRunner()


def _action_at(graph: PartnerGraph, line: int, text: str) -> Node:
    found = [
        n
        for n in graph.nodes(NodeKind.ACTION)
        if n.source.document == KC_DOC and n.source.line_start == line and n.props.get("text") == text
    ]
    assert len(found) == 1, [
        n.props.get("text") for n in graph.nodes(NodeKind.ACTION) if n.source.line_start == line
    ]
    return found[0]


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory, seed_graph: PartnerGraph) -> Path:
    path = tmp_path_factory.mktemp("seeds") / "graph.json"
    NetworkxStore(path).write(seed_graph)
    return path


def _run(*args: str):
    return runner.invoke(app, list(args))


def _help(*command: str) -> str:
    """The help text of ``command`` as one line (rich's box drawing and wrapping removed)."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", _run(*command, "--help").stdout).split())


# ------------------------------------------------------------------ 1. missing store
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_a_query_on_a_missing_store_is_refused_naming_it(tmp_path: Path, fmt: str) -> None:
    missing = tmp_path / "nowhere" / "x.json"
    result = _run("--store", str(missing), "query", "partners", "--format", fmt)
    assert result.exit_code == 2 and result.stdout == ""
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and str(missing) in lines[0]
    if fmt == "json":
        err = json.loads(lines[0])
        assert err["ok"] is False and err["type"] == "StoreError" and str(missing) in err["error"]
    assert not missing.exists()  # asking did not create it


def test_the_default_store_missing_names_it_and_the_demo_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PARTNERMAP_STORE", raising=False)
    result = _run("query", "dependencies")
    assert result.exit_code == 2
    assert str(Path(".partnermap") / "graph.json") in result.stderr
    assert "partnermap-demo/graph.json" in result.stderr


# ------------------------------------------------------------------ 3. one resolver
def test_path_refuses_an_ambiguous_name_listing_candidates(seed_graph: PartnerGraph) -> None:
    with pytest.raises(InputError) as info:
        path(seed_graph, "SLaM", "Knife Crime")
    message = str(info.value)
    assert "ambiguous" in message
    for name in ("Anti-Knife Crime Forum", "London Knife Crime Strategy", "Knife Crime and Knife Carrying"):
        assert name in message
    found = path(seed_graph, "SLaM", "Anti-Knife Crime Forum")  # the full name is not ambiguous
    assert found and found[0].end == "Anti-Knife Crime Forum"


def test_every_command_refuses_the_same_ambiguous_name_the_same_way(seed_store: Path, tmp_path: Path) -> None:
    runs = {
        "path": _run("--store", str(seed_store), "query", "path", "SLaM", "Knife Crime"),
        "--from": _run("--store", str(seed_store), "query", "dependencies", "--from", "Knife Crime"),
        "--focus": _run(
            "--store",
            str(seed_store),
            "viz",
            "--view",
            "ego",
            "--focus",
            "Knife Crime",
            "--out",
            str(tmp_path / "ego.html"),
        ),
    }
    for option, result in runs.items():
        assert result.exit_code == 2, (option, result.output)
        lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1, (option, lines)
        assert "'Knife Crime' is ambiguous" in lines[0] and "candidates:" in lines[0], option
        assert "Knife Crime and Knife Carrying Action Plan" in lines[0], option
    assert not (tmp_path / "ego.html").exists()


def test_resolver_restricted_to_strategies(seed_graph: PartnerGraph) -> None:
    sid = resolve_entity(
        seed_graph, "Knife Crime and Knife Carrying Action Plan", "--from", kinds={NodeKind.STRATEGY}
    )
    assert seed_graph.node(sid).label == "Knife Crime and Knife Carrying Action Plan"


# ------------------------------------------------------------------ 4. due dates
def test_achieved_and_completed_actions_are_done_whatever_their_date(seed_graph: PartnerGraph) -> None:
    rows = due(seed_graph, as_of="2018-06-30")
    by_id = {r.action_id: r for r in rows}
    achieved = [n.id for n in seed_graph.nodes(NodeKind.ACTION) if n.props.get("status") == "achieved"]
    assert achieved and all(by_id[a].state == "done" for a in achieved)
    profile = by_id[_action_at(seed_graph, 300, LINE_300).id]
    assert profile.state == "done" and profile.days_overdue is None
    # "Initial consultation June 2017. Ongoing" is not a report of completion: overdue in mid-2018
    consult = by_id[_action_at(seed_graph, 260, LINE_260).id]
    assert consult.state == "overdue" and consult.days_overdue == 365  # due 2017-06-30
    assert {r.as_of for r in rows} == {"2018-06-30"}


def test_to_be_completed_is_not_done() -> None:
    g = PartnerGraph()
    src = Source("t.txt", 1, 1)
    g.add_node(Node("strategy:s", NodeKind.STRATEGY, "Plan", src))
    for i, (due_text, due_date) in enumerate(
        [("To be completed by December 2017.", "2017-12-31"), ("Toolkit completed March 2017", "2017-03-31")]
    ):
        g.add_node(
            Node(
                f"action:{i}",
                NodeKind.ACTION,
                f"A{i}",
                src,
                {"status": "open", "due": due_text, "due_date": due_date},
            )
        )
        g.add_edge(Edge(f"action:{i}", "strategy:s", EdgeKind.PART_OF, src))
    states = {r.action_id: r.state for r in due(g, as_of="2018-06-30")}
    assert states == {"action:0": "overdue", "action:1": "done"}


def test_due_help_and_demo_say_as_of_when(
    seed_graph: PartnerGraph, capsys: pytest.CaptureFixture[str]
) -> None:
    help_text = _help("query", "due")
    assert "default today" in help_text and "done whatever their date" in help_text
    from cli.demo import print_headlines

    print_headlines(seed_graph)
    out = capsys.readouterr().out.splitlines()
    line = next(ln for ln in out if ln.startswith("Due dates"))
    # the 2017-19 plans as of the latest paper's date (the review of 26 June 2019), then today
    assert re.match(r"Due dates as of 2019-06-26, the latest paper's date \(Health and Wellbeing Board", line)
    assert re.search(r"\b[1-9]\d* done\b", line), line
    today_line = out[out.index(line) + 1]
    assert re.match(r"\s+as of today \(\d{4}-\d{2}-\d{2}\): \d+ overdue", today_line), today_line


# ------------------------------------------------------------------ 5. partners
def test_blanket_council_resource_cells_are_marked_generic(seed_graph: PartnerGraph) -> None:
    action = _action_at(seed_graph, 300, LINE_300)
    roles = {(e.kind, seed_graph.node(e.source).label): e for e in seed_graph.in_edges(action.id)}
    council = roles[(EdgeKind.RESOURCES, "Southwark Council")]
    assert council.props["as_written"] == ["Council"] and council.props.get("generic") is True
    lead = roles[(EdgeKind.LEADS, "LBS Regulatory Services")]
    assert not lead.props.get("generic")


def test_partners_rank_named_roles_and_centrality_is_not_degenerate(seed_graph: PartnerGraph) -> None:
    rows = partners(seed_graph)
    council = next(r for r in rows if r.name == "Southwark Council")
    assert council.generic >= 2  # lines 260 and 300 at least
    assert rows[0].name != "Southwark Council"

    def named(r) -> int:
        return r.led + r.supported + r.resourced - r.generic

    assert [named(r) for r in rows] == sorted((named(r) for r in rows), reverse=True)
    assert len({r.betweenness for r in rows}) > 5  # not one value for every body
    for r in rows:  # single points of failure are actions, not quarters
        assert all(not s[:4].isdigit() for s in r.single_point_of_failure)


# ------------------------------------------------------------------ 6. search
def test_search_does_not_match_a_fragment_of_a_short_alias(seed_graph: PartnerGraph) -> None:
    labels = [h.label for h in search(seed_graph, "crisis", limit=200)]
    assert labels and "Southwark Inclusive Learning Service" not in labels
    assert search(seed_graph, "SILS")[0].label == "Southwark Inclusive Learning Service"


# ------------------------------------------------------------------ 7. formats
def test_machine_formats_carry_full_text_and_plain_lists(seed_store: Path, seed_graph: PartnerGraph) -> None:
    result = _run("--store", str(seed_store), "query", "due", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert LINE_260 in [r["action"] for r in rows]
    assert all(r["action"] == seed_graph.node(r["action_id"]).props["text"] for r in rows)
    result = _run("--store", str(seed_store), "query", "due", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    row = next(r for r in rows if r["action"] == LINE_260)
    assert row["leads"] == "LBS Community Safety & Partnerships Team"  # not ["..."]
    assert row["sources"] == f"{KC_DOC}:260"
    multi = [r for r in rows if ";" in r["leads"]]
    assert multi and all(not r["leads"].startswith("[") for r in multi)


def test_only_the_table_abbreviates_and_strips_escapes() -> None:
    long = "word " * 60 + "END"
    rows = [{"text": long, "evil": "\x1b[31mred\x1b[0m\x07 \x1b]0;title\x07done"}]
    buf = io.StringIO()
    render(rows, Fmt.table, out=buf)
    table = buf.getvalue()
    assert "\x1b" not in table and "\x07" not in table and "red" in table and "done" in table
    assert "END" not in table and "…" in table
    buf = io.StringIO()
    render(rows, Fmt.json, out=buf)
    assert json.loads(buf.getvalue())[0]["text"] == long


def test_csv_neutralises_formula_cells_json_keeps_them() -> None:
    cells = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx", "plain"]
    rows = [{"v": c} for c in cells]
    buf = io.StringIO()
    render(rows, Fmt.csv, out=buf)
    got = [r["v"] for r in csv.DictReader(io.StringIO(buf.getvalue(), newline=""))]
    assert got == ["'" + c for c in cells[:-1]] + ["plain"]
    buf = io.StringIO()
    render(rows, Fmt.json, out=buf)
    assert [r["v"] for r in json.loads(buf.getvalue())] == cells
    assert spreadsheet_safe("a=b") == "a=b"


# ------------------------------------------------------------------ 8. exports
@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_exports_have_typed_attributes_and_full_labels(
    tmp_path: Path, seed_graph: PartnerGraph, fmt: str, reader
) -> None:
    out = tmp_path / f"g.{fmt}"
    export_graph(seed_graph, fmt, out)
    back = reader(out)
    node = _action_at(seed_graph, 260, LINE_260)
    attrs = back.nodes[node.id]
    label = attrs["label"]
    assert label == LINE_260
    assert attrs["kind"] == "Action" and attrs["status"] == "open"
    assert attrs["due"] == "Initial consultation June 2017. Ongoing" and attrs["due_date"] == "2017-06-30"
    assert attrs["document"] == KC_DOC and attrs["line_start"] == 260 and isinstance(attrs["line_start"], int)
    edges = [d for u, v, d in back.edges(data=True) if v == node.id and d["kind"] == "RESOURCES"]
    assert edges and edges[0]["generic"] is True
    scored = [d for _, _, d in back.edges(data=True) if d["kind"] == "DEPENDS_ON"]
    assert scored and all(isinstance(d["score"], float) and d["method"] for d in scored)


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_exports_drop_characters_xml_forbids(tmp_path: Path, fmt: str, reader) -> None:
    g = PartnerGraph()
    src = Source("t.txt", 1, 1)
    g.add_node(
        Node("strategy:s", NodeKind.STRATEGY, "Plan\x00 with\x0b NUL\x1b[31m", src, {"aliases": ["a\x01b"]})
    )
    out = tmp_path / f"g.{fmt}"
    export_graph(g, fmt, out)
    back = reader(out)
    assert back.nodes["strategy:s"]["label"] == "Plan with NUL[31m"
    assert back.nodes["strategy:s"]["aliases"] == "ab"


def test_csv_export_goes_into_the_named_directory_and_refuses_a_file(
    tmp_path: Path, seed_graph: PartnerGraph
) -> None:
    files = export_graph(seed_graph, "csv", tmp_path / "out")
    assert [f.name for f in files] == ["nodes.csv", "edges.csv"] and all(
        f.parent == tmp_path / "out" for f in files
    )
    taken = tmp_path / "g.csv"
    taken.write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="is a file"):
        export_graph(seed_graph, "csv", taken)
    assert taken.read_text(encoding="utf-8") == "mine"
    help_text = _help("export")
    assert "nodes.csv" in help_text and "edges.csv" in help_text


def test_csv_export_neutralises_formula_cells(tmp_path: Path) -> None:
    g = PartnerGraph()
    src = Source("t.txt", 1, 1)
    g.add_node(Node("strategy:s", NodeKind.STRATEGY, "=cmd|' /C calc'!A0", src))
    nodes, _ = export_graph(g, "csv", tmp_path / "out")
    row = next(csv.DictReader(io.StringIO(nodes.read_text(encoding="utf-8"), newline="")))
    assert row["label"] == "'=cmd|' /C calc'!A0"
    export_graph(g, "json", tmp_path / "g.json")
    assert (
        json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["nodes"][0]["label"]
        == "=cmd|' /C calc'!A0"
    )


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "csv", "cypher"])
def test_exported_files_respect_the_umask(tmp_path: Path, tiny_graph: PartnerGraph, fmt: str) -> None:
    old = os.umask(0o022)
    try:
        files = export_graph(tiny_graph, fmt, tmp_path / ("csv" if fmt == "csv" else f"g.{fmt}"))
    finally:
        os.umask(old)
    assert {f.stat().st_mode & 0o777 for f in files} == {0o644}


# ------------------------------------------------------------------ 9. referenced strategies
def test_a_loaded_strategy_is_not_referenced(seed_graph: PartnerGraph) -> None:
    by_label = {n.label: n for n in seed_graph.nodes(NodeKind.STRATEGY)}
    assert by_label["Southwark Joint Mental Health and Wellbeing Strategy"].props["kind"] == "plan"
    assert by_label["Southwark Suicide Prevention Strategy"].props["kind"] == "referenced"
    content = (NodeKind.PRIORITY, NodeKind.ACTION, NodeKind.RECOMMENDATION)
    for node in by_label.values():
        if node.props.get("kind") == "referenced":
            assert not any(
                seed_graph.kind_of(e.source) in content
                for e in seed_graph.in_edges(node.id, EdgeKind.PART_OF)
            )


def test_error_messages_naming_document_text_carry_no_escapes(tmp_path: Path) -> None:
    g = PartnerGraph()
    src = Source("t.txt", 1, 1)
    for key in ("a", "b"):
        g.add_node(Node(f"organisation:{key}", NodeKind.ORGANISATION, f"Evil\x1b[2J Org {key}\x07", src))
    store = tmp_path / "g.json"
    NetworkxStore(store).write(g)
    result = _run("--store", str(store), "query", "path", "evil org", "organisation:a")
    assert result.exit_code == 2 and "is ambiguous" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_push_refuses_a_missing_store_instead_of_sweeping_the_server(tmp_path: Path) -> None:
    missing = tmp_path / "none.json"
    result = runner.invoke(
        app, ["--store", str(missing), "neo4j", "push"], env={"NEO4J_URI": "bolt://127.0.0.1:9"}
    )
    assert result.exit_code == 2 and f"no store at {missing}" in result.stderr
