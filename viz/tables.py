"""The report's tables: rows with sources and links, from the queries or from the graph.

Each table answers one commissioner question (top dependencies, duplicate groups,
partner load, coverage gaps, alignment). Cells are plain text; the template escapes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from urllib.parse import quote

import networkx as nx

from graphmodel.graph import PartnerGraph
from graphmodel.schema import Edge, EdgeKind, NodeKind, Source

E, K = EdgeKind, NodeKind
TOP = 50
WORK = (E.LEADS, E.SUPPORTS, E.RESOURCES)


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: text, an optional link, and a sort key for numbers."""

    text: str
    href: str | None = None
    number: float | None = None


@dataclass(slots=True)
class Table:
    """A titled table that links to the view page showing the same thing."""

    key: str
    title: str
    question: str
    view: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    origin: str = "graph"  # "graph" or the query function it came from
    headline: tuple[str, str] | None = None  # (number, what) for the top of the report

    @property
    def numeric(self) -> list[bool]:
        """Which columns hold numbers (they sort numerically and align right)."""
        return [
            bool(self.rows) and all(r[i].number is not None for r in self.rows if r[i].text)
            for i in range(len(self.columns))
        ]


def focus_link(view: str, node_id: str) -> str:
    """Link to ``node_id`` on a view page (the page selects and zooms to it)."""
    return f"{view}.html#focus={quote(node_id, safe='')}"


def _num(value: float, digits: int = 0) -> Cell:
    return Cell(f"{value:.{digits}f}", number=float(value))


def _cites(sources: Iterable[Source], limit: int = 4) -> str:
    uniq = sorted(set(sources))
    more = f" (+{len(uniq) - limit} more)" if len(uniq) > limit else ""
    return "; ".join(s.cite() for s in uniq[:limit]) + more


def _short(text: str, n: int = 140) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


class _Names:
    def __init__(self, graph: PartnerGraph) -> None:
        self.g = graph
        self._strategy: dict[str, str | None] = {}

    def label(self, nid: str | None) -> str:
        return "" if nid is None or nid not in self.g else str(self.g.g.nodes[nid]["label"])

    def strategy(self, nid: str) -> str | None:
        if nid not in self._strategy:
            own = self.g.kind_of(nid) == K.STRATEGY
            self._strategy[nid] = nid if own else self.g.strategy_of(nid)
        return self._strategy[nid]

    def node_cell(self, nid: str, view: str, n: int = 120) -> Cell:
        return Cell(_short(self.label(nid), n), focus_link(view, nid))


# ------------------------------------------------------------------ from the graph
def dependencies_table(graph: PartnerGraph) -> Table:
    names = _Names(graph)
    deps = sorted(graph.edges(E.DEPENDS_ON), key=lambda e: (-(e.score or 0), e.source, e.target))
    t = Table(
        "dependencies",
        "Top dependencies",
        "Which actions rely on another strategy's services or partners, and why?",
        "dependencies",
        ["action", "its strategy", "depends on", "their strategy", "score", "method", "evidence", "source"],
    )
    for e in deps[:TOP]:
        t.rows.append(
            [
                names.node_cell(e.source, "dependencies"),
                Cell(_short(names.label(names.strategy(e.source)), 80)),
                names.node_cell(e.target, "dependencies"),
                Cell(_short(names.label(names.strategy(e.target)), 80)),
                _num(e.score or 0.0, 2),
                Cell(e.method or ""),
                Cell(_short(e.evidence or "", 200)),
                Cell(e.source_ref.cite()),
            ]
        )
    t.note = (
        f"{len(deps)} dependency links; the {min(len(deps), TOP)} strongest shown."
        if deps
        else "No dependency links have been inferred yet."
    )
    t.headline = (str(len(deps)), "dependency links")
    return t


