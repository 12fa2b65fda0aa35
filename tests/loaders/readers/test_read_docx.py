"""DOCX reader: a real partnership plan (Smoke Free West Sussex) and made-up documents."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement

from graphmodel.errors import InputError
from loaders.readers import BlockKind, Marker, read_document

REAL = Path(__file__).parents[1] / "real"


def test_real_plan_table_header_rows_and_lines() -> None:
    doc = read_document(REAL / "sfws_action_plan_2022.docx")
    assert doc.format == "docx" and doc.line_pages == ()
    first = doc.blocks[0]
    assert first.kind is BlockKind.PARAGRAPH
    assert first.text.startswith("Smoke Free West Sussex Partnership 2019-22 Strategy Extension Action Plan")
    tables = [b for b in doc.blocks if b.kind is BlockKind.TABLE]
    assert len(tables) == 1
    t = tables[0]
    # the first row is marked "repeat as header row"; 88 actions follow
    assert t.header_texts() == [
        "Action",
        "Description",
        "What does success look like?",
        "Which partners are involved",
        "Status",
        "Latest update",
    ]
    assert len(t.rows) == 88
    third = t.rows[2]
    assert third[0].text.startswith("3 - Promote e-cigarettes as a safer and healthier alternative")
    assert third[3].text == "Fire Service" and third[4].text == "Complete"
    # one line per paragraph and per table row, in document order
    assert doc.lines[third[0].line_start - 1].startswith("3 - Promote e-cigarettes")
    assert t.rows[-1][0].text.startswith("101 - Develop communications relating to the cost of smoking")
    # lines: title, an empty paragraph, 89 rows, and the empty paragraph Word ends a body with
    assert t.line_start == 3 and t.rows[-1][0].line_start == t.line_end == 91 and len(doc.lines) == 92


def _numbered_doc(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Riverside Health Strategy", 0)
    d.add_heading("Our priorities", 1)
    d.add_paragraph("Give every child the best start", style="List Number")
    d.add_paragraph("Support people to live well", style="List Number")
    d.add_paragraph("Healthy weight", style="List Bullet 2")
    d.add_heading("Delivery", 2)
    d.add_paragraph("Plain text between.")
    t = d.add_table(rows=4, cols=3)
    for j, h in enumerate(("Action", "Lead", "Due")):
        t.cell(0, j).text = h
    t.cell(1, 0).merge(t.cell(1, 2)).text = "Theme one"
    t.cell(2, 0).text = "Open a hub"
    t.cell(2, 1).merge(t.cell(3, 1)).text = "Public Health"
    t.cell(2, 2).text = "March 2025"
    t.cell(3, 0).text = "Train staff"
    t.cell(3, 2).text = "2026"
    d.save(str(path))
    return path


def test_styles_numbering_and_merged_cells(tmp_path: Path) -> None:
    doc = read_document(_numbered_doc(tmp_path / "riverside.docx"))
    kinds = [
        (b.kind, b.level, b.marker, b.number, b.text) for b in doc.blocks if b.kind is not BlockKind.TABLE
    ]
    assert kinds == [
        (BlockKind.HEADING, 1, Marker.NONE, "", "Riverside Health Strategy"),
        (BlockKind.HEADING, 1, Marker.NONE, "", "Our priorities"),
        (BlockKind.LIST_ITEM, 0, Marker.NUMBER, "1", "Give every child the best start"),
        (BlockKind.LIST_ITEM, 0, Marker.NUMBER, "2", "Support people to live well"),
        (BlockKind.LIST_ITEM, 1, Marker.BULLET, "", "Healthy weight"),
        (BlockKind.HEADING, 2, Marker.NONE, "", "Delivery"),
        (BlockKind.PARAGRAPH, 0, Marker.NONE, "", "Plain text between."),
    ]
    assert doc.meta["title"] == "Riverside Health Strategy"
    assert doc.lines[2] == "1. Give every child the best start"  # the number as Word prints it
    t = next(b for b in doc.blocks if b.kind is BlockKind.TABLE)
    assert t.header_texts() == ["Action", "Lead", "Due"]  # first row reads as a header
    assert [c.text for c in t.rows[0]] == ["Theme one"] * 3  # merged across: every column
    assert [c.text for c in t.rows[2]] == ["Train staff", "Public Health", "2026"]  # merged down
    assert t.rows[2][0].line_start == t.line_end


def test_tbl_header_marks_two_header_rows(tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate((("Plan", "Plan"), ("Action", "Owner"), ("Do it", "Police"))):
        t.cell(r, 0).text, t.cell(r, 1).text = a, b
    for r in (0, 1):
        t.rows[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    d.save(str(tmp_path / "h.docx"))
    block = read_document(tmp_path / "h.docx").blocks[0]
    assert len(block.header) == 2 and block.header_texts() == ["Plan Action", "Plan Owner"]
    assert [[c.text for c in r] for r in block.rows] == [["Do it", "Police"]]


def test_old_word_and_broken_files_are_one_line_errors(tmp_path: Path) -> None:
    old = tmp_path / "minutes.docx"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)  # OLE container: encrypted or .doc
    with pytest.raises(InputError, match="encrypted or old-format Word file"):
        read_document(old)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match=r"not a readable \.docx file") as exc:
        read_document(broken)
    assert "\n" not in str(exc.value)
