"""Actions by due date: overdue (as of a date), due, done, and undated.

An action is done whatever its date (or lack of one) when its status says so
("achieved", "complete", ...) or its due cell reports it finished ("Knife crime profile
completed January 2017"; not "to be completed by July 2017").

What is overdue depends on when you ask. ``as_of`` is one of:

- nothing: today. A tracker is read to see what is late now (the default).
- a date (``2018-06-30``): that day, for every action.
- ``"document"`` (`AS_OF_DOCUMENT`): each action at its own paper's date (the Document
  node's ``meeting_date``): what was already late when the committee read the plan.
- ``"latest"`` (`AS_OF_LATEST`): the latest date among the loaded papers, e.g. the
  review that reported on the plans: what was late when progress was last reported.

A paper with no date of its own is judged as of today under ``"document"``; with no dated
paper at all, ``"latest"`` is today too. Every row carries the date it was judged
against (``as_of``), so an old plan's "overdue" never reads as a fresh finding.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from graphmodel.errors import InputError
from graphmodel.schema import Node

from ._base import cites, own_text, parse_date, today
from .backend import QuerySource, facts_of
from .facts import Facts, is_finished
from .results import DueItem

_ORDER = {"overdue": 0, "due": 1, "done": 2, "undated": 3}

#: ``as_of`` values that take the date from the papers instead of the calendar.
AS_OF_DOCUMENT = "document"
AS_OF_LATEST = "latest"


def document_dates(source: QuerySource) -> dict[str, date]:
    """File name -> the paper's own date (Document ``props.meeting_date``), where it has one."""
    out = {}
    for n in facts_of(source).documents():
        raw = n.props.get("meeting_date")
        try:
            out[n.source.document] = date.fromisoformat(str(raw)) if raw else None
        except ValueError:
            continue
    return {k: v for k, v in out.items() if v is not None}


def latest_document_date(source: QuerySource) -> date | None:
    """The latest paper's date among the loaded documents (None if no paper is dated)."""
    return max(document_dates(source).values(), default=None)


def _as_of_rule(facts: Facts, as_of: date | str | None) -> Callable[[Node], date]:
    """The date each action is judged at, for an ``as_of`` option value."""
    if isinstance(as_of, str) and as_of.strip().lower() in (AS_OF_DOCUMENT, AS_OF_LATEST):
        dates = document_dates(facts)
        if as_of.strip().lower() == AS_OF_LATEST:
            fixed = max(dates.values(), default=None) or today()
            return lambda _n: fixed
        now = today()
        return lambda n: dates.get(n.source.document, now)
    fixed = _parse_as_of(as_of) or today()
    return lambda _n: fixed


def _parse_as_of(as_of: date | str | None) -> date | None:
    try:
        return parse_date(as_of, "--as-of")
    except InputError:
        raise InputError(
            f"--as-of must be a date like 2018-03-31, '{AS_OF_DOCUMENT}' or '{AS_OF_LATEST}', got {as_of!r}"
        ) from None


def due(
    source: QuerySource, *, before: date | str | None = None, as_of: date | str | None = None
) -> list[DueItem]:
    """Actions by parsed due date (``props.due_date``): overdue first, then due, done, undated.

    ``as_of`` (default today; a date, `AS_OF_DOCUMENT` or `AS_OF_LATEST`, see the module
    docstring) decides what is overdue; ``before`` keeps only actions due before that
    date (undated actions are then left out). Finished actions (`is_finished`) are
    "done" whether dated or not.
    """
    before_d = parse_date(before, "--before")
    facts = facts_of(source)
    judge = _as_of_rule(facts, as_of)
    rows = []
    for n, strategy, leads in facts.due(before_d):
        raw = n.props.get("due_date")
        when = None
        if raw:
            try:
                when = date.fromisoformat(str(raw))
            except ValueError:
                when = None
        if before_d is not None and (when is None or when >= before_d):
            continue
        status = n.props.get("status")
        as_of_d = judge(n)
        if is_finished(status, n.props.get("due")):
            state, late = "done", None
        elif when is None:
            state, late = "undated", None
        elif when < as_of_d:
            state, late = "overdue", (as_of_d - when).days
        else:
            state, late = "due", None
        rows.append(
            DueItem(
                action_id=n.id,
                action=own_text(n),
                strategy=strategy,
                leads=leads,
                status=status,
                due=n.props.get("due"),
                due_date=when.isoformat() if when else None,
                state=state,
                days_overdue=late,
                sources=cites([n.source]),
                as_of=as_of_d.isoformat(),
            )
        )
    rows.sort(key=lambda r: (_ORDER[r.state], r.due_date or "", r.strategy, r.action_id))
    return rows
