"""Glossary loader: the seed's "Glossary and Abbreviations" table and "Key" list, and
other shapes other councils use. Counts come from reading the documents."""

from __future__ import annotations

import pytest

from graphmodel.paths import DATA_DIR
from graphmodel.schema import GlossaryRecord, LoadResult
from loaders import glossary
from loaders.text import TextDocument, read_text_document


@pytest.fixture(scope="module")
def seed_glossary() -> list[GlossaryRecord]:
    res = glossary.load(read_text_document(DATA_DIR / "002_bf875e7a520b882d.txt"))
    assert res.rows_read == res.rows_accounted
    assert not res.rejects
    return [r for r in res.records if isinstance(r, GlossaryRecord)]


def test_seed_counts(seed_glossary: list[GlossaryRecord]) -> None:
    # table under "Glossary and Abbreviations": AKCF ... LBS Y&PS = 30 rows;
    # Key after the MH action plan: 4 Council + 1 Health and Social Care + 4 Other = 9
    table = [g for g in seed_glossary if g.category is None]
    key = [g for g in seed_glossary if g.category is not None]
    assert len(table) == 30
    assert len(key) == 9


def test_seed_table_rows(seed_glossary: list[GlossaryRecord]) -> None:
    got = {g.abbreviation: g.expansion for g in seed_glossary}
    assert got["CS&P"] == "LBS Community Safety & Partnerships Team"
    assert got["LBS YOS"] == "LBS Youth Offending Service"
    assert got["HO EGVE"] == "Home Office Ending Gang and Youth Violence Team"
    assert got["SAPH"] == "Southwark Association of Primary Head teachers"
    assert got["Youth Council"] == "LBS Youth Council"
    assert "Abbreviation" not in got  # the column header row is structure


def test_seed_key_list(seed_glossary: list[GlossaryRecord]) -> None:
    key = {g.abbreviation: (g.expansion, g.category) for g in seed_glossary if g.category}
    assert key["C&F"] == ("Children and Families", "Council")
    assert key["Regen"] == ("Social Regeneration", "Council")
    # the gloss after the dash is dropped, the name continuation after "(SLaM)" kept
    assert key["PCT"] == ("Partnership Commissioning Team", "Health and Social Care")
    assert key["SLaM"] == ("South London and the Maudsley NHS Foundation Trust", "Other")
    assert key["KHP"] == ("Kings Health Partners", "Other")
    lines = {g.abbreviation: g.source.line_start for g in seed_glossary}
    doc = read_text_document(DATA_DIR / "002_bf875e7a520b882d.txt")
    assert "(SLaM)" in doc.line(lines["SLaM"])  # provenance points at the bullet


def test_review_has_no_glossary() -> None:
    # "Key achievements:" and "KEY ISSUES FOR CONSIDERATION" are not glossary headings
    res = glossary.load(read_text_document(DATA_DIR / "000_69c1f70b9380e9e0.txt"))
    assert res.records == [] and res.rows_read == 0


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Glossary and Abbreviations", True),
        ("Key", True),
        ("Abbreviations:", True),
        ("**Glossary**", True),
        ("List of acronyms", True),
        ("Key achievements:", False),
        ("KEY ISSUES FOR CONSIDERATION", False),
        ("Key partners working to deliver", False),
        ("Glossary\tTerm", False),
        # markup inside the word, and case folding: still the heading's word
        ("Glos<i>sary</i>", True),
        ("Glos**sary", True),
        ("ABBREVIATIONS", True),
        ("Glo\u00dfary", True),
        ("Glossy papers", False),
    ],
)
def test_heading(line: str, expected: bool) -> None:
    assert glossary.is_glossary_heading(line) is expected


def _load(text: str) -> tuple[dict[str, str], LoadResult]:
    res = glossary.load(TextDocument.from_text("other.txt", text))
    assert res.rows_read == res.rows_accounted
    return {r.abbreviation: r.expansion for r in res.records}, res


def test_dash_and_pipe_glossaries() -> None:
    got, _ = _load(
        "Abbreviations\n\nCCG – Clinical Commissioning Group\nYOT - Youth Offending "
        "Team\n\nThe plan was agreed.\n\nGlossary\n| Term | Meaning |\n|---|---|\n"
        "| LAS | London Ambulance Service |\n"
    )
    assert got == {
        "CCG": "Clinical Commissioning Group",
        "YOT": "Youth Offending Team",
        "LAS": "London Ambulance Service",
    }


def test_block_ends_at_prose_and_bad_rows_are_rejected() -> None:
    got, res = _load(
        "Key\n\nPartners\n- Adult Social Care (ASC)\n- Housing providers\n\n"
        "We will work together across the borough to deliver the plan.\n"
        "- Not a key bullet (NAKB)\n"
    )
    assert got == {"ASC": "Adult Social Care"}
    assert [r.line for r in res.rejects] == [5]  # the bullet without an abbreviation
    assert res.rows_structural == 2  # "Key" and the "Partners" section heading


def test_heading_without_rows_reads_nothing() -> None:
    got, res = _load("Key\n\nThe key to success is partnership working across agencies.\n")
    assert got == {} and res.rows_read == 0
