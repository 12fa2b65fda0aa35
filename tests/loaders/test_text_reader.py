"""The text reader (`loaders.readers.text`): blocks of made-up text and Markdown, written
so that each expectation follows from reading the input."""

from __future__ import annotations

from pathlib import Path

from loaders.readers.model import BlockKind, DocumentModel
from loaders.readers.text import read


def _read(tmp_path: Path, text: str, name: str = "doc.txt") -> DocumentModel:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return read(p)


def _items(doc: DocumentModel) -> list[tuple[str, str, int, str]]:
    return [(b.marker.value, b.number, b.level, b.text) for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]


def test_numbering_shapes(tmp_path: Path) -> None:
    doc = _read(
        tmp_path,
        "Actions agreed\n\n1. First with a dot\n\n2) Second with a bracket\n\n3 Third with a space\n\n"
        "4.Fourth glued\n\n(a) lettered in brackets\n\nb. lettered with a dot\n\ni. roman\n\n"
        "2.1.3 Dotted number\n\n• Bullet dot\n\n▪ Square bullet\n\no Letter o bullet\n\n● Black circle\n",
    )
    got = [(m, n, t) for m, n, _, t in _items(doc)]
    assert got == [
        ("number", "1", "First with a dot"),
        ("number", "2", "Second with a bracket"),
        ("number", "3", "Third with a space"),
        ("number", "4", "Fourth glued"),
        ("letter", "a", "lettered in brackets"),
        ("letter", "b", "lettered with a dot"),
        ("roman", "i", "roman"),
        ("number", "2.1.3", "Dotted number"),
        ("bullet", "", "Bullet dot"),
        ("bullet", "", "Square bullet"),
        ("bullet", "", "Letter o bullet"),
        ("bullet", "", "Black circle"),
    ]


def test_not_numbered_items(tmp_path: Path) -> None:
    """Dates, years and amounts at the start of a line are not list numbers."""
    doc = _read(
        tmp_path, "12 June 2025 was the meeting.\n\n2024 was a hard year.\n\n300 staff were trained.\n"
    )
    assert _items(doc) == []


def test_recommendation_numbering(tmp_path: Path) -> None:
    doc = _read(
        tmp_path,
        "Recommendation 7 (Youth) That the youth council meets the cabinet.\n\n"
        "Recommendation 1:\n\nThat the council funds detached youth work.\n",
    )
    items = [
        (b.number, b.text, b.line_start, b.line_end) for b in doc.blocks if b.kind is BlockKind.LIST_ITEM
    ]
    assert items == [
        ("7", "(Youth) That the youth council meets the cabinet.", 1, 1),
        ("1", "That the council funds detached youth work.", 3, 5),
    ]


def test_restarting_numbers_nest_under_the_item_before(tmp_path: Path) -> None:
    doc = _read(
        tmp_path,
        "1. Children\n2. Justice\n1. Police visits\n2. Court pathways\n3. Treatment\n"
        "1. Faster referral\n4. Housing\n1. Hostels\n",
    )
    assert [(n, d) for _, n, d, _ in _items(doc)] == [
        ("1", 0),
        ("2", 0),
        ("1", 1),
        ("2", 1),
        ("3", 0),  # "3" follows the inner "2" too, but a "1." follows it: it is an outer item
        ("1", 1),
        ("4", 0),
        ("1", 1),
    ]


def test_indentation_gives_depth(tmp_path: Path) -> None:
    doc = _read(tmp_path, "- Housing\n    - Hostels\n    - Tenancy support\n- Health\n")
    assert [(d, t) for _, _, d, t in _items(doc)] == [
        (0, "Housing"),
        (1, "Hostels"),
        (1, "Tenancy support"),
        (0, "Health"),
    ]


