"""Graph -> view data: the pure half of every view (what to draw, not how).

`to_vis_data` copies what it needs out of a `PartnerGraph` and never changes it
(pyvis's ``from_nx`` mutates its input; we don't go near it). Every text here is
plain text: escaping is the renderer's job, and vis-network shows string titles
with ``innerText``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from math import sqrt
from typing import Any

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import INFERRED_EDGES, Edge, EdgeKind, Node, NodeKind
from queries.coverage import coverage
from queries.dependencies import by_strategy
from queries.infer import stored_dependencies
from queries.paths import resolve_entity
from queries.results import DependencyLink, StrategyDependency

from .describe import (
    DEPENDENCY_KINDS,
    NO_STRATEGY,
    OTHER,
    REFERENCED,
    WORK,
    Context,
    inferred_facts,
    label_of,
    short,
)
from .layout import PHYSICS_MAX_NODES, around_parents, layout

VIEWS = ("strategies", "overview", "dependencies", "partners", "recommendations", "ego")
#: The overview groups actions under their priority (until expanded) above this many actions.
GROUP_ACTIONS_ABOVE = 150

K = NodeKind
E = EdgeKind
#: vis-network shapes by node kind (label-outside shapes, so size means something).
SHAPES: dict[str, str] = {
    K.STRATEGY: "star",
    K.PRIORITY: "diamond",
    K.ACTION: "dot",
    K.ORGANISATION: "square",
    K.SERVICE: "hexagon",
    K.RECOMMENDATION: "triangle",
    K.DOCUMENT: "box",
}
#: Glyphs that stand for the shapes in the legend.
GLYPHS = {"star": "★", "diamond": "◆", "dot": "●", "square": "■", "hexagon": "⬢", "triangle": "▲", "box": "▬"}
SIZES: dict[str, int] = {
    K.STRATEGY: 30,
    K.PRIORITY: 16,
    K.ACTION: 9,
    K.ORGANISATION: 16,
    K.SERVICE: 14,
    K.RECOMMENDATION: 14,
    K.DOCUMENT: 10,
}
HIGHLIGHT = "#DC2626"
EDGE_COLOURS = {
    E.PART_OF: "#9CA3AF",
    E.LEADS: "#111827",
    E.SUPPORTS: "#6B7280",
    E.RESOURCES: "#92400E",
    E.PROVIDES: "#7C3AED",
    E.MENTIONS: "#A5B4FC",
    E.ADDRESSES: "#059669",
    E.REFERENCES: "#0EA5E9",
    E.ALIGNS_WITH: "#0D9488",
    E.DEPENDS_ON: "#DC2626",
    E.DUPLICATES: "#F59E0B",
    "WORKS_IN": "#2563EB",
}
LABEL_MAX = 40


@dataclass(frozen=True, slots=True)
class VisNode:
    """One drawn node. ``strategies``/``orgs`` feed the page's filters."""

    id: str
    label: str
    title: str
    kind: str
    group: str  # the strategy id that colours it ("" when none)
    shape: str
    color: str
    size: float
    x: float = 0.0
    y: float = 0.0
    strategies: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    highlight: bool = False
    parent: str = ""  # the priority an action is grouped under in a grouped overview
    status: str = ""
    due_date: str = ""
    info: dict[str, Any] = field(default_factory=dict)  # what the side panel shows


@dataclass(frozen=True, slots=True)
class VisEdge:
    """One drawn edge; ``kind`` is an `EdgeKind` or a view's own (e.g. ``WORKS_IN``)."""

    id: str
    source: str
    target: str
    kind: str
    title: str
    width: float = 1.0
    dashes: bool = False
    color: str = OTHER
    score: float | None = None
    src: dict[str, Any] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LegendItem:
    """``what`` is ``colour``, ``shape`` or ``edge``."""

    what: str
    label: str
    color: str = OTHER
    shape: str = ""
    dashes: bool = False

    @property
    def glyph(self) -> str:
        return GLYPHS.get(self.shape, "")


@dataclass(frozen=True, slots=True)
class FilterOption:
    value: str
    label: str
    count: int


