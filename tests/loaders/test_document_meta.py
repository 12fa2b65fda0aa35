"""A paper's title, issuing body and date, read from its top (expectations from reading
the papers: the seeds in data/, the corpus in ../shared/corpus, and made-up papers)."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from graphmodel.paths import DATA_DIR
from loaders.dates import document_date
from loaders.document_meta import DocumentMeta, body_name, document_meta, meta_of, workbook_meta
from loaders.readers import read_document
from loaders.text import read_text_document

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
KENT = CORPUS / "kent_ics-delivery-plan_appendixB_priorities-and-actions.pdf"
WEST_SUSSEX = CORPUS / "west-sussex_drug-and-alcohol-partnership_annual-progress-report_oct2024.pdf"
LEEDS = CORPUS / "leeds-community-healthcare_board-papers_2025-09-04.md"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")


# ------------------------------------------------------------------ dates
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wednesday 26 June 2019", ("2019-06-26", "day")),
        ("Date: 5 September 2017", ("2017-09-05", "day")),
        ("Thursday, 4th September 2025", ("2025-09-04", "day")),
        ("October 2024", ("2024-10-01", "month")),  # day-less: first of the month
        ("as at November 2022", ("2022-11-01", "month")),
        ("04/09/2025", ("2025-09-04", "day")),  # UK order: day first
        ("2019-06-26", ("2019-06-26", "day")),
        ("8 June", None),  # no year: cannot date a paper
        ("2018/19", None),  # a financial year is a period, not a meeting date
        ("Q3 2017/18", None),
        ("Ongoing", None),
        (None, None),
    ],
)
def test_document_date(text: str | None, expected: tuple[str, str] | None) -> None:
    assert document_date(text) == expected


def test_body_name_keeps_the_body_not_the_meeting() -> None:
    assert body_name("Trust Board Meeting Held In Public") == "Trust Board"
    assert body_name("Cabinet - 30 January 2025") == "Cabinet"
    assert body_name("Public Board Meeting") is None  # only a kind of body
    assert body_name("Partnership") is None
    assert body_name("The Partnership Board will monitor delivery.") is None  # a sentence
    assert body_name("Smoke Free West Sussex Partnership 2019-22 Strategy Extension Action Plan") is None
    assert body_name(
        "Agreed by the Northfield Community Safety Partnership, 12 March 2024.", whole=False
    ) == ("Northfield Community Safety Partnership")


# ------------------------------------------------------------------ the seeds
def test_review_cover_sheet() -> None:
    # 000: "Date:" / "26 June 2019", "Meeting Name:" / "Health and Wellbeing Board",
    # "Report title: Southwark Joint Mental Health and Wellbeing" / "Strategy delivery
    # programme annual review" (wrapped over two lines)
    meta = meta_of(read_text_document(DATA_DIR / "000_69c1f70b9380e9e0.txt"))
    assert (
        meta.title == "Southwark Joint Mental Health and Wellbeing Strategy delivery programme annual review"
    )
    assert meta.body == "Health and Wellbeing Board"
    assert (meta.meeting_date, meta.date_precision, meta.date_source) == ("2019-06-26", "day", "text")
    assert (meta.date_line, meta.body_line, meta.title_line) == (8, 11, 13)


def test_agenda_pack_front_sheet() -> None:
    # 002 opens with the sub-committee, "Tuesday 5 September 2017" (the meeting), "7.00 pm",
    # the venue; "Date: 25 August 2017" further down is the date the summons was signed.
    meta = meta_of(read_text_document(DATA_DIR / "002_bf875e7a520b882d.txt"))
    assert meta.body == "Education & Children's Services Scrutiny Sub-Committee"
    assert meta.meeting_date == "2017-09-05" and meta.date_precision == "day"
    assert meta.title == "Agenda"  # an agenda pack: "Order of Business", no report title of its own


# ------------------------------------------------------------------ the corpus
@needs_corpus
def test_west_sussex_title_page() -> None:
    # page 1: "West Sussex / Drug and Alcohol / Partnership / Annual Progress Report / October 2024"
    meta = meta_of(read_document(WEST_SUSSEX))
    assert meta.title == "Annual Progress Report"
    assert meta.body == "West Sussex Drug and Alcohol Partnership"
    assert (meta.meeting_date, meta.date_precision) == ("2024-10-01", "month")
    # "... the West Sussex Safeguarding" / "Adults Board." on page 2 ends a wrapped sentence
    assert meta.body != "Adults Board"


@needs_corpus
def test_kent_appendix_names_its_council_and_has_no_printed_date() -> None:
    # page 1: "Improving Health and / Wellbeing ~ Kent County / Council Priorities and /
    # Actions / DRAFT". The appendix prints no date and no committee (the Cabinet meeting
    # it went to is named only outside the file); its PDF properties say it was created on
    # 5 November 2024 (CreationDate D:20241105...) and call it "PowerPoint Presentation".
    meta = meta_of(read_document(KENT))
    assert meta.title == "Improving Health and Wellbeing ~ Kent County Council Priorities and Actions"
    assert meta.body == "Kent County Council"
    assert (meta.meeting_date, meta.date_source, meta.date_line) == ("2024-11-05", "metadata", 0)


@needs_corpus
def test_leeds_board_pack_first_lines() -> None:
    # "**Bundle Public Board Meeting 4 September 2025**", "Agenda", ... then the agenda's own
    # cover: "**Trust Board Meeting Held In Public**", "**Date**", "4 September 2025"
    lines = LEEDS.read_text(encoding="utf-8").splitlines()[:200]
    meta = document_meta(lines)
    assert meta.body == "Trust Board"
    assert (meta.meeting_date, meta.date_precision) == ("2025-09-04", "day")
    assert meta.title is not None and "Public Board Meeting" in meta.title
    assert "2025" not in meta.title  # the date is the paper's date, not part of its title


# ------------------------------------------------------------------ made-up papers
def test_text_paper_with_date_of_meeting_label() -> None:
    lines = [
        "Northgate City Council",
        "",
        "Adult Social Care Scrutiny Committee",
        "",
        "Date of meeting: 3 March 2021",
        "",
        "Report title: Carers Strategy refresh",
        "",
        "Report of: Director of Adult Services",
        "",
        "Date: 12 February 2021",
        "",
        "1. Purpose",
        "The committee is asked to note progress since the Health and Wellbeing Board of May 2020.",
    ]
    meta = document_meta(lines)
    assert (meta.meeting_date, meta.date_line) == ("2021-03-03", 5)  # not the report's own date
    assert meta.body == "Adult Social Care Scrutiny Committee"  # the council is the letterhead
    assert meta.title == "Carers Strategy refresh"


def test_text_paper_title_line_and_cabinet() -> None:
    lines = [
        "Knife Crime and Knife Carrying Action Plan 2017-2019",
        "Cabinet",
        "Wednesday 26 June 2019",
        "",
        "1. This plan sets out how partners will respond.",
    ]
    meta = document_meta(lines)
    assert meta.title == "Knife Crime and Knife Carrying Action Plan 2017-2019"
    assert meta.body == "Cabinet"
    assert meta.meeting_date == "2019-06-26"


def test_capitals_and_a_dated_body_line() -> None:
    meta = document_meta(
        ["HEALTH AND WELLBEING BOARD", "", "Date: 30 January 2025", "", "Subject: Better Care Fund"]
    )
    assert (meta.body, meta.title, meta.meeting_date) == (
        "Health and Wellbeing Board",
        "Better Care Fund",
        "2025-01-30",
    )
    assert body_name("EDUCATION & CHILDREN'S SERVICES SCRUTINY SUB-COMMITTEE") == (
        "Education & Children's Services Scrutiny Sub-Committee"
    )
    assert body_name("NHS SUSSEX INTEGRATED CARE BOARD") == "NHS Sussex Integrated Care Board"
    meta = document_meta(
        ["Corporate Overview and Scrutiny Management Board - Thursday 4 September 2025 9.30 am"]
    )
    assert (meta.body, meta.meeting_date) == (
        "Corporate Overview and Scrutiny Management Board",
        "2025-09-04",
    )
    meta = document_meta(
        ["Report to: Cabinet", "Date: 30 January 2025", "Subject: Integrated Care Strategy Delivery Plan"]
    )
    assert (meta.body, meta.title) == ("Cabinet", "Integrated Care Strategy Delivery Plan")


def test_letterhead_over_title_and_a_key_heading() -> None:
    lines = [
        "Riverside Borough Council and NHS Riverside CCG",
        "",
        "Joint Carers Strategy 2020-2023: delivery plan",
        "",
        "The plan below sets out who will lead each action.",
        "",
        "Key",
        "",
        "Council",  # a heading of the key, not the paper's body
        "",
        "- Adult Social Care (ASC)",
    ]
    meta = document_meta(lines)
    assert meta.title == "Joint Carers Strategy 2020-2023: delivery plan"
    assert meta.body == "Riverside Borough Council"
    assert document_meta(["Report of the Community Safety Partnership", "", "Glossary of Terms"]).body == (
        "Community Safety Partnership"
    )


def test_a_paper_that_says_nothing_about_itself() -> None:
    meta = document_meta(["the minutes were agreed.", "", "- item one", "- item two"])
    assert (meta.title, meta.body, meta.meeting_date, meta.date_precision) == (None, None, None, None)


def test_docx_core_properties(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.core_properties.title = "Riverside Youth Justice Plan 2021-2024"
    doc.core_properties.created = datetime(2021, 5, 10, 9, 30)
    doc.add_paragraph("Riverside Youth Justice Management Board")
    doc.add_paragraph("The plan sets out what partners will do to reduce offending by children.")
    path = tmp_path / "plan.docx"
    doc.save(str(path))
    meta = meta_of(read_document(path))
    assert meta.title == "Riverside Youth Justice Plan 2021-2024"  # the file's own title
    assert meta.body == "Riverside Youth Justice Management Board"
    # no date in the words: the file's creation date, said to be the file's
    assert (meta.meeting_date, meta.date_precision, meta.date_source) == ("2021-05-10", "day", "metadata")


def test_docx_date_in_the_words_beats_the_file_date(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.core_properties.created = datetime(2023, 1, 2)
    doc.add_heading("Eastbrook Health and Wellbeing Strategy 2023-2028", level=1)
    doc.add_paragraph("Eastbrook Health and Wellbeing Board")
    doc.add_paragraph("Date: 16 March 2023")
    path = tmp_path / "strategy.docx"
    doc.save(str(path))
    meta = meta_of(read_document(path))
    assert meta.title == "Eastbrook Health and Wellbeing Strategy 2023-2028"
    assert meta.body == "Eastbrook Health and Wellbeing Board"
    assert (meta.meeting_date, meta.date_source) == ("2023-03-16", "text")


def test_html_title(tmp_path: Path) -> None:
    page = tmp_path / "plan.html"
    page.write_text(
        "<html><head><title>Eastbrook Community Safety Plan 2022-2025</title>"
        "<style>h1 {color: red}</style></head><body>"
        "<p>Eastbrook Community Safety Partnership</p><p>Published March 2022</p>"
        "<h2>Our priorities</h2><ul><li>Reduce violence</li></ul></body></html>",
        encoding="utf-8",
    )
    meta = meta_of(read_document(page))
    assert meta.title == "Eastbrook Community Safety Plan 2022-2025"
    assert meta.body == "Eastbrook Community Safety Partnership"
    assert (meta.meeting_date, meta.date_precision) == ("2022-03-01", "month")


def test_junk_file_titles_are_not_titles() -> None:
    lines = ["Annual Report of the Director of Public Health", "Published 1 December 2024"]
    for junk in ("PowerPoint Presentation", "Microsoft Word - DPH report v3.docx", "report_final.pdf"):
        meta = document_meta(lines, {"format_title": junk})
        assert meta.title == "Annual Report of the Director of Public Health"
        assert meta.meeting_date == "2024-12-01"


def test_a_document_without_text_has_no_findings() -> None:
    # the loaders ask every document for its date (two-digit due years are read near it)
    for lines in ([], ["", "  "]):
        meta = document_meta(lines)
        assert (meta.title, meta.body, meta.meeting_date) == (None, None, None)


# ------------------------------------------------------------------ spreadsheets
def _workbook(path: Path, rows: list[list[object]], *, created: str | None, modified: str | None) -> Path:
    """A workbook of ``rows`` whose core properties say ``created``/``modified`` (openpyxl
    stamps "modified" with the time of saving, so the saved properties are rewritten)."""
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    core = parts["docProps/core.xml"].decode("utf-8")
    stamp = rf"<dcterms:created\1>{created}<" if created else "<"
    core = re.sub(r"<dcterms:created([^>]*)>[^<]*<", stamp, core)
    core = core.replace("</dcterms:created>", "") if not created else core
    stamp = rf"<dcterms:modified\1>{modified}<" if modified else "<"
    core = re.sub(r"<dcterms:modified([^>]*)>[^<]*<", stamp, core)
    core = core.replace("</dcterms:modified>", "") if not modified else core
    parts["docProps/core.xml"] = core.encode("utf-8")
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


HEADER = ["Action", "Lead", "Due date", "Status"]


def test_workbook_date_from_its_title_row_not_a_due_date(tmp_path: Path) -> None:
    """A date written in the title rows above the header is the tracker's date (as text,
    with its row); the due dates of the rows below, and the file's properties, are not."""
    rows = [
        ["Stop smoking partnership action tracker - progress at 14 March 2024"],
        [],
        HEADER,
        ["Train midwives", "LMS", datetime(2025, 3, 31), "On track"],
    ]
    path = _workbook(
        tmp_path / "tracker.xlsx", rows, created="2023-01-05T09:00:00Z", modified="2024-04-02T16:30:00Z"
    )
    meta = workbook_meta(path)
    assert (meta.meeting_date, meta.date_precision, meta.date_source, meta.date_line) == (
        "2024-03-14",
        "day",
        "text",
        1,
    )


