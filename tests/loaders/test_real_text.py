"""Real text and Markdown papers of other organisations through the text reader and the
block classifier. Every expectation was written by reading the file (see
``real/README.md`` for origins; the Leeds pack is ``../shared/corpus``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphmodel.schema import ActionRecord, GlossaryRecord, PriorityRecord
from loaders import load_path
from loaders.readers.model import BlockKind
from loaders.readers.text import read

REAL = Path(__file__).parent / "real"
CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpus"
LEEDS = CORPUS / "leeds-community-healthcare_board-papers_2025-09-04.md"


def _records(path: Path, kind: type) -> list:
    return [r for res in load_path(path) for r in res.records if isinstance(r, kind)]


def _glossary(path: Path) -> dict[str, str]:
    return {r.abbreviation: r.expansion for r in _records(path, GlossaryRecord)}


# ---------------------------------------------------------------------------- Leeds (NHS)


@pytest.fixture(scope="module")
def leeds_log() -> list[list[str]]:
    if not LEEDS.is_file():
        pytest.skip("shared corpus not available")
    doc = read(LEEDS)
    tables = [b for b in doc.blocks if b.kind is BlockKind.TABLE and "Action Agreed" in b.header_texts()]
    assert len(tables) == 1
    (t,) = tables
    assert t.header_texts() == ["Agenda Item Number", "Action Agreed", "Lead", "Timescale/Deadline", "Status"]
    return [[c.text for c in r] for r in t.rows if r[0].text.startswith("2025-26")]


def test_leeds_action_log_rows_and_items(leeds_log: list[list[str]]) -> None:
    # "Total actions on action log 5": items (30), (37) and three from (38)
    assert [r[0].split("\n")[-1] for r in leeds_log] == ["(30)", "(37)", "(38)", "(38)", "(38)"]


def test_leeds_action_log_statuses(leeds_log: list[list[str]]) -> None:
    expected = [
        "Final report circulated to Board Members 12",
        "Email re accessing grants and applications",
        "Variability is driven by small numbers",
        "Harm gradings were aligned to national",
        "Completed July 2025",
    ]
    for row, words in zip(leeds_log, expected, strict=True):
        assert row[4].startswith(f"Propose Closure: {words}"), row[4]
    assert "continue to be monitored through the Quality, Assurance and" in leeds_log[2][4]
    assert "closure update to the Board will be provided in October 2025" in leeds_log[3][4]


def test_leeds_action_log_actions(leeds_log: list[list[str]]) -> None:
    starts = [
        "Interim Chief Executive Report:",
        "Charitable",
        "Performance Report - Duty of",
        "Performance",
        "",
    ]
    words = [
        "summary of the headlines from",
        "accessing corporate funding",
        "underlying reasons for the",
        "briefing note to be",
        "offline",
    ]
    for row, start, word in zip(leeds_log, starts, words, strict=True):
        assert row[1].startswith(start) and word in row[1], row[1]
    for row in leeds_log[:4]:
        assert "Propose Closure" not in row[1]


def test_leeds_action_log_leads(leeds_log: list[list[str]]) -> None:
    assert leeds_log[0][2].split("\n") == ["Interim Chief", "Executive"]
    for row in leeds_log[2:4]:  # Executive Director of Nursing and AHPs
        assert row[2].split("\n") == ["Executive", "Director of", "Nursing and", "AHPs"]
    assert leeds_log[0][3].startswith("Post meeting")
    # "**Update **Non-Executive Post meeting": action, lead and timescale on one printed line
    assert leeds_log[1][3] == "Post meeting" and leeds_log[1][2].startswith("Non-Executive")
    assert leeds_log[4][3].startswith("Post- meeting") and leeds_log[4][2].startswith("Non-Executive")


def test_leeds_definitions_in_running_text() -> None:
    if not LEEDS.is_file():
        pytest.skip("shared corpus not available")
    gloss = _glossary(LEEDS)
    assert gloss["BAF"] == "Board Assurance Framework"  # "Board Assurance Framework (BAF) – Update ..."
    assert gloss["Q&V"] == "Quality and Value"
    assert gloss["EPRR"] == "Emergency Preparedness Resilience and Response"
    assert gloss["PCREF"] == "Patient and Carer Race Equality Framework"
    assert gloss["RB"] == "Rachel Booth"  # the initials the action log uses: "Non-Executive Director (RB)"


# ------------------------------------------------------------------ other organisations


def test_rotherham_jargon_key_then_expansion() -> None:
    gloss = _glossary(REAL / "rotherham_send_jargon.txt")
    assert gloss["A&E"] == "Accident and Emergency"
    assert gloss["ASC (ASD)"] == "Autism Spectrum Condition (formally Autism Spectrum Disorder)"
    assert gloss["C(E)TR"] == "Care (Education) and Treatment Review"
    assert gloss["DfE"] == "Department for Education"
    assert gloss["EP"] == "Educational Psychologists"
    assert len(gloss) == 28  # A&E .. EP; the index letters "0-9", "A", "B" ... are not terms
    assert "A" not in gloss and "0-9" not in gloss


def test_norfolk_jargon_dash_lines() -> None:
    path = REAL / "norfolk_sendiass_jargon.txt"
    gloss = _glossary(path)
    assert gloss["C & I"] == "Communication and Interaction"
    assert gloss["SEND CoP"] == "Special Educational Needs and Disability Code of Practice"
    assert gloss["SPLD"] == "Specific Learning Difficulty"  # hyphen, not an en dash
    # expansions wrapped onto the next line are joined
    assert gloss["ADHD"] == "Attention Deficit Hyperactivity Disorder"
    assert gloss["SENDIASS"] == "Special Educational Needs, Information, Advice and Support Service"
    assert len(gloss) == 22
    assert not [x for res in load_path(path) for x in res.rejects]


def test_south_glos_priority_areas() -> None:
    recs = _records(REAL / "south_glos_hwb_collective_action.txt", PriorityRecord)
    assert [(r.path[-1].level, r.path[-1].name) for r in recs] == [
        (
            "priority_area",
            "Improve educational attainment of children and young people, and promote their wellbeing "
            "and aspirations",
        ),
        ("priority_area", "Promote and enable positive mental health and wellbeing for all"),
        (
            "priority_area",
            "Promote and enable good nutrition, physical activity and a healthy weight for all",
        ),
        (
            "priority_area",
            "Maximise the potential of our built and natural environment to enable healthy lifestyles "
            "and prevent disease",
        ),
    ]
    assert {r.strategy for r in recs} == {"Areas for collective action"}  # not "Skip to main content"


def test_west_sussex_nested_domains() -> None:
    """Our text rendering of the West Sussex PDF (see real/README.md): four domains of
    system need numbered 1.-4., each with priority actions numbered 1.-3., between
    sections numbered 1.-6."""
    path = REAL / "west_sussex_dap_progress_2024.txt"
    recs = _records(path, PriorityRecord)
    domains = [r for r in recs if r.path[-1].level == "domain"]
    assert [r.path[-1].name for r in domains] == [
        "Protecting and supporting children and young people from drug and alcohol harms",
        "Enhancing criminal justice pathways and community safety",
        "Improving the access to, and quality of, treatment and recovery services",
        "Developing employment, housing, and alcohol pathways to support recovery",
    ]
    actions = [r for r in recs if r.path[-1].level == "sub_domain"]
    assert len(actions) == 12
    under = [r.path[-1].name for r in actions if r.path[0].name.startswith("Developing employment")]
    assert under == [
        "Identify, understand, and enhance existing employment related pathways and outcomes for people "
        "recovering from drug and alcohol use disorders",
        "Improve support for people with drug and alcohol use disorders in finding and maintaining suitable "
        "accommodation, and navigation of local housing provision and support",
        "Develop the capacity of non-specialist health and care professionals and services to identify, "
        "refer and provide support for alcohol-related harms",
    ]
    cross = [r.path[-1].name for r in recs if r.path[-1].level == "priority"]
    assert "A focus on prevention, resilience, and early intervention" in cross
    assert (
        "Training and communications for wider key support staff, in how to understand trauma, stigma, "
        "and work effectively with people who have substance use disorders with compassion, dignity, and "
        "respect" in cross
    )
    achieved = [a for a in _records(path, ActionRecord) if a.status == "achieved"]
    assert len(achieved) == 5 and achieved[0].text.startswith("The number of major and moderate disruptions")
    gloss = _glossary(path)
    assert gloss["WS DAP"] == "West Sussex Drug and Alcohol Partnership"
    assert gloss["OHID"] == "Office for Health Improvement and Disparities"
