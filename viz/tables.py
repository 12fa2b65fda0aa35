"""The report's tables: each one a query's rows, in commissioners' words, with linked sources.

Every table calls the query that answers its question (``queries.*``) and only chooses
columns and words; no table recomputes an answer from raw edges. Cells are plain text
(the template escapes); a source cell links each citation to the cited lines of its
document page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from graphmodel.graph import PartnerGraph
from graphmodel.schema import NodeKind
from queries.alignment import alignment
from queries.coverage import coverage
from queries.infer import stored_dependencies, stored_duplicates
from queries.partners import partners
from queries.progress import progress
from queries.timeline import due

from .documents import DocName, cite_label, parse_cite, source_href
from .visdata import strategy_links

K = NodeKind

#: What a coverage kind means, for a commissioner.
COVERAGE_WORDS = {
    "action": "Answered by a concrete action",
    "reported-done": "Reported as done; no action in the plan",
    "section-only": "Only a section or heading of the strategy is cited; no concrete action answers it",
    "under-discussion": "Still under discussion; no agreed action answers it",
    "none": "Nothing in the strategies answers it",
}
DEPENDENCY_WORDS = {
    "relies-on-service": "relies on a service the other strategy provides or changes",
    "shared-partner": "shares a partner of the other strategy's own field",
    "overlapping-objective": "pursues the same objective",
}
PROGRESS_WORDS = {
    "achieved": "achieved",
    "continuing": "continuing (under way, or carried forward)",
    "not-reported": "not reported",
}
ALIGNMENT_WORDS = {
    "member": "part of the programme",
    "aligned": "aligned with it",
    "member-led": "led by a member of it",
    "share": "share of the work",
    "gap": "not yet aligned",
}
DUPLICATE_WORDS = {"exact": "exact", "reworded": "reworded", "shared-aim": "shared aim"}
DUE_WORDS = {"overdue": "overdue", "due": "due", "done": "done", "undated": "no date"}


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: text, an optional link, a sort key for numbers, and source links."""

    text: str
    href: str | None = None
    number: float | None = None
    #: cited sources by document: (document title, ((lines, href to them), ...)), ...
    links: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()


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
    headline: tuple[str, str] | None = None  # (number, what) for the top of the report
    wide: tuple[str, ...] = ()  # columns of running text (given room instead of wrapping names)

    @property
    def numeric(self) -> list[bool]:
        """Which columns hold numbers (they sort numerically and align right)."""
        return [
            bool(self.rows) and all(r[i].number is not None for r in self.rows if r[i].text)
            for i in range(len(self.columns))
        ]


def focus_link(view: str, node_id: str) -> str:
    """Link to ``node_id`` on a view page (the page opens focused on it)."""
    return f"{view}.html#focus={quote(node_id, safe='')}"


def _short(text: object, n: int = 300) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _num(value: float | int | None, digits: int = 0) -> Cell:
    if value is None:
        return Cell("")
    return Cell(f"{value:.{digits}f}", number=float(value))


class _Sources:
    """Citation strings -> cells of links to the cited lines (document titles, not file names)."""

    def __init__(self, names: Mapping[str, DocName], pages: Mapping[str, str]) -> None:
        self.names, self.pages = names, pages

    def cell(self, cites: Iterable[str], limit: int = 8) -> Cell:
        """Sources grouped by document: 'Title: lines 12-14, 20' with each range a link."""
        by_doc: dict[str, list[tuple[str, str]]] = {}
        plain, n = [], 0
        for text in dict.fromkeys(cites):
            src = parse_cite(text)
            if src is None:
                plain.append(text)
                continue
            n += 1
            if n > limit:
                continue
            title = cite_label(src, self.names).rsplit(", ", 1)[0]
            rng = cite_label(src, self.names)[len(title) + 2 :]
            by_doc.setdefault(title, []).append((rng, source_href(src, self.pages) or ""))
        links = [(title, tuple(refs)) for title, refs in by_doc.items()]
        if n > limit:
            links.append((f"and {n - limit} more", ()))
        words = [f"{t}: {', '.join(r for r, _ in refs)}" if refs else t for t, refs in links]
        return Cell("; ".join(words + plain), links=tuple(links))


def _join(items: Iterable[object], n: int = 300) -> str:
    return _short("; ".join(str(i) for i in items if i), n)


def _counted(item: str, words: Mapping[str, str]) -> str:
    """``"kind (n)"`` (as `queries.dependencies.by_strategy` counts them) in words."""
    name, sep, n = item.rpartition(" (")
    return f"{words.get(name, name)} ({n}" if sep else words.get(item, item)


