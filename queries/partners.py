"""Partner load: who leads, supports and resources what, where, and who holds the network together.

Betweenness is computed on the partner projection (`partner_graph`): bodies and
strategies, a body linked to every strategy it leads, supports or resources an action
of. A body scores high when it is the link between plans that share no other partner.
(On the whole structural graph it cost 91 s at 10k actions and mostly measured the
shape of action-plan tables.) It is exact up to `EXACT_BETWEENNESS_MAX` nodes; above
that it is estimated from `BETWEENNESS_SAMPLE` sampled sources with a fixed seed (same
graph, same numbers). ``degree`` is still the body's degree in the undirected structural
graph (documents and inferred links left out, so inference cannot inflate it).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import networkx as nx

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import INFERRED_EDGES, EdgeKind, NodeKind
from graphmodel.store import Store

from ._base import BODY_KINDS, ROLE_EDGES, cites, graph_of, strategy_index
from .results import PartnerLoad, StrategyShare

EXACT_BETWEENNESS_MAX = 1000
BETWEENNESS_SAMPLE = 300
SEED = 42
SPOF_MIN_ACTIONS = 4  # one lead with this many open actions due in one quarter
DONE = frozenset({"achieved", "complete", "completed", "done", "delivered", "closed"})


def structural_graph(graph: PartnerGraph) -> nx.Graph:
    """Undirected simple graph of every non-document node and every non-inferred edge."""
    g = nx.Graph()
    keep = {n for n, d in graph.g.nodes(data=True) if d["kind"] != NodeKind.DOCUMENT}
    g.add_nodes_from(sorted(keep))
    g.add_edges_from((u, v) for u, v, k in graph.g.edges(keys=True)
                     if u in keep and v in keep and u != v and EdgeKind(k) not in INFERRED_EDGES)
    return g


def partner_graph(graph: PartnerGraph) -> nx.Graph:
    """Bodies and strategies; a body is linked to each strategy it takes part in an action of."""
    index = strategy_index(graph)
    g = nx.Graph()
    for e in graph.edges():
        if e.kind in ROLE_EDGES and graph.kind_of(e.source) in BODY_KINDS:
            sid = index.of.get(e.target)
            if sid is not None:
                g.add_edge(e.source, sid)
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


def partners(source: Store | PartnerGraph, *, top: int | None = None,
             spof_min: int = SPOF_MIN_ACTIONS) -> list[PartnerLoad]:
    """Every organisation (and service) that leads, supports or resources actions, busiest first."""
    if top is not None and top < 1:
        raise InputError(f"top must be at least 1, got {top}")
    graph = graph_of(source, "partners")
    index = strategy_index(graph)
    counts: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    sources: dict[str, list] = defaultdict(list)
    due_quarters: dict[str, Counter[str]] = defaultdict(Counter)
    for e in graph.edges():
        if e.kind not in ROLE_EDGES or graph.kind_of(e.source) not in BODY_KINDS:
            continue
        if graph.kind_of(e.target) != NodeKind.ACTION:
            continue
        sid = index.of.get(e.target)
        counts[e.source][str(e.kind)][sid or ""] += 1
        sources[e.source].append(e.source_ref)
        if e.kind == EdgeKind.LEADS:
            props = graph.node(e.target).props
            q = quarter(props.get("due_date"))
            if q and str(props.get("status", "")).lower() not in DONE:
                due_quarters[e.source][q] += 1
    if not counts:
        return []
    sg = structural_graph(graph)
    pg = partner_graph(graph)
    btw = betweenness(pg)
    basis = ("partner projection, exact" if pg.number_of_nodes() <= EXACT_BETWEENNESS_MAX else
             f"partner projection, sampled {BETWEENNESS_SAMPLE} sources, seed {SEED}")
    rows = []
    for body, by_kind in counts.items():
        node = graph.node(body)
        led, sup, res = (by_kind[str(k)] for k in (EdgeKind.LEADS, EdgeKind.SUPPORTS, EdgeKind.RESOURCES))
        per = []
        for sid in sorted(set(led) | set(sup) | set(res), key=lambda s: index.label(s or None)):
            n_actions = len(index.actions.get(sid, ())) if sid else 0
            per.append(StrategyShare(index.label(sid or None) or "(no strategy)", led[sid], sup[sid],
                                     res[sid], round(led[sid] / n_actions, 3) if n_actions else 0.0))
        strategies_led = sum(1 for sid, c in led.items() if c and sid)
        spof = tuple(f"{q}: {c} actions due" for q, c in sorted(due_quarters[body].items())
                     if c >= spof_min)
        rows.append(PartnerLoad(
            id=body, name=node.label, kind=str(node.kind), category=node.props.get("category"),
            led=sum(led.values()), supported=sum(sup.values()), resourced=sum(res.values()),
            strategies_led=strategies_led, per_strategy=tuple(per),
            degree=sg.degree(body) if body in sg else 0,
            betweenness=round(btw.get(body, 0.0), 5), bridging=strategies_led >= 2,
            single_point_of_failure=spof, sources=cites(sources[body]), betweenness_basis=basis))
    rows.sort(key=lambda r: (-(r.led + r.supported + r.resourced), -r.betweenness, r.name, r.id))
    return rows[:top] if top else rows
