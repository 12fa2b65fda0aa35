"""Fill report tables from the `queries` package when its modules are installed.

The report must not wait for the queries: while a query module is missing the
graph-built table stays in place; each table says where it came from. A query that
raises is a bug and is not hidden.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from typing import Any

from graphmodel.graph import PartnerGraph

from .tables import Table, query_table

#: report table -> (module, function) of the query that answers the same question.
QUERIES: dict[str, tuple[str, str]] = {
    "dependencies": ("queries.dependencies", "dependencies"),
    "duplicates": ("queries.duplicates", "duplicate_actions"),
    "partners": ("queries.partners", "partners"),
    "coverage": ("queries.coverage", "coverage"),
    "alignment": ("queries.alignment", "alignment"),
}


class MemoryStore:
    """A `Store` over a graph already in memory (queries read stores)."""

    name = "memory"

    def __init__(self, graph: PartnerGraph) -> None:
        self.graph = graph

    def exists(self) -> bool:
        return True

    def read(self) -> PartnerGraph:
        return self.graph

    def write(self, graph: PartnerGraph) -> None:
        self.graph = graph

    def clear(self) -> None:
        self.graph = PartnerGraph()


def _query(key: str) -> Callable[..., Any] | None:
    module_name, func_name = QUERIES.get(key, ("", ""))
    if not module_name:
        return None
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    func = getattr(module, func_name, None)
    return func if callable(func) else None


def _call(func: Callable[..., Any], graph: PartnerGraph) -> list[Any]:
    """Call a query with a store (or a graph, if its first parameter says so)."""
    params = list(inspect.signature(func).parameters.values())
    first = params[0] if params else None
    wants_graph = first is not None and "graph" in (first.name + str(first.annotation)).lower()
    result = func(graph if wants_graph else MemoryStore(graph))
    return list(result if not hasattr(result, "rows") else result.rows)


def _finish(key: str, rows: list[Any]) -> tuple[list[Any], tuple[str, str] | None, str]:
    """Per question: row order, headline number and note (from the query's own fields)."""
    n = len(rows)
    if key == "dependencies":
        return (
            rows,
            (str(n), "actions relying on another strategy"),
            (f"{n} action-to-strategy dependencies, strongest first."),
        )
    if key == "duplicates":
        return rows, (str(n), "duplicate groups"), f"{n} groups of near-duplicate actions."
    if key == "coverage":
        gaps = [r for r in rows if getattr(r, "gap", False)]
        rest = [r for r in rows if not getattr(r, "gap", False)]
        return (
            gaps + rest,
            (f"{len(gaps)} / {n}", "recommendations that are gaps"),
            (f"{len(gaps)} of {n} recommendations are gaps (no concrete action answers them); gaps first."),
        )
    if key == "alignment":
        aligned = sum(1 for r in rows if getattr(r, "section", "") == "aligned")
        programme = str(getattr(rows[0], "programme", "")) if rows else ""
        return (
            rows,
            (str(aligned), f"items aligned with {programme}" if programme else "aligned items"),
            f"{n} findings about {programme or 'alignment'}.",
        )
    return rows, None, f"{n} rows."


def from_queries(graph: PartnerGraph, base: Table) -> Table | None:
    """``base`` refilled from its query, or None when the query is absent."""
    func = _query(base.key)
    if func is None:
        return None
    rows, head, note = _finish(base.key, _call(func, graph))
    table = query_table(base, rows, origin=f"{func.__module__}.{func.__name__}", graph=graph)
    table.headline = head
    if rows:
        table.note = note + (
            f" The first {len(table.rows)} are shown." if len(table.rows) < len(rows) else ""
        )
    return table
