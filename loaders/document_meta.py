"""What a paper says about itself: its title, the body that issued it, and its date.

Committee papers, board packs and partnership reports open the same way whatever the
council: a cover with labelled fields ("Meeting Name: Health and Wellbeing Board",
"Date: 26 June 2019", "Report title: ..."), or a front sheet of standalone lines (the
committee, "Tuesday 5 September 2017", the time, the venue, "Order of Business"), or a
title page of headings ("West Sussex Drug and Alcohol Partnership", "Annual Progress
Report", "October 2024"). `document_meta` reads the top of a document by that structure
and vocabulary — labels, the words that end a body's name (Board, Committee, Cabinet,
Council, Partnership ...), date patterns (`loaders.dates.document_date`) — and falls back
on the file's own metadata (PDF Title/CreationDate, DOCX core properties, HTML
``<title>``, which the readers put in ``DocumentModel.meta`` as ``format_title`` and
``format_date``).

Each finding takes the best-ranked candidate, earliest first among equals:

- date: a "Date of meeting"/"Meeting date" label; a line that is a date with its weekday
  ("Tuesday 5 September 2017": how agendas print the meeting); a "Date:" label; a date in
  one of the first lines or headings; else the file's creation date (``date_source``
  says "metadata"). A day-less date ("October 2024") is the first of its month with
  ``date_precision = "month"``.
- body: a "Meeting Name:", "Meeting:", "Committee:" or "Report to:" label; a line or
  heading that is only a body's name ("Trust Board Meeting Held In Public" gives "Trust
  Board"; words like Public, Extraordinary, Meeting are the meeting's, not the body's);
  else a body named inside a heading ("... ~ Kent County Council Priorities ...").
- title: a "Report title:"/"Title:"/"Subject:" label (wrapped value joined); the file's
  title when it is a real one (not "PowerPoint Presentation" or a file name); the first
  heading or opening line that is neither the body, a date, nor page furniture; else
  "Agenda" for an agenda pack (an "Agenda" or "Order of Business" line).

A spreadsheet has no cover, only rows (`workbook_meta`): an XLSX tracker's date is a date
written in its title rows (the rows above its table's header: "Action Plan overview; as at
November 2022"), else the workbook's core properties (last modified, else created), with
``date_source = "metadata"`` and ``date_line = 0`` as for a PDF's CreationDate. A CSV file
carries no date of its own (no properties; its first row is the table's header), so it
gets none.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from graphmodel.errors import InputError

from .dates import document_date
from .readers.model import Block, BlockKind
from .readers.spreadsheet import check_archive

#: How many non-empty lines from the top are read: a cover sheet, an agenda front page,
#: or the first page of a board pack's bundle (its own cover may follow the index).
TOP_LINES = 120
#: Opening lines in which a date or a title may stand without a label.
OPENING_LINES = 6

# Words that end a body's name ("Health and Wellbeing Board", "Cabinet", "Scrutiny
# Sub-Committee", "Drug and Alcohol Partnership").
_BODY_END = (
    r"(?:Sub[- ]?Committee|Committee|Board|Cabinet|Council|Partnership|Forum|Panel|Executive"
    r"|Assembly|Commission|Authority|Group|SUB[- ]?COMMITTEE|COMMITTEE|BOARD|CABINET|COUNCIL"
    r"|PARTNERSHIP|FORUM|PANEL|EXECUTIVE|ASSEMBLY|COMMISSION|AUTHORITY|GROUP)"
)
#: Joining words kept in lower case when a capitalised name is recased ("Health and Wellbeing Board").
_SMALL_WORDS = frozenset("and of for the in on to with".split())
# A name word: capitalised (or an acronym, "&", a joining word) — "Education & Children's Services".
_NAME_WORD = r"(?:[A-Z][\w'’\-]*|&|and|of|for|the|in|on)"
_EMBEDDED_BODY = re.compile(rf"\b((?:[A-Z][\w'’\-]*\s+)(?:{_NAME_WORD}\s+)*?{_BODY_END})\b")
_BODY_LINE = re.compile(rf"^(?:{_NAME_WORD}\s+)*{_BODY_END}$")
#: Bodies whose one word is a whole name ("Cabinet", "Council": a full council meeting).
_BARE_BODIES = frozenset({"cabinet", "council", "executive"})
#: Words about the meeting or the paper, not part of the body's name.
_MEETING_WORDS = frozenset(
    """public private extraordinary special annual ordinary bundle final draft agenda
    minutes meeting meetings held in of the a an papers pack supplementary""".split()
)
_LEADING_NOISE = frozenset(
    "the a an public private extraordinary special bundle final draft agenda minutes".split()
)
_REPORT_OF = re.compile(r"^(?:joint\s+)?(?:annual\s+)?report\s+(?:of|to|from|by)\s+", re.IGNORECASE)
_TRAILING_MEETING = re.compile(
    r"\s+(?:(?:public|private|extraordinary|special|annual)\s+)?meeting(?:\s+held\s+in\s+(?:public|private))?.*$",
    re.IGNORECASE,
)

# Labels, as printed on cover sheets ("Meeting Name:", "Date of meeting:", "Report title:").
_LABEL = re.compile(r"^\s*(?P<label>[A-Za-z][A-Za-z ()/’']{1,40}?)\s*[:：]\s*(?P<value>.*)$")
_MEETING_DATE_LABELS = frozenset({"date of meeting", "meeting date", "date of the meeting", "committee date"})
_DATE_LABELS = frozenset({"date", "report date", "date of report", "publication date", "published"})
_BODY_LABELS = frozenset(
    {"meeting name", "meeting", "name of meeting", "committee", "board", "report to", "decision maker", "to"}
)
_TITLE_LABELS = frozenset(
    {"report title", "title of report", "title", "subject", "report name", "title of paper"}
)
_WEEKDAY = re.compile(r"^\s*(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)
_AGENDA = re.compile(r"^\s*(?:agenda|order of business|agenda items?)\s*$", re.IGNORECASE)
_TIME = re.compile(r"^\s*\d{1,2}[.:]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?", re.IGNORECASE)
# Page furniture: web addresses, page numbers, "Item No.", "Classification: Open", "Page 3 of 9".
_FURNITURE = re.compile(
    r"^(?:\S+\.(?:gov|org|nhs|co|ac)\.uk\S*|www\.\S+|https?://\S+|\d+|page \d+(?: of \d+)?|item no\.?.*|"
    r"classification.*|open|official(?: sensitive)?|not protectively marked|appendix [a-z0-9]+|contents.*)$",
    re.IGNORECASE,
)
_STAMP = re.compile(r"\s+(?:DRAFT|FINAL|OFFICIAL|CONFIDENTIAL|FOR PUBLICATION)\s*$")
# File titles that name a program or a file, not the paper.
_JUNK_TITLE = re.compile(
    r"^(?:powerpoint presentation|presentation|untitled.*|document\d*|slide \d+|title"
    r"|microsoft (?:word|powerpoint) - .*|.*\.(?:docx?|pptx?|pdf|xlsx?|html?|rtf|txt))$",
    re.IGNORECASE,
)
_DATE_TAIL = re.compile(r"\s*[-–—,]?\s*\b(?=(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\d)", re.IGNORECASE)
# A line that goes on to the next: it ends on a joining word or a comma.
_WRAPS = re.compile(r"(?:,|\b(?:the|of|and|by|to|with|from|a|an|for|in|on|at|or))$", re.IGNORECASE)
#: Words that say what kind of paper a line names: the title's words.
_PAPER_WORD = re.compile(
    r"\b(?:strateg(?:y|ies)|plan|report|review|programme|program|framework|policy|agenda|minutes|meeting"
    r"|update|briefing|assessment|proposal|scope|statement|charter|compact|pledge|protocol|specification"
    r"|business case|consultation|evaluation|audit|progress|action|actions|priorities|outcomes)\b",
    re.IGNORECASE,
)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_BULLET = re.compile(r"^\s*(?:[-*•▪◦‣]|\d+[.)])\s")
_MARKUP = re.compile(r"\*\*|__|\\(?=[()\[\]_*#.\-])|^#+\s*|^\s*[*_]+|[*_]+\s*$")


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """A paper's title, issuing body and date (ISO), each with the line it came from
    (0 when it came from the file's metadata); None where the paper does not say."""

    title: str | None = None
    body: str | None = None
    meeting_date: str | None = None
    date_precision: str | None = None  # "day" or "month"
    date_source: str | None = None  # "text" or "metadata"
    title_line: int | None = None
    body_line: int | None = None
    date_line: int | None = None

    def props(self) -> dict[str, Any]:
        """The Document node's props (and `DocumentInfo` fields): title, body, meeting_date,
        date_precision, date_source."""
        return {
            "title": self.title,
            "body": self.body,
            "meeting_date": self.meeting_date,
            "date_precision": self.date_precision,
            "date_source": self.date_source,
        }


def clean(text: str) -> str:
    """A line's words without Markdown emphasis, escapes, heading marks or extra spaces."""
    text = text.replace("\u00a0", " ")
    if "*" in text or "_" in text or "\\" in text or "#" in text:  # what `_MARKUP` can match
        text = _MARKUP.sub("", text)
    return " ".join(text.split()).strip()


def body_name(text: str, *, whole: bool = True) -> str | None:
    """The body ``text`` names: the whole of it (``whole``) or a name inside it.

    Examples
    --------
    >>> body_name("Trust Board Meeting Held In Public")
    'Trust Board'
    >>> body_name("Public Board Meeting") is None
    True
    >>> body_name("Improving Health ~ Kent County Council Priorities and Actions", whole=False)
    'Kent County Council'
    """
    text = clean(text)
    if whole:
        parts = _DATE_TAIL.split(text, maxsplit=1)
        if len(parts) == 2 and len(parts[1]) <= 40 and document_date(parts[1]):
            text = parts[0]  # "Cabinet - 30 January 2025": the date is the meeting's
        text = _TRAILING_MEETING.sub("", text).strip(" -–—,:;.")
        text = _REPORT_OF.sub("", text)
        words = text.split()
        while words and words[0].lower() in _LEADING_NOISE:
            words = words[1:]
        text = " ".join(words)
        if not text or len(text) > 90 or not _BODY_LINE.match(text):
            return None
        return _checked(text)
    for m in _EMBEDDED_BODY.finditer(text):
        words = m[1].split()
        while words and words[0].lower() in _LEADING_NOISE | {"to", "by", "with", "from"}:
            words = words[1:]
        if name := _checked(" ".join(words)):
            return name
    return None


def _recase(name: str) -> str:
    """A name printed in capitals as words ("HEALTH AND WELLBEING BOARD" -> "Health and
    Wellbeing Board"); short acronyms ("NHS", "ICB") stay as printed."""
    if any(c.islower() for c in name):
        return name
    words = name.split()
    return " ".join(
        w.lower()
        if i and w.lower() in _SMALL_WORDS
        else w
        if len(w) <= 3 and w.isalpha()
        else "-".join(p.capitalize() for p in w.split("-"))
        for i, w in enumerate(words)
    )


def _checked(name: str) -> str | None:
    """``name`` unless it is only a kind of body ("Board", "Public Board") or joins two."""
    name = _recase(name)
    words = name.split()
    own = [w for w in words[:-1] if w.lower() not in _MEETING_WORDS]
    if not own and words[-1].lower() not in _BARE_BODIES:
        return None
    if words[-1] == "&" or words[0].lower() in {"and", "of", "for", "&"}:
        return None
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class _Line:
    number: int  # 1-based line of the document
    text: str  # cleaned
    standalone: bool = True  # not the tail of a sentence wrapped from the line above
    bullet: bool = False  # a list item ("- `a.txt` — Health and Wellbeing Board, 26 June 2019")
    cells: bool = False  # a table row (tab-separated or "a | b | c")


def _standalone(text: str, previous: str) -> bool:
    """Does ``text`` stand on its own line, rather than end a sentence wrapped from
    ``previous`` (a PDF's "... the West Sussex Safeguarding" / "Adults Board.")?"""
    # `_WRAPS` is anchored at the end and its words are at most four letters: the last
    # eight characters decide (word boundary included), not a search from every position
    return not text.endswith(".") and not _WRAPS.search(previous[-8:])


def _top_lines(lines: Sequence[str], limit: int) -> list[_Line]:
    out = []
    previous = ""
    for i, raw in enumerate(lines, start=1):
        text = clean(raw)
        if text:
            row = "\t" in raw.strip() or raw.count("|") >= 2
            out.append(_Line(i, text, _standalone(text, previous), bool(_BULLET.match(raw)), row))
            if len(out) >= limit:
                break
        previous = text
    return out


def _label(line: _Line) -> tuple[str, str] | None:
    m = _LABEL.match(line.text)
    if not m:
        return None
    return " ".join(m["label"].lower().split()), m["value"].strip()


def _labelled(top: list[_Line]) -> list[tuple[str, str, int]]:
    """(label, value, line) for each "Label: value" on the top lines; a value on the next
    line ("Date:" / "26 June 2019") or wrapped over following lines is joined."""
    out = []
    for i, line in enumerate(top):
        got = _label(line)
        if got is None:
            continue
        label, value = got
        known = _MEETING_DATE_LABELS | _DATE_LABELS | _BODY_LABELS | _TITLE_LABELS
        if label not in known:
            continue
        at = line.number
        rest = top[i + 1 : i + 4]
        if not value and rest and _label(rest[0]) is None and rest[0].number <= line.number + 2:
            value, at, rest = rest[0].text, rest[0].number, rest[1:]
        if label in _TITLE_LABELS:
            last = at
            for nxt in rest:  # a wrapped title: following lines up to a blank line or a label
                if nxt.number != last + 1 or _label(nxt) is not None:
                    break
                value, last = f"{value} {nxt.text}", nxt.number
        if value:
            out.append((label, value, at))
    return out


def _headings(blocks: Sequence[Block], limit: int) -> list[_Line]:
    """The first headings of a reader's blocks (a PDF's title page, a DOCX's Title style)."""
    out = []
    for b in blocks:
        if b.line_start > limit:
            break
        if b.kind is BlockKind.HEADING and (text := clean(b.text)):
            out.append(_Line(b.line_start, text))
    return out


def _is_furniture(text: str) -> bool:
    return bool(_FURNITURE.match(text) or _TIME.match(text) or _label_only(text))


def _label_only(text: str) -> bool:
    return text.endswith(":") and len(text) < 40


def _find_date(
    labelled: list[tuple[str, str, int]], top: list[_Line], heads: list[_Line]
) -> tuple[str, str, int] | None:
    ranked: list[tuple[int, int, str, str]] = []  # (rank, line, iso, precision); lower rank wins
    for label, value, at in labelled:
        if label in _MEETING_DATE_LABELS | _DATE_LABELS and (d := document_date(value)):
            ranked.append((0 if label in _MEETING_DATE_LABELS else 2, at, *d))
    for line in top:
        if _WEEKDAY.match(line.text) and len(line.text) < 60 and (d := document_date(line.text)):
            ranked.append((1, line.number, *d))
    opening = {ln.number: ln for ln in top[:OPENING_LINES] if not ln.bullet} | {h.number: h for h in heads}
    for line in sorted(opening.values(), key=lambda ln: ln.number):
        if _label(line) is None and len(line.text) < 120 and (d := document_date(line.text)):
            ranked.append((3, line.number, *d))
    if not ranked:
        return None
    _, at, iso, precision = min(ranked)
    return iso, precision, at


def _find_body(
    labelled: list[tuple[str, str, int]], top: list[_Line], heads: list[_Line]
) -> tuple[str, int] | None:
    for label, value, at in labelled:
        if label in _BODY_LABELS and (name := body_name(value) or body_name(value, whole=False)):
            return name, at
    if not top:  # no text at all (an empty file): no body to find
        return None
    lines = {ln.number: ln for ln in top if ln.standalone and not ln.cells} | {h.number: h for h in heads}
    near = top[min(len(top), OPENING_LINES * 2) - 1].number
    bare_until = top[min(len(top), 3) - 1].number
    found = [
        (name, line.number)
        for line in sorted(lines.values(), key=lambda ln: ln.number)
        # a bare "Cabinet" or "Council" heads a front sheet; further down it is a heading of a key or a cell
        if (name := body_name(line.text)) and (" " in name or line.number <= bare_until)
    ]
    if found:
        # A council's name over a committee's ("Northgate City Council" / "Adult Social Care
        # Scrutiny Committee") is the letterhead: the paper is the committee's.
        own = [f for f in found if f[1] <= near and not f[0].endswith("Council")]
        return own[0] if own and found[0][0].endswith("Council") else found[0]
    for line in [*heads, *(ln for ln in top[:2] if not ln.bullet and not ln.cells)]:
        if name := body_name(line.text, whole=False):
            return name, line.number
    return None


def _title_text(text: str, date_iso: str | None) -> str:
    """A title line without a stamp ("DRAFT") or the paper's own date at its end."""
    text = _STAMP.sub("", text).strip(" -–—,:;")
    if date_iso:
        parts = re.split(r"\s+[-–—,]?\s*(?=\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}\s*$)", text)
        tail = document_date(parts[1]) if len(parts) == 2 else None
        if tail and tail[0] == date_iso:
            text = parts[0].strip(" -–—,:;")
    return text


def _find_title(
    labelled: list[tuple[str, str, int]],
    top: list[_Line],
    heads: list[_Line],
    meta: Mapping[str, str],
    body: str | None,
    date_iso: str | None,
) -> tuple[str, int] | None:
    for label, value, at in labelled:
        if label in _TITLE_LABELS:
            return _title_text(value, None), at
    file_title = clean(meta.get("format_title", ""))
    if file_title and not _JUNK_TITLE.match(file_title):
        return file_title, 0

    def usable(text: str) -> bool:
        return not (
            _is_furniture(text)
            or _label(_Line(0, text)) is not None
            or body_name(text) is not None
            or (body is not None and text.casefold() == body.casefold())
            or _WEEKDAY.match(text)
            or (document_date(text) is not None and len(_title_text(text, None).split()) <= 4)
            or _AGENDA.match(text)
            or len(text) > 150
            or text.endswith(".")  # a sentence, not a title
            or _POSTCODE.search(text) is not None  # the venue
            or (not text[0].isupper() and not text[0].isdigit())
        )

    candidates = [
        ln for ln in (heads or top[:OPENING_LINES]) if not ln.cells and not ln.bullet and usable(ln.text)
    ]
    # a line that names a kind of paper ("... Action Plan 2019-2021", "Annual Report") over a
    # letterhead ("Riverside Borough Council and NHS Riverside CCG"); else the first two lines'
    named = [ln for ln in candidates if _PAPER_WORD.search(ln.text)]
    first = [ln for ln in candidates if ln.number <= (top[1].number if len(top) > 1 else 1)]
    for line in (named or first)[:1]:
        return _title_text(line.text, date_iso), line.number
    for line in top:
        if _AGENDA.match(line.text):
            return "Agenda", line.number
    return None


def document_meta(
    lines: Sequence[str], meta: Mapping[str, str] | None = None, blocks: Sequence[Block] = ()
) -> DocumentMeta:
    """Title, body and date of a document from its top ``lines`` (and the reader's
    ``blocks`` and file ``meta`` when there are any). See the module docstring."""
    meta = meta or {}
    top = _top_lines(lines, TOP_LINES)
    heads = _headings(blocks, top[min(len(top), OPENING_LINES * 4) - 1].number if top else 0)
    labelled = _labelled(top)
    date = _find_date(labelled, top, heads)
    source = "text" if date else None
    if date is None and (d := document_date(meta.get("format_date"))):
        date, source = (d[0], d[1], 0), "metadata"
    body = _find_body(labelled, top, heads)
    title = _find_title(labelled, top, heads, meta, body[0] if body else None, date[0] if date else None)
    return DocumentMeta(
        title=title[0] if title else None,
        body=body[0] if body else None,
        meeting_date=date[0] if date else None,
        date_precision=date[1] if date else None,
        date_source=source,
        title_line=title[1] if title else None,
        body_line=body[1] if body else None,
        date_line=date[2] if date else None,
    )


def meta_of(doc: Any) -> DocumentMeta:
    """`document_meta` of a reader's `DocumentModel` or a `loaders.text.TextDocument`."""
    return document_meta(doc.lines, getattr(doc, "meta", None), getattr(doc, "blocks", ()))


#: Rows read from the top of a workbook's first sheet for its title rows.
TITLE_ROWS = 10
#: A row with this many filled cells is a table's header (or a row of it), not a title.
_TABLE_CELLS = 3


def _cell_text(value: Any) -> str:
    """A cell as words; a date cell (Excel stores dates as dates) in ISO form."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def title_rows(rows: Sequence[Sequence[Any]]) -> list[tuple[int, str]]:
    """(row number, text) of the title rows at the top of a sheet: the non-empty rows
    above the first row with three or more filled cells (the table's header), whose
    cells are joined. A date in a data row (a due date) is never among them.

    Examples
    --------
    >>> title_rows([["Action plan", None], [], ["Action", "Lead", "Due"], ["a", "b", "2024"]])
    [(1, 'Action plan')]
    """
    out = []
    for n, row in enumerate(rows, start=1):
        filled = [_cell_text(v) for v in row if v is not None and _cell_text(v)]
        if len(filled) >= _TABLE_CELLS:
            break
        if filled:
            out.append((n, " ".join(filled)))
    return out


_DCTERMS = "{http://purl.org/dc/terms/}"


def _property_date(zf: zipfile.ZipFile) -> str | None:
    """The workbook's last-modified date, else its created date (ISO day), as its core
    properties (docProps/core.xml) say; None when they say neither. Read from the part
    itself: openpyxl fills a missing date with the time of reading."""
    try:
        root = ElementTree.fromstring(zf.read("docProps/core.xml"))
    except (KeyError, ElementTree.ParseError):
        return None
    for tag in ("modified", "created"):
        text = (root.findtext(f"{_DCTERMS}{tag}") or "").strip()
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
        except ValueError:
            continue
    return None


def workbook_meta(path: Path) -> DocumentMeta:
    """The date of a spreadsheet tracker: a date in an XLSX file's title rows (first
    sheet, ``date_source = "text"``, ``date_line`` its row), else its core properties'
    modified/created date (``"metadata"``, day precision, line 0). A CSV file has no date
    of its own: an empty `DocumentMeta`. An unreadable workbook gives an empty one too
    (the tracker loader is the one that reports it)."""
    if path.suffix.lower() != ".xlsx":
        return DocumentMeta()
    from openpyxl import load_workbook  # 0.2 s to import: only a workbook pays it (as the reader does)

    try:
        with zipfile.ZipFile(path) as zf:
            check_archive(path, zf)  # refuses a DTD in any part, so core.xml parses safely
            metadata = _property_date(zf)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it ignores
            wb = load_workbook(path, read_only=True, data_only=True)
        try:
            first = wb.worksheets[0] if wb.worksheets else None
            rows = list(first.iter_rows(values_only=True, max_row=TITLE_ROWS)) if first is not None else []
        finally:
            wb.close()
    except (InputError, OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile):
        return DocumentMeta()
    for n, text in title_rows(rows):
        if found := document_date(text):
            return DocumentMeta(
                meeting_date=found[0], date_precision=found[1], date_source="text", date_line=n
            )
    if metadata:
        return DocumentMeta(meeting_date=metadata, date_precision="day", date_source="metadata", date_line=0)
    return DocumentMeta()


__all__ = ["DocumentMeta", "body_name", "clean", "document_meta", "meta_of", "title_rows", "workbook_meta"]
