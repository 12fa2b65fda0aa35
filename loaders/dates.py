"""Due-date text as printed in plans ("Q3 17/18", "March 18", "Ongoing") to an ISO date.

A plan's "Expected Completion Date" cell is free text. We read the first date it
names and return the *last day* of the period it names, because a deadline of
"December 2017" is met by anything done before 1 January 2018:

- a month ("December 2017", "Dec 17", "March 18") -> the month's last day;
- a financial year ("2018/19", "17/18", "FY19/20", "2017/19") -> 31 March of its last
  year (UK public bodies' years run April to March);
- a quarter ("Q3 17/18", "End Q2 2017/18") -> the last day of that quarter of the
  financial year (Q1 = April-June ... Q4 = January-March). A quarter with a single
  year ("Q3 2017") is read as a quarter of the financial year starting that year,
  the way UK councils number quarters;
- a season ("Spring 2018") -> the end of its last month;
- a bare year ("during 2018") -> 31 December;
- a day ("8 June 2017", "31/03/2018", "2018-03-31") -> that day. A day or month
  without a year ("8 June", "30 Jun") needs ``default_year``; without it -> None;
- a range ("July 2017 - March 2018", "2017-2022") -> its end.

Text with no date ("Ongoing", "Monthly", "TBC") gives None; so does an impossible
quarter ("Q5 2018/19", "Q0 17/18": the year after it is not read as a date either).
A two-digit year is read in the century that puts it nearest the document's year
(``near``; by default the year of the document being loaded, set once per document with
`document_year`; else ``default_year``, else the current year): "31/12/99" in a 2017
paper is 1999, not 2099.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

_MONTH_RE = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_SEASON_END = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2}
_TAG_RE = re.compile(r"<[^>]{0,200}>")
_DIGIT_RE = re.compile(r"\d")
_RANGE_RE = re.compile(r"^\s*(?:-|–|—|to|until|till|through|and)\s*$", re.IGNORECASE)
#: The year of the document being loaded (its own date), the pivot for two-digit years.
_DOCUMENT_YEAR: ContextVar[int | None] = ContextVar("document_year", default=None)


@contextmanager
def document_year(year: int | None) -> Iterator[None]:
    """Within the block, `parse_due` reads two-digit years near ``year`` (the year of the
    document being loaded), so every loader of one document shares its pivot without
    each passing it to every cell it parses. ``None`` keeps the current year."""
    token = _DOCUMENT_YEAR.set(year)
    try:
        yield
    finally:
        _DOCUMENT_YEAR.reset(token)


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    when: date | None  # None: a date expression that lacks a year (consumed, unusable)


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _year(text: str, near: int) -> int:
    """A year as written; two digits go to the century nearest ``near``."""
    y = int(text.lstrip("'"))
    if y >= 100:
        return y
    century = near // 100 * 100
    return min((century - 100 + y, century + y, century + 100 + y), key=lambda c: (abs(c - near), -c))


def end_of_month(year: int, month: int) -> date:
    """Last day of ``month`` in ``year``."""
    return date(year, month, calendar.monthrange(year, month)[1])


def financial_year_end(end_year: int) -> date:
    """31 March of ``end_year``: the last day of the UK financial year ending then."""
    return date(end_year, 3, 31)


def financial_quarter_end(start_year: int, quarter: int) -> date:
    """Last day of ``quarter`` (1-4) of the financial year starting April ``start_year``."""
    if quarter == 4:
        return date(start_year + 1, 3, 31)
    return end_of_month(start_year, 3 + 3 * quarter)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _fy_years(a: str, b: str, near: int) -> tuple[int, int] | None:
    """Start and end year of a financial-year span like 17/18, 2017/19, 2019/2020."""
    start, end = _year(a, near), _year(b, near)
    if len(b) == 2 and len(a) == 2 and end < start:
        end += 100  # 99/00
    if len(b) == 2 and len(a) == 4:
        end = start // 100 * 100 + int(b)
    if 0 < end - start <= 5 and 1990 <= start <= 2100:
        return start, end
    return None


_ISO_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DMY_RE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b")
#: "Q5 2018/19", "Q0 17/18": not a quarter; consumed so its year is not read alone.
_BAD_QUARTER_RE = re.compile(
    r"\bq(?:uarter)?\s*(?:0|[5-9]|\d{2})\s*(?:of\s+)?(?:fy\s*)?(?:\d{4}|\d{2})"
    r"(?:\s*[/-]\s*(?:\d{4}|\d{2}))?\b",
    re.IGNORECASE,
)
_QUARTER_FY_RE = re.compile(
    r"\bq(?:uarter)?\s*([1-4])\s*(?:of\s+)?(?:fy\s*)?(\d{4}|\d{2})\s*[/-]\s*(\d{4}|\d{2})\b", re.IGNORECASE
)
_QUARTER_RE = re.compile(
    r"\bq(?:uarter)?\s*([1-4])\s*(?:of\s+)?(?:fy\s*)?(\d{4}|\d{2})\b(?!\s*[/-]\s*\d)", re.IGNORECASE
)
_FY_SPAN_RE = re.compile(r"(?:\bfy\s*|\b)(\d{4}|\d{2})\s*/\s*(\d{4}|\d{2})\b(?![/.]\d)", re.IGNORECASE)
_FY_DASH_RE = re.compile(r"(?:\bfy\s*|\b)(\d{4})-(\d{2})\b(?!-\d)", re.IGNORECASE)
_FY_RE = re.compile(r"\bfy\s*(\d{4}|\d{2})\b(?!\s*[/-]\s*\d)", re.IGNORECASE)
_DAY_MONTH_RE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RE + r"\b\.?(?:,?\s+(\d{4}|'\d{2}|\d{2}(?!\d)))?",
    re.IGNORECASE,
)
_MONTH_DAY_RE = re.compile(
    r"\b" + _MONTH_RE + r"\b\.?\s+(\d{1,2})(?:st|nd|rd|th)?,\s*(\d{4})\b", re.IGNORECASE
)
_MONTH_YEAR_RE = re.compile(r"\b" + _MONTH_RE + r"\b\.?,?\s*(\d{4}|'\d{2}|\d{2})\b(?![/.:]\d)", re.IGNORECASE)
_SEASON_RE = re.compile(r"\b(spring|summer|autumn|fall|winter)\s+(?:of\s+)?(\d{4})\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<![/\d])\b((?:19|20)\d{2})\b(?![/\d])")
_LETTER_RE = re.compile(r"[^\W\d_]")
_MONTH_WORD_RE = re.compile(r"\b" + _MONTH_RE + r"\b", re.IGNORECASE)


def _hits(text: str, default_year: int | None, near: int) -> list[_Hit]:
    hits: list[_Hit] = []

    def add(m: re.Match[str], when: date | None) -> None:
        hits.append(_Hit(m.start(), m.end(), when))

    def add_fy_spans() -> None:  # "2018/19", "2018-19": the financial year ending March 2019
        for rx in (_FY_SPAN_RE, _FY_DASH_RE):
            for m in rx.finditer(text):
                span = _fy_years(m[1], m[2], near)
                if span:
                    add(m, financial_year_end(span[1]))

    for m in _ISO_RE.finditer(text):
        add(m, _safe_date(int(m[1]), int(m[2]), int(m[3])))
    for m in _DMY_RE.finditer(text):
        add(m, _safe_date(_year(m[3], near), int(m[2]), int(m[1])))
    if not _LETTER_RE.search(text):
        # "02/11/2013": every pattern below but three needs a letter (q, fy, a month, a season)
        add_fy_spans()
        for m in _YEAR_RE.finditer(text):
            add(m, date(int(m[1]), 12, 31))
        return hits
    for m in _BAD_QUARTER_RE.finditer(text):
        add(m, None)
    for m in _QUARTER_FY_RE.finditer(text):
        span = _fy_years(m[2], m[3], near)
        if span:
            add(m, financial_quarter_end(span[0], int(m[1])))
    for m in _QUARTER_RE.finditer(text):
        add(m, financial_quarter_end(_year(m[2], near), int(m[1])))
    add_fy_spans()
    for m in _FY_RE.finditer(text):
        add(m, financial_year_end(_year(m[1], near)))  # "FY2019" names the year ending March 2019
    for m in _DAY_MONTH_RE.finditer(text):
        year = _year(m[3], near) if m[3] else default_year
        add(m, _safe_date(year, _month(m[2]), int(m[1])) if year else None)
    for m in _MONTH_DAY_RE.finditer(text):
        add(m, _safe_date(int(m[3]), _month(m[1]), int(m[2])))
    for m in _MONTH_YEAR_RE.finditer(text):
        add(m, end_of_month(_year(m[2], near), _month(m[1])))
    for m in _SEASON_RE.finditer(text):
        season, year = m[1].lower(), int(m[2])
        month = _SEASON_END[season]
        add(m, end_of_month(year + 1 if season == "winter" else year, month))
    for m in _YEAR_RE.finditer(text):
        add(m, date(int(m[1]), 12, 31))
    if default_year:
        # A bare, capitalised month ("by June") only counts when the caller knows the year.
        for m in _MONTH_WORD_RE.finditer(text):
            if m[1][0].isupper() and m[1].lower() != "may":
                add(m, end_of_month(default_year, _month(m[1])))
    return hits


def _choose(hits: list[_Hit]) -> list[_Hit]:
    """Leftmost-longest, non-overlapping date expressions in text order."""
    chosen: list[_Hit] = []
    for h in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if chosen and h.start < chosen[-1].end:
            continue
        chosen.append(h)
    return chosen


def parse_due(text: str | None, *, default_year: int | None = None, near: int | None = None) -> str | None:
    """ISO date (``YYYY-MM-DD``) for the first date ``text`` names, or None.

    Examples
    --------
    >>> parse_due("December 2017")
    '2017-12-31'
    >>> parse_due("Q3 17/18")
    '2017-12-31'
    >>> parse_due("by end FY19/20")
    '2020-03-31'
    >>> parse_due("Initial consultation June 2017. Ongoing")
    '2017-06-30'
    >>> parse_due("30 Jun") is None
    True
    >>> parse_due("30 Jun", default_year=2018)
    '2018-06-30'
    >>> parse_due("31/12/99", near=2017)
    '1999-12-31'
    >>> parse_due("Q5 2018/19") is None
    True
    """
    if not text:
        return None
    pivot = near or _DOCUMENT_YEAR.get() or default_year or date.today().year
    return _parse_due(text, default_year, pivot)


@lru_cache(maxsize=1 << 16)
def _parse_due(text: str, default_year: int | None, near: int) -> str | None:
    # cached: a plan repeats its due cells ("Ongoing", "March 2018") row after row
    if default_year is None and not _DIGIT_RE.search(text):
        return None  # every pattern but a bare month (which needs default_year) has a digit
    text = _TAG_RE.sub(" ", text).replace("\u2019", "'")
    chosen = _choose(_hits(text, default_year, near))
    if not chosen:
        return None
    first = chosen[0]
    when = first.when
    second = chosen[1].when if len(chosen) > 1 else None
    if second and _RANGE_RE.match(text[first.end : chosen[1].start]) and (when is None or second >= when):
        # "July 2017 - March 2018": the range ends at its second date ("and" only joins
        # two dates directly, e.g. "2017 and 2018").
        when = second
    return when.isoformat() if when else None


#: How exact a `document_date` is: a named day, or a month ("October 2024").
DAY, MONTH = "day", "month"


def document_date(text: str | None) -> tuple[str, str] | None:
    """(ISO date, precision) of the first calendar date ``text`` names, for dating a paper.

    Unlike `parse_due` (a deadline: the *end* of the period), a paper is dated by the
    day it names, and a day-less date ("October 2024") by the *first* of its month with
    precision ``"month"``. Only dates with a year count; quarters, financial years,
    seasons and bare years do not date a meeting.

    Examples
    --------
    >>> document_date("Wednesday 26 June 2019")
    ('2019-06-26', 'day')
    >>> document_date("Annual Progress Report October 2024")
    ('2024-10-01', 'month')
    >>> document_date("2018/19") is None
    True
    """
    if not text or not _DIGIT_RE.search(text):
        return None
    text = _TAG_RE.sub(" ", text).replace("\u2019", "'")
    near = date.today().year  # a paper's two-digit year ("5/9/17") is a recent one
    hits: list[tuple[_Hit, str]] = []
    for rx in (_ISO_RE, _DMY_RE, _DAY_MONTH_RE, _MONTH_DAY_RE):
        for m in rx.finditer(text):
            if rx is _DAY_MONTH_RE:
                when = _safe_date(_year(m[3], near), _month(m[2]), int(m[1])) if m[3] else None
            elif rx is _MONTH_DAY_RE:
                when = _safe_date(int(m[3]), _month(m[1]), int(m[2]))
            elif rx is _ISO_RE:
                when = _safe_date(int(m[1]), int(m[2]), int(m[3]))
            else:
                when = _safe_date(_year(m[3], near), int(m[2]), int(m[1]))
            hits.append((_Hit(m.start(), m.end(), when), DAY))
    for m in _MONTH_YEAR_RE.finditer(text):
        if len(m[2]) == 4:  # "Oct 24" is too often a day ("Oct 24, ...") or a page to date a paper
            hits.append((_Hit(m.start(), m.end(), date(int(m[2]), _month(m[1]), 1)), MONTH))
    precision = {(h.start, h.end): p for h, p in hits}
    for h in _choose([h for h, _ in hits]):
        if h.when is not None:
            return h.when.isoformat(), precision[(h.start, h.end)]
    return None