@dataclass(slots=True)
class VisData:
    """A view ready to render: nodes, edges, legend, filter choices, layout mode."""

    view: str
    caption: str  # our own words, never document text
    nodes: list[VisNode]
    edges: list[VisEdge]
    legend: list[LegendItem] = field(default_factory=list)
    filters: dict[str, list[FilterOption]] = field(default_factory=dict)
    physics: bool = True
    focus: str | None = None
    focus_label: str | None = None
    notes: list[str] = field(default_factory=list)
    grouped: bool = False  # actions start collapsed into their priority

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (edges use vis's ``from``/``to``)."""
        edges = []
        for e in self.edges:
            d = asdict(e)
            d["from"], d["to"] = d.pop("source"), d.pop("target")
            edges.append(d)
        return {
            "view": self.view,
            "caption": self.caption,
            "physics": self.physics,
            "focus": self.focus,
            "focus_label": self.focus_label,
            "notes": self.notes,
            "grouped": self.grouped,
            "nodes": [asdict(n) for n in self.nodes],
            "edges": edges,
            "legend": [asdict(item) for item in self.legend],
            "filters": {k: [asdict(o) for o in v] for k, v in self.filters.items()},
        }


# ------------------------------------------------------------------ assembling
def _vis_node(
    ctx: Context, node: Node, *, size: float | None = None, highlight: bool = False, extra: str = ""
) -> VisNode:
    group, colour = ctx.colour_of(node.id)
    title = ctx.node_title(node) + (f"\n{extra}" if extra else "")
    info = ctx.node_info(node)
    if extra:
        info["note"] = extra
    status = str(node.props.get("status") or "") if node.kind == K.ACTION else ""
    return VisNode(
        id=node.id,
        label=short(node.label, LABEL_MAX),
        title=title,
        kind=str(node.kind),
        group=group,
        shape=SHAPES.get(node.kind, "dot"),
        color=HIGHLIGHT if highlight else colour,
        size=float(size if size is not None else SIZES.get(node.kind, 10)),
        strategies=ctx.strategies(node.id),
        orgs=ctx.orgs(node.id),
        highlight=highlight,
        status=status,
        due_date=str(node.props.get("due_date") or "") if node.kind == K.ACTION else "",
        info=info,
    )


def _vis_edge(ctx: Context, e: Edge) -> VisEdge:
    inferred = e.kind in INFERRED_EDGES
    width = 1.0 + 4.0 * float(e.score) if inferred and e.score is not None else 1.0
    return VisEdge(
        id=f"{e.source}|{e.kind}|{e.target}",
        source=e.source,
        target=e.target,
        kind=str(e.kind),
        title=ctx.edge_title(e),
        width=round(width, 2),
        dashes=inferred or e.kind == E.MENTIONS,
        color=EDGE_COLOURS.get(e.kind, OTHER),
        score=e.score,
        src=e.source_ref.to_dict(),
        info={"facts": [list(f) for f in inferred_facts(e)], "evidence": e.evidence or ""}
        if inferred
        else {},
    )


def _edges_among(graph: PartnerGraph, ids: set[str], kinds: Iterable[EdgeKind] | None = None) -> list[Edge]:
    wanted = None if kinds is None else {str(k) for k in kinds}
    return [
        e
        for e in graph.edges()
        if e.source in ids and e.target in ids and (wanted is None or str(e.kind) in wanted)
    ]


@dataclass(frozen=True, slots=True)
class StrategyLink:
    """Actions of one strategy relying on another: the weighted link of the strategy map.

    ``summary`` is the inference's own strategy-level answer (`queries.dependencies.by_strategy`);
    ``rows`` are the action-level links behind it, strongest first.
    """

    summary: StrategyDependency
    rows: tuple[DependencyLink, ...]

    @property
    def from_id(self) -> str:
        return self.summary.from_strategy_id

    @property
    def to_id(self) -> str:
        return self.summary.to_strategy_id

    @property
    def from_label(self) -> str:
        return self.summary.from_strategy

    @property
    def to_label(self) -> str:
        return self.summary.to_strategy

    @property
    def n_actions(self) -> int:
        """Relying actions of ``from`` (the link's weight)."""
        return self.summary.actions

    @property
    def action_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.action_id for r in self.rows))

    @property
    def top_services(self) -> tuple[str, ...]:
        """What is relied on most, as ``"service (n actions)"``."""
        return self.summary.top_services


