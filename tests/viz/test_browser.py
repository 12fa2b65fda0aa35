"""The pages in a real headless Chromium: offline, counts as drawn, filters, no injected code.

Driven with Playwright against the Debian Chromium (``make browser`` installs it);
nothing is downloaded. Every request that is not ``file://`` fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import synthetic_graph

from graphmodel.graph import PartnerGraph
from graphmodel.schema import EdgeKind, NodeKind
from viz import queries_bridge
from viz.render import write_html
from viz.report import write_report
from viz.visdata import to_vis_data

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs /usr/bin/chromium (run `make browser` to install it)"
    ),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


class Page:
    """A page opened offline, with every console error and outside request recorded."""

    def __init__(self, browser: Any, path: Path, *, timeout_ms: int = 60_000) -> None:
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        self.errors: list[str] = []
        self.outside: list[str] = []

        def route(r: Any) -> None:
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.resolve().as_uri())
        if path.name != "index.html":
            self.page.wait_for_function(
                "() => window.partnermap && window.partnermap.ready", timeout=timeout_ms
            )

    def js(self, expr: str) -> Any:
        return self.page.evaluate(expr)

    def counts(self) -> dict[str, int]:
        return self.js("""() => ({nodes: partnermap.nodes.length, edges: partnermap.edges.length,
            shownNodes: partnermap.nodesView.length, shownEdges: partnermap.edgesView.length,
            drawnNodes: partnermap.network.body.nodeIndices.length,
            drawnEdges: partnermap.network.body.edgeIndices.length})""")

    def shown_ids(self) -> set[str]:
        return set(self.js("() => partnermap.nodesView.getIds()"))

    def close(self) -> None:
        assert self.errors == [], self.errors
        assert self.outside == [], self.outside
        self.context.close()


def _view(tmp_path: Path, graph: PartnerGraph, view: str, **kw: Any) -> Path:
    return write_html(to_vis_data(graph, view=view, **kw), tmp_path / f"{view}.html")


def _expected(graph: PartnerGraph, view: str) -> tuple[int, int]:
    """Node and edge counts of a view, counted from the graph itself."""
    if view == "overview":
        docs = graph.counts()["nodes"].get(NodeKind.DOCUMENT, 0)
        return len(graph) - docs, graph.edge_count
    deps = list(graph.edges(EdgeKind.DEPENDS_ON))
    return len({e.source for e in deps} | {e.target for e in deps}), len(deps)


@pytest.mark.parametrize("view", ["overview", "dependencies"])
def test_page_draws_every_node_and_link_offline(
    browser: Any, hostile_graph: PartnerGraph, tmp_path: Path, view: str
) -> None:
    page = Page(browser, _view(tmp_path, hostile_graph, view))
    c = page.counts()
    n, e = _expected(hostile_graph, view)
    assert (c["nodes"], c["edges"]) == (n, e)
    assert (c["shownNodes"], c["drawnNodes"]) == (n, n)
    assert (c["shownEdges"], c["drawnEdges"]) == (e, e)
    page.close()


@pytest.mark.parametrize(
    "view, kw", [("partners", {}), ("recommendations", {}), ("ego", {"focus": "camhs", "depth": 2})]
)
def test_other_views_load_cleanly(
    browser: Any, hostile_graph: PartnerGraph, tmp_path: Path, view: str, kw: dict[str, Any]
) -> None:
    data = to_vis_data(hostile_graph, view=view, **kw)
    page = Page(browser, write_html(data, tmp_path / f"{view}.html"))
    c = page.counts()
    assert c["drawnNodes"] == len(data.nodes) > 0 and c["drawnEdges"] == len(data.edges)
    page.close()


def test_filters_change_what_is_shown(browser: Any, hostile_graph: PartnerGraph, tmp_path: Path) -> None:
    page = Page(browser, _view(tmp_path, hostile_graph, "overview"))
    total = page.counts()
    actions = {n.id for n in hostile_graph.nodes(NodeKind.ACTION)}
    page.page.uncheck('input.pm-kind[value="Action"]')
    c = page.counts()
    assert c["drawnNodes"] == total["nodes"] - len(actions)
    touching = [e for e in hostile_graph.edges() if e.source in actions or e.target in actions]
    assert c["drawnEdges"] == total["edges"] - len(touching)
    assert "of" in page.page.text_content("#pm-shown")
    page.page.check('input.pm-kind[value="Action"]')
    page.page.select_option("#pm-strategy", "strategy:kc")
    assert page.shown_ids() == {
        "strategy:kc",
        "priority:kc-1",
        "action:kc-1",
        "action:kc-2",
        "organisation:police",
        "organisation:slam",
        "service:camhs",
    }
    page.page.select_option("#pm-strategy", "")
    page.page.select_option("#pm-org", "organisation:police")
    # Police, what it leads, and one step on from that work
    assert page.shown_ids() == {
        "organisation:police",
        "action:kc-1",
        "action:kc-2",
        "priority:kc-1",
        "service:camhs",
        "organisation:slam",
        "action:mh-1",
    }
    page.page.select_option("#pm-org", "")
    assert page.counts()["drawnNodes"] == total["nodes"]
    page.close()


def test_search_selects_matches(browser: Any, rich_graph: PartnerGraph, tmp_path: Path) -> None:
    page = Page(browser, _view(tmp_path, rich_graph, "overview"))
    page.page.fill("#pm-search", "camhs")
    selected = set(page.js("() => partnermap.network.getSelectedNodes()"))
    assert {"service:camhs", "action:kc-1", "action:mh-1"} <= selected
    assert "organisation:police" not in selected
    assert page.page.text_content("#pm-search-result") == f"{len(selected)} matches"
    page.close()


def test_injected_markup_stays_text(browser: Any, hostile_graph: PartnerGraph, tmp_path: Path) -> None:
    page = Page(browser, _view(tmp_path, hostile_graph, "overview"))
    assert page.js("() => typeof window.__pwned") == "undefined"
    assert page.js("() => typeof window.x") == "undefined"
    options = page.page.locator("#pm-strategy option").all_text_contents()
    assert any("<script>window.__pwned=1</script><img src=x" in o for o in options)
    assert page.js("() => document.querySelectorAll('img').length") == 0
    # hover the hostile action: vis shows its title as text, not markup
    x, y = page.js("""() => { const n = partnermap.network;
        n.moveTo({position: n.getPosition('action:evil'), scale: 1.5, animation: false});
        const p = n.canvasToDOM(n.getPosition('action:evil'));
        const r = document.getElementById('pm-network').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""")
    page.page.mouse.move(x - 30, y - 30)
    page.page.mouse.move(x, y, steps=5)
    tip = page.page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    assert "<img src=x onerror=" in tip.inner_text()
    # innerText turns line breaks into <br>; nothing else may appear inside
    tags = page.js("() => [...document.querySelectorAll('div.vis-tooltip *')].map(e => e.tagName)")
    assert set(tags) <= {"BR"}
    assert page.js("() => typeof window.__pwned") == "undefined"
    page.close()


def test_report_index_sorts_and_links(
    browser: Any, rich_graph: PartnerGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries_bridge, "QUERIES", {})  # tables as counted from the graph
    write_report(rich_graph, tmp_path)
    page = Page(browser, tmp_path / "index.html")
    rows = "#partners tbody tr td:first-child"
    assert page.page.locator(rows).all_text_contents() == ["Police", "South London and Maudsley"]
    page.page.click("#partners th:text-is('partner')")  # ascending by name
    page.page.click("#partners th:text-is('partner')")  # then descending
    assert page.page.locator(rows).all_text_contents() == ["South London and Maudsley", "Police"]
    page.page.click("#partners th:text-is('leads')")  # ascending by number: SLaM 1, Police 2
    assert page.page.locator(rows).all_text_contents() == ["South London and Maudsley", "Police"]
    page.page.click("#partners a:text-is('Police')")
    page.page.wait_for_function("() => window.partnermap && window.partnermap.ready")
    assert page.js("() => partnermap.network.getSelectedNodes()") == ["organisation:police"]
    page.close()


def test_seed_overview_in_browser(browser: Any, seed_graph: PartnerGraph, tmp_path: Path) -> None:
    page = Page(browser, _view(tmp_path, seed_graph, "overview"))
    n, e = _expected(seed_graph, "overview")
    c = page.counts()
    assert (c["drawnNodes"], c["drawnEdges"]) == (n, e)
    page.close()


def test_report_png(rich_graph: PartnerGraph, tmp_path: Path) -> None:
    written = write_report(rich_graph, tmp_path, png=True)
    pngs = [p for p in written if p.suffix == ".png"]
    assert len(pngs) == 5
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5000 for p in pngs)


@pytest.mark.slow
def test_5k_node_graph_draws_with_physics_off(browser: Any, tmp_path: Path) -> None:
    g = synthetic_graph(5000)
    data = to_vis_data(g, view="overview")
    assert data.physics is False
    # a page that never gets ready fails in Page (wait_for_function's timeout); how fast
    # it gets ready is a benchmark figure, not asserted here
    page = Page(browser, write_html(data, tmp_path / "big.html"), timeout_ms=60_000)
    c = page.counts()
    assert (c["drawnNodes"], c["drawnEdges"]) == (len(g), g.edge_count)
    page.close()
