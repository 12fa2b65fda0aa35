"""Recommendation coverage: what addresses each scrutiny recommendation, and which are gaps.

A recommendation is covered when a concrete Action ADDRESSES it. It is a gap when only
a section (a Priority) answers it, when its response says it is "under discussion",
or when nothing answers it at all. A response saying it "has happened" (done, no
action needed) is reported as ``reported-done`` and is not a gap.
"""

from __future__ import annotations

import re

from graphmodel.schema import Node, NodeKind, Source

from ._base import cites
from .backend import QuerySource, facts_of
from .results import CoverageRow

_UNDER_DISCUSSION = re.compile(r"under discussion|to be (?:agreed|confirmed|decided)|not yet", re.I)
_DONE = re.compile(r"has happened|(?:is|been) (?:complete|completed|done|in place)|already", re.I)
_ACTION_NOT_CONCRETE = frozenset({"under discussion", "proposed", "to be confirmed"})


def coverage(source: QuerySource) -> list[CoverageRow]:
    """Every recommendation with the actions and priorities that address it (by number)."""
    rows = [coverage_row(rec, addressing) for rec, addressing in facts_of(source).addressed()]
    rows.sort(key=lambda r: (r.number if r.number is not None else 10**9, r.label, r.id))
    return rows


def coverage_row(rec: Node, addressing: list[tuple[Source, Node]]) -> CoverageRow:
    """One recommendation's row: what addresses it, and whether that makes it a gap."""
    actions, priorities, srcs = [], [], [rec.source]
    concrete = []
    for ref, node in sorted(addressing, key=lambda t: (t[0], t[1].id)):
        srcs.extend([ref, node.source])
        if node.kind == NodeKind.ACTION:
            actions.append(node)
            if str(node.props.get("status", "")).lower() not in _ACTION_NOT_CONCRETE:
                concrete.append(node)
        else:
            priorities.append(node)
    status = rec.props.get("status")
    response = " ".join(str(x) for x in [status or "", *(rec.props.get("references") or [])])
    if concrete:
        kind, reason = "action", f"{len(concrete)} action(s) address it"
    elif _UNDER_DISCUSSION.search(response) or actions:
        kind, reason = (
            "under-discussion",
            "the response says it is still under discussion"
            if _UNDER_DISCUSSION.search(response)
            else "only actions not yet agreed address it",
        )
    elif _DONE.search(response):
        kind, reason = "reported-done", "the response says it has happened; no action in the plan"
    elif priorities:
        kind, reason = "section-only", "only sections of the strategy are cited, no concrete action"
    else:
        kind, reason = "none", "nothing in the strategy addresses it"
    number = rec.props.get("number")
    return CoverageRow(
        id=rec.id,
        number=number if isinstance(number, int) else None,
        label=rec.label,
        recommendation=str(rec.props.get("text") or rec.label),
        status=status,
        coverage=kind,
        gap=kind in {"section-only", "under-discussion", "none"},
        action_ids=tuple(a.id for a in actions),
        actions=tuple(a.label for a in actions),
        priorities=tuple(p.label for p in priorities),
        reason=reason,
        sources=cites(srcs),
    )