def duplicates_table(graph: PartnerGraph) -> Table:
    names = _Names(graph)
    dup = nx.Graph()
    scores: dict[frozenset[str], float] = {}
    for e in graph.edges(E.DUPLICATES):
        dup.add_edge(e.source, e.target)
        scores[frozenset((e.source, e.target))] = e.score or 0.0
    groups = sorted((sorted(c) for c in nx.connected_components(dup)), key=lambda c: (-len(c), c))
    t = Table(
        "duplicates",
        "Duplicate groups",
        "Which actions are written twice, within one plan or across plans?",
        "overview",
        ["group", "actions", "size", "strategies", "best score", "sources"],
    )
    for i, members in enumerate(groups, 1):
        strategies = sorted({names.label(names.strategy(m)) for m in members} - {""})
        best = max((s for pair, s in scores.items() if pair <= set(members)), default=0.0)
        t.rows.append(
            [
                _num(i),
                Cell(
                    " | ".join(_short(names.label(m), 90) for m in members),
                    focus_link("overview", members[0]),
                ),
                _num(len(members)),
                Cell("; ".join(strategies)),
                _num(best, 2),
                Cell(_cites(graph.node(m).source for m in members)),
            ]
        )
    t.note = (
        f"{len(groups)} groups of near-duplicate actions."
        if groups
        else "No duplicate actions have been inferred yet."
    )
    t.headline = (str(len(groups)), "duplicate groups")
    return t


def partners_table(graph: PartnerGraph) -> Table:
    names = _Names(graph)
    load: dict[str, dict[str, list[Edge]]] = {}
    for e in graph.edges():
        if e.kind in WORK:
            load.setdefault(e.source, {}).setdefault(str(e.kind), []).append(e)
    rows = []
    for body, by_kind in load.items():
        every = [e for es in by_kind.values() for e in es]
        strategies = {names.strategy(e.target) for e in every} - {None}
        counts = [len(by_kind.get(str(k), [])) for k in WORK]
        rows.append((-sum(counts), names.label(body), body, counts, strategies, every))
    t = Table(
        "partners",
        "Partner load",
        "Which partners carry the most, and across how many strategies?",
        "partners",
        ["partner", "kind", "category", "leads", "supports", "resources", "total", "strategies", "sources"],
    )
    for neg_total, _, body, counts, strategies, every in sorted(rows)[:TOP]:
        node = graph.node(body)
        t.rows.append(
            [
                names.node_cell(body, "partners"),
                Cell(str(node.kind)),
                Cell(str(node.props.get("category") or "")),
                *map(_num, counts),
                _num(-neg_total),
                _num(len(strategies)),
                Cell(_cites(e.source_ref for e in every)),
            ]
        )
    t.note = (
        f"{len(rows)} partners lead, support or resource actions."
        if rows
        else "No organisation leads, supports or resources any action yet."
    )
    return t


def coverage_table(graph: PartnerGraph) -> Table:
    names = _Names(graph)
    recs = sorted(graph.nodes(K.RECOMMENDATION), key=lambda n: (n.props.get("number") or 0, n.label, n.id))
    gaps = [r for r in recs if not graph.in_edges(r.id, E.ADDRESSES)]
    t = Table(
        "coverage",
        "Coverage gaps",
        "Which scrutiny recommendations does no action answer?",
        "recommendations",
        ["recommendation", "text", "status as reported", "strategy", "source"],
    )
    for r in gaps:
        t.rows.append(
            [
                names.node_cell(r.id, "recommendations", 40),
                Cell(_short(r.props.get("text") or "", 300)),
                Cell(str(r.props.get("status") or "")),
                Cell(_short(names.label(names.strategy(r.id)), 80)),
                Cell(r.source.cite()),
            ]
        )
    t.note = (
        f"{len(gaps)} of {len(recs)} recommendations are answered by no action."
        if recs
        else "No scrutiny recommendations in this graph yet."
    )
    t.headline = (f"{len(gaps)} / {len(recs)}", "recommendations with no action")
    return t


def alignment_table(graph: PartnerGraph) -> Table:
    names = _Names(graph)
    by_target: dict[str, list[Edge]] = {}
    for e in graph.edges(E.ALIGNS_WITH):
        by_target.setdefault(e.target, []).append(e)
    t = Table(
        "alignment",
        "Alignment summary",
        "How do priorities and actions line up with wider programmes?",
        "overview",
        ["programme", "aligned items", "from strategies", "examples", "sources"],
    )
    for target, es in sorted(by_target.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        strategies = sorted({names.label(names.strategy(e.source)) for e in es} - {""})
        examples = " | ".join(_short(names.label(e.source), 60) for e in es[:3])
        t.rows.append(
            [
                names.node_cell(target, "overview"),
                _num(len(es)),
                Cell("; ".join(strategies)),
                Cell(examples),
                Cell(_cites(e.source_ref for e in es)),
            ]
        )
    t.note = (
        f"{sum(map(len, by_target.values()))} alignment links to {len(by_target)} programmes."
        if by_target
        else "No alignment links found yet."
    )
    return t


GRAPH_TABLES: tuple[Callable[[PartnerGraph], Table], ...] = (
    dependencies_table,
    duplicates_table,
    partners_table,
    coverage_table,
    alignment_table,
)


# ------------------------------------------------------------------ from query results
def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "to_dict"):
            return _plain(value.to_dict())
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Source):
        return value.to_dict()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):
        return str(value.value)
    return value


