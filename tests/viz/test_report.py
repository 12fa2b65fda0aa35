"""The report site (strategy map, views, tables, document pages) and the viz/report commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import EVIL_LINES
from typer.testing import CliRunner

from cli.main import app
from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import EdgeKind, NodeKind, Source
from graphmodel.store import NetworkxStore
from queries.infer import stored_duplicates
from queries.progress import progress
from queries.timeline import due
from viz import report as report_mod
from viz.documents import clean_file_name, doc_page, document_names, parse_cite, source_href
from viz.render import remote_references
from viz.report import write_report
from viz.tables import report_tables
from viz.visdata import strategy_links

VIEWS = ["index.html", "overview.html", "dependencies.html", "partners.html", "recommendations.html"]


def _section(html: str, key: str) -> str:
    return html.split(f'<section id="{key}">')[1].split("</section>")[0]


def _rows(section: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", section, re.DOTALL)[1:]  # without the header


def test_site_opens_on_the_strategy_map_and_every_link_resolves(
    rich_graph: PartnerGraph, tmp_path: Path
) -> None:
    written = write_report(rich_graph, tmp_path / "site")
    names = [p.name for p in written]
    assert names[:6] == [*VIEWS, "report.html"]
    assert names[6:] == [doc_page("tiny.txt")]  # one page per cited document
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == sorted(names)
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "view-strategies" in index
    for p in written:
        html = p.read_text(encoding="utf-8")
        assert remote_references(html) == []
        for href in re.findall(r'href="([^"#]+)', html):  # every local link resolves
            assert (p.parent / href).is_file(), href


def test_strategy_links_count_the_actions_behind_each_pair(rich_graph: PartnerGraph) -> None:
    # enrich(): action kc-1 (Knife Crime Plan) relies on CAMHS, which action mh-1 of the
    # Mental Health Strategy provides: one link, one action behind it, CAMHS relied on
    [link] = strategy_links(rich_graph)
    assert (link.from_id, link.to_id, link.action_ids) == ("strategy:kc", "strategy:mh", ("action:kc-1",))
    assert link.n_actions == 1 and link.summary.providing_actions == 1
    assert link.top_services == ("CAMHS (1)",)  # what is relied on, not the providing action's text
    [row] = link.rows
    assert row.target_ids == ("action:mh-1",) and row.service == "CAMHS"


def test_strategy_links_on_the_seeds(seed_graph: PartnerGraph) -> None:
    links = strategy_links(seed_graph)
    kinds = {seed_graph.kind_of(i) for link in links for i in (link.from_id, link.to_id)}
    assert kinds == {NodeKind.STRATEGY}
    pairs = {(link.from_label, link.to_label) for link in links}
    # the knife-crime plan relies on mental-health services (the question the project exists for)
    assert any(a.startswith("Knife Crime") and "Mental Health" in b for a, b in pairs)
    for link in links:  # every action behind a link belongs to the strategy it starts from
        assert all(seed_graph.strategy_of(a) == link.from_id for a in link.action_ids)
        assert link.n_actions == len(set(link.action_ids)) > 0
        # ... and every providing action to the strategy it reaches
        assert all(seed_graph.strategy_of(t) == link.to_id for r in link.rows for t in r.target_ids)
        # top items name what is relied on (the rows' services), never a providing action's text
        services = {r.service for r in link.rows}
        assert all(item.rsplit(" (", 1)[0] in services for item in link.top_services)
    # weights are the relying actions behind the stored DEPENDS_ON edges (counted from the graph)
    relying: dict[tuple[str, str], set[str]] = {}
    for e in seed_graph.edges(EdgeKind.DEPENDS_ON):
        key = (e.props["from_strategy"], e.props["to_strategy"])
        relying.setdefault(key, set()).add(e.source)
    assert {(lk.from_id, lk.to_id): lk.n_actions for lk in links} == {k: len(v) for k, v in relying.items()}


def test_progress_and_duplicates_tables_on_the_seeds(seed_graph: PartnerGraph) -> None:
    tables = {t.key: t for t in report_tables(seed_graph, document_names(seed_graph))}
    prog = tables["progress"]
    assert len(prog.rows) == len(progress(seed_graph)) > 0  # one row per plan action
    col = prog.columns.index("status")
    assert {r[col].text for r in prog.rows} <= {
        "achieved",
        "continuing (under way, or carried forward)",
        "not reported",
    }
    src = prog.columns.index("review source")
    reported = [r for r in prog.rows if r[col].text != "not reported"]
    assert reported and all(r[src].links for r in reported)  # the review's words are cited
    dup = tables["duplicates"]
    groups = stored_duplicates(seed_graph)
    assert len(dup.rows) == len(groups) > 0
    kinds = [r[dup.columns.index("type")].text for r in dup.rows]
    assert kinds == [{"shared-aim": "shared aim"}.get(g.type, g.type) for g in groups]
    why = dup.columns.index("why grouped")
    assert all(r[why].text for r in dup.rows)


def test_tables_show_every_row_in_words_with_linked_sources(seed_graph: PartnerGraph, tmp_path: Path) -> None:
    write_report(seed_graph, tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "(from queries" not in html and "queries." not in html
    assert "section-only" not in html and "reported-done" not in html
    # every dated or done action is a row of the due table: no 50-row cap
    dated = [n for n in seed_graph.nodes(NodeKind.ACTION) if n.props.get("due_date")]
    shown = [r for r in due(seed_graph) if r.state != "undated"]
    assert len(dated) > 50 and len(shown) >= len(dated)
    assert len(_rows(_section(html, "due"))) == len(shown)
    recs = list(seed_graph.nodes(NodeKind.RECOMMENDATION))
    coverage = _section(html, "coverage")
    assert len(_rows(coverage)) == len(recs)
    assert "no concrete action answers it" in coverage
    # sources link to the cited lines of the document page, named by title, not file name
    links = re.findall(r'<td class="src">(.*?)</td>', html, re.DOTALL)
    cited = [cell for cell in links if cell.strip()]
    assert cited and all('href="doc-' in cell for cell in cited)
    # the only empty source cells: the review's, where the review reports nothing of the action
    silent = sum(1 for r in progress(seed_graph) if r.status == "not-reported")
    assert len(links) - len(cited) == silent
    assert not any("bf875e7a520b882d" in re.sub(r'href="[^"]*"', "", cell) for cell in links)
    assert re.search(r'href="doc-002-bf875e7a520b882d-\w+\.html#L\d+(-\d+)?"', html)


def test_sort_keys_and_no_mid_word_wrap(rich_graph: PartnerGraph, tmp_path: Path) -> None:
    write_report(rich_graph, tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    css = html.split("table.sortable th, table.sortable td {")[1].split("}")[0]
    assert "overflow-wrap: normal" in css and "word-break: normal" in css  # whole words only
    partners = _section(html, "partners")
    rows = _rows(partners)
    assert len(rows) == 2
    leads = {re.search(r">([^<]+)</a>", r).group(1): re.findall(r'data-sort="([\d.]+)"', r)[0] for r in rows}
    assert leads == {"Police": "2.0", "South London and Maudsley": "1.0"}  # LEADS edges of tiny_graph


def test_document_pages_escape_text_and_anchor_lines(hostile_graph: PartnerGraph, tmp_path: Path) -> None:
    write_report(hostile_graph, tmp_path, documents={"evil.txt": EVIL_LINES})
    page = (tmp_path / doc_page("evil.txt")).read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=" in page
    assert page.count('<li id="L') == len(EVIL_LINES)
    assert '<li id="L52"><a class="ln" href="#L52">52</a><span>Action: &lt;script&gt;' in page
    # named by its title, body and date from the Document node (escaped too)
    assert (
        "<title>Evil paper &lt;script&gt;" in page
        and "Board &lt;b&gt;of&lt;/b&gt; Harm, 1 April 2020" in page
    )
    # tiny.txt's text was not given: its page says so instead of showing nothing
    tiny = (tmp_path / doc_page("tiny.txt")).read_text(encoding="utf-8")
    assert "was not available" in tiny and '<li id="L' not in tiny
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in report and "<img src=x" not in report


def test_document_names() -> None:
    assert clean_file_name("002_bf875e7a520b882d.txt") == ""
    assert clean_file_name("2019-06_hwb_mental-health_review.pdf") == "2019 06 hwb mental health review"
    assert parse_cite("a b.txt:12-14") == Source("a b.txt", 12, 14)
    assert parse_cite("plan.pdf p3 7") == Source("plan.pdf", 7, 7, 3)
    assert parse_cite("not a citation") is None
    assert source_href(Source("x.txt", 4, 4), {"x.txt": "doc-x.html"}) == "doc-x.html#L4"
    assert source_href(Source("x.txt", 4, 9), {}) is None


def test_seed_documents_are_named_by_what_they_say(seed_graph: PartnerGraph) -> None:
    # read from the papers: 002 is the agenda pack of the Education & Children's Services
    # Scrutiny Sub-Committee for Tuesday 5 September 2017; 000 the report titled "Southwark
    # Joint Mental Health and Wellbeing Strategy delivery programme annual review" to the
    # Health and Wellbeing Board, dated 26 June 2019
    names = document_names(seed_graph)
    pack, review = names["002_bf875e7a520b882d.txt"], names["000_69c1f70b9380e9e0.txt"]
    assert pack.full == "Agenda — Education & Children's Services Scrutiny Sub-Committee, 2017-09-05"
    assert review.title.startswith("Southwark Joint Mental Health and Wellbeing Strategy delivery")
    assert (review.body, review.date) == ("Health and Wellbeing Board", "2019-06-26")


def test_untitled_documents_are_named_by_what_they_carry(seed_graph: PartnerGraph) -> None:
    # a store written before titles were read (Document nodes without title): their file
    # names are hashes, so the fallback names each by the biggest plan it holds (002 carries
    # the knife-crime plan; 000 the mental-health annual review)
    graph = PartnerGraph.from_dict(seed_graph.to_dict())
    for doc in graph.nodes(NodeKind.DOCUMENT):
        graph.set_prop(doc.id, "title", None)
    names = document_names(graph)
    assert names["002_bf875e7a520b882d.txt"].title.startswith("Paper: Knife Crime and Knife Carrying")
    # 000 line 13: "Report title: Southwark Joint Mental Health and Wellbeing Strategy ..."
    assert names["000_69c1f70b9380e9e0.txt"].title.startswith("Paper: Southwark Joint Mental Health")


def test_report_tables_keys(rich_graph: PartnerGraph) -> None:
    keys = [t.key for t in report_tables(rich_graph, document_names(rich_graph))]
    assert keys == [
        "strategy-links",
        "dependencies",
        "due",
        "progress",
        "coverage",
        "partners",
        "duplicates",
        "alignment",
    ]


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
    args = ["--store", str(store_file), "viz", "--view", "ego", "--focus", "Police", "--depth", "2"]
    res = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == str(out)
    blob = re.search(r'id="pm-data">(.*?)</script>', out.read_text(encoding="utf-8"), re.DOTALL)
    ids = {n["id"] for n in json.loads(blob.group(1))["nodes"]}
    assert "organisation:police" in ids and "priority:kc-1" in ids


def test_cli_viz_strategy_map(store_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.html"
    res = CliRunner().invoke(
        app, ["--store", str(store_file), "viz", "--view", "strategies", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    blob = re.search(r'id="pm-data">(.*?)</script>', out.read_text(encoding="utf-8"), re.DOTALL)
    data = json.loads(blob.group(1))
    assert {n["id"] for n in data["nodes"]} == {"strategy:kc", "strategy:mh"}
    [edge] = data["edges"]
    assert (edge["from"], edge["to"]) == ("strategy:kc", "strategy:mh")
    assert [a["id"] for a in edge["info"]["actions"]] == ["action:kc-1"]


def test_cli_viz_unknown_focus_exits_2(store_file: Path, tmp_path: Path) -> None:
    args = ["--store", str(store_file), "viz", "--view", "ego", "--focus", "Nobody At All"]
    res = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "v.html")])
    assert res.exit_code == 2
    assert res.stderr.count("\n") == 1 and "no node matches" in res.stderr
    assert not (tmp_path / "v.html").exists()


def test_cli_report_with_documents(store_file: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "tiny.txt").write_text("\n".join(f"tiny line {i}" for i in range(1, 41)), encoding="utf-8")
    site = tmp_path / "site"
    res = CliRunner().invoke(
        app, ["--store", str(store_file), "report", "--out", str(site), "--docs", str(docs)]
    )
    assert res.exit_code == 0, res.output
    assert len(res.stdout.strip().splitlines()) == 7  # 5 views, the tables, 1 document
    page = (site / doc_page("tiny.txt")).read_text(encoding="utf-8")
    assert '<li id="L40"><a class="ln" href="#L40">40</a><span>tiny line 40</span></li>' in page


def test_cli_report_bad_docs_folder_exits_2(store_file: Path, tmp_path: Path) -> None:
    args = [
        "--store",
        str(store_file),
        "report",
        "--out",
        str(tmp_path / "s"),
        "--docs",
        str(tmp_path / "no"),
    ]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2 and "is not a folder" in res.stderr
