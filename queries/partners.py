"""Partner load: who leads, supports and resources what, where, and who holds the network together.

Betweenness is computed on the co-participation graph (`partner_graph`): bodies only,
two bodies linked when they take part (lead, support or resource) in the same action
by a named role. A body scores high when it is the one link between groups of bodies
that otherwise never work on an action together. Blanket resource cells ("Council",
"Police": ``props.generic`` on the RESOURCES edge) are counted apart (``generic``) and
left out of the projection and the ranking, so they cannot make a body look central or
busy. Betweenness
is exact up to `EXACT_BETWEENNESS_MAX` bodies; above that it is estimated from
`BETWEENNESS_SAMPLE` sampled sources with a fixed seed (same graph, same numbers).
``degree`` is the body's degree in the undirected structural graph (documents and
inferred links left out, so inference cannot inflate it).

``single_point_of_failure`` lists the open actions a body carries alone: no other body
leads, supports or resources them.

The rows are computed from `PartnerFacts`: counts, sources and who takes part in each
action, gathered from a graph in memory or, on a graph server, by Cypher aggregations.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import INFERRED_EDGES, EdgeKind, Node, NodeKind, Source
from graphmodel.store import Store

from ._base import BODY_KINDS, ROLE_EDGES, cites, graph_of, own_text, strategy_index
from .cypher import is_server
from .results import PartnerLoad, StrategyShare

EXACT_BETWEENNESS_MAX = 1000
BETWEENNESS_SAMPLE = 300
SEED = 42
DONE = frozenset({"achieved", "complete", "completed", "done", "delivered", "closed"})
# a due cell reporting the work finished: "profile completed January 2017", "achieved";
# not "to be completed by July 2017"
_STATED_DONE = re.compile(
    r"(?<!to be )(?<!will be )(?<!not )\b(?:completed|achieved|delivered)\b", re.IGNORECASE
)


def body_degree(graph: PartnerGraph, body: str) -> int:
    """Distinct neighbours of ``body`` by non-inferred edges, documents and itself left out
    (its degree in the undirected structural graph)."""
    near = {v for _, v, k in graph.g.out_edges(body, keys=True) if EdgeKind(k) not in INFERRED_EDGES}
    near |= {u for u, _, k in graph.g.in_edges(body, keys=True) if EdgeKind(k) not in INFERRED_EDGES}
    near.discard(body)
    return sum(1 for n in near if graph.kind_of(n) != NodeKind.DOCUMENT)


def partner_graph(bodies: Iterable[str], actions: Iterable[Iterable[str]]) -> nx.Graph:
    """Bodies, two linked when they take part in one action (``actions``: the bodies of
    each action, by named roles).

    Built in sorted order, so sampled betweenness does not depend on load order.
    """
    g = nx.Graph()
    g.add_nodes_from(sorted(set(bodies)))
    pairs = {pair for members in actions for pair in combinations(sorted(set(members)), 2)}
    g.add_edges_from(sorted(pairs))
    return g


def betweenness(g: nx.Graph) -> dict[str, float]:
    """Normalised betweenness; sampled (k, fixed seed) above `EXACT_BETWEENNESS_MAX` nodes."""
    if g.number_of_nodes() > EXACT_BETWEENNESS_MAX:
        return nx.betweenness_centrality(g, k=BETWEENNESS_SAMPLE, seed=SEED)
    return nx.betweenness_centrality(g)


def is_done(status: object) -> bool:
    """Does an action's status say it is finished?"""
    return str(status if status is not None else "").lower() in DONE


