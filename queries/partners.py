"""Partner load: who leads, supports and resources what, where, and who holds the network together.

Betweenness is computed on the partner projection (`partner_graph`): bodies and
strategies, a body linked to every strategy it leads, supports or resources an action
of. A body scores high when it is the link between plans that share no other partner.
(On the whole structural graph it cost 91 s at 10k actions and mostly measured the
shape of action-plan tables.) It is exact up to `EXACT_BETWEENNESS_MAX` nodes; above
that it is estimated from `BETWEENNESS_SAMPLE` sampled sources with a fixed seed (same
graph, same numbers). ``degree`` is still the body's degree in the undirected structural
graph (documents and inferred links left out, so inference cannot inflate it).

The rows are computed from `PartnerFacts`: counts, sources, due dates and degrees,
gathered from a graph in memory or, on a graph server, by Cypher aggregations.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import networkx as nx

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import INFERRED_EDGES, EdgeKind, Node, NodeKind, Source
from graphmodel.store import Store

from ._base import BODY_KINDS, ROLE_EDGES, cites, graph_of, strategy_index
from .cypher import is_server
from .results import PartnerLoad, StrategyShare

EXACT_BETWEENNESS_MAX = 1000
BETWEENNESS_SAMPLE = 300
SEED = 42
SPOF_MIN_ACTIONS = 4  # one lead with this many open actions due in one quarter
DONE = frozenset({"achieved", "complete", "completed", "done", "delivered", "closed"})


def body_degree(graph: PartnerGraph, body: str) -> int:
    """Distinct neighbours of ``body`` by non-inferred edges, documents and itself left out
    (its degree in the undirected structural graph)."""
    near = {v for _, v, k in graph.g.out_edges(body, keys=True) if EdgeKind(k) not in INFERRED_EDGES}
    near |= {u for u, _, k in graph.g.in_edges(body, keys=True) if EdgeKind(k) not in INFERRED_EDGES}
    near.discard(body)
    return sum(1 for n in near if graph.kind_of(n) != NodeKind.DOCUMENT)


def partner_graph(pairs: Iterable[tuple[str, str]]) -> nx.Graph:
    """Bodies and strategies; ``pairs`` are (body, strategy it takes part in an action of).

    Built in sorted order, so sampled betweenness does not depend on load order.
    """
    g = nx.Graph()
    g.add_edges_from(sorted(set(pairs)))
    return g


def betweenness(g: nx.Graph) -> dict[str, float]:
    """Normalised betweenness; sampled (k, fixed seed) above `EXACT_BETWEENNESS_MAX` nodes."""
    if g.number_of_nodes() > EXACT_BETWEENNESS_MAX:
        return nx.betweenness_centrality(g, k=BETWEENNESS_SAMPLE, seed=SEED)
    return nx.betweenness_centrality(g)


def quarter(iso: str) -> str | None:
    try:
        d = date.fromisoformat(iso)
    except (TypeError, ValueError):
        return None
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def is_done(status: object) -> bool:
    """Does an action's status say it is finished?"""
    return str(status if status is not None else "").lower() in DONE


@dataclass
class PartnerFacts:
    """What partner load is computed from: gathered from a graph (`graph_facts`) or on a
    graph server by Cypher (`queries.cypher.partner_facts`)."""

    bodies: dict[str, Node] = field(default_factory=dict)  # bodies taking part in actions
    #: body -> edge kind -> strategy id ("" for none) -> actions
    counts: dict[str, dict[str, Counter[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counter))
    )
    sources: dict[str, list[Source]] = field(default_factory=lambda: defaultdict(list))
    #: body -> due date of an open action it leads -> actions
    open_due: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    degree: dict[str, int] = field(default_factory=dict)
    strategy_labels: dict[str, str] = field(default_factory=dict)
    strategy_actions: dict[str, int] = field(default_factory=dict)


