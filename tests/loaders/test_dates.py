"""Due text -> ISO date: the periods UK plans print, each to its last day."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.dates import financial_quarter_end, parse_due


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("December 2017", "2017-12-31"),
        ("February 2020", "2020-02-29"),  # leap year
        ("Q3 17/18", "2017-12-31"),  # financial Q3 = October-December 2017
        ("Q4 17/18", "2018-03-31"),
        ("End Q2 17/18", "2017-09-30"),
        ("Q1 2019/20", "2019-06-30"),
        ("March 18", "2018-03-31"),
        ("Dec 17", "2017-12-31"),
        ("2017/19", "2019-03-31"),
        ("2018/19", "2019-03-31"),
        ("2018-19", "2019-03-31"),
        ("by end FY19/20", "2020-03-31"),
        ("Ongoing", None),
        ("Monthly Ongoing", None),
        ("", None),
        (None, None),
        ("Initial consultation June 2017. Ongoing", "2017-06-30"),
        ("October 2017 and ongoing.", "2017-10-31"),
        ("Full survey to be undertaken during 2018.", "2018-12-31"),
        ("Initial consultation to be completed by July 2017. Feedback quarterly.", "2017-07-31"),
        ("<i>Knife crime profile completed January 2017</i>", "2017-01-31"),
        ("30 September 2019", "2019-09-30"),
        ("31/03/2018", "2018-03-31"),
        ("2018-03-31", "2018-03-31"),
        ("July 2017 - March 2018", "2018-03-31"),  # a range ends at its second date
        ("2017-2022", "2022-12-31"),
        ("Summer 2019", "2019-08-31"),
        ("24/7 helpline", None),
        ("Information to be reviewed on a quarterly basis", None),
    ],
)
def test_parse_due(text: str | None, expected: str | None) -> None:
    assert parse_due(text) == expected


def test_day_without_year_needs_a_year() -> None:
    assert parse_due("8 June") is None
    assert parse_due("30 Jun") is None
    assert parse_due("8 June", default_year=2017) == "2017-06-08"
    assert parse_due("30 Jun", default_year=2018) == "2018-06-30"
    assert parse_due("8 June 2019", default_year=2017) == "2019-06-08"  # a printed year wins


def test_may_the_verb_is_not_a_month() -> None:
    assert parse_due("Actions may be delayed", default_year=2018) is None


def test_quarters_cover_the_financial_year() -> None:
    assert [financial_quarter_end(2017, q).isoformat() for q in (1, 2, 3, 4)] == [
        "2017-06-30",
        "2017-09-30",
        "2017-12-31",
        "2018-03-31",
    ]


@given(st.text(max_size=80))
def test_never_crashes(text: str) -> None:
    out = parse_due(text)
    assert out is None or len(out) == 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # dates with no letters (tracker cells): read by the digit patterns alone
        ("02/11/2013", "2013-11-02"),  # day first, as UK papers write it
        ("2017/18", "2018-03-31"),  # a financial year ends in March
        ("2019-20", "2020-03-31"),
        ("2013", "2013-12-31"),
        ("2017 - 2019", "2019-12-31"),  # a range ends at its second date
        ("12/05/2018 - 30/06/2018", "2018-06-30"),
    ],
)
def test_dates_without_letters(text: str, expected: str) -> None:
    assert parse_due(text) == expected