def is_finished(status: object, due_text: object = None) -> bool:
    """Is an action finished: its status says so, or its due cell reports it completed
    ("Knife crime profile completed January 2017")?"""
    return is_done(status) or (isinstance(due_text, str) and bool(_STATED_DONE.search(due_text)))


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
    #: body -> role edges from blanket cells ("Council"; ``props.generic``)
    generic: Counter[str] = field(default_factory=Counter)
    #: action id -> body -> True when it takes part by a named role (not only blanket cells)
    participants: dict[str, dict[str, bool]] = field(default_factory=lambda: defaultdict(dict))
    #: open (unfinished) action id -> its text
    open_actions: dict[str, str] = field(default_factory=dict)
    degree: dict[str, int] = field(default_factory=dict)
    strategy_labels: dict[str, str] = field(default_factory=dict)
    strategy_actions: dict[str, int] = field(default_factory=dict)

    def add_role(self, body: str, action: str, generic: bool) -> None:
        """Note that ``body`` takes part in ``action`` (by a blanket cell if ``generic``)."""
        if generic:
            self.generic[body] += 1
        per = self.participants[action]
        per[body] = per.get(body, False) or not generic


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
        facts.add_role(e.source, e.target, bool(e.props.get("generic")))
        if e.target not in facts.open_actions:
            action = graph.node(e.target)
            if not is_finished(action.props.get("status"), action.props.get("due")):
                facts.open_actions[e.target] = own_text(action)
    facts.degree = {b: body_degree(graph, b) for b in facts.bodies}
    facts.strategy_labels = {s.id: s.label for s in graph.nodes(NodeKind.STRATEGY)}
    facts.strategy_actions = {sid: len(ids) for sid, ids in index.actions.items()}
    return facts


def partners(source: Store | PartnerGraph, *, top: int | None = None) -> list[PartnerLoad]:
    """Every organisation (and service) that leads, supports or resources actions, busiest
    first by named roles (blanket "Council" cells counted apart)."""
    if top is not None and top < 1:
        raise InputError(f"top must be at least 1, got {top}")
    if is_server(source):
        from .cypher import partner_facts

        facts = partner_facts(source)
    else:
        facts = graph_facts(graph_of(source, "partners"))
    return partner_rows(facts, top=top)


def partner_rows(facts: PartnerFacts, *, top: int | None = None) -> list[PartnerLoad]:
    """Partner-load rows from `PartnerFacts`, busiest (by named roles) first."""
    if not facts.counts:
        return []
    pg = partner_graph(
        facts.counts, ([b for b, named in per.items() if named] for per in facts.participants.values())
    )
    btw = betweenness(pg)
    basis = (
        "co-participation in actions, exact"
        if pg.number_of_nodes() <= EXACT_BETWEENNESS_MAX
        else f"co-participation in actions, sampled {BETWEENNESS_SAMPLE} sources, seed {SEED}"
    )
    alone: dict[str, list[str]] = defaultdict(list)  # body -> open actions nobody else is on
    for action, per in facts.participants.items():
        if len(per) == 1 and action in facts.open_actions:
            alone[next(iter(per))].append(facts.open_actions[action])
    label = facts.strategy_labels.get
    rows = []
    for body, by_kind in facts.counts.items():
        node = facts.bodies[body]
        led, sup, res = (by_kind[str(k)] for k in (EdgeKind.LEADS, EdgeKind.SUPPORTS, EdgeKind.RESOURCES))
        shares: list[StrategyShare] = []
        for sid in sorted(set(led) | set(sup) | set(res), key=lambda s: (label(s, ""), s)):
            n_actions = facts.strategy_actions.get(sid, 0) if sid else 0
            shares.append(
                StrategyShare(
                    label(sid, "") or "(no strategy)",
                    led[sid],
                    sup[sid],
                    res[sid],
                    round(led[sid] / n_actions, 3) if n_actions else 0.0,
                )
            )
        strategies_led = sum(1 for sid, c in led.items() if c and sid)
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
                per_strategy=tuple(shares),
                degree=facts.degree.get(body, 0),
                betweenness=round(btw.get(body, 0.0), 5),
                bridging=strategies_led >= 2,
                single_point_of_failure=tuple(sorted(alone[body])),
                sources=cites(facts.sources[body]),
                betweenness_basis=basis,
                generic=facts.generic[body],
            )
        )
    rows.sort(
        key=lambda r: (
            -(r.led + r.supported + r.resourced - r.generic),
            -(r.led + r.supported + r.resourced),
            -r.betweenness,
            r.name,
            r.id,
        )
    )
    return rows[:top] if top else rows
