"""PDF reader and table interpreter on Kent County Council's ICS delivery plan, Appendix B.

Expectations written by reading the PDF (pages as printed): one ruled table per
directorate ("What we have committed to | Led by | Timescale | Measure | Shared
Outcome") with its header repeated on each page, "Timescal e" split on page 8, a spare
empty column on page 7, italic full-width sub-heading rows, and "Measures within the
Logframe" indicator tables (Objectively Verifiable Indicators | Timescale | Progress).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmodel.schema import ActionRecord, LoadResult, PriorityRecord
from loaders import load_path
from loaders.readers import BlockKind, DocumentModel, read_document
from loaders.table_actions import interpret_table

KENT = (
    Path(__file__).parents[3]
    / ".."
    / "shared"
    / "corpus"
    / "kent_ics-delivery-plan_appendixB_priorities-and-actions.pdf"
)
COMMITTED = "what we have committed to"

pytestmark = pytest.mark.skipif(not KENT.exists(), reason="shared corpus not available")


@pytest.fixture(scope="module")
def kent() -> DocumentModel:
    return read_document(KENT)


@pytest.fixture(scope="module")
def kent_actions() -> list[ActionRecord]:
    results = load_path(KENT)
    for r in results:
        assert r.rows_read == r.rows_accounted, r.to_dict()
    return [rec for r in results for rec in r.records if isinstance(rec, ActionRecord)]


def _tables(doc: DocumentModel) -> list:
    return [b for b in doc.blocks if b.kind is BlockKind.TABLE]


def _action(actions: list[ActionRecord], start: str) -> ActionRecord:
    found = [a for a in actions if a.text.startswith(start)]
    assert len(found) == 1, (start, [a.text for a in found])
    return found[0]


def test_lines_carry_their_pages(kent: DocumentModel) -> None:
    assert kent.format == "pdf" and len(kent.line_pages) == len(kent.lines)
    assert max(kent.line_pages) == 31  # 31 pages
    first_p5 = kent.line_pages.index(5) + 1
    assert "Proposed Priorities to Improve Health and Wellbeing" in kent.lines[first_p5 - 1]


def test_one_action_table_per_directorate_section_and_the_repeated_header_dropped(
    kent: DocumentModel,
) -> None:
    action_tables = [t for t in _tables(kent) if t.header_texts()[:1] == ["What we have committed to"]]
    # CYPE p5, Public Health p7-11, Public Health Education p12, Communities p14, HROD p16-17,
    # Procurement p19, Adult Social Care p21-25, GET p27-29 (a new page heading starts a table)
    assert [t.page for t in action_tables] == [5, 7, 12, 14, 16, 19, 21, 27]
    for t in action_tables:
        assert t.header_texts() == [
            "What we have committed to",
            "Led by",
            "Timescale",
            "Measure",
            "Shared Outcome",
        ]
        for row in t.rows:  # the header printed again on each page is not a body row
            assert row[0].text.casefold() != COMMITTED
    logframes = [t for t in _tables(kent) if t.header_texts()[:1] == ["Objectively Verifiable Indicators"]]
    assert [t.page for t in logframes] == [6, 13, 15, 18, 20, 26, 30]


def test_table_over_pages_keeps_page_of_each_cell(kent: DocumentModel) -> None:
    ph = next(t for t in _tables(kent) if t.page == 7)
    pages = {c.page for row in ph.rows for c in row}
    assert pages == {7, 8, 9, 10, 11}
    gain = next(r for r in ph.rows if r[0].text.startswith("Gain assurance that there are systems"))
    assert gain[0].page == 8 and gain[1].text == "DPH/DDPH"
    # the cell cites the lines its words are on
    assert "Gain assurance that there are systems in place" in kent.lines[gain[0].line_start - 1]
    assert kent.line_pages[gain[0].line_start - 1] == 8


def test_spare_column_folded_and_section_rows_span(kent: DocumentModel) -> None:
    ph = next(t for t in _tables(kent) if t.page == 7)
    assert len(ph.header[0]) == 5  # page 7 draws a sixth, empty column
    first = ph.rows[0]
    assert first[0].text.startswith("Develop a system wide approach to reduce poor outcomes")
    assert len({c.text for c in first}) == 1  # a full-width sub-heading fills every cell


def test_commitments_with_lead_and_timescale(kent_actions: list[ActionRecord]) -> None:
    hubs = _action(kent_actions, "Optimise the opportunity of family hubs")
    assert hubs.leads == ("Lead for Family Hubs",)
    assert hubs.due == "Mar 2026" and hubs.due_date == "2026-03-31"
    assert hubs.source.page == 5 and hubs.props["measure"] == "Agreed metrics on core plus and MOU with PH"
    assert hubs.props["shared_outcome"] == "SO1"
    sdp = _action(kent_actions, "Develop a cohesive and realistic ICS Shared Delivery Plan")
    assert sdp.due == "Sept 2024 for SDP, end Q3 for other delivery plans"
    assert "DPH" in sdp.leads and "CPH" in sdp.leads
    assert sdp.props["shared_outcome"] == "SO1,SO2,SO3,SO4,SO5,SO6"  # "SO\n3" wrapped codes rejoined
    assert [p.name for p in sdp.path][-1].startswith("Develop a system wide approach")
    # page 8 prints its header "Timescal e": the table continues, the column is still due
    gain = _action(kent_actions, "Gain assurance that there are systems in place")
    assert gain.leads == ("DPH/DDPH",) or gain.leads == ("DPH", "DDPH")
    assert gain.due == "March 2026" and gain.source.page == 8
    assert gain.props["shared_outcome"] == "S02,SO3"  # typo kept as printed
    mecc = _action(kent_actions, "MECC Tier 1 training and Train the trainer")
    assert mecc.leads == ("WFD",) and mecc.due == "Ongoing" and mecc.due_date is None
    assert mecc.path[0].name.endswith("Public Health Education")


def test_no_header_is_an_action_and_each_commitment_once(kent_actions: list[ActionRecord]) -> None:
    texts = [a.text for a in kent_actions]
    assert not any(t.casefold().startswith(COMMITTED) for t in texts)
    assert not any(t.casefold().startswith("objectively verifiable") for t in texts)
    commitments = [a.text for a in kent_actions if a.level == "action"]
    assert len(commitments) == len(set(commitments))
    # two directorates list the same loneliness indicator in their logframes (p15, p26)
    lonely = [a for a in kent_actions if a.text.startswith("The proportion of people who feel lonely")]
    assert sorted(a.source.page for a in lonely) == [15, 26]


def test_cype_table_has_its_eight_commitments(kent: DocumentModel) -> None:
    cype = next(t for t in _tables(kent) if t.page == 5)
    res = LoadResult(kent.name, "tables")
    assert interpret_table(kent, cype, res) == "action plan"
    actions = [r for r in res.records if isinstance(r, ActionRecord)]
    assert len(actions) == 8
    assert actions[-1].text.startswith("Ensure community learning services focus on skills for employment")
    sections = [r for r in res.records if isinstance(r, PriorityRecord)]
    assert len(sections) == 1 and sections[0].path[-1].name.startswith("CYPE recognise the importance")
    assert res.rows_read == res.rows_accounted == 9


def test_logframe_indicators(kent_actions: list[ActionRecord]) -> None:
    absence = _action(kent_actions, "Pupil absence rates will have fallen from 7.9%")
    assert absence.level == "indicator" and absence.due == "2028" and absence.source.page == 6
    assert absence.status == "open"  # no RAG column in Kent's logframe


def test_strategy_is_the_title_without_draft(kent_actions: list[ActionRecord]) -> None:
    assert {a.strategy for a in kent_actions} == {
        "Improving Health and Wellbeing ~ Kent County Council Priorities and Actions"
    }


def test_a_table_row_stays_one_line_beside_its_wrapped_cells(kent: DocumentModel) -> None:
    """Page 22: the row "Asset and strength-based approaches connecting & collaborating"
    (Head of Business Delivery Unit; Art of the possible workshop; SO2,SO3,SO4) has a
    description cell wrapping to seven lines beside short cells, so a band of whitespace
    runs down between its columns; the row is still a ruled table's, not columns of text,
    and its first printed line keeps every cell beside each other."""
    page22 = [line for line, page in zip(kent.lines, kent.line_pages, strict=True) if page == 22]
    first = next(line for line in page22 if line.startswith("Asset and strength-based approaches"))
    assert "Head of Business" in first and first.endswith("SO2,SO3,SO4")
