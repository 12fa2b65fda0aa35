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

The rows are computed from `queries.facts.PartnerFacts`: counts, sources and who takes part
in each action, gathered from a graph in memory (`queries.memory`) or, on a graph server,
by Cypher aggregations (`queries.cypher`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

import networkx as nx

from graphmodel.errors import InputError
from graphmodel.schema import EdgeKind

from ._base import cites
from .backend import QuerySource, facts_of
from .facts import PartnerFacts
from .results import PartnerLoad, StrategyShare

EXACT_BETWEENNESS_MAX = 1000
BETWEENNESS_SAMPLE = 300
SEED = 42


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


def partners(source: QuerySource, *, top: int | None = None) -> list[PartnerLoad]:
    """Every organisation (and service) that leads, supports or resources actions, busiest
    first by named roles (blanket "Council" cells counted apart)."""
    if top is not None and top < 1:
        raise InputError(f"top must be at least 1, got {top}")
    return partner_rows(facts_of(source).partners(), top=top)


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
