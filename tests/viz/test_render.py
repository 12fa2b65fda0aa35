"""The HTML pages: standalone (no network reference), escaped, written only where asked."""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import json
import re
from pathlib import Path

import pytest
from conftest import PAYLOAD
from hypothesis import given
from hypothesis import strategies as st

from graphmodel.graph import PartnerGraph
from viz.render import OfflineError, check_offline, remote_references, render_html, script_json
from viz.render import write_html as write_page
from viz.visdata import VIEWS, to_vis_data

SCRIPT = re.compile(r"<script([^>]*)>(.*?)</script>", re.DOTALL)


def _page(graph: PartnerGraph, view: str = "overview", **kw) -> str:
    return render_html(to_vis_data(graph, view=view, **kw))


def _data_blob(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="pm-data">(.*?)</script>', html, re.DOTALL)
    assert m
    return json.loads(m.group(1))


@pytest.mark.parametrize("view", VIEWS)
def test_pages_reference_nothing_outside_themselves(rich_graph: PartnerGraph, view: str) -> None:
    kw = {"focus": "camhs"} if view == "ego" else {}
    html = _page(rich_graph, view, **kw)
    assert remote_references(html) == []
    assert not re.search(
        r"<(link|script|img|iframe)[^>]+(src|href)\s*=\s*[\"']?(https?:)?//", html, re.IGNORECASE
    )
    assert "vis.Network" in html and "/* partnermap view" in html  # vis + our script inline


@pytest.mark.parametrize(
    "bad",
    [
        '<script src="https://cdn.jsdelivr.net/npm/bootstrap.js"></script>',
        '<link rel="stylesheet" href="//cdn.example/x.css">',
        '<img src="http://tracker.example/p.gif">',
        '<a href="javascript:alert(1)">x</a>',
        "<style>body { background: url(https://x.example/b.png) }</style>",
        "<style>@import 'https://x.example/a.css';</style>",
    ],
)
def test_offline_check_catches_remote_references(bad: str) -> None:
    with pytest.raises(OfflineError):
        check_offline(f"<html><body>{bad}</body></html>")


def test_offline_check_ignores_urls_that_are_only_text() -> None:
    page = (
        '<p>see https://www.southwark.gov.uk</p><a href="overview.html#focus=a%3Ab">x</a>'
        '<script type="application/json">{"t": "\\u003cimg src=https://x\\u003e"}</script>'
    )
    assert remote_references(page) == []


def test_hostile_text_is_escaped_everywhere(hostile_graph: PartnerGraph) -> None:
    for view in ("overview", "dependencies", "partners"):
        html = _page(hostile_graph, view)
        assert "<script>window.__pwned" not in html
        assert "<img src=x" not in html
        assert "</script><script>x=1" not in html
        # the parser sees exactly our scripts: the data blob, vis-network, ours
        assert len(SCRIPT.findall(html)) == 3
        blob = _data_blob(html)
        titles = [n["title"] for n in blob["nodes"]] + [e["title"] for e in blob["edges"]]
        assert any(PAYLOAD in t for t in titles)  # intact once parsed back
    overview = _page(hostile_graph, "overview")
    assert "Plan &lt;script&gt;window.__pwned=1&lt;/script&gt;&lt;img src=x" in overview
    assert "\\u003cscript\\u003ewindow.__pwned=1" in overview


def test_ego_heading_escapes_the_focus_label(hostile_graph: PartnerGraph) -> None:
    html = _page(hostile_graph, "ego", focus="action:evil")
    heading = re.search(r"<h1>(.*?)</h1>", html, re.DOTALL).group(1)
    assert "&lt;script&gt;window.__pwned=1" in heading and "<script" not in heading
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1)
    assert "<" not in title


def test_options_hold_no_document_text(hostile_graph: PartnerGraph) -> None:
    blob = _data_blob(_page(hostile_graph, "overview"))
    assert "pwned" not in json.dumps(blob["options"])


def test_csp_allows_exactly_the_inline_scripts(rich_graph: PartnerGraph) -> None:
    html = _page(rich_graph)
    csp = html_lib.unescape(
        re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    )
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1]
    for attrs, body in SCRIPT.findall(html):
        if "application/json" in attrs:
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp


@given(st.text())
def test_script_json_cannot_close_the_script(text: str) -> None:
    out = str(script_json({"t": text}))
    assert "<" not in out and ">" not in out and "\u2028" not in out
    assert json.loads(out) == {"t": text}


def test_write_html_writes_only_the_given_file(
    rich_graph: PartnerGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    out = tmp_path / "out" / "deep" / "view.html"
    assert write_page(to_vis_data(rich_graph, view="overview"), out) == out
    assert list(cwd.iterdir()) == []  # no lib/ beside the caller (pyvis's habit)
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == ["deep", "view.html"]
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_page_lists_legend_and_filters(rich_graph: PartnerGraph) -> None:
    html = _page(rich_graph)
    assert 'id="pm-search"' in html
    assert html.count('class="pm-kind toggle"') == 6  # Strategy..Recommendation, no Document
    # one legend button per link kind in the tiny graph (11 kinds: every edge kind of enrich())
    kinds = {str(e.kind) for e in rich_graph.edges()}
    assert html.count('class="pm-link toggle"') == len(kinds)
    assert 'data-kind="DEPENDS_ON"' in html and "depends on (inferred)" in html
    # Knife Crime Plan: its 4 own nodes (strategy, priority, 2 actions) and what they link to:
    # Police, SLaM, CAMHS (kc-1 mentions/depends on it), mh-1 (kc-1 depends on / duplicates it)
    assert '<option value="strategy:kc">Knife Crime Plan (8)</option>' in html
    assert "Partnership Southwark" in html  # colour legend