def strategy_links(graph: PartnerGraph) -> list[StrategyLink]:
    """Cross-strategy dependencies summed to strategy pairs, most relying actions first.

    Pure: reads the DEPENDS_ON links `queries.infer.materialise` stored in ``graph`` (one
    row per relying action and other strategy, via `queries.infer.stored_dependencies`) and
    sums them with the inference's own `queries.dependencies.by_strategy`; nothing is
    inferred again.
    """
    rows = [
        r
        for r in stored_dependencies(graph)
        if r.from_strategy_id != r.to_strategy_id and graph.kind_of(r.to_strategy_id) == K.STRATEGY
    ]
    by_pair: dict[tuple[str, str], list[DependencyLink]] = {}
    for r in rows:
        by_pair.setdefault((r.from_strategy_id, r.to_strategy_id), []).append(r)
    out = []
    for summary in by_strategy(rows):
        behind = sorted(
            by_pair[(summary.from_strategy_id, summary.to_strategy_id)], key=lambda r: (-r.score, r.action_id)
        )
        out.append(StrategyLink(summary, tuple(behind)))
    return out


def _drill_row(g: PartnerGraph, r: DependencyLink) -> dict[str, Any]:
    """One relying action behind a strategy link: what it relies on, the providing actions,
    evidence, score and both sides' sources (the page links each to its document page)."""
    return {
        "id": r.action_id,
        "label": short(r.action, 160),
        "service": short(r.service, 120),
        "kind": r.kind,
        "kind_words": DEPENDENCY_KINDS.get(r.kind, r.kind),
        "score": r.score,
        "evidence": short(r.evidence, 300),
        "words": [short(w, 60) for w in r.words[:6]],
        "target_words": [short(w, 60) for w in r.target_words[:6]],
        "src": g.node(r.action_id).source.to_dict(),
        "providers": [
            {"id": tid, "label": short(label, 160), "src": g.node(tid).source.to_dict()}
            for tid, label in zip(r.target_ids, r.targets, strict=True)
        ],
    }


def _strategies(ctx: Context) -> tuple[list[VisNode], list[VisEdge], list[str]]:
    """Strategies as nodes (sized by their actions), dependencies between them as weighted links."""
    g = ctx.graph
    links = strategy_links(g)
    own: dict[str, int] = {}
    for n in g.nodes(K.ACTION):
        if (sid := ctx.strategy(n.id)) is not None:
            own[sid] = own.get(sid, 0) + 1
    ids = {link.from_id for link in links} | {link.to_id for link in links} | set(own)
    biggest = max(own.values(), default=1)
    nodes = []
    for sid in sorted(ids):
        n_own = own.get(sid, 0)
        out_n = sum(link.n_actions for link in links if link.from_id == sid)
        in_n = sum(link.n_actions for link in links if link.to_id == sid)
        extra = f"{n_own} action(s) of its own; {out_n} rely on other strategies; {in_n} of others rely on it"
        size = 12 + 28 * sqrt(n_own / biggest)
        node = _vis_node(ctx, g.node(sid), size=round(size, 1), extra=extra)
        nodes.append(replace(node, label=short(g.node(sid).label, 70)))  # few nodes: room for names
    heaviest = max((link.n_actions for link in links), default=1)
    edges = []
    for link in links:
        services = ", ".join(link.top_services)
        title = (
            f"{short(link.from_label, 70)} → {short(link.to_label, 70)}\n"
            f"{link.n_actions} action(s) rely on {link.summary.providing_actions} of its action(s); "
            f"best score {link.summary.best_score:.2f}\n"
            f"Relied on: {short(services, 200) or 'no named service'}\nClick the link to list the actions."
        )
        actions = [_drill_row(g, r) for r in link.rows]
        edges.append(
            VisEdge(
                id=f"{link.from_id}|DEPENDS_ON|{link.to_id}",
                source=link.from_id,
                target=link.to_id,
                kind=str(E.DEPENDS_ON),
                title=title,
                width=round(1.5 + 8.5 * sqrt(link.n_actions / heaviest), 2),
                color=EDGE_COLOURS[E.DEPENDS_ON],
                score=round(link.summary.best_score, 3),
                info={
                    "from_label": link.from_label,
                    "to_label": link.to_label,
                    "n_actions": link.n_actions,
                    "providing_actions": link.summary.providing_actions,
                    "top_services": list(link.top_services),
                    "kinds": list(link.summary.kinds),
                    "actions": actions,
                },
            )
        )
    notes = [] if links else ["No action of one strategy has been found relying on another strategy yet."]
    left_out = sum(1 for _ in g.nodes(K.STRATEGY)) - len(ids)
    if left_out:
        notes.append(
            f"{left_out} strategies that are only named in the papers (no actions of their own, "
            "no dependency) are left out; the Overview shows them."
        )
    return nodes, edges, notes


