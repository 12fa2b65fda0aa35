"""The workstreams loader on the 2019 annual review (expectations from reading the paper)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel.paths import DATA_DIR
from graphmodel.schema import ActionRecord, PriorityRecord, ReferenceRecord, StrategyRecord
from loaders import workstream_sections, workstreams
from loaders.text import TextDocument, read_text_document

REVIEW = "000_69c1f70b9380e9e0.txt"
PACK = "002_bf875e7a520b882d.txt"
REVIEW_TITLE = "Southwark Joint Mental Health and Wellbeing Strategy delivery programme annual review"
CASES = Path(__file__).parent / "cases"


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def review():
    return workstreams.load(read_text_document(DATA_DIR / REVIEW))


@pytest.fixture(scope="module")
def actions(review) -> list[ActionRecord]:
    return [r for r in review.records if isinstance(r, ActionRecord)]


@pytest.fixture(scope="module")
def streams(review) -> dict[int, PriorityRecord]:
    return {
        r.props["number"]: r
        for r in review.records
        if isinstance(r, PriorityRecord) and r.path[-1].level == "workstream"
    }


def test_nine_workstreams_with_titles(streams) -> None:
    assert sorted(streams) == list(range(1, 10))
    assert streams[1].path[-1].name == "Wellbeing, Information, Advice and Community Support"
    # the title wrapped onto a second line
    assert streams[2].path[-1].name == ("Primary Care and Improving Access to Psychological Therapies (IAPT)")
    assert streams[3].path[-1].name == "Averting Crisis and Reducing Suicide"
    assert streams[6].path[-1].name == "Housing and Move-on"
    assert streams[9].path[-1].name == "Public Mental Health and Prevention"
    assert all(s.strategy == REVIEW_TITLE for s in streams.values())


def test_achievements_and_objectives_per_workstream(actions) -> None:
    """Counted by hand: one bullet = one action, wrapped and split bullets rejoined."""
    got = Counter((a.path[0].name.split()[0], a.status) for a in actions)
    expected = {
        ("Wellbeing,", "achieved"): 8,
        ("Wellbeing,", "planned"): 7,
        ("Primary", "achieved"): 7,
        ("Primary", "planned"): 7,
        ("Averting", "achieved"): 14,
        ("Averting", "planned"): 8,
        ("Children", "achieved"): 7,
        ("Children", "planned"): 4,
        ("Older", "achieved"): 6,
        ("Housing", "achieved"): 2,
        ("Housing", "planned"): 7,
        ("Recovery,", "achieved"): 13,
        ("Recovery,", "planned"): 7,
        ("Public", "open"): 8,
        ("Public", "planned"): 11,
    }
    assert dict(got) == expected
    assert len(actions) == 116
    assert not [a for a in actions if a.path[0].name == "Engagement and co-design"]
    levels = {(a.status, a.level) for a in actions}
    assert levels == {("achieved", "achievement"), ("planned", "objective"), ("open", "action")}


def test_bullets_split_by_aims_paragraph_are_rejoined(actions) -> None:
    texts = {_norm(a.text) for a in actions}
    assert (
        "IAPT diabetes therapy pilots now established at GSTT clinic and community "
        "outpatients’ clinic, also IAPT input into the LCN COPD pilot and GSTT COPD "
        "workshops."
    ) in texts
    assert any(
        t.startswith(
            "Work to consider the findings of the Council’s Experts by Experience "
            "peer support review of SLaM Peer Support service;"
        )
        for t in texts
    )
    assert (
        "developing and promoting approaches which support prevention and early "
        "intervention, including 5 ways to wellbeing (ongoing)."
    ) in texts
    # wrapped over a blank line, and the next bullet stays separate
    assert (
        "well-established links between the MH Strategy and the Council’s Faith Strategy, "
        "involvement in the revision and update of Southwark’s Faith Directory"
    ) in texts
    assert any(t.startswith("attendance at Council VCS Liaison meetings") for t in texts)
    assert "Improve outcomes including more peer support within primary and secondary Services." in texts
    # the aims paragraph itself is never an action
    assert not [t for t in texts if "This workstream aims" in t or "The aim of this project" in t]


def test_source_lines_contain_each_action(actions) -> None:
    lines = read_text_document(DATA_DIR / REVIEW).lines
    for a in actions:
        span = _norm(" ".join(lines[a.source.line_start - 1 : a.source.line_end]))
        for word in re.findall(r"[A-Za-z]{4,}", a.text):
            assert word in span, (a.source, word)


def test_joint_planning_with_partnership_southwark_in_two_workstreams(review, actions) -> None:
    joint = [
        a
        for a in actions
        if _norm(a.text)
        .lower()
        .startswith("joint planning underway with partnership southwark mental health leads")
    ]
    assert sorted(a.path[0].name.split()[0] for a in joint) == ["Averting", "Primary"]
    assert all(a.props["aligns_with"] == ["Partnership Southwark"] for a in joint)
    refs = [
        r
        for r in review.records
        if isinstance(r, ReferenceRecord)
        and r.relation == "ALIGNS_WITH"
        and r.action_text in {a.text for a in joint}
    ]
    assert len(refs) == 2 and {r.target for r in refs} == {"Partnership Southwark"}
    assert all("Partnership Southwark" in (r.evidence or "") for r in refs)


def test_alignment_generalises_beyond_partnership_southwark(review, actions) -> None:
    suicide = next(a for a in actions if "closely aligned to the Southwark Suicide" in _norm(a.text))
    assert suicide.props["aligns_with"] == ["Suicide Prevention Strategy"]
    aims_refs = [
        r
        for r in review.records
        if isinstance(r, ReferenceRecord) and r.relation == "ALIGNS_WITH" and r.action_text is None
    ]
    assert [(r.path[0].name.split()[0], r.target) for r in aims_refs] == [
        ("Primary", "Partnership Southwark")
    ]
    aligned = [a for a in actions if "Partnership Southwark" in a.props.get("aligns_with", [])]
    assert len(aligned) >= 10  # WS1, 2, 3, 6, 7 objectives and achievements
    assert not [
        a
        for a in actions
        if "aligns_with" in a.props
        and not re.search(r"align|join|with|part (?:of|in)|contribut", a.text, re.I)
    ]


def test_public_health_table(review, actions) -> None:
    objectives = [
        r.path[-1].name
        for r in review.records
        if isinstance(r, PriorityRecord) and r.path[-1].level == "objective"
    ]
    assert objectives == [
        "1. Develop and promote public health approaches which support prevention and early intervention",
        "2. Promote wellbeing across universal services and community resources",
        "3. Work to scale-up mental health literacy and awareness training and STORM Suicide "
        "Prevention training",
    ]
    table = [a for a in actions if a.status == "open"]
    jsna = table[0]
    assert _norm(jsna.text) == (
        "Deliver the mental wellbeing JSNA, which will include a mapping "
        "of mental health resources and recommendations for future actions."
    )
    assert jsna.path[-1].name.startswith("1. Develop and promote")
    assert jsna.props["progress"] == "JSNA in progress – due end of June 2019"
    assert (jsna.due, jsna.due_date) == ("end of June 2019", "2019-06-30")
    stigma = next(a for a in table if a.text.startswith("Develop an ongoing Council-wide"))
    assert stigma.due_date == "2020-03-31"
    assert stigma.props["progress"].startswith("PH is working with the Council")
    storm = table[-1]
    assert _norm(storm.text) == "STORM training to be offered to staff in Southwark organisations"
    assert storm.path[-1].name.startswith("3. Work to scale-up")
    # the aims paragraph inside the table goes to the workstream, not to a cell
    assert not [a for a in table if "aim of this project" in (a.props.get("progress") or "")]


def test_rag_public_health_green_others_amber(streams) -> None:
    assert streams[9].props["rag"] == "green"
    assert {n: s.props["rag"] for n, s in streams.items() if n != 9} == {n: "amber" for n in range(1, 9)}
    assert "rated as green" in streams[9].props["rag_evidence"]


def test_aims_themes_and_workstream_8(review, streams) -> None:
    assert streams[1].props["aims"].startswith("This workstream aims to ensure that Southwark residents")
    assert streams[1].props["aims"].endswith("rather than hospital or secondary care")
    assert "Partnership Southwark" in streams[2].props["aims"]
    # WS4's aims box has two paragraphs (the second dropped after a blank line)
    assert streams[4].props["aims"].endswith("to create capacity for innovation")
    # the export pushed WS6's aims box into WS7; the loader gives it back and says so
    assert "supported accommodation" in streams[6].props["aims"]
    assert streams[7].props["aims"].startswith("The aim of this project is to support people")
    assert "aims-reassigned" in {w.kind for w in review.warnings}
    assert streams[5].props["themes"] == [
        "Preventing well",
        "Diagnosing well",
        "Living well",
        "Being supported well",
        "Dying well",
    ]
    themes = [r for r in review.records if isinstance(r, PriorityRecord) and r.path[-1].level == "theme"]
    assert len(themes) == 7  # five for dementia, two Public Health themes
    assert "separate workstream will not be completed" in streams[8].props["intro"]


def test_review_strategy_and_reference(review) -> None:
    strategies = [r for r in review.records if isinstance(r, StrategyRecord)]
    assert [(s.name, s.props["kind"]) for s in strategies] == [(REVIEW_TITLE, "review")]
    refs = [r for r in review.records if isinstance(r, ReferenceRecord) and r.relation == "REFERENCES"]
    assert [(r.strategy, r.target) for r in refs] == [
        (REVIEW_TITLE, "Joint Mental Health and Wellbeing Strategy")
    ]


def test_accounting(review) -> None:
    assert review.rows_read == review.rows_accounted
    assert not review.rejects
    # 14 list labels (two in WS1-4, 6, 7; one in WS5 and WS9) + the table header twice
    assert review.rows_structural == 16


def test_no_workstreams_in_the_2017_pack() -> None:
    res = workstreams.load(read_text_document(DATA_DIR / PACK))
    assert res.records == [] and res.rows_read == 0


def test_other_council_rag_table() -> None:
    res = workstreams.load(read_text_document(CASES / "workstreams_lewisham_housing" / "input.txt"))
    rag = {
        r.props["label"]: r.props.get("rag")
        for r in res.records
        if isinstance(r, PriorityRecord) and r.path[-1].level == "workstream"
    }
    assert rag == {
        "Workstream A": "amber",
        "Workstream B": "green",
        "Workstream C": "red",
        "Workstream D": "amber",
    }
    assert not res.warnings


@pytest.mark.parametrize(
    ("text", "due", "iso"),
    [
        ("JSNA in progress – due end of June 2019", "end of June 2019", "2019-06-30"),
        ("stigma programme for all staff by end FY19/20", "end FY19/20", "2020-03-31"),
        ("to be achieved by 31 October 2019.", "31 October 2019", "2019-10-31"),
        ("(Council Plan commitment, March 2020).", "March 2020", "2020-03-31"),
        ("between August 2019 and October 2019.", "October 2019", "2019-10-31"),
        ("Next meeting is scheduled for 24 June 2019", None, None),
    ],
)
def test_find_due(text: str, due: str | None, iso: str | None) -> None:
    assert workstream_sections.find_due(text) == (due, iso)


_LINE = st.one_of(
    st.just(""),
    st.just("Key achievements:"),
    st.just("Future objectives"),
    st.just("Next steps"),
    st.just(" 12"),
    st.just("i. Preventing well"),
    st.just("This workstream aims to help"),
    st.just("High level project objectives/ambitions: Specific Actions Progress"),
    st.just("Workstream\tRAG"),
    st.just("Workstream 1\tAmber"),
    st.just("1. Develop and"),
    st.builds(lambda k, t: f"{k}. Workstream {k}: {t}", st.integers(1, 20), st.text(max_size=30)),
    st.builds(lambda t: f"- {t}", st.text(max_size=60)),
    st.builds(lambda t: f"\uf0b7 {t}", st.text(max_size=60)),
    st.builds(lambda t: f"  {t}", st.text(max_size=60)),
    st.text(max_size=80),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINE, max_size=60))
def test_random_documents_never_crash_and_account_for_rows(lines: list[str]) -> None:
    doc = TextDocument.from_text("random.txt", "\n".join(["Workstream 1: Start", *lines]))
    res = workstreams.load(doc)
    assert res.rows_read == res.rows_accounted
    for a in (r for r in res.records if isinstance(r, ActionRecord)):
        assert 1 <= a.source.line_start <= a.source.line_end <= len(doc.lines)


def test_action_alignments_reach_the_graph(seed_graph) -> None:
    """ALIGNS_WITH from the aligned actions themselves, not only from their workstreams."""
    edges = [e for e in seed_graph.edges("ALIGNS_WITH") if e.source.startswith("action:")]
    labels = {seed_graph.g.nodes[e.target]["label"] for e in edges}
    assert any("Partnership Southwark" in lbl for lbl in labels)
    to_ps = [e for e in edges if "Partnership Southwark" in seed_graph.g.nodes[e.target]["label"]]
    # from the paper: WS1 (1 objective), WS2 (3), WS3 (4), WS6 (2), WS7 (1)
    assert len(to_ps) == 11