def _is_source(value: Any) -> bool:
    return isinstance(value, dict) and {"document", "line_start", "line_end"} <= set(value)


def cell_of(value: Any) -> Cell:
    """A query value as a cell: sources cited, lists joined, floats rounded."""
    value = _plain(value)
    if value is None:
        return Cell("")
    if isinstance(value, bool):
        return Cell("yes" if value else "no")
    if isinstance(value, (int, float)):
        return _num(value, 0 if isinstance(value, int) else 2)
    if _is_source(value):
        return Cell(Source.from_dict(value).cite())
    if isinstance(value, list):
        if value and all(_is_source(v) for v in value):
            return Cell(_cites(Source.from_dict(v) for v in value))
        return Cell(_short("; ".join(cell_of(v).text for v in value), 300))
    if isinstance(value, dict):
        return Cell(_short(", ".join(f"{k}: {cell_of(v).text}" for k, v in value.items()), 300))
    return Cell(_short(str(value), 300))


def _row_id(plain: dict[str, Any]) -> str | None:
    """The node a query row is about (for the link to its view)."""
    for key in ("action_id", "id"):
        if isinstance(plain.get(key), str):
            return plain[key]
    members = plain.get("members")
    if isinstance(members, list) and members and isinstance(members[0], dict):
        return members[0].get("id")
    return None


def query_table(base: Table, rows: Sequence[Any], origin: str, graph: PartnerGraph | None = None) -> Table:
    """``base`` (title, question, view) filled with query result objects.

    Columns are the result type's ``table_columns`` (else every field); a
    ``sources`` column is added when the chosen ones cite none. The first column
    links to the row's node on the view page. A row that cites nothing (an aggregate)
    cites the node it is about, when ``graph`` has it.
    """
    plain = [_plain(r) for r in rows]
    cols = list(getattr(type(rows[0]), "table_columns", ()) or plain[0]) if rows else []
    if plain and not any(c in ("source", "sources", "source_ref") for c in cols):
        cols += [c for c in ("sources", "source", "source_ref") if c in plain[0]][:1]
    t = Table(base.key, base.title, base.question, base.view, cols, origin=origin)
    named = [i for i, c in enumerate(cols) if c in ("action", "name", "label", "labels")]
    texty = [i for i, c in enumerate(cols) if plain and cell_of(plain[0].get(c)).number is None]
    link_col = (named or texty or [0])[0]
    for p in plain[:TOP]:
        cells = [cell_of(p.get(c)) for c in cols]
        nid = _row_id(p)
        if nid and cells:
            cells[link_col] = dataclasses.replace(cells[link_col], href=focus_link(base.view, nid))
        src = next((i for i, c in enumerate(cols) if c in ("sources", "source", "source_ref")), None)
        if src is not None and not cells[src].text and graph is not None and nid is not None and nid in graph:
            cells[src] = Cell(graph.node(nid).source.cite())
        t.rows.append(cells)
    t.note = (
        f"{len(plain)} rows" + (f"; the first {TOP} shown." if len(plain) > TOP else ".")
        if plain
        else base.note
    )
    t.headline = base.headline
    return t


def report_tables(graph: PartnerGraph) -> list[Table]:
    """The report's tables, in page order."""
    from .queries_bridge import from_queries

    tables = []
    for build in GRAPH_TABLES:
        base = build(graph)
        tables.append(from_queries(graph, base) or base)
    return tables


def headline(graph: PartnerGraph, tables: Sequence[Table]) -> list[tuple[str, str]]:
    """(number, what) pairs for the top of the report: node counts, then each table's own."""
    n = graph.counts()["nodes"]
    out = [
        (str(n.get(k, 0)), label)
        for k, label in (
            (K.STRATEGY, "strategies"),
            (K.ACTION, "actions"),
            (K.ORGANISATION, "organisations"),
            (K.SERVICE, "services"),
            (K.RECOMMENDATION, "recommendations"),
        )
    ]
    return out + [t.headline for t in tables if t.headline]