def _parent(graph: PartnerGraph, nid: str) -> str:
    ups = sorted(e.target for e in graph.out_edges(nid, E.PART_OF))
    return ups[0] if ups else ""


def _overview(ctx: Context) -> tuple[list[VisNode], list[VisEdge], list[str]]:
    g = ctx.graph
    ids = {n.id for n in g.nodes() if n.kind != K.DOCUMENT}
    nodes = [_vis_node(ctx, n) for n in g.nodes() if n.id in ids]
    n_actions = sum(1 for n in nodes if n.kind == K.ACTION)
    notes = []
    if n_actions > GROUP_ACTIONS_ABOVE:
        nodes = [replace(n, parent=_parent(g, n.id)) if n.kind == K.ACTION else n for n in nodes]
        notes.append(
            f"The {n_actions} actions are grouped under their priority (shown as '+N'): "
            "double-click a priority to open it, or search for an action."
        )
    return nodes, [_vis_edge(ctx, e) for e in _edges_among(g, ids)], notes


def _dependencies(ctx: Context) -> tuple[list[VisNode], list[VisEdge], list[str]]:
    g = ctx.graph
    deps = list(g.edges(E.DEPENDS_ON))
    ids = {e.source for e in deps} | {e.target for e in deps}
    nodes = [_vis_node(ctx, g.node(i)) for i in sorted(ids)]
    notes = [] if deps else ["No dependency links have been inferred in this graph yet."]
    return nodes, [_vis_edge(ctx, e) for e in deps], notes


def _partners(ctx: Context) -> tuple[list[VisNode], list[VisEdge], list[str]]:
    """Bodies sized by load, linked to the work they lead and to the strategies they work in."""
    g = ctx.graph
    load: dict[str, dict[str, int]] = {}
    per_strategy: dict[tuple[str, str], dict[str, int]] = {}
    for e in g.edges():
        if e.kind not in WORK:
            continue
        load.setdefault(e.source, {}).setdefault(str(e.kind), 0)
        load[e.source][str(e.kind)] += 1
        if (sid := ctx.strategy(e.target)) is not None:
            bucket = per_strategy.setdefault((e.source, sid), {})
            bucket[str(e.kind)] = bucket.get(str(e.kind), 0) + 1
    if not load:
        return [], [], ["No organisation leads, supports or resources any action yet."]
    biggest = max(sum(v.values()) for v in load.values())
    led = [e for e in g.edges(E.LEADS) if e.source in load]
    ids = set(load) | {e.target for e in led} | {s for _, s in per_strategy}
    nodes = []
    for nid in sorted(ids):
        node = g.node(nid)
        if nid in load:
            total = sum(load[nid].values())
            size = 10 + 24 * sqrt(total / biggest)
            extra = "Load: " + ", ".join(f"{k.lower()} {v}" for k, v in sorted(load[nid].items()))
            nodes.append(_vis_node(ctx, node, size=round(size, 1), extra=extra))
        else:
            nodes.append(_vis_node(ctx, node))
    edges = [_vis_edge(ctx, e) for e in led]
    for (body, sid), counts in sorted(per_strategy.items()):
        total = sum(counts.values())
        what = ", ".join(f"{k.lower()} {v}" for k, v in sorted(counts.items()))
        title = (
            f"{short(label_of(g, body), 60)} works in {short(label_of(g, sid), 80)}\n"
            f"{what} action(s)/priorities"
        )
        edges.append(
            VisEdge(
                id=f"{body}|WORKS_IN|{sid}",
                source=body,
                target=sid,
                kind="WORKS_IN",
                title=title,
                width=min(1.0 + total / 2, 10.0),
                color=EDGE_COLOURS["WORKS_IN"],
            )
        )
    return nodes, edges, []


def _gaps(graph: PartnerGraph) -> dict[str, tuple[bool, str]]:
    """Recommendation id -> (is a gap, why in words), by the coverage query's rule."""
    return {row.id: (row.gap, f"Coverage: {row.reason}") for row in coverage(graph)}


