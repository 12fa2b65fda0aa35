"""Shared table mechanics: cells, headers, shifts, and names of bodies in lead cells."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from loaders.bodies import BODIES_MAX, GENERIC_BODIES, Vocabulary, bodies_score, glossary_pairs, split_bodies
from loaders.shifts import bounded, date_score, detect_shift, rag_score, realign
from loaders.tables import cell_items, clean_cell, match_header

KC_HEADER = (
    "Priority Area – Consultation and Engagement\tSub Area\tActions\tSub-Objective\tLead\t"
    "Agency Outcome\tResource\tOperational Outcome\tExpected Completion Date\tProgress to Date\t"
)
GLOSSARY = {
    "CS&P": "LBS Community Safety & Partnerships Team",
    "SAPH": "Southwark Association of Primary Head teachers",
    "SASH": "Southwark Association of Secondary Head teachers",
    "LBS": "London Borough of Southwark",
    "LBS Education": "LBS Education Department",
    "LBS Y&PS": "LBS Youth & Play Service",
    "SILS": "Southwark Inclusive Learning Service",
}
VOCAB = Vocabulary([*GENERIC_BODIES, *GLOSSARY], GLOSSARY)


def test_markup_to_plain_text_and_items() -> None:
    assert clean_cell("<p>LBS CS&P</p>") == "LBS CS&P"
    assert clean_cell("<i>Funding stream to be confirmed</i>") == "Funding stream to be confirmed"
    assert clean_cell("- **Local Attitude Survey**") == "- Local Attitude Survey"
    cell = (
        'providing a profile of : <ul style="list-style-type: none"> • Offence type • who is involved </ul>'
    )
    assert cell_items(cell) == ["providing a profile of :", "Offence type", "who is involved"]
    assert clean_cell(cell) == "providing a profile of: Offence type; who is involved"
    assert cell_items("<p>March 19</p> <p>Q2 17/18</p>") == ["March 19", "Q2 17/18"]


def test_header_with_label_and_synonyms() -> None:
    h = match_header(KC_HEADER.split("\t"))
    assert h is not None
    assert h.label == "Consultation and Engagement" and h.label_role == "priority_area"
    assert h.columns["lead"] == 4 and h.columns["due"] == 8 and h.text_role == "sub_objective"
    assert h.width == 10
    other = match_header(["Ref", "Action", "Owner", "Partners", "Due", "RAG", "Update"])
    assert other is not None
    assert (other.columns["lead"], other.columns["rag"], other.columns["progress"]) == (2, 5, 6)
    assert match_header(["Objective", "Action", "Timescale"]).text_role == "action"  # rightmost


def test_not_headers() -> None:
    assert match_header(["Abbreviation", "Organisation/Agency/Department"]) is None
    assert match_header(["Item No.", "Title", "Page No."]) is None
    assert match_header(["The lead", "will report", "progress"]) is None
    assert match_header(["Lead", "Due", "Progress"]) is None  # no action text column


def test_split_bodies_by_structure() -> None:
    assert split_bodies("Police LBS CS&P SAPH SASH All partners", VOCAB) == (
        ["Police", "LBS CS&P", "SAPH", "SASH", "All partners"],
        [],
    )
    assert split_bodies("<p>LBS CS&P in conjunction with LBS Education and SASH</p>", VOCAB) == (
        ["LBS CS&P"],
        ["LBS Education", "SASH"],
    )
    assert split_bodies("LBS Regulatory Services in consultation with the Police.", VOCAB) == (
        ["LBS Regulatory Services"],
        ["Police"],
    )
    assert split_bodies("SAPH/SASH", VOCAB) == (["SAPH", "SASH"], [])
    assert split_bodies("Police (Safer Schools officers) in conjunction with secondary schools.", VOCAB) == (
        ["Police"],
        ["secondary schools"],
    )
    assert split_bodies("LBS CS&P /Y&PS in consultation with youth clubs.", VOCAB) == (
        ["LBS CS&P", "LBS Y&PS"],
        ["youth clubs"],
    )
    assert split_bodies(
        "SAPH to liaise with primary schools SASH to liaise with secondary schools "
        "LBS Education to liaise with SILS.",
        VOCAB,
    ) == (["SAPH", "SASH", "LBS Education"], ["primary schools", "secondary schools", "SILS"])
    assert split_bodies("YOS – RJ and Victim Staff", VOCAB) == (["YOS – RJ and Victim Staff"], [])
    assert split_bodies("SSCB and SSAB", VOCAB) == (["SSCB", "SSAB"], [])
    assert split_bodies("", VOCAB) == ([], [])
    # unknown words keep a run together: resolution downstream decides
    assert split_bodies("Police Schools Officers", VOCAB) == (["Police Schools Officers"], [])


def test_split_bodies_without_vocabulary_uses_generic_names() -> None:
    assert split_bodies("Police Council Schools All partners") == (
        ["Police", "Council", "Schools", "All partners"],
        [],
    )
    assert split_bodies("YOS with support from MPS") == (["YOS"], ["MPS"])


def test_scores() -> None:
    assert bodies_score("Police Council Schools", VOCAB) > 1
    assert bodies_score("October 2017", VOCAB) < 0  # a lead cell that is a date
    assert bodies_score("Consultation material reviewed and fed into updated action plan.", VOCAB) < 0.5
    assert date_score("Initial mapping exercise to be completed December 2017.") == 1
    assert date_score("Council") == 0


def test_shift_detected_and_realigned() -> None:
    # Knife-crime row 287: the sub-objective sits in the Actions column, one to the left.
    row = [
        "",
        "",
        "To work with and support the AKCF.",
        "LBS CS&P AKCF",
        "Workshop event Community groups engaged",
        "Council Voluntary sector",
        "Agreement reached on implementation of plan.",
        "December 2017 Ongoing",
        "",
        "",
    ]
    scorers = {4: lambda c: bodies_score(c, VOCAB), 6: lambda c: bodies_score(c, VOCAB), 8: date_score}
    assert detect_shift(row, 10, scorers) == -1
    fixed = realign(row, -1, 3)
    assert fixed[3] == "To work with and support the AKCF." and fixed[4] == "LBS CS&P AKCF"
    assert fixed[8] == "December 2017 Ongoing"
    aligned = [
        "",
        "",
        "",
        "Collate results.",
        "LBS CS&P",
        "Evaluation.",
        "Council",
        "Done.",
        "March 2018",
        "",
    ]
    assert detect_shift(aligned, 10, scorers) == 0
    right = [
        "",
        "",
        "Sub area.",
        "Action.",
        "Sub-objective.",
        "LBS CS&P",
        "Outcome.",
        "Council",
        "Op outcome.",
        "July 2017",
        "Groups identified.",
    ]
    assert detect_shift(right, 10, scorers) == 1
    assert realign(right, 1, 3)[:5] == ["", "Sub area.", "Action.", "Sub-objective.", "LBS CS&P"]


def test_bounded_scorers_skip_work_not_answers() -> None:
    # With scores bounded, detect_shift leaves unscored the shifts that cannot win, and
    # gives the answers the plain scorers give (-1, 0, +1 rows of the test above).
    calls: list[str] = []

    def lead(c: str) -> float:
        calls.append(c)
        return bodies_score(c, VOCAB)

    plain = {4: lead, 6: lead, 8: date_score}
    fast = {
        4: bounded(lambda c: lead(c), BODIES_MAX),
        6: bounded(lambda c: lead(c), BODIES_MAX),
        8: date_score,
    }
    rows = [
        (
            [
                "",
                "",
                "To work with and support the AKCF.",
                "LBS CS&P AKCF",
                "Workshop event",
                "Council Voluntary sector",
                "Agreement reached.",
                "December 2017 Ongoing",
                "",
                "",
            ],
            -1,
        ),
        (
            ["", "", "", "Collate results.", "LBS CS&P", "Evaluation.", "Council", "Done.", "March 2018", ""],
            0,
        ),
        (
            [
                "",
                "",
                "Sub area.",
                "Action.",
                "Sub-objective.",
                "LBS CS&P",
                "Outcome.",
                "Council",
                "Op outcome.",
                "July 2017",
                "Groups identified.",
            ],
            1,
        ),
    ]
    for row, shift in rows:
        assert detect_shift(row, 10, plain) == shift
        n_plain = len(calls)
        calls.clear()
        assert detect_shift(row, 10, fast) == shift
        assert len(calls) <= n_plain
        calls.clear()
    # an aligned row with blank cells around its lead: no other shift can gain a margin of 1
    detect_shift(rows[1][0], 10, fast)
    assert calls == ["LBS CS&P", "Council"]


def test_glossary_pairs() -> None:
    lines = [
        "Glossary and Abbreviations",
        "",
        "Abbreviation\tOrganisation",
        "SAPH\tSouthwark Association of Primary Head teachers",
        "LBS Y&PS\tLBS Youth & Play Service",
        "",
        "The Crown Prosecution Service (CPS) attends.",
    ]
    pairs = glossary_pairs(lines)
    assert pairs["SAPH"].startswith("Southwark Association") and "Abbreviation" not in pairs
    assert pairs["LBS Y&PS"] == "LBS Youth & Play Service"
    assert pairs["CPS"] == "Crown Prosecution Service"


@given(st.text(max_size=120))
def test_split_bodies_never_crashes(text: str) -> None:
    leads, supports = split_bodies(text, VOCAB)
    assert not set(leads) & set(supports)


def _detect_shift_plain(
    cells: list[str], width: int, scorers: dict, max_shift: int = 3, margin: float = 1.0
) -> int:
    """`detect_shift` as its docstring states it: every shift scored in full."""
    filled = [i for i, c in enumerate(cells) if c.strip()]

    def score(s: int) -> float:
        total = 0.0
        for col, fn in scorers.items():
            if 0 <= col + s < len(cells):
                total += fn(cells[col + s])
        overflow = sum(1 for i in filled if not 0 <= i - s < width)
        lost = sum(1 for i in filled if i < s)
        return total - 1.5 * overflow - 1.5 * lost - 0.1 * abs(s)

    scores = {s: score(s) for s in range(-max_shift, max_shift + 1)}
    best = max(sorted(scores), key=lambda s: (scores[s], -abs(s)))
    return best if best != 0 and scores[best] >= scores[0] + margin else 0


_SHIFT_CELLS = [
    "",
    " ",
    "LBS CS&P",
    "Police Council",
    "March 2018",
    "Ongoing",
    "Amber",
    "Collate results.",
    "Groups identified. Three events attended.",
    "Q3 2018/19",
]


@given(st.lists(st.sampled_from(_SHIFT_CELLS), max_size=14), st.integers(0, 12))
def test_detect_shift_same_as_plain_scoring(cells: list[str], width: int) -> None:
    bodies = bounded(lambda c: bodies_score(c, VOCAB), BODIES_MAX)
    scorers = {4: bodies, 6: bodies, 8: date_score, 9: rag_score}
    assert detect_shift(cells, width, scorers) == _detect_shift_plain(cells, width, scorers)


def _column_role_plain(cell: str):
    """`tables.column_role` without its shortcut for cells with many words."""
    from loaders import tables

    text = clean_cell(cell).strip()
    key = tables.norm(text) if text != "#" else "#"
    if key in tables._SYNONYM_TO_ROLE:
        return tables._SYNONYM_TO_ROLE[key], None
    m = tables._LABEL_RE.match(text)
    if m and tables._SYNONYM_TO_ROLE.get(tables.norm(m[1])) in tables.LABELLED_ROLES:
        return tables._SYNONYM_TO_ROLE[tables.norm(m[1])], m[2].strip()
    return None


@given(
    st.lists(
        st.sampled_from(
            [
                "Lead",
                "Expected",
                "Completion",
                "Date",
                "what",
                "we",
                "will",
                "do",
                "Priority",
                "Area",
                "–",
                "-",
                ":",
                "(",
                ")",
                "...",
                "<i>",
                "</i>",
                "**",
                "•",
                "#",
                "Sub",
                "Objective",
                "&",
                "x1",
            ]
        ),
        max_size=9,
    ),
    st.sampled_from([" ", "", "  ", "\n"]),
)
@example(["What", "we", "will", "do"], " ")  # the longest column name
@example(["Expected", "Completion", "Date", "–", "x1"], " ")
def test_column_role_same_as_plain(words: list[str], sep: str) -> None:
    from loaders.tables import column_role

    cell = sep.join(words)
    assert column_role(cell) == _column_role_plain(cell)
