"""The report site and the viz/report commands."""

from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from cli.main import app
from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import Source
from graphmodel.store import NetworkxStore
from viz import queries_bridge
from viz import report as report_mod
from viz.render import remote_references
from viz.report import write_report
from viz.tables import Table, query_table, report_tables


def test_report_writes_index_and_one_page_per_view(rich_graph: PartnerGraph, tmp_path: Path) -> None:
    written = write_report(rich_graph, tmp_path / "site")
    names = [p.name for p in written]
    assert names == [
        "index.html",
        "overview.html",
        "dependencies.html",
        "partners.html",
        "recommendations.html",
    ]
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == sorted(names)
    for p in written:
        html = p.read_text(encoding="utf-8")
        assert remote_references(html) == []
        for href in re.findall(r'href="([^"#]+)', html):  # every local link resolves
            assert (p.parent / href).is_file(), href


@pytest.fixture()
def graph_tables_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build every table from the graph's edges (as before the queries existed)."""
    monkeypatch.setattr(queries_bridge, "QUERIES", {})


@pytest.mark.usefixtures("graph_tables_only")
def test_index_tables_cite_sources_and_link_views(rich_graph: PartnerGraph, tmp_path: Path) -> None:
    index = write_report(rich_graph, tmp_path)[0].read_text(encoding="utf-8")
    for section in ("dependencies", "duplicates", "partners", "coverage", "alignment"):
        assert f'<section id="{section}">' in index
    # top dependency: action:kc-1 -> CAMHS (score 0.8) comes first, with its evidence
    deps = index.split('<section id="dependencies">')[1].split("</section>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", deps, re.DOTALL)
    assert len(rows) == 3  # header + 2 links
    assert "Refer young people to CAMHS" in rows[1] and "0.80" in rows[1]
    assert "names CAMHS, a mental-health service" in rows[1] and "tiny.txt:3-4" in rows[1]
    assert 'href="dependencies.html#focus=action%3Akc-1"' in rows[1]
    coverage = index.split('<section id="coverage">')[1].split("</section>")[0]
    assert "Recommendation 4" in coverage and "Publish a youth offer" in coverage
    assert "Recommendation 3" not in coverage  # answered by action:mh-1
    assert "tiny.txt:21-22" in coverage
    partners = index.split('<section id="partners">')[1].split("</section>")[0]
    assert "Police" in partners and "tiny.txt:3; tiny.txt:4" in partners
    assert "<b>1 / 2</b>recommendations with no action" in index
    alignment = index.split('<section id="alignment">')[1].split("</section>")[0]
    assert "Partnership Southwark" in alignment and "Crisis care" in alignment


def test_index_escapes_document_text(hostile_graph: PartnerGraph, tmp_path: Path) -> None:
    index = write_report(hostile_graph, tmp_path)[0].read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in index and "<img src=x" not in index
    assert "&lt;img src=x" in index  # the dependency evidence, shown as text


@pytest.mark.usefixtures("graph_tables_only")
def test_graph_tables_group_duplicates(rich_graph: PartnerGraph) -> None:
    tables = {t.key: t for t in report_tables(rich_graph)}
    assert set(tables) == {"dependencies", "duplicates", "partners", "coverage", "alignment"}
    assert {t.origin for t in tables.values()} == {"graph"}
    dup = tables["duplicates"]
    assert len(dup.rows) == 1 and dup.rows[0][2].text == "2"  # kc-1 ~ mh-1
    assert dup.rows[0][5].text == "tiny.txt:3; tiny.txt:12"


def test_query_tables_are_used_when_present(rich_graph: PartnerGraph) -> None:
    tables = report_tables(rich_graph)
    used = {t.key: t.origin for t in tables if t.origin != "graph"}
    for key, (module, func) in queries_bridge.QUERIES.items():
        if importlib.util.find_spec(module) is not None:
            assert used.get(key) == f"{module}.{func}"
    for t in tables:
        if t.origin == "graph" or not t.rows:
            continue
        src = next(i for i, c in enumerate(t.columns) if c in ("source", "sources"))
        assert all(row[src].text for row in t.rows), t.key  # every row cites a source
        assert all(any(c.href for c in row) for row in t.rows), t.key  # and links its view


@dataclass(frozen=True)
class _FakeRow:
    table_columns: ClassVar[tuple[str, ...]] = ("partner", "load", "strategies")
    partner: str
    load: int
    strategies: tuple[str, ...]
    sources: tuple[Source, ...]


def test_query_results_become_tables_with_sources() -> None:
    base = Table("partners", "Partner load", "q?", "partners", [])
    rows = [_FakeRow("Police", 3, ("Knife crime", "MH"), (Source("a.txt", 4, 6), Source("a.txt", 2, 2)))]
    t = query_table(base, rows, origin="queries.partners.partners")
    assert t.columns == ["partner", "load", "strategies", "sources"]
    assert [c.text for c in t.rows[0]] == ["Police", "3", "Knife crime; MH", "a.txt:2; a.txt:4-6"]
    assert t.numeric == [False, True, False, False]


def test_png_without_chromium_is_one_sentence(
    rich_graph: PartnerGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(report_mod, "find_chromium", lambda: None)
    with pytest.raises(InputError, match="--png needs Chromium"):
        write_report(rich_graph, tmp_path / "site", png=True)
    assert not (tmp_path / "site").exists()  # failed before writing anything


def test_report_out_must_not_be_a_file(rich_graph: PartnerGraph, tmp_path: Path) -> None:
    f = tmp_path / "x.html"
    f.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="is a file"):
        write_report(rich_graph, f)


# ------------------------------------------------------------------ CLI
@pytest.fixture()
def store_file(rich_graph: PartnerGraph, tmp_path: Path) -> Path:
    path = tmp_path / "graph.json"
    NetworkxStore(path).write(rich_graph)
    return path


def test_cli_viz_writes_the_page(store_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "v.html"
    res = CliRunner().invoke(
        app,
        [
            "--store",
            str(store_file),
            "viz",
            "--view",
            "ego",
            "--focus",
            "Police",
            "--depth",
            "2",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == str(out)
    blob = re.search(r'id="pm-data">(.*?)</script>', out.read_text(encoding="utf-8"), re.DOTALL)
    ids = {n["id"] for n in json.loads(blob.group(1))["nodes"]}
    assert "organisation:police" in ids and "priority:kc-1" in ids


def test_cli_viz_unknown_focus_exits_2(store_file: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app,
        [
            "--store",
            str(store_file),
            "viz",
            "--view",
            "ego",
            "--focus",
            "Nobody At All",
            "--out",
            str(tmp_path / "v.html"),
        ],
    )
    assert res.exit_code == 2
    assert res.stderr.count("\n") == 1 and "no node matches" in res.stderr
    assert not (tmp_path / "v.html").exists()


def test_cli_report(store_file: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["--store", str(store_file), "report", "--out", str(tmp_path / "site")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "site" / "index.html").is_file()
    assert len(res.stdout.strip().splitlines()) == 5