def test_headings(tmp_path: Path) -> None:
    doc = _read(
        tmp_path,
        "# Plan title\n\nIntroduction\n============\n\nText of the introduction runs on for a while here.\n\n"
        "SECTION TWO\n\nMore words in the second section of the paper follow.\n\n"
        "3. Local picture\n\nThe local picture is described in this paragraph of text.\n",
    )
    heads = [(b.text, b.level, b.style) for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert heads == [
        ("Plan title", 1, "markdown"),
        ("Introduction", 1, "underlined"),
        ("SECTION TWO", 2, "caps"),
        ("3. Local picture", 2, "numbered"),
    ]


def test_nbsp_and_markdown_escapes(tmp_path: Path) -> None:
    doc = _read(tmp_path, "Agenda item\u00a0\\(30\\) costs \\£5 \\- see **note**\n", name="doc.md")
    assert doc.blocks[0].text == "Agenda item (30) costs \\£5 - see note"
    assert doc.lines[0].startswith("Agenda item\u00a0\\(30\\)")  # provenance keeps the file's own text


def test_page_furniture_is_not_content(tmp_path: Path) -> None:
    bodies = ["The first page sets out the aims.", "Then the plan.", "Then the money.", "Then the risks."]
    pages = [f"Northtown Council – Cabinet report\n\n{b}\n\nPage {n} of 4\n" for n, b in enumerate(bodies, 1)]
    doc = _read(tmp_path, "\f".join(pages))
    assert [b.text for b in doc.blocks] == bodies


def test_tab_table(tmp_path: Path) -> None:
    doc = _read(
        tmp_path,
        "Priority\tAction\tLead\n\tRun youth clubs\tYouth Service\nwrapped on\n"
        "Priority\tAction\tLead\nSafety\tTrain staff\tSchools\n",
    )
    (t,) = [b for b in doc.blocks if b.kind is BlockKind.TABLE]
    assert t.header_texts() == ["Priority", "Action", "Lead"]
    # cells as read: the empty leading cell stays empty; the repeated header is not a row
    assert [[c.text for c in r] for r in t.rows] == [
        ["", "Run youth clubs", "Youth Service\nwrapped on"],
        ["Safety", "Train staff", "Schools"],
    ]
    assert t.rows[0][2].line_start == 2 and t.rows[0][2].line_end == 3


def test_pipe_table(tmp_path: Path) -> None:
    doc = _read(tmp_path, "| Term | Meaning |\n|---|:--|\n| A&E | Accident and Emergency |\n", name="d.md")
    (t,) = doc.blocks
    assert t.style == "pipe" and t.header_texts() == ["Term", "Meaning"]
    assert [[c.text for c in r] for r in t.rows] == [["A&E", "Accident and Emergency"]]


def test_space_aligned_table(tmp_path: Path) -> None:
    doc = _read(
        tmp_path,
        "Action                         Lead               Timescale\n"
        "Open two family hubs           Early Help         March 2025\n"
        "Train school staff             Safeguarding Team  June 2025\n"
        "                               Schools\n",
    )
    (t,) = doc.blocks
    assert t.style == "aligned" and t.header_texts() == ["Action", "Lead", "Timescale"]
    assert [[c.text for c in r] for r in t.rows] == [
        ["Open two family hubs", "Early Help", "March 2025"],
        ["Train school staff", "Safeguarding Team", "June 2025"],
        ["", "Schools", ""],
    ]


def test_flat_table_with_repeated_header(tmp_path: Path) -> None:
    head = "Action\n\nLead\n\nTimescale\n\n"
    doc = _read(
        tmp_path,
        "Our plan\n\n"
        + head
        + "Open two family hubs\n\nEarly Help Service\n\nMarch 2025\n\n"
        + head
        + "Train school staff\n\nSafeguarding Team\n\nJune 2025\n",
        name="d.md",
    )
    (t,) = [b for b in doc.blocks if b.kind is BlockKind.TABLE]
    assert t.style == "flat" and t.header_texts() == ["Action", "Lead", "Timescale"]
    assert [[c.text for c in r] for r in t.rows] == [
        ["Open two family hubs", "Early Help Service", "March 2025"],
        ["Train school staff", "Safeguarding Team", "June 2025"],
    ]
