"""The packed strategy action plan loader, on the seed's draft mental-health strategy and on noise."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmodel.schema import ActionRecord, PriorityRecord, StrategyRecord
from loaders import packed_cells, strategy_plan
from loaders.text import TextDocument

SEED = "002_bf875e7a520b882d.txt"
MH = "Joint Mental Health and Wellbeing Strategy 2017-2020"


@pytest.fixture(scope="module")
def result(seed_paths):
    path = next(p for p in seed_paths if p.name == SEED)
    return strategy_plan.load(TextDocument.from_text(path.name, path.read_text(encoding="utf-8")))


def _actions(result) -> list[ActionRecord]:
    return [r for r in result.records if isinstance(r, ActionRecord)]


def _action(result, startswith: str) -> ActionRecord:
    found = [a for a in _actions(result) if a.text.startswith(startswith)]
    assert len(found) == 1, f"{len(found)} actions start with {startswith!r}"
    return found[0]


def test_rows_accounted(result) -> None:
    assert result.rows_read == result.rows_accounted
    assert result.rows_read > 0


def test_strategy_name_from_the_title_block(result) -> None:
    names = {r.name for r in result.records if isinstance(r, StrategyRecord)}
    assert names == {MH}
    assert {r.strategy for r in result.records if not isinstance(r, StrategyRecord)} == {MH}


def test_five_strategic_priorities(result) -> None:
    prios = [
        r
        for r in result.records
        if isinstance(r, PriorityRecord) and r.path[-1].level == "strategic_priority"
    ]
    assert [(p.props["number"], p.path[-1].name) for p in prios] == [
        (1, "Prevention and promotion of wellbeing"),
        (2, "Community based care and activating communities"),
        (3, "Improving clinical and care services"),
        (4, "Improving recovery"),
        (5, "Improving quality and outcomes"),
    ]
    assert prios[0].props["text"].startswith("We will place focus on prevention of mental ill health")
    # the description of priority 4 runs over a page break
    assert prios[3].props["text"].endswith("promote social and community connectedness.")


def test_action_count_by_reading(result) -> None:
    # counted in the document: engagement bullets 3, priority 1: 6+8+4, priority 2: 2+7,
    # priority 3: 5+7+8+8+7, priority 4: 8+3, priority 5: 3
    assert len(_actions(result)) == 79
    assert all(a.level == "action" and a.status == "planned" for a in _actions(result))


def test_aligned_owner_and_timescale(result) -> None:
    a = _action(result, "Build self-management frameworks")
    assert a.leads == ("Big White Wall", "VCS")
    assert a.due == "Q3 17/18" and a.due_date == "2017-12-31"
    assert "alignment" not in a.props


def test_owner_wrapped_mid_word_is_rejoined(result) -> None:
    a = _action(result, "Ensure that the new Integrated Wellbeing Service for Young People")
    assert a.props["owner"] == "Public health/community safety/PCT"
    assert a.leads == ("Public health", "community safety", "PCT")
    assert a.due == "Dec 17"


def test_ambiguous_alignment_is_flagged_not_guessed(result) -> None:
    # priority 1's first row: six actions beside five owners and five timescales
    a = _action(result, "Utilise the 5 ways to wellbeing")
    assert a.props["alignment"] == "ambiguous"
    assert a.leads == () and a.due is None
    assert a.props["owner_candidates"] == [
        "Public Health",
        "Public Health",
        "Public Health And General Practice",
        "Police, SLAM, VCS",
        "Wellbeing Hub, IAPT & VCS",
    ]
    assert any(w.kind == "ambiguous-alignment" and w.line == a.source.line_start for w in result.warnings)


def test_owners_joined_by_and_are_split_with_the_key(result) -> None:
    # the strategy's Key lists "Children and Families (C&F)"; owner cells join it to others
    # with "and", which divides names only where the name itself has no "and"
    assert _action(result, "Develop models of care that promote family therapies").leads == (
        "CCG",
        "Children and Families",
    )
    assert _action(result, "We will develop targeted interventions").leads == (
        "CCG",
        "ASC",
        "Children and Families",
        "VCS",
    )
    assert _action(result, "Ensure that the sufficiency strategy").leads == ("PCT", "Children and Families")
    # "Children's and Adults' Social Care & Education": two social-care teams and education
    assert _action(result, "Reduce isolation through intergenerational projects").leads == (
        "Children's Social Care",
        "Adults' Social Care",
        "Education",
    )
    # "(PCT)" standing alone in the list is an owner, not a note on the name before it
    assert _action(result, "Offer more intensive interventions").leads == ("MH Team", "PCT", "Kings", "GSTT")
    assert _action(result, "Review Centralised Place of Safety").leads == ("PCT", "Police", "SLaM")


_KEYED_ROW = "\t".join(
    [
        "1. Prevention",
        "<p>Map crisis pathways with carers.</p> <p>Train school staff in mental health first aid.</p> "
        "<p>Run a peer support pilot.</p>",
        "<p>South London and the Maudsley and CCG</p> <p>Children and Families</p> "
        "<p>Local Care Networks & partners</p>",
        "<p>March 22</p> <p>Q2 21/22</p> <p>2023</p>",
    ]
)
_KEYED = f"""Borough Wellbeing Strategy 2021-2024