def _recommendations(ctx: Context) -> tuple[list[VisNode], list[VisEdge], list[str]]:
    """Recommendation <- action/priority -> ... -> strategy; gaps in red."""
    g = ctx.graph
    recs = list(g.nodes(K.RECOMMENDATION))
    if not recs:
        return [], [], ["No scrutiny recommendations in this graph yet."]
    addresses = list(g.edges(E.ADDRESSES))
    ids = {r.id for r in recs}
    frontier = [e.source for e in addresses]
    while frontier:  # the PART_OF trace from each answering node up to its strategy
        nid = frontier.pop()
        if nid in ids:
            continue
        ids.add(nid)
        frontier.extend(e.target for e in g.out_edges(nid, E.PART_OF))
    gaps = _gaps(g)
    nodes = []
    for nid in sorted(ids):
        node = g.node(nid)
        gap, why = gaps.get(nid, (False, ""))
        if node.kind == K.RECOMMENDATION:
            nodes.append(_vis_node(ctx, node, size=22 if gap else None, highlight=gap, extra=why))
        else:
            nodes.append(_vis_node(ctx, node))
    edges = [_vis_edge(ctx, e) for e in _edges_among(g, ids, (E.ADDRESSES, E.PART_OF))]
    n_gaps = sum(1 for r in recs if gaps.get(r.id, (False, ""))[0])
    notes = [f"{n_gaps} of {len(recs)} recommendations are gaps: no concrete action answers them (in red)."]
    return nodes, edges, notes


def resolve_focus(graph: PartnerGraph, focus: str) -> str:
    """Node id for ``focus`` by the rules of ``partnermap query path`` and ``--from``/``--to``
    (`queries.paths.resolve_entity`): an id, else the best search hit over names, aliases
    and text. Raises `InputError` when nothing matches, or when the name is ambiguous
    (the candidates listed), never picking one silently.
    """
    return resolve_entity(graph, focus, "--focus")


def _ego(ctx: Context, focus: str, depth: int) -> tuple[list[VisNode], list[VisEdge], list[str]]:
    g = ctx.graph
    seen = {focus: 0}
    queue = deque([focus])
    while queue:
        nid = queue.popleft()
        if seen[nid] >= depth:
            continue
        for m in sorted(g.neighbours(nid)):
            if m not in seen and g.kind_of(m) != K.DOCUMENT:
                seen[m] = seen[nid] + 1
                queue.append(m)
    nodes = []
    for nid in sorted(seen):
        hop = f"{seen[nid]} step(s) from the focus" if nid != focus else "The focus of this view"
        nodes.append(
            _vis_node(ctx, g.node(nid), highlight=nid == focus, extra=hop, size=30 if nid == focus else None)
        )
    return nodes, [_vis_edge(ctx, e) for e in _edges_among(g, set(seen))], []


CAPTIONS = {
    "strategies": "Strategies and how their actions rely on each other. A link's width is the number "
    "of actions behind it; click a link to list them, click a strategy for its details.",
    "overview": "Every strategy, priority, action, partner and recommendation. "
    "Colour: strategy. Shape: kind of node.",
    "dependencies": "Inferred cross-strategy dependencies. Hover a link for its evidence.",
    "partners": "Partners sized by how many actions they lead, support or resource, "
    "linked to the actions they lead and the strategies they work in.",
    "recommendations": "Scrutiny recommendations traced to the actions that answer them. "
    "Red: answered by no action.",
    "ego": "A node and its neighbourhood.",
}


def _legend(ctx: Context, nodes: list[VisNode], edges: list[VisEdge]) -> list[LegendItem]:
    g = ctx.graph
    items = []
    groups = sorted(
        {n.group for n in nodes if n.group in ctx.colour}, key=lambda s: (label_of(g, s).casefold(), s)
    )
    items += [LegendItem("colour", short(label_of(g, s), 60), ctx.colour[s]) for s in groups]
    if any(n.group and n.group not in ctx.colour and not n.highlight for n in nodes):
        items.append(LegendItem("colour", "strategy only referenced", REFERENCED))
    for kind, colour in NO_STRATEGY.items():
        if any(n.kind == kind and not n.group and not n.highlight for n in nodes):
            items.append(LegendItem("colour", f"{kind} (no single strategy)", colour))
    if any(n.highlight for n in nodes):
        items.append(LegendItem("colour", "highlighted (focus / gap)", HIGHLIGHT))
    for kind in NodeKind:
        if any(n.kind == kind for n in nodes):
            items.append(LegendItem("shape", str(kind), shape=SHAPES.get(kind, "dot")))
    seen: dict[str, bool] = {}
    for e in edges:
        seen.setdefault(e.kind, e.dashes)
    items += [LegendItem("edge", k, EDGE_COLOURS.get(k, OTHER), dashes=d) for k, d in sorted(seen.items())]
    return items


