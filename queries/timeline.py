"""Actions by due date: overdue (as of a date), due, done, and undated.

An action is done whatever its date (or lack of one) when its status says so
("achieved", "complete", ...) or its due cell reports it finished ("Knife crime profile
completed January 2017"; not "to be completed by July 2017"). The as-of date defaults to
today: a tracker is read to see what is late now. Every row carries the date it was
judged against (``as_of``), so an old plan's "overdue" never reads as a fresh finding;
pass ``as_of`` (``--as-of``) to read a plan as of its meeting or review date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from graphmodel.graph import PartnerGraph
from graphmodel.schema import Node, NodeKind
from graphmodel.store import Store

from ._base import cites, graph_of, leads_of, own_text, parse_date, strategy_index, today
from .cypher import is_server
from .partners import is_finished
from .results import DueItem

_ORDER = {"overdue": 0, "due": 1, "done": 2, "undated": 3}


def due(
    source: Store | PartnerGraph, *, before: date | str | None = None, as_of: date | str | None = None
) -> list[DueItem]:
    """Actions by parsed due date (``props.due_date``): overdue first, then due, done, undated.

    ``as_of`` (default today) decides what is overdue; ``before`` keeps only actions due
    before that date (undated actions are then left out). Finished actions (`is_finished`)
    are "done" whether dated or not.
    """
    before_d = parse_date(before, "--before")
    as_of_d = parse_date(as_of, "--as-of") or today()
    facts: Iterable[tuple[Node, str, tuple[str, ...]]]
    if is_server(source):
        from .cypher import due_facts

        facts = due_facts(source, before_d)
    else:
        graph = graph_of(source, "due")
        index = strategy_index(graph)
        facts = (
            (n, index.label(index.of.get(n.id)), leads_of(graph, n.id)) for n in graph.nodes(NodeKind.ACTION)
        )
    rows = []
    for n, strategy, leads in facts:
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