# ------------------------------------------------------------------ one builder per question
def strategy_table(graph: PartnerGraph, src: _Sources) -> Table:
    links = strategy_links(graph)
    t = Table(
        "strategy-links",
        "Dependencies between strategies",
        "Which strategies rely on which, through how many actions, and on what?",
        "index",
        ["strategy", "relies on", "actions", "most relied on", "how", "best score", "sources"],
        wide=("most relied on",),
    )
    for link in links:
        t.rows.append(
            [
                Cell(link.from_label, focus_link("index", link.from_id)),
                Cell(link.to_label, focus_link("index", link.to_id)),
                _num(link.n_actions),
                Cell(_join(link.top_services)),
                Cell(_join(_counted(k, DEPENDENCY_WORDS) for k in link.summary.kinds)),
                _num(link.summary.best_score, 2),
                src.cell(s for r in link.rows for s in r.sources),
            ]
        )
    t.note = (
        f"{len(links)} links between strategies; the strategy map draws them."
        if links
        else "No action of one strategy has been found relying on another strategy yet."
    )
    t.headline = (str(len(links)), "links between strategies")
    return t


def dependencies_table(graph: PartnerGraph, src: _Sources) -> Table:
    rows = stored_dependencies(graph)
    t = Table(
        "dependencies",
        "Actions that rely on another strategy",
        "Which actions rely on another strategy's services or partners, and why?",
        "dependencies",
        ["action", "its strategy", "relies on", "other strategy", "its actions that provide it", "how",
         "score", "evidence", "sources"],
        wide=("action", "its actions that provide it", "evidence"),
    )  # fmt: skip
    for r in rows:
        t.rows.append(
            [
                Cell(_short(r.action, 200), focus_link("dependencies", r.action_id)),
                Cell(r.from_strategy),
                Cell(_short(r.service, 120)),
                Cell(r.to_strategy),
                Cell(" | ".join(_short(x, 120) for x in r.targets)),
                Cell(DEPENDENCY_WORDS.get(r.kind, r.kind)),
                _num(r.score, 2),
                Cell(_short(r.evidence)),
                src.cell(r.sources),
            ]
        )
    t.note = f"{len(rows)} action-to-strategy dependencies." if rows else "No dependency found yet."
    t.headline = (str(len(rows)), "actions relying on another strategy")
    return t


def duplicates_table(graph: PartnerGraph, src: _Sources) -> Table:
    groups = stored_duplicates(graph)
    t = Table(
        "duplicates",
        "Actions written twice",
        "Which actions are written twice, within one plan or across plans?",
        "overview",
        ["group", "type", "actions", "where", "strategies", "shared leads", "why grouped", "score",
         "sources"],
        wide=("actions", "why grouped"),
    )  # fmt: skip
    for g in groups:
        first = g.members[0].id if g.members else ""
        t.rows.append(
            [
                _num(g.group),
                Cell(DUPLICATE_WORDS.get(g.type, g.type)),
                Cell(" | ".join(_short(lab, 120) for lab in g.labels), focus_link("overview", first)),
                Cell("within one plan" if g.scope == "within" else "across plans"),
                Cell(_join(g.strategies)),
                Cell(_join(g.shared_leads)),
                Cell(_short(g.evidence)),
                _num(g.score, 2),
                src.cell(g.sources),
            ]
        )
    types = ", ".join(f"{sum(1 for g in groups if g.type == k)} {k}" for k in DUPLICATE_WORDS)
    t.note = (
        f"{len(groups)} groups of duplicate actions ({types}). A shared aim is the same aim pursued "
        "by different leads: a point to coordinate, not an error."
        if groups
        else "No duplicate actions found."
    )
    t.headline = (str(len(groups)), "groups of duplicate actions")
    return t


def partners_table(graph: PartnerGraph, src: _Sources) -> Table:
    rows = partners(graph)
    t = Table(
        "partners",
        "Partner load",
        "Which partners carry the most, and across how many strategies?",
        "partners",
        ["partner", "category", "leads", "supports", "resources", "strategies led", "bridges plans",
         "busy quarters", "sources"],
    )  # fmt: skip
    for r in rows:
        t.rows.append(
            [
                Cell(r.name, focus_link("partners", r.id)),
                Cell(r.category or ("service" if r.kind == K.SERVICE else "")),
                _num(r.led),
                _num(r.supported),
                _num(r.resourced),
                _num(r.strategies_led),
                Cell("yes" if r.bridging else "no"),
                Cell(_join(r.single_point_of_failure)),
                src.cell(r.sources),
            ]
        )
    t.note = (
        f"{len(rows)} partners lead, support or resource actions, busiest first. 'Busy quarters': "
        "quarters in which one partner leads many actions due at once."
        if rows
        else "No organisation leads, supports or resources any action yet."
    )
    return t