def _filters(ctx: Context, nodes: list[VisNode], edges: list[VisEdge]) -> dict[str, list[FilterOption]]:
    """Choices of the page's filters, each with the number of nodes it keeps.

    A strategy keeps its own nodes and whatever they link to (so partners, services
    and the strategies it relies on stay), which is what its count says.
    """
    g = ctx.graph
    kinds: dict[str, int] = {}
    statuses: dict[str, int] = {}
    own: dict[str, set[str]] = {}
    for n in nodes:
        kinds[n.kind] = kinds.get(n.kind, 0) + 1
        if n.status:
            statuses[n.status] = statuses.get(n.status, 0) + 1
        if n.group:
            own.setdefault(n.group, set()).add(n.id)
    adjacent: dict[str, set[str]] = {}
    for e in edges:
        adjacent.setdefault(e.source, set()).add(e.target)
        adjacent.setdefault(e.target, set()).add(e.source)
    strategies = []
    for sid, ids in own.items():
        kept = set(ids)
        for nid in ids:
            kept |= adjacent.get(nid, set())
        strategies.append(FilterOption(sid, short(label_of(g, sid), 60), len(kept)))
    strategies.sort(key=lambda o: (o.label.casefold(), o.value))
    order = {str(k): i for i, k in enumerate(NodeKind)}
    return {
        "kind": sorted(
            (FilterOption(k, k, c) for k, c in kinds.items()), key=lambda o: order.get(o.value, 99)
        ),
        "strategy": strategies,
        "status": sorted(
            (FilterOption(k, k, c) for k, c in statuses.items()), key=lambda o: (-o.count, o.value)
        ),
    }


def to_vis_data(
    graph: PartnerGraph, *, view: str, focus: str | None = None, depth: int = 1, seed: int = 42
) -> VisData:
    """The nodes, edges, legend and filters of one view of ``graph`` (never mutated).

    Views: ``strategies`` (the strategy map), ``overview``, ``dependencies``, ``partners``,
    ``recommendations`` and ``ego`` (``focus`` by id or label, neighbourhood to ``depth``). Raises
    `InputError` for an unknown view, a missing or unknown focus, or a negative depth.
    """
    if view not in VIEWS:
        raise InputError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    ctx = Context(graph)
    focus_id = None
    if view == "ego":
        if not focus:
            raise InputError("the ego view needs --focus (a node id or name)")
        if depth < 0:
            raise InputError(f"--depth must be 0 or more, not {depth}")
        focus_id = resolve_focus(graph, focus)
        nodes, edges, notes = _ego(ctx, focus_id, depth)
    else:
        build = {
            "strategies": _strategies,
            "overview": _overview,
            "dependencies": _dependencies,
            "partners": _partners,
            "recommendations": _recommendations,
        }[view]
        nodes, edges, notes = build(ctx)
    ids = {n.id for n in nodes}
    inside = {n.id: n.parent for n in nodes if n.parent in ids}  # grouped: laid out round their group
    pos, physics = layout(
        [(n.id, n.group, n.kind) for n in nodes if n.id not in inside],
        [(e.source, e.target) for e in edges if e.source not in inside and e.target not in inside],
        focus=focus_id,
        seed=seed,
    )
    pos.update(around_parents(inside, pos))
    physics = physics and len(nodes) <= PHYSICS_MAX_NODES
    nodes = [replace(n, x=pos[n.id][0], y=pos[n.id][1]) for n in nodes]
    caption = CAPTIONS[view]
    if view == "ego":
        caption = (
            f"The focus (red) and everything within {depth} step(s) of it, following links of every kind."
        )
    return VisData(
        view=view,
        caption=caption,
        nodes=nodes,
        edges=edges,
        legend=_legend(ctx, nodes, edges),
        filters=_filters(ctx, nodes, edges),
        physics=physics,
        focus=focus_id,
        focus_label=label_of(graph, focus_id) if focus_id else None,
        notes=notes,
        grouped=any(n.parent for n in nodes),
    )