def test_workbook_without_a_written_date_takes_its_properties_marked_metadata(tmp_path: Path) -> None:
    """No date in the title rows: the workbook's last-modified date, else its created
    date, day precision, marked as the file's metadata (line 0), never a due date."""
    rows = [["Tobacco control tracker"], HEADER, ["Train midwives", "LMS", datetime(2025, 3, 31), "On track"]]
    both = _workbook(
        tmp_path / "a.xlsx", rows, created="2023-01-05T09:00:00Z", modified="2024-04-02T16:30:00Z"
    )
    meta = workbook_meta(both)
    assert (meta.meeting_date, meta.date_precision, meta.date_source, meta.date_line) == (
        "2024-04-02",
        "day",
        "metadata",
        0,
    )
    created = _workbook(tmp_path / "b.xlsx", rows, created="2023-01-05T09:00:00Z", modified=None)
    assert (workbook_meta(created).meeting_date, workbook_meta(created).date_source) == (
        "2023-01-05",
        "metadata",
    )


def test_csv_tracker_has_no_date_of_its_own(tmp_path: Path) -> None:
    """A CSV file has no properties and its first row is the header: no date is made up."""
    path = tmp_path / "tracker.csv"
    path.write_text("Action,Lead,Due date\nTrain midwives,LMS,31/03/2025\n", encoding="utf-8")
    assert workbook_meta(path) == DocumentMeta()


def test_real_workbook_dated_by_its_title_row() -> None:
    """The Smokefree West Sussex action plan workbook's title row (row 2) reads "...
    Action Plan overview; as at November 2022"; the file was saved in February 2023."""
    meta = workbook_meta(Path(__file__).parent / "real" / "sfws_action_plan_2022.xlsx")
    assert (meta.meeting_date, meta.date_precision, meta.date_source, meta.date_line) == (
        "2022-11-01",
        "month",
        "text",
        2,
    )