def coverage_table(graph: PartnerGraph, src: _Sources) -> Table:
    rows = coverage(graph)
    rows = [r for r in rows if r.gap] + [r for r in rows if not r.gap]
    t = Table(
        "coverage",
        "Scrutiny recommendations and what answers them",
        "Which scrutiny recommendations does no concrete action answer, and why?",
        "recommendations",
        ["recommendation", "text", "a gap?", "what answers it", "actions", "sources"],
        wide=("text", "what answers it"),
    )
    for r in rows:
        t.rows.append(
            [
                Cell(r.label, focus_link("recommendations", r.id)),
                Cell(_short(r.recommendation)),
                Cell("gap" if r.gap else "answered"),
                Cell(f"{COVERAGE_WORDS.get(r.coverage, r.coverage)}: {r.reason}."),
                Cell(_join(r.actions)),
                src.cell(r.sources),
            ]
        )
    gaps = sum(1 for r in rows if r.gap)
    t.note = (
        f"{gaps} of {len(rows)} recommendations are gaps (no concrete action answers them); gaps first."
        if rows
        else "No scrutiny recommendations in this graph yet."
    )
    t.headline = (f"{gaps} / {len(rows)}", "recommendations no action answers")
    return t


def alignment_table(graph: PartnerGraph, src: _Sources) -> Table:
    rows = alignment(graph)
    programme = rows[0].programme if rows else ""
    t = Table(
        "alignment",
        f"Alignment with {programme}" if programme else "Alignment with wider programmes",
        "How do priorities and actions line up with the wider partnership programme?",
        "overview",
        ["finding", "item", "strategy", "detail", "score", "sources"],
        wide=("item", "detail"),
    )
    for r in rows:
        t.rows.append(
            [
                Cell(ALIGNMENT_WORDS.get(r.section, r.section)),
                Cell(_short(r.label, 200), focus_link("overview", r.id) if r.id in graph else None),
                Cell(r.strategy),
                Cell(_short(r.detail)),
                _num(r.score, 2),
                # a summary row cites nothing itself: cite the strategy it sums up
                src.cell(r.sources or ([graph.node(r.id).source.cite()] if r.id in graph else [])),
            ]
        )
    t.note = f"{len(rows)} findings about {programme}." if rows else "No alignment links found yet."
    return t


def due_table(graph: PartnerGraph, src: _Sources) -> Table:
    rows = [r for r in due(graph) if r.state != "undated"]
    undated = sum(1 for r in due(graph) if r.state == "undated")
    t = Table(
        "due",
        "Due and overdue actions",
        "Which actions are overdue, and what falls due next?",
        "overview",
        ["state", "due date", "as written", "days overdue", "action", "strategy", "leads", "sources"],
        wide=("action",),
    )
    for r in rows:
        t.rows.append(
            [
                Cell(DUE_WORDS.get(r.state, r.state)),
                Cell(r.due_date or ""),
                Cell(_short(r.due, 80)),
                _num(r.days_overdue),
                Cell(_short(r.action, 200), focus_link("overview", r.action_id)),
                Cell(r.strategy),
                Cell(_join(r.leads)),
                src.cell(r.sources),
            ]
        )
    overdue = sum(1 for r in rows if r.state == "overdue")
    t.note = (
        f"{len(rows)} dated actions: {overdue} overdue as of today (not marked done), overdue first; "
        f"{undated} actions give no date and are left out."
    )
    t.headline = (str(overdue), "overdue actions")
    return t


def progress_table(graph: PartnerGraph, src: _Sources) -> Table:
    rows = progress(graph)
    t = Table(
        "progress",
        "Progress against the plan",
        "What does a later review of each strategy report about each action of its plan?",
        "overview",
        ["status", "action", "strategy", "what the review says", "match", "review source", "plan source"],
        wide=("action", "what the review says"),
    )
    for r in rows:
        t.rows.append(
            [
                Cell(PROGRESS_WORDS.get(r.status, r.status)),
                Cell(_short(r.action, 300), focus_link("overview", r.action_id)),
                Cell(r.strategy),
                Cell(_short(r.review_text, 400) if r.review_text else "nothing found in the review"),
                _num(r.score, 2),
                src.cell([r.review_source] if r.review_source else []),
                src.cell([r.source] if r.source else []),
            ]
        )
    counts = ", ".join(f"{sum(1 for r in rows if r.status == k)} {PROGRESS_WORDS[k]}" for k in PROGRESS_WORDS)
    t.note = (
        f"{len(rows)} plan actions matched against the later review of the same strategy: {counts}. "
        "Achieved means the review reports that deliverable done, not merely the same topic."
        if rows
        else "No strategy here has both a plan and a later review of it, so there is no progress to show."
    )
    t.headline = (str(sum(1 for r in rows if r.status == "achieved")), "plan actions reported achieved")
    return t


BUILDERS: tuple[Callable[[PartnerGraph, _Sources], Table], ...] = (
    strategy_table,
    dependencies_table,
    due_table,
    progress_table,
    coverage_table,
    partners_table,
    duplicates_table,
    alignment_table,
)


def report_tables(
    graph: PartnerGraph, names: Mapping[str, DocName], pages: Mapping[str, str] | None = None
) -> list[Table]:
    """The report's tables, in page order (``pages``: document file -> its page in the site)."""
    src = _Sources(names, pages or {})
    return [build(graph, src) for build in BUILDERS]


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