def graph_facts(graph: PartnerGraph) -> PartnerFacts:
    """`PartnerFacts` of a graph in memory."""
    index = strategy_index(graph)
    facts = PartnerFacts()
    for e in graph.edges():
        if e.kind not in ROLE_EDGES or graph.kind_of(e.source) not in BODY_KINDS:
            continue
        if graph.kind_of(e.target) != NodeKind.ACTION:
            continue
        facts.bodies.setdefault(e.source, graph.node(e.source))
        facts.counts[e.source][str(e.kind)][index.of.get(e.target) or ""] += 1
        facts.sources[e.source].append(e.source_ref)
        if e.kind == EdgeKind.LEADS:
            props = graph.node(e.target).props
            if props.get("due_date") and not is_done(props.get("status")):
                facts.open_due[e.source][str(props["due_date"])] += 1
    facts.degree = {b: body_degree(graph, b) for b in facts.bodies}
    facts.strategy_labels = {s.id: s.label for s in graph.nodes(NodeKind.STRATEGY)}
    facts.strategy_actions = {sid: len(ids) for sid, ids in index.actions.items()}
    return facts


def partners(
    source: Store | PartnerGraph, *, top: int | None = None, spof_min: int = SPOF_MIN_ACTIONS
) -> list[PartnerLoad]:
    """Every organisation (and service) that leads, supports or resources actions, busiest first."""
    if top is not None and top < 1:
        raise InputError(f"top must be at least 1, got {top}")
    if is_server(source):
        from .cypher import partner_facts

        facts = partner_facts(source)
    else:
        facts = graph_facts(graph_of(source, "partners"))
    return partner_rows(facts, top=top, spof_min=spof_min)


def partner_rows(
    facts: PartnerFacts, *, top: int | None = None, spof_min: int = SPOF_MIN_ACTIONS
) -> list[PartnerLoad]:
    """Partner-load rows from `PartnerFacts`, busiest first."""
    if not facts.counts:
        return []
    pg = partner_graph(
        (body, sid)
        for body, by_kind in facts.counts.items()
        for per in by_kind.values()
        for sid, n in per.items()
        if sid and n
    )
    btw = betweenness(pg)
    basis = (
        "partner projection, exact"
        if pg.number_of_nodes() <= EXACT_BETWEENNESS_MAX
        else f"partner projection, sampled {BETWEENNESS_SAMPLE} sources, seed {SEED}"
    )
    label = facts.strategy_labels.get
    rows = []
    for body, by_kind in facts.counts.items():
        node = facts.bodies[body]
        led, sup, res = (by_kind[str(k)] for k in (EdgeKind.LEADS, EdgeKind.SUPPORTS, EdgeKind.RESOURCES))
        per = []
        for sid in sorted(set(led) | set(sup) | set(res), key=lambda s: (label(s, ""), s)):
            n_actions = facts.strategy_actions.get(sid, 0) if sid else 0
            per.append(
                StrategyShare(
                    label(sid, "") or "(no strategy)",
                    led[sid],
                    sup[sid],
                    res[sid],
                    round(led[sid] / n_actions, 3) if n_actions else 0.0,
                )
            )
        strategies_led = sum(1 for sid, c in led.items() if c and sid)
        quarters: Counter[str] = Counter()
        for due_date, n in facts.open_due[body].items():
            q = quarter(due_date)
            if q:
                quarters[q] += n
        spof = tuple(f"{q}: {c} actions due" for q, c in sorted(quarters.items()) if c >= spof_min)
        rows.append(
            PartnerLoad(
                id=body,
                name=node.label,
                kind=str(node.kind),
                category=node.props.get("category"),
                led=sum(led.values()),
                supported=sum(sup.values()),
                resourced=sum(res.values()),
                strategies_led=strategies_led,
                per_strategy=tuple(per),
                degree=facts.degree.get(body, 0),
                betweenness=round(btw.get(body, 0.0), 5),
                bridging=strategies_led >= 2,
                single_point_of_failure=spof,
                sources=cites(facts.sources[body]),
                betweenness_basis=basis,
            )
        )
    rows.sort(key=lambda r: (-(r.led + r.supported + r.resourced), -r.betweenness, r.name, r.id))
    return rows[:top] if top else rows
