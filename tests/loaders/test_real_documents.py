"""Real public documents of organisations partnermap was not built on (tests/loaders/real/).

Every expectation below was written by reading the document (pdfplumber's text of the
page, checked against the page image), never from partnermap's output. Origins are in
tests/loaders/real/README.md.

- Smoke Free West Sussex Partnership, action plan overview as at November 2022, as PDF
  (17 landscape pages, one Word table printed with a white box behind each text line and
  its header repeated on every page) and as the DOCX it was printed from.
- West Sussex County Council, Suicide Prevention Strategy 2017-2020: Table 9 "Areas of
  achievement" (National strategy priority | West Sussex Action | Impact/ outputs) runs
  from page 35 to 36 with a row broken over the page and a footnote table between.
- West Sussex County Council public health, Chichester Integrated Care Team falls data and
  action pack (February 2026): a slide deck whose last table is a template (Action | Who is
  responsible | By when) with one example action and three empty rows, drawn without
  outer side rules; other tables list services and settings, not actions.
- West Sussex Joint Dementia Strategy 2020-2023 (West Sussex County Council and NHS West
  Sussex CCG), plain-text edition: its tables are population projections only.
- Department of Health and Social Care, the Khan review's summary of recommendations (2022).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from graphmodel.schema import ActionRecord, LoadResult, PriorityRecord, RecommendationRecord
from loaders import load_path
from loaders.readers import BlockKind, DocumentModel
from loaders.readers import read_document as _read

REAL = Path(__file__).parent / "real"
SFWS_PDF = REAL / "sfws_action_plan_2022.pdf"
SFWS_DOCX = REAL / "sfws_action_plan_2022.docx"
SUICIDE = REAL / "wsx_suicide_prevention_strategy_2017-2020.pdf"
FALLS = REAL / "wsx_ict_falls_action_pack_chichester_2026.pdf"
DEMENTIA = REAL / "wsx_joint_dementia_strategy_2020-2023.pdf"
KHAN = REAL / "khan_review_summary_of_recommendations_2022.pdf"


@cache
def read_document(path: Path) -> DocumentModel:
    """Each document read once for the module (PDF reading takes seconds)."""
    return _read(path)


@cache
def _load(path: Path) -> list[LoadResult]:
    results = load_path(path)
    for r in results:
        assert r.rows_read == r.rows_accounted, r.to_dict()  # every row accounted for
    return results


def _actions(results: list[LoadResult]) -> list[ActionRecord]:
    return [rec for r in results for rec in r.records if isinstance(rec, ActionRecord)]


def _one(actions: list[ActionRecord], start: str) -> ActionRecord:
    found = [a for a in actions if a.text.startswith(start)]
    assert len(found) == 1, (start, [a.text for a in found])
    return found[0]


@pytest.fixture
def sfws_pdf() -> list[LoadResult]:
    return _load(SFWS_PDF)


@pytest.fixture
def suicide() -> list[LoadResult]:
    return _load(SUICIDE)


# --------------------------------------------------------------------------- SFWS PDF
def test_sfws_pdf_one_row_per_action_not_per_printed_line(sfws_pdf: list[LoadResult]) -> None:
    actions = _actions(sfws_pdf)
    # 88 actions over the whole strategy (the plan's own count, page 2 of the strategy
    # extension), numbered 1 to 101 with gaps; each row's Action cell starts "N - "
    assert len(actions) == 88
    numbers = [int(m.group(1)) for a in actions if (m := re.match(r"(\d+) - \S", a.text))]
    assert len(numbers) == 88 and len(set(numbers)) == 88
    assert numbers[:5] == [1, 2, 3, 4, 5] and numbers[-1] == 101
    assert {11, 14, 15, 35} & set(numbers) == set()  # not in the printed plan
    tables = next(r for r in sfws_pdf if r.loader == "blocks")
    assert (tables.rows_read, tables.rows_loaded, len(tables.rejects)) == (88, 88, 0)


def test_sfws_pdf_repeated_header_is_not_an_action(sfws_pdf: list[LoadResult]) -> None:
    doc = read_document(SFWS_PDF)
    (table,) = [b for b in doc.blocks if b.kind is BlockKind.TABLE]  # one table over 17 pages
    assert table.header_texts() == [
        "Action",
        "Description",
        "What does success look like?",
        "Which partners are involved",
        "Status",
        "Latest update",
    ]
    assert {c.page for row in table.rows for c in row} == set(range(1, 18))
    assert not [a for a in _actions(sfws_pdf) if a.text.casefold().startswith("action")]


def test_sfws_pdf_actions_as_printed(sfws_pdf: list[LoadResult]) -> None:
    actions = _actions(sfws_pdf)
    first = _one(actions, "1 - Integrated stop smoking services")
    assert first.text == "1 - Integrated stop smoking services across the Local Maternity System"
    assert first.source.page == 1 and first.status == "Complete"
    assert first.supports == ("Local Maternity System",)
    assert first.props["progress"].startswith("Maternity pilot has concluded and learning will")
    assert first.props["measure"].startswith("Maternity partners across the Sussex and East Surrey")
    assert first.strategy == (
        "Smoke Free West Sussex Partnership 2019-22 Strategy Extension Action Plan overview; "
        "as at November 2022"
    )
    pilot = _one(actions, "2 - Pilot project 'Actively Quitting'")
    assert pilot.status == "Incomplete" and pilot.supports == ("Wellbeing programme",)
    family = _one(actions, "25 - Provide evidence based information via Family Assist")
    assert family.source.page == 6
    assert family.supports == (
        "Western Sussex Hospitals NHS Foundation Trust",
        "Sussex Community NHS Foundation Trust",
        "West Sussex County Council",
    )
    last = _one(actions, "101 - Develop communications relating to the cost of smoking")
    assert last.source.page == 17 and last.status == "Incomplete"
    assert "progress" not in last.props  # its Latest update cell is empty
    # the cell cites the lines its words are on
    doc = read_document(SFWS_PDF)
    assert doc.lines[family.source.line_start - 1].startswith("25 - Provide")


def test_sfws_pdf_and_docx_give_the_same_actions(sfws_pdf: list[LoadResult]) -> None:
    pdf = {a.text: a for a in _actions(sfws_pdf)}
    docx = {a.text: a for a in _actions(_load(SFWS_DOCX))}
    assert pdf.keys() == docx.keys()
    for text, a in pdf.items():
        b = docx[text]
        assert (a.leads, a.supports, a.status, a.due, a.strategy) == (
            b.leads,
            b.supports,
            b.status,
            b.due,
            b.strategy,
        ), text


# --------------------------------------------------------------------------- suicide strategy
def test_suicide_strategy_table_over_two_pages_gives_seven_actions(suicide: list[LoadResult]) -> None:
    actions = _actions(suicide)
    assert [a.text for a in actions] == [
        "SPFT suicide prevention strategy and action plan created",
        "Implementation of West Sussex Training Needs Analysis on mental health and suicide "
        "prevention awareness (Coastal West Sussex Mind, 2014)",
        "Development of a new website aimed at improving the wellbeing of the West Sussex population",
        "Review the recent escalation of suspected suicides amongst children and young people "
        "and formulate a multi-agency response",
        "CCGs and their partners to consider the emotional wellbeing needs of patients and their "
        "carers with long term conditions",
        "Develop a tiered support model for the wider social network of a CYP who has taken their own life",
        "Produce a Suicide Audit every two years or as agreed by the Public Health and Social Research Unit.",
    ]
    assert [a.source.page for a in actions] == [35, 35, 35, 36, 36, 36, 36]
    assert [a.path[-1].name for a in actions] == [
        "Reduce the risk of suicide in key high-risk groups",
        "Reduce the risk of suicide in key high-risk groups",
        "Reduce the risk of suicide in key high-risk groups",
        "Tailor approaches to improve mental health in specific groups",
        "Tailor approaches to improve mental health in specific groups",
        "Provide better information and support to those bereaved or affected by suicide",
        "Support research, data collection and monitoring",
    ]
    assert {a.strategy for a in actions} == {"West Sussex Suicide Prevention Strategy 2017-2020"}
    # section 8 "What we have already achieved": achievements, not open actions
    assert {(a.level, a.status) for a in actions} == {("achievement", "achieved")}


def test_suicide_strategy_row_broken_over_the_page_is_one_row(suicide: list[LoadResult]) -> None:
    website = _one(_actions(suicide), "Development of a new website")
    # "Development of a new website aimed at" (p35) + "improving the wellbeing of the West
    # Sussex population" (p36); its impact "has been rolled" + "out http://..."
    assert website.props["Impact/ outputs"] == (
        "The West Sussex wellbeing website has been rolled out http://www.westsussexwellbeing.org.uk/"
    )
    doc = read_document(SUICIDE)
    assert doc.page_of(website.source.line_start) == 35 and doc.page_of(website.source.line_end) == 36
    # the impact column has no role: kept whole on the action, bullets as printed
    audit = _one(_actions(suicide), "Produce a Suicide Audit")
    assert audit.props["Impact/ outputs"] == (
        "• Suicide audit completed in February 2017 and used to inform the new suicide prevention strategy."
    )


def test_suicide_strategy_statistics_and_footnote_tables_give_no_actions(suicide: list[LoadResult]) -> None:
    texts = " ".join(a.text for a in _actions(suicide))
    for printed in ("Crawley", "78.2%", "Focus on reducing suicides", "Priority area"):
        assert printed not in texts
    doc = read_document(SUICIDE)
    table9 = next(b for b in doc.blocks if b.kind is BlockKind.TABLE and b.page == 35)
    assert table9.header_texts() == ["National strategy priority", "West Sussex Action", "Impact/ outputs"]
    assert len(table9.rows) == 7


# --------------------------------------------------------------------------- falls pack
def test_falls_pack_template_table_one_action_its_side_columns_read() -> None:
    results = _load(FALLS)
    (action,) = _actions(results)
    assert action.text == (
        "Increase referrals to appropriate services for people who have experienced a fall "
        "that did not require conveyance to hospital"
    )
    assert action.source.page == 14 and action.due is None
    assert action.path[-1].name == "Focusing ICT actions"  # the slide's heading, not its lead-in
    # "Who is responsible" is the lead column; its cell names the body and its task
    assert action.leads == ("All ICT leadership members",)
    assert action.props["lead task"] == "review referral mechanisms and report changes"
    assert action.strategy == "Chichester ICT falls data and action pack"
    tables = next(r for r in results if r.loader == "blocks")
    # the example row, and three empty template rows (structure)
    assert (tables.rows_read, tables.rows_loaded, tables.rows_structural) == (4, 1, 3)


# --------------------------------------------------------------------------- dementia strategy
def test_dementia_strategy_projection_tables_are_not_actions() -> None:
    results = _load(DEMENTIA)
    # the population tables give nothing (the prose sections "Where we are now" and "How we
    # will get there" give achievements and objectives through the list interpreters)
    blocks = next(r for r in results if r.loader == "blocks")
    tables = [d for d in blocks.decisions if d.unit == "table"]
    assert tables and all(d.records == 0 for d in tables)
    table_lines = {n for d in tables for n in range(d.line_start, d.line_end + 1)}
    assert not [a for a in _actions(results) if a.source.line_start in table_lines]
    assert not [
        rec
        for rec in blocks.records
        if isinstance(rec, PriorityRecord) and rec.source.line_start in table_lines
    ]
    doc = read_document(DEMENTIA)
    assert doc.meta["title"].startswith("WEST SUSSEX JOINT DEMENTIA STRATEGY 2020 TO 2023")
    # Table 1 (p10), projected older people with dementia, England, is read whole as a
    # table (numbers are no header) and still yields nothing
    severity = next(b for b in doc.blocks if b.kind is BlockKind.TABLE and b.page == 10)
    assert [c.text for c in severity.rows[0]] == [
        "SEVERITY",
        "2019",
        "2020",
        "2025",
        "2030",
        "2040",
        "%change",
    ]
    assert [c.text for c in severity.rows[-1]][:2] == ["TOTAL", "748,000"] and len(severity.rows) == 5


# --------------------------------------------------------------------------- Khan review poster
def test_khan_review_poster_title_and_no_table_actions() -> None:
    """DHSC's one-page summary of the Khan review (Crown copyright, OGL): a poster of
    15 boxed recommendations in columns and no table of actions."""
    doc = read_document(KHAN)
    assert doc.meta["title"] == "The Khan Review: Independent review into smokefree 2030 policies"
    assert _actions(_load(KHAN)) == []


#: Each recommendation as printed on the poster, line by line (read from the page image).
KHAN_RECOMMENDATIONS = {
    1: ["REC 1: Urgently invest £125m per year in", "interventions to reach smokefree 2030."],
    2: ["REC 2: Raise age of sale of tobacco by one year, every year."],
    3: [
        "REC 3: Substantially raise the cost of tobacco",
        "duties (more than 30%) across all tobacco",
        "products, immediately. Abolish all duty free entry",
        "of tobacco products at our borders.",
    ],
    4: ["REC 4: Introduce a tobacco licence for retailers to", "limit where tobacco is available."],
    5: [
        "REC 5: Enhance local illicit tobacco enforcement",
        "by dedicating an additional funding of £15 million",
        "per year to local trading standards.",
    ],
    6: [
        "REC 6: Reduce the appeal of smoking by radically",
        "rethinking how cigarette sticks and packets look,",
        "closing regulatory gaps and tackling portrayals of",
        "smoking in the media.",
    ],
    7: [
        "REC 7: Increase smokefree places to de-",
        "normalise smoking and protect young people",
        "from second-hand smoke.",
    ],
    8: [
        "REC 8: Offer vaping as a substitute for",
        "smoking, alongside accurate information",
        "on the benefits of switching, including to",
        "healthcare professionals.",
    ],
    9: [
        "REC 9: Invest an additional £70 million per",
        "year into 'stop smoking services', ringfenced",
        "for this purpose.",
    ],
    10: [
        "REC 10: Invest £15 million per year in a well-",
        "designed national mass media campaign,",
        "supported by targeted regional media.",
    ],
    11: [
        "REC 11: The NHS needs to prioritise prevention, with further",
        "action to stop people smoking, providing support and",
        "treatment across all its services, including primary care",
    ],
    12: [
        "REC 12: Invest £15m per year to support pregnant women to quit",
        "smoking in all parts of the country.",
    ],
    13: ["REC 13: Tackle the issue of smoking and mental", "health."],
    14: [
        "REC 14: Invest £8m to ensure regional and local",
        "prioritisation of stop smoking interventions",
        "through ICS leadership.",
    ],
    15: [
        "REC 15: Invest £2 million per year in new",
        "research and data, including investing £2 million",
        "in an innovation fund.",
    ],
}


def _printed(text: str) -> str:
    """A line as compared with the print: spaces collapsed, curly quotes straight."""
    return " ".join(text.replace("‘", "'").replace("’", "'").split())


def test_khan_review_poster_columns_read_one_after_another() -> None:
    """The poster sets its parts in three columns side by side (Parts 1 and 3 on the left,
    Part 2's REC 2 and the image caption in the middle beside REC 3-7, Part 4's REC 11-12
    beside REC 13-15). Each recommendation reads as printed, on consecutive lines, and no
    line joins the text of two columns."""
    lines = [_printed(line) for line in read_document(KHAN).lines]
    assert not [line for line in lines if len(re.findall(r"\bREC \d+:", line)) > 1]
    starts = {}
    for n, printed in KHAN_RECOMMENDATIONS.items():
        first = lines.index(printed[0])
        assert lines[first : first + len(printed)] == printed, n
        starts[n] = first
    # column by column, top to bottom: left (Part 1, Part 3), middle and right under
    # Part 2, then Part 4's middle and right
    order = ["Part 1: Invest Now", 1, "Part 3: Quit for Good", 8, 9, 10, "Part 2: Stop the Start", 2]
    order += [3, 4, 5, 6, 7, "Part 4: System Change", 11, 12, 13, 14, 15]
    at = [lines.index(x) if isinstance(x, str) else starts[x] for x in order]
    assert at == sorted(at)


def test_falls_pack_slide_in_two_columns_reads_left_column_first() -> None:
    """Page 7 ("Where falls happen") has a left column (a chart, "Of calls to the ambulance
    service for falls:" with three bullets, its source) and a right one starting higher
    ("Of those falls that result in emergency admissions where we know the location of the
    fall:", bullets, a chart): the left column is read to its end first."""
    doc = read_document(FALLS)
    page7 = [line for line, page in zip(doc.lines, doc.line_pages, strict=True) if page == 7]
    left = page7.index("Of calls to the ambulance service for falls:")
    right = page7.index("Of those falls that result in emergency admissions")
    assert left < right
    assert page7[right + 1] == "where we know the location of the fall:"
    assert page7[left + 1 : left + 4] == [
        "• 3 in 4 are from people living independently",
        "• 1 in 6 are from people living in retirement housing schemes",
        "• 1 in 14 are for care home residents",
    ]


def test_khan_review_poster_loads_its_fifteen_recommendations() -> None:
    """Read column by column, the poster gives each of its 15 recommendations once, under
    its own number, starting with its text as printed (before the reader joined the
    columns' lines, 12 came out, most with another column's words inside)."""
    recs = [rec for r in _load(KHAN) for rec in r.records if isinstance(rec, RecommendationRecord)]
    assert sorted(int(rec.number) for rec in recs) == list(range(1, 16))
    for rec in recs:
        printed = " ".join(KHAN_RECOMMENDATIONS[int(rec.number)])
        assert _printed(f"REC {rec.number}: {rec.text}").startswith(_printed(printed)), rec.number


# ------------------------------------------------------------------ coastal framework summary
COASTAL = REAL / "wsx_coastal_inequalities_summary_2024.pdf"


def _page(doc: DocumentModel, n: int) -> list[str]:
    return [_printed(line) for line, page in zip(doc.lines, doc.line_pages, strict=True) if page == n]


def _runs(lines: list[str], printed: list[str]) -> bool:
    """Whether ``printed`` stands in ``lines`` as consecutive lines."""
    return any(lines[i : i + len(printed)] == printed for i in range(len(lines)))


def test_coastal_summary_two_columns_read_one_after_the_other() -> None:
    """West Sussex's coastal health inequalities framework (summary, 2024) is set in two
    columns whose lines do not line up. Page 2: the contents on the left, the
    acknowledgements on the right; page 6: sections 1-2 on the left, 3-5 on the right."""
    doc = read_document(COASTAL)
    page2 = _page(doc, 2)
    assert _runs(
        page2,
        [
            "Acknowledgements",
            "The framework was developed by a project team with",
            "membership from West Sussex County Council Public Health,",
            "Public Health and Social Research Unit, and Communities teams.",
            "With grateful thanks to all who contributed to this piece of work.",
        ],
    )
    last_entry = next(i for i, line in enumerate(page2) if line.startswith("Areas of focus ..."))
    assert page2.index("Contents") < last_entry < page2.index("Acknowledgements")
    page6 = _page(doc, 6)
    assert _runs(
        page6,
        [
            "The Chief Medical Officer's 2021 report, Health in coastal",
            "communities, found that coastal areas have some of the worst",
            "health outcomes in England, with low life expectancy and high",
        ],
    )
    assert _runs(
        page6,
        [
            "3. Excess burden of ill-health",
            "Coastal West Sussex has a higher burden of disease than non-",
            "coastal areas. The estimated prevalence of health conditions",
        ],
    )
    headings = [
        "1. General health",
        "2. Potential Years of Life Lost",
        "3. Excess burden of ill-health",
        "4. Healthy weight and overweight among 10-11 year olds",
        "5. Emergency hospital admissions for self-harm",
    ]
    at = [page6.index(h) for h in headings]
    assert at == sorted(at)


#: The poster's headings as printed (its title and its four parts), and the words set
#: under a recommendation box that are not the recommendation: REC 1's funding options
#: and the image caption beside REC 2.
KHAN_NOT_RECOMMENDATION = [
    "The Khan Review",
    "Part 1: Invest Now",
    "Part 2: Stop the Start",
    "Part 3: Quit for Good",
    "Part 4: System Change",
    "Option 1: Additional funding",
    "Option 2",
    "The image above shows the lifecycle of a smoker",
]


def test_khan_review_poster_recommendations_end_where_printed() -> None:
    """Each recommendation ends with its box's last printed words: a part heading, the
    options under REC 1 and the caption beside REC 2 are not read into the one above."""
    recs = {
        int(rec.number): rec
        for r in _load(KHAN)
        for rec in r.records
        if isinstance(rec, RecommendationRecord)
    }
    assert sorted(recs) == list(range(1, 16))
    for n, printed in KHAN_RECOMMENDATIONS.items():
        assert _printed(f"REC {n}: {recs[n].text}") == _printed(" ".join(printed)), n
        for words in KHAN_NOT_RECOMMENDATION:
            assert words.lower() not in recs[n].text.lower(), (n, words)
