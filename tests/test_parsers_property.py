"""Property tests for the parsers that had none: random text never crashes them and
every row they read is accounted for (loaded + structural + rejected = read).

Loaders with their own hypothesis tests (action_plan, strategy_plan, recommendations,
workstreams, dates.parse_due without a default year, bodies.split_bodies) are not
repeated here; they are exercised together in `test_all_text_loaders_on_random_documents`.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from graphmodel.build import DocumentInfo, build_graph
from graphmodel.errors import InputError
from graphmodel.schema import ActionRecord, GlossaryRecord, LoadResult
from loaders import glossary, load_text, references, tracker
from loaders.area import areas_of_titles
from loaders.bodies import glossary_pairs
from loaders.columns import role_of
from loaders.dates import parse_due
from loaders.shifts import detect_shift, realign
from loaders.tables import cell_items, clean_cell, match_header, split_cells
from loaders.text import CONTROL_RE, TextDocument

SLOW = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _check_accounting(res: LoadResult, n_lines: int) -> None:
    """The invariant every loader promises, and provenance inside the document."""
    assert res.rows_read == res.rows_loaded + res.rows_structural + len(res.rejects)
    for rec in res.records:
        src = rec.source
        assert 1 <= src.line_start <= src.line_end <= n_lines, (rec, n_lines)
    for rej in res.rejects:
        assert 1 <= rej.line <= n_lines and rej.reason


# ------------------------------------------------------------------------------ tables.py

_CELL = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "<p>Develop survey</p>",
            "<ul> • A • B</ul>",
            "<p>Open",
            "</li></ul>",
            "<b>bold",
            "**x**",
            "•",
            "--",
            "Lead",
            "Actions",
            "Sub-Objective",
            "Expected Completion Date",
            "Priority Area – Prevention",
            "Police",
            "March 2018",
            "Ongoing",
            "RAG",
            "Amber",
            "",
        ]
    ),
)


@given(st.lists(_CELL, max_size=12))
def test_cell_helpers_never_crash_and_strip_markup(cells: list[str]) -> None:
    line = "\t".join(cells)
    assert split_cells(line) == (cells if cells else [""]) or "\t" in "".join(cells)
    for cell in cells:
        text = clean_cell(cell)
        assert text == text.strip() and "\n" not in text and "\t" not in text
        for item in cell_items(cell):
            assert item and item == item.strip()


@given(st.lists(_CELL, max_size=12))
def test_match_header_is_consistent(cells: list[str]) -> None:
    h = match_header(cells)
    if h is not None:
        assert len(h.columns) >= 3
        assert all(0 <= i < len(cells) for i in h.columns.values())
        assert h.text_role in h.columns


@given(
    st.lists(st.sampled_from(["", "", "Police", "Council", "March 2018", "text", "Amber"]), max_size=12),
    st.integers(1, 12),
    st.integers(0, 8),
)
def test_detect_shift_and_realign_keep_every_word(cells: list[str], width: int, split_at: int) -> None:
    from loaders.bodies import bodies_score
    from loaders.shifts import date_score

    scorers = {min(split_at, width - 1): bodies_score, width - 1: date_score}
    shift = detect_shift(cells, width, scorers)
    assert -3 <= shift <= 3
    assume(split_at + shift >= 0)
    out = realign(cells, shift, split_at)
    words = sorted(" ".join(cells).split())
    assert sorted(" ".join(out).split()) == words  # realigning never drops text
    if shift < 0:
        assert out[split_at:] == list(cells[split_at + shift :])


@given(
    st.lists(
        st.one_of(
            st.text(max_size=50),
            st.sampled_from(
                [
                    "Glossary",
                    "Abbreviation\tMeaning",
                    "CAMHS\tChild and Adolescent Mental Health Services",
                    "The Crown Prosecution Service (CPS) attends.",
                ]
            ),
        ),
        max_size=20,
    )
)
def test_glossary_pairs_never_crash(lines: list[str]) -> None:
    for abbr, expansion in glossary_pairs(lines).items():
        assert abbr.strip() and expansion.strip()


# ------------------------------------------------------------------------------ dates.py

_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2089, 12, 31)),
    st.sampled_from(["{d} {M} {y}", "{M} {d}, {y}", "{d}/{m:02d}/{y}", "by {d} {M} {y}"]),
)
def test_a_written_date_parses_to_itself(day: date, pattern: str) -> None:
    text = pattern.format(d=day.day, M=_MONTH_NAMES[day.month - 1], m=day.month, y=day.year)
    assert parse_due(text) == day.isoformat(), text


@given(st.text(max_size=80), st.integers(1990, 2089))
def test_parse_due_with_a_default_year_gives_a_real_date_or_none(text: str, year: int) -> None:
    out = parse_due(text, default_year=year)
    if out is not None:
        date.fromisoformat(out)  # raises on anything that is not a calendar date


# ---------------------------------------------------------------------------- glossary.py

_GLOSS_LINE = st.one_of(
    st.sampled_from(
        [
            "",
            "Glossary",
            "Glossary of terms",
            "Abbreviations",
            "Key:",
            "Abbreviation\tOrganisation/Agency/Department",
            "| --- | --- |",
            "Police services:",
            "Health",
            "CAMHS\tChild and Adolescent Mental Health",
            "- Child and Adolescent Mental Health Services (CAMHS)",
            "• Youth Offending",
            "1. Crown Prosecution Service (CPS)",
            "A very long first cell indeed\tx",
            "<b>SLaM</b>\tSouth London and Maudsley",
            "CS&P – Community Safety",
        ]
    ),
    st.builds(lambda a, b: f"{a}\t{b}", st.text(max_size=15), st.text(max_size=40)),
    st.builds(lambda t: f"- {t}", st.text(max_size=40)),
    st.text(max_size=60),
)


@SLOW
@given(st.lists(_GLOSS_LINE, max_size=40))
def test_glossary_loader_never_crashes_and_accounts(lines: list[str]) -> None:
    doc = TextDocument.from_text("g.txt", "\n".join(["Glossary", *lines]))
    res = glossary.load(doc)
    _check_accounting(res, len(doc.lines))
    for rec in res.records:
        assert isinstance(rec, GlossaryRecord) and rec.abbreviation.strip()


# ---------------------------------------------------------------------------- tracker.py

_HEADERS = ["Strategy", "Priority", "Action", "Lead", "Partners", "Due", "Status", "Progress"]
# data cells never spell a header name, so a data row is never a repeated header
_DATA = st.one_of(
    st.sampled_from(
        [
            "",
            "",
            "Police",
            "SLaM, Mind",
            "March 2018",
            "Q3 2018/19",
            "Green",
            "Knife Crime Plan",
            "Map youth provision",
            "1.5",
            "=SUM(A1)",
            "\u00a3300",
        ]
    ),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30),
).filter(lambda c: role_of(str(c)) is None)  # a data cell, not a column name


@SLOW
@given(
    columns=st.permutations(_HEADERS).map(lambda h: h[:5] if "Action" in h[:5] else h),
    rows=st.lists(st.lists(_DATA, max_size=10), max_size=25),
    title=st.booleans(),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_tracker_accounts_for_every_csv_row(
    columns: list[str], rows: list[list[str]], title: bool, delimiter: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tracker.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter=delimiter)
            if title:
                w.writerow(["Partnership action tracker 2018"])
            w.writerow(columns)
            w.writerows(rows)
        try:
            res = tracker.load(path)
        except InputError as exc:  # allowed: one clear sentence, never another exception
            assert str(exc).strip() and "\n" not in str(exc).strip()
            return
    assert res.rows_read == res.rows_accounted

    # every data row up to the last non-blank one is an action or a reject: none vanish
    # (control characters are removed on reading, with a warning: a cell of only those is blank)
    def text(c: str) -> str:
        return " ".join(CONTROL_RE.sub("", str(c)).split())

    data = list(rows)
    while data and not any(text(c) for c in data[-1]):
        data.pop()
    nonblank = sum(1 for r in data if any(text(c) for c in r))
    if not any("\n" in c or "\r" in c for r in rows for c in r):  # one line per row
        action_col = columns.index("Action")
        with_action = sum(1 for r in data if action_col < len(r) and text(r[action_col]))
        assert res.rows_loaded == with_action
        assert res.rows_loaded + len(res.rejects) == nonblank
    assert all(isinstance(r, ActionRecord) and r.text for r in res.records)


# ------------------------------------------------------------------------- references.py

_REF_LINE = st.one_of(
    st.sampled_from(
        [
            "",
            "Report title: Joint Mental Health and Wellbeing Strategy",
            "This aligns with the Suicide Prevention Strategy 2017-2020 and the",
            "Southwark’s Five Year Forward View for Mental Health.",
            "Partnership Southwark",
            "The Plan",
            "Knife Crime Action Plan (2017)",
            "Subject: Lewisham’s Housing Strategy",
            "Strategy",
            "of the Plan for",
        ]
    ),
    st.lists(
        st.sampled_from(
            [
                "the",
                "and",
                "Strategy",
                "Plan",
                "Programme",
                "Health",
                "Mental",
                "Southwark",
                "’s",
                "for",
                "2019",
                "(",
                ")",
                "of",
                "\t",
                "<p>",
                "View",
                "Partnership",
                "Children",
                "Young",
                "People",
            ]
        ),
        max_size=14,
    ).map(" ".join),
    st.text(max_size=60),
)


@SLOW
@given(st.lists(_REF_LINE, max_size=40))
def test_references_never_crash_and_account(lines: list[str]) -> None:
    doc = TextDocument.from_text("r.txt", "\n".join(lines) or " ")
    _check_accounting(references.load(doc), len(doc.lines))


# ------------------------------------------------------------------- all loaders together

_ANY_LINE = st.one_of(
    st.sampled_from(
        [
            "",
            "Knife Crime Action Plan 2018-2020",
            "Glossary",
            "Key achievements:",
            "Future objectives",
            "Workstream 2: Crisis care",
            "1. Workstream 3: Prevention",
            "Recommendation 4: That the Council reviews",
            "Strategic Priority 2: Prevention",
            "Priority Area – Prevention\tSub Area\tActions\tSub-Objective\tLead\tExpected "
            "Completion Date\tProgress to Date",
            "Actions\tLead\tTimescale",
            "Action\tOwner\tDue\tRAG",
            "\t\tDeliver training\tPolice\tMarch 2018\tGreen",
            "CAMHS\tChild and Adolescent MH",
            "<p>Develop survey</p>\t<ul><li>SASH</li>",
            "</p></ul>\t<p>",
            "<li>unclosed",
            "Page 12",
            "• Deliver weapons awareness sessions",
            "\uf0b7 Expand IAPT",
            "This workstream aims to improve access",
            "Status: Agreed",
            "Partnership Southwark is rated Amber",
            "The Suicide Prevention Strategy 2017",
        ]
    ),
    st.lists(
        st.sampled_from(
            [
                "",
                "Police",
                "Council",
                "SLaM",
                "Ongoing",
                "Q3 2018/19",
                "Amber",
                "<p>x</p>",
                "Recommendation 7",
                "2.1",
                "•",
            ]
        ),
        min_size=2,
        max_size=10,
    ).map("\t".join),
    st.builds(lambda t: f"• {t}", st.text(max_size=40)),
    st.text(max_size=60),
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(st.lists(_ANY_LINE, max_size=50))
def test_all_text_loaders_on_random_documents(lines: list[str]) -> None:
    doc = TextDocument.from_text("random.txt", "\n".join(lines) or " ")
    results = load_text(doc)
    for res in results:
        _check_accounting(res, len(doc.lines))
    # what the loaders accept, the graph builder must accept too (it validates the graph)
    build_graph(
        results,
        [DocumentInfo(doc.name, doc.sha256, doc.encoding, len(doc.lines))],
        areas_of_titles=areas_of_titles,
    )