Strategic Priority\tActions\tOwner(s)\tTimescale(s)
{_KEYED_ROW}

Key

Council
- Children and Families (C&F)
Other
- Local Care Networks (LCNs)
- South London and the Maudsley (SLaM) NHS Foundation Trust

References
"""


def test_names_containing_and_stay_whole() -> None:
    res = strategy_plan.load(TextDocument.from_text("keyed.txt", _KEYED))
    acts = {a.text: a for a in _actions(res)}
    assert acts["Map crisis pathways with carers."].leads == ("South London and the Maudsley", "CCG")
    assert acts["Train school staff in mental health first aid."].leads == ("Children and Families",)
    assert acts["Run a peer support pilot."].leads == ("Local Care Networks",)  # "& partners": nobody
    assert [a.due_date for a in acts.values()] == ["2022-03-31", "2021-09-30", "2023-12-31"]
    assert res.rows_read == res.rows_accounted


def test_packed_cell_helpers() -> None:
    assert packed_cells.marked_blocks("<p>We will:</p> <ul> • Train staff; • Map <i>services</i></ul>") == [
        ("We will:", False),
        ("Train staff;", True),
        ("Map services", True),
    ]
    assert packed_cells.cell_text("<p>Q3 17/18</p> <p>(on-going)</p>") == "Q3 17/18 (on-going)"
    lines = _KEYED.splitlines()
    assert packed_cells.listed_pairs(lines) == {
        "C&F": "Children and Families",
        "LCNs": "Local Care Networks",
        "SLaM": "South London and the Maudsley NHS Foundation Trust",
    }
    vocab = packed_cells.owner_vocabulary(TextDocument.from_text("keyed.txt", _KEYED))
    assert packed_cells.split_owners("CCG and Children and Families (C&F)", vocab) == (
        "CCG",
        "Children and Families",
    )
    assert packed_cells.split_owners("SLaM, VCS,", vocab) == ("SLaM", "VCS")
    assert packed_cells.split_owners("VCS, wider partners, residents and carers", vocab) == ("VCS", "carers")


def test_paragraph_cut_by_page_break_is_one_action(result) -> None:
    a = _action(result, "Work toward reduction in rates of psychosis")
    assert "(related to economic deprivation, disadvantage, racism" in a.text
    assert a.source.line_end > a.source.line_start
    assert a.due == "March 19"
    b = _action(result, "Develop a new model of enhanced primary mental health care")
    assert b.props["owner"].endswith("vol sector service users and carers.")


def test_themes_inside_the_actions_cell(result) -> None:
    assert [p.name for p in _action(result, "Develop non-stigmatising language").path] == [
        "Prevention and promotion of wellbeing",
        "Stigma and Literacy",
    ]
    crisis = _action(result, "Collaborate with acute care providers")
    assert crisis.path[-1].level == "theme" and crisis.path[-1].name == "Crisis services"
    assert _action(result, "Develop and implement the Suicide Prevention Strategy").path[-1].name == (
        "Suicide Prevention"
    )


def test_source_lines_contain_the_text(result, seed_lines) -> None:
    lines = seed_lines[SEED]
    for r in result.records:
        if isinstance(r, StrategyRecord):
            continue
        text = r.text if isinstance(r, ActionRecord) else r.path[-1].name
        src = re.sub(r"[^a-z0-9]", "", " ".join(lines[r.source.line_start - 1 : r.source.line_end]).lower())
        for word in re.findall(r"[a-z0-9]{3,}", text.lower()):
            assert word in src, f"{word!r} of {text[:50]!r} not in lines {r.source.cite()}"


def test_knife_crime_table_is_not_claimed(result) -> None:
    # the knife-crime plan (Priority Area / Sub Area / ... / Expected Completion Date) is
    # the action_plan loader's; this loader must not read it
    assert all(a.source.line_start > 1000 for a in _actions(result))


def test_header_rule() -> None:
    assert strategy_plan.header_columns("Strategic Priority\tActions\tOwner\tTimescale\tStatus/ update")
    assert strategy_plan.header_columns("Priority\tActions\tLead\tBy when")
    assert strategy_plan.header_columns("Strategic Priority\tActions\tOwner(s)\tTimescale(s)")
    assert strategy_plan.header_columns("Action\tOwner\tDeadline") is None
    assert (
        strategy_plan.header_columns(
            "Priority Area\tSub Area\tActions\tSub-Objective\tLead\tAgency Outcome\tResource\t"
            "Operational Outcome\tExpected Completion Date\tProgress to Date"
        )
        is None
    )


_CELL = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<ul>",
            " • ",
            "Develop",
            "services",
            "1.",
            "Public Health,",
            "March 19",
            "commu",
            "nity",
            "and",
            "--",
            "(",
            ")",
            "Crisis services",
            ":",
            "we will;",
            " ",
            "Q3 17/18",
        ]
    ),
    max_size=12,
).map("".join)
_ROW = st.lists(_CELL, min_size=1, max_size=7).map("\t".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.one_of(_ROW, st.just(""), st.just("--\t--\t--\t--\t--")), max_size=25),
    before=st.sampled_from(["", "Some Council Wellbeing Plan 2020-2023\n\n", "Intro text.\n"]),
)
def test_random_tables_never_crash_and_account_for_every_row(rows: list[str], before: str) -> None:
    text = before + "Strategic Priority\tActions\tOwner\tTimescale\tStatus\n" + "\n".join(rows)
    res = strategy_plan.load(TextDocument.from_text("random.txt", text))
    assert res.rows_read == res.rows_accounted
    for r in res.records:
        assert 1 <= r.source.line_start <= r.source.line_end <= len(text.split("\n"))


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \t\n<>p/•1.:-"), max_size=300))
def test_random_text_never_crashes(text: str) -> None:
    res = strategy_plan.load(TextDocument.from_text("random.txt", text))
    assert res.rows_read == res.rows_accounted


def _marked_blocks_full(cell: str) -> list[tuple[str, bool]]:
    """`packed_cells.marked_blocks` without its shortcut for cells with no markup."""
    import html

    from loaders.tables import cell_items

    out = []
    for item in cell_items(packed_cells._ITEM_OPEN.sub("<li>\x01", cell)):
        text = " ".join(html.unescape(packed_cells._OTHER_TAG.sub(" ", item.replace("\x01", ""))).split())
        if text and text not in {"-", "--", "---"}:
            out.append((text, item.startswith("\x01")))
    return out


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab -\t\n\xa0\u2003.;:<>&*•·▪●◦\x01p/i#")), max_size=30))
def test_marked_blocks_shortcut_reads_like_the_full_steps(cell: str) -> None:
    assert packed_cells.marked_blocks(cell) == _marked_blocks_full(cell)
