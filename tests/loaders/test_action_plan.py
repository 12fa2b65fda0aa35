"""The action-plan loader on the knife-crime plan of the 2017 pack, and on made-up text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmodel.paths import DATA_DIR
from graphmodel.schema import ActionRecord, LoadResult, PriorityRecord, StrategyRecord
from loaders import action_plan
from loaders.tables import clean_cell
from loaders.text import TextDocument, read_text_document

PACK = "002_bf875e7a520b882d.txt"
REVIEW = "000_69c1f70b9380e9e0.txt"
KC = "Knife Crime and Knife Carrying Action Plan 2017 - 2019"


@pytest.fixture(scope="module")
def pack() -> LoadResult:
    return action_plan.load(read_text_document(DATA_DIR / PACK))


@pytest.fixture(scope="module")
def actions(pack: LoadResult) -> list[ActionRecord]:
    return [r for r in pack.records if isinstance(r, ActionRecord)]


def _one(actions: list[ActionRecord], text: str, line: int | None = None) -> ActionRecord:
    found = [a for a in actions if a.text == text and (line is None or a.source.line_end == line)]
    assert len(found) == 1, f"{len(found)} actions {text!r}"
    return found[0]


def test_action_count(actions: list[ActionRecord], pack: LoadResult) -> None:
    # Counted by reading lines 256-414 of the pack: the data rows (tab rows that are not a
    # header and not a "Strategic Outcome" banner) per page are 260-268: 9, 273-280: 8,
    # 285-287: 3, 292-295: 4, 300-302: 3, 307-311: 5, 316-324: 9, 329-334: 6, 339-342: 4,
    # 347-353: 7, 358-363: 6, 369-373: 5, 378-382: 5, 387-391: 5, 396-398: 3, 404-405: 2,
    # 410-412: 3 = 87; each holds one sub-objective with its lead(s), none repeats its
    # predecessor. Structure: 17 header rows, 18 title lines, 3 strategic outcomes = 38.
    assert len(actions) == 87
    assert (pack.rows_read, pack.rows_loaded, pack.rows_structural) == (125, 87, 38)
    assert pack.rows_read == pack.rows_accounted and not pack.rejects
    assert all(a.strategy == KC and a.level == "sub_objective" for a in actions)


def test_strategy(pack: LoadResult) -> None:
    strategies = [r for r in pack.records if isinstance(r, StrategyRecord)]
    assert [(s.name, s.source.line_start) for s in strategies] == [(KC, 256)]


def test_headers_are_not_actions(actions: list[ActionRecord]) -> None:
    texts = {a.text for a in actions}
    assert not texts & {"Sub-Objective", "Sub Objective", "Lead", "Actions"}
    assert not any(a.text.startswith(("Priority Area", "Strategic Outcome")) for a in actions)


def test_survey_roll_out(actions: list[ActionRecord]) -> None:
    a = _one(actions, "Roll-out of borough wide survey.")
    assert a.leads == ("LBS CS&P",) and a.supports == ("LBS Education", "SASH")
    assert a.resources == ("Council", "Schools")
    assert (a.due, a.due_date) == ("Full survey to be undertaken during 2018.", "2018-12-31")
    assert a.source.line_start == 273 and a.status == "open"
    assert [p.level for p in a.path] == ["strategic_outcome", "priority_area", "sub_area", "action"]
    assert a.path[1].name == "Consultation and Engagement"
    assert a.path[3].name.startswith("Knife carrying survey to be developed")
    assert a.props["operational_outcome"] == "Survey results collated."


def test_information_sharing_rows(actions: list[ActionRecord]) -> None:
    for text, due in [
        ("Review current information sharing practice and protocols.", "2017-10-31"),
        ("Establish information and intelligence sharing practice and protocols.", "2018-04-30"),
    ]:
        a = _one(actions, text)
        assert a.leads == ("Police", "LBS CS&P", "SAPH", "SASH", "All partners")
        assert a.resources == ("Police", "Council", "Schools", "All partners")
        assert a.due_date == due
        assert a.path[1].name == "Information Sharing and Intelligence development"


def test_redthread_referral_pathway(actions: list[ActionRecord]) -> None:
    a = _one(actions, "To reduce risk by through pro-active intervention.")
    assert a.leads == ("LBS CS&P",) and a.supports == ("Redthread", "OASIS")
    assert a.resources == ("Council", "MOPAC") and a.due == "Ongoing" and a.due_date is None
    assert "Redthread and OASIS based in hospital A&E" in a.props["actions_text"]
    assert a.path[1].name == "Prevention and Early Intervention"  # header on its page is stale


def test_harm_reduction_led_by_health(actions: list[ActionRecord], pack: LoadResult) -> None:
    a = _one(actions, "To reduce risk by taking on pro-active preventative work.", line=398)
    assert a.leads == ("Health",) and a.resources == ("Health",)
    assert "substance misuse and mental health" in a.props["actions_text"]
    assert a.props["agency_outcome"].startswith("To broker better joint-working")


def test_continued_cells_and_connectives(actions: list[ActionRecord]) -> None:
    # Line 276 leaves Actions and Sub-Objective empty: it continues line 275's.
    a = _one(actions, "Identify best way to engage to engage with victims of knife crime.", line=276)
    assert a.leads == ("YOS – RJ and Victim Staff",) and a.source.line_start == 275
    b = _one(actions, "Develop understanding of knife crime problem profile in Southwark.")
    assert b.leads == ("LBS Regulatory Services",) and b.supports == ("Police",)
    c = _one(actions, "Schools to agree key messages that resonate with broader partnership.")
    assert c.leads == ("SAPH", "SASH")
    d = _one(
        actions,
        "To ensure that enforcement activity is aligned with best practice to "
        "support victims and to divert offenders robustly away from criminal activity.",
    )
    assert d.leads == ("Police",) and d.supports == ("CPS", "Local magistrates")
    assert d.resources == ("Police", "CPS", "Local magistrates")  # learned from the lead cell


def test_shifted_rows_realigned(actions: list[ActionRecord], pack: LoadResult) -> None:
    shifted = {w.line for w in pack.warnings if w.kind == "shifted-cells"}
    assert {266, 275, 287, 340, 353, 391} <= shifted
    a = _one(
        actions,
        "To work with and support the AKCF and to engage with community based groups "
        "who are involved in tackling knife crime.",
    )  # line 287, one cell to the left
    assert a.leads == ("LBS CS&P", "AKCF") and a.resources == ("Council", "Voluntary sector")
    assert a.due_date == "2017-12-31"
    b = _one(actions, "Contact community, faith, third sector, business and other groups.")
    assert b.leads == ("LBS CS&P",) and b.props["progress"].startswith("Groups identified")
    # line 353 is cut at the page end: lead and agency outcome only
    c = _one(actions, "Understand scope of current provision.", line=353)
    assert c.leads == ("LBS Community Engagement",) and c.due is None
    assert any(w.kind == "no-date" and w.line == 353 for w in pack.warnings)


def test_priority_areas_from_rows_not_stale_headers(pack: LoadResult, actions: list[ActionRecord]) -> None:
    stale = {w.line for w in pack.warnings if w.kind == "stale-header"}
    assert {299, 306, 328, 338, 346, 357, 377, 386, 395, 409} == stale
    assert not stale & {259, 272, 284, 291, 315, 368, 403}
    areas = [r for r in pack.records if isinstance(r, PriorityRecord) and r.path[-1].level == "priority_area"]
    assert [r.path[-1].name for r in areas] == [
        "Consultation and Engagement",
        "Information Sharing and Intelligence development",
        "Communication of Key Messages and Awareness Raising",
        "Building resilience",
        "Prevention and Early Intervention",
        "Enforcement against perpetrators",
    ]
    building = areas[3]
    assert len(building.props["descriptions"]) == 2  # young people; parents and carers
    assert building.props["text"].startswith("Equip and support young people")
    outcomes = [
        r.path[-1].name
        for r in pack.records
        if isinstance(r, PriorityRecord) and r.path[-1].level == "strategic_outcome"
    ]
    assert outcomes == [
        "Embedding social responsibility in tackling knife crime and knife carrying",
        "Keeping Young People Safe",
        "Taking action against those perpetrating knife crime",
    ]
    enforcement = [a for a in actions if a.path[1].name == "Enforcement against perpetrators"]
    assert len(enforcement) == 5
    assert {a.path[0].name for a in enforcement} == {outcomes[2]}


def test_source_lines_contain_text(actions: list[ActionRecord], seed_lines) -> None:
    lines = seed_lines[PACK]
    for a in actions:
        span = " ".join(
            clean_cell(c)
            for n in range(a.source.line_start, a.source.line_end + 1)
            for c in lines[n - 1].split("\t")
        )
        assert " ".join(a.text.split()) in " ".join(span.split()), a.source


def test_every_action_has_lead_or_warning(actions: list[ActionRecord], pack: LoadResult) -> None:
    no_lead = {w.line for w in pack.warnings if w.kind == "no-lead"}
    assert all(a.leads or a.source.line_end in no_lead for a in actions)
    assert sum(1 for a in actions if a.due_date) >= 70


def test_packed_plan_and_review_left_alone() -> None:
    # the mental-health action plan of the pack packs several owners per cell: not ours
    review = action_plan.load(read_text_document(DATA_DIR / REVIEW))
    assert review.records == [] and review.rows_read == 0


def test_no_table_no_records() -> None:
    doc = TextDocument.from_text("x.txt", "Minutes\n\nThe lead officer gave an update.\n")
    res = action_plan.load(doc)
    assert res.records == [] and res.rows_read == 0


def test_repeated_row_at_page_top() -> None:
    header = "Action\tLead\tDue\tProgress"
    row = "Publish the plan.\tCouncil\tMarch 2019\tDrafted."
    text = "\n".join(
        [
            "Youth Plan 2018",
            "",
            header,
            row,
            "",
            "Youth Plan 2018",
            "",
            header,
            row,
            "Consult schools.\tSchools\tMay 2019\t",
            "",
        ]
    )
    res = action_plan.load(TextDocument.from_text("y.txt", text))
    acts = [r for r in res.records if isinstance(r, ActionRecord)]
    assert [a.text for a in acts] == ["Publish the plan.", "Consult schools."]
    assert [w.line for w in res.warnings if w.kind == "repeated-row"] == [9]
    assert res.rows_read == res.rows_accounted == 7  # 2 titles, 2 headers, 3 rows


_CELLS = st.sampled_from(
    [
        "",
        "Lead",
        "Actions",
        "Sub-Objective",
        "Due",
        "Police",
        "Council",
        "March 2018",
        "Ongoing",
        "<p>x</p>",
        "Priority Area – X",
        "RAG",
        "Green",
        "Strategic Outcome – Y",
        "LBS CS&P in conjunction with SASH",
        "--",
    ]
)
_LINES = st.one_of(
    st.lists(_CELLS, min_size=1, max_size=11).map("\t".join),
    st.sampled_from(["", "Action Plan 2018", "Page 2", "Some prose here."]),
    st.text(alphabet="ab \t<>p/", max_size=30),
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINES, max_size=30))
def test_random_tables_never_crash_and_account(lines: list[str]) -> None:
    text = "\n".join(["Action\tLead\tDue\tProgress", *lines])
    res = action_plan.load(TextDocument.from_text("r.txt", text))
    assert res.rows_read == res.rows_accounted
    for a in res.records:
        if isinstance(a, ActionRecord):
            assert a.text and a.source.line_start <= a.source.line_end
