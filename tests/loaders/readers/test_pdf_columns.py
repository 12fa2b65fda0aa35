"""PDF pages laid out in columns side by side are read column by column (loaders/readers/pdf.py).

The pages are drawn here with reportlab (a development dependency), so every expectation is
what was put on the page: the words of each column, where they stand, which rules cross.
The real poster this was written for (the Khan review's summary) is tested in
tests/loaders/test_real_documents.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from loaders.readers import read_document

canvas = pytest.importorskip("reportlab.pdfgen.canvas")

LEFT = [
    "Our first priority is to give every child",
    "a healthy start, with health visitors",
    "seeing each family before the birth.",
    "We will open two family hubs in 2025.",
]
RIGHT = [
    "The second priority is to help adults",
    "stay in work when they fall ill, with",
    "advice on the ward and at home, and",
    "a named contact at the job centre",
    "for every patient who asks for one.",
]


def _pdf(path: Path, draw: Callable[[Any], None]) -> Path:
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    draw(c)
    c.save()
    return path


def _columns(c: Any) -> None:
    c.setFont("Helvetica-Bold", 16)
    c.drawString(60, 780, "Health and Wellbeing Strategy: our two priorities")
    c.setFont("Helvetica", 10)
    for i, line in enumerate(LEFT):  # 14 pt apart
        c.drawString(60, 740 - 14 * i, line)
    for i, line in enumerate(RIGHT):  # 17 pt apart: the rows do not line up
        c.drawString(320, 745 - 17 * i, line)


def test_two_columns_under_a_full_width_heading_are_read_one_after_the_other(tmp_path: Path) -> None:
    doc = read_document(_pdf(tmp_path / "columns.pdf", _columns))
    assert list(doc.lines) == ["Health and Wellbeing Strategy: our two priorities", *LEFT, *RIGHT]
    paragraphs = [b.text for b in doc.blocks if b.kind.value == "paragraph"]
    assert paragraphs == [" ".join(LEFT), " ".join(RIGHT)]  # no paragraph runs across the gutter


def _table_rows(c: Any) -> None:
    """A table without vertical rules: each row's cells on one baseline."""
    c.setFont("Helvetica", 10)
    rows = [
        ("Family hubs opened", "Director of Children's Services"),
        ("Health visitor checks", "Head of Public Health Nursing"),
        ("Job centre contact named", "Employment Partnership Manager"),
        ("Ward advice service", "Hospital Discharge Lead"),
    ]
    for i, (a, b) in enumerate(rows):
        c.drawString(60, 740 - 16 * i, a)
        c.drawString(320, 740 - 16 * i, b)


def test_rows_that_line_up_across_the_gap_stay_one_line_each(tmp_path: Path) -> None:
    doc = read_document(_pdf(tmp_path / "rows.pdf", _table_rows))
    assert list(doc.lines) == [
        "Family hubs opened Director of Children's Services",
        "Health visitor checks Head of Public Health Nursing",
        "Job centre contact named Employment Partnership Manager",
        "Ward advice service Hospital Discharge Lead",
    ]


def _ruled_rows(c: Any) -> None:
    """Rows ruled across whose left cells wrap to three lines, each right cell set between
    its row's second and third lines: no row lines up across the gap, but the rules
    between the rows run right across it."""
    c.setFont("Helvetica", 10)
    y = 760
    for left, right in (
        (
            ["Open two family hubs", "in the north and the", "south of the borough"],
            "Director of Children's Services",
        ),
        (["Name a job centre", "contact for every", "patient who asks"], "Employment Partnership Manager"),
        (["Advice on the ward", "and at home after", "discharge"], "Hospital Discharge Lead"),
    ):
        c.line(50, y + 14, 545, y + 14)
        for i, line in enumerate(left):
            c.drawString(60, y - 13 * i, line)
        c.drawString(320, y - 19.5, right)
        y -= 60
    c.line(50, y + 14, 545, y + 14)


def test_a_table_ruled_across_is_not_read_as_columns(tmp_path: Path) -> None:
    """Its lines stay in page order, row by row (each right cell after its row's second
    line), not the left column's nine lines and then the right column's three."""
    path = _pdf(tmp_path / "ruled.pdf", _ruled_rows)
    with pdfplumber.open(path) as pdf:
        in_page_order = [t["text"] for t in pdf.pages[0].extract_text_lines()]
    doc = read_document(path)
    assert list(doc.lines) == in_page_order
    assert doc.lines[:4] == (
        "Open two family hubs",
        "in the north and the",
        "Director of Children's Services",
        "south of the borough",
    )


def _prose(c: Any) -> None:
    c.setFont("Helvetica", 10)
    for i, line in enumerate(LEFT + RIGHT):
        c.drawString(60, 760 - 14 * i, line)


def test_a_page_of_one_column_keeps_pdfplumbers_lines(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "prose.pdf", _prose)
    doc = read_document(path)
    assert list(doc.lines) == LEFT + RIGHT


def test_a_page_of_fifteen_hundred_lines_keeps_pdfplumbers_lines(tmp_path: Path) -> None:
    """A long web page printed to one PDF page, its leading drifting wider down the page
    (each gap between rows a little wider than the one above, so the widest gap is always
    the last): the search for columns stays bounded (no recursion error) and the lines
    are pdfplumber's."""
    path = tmp_path / "tall.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 16400))
    c.setFont("Helvetica", 10)
    written = [f"Line {i} of a very long page printed from the web" for i in range(1500)]
    y = 16350.0
    for i, line in enumerate(written):
        c.drawString(60, y, line)
        y -= 10 + 0.001 * i
    c.save()
    assert list(read_document(path).lines) == written
