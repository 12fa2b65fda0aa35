"""HTML reader: a real partnership action plan page and made-up pages."""

from __future__ import annotations

from pathlib import Path

from loaders.readers import BlockKind, Marker, read_document

REAL = Path(__file__).parents[1] / "real"


def test_real_action_cards_page() -> None:
    doc = read_document(REAL / "sfws_action_plan_2019.html")
    assert doc.format == "html" and doc.meta["title"] == "Smokefree West Sussex Action plan"
    headings = [b for b in doc.blocks if b.kind is BlockKind.HEADING]
    # 71 action cards, each headed by its title (h2), plus the "Filtering" panel heading
    h2 = [b.text for b in headings if b.level == 2]
    assert len(h2) == 72 and h2[0] == "Filtering"
    assert "Promote e-cigarettes as a safer and healthier alternative to smoking" in h2
    i = next(
        k
        for k, b in enumerate(doc.blocks)
        if b.text == "Promote e-cigarettes as a safer and healthier alternative to smoking"
        and b.kind is BlockKind.HEADING
    )
    after = [b.text for b in doc.blocks[i + 1 : i + 7]]
    assert after[1:5] == [
        "What will success look like?",
        "Increase in number of bed bound smokers using E-cigs instead of cigarettes",
        "Who are key partners for this action?",
        "Fire Service",
    ]
    # the filter panel's buttons ("All", one per theme, time frame, level, partner) are
    # furniture: only its headings are read
    assert doc.lines[:7] == (
        "Smokefree West Sussex Action plan",
        "Filtering",
        "High Impact Change",
        "Time frame",
        "Level",
        "Partner",
        "Actions",
    )
    assert "All" not in doc.lines
    # each block is one line, in order
    for b in doc.blocks:
        assert b.line_start == b.line_end and doc.lines[b.line_start - 1] == b.text


PAGE = """<!doctype html><html><head><title>Page title</title>
<style>.x{color:red}</style><script>document.write("<p>injected</p>")</script></head>
<body><header><nav><ul><li>Home</li><li>Council</li></ul></nav></header>
<main>
<h1>Eastbrook Community Safety Plan</h1>
<p>Agreed by the <b>Eastbrook</b> Partnership.</p>
<ol start="3"><li>Reduce knife crime<ol type="a"><li>Test purchasing</li><li>Weapon sweeps</li></ol></li>
<li value="7">Support victims</li></ol>
<ul><li>Youth work</li></ul>
<table>
<thead><tr><th rowspan="2">Action</th><th colspan="2">Delivery</th></tr>
<tr><th>Lead</th><th>Due</th></tr></thead>
<tbody>
<tr><td colspan="3"><em>Theme: prevention</em></td></tr>
<tr><td>Open a youth hub</td><td rowspan="2">Youth Service</td><td>May 2025</td></tr>
<tr><td>Run holiday clubs<br>in every ward</td><td>Summer 2025</td></tr>
</tbody></table>
</main><footer>Cookies and privacy</footer></body></html>"""


def test_lists_tables_and_furniture(tmp_path: Path) -> None:
    path = tmp_path / "plan.htm"
    path.write_text(PAGE, encoding="utf-8")
    doc = read_document(path)
    text = "\n".join(doc.lines)
    for absent in ("injected", "color:red", "Home", "Cookies"):
        assert absent not in text
    assert doc.meta["title"] == "Eastbrook Community Safety Plan"
    items = [(b.level, b.marker, b.number, b.text) for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    assert items == [
        (0, Marker.NUMBER, "3", "Reduce knife crime"),
        (1, Marker.LETTER, "a", "Test purchasing"),
        (1, Marker.LETTER, "b", "Weapon sweeps"),
        (0, Marker.NUMBER, "7", "Support victims"),
        (0, Marker.BULLET, "", "Youth work"),
    ]
    assert "3. Reduce knife crime" in doc.lines and "• Youth work" in doc.lines
    t = next(b for b in doc.blocks if b.kind is BlockKind.TABLE)
    assert t.header_texts() == ["Action", "Delivery Lead", "Delivery Due"]
    rows = [[c.text for c in r] for r in t.rows]
    assert rows == [
        ["Theme: prevention"] * 3,
        ["Open a youth hub", "Youth Service", "May 2025"],
        ["Run holiday clubs\nin every ward", "Youth Service", "Summer 2025"],
    ]
    # the spanned "Youth Service" cites the row it is written in
    assert t.rows[2][1].line_start == t.rows[1][0].line_start
    assert (
        doc.lines[t.rows[2][0].line_start - 1]
        == "Run holiday clubs in every ward | Youth Service | Summer 2025"
    )
