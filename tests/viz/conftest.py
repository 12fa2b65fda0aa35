"""Fixtures for the view tests: a graph with every edge kind, a hostile one, a big one."""

from __future__ import annotations

import random

import pytest

from graphmodel.graph import PartnerGraph
from graphmodel.schema import Edge, EdgeKind, Node, NodeKind, Source
from queries.dependencies import KINDS

#: Text a hostile (or merely careless) document could contain.
PAYLOAD = (
    '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
    '<a href="https://evil.example/x">see href</a> & "quoted"'
)


def _src(line: int, doc: str = "tiny.txt") -> Source:
    return Source(doc, line, line + 1)


def depends_on(
    from_strategy: str,
    to_strategy: str,
    *,
    service: str = "service:camhs",
    name: str = "CAMHS",
    kind: str = "relies-on-service",
    words: list[str] | None = None,
) -> dict[str, object]:
    """The props `queries.infer.materialise` gives a DEPENDS_ON edge."""
    return {
        "kind": kind,
        "service": service,
        "service_name": name,
        "from_strategy": from_strategy,
        "to_strategy": to_strategy,
        "words": list(words or [name]),
        "target_words": [name],
    }


def enrich(g: PartnerGraph) -> PartnerGraph:
    """Add to ``tiny_graph`` one edge of each remaining kind and an unanswered recommendation."""
    g.add_node(Node("strategy:ps", NodeKind.STRATEGY, "Partnership Southwark", _src(30)))
    g.add_node(
        Node(
            "recommendation:r4",
            NodeKind.RECOMMENDATION,
            "Recommendation 4",
            _src(21),
            {"number": 4, "label": "4", "text": "Publish a youth offer"},
        )
    )
    g.add_node(Node("document:tiny", NodeKind.DOCUMENT, "tiny.txt", Source("tiny.txt", 1, 40)))
    g.add_edge(Edge("recommendation:r4", "strategy:mh", EdgeKind.PART_OF, _src(21)))
    # as queries.infer.materialise writes it: relying action -> providing action of another strategy
    g.add_edge(
        Edge(
            "action:kc-1",
            "action:mh-1",
            EdgeKind.DEPENDS_ON,
            _src(3),
            depends_on("strategy:kc", "strategy:mh", words=["CAMHS"]),
            score=0.8,
            method="relies-on-service+semantic",
            evidence="refers to CAMHS; the other action expands CAMHS",
        )
    )
    g.add_edge(
        Edge(
            "action:kc-1",
            "action:mh-1",
            EdgeKind.DUPLICATES,
            _src(3),
            {
                "type": "shared-aim",
                "group_type": "shared-aim",
                "group_size": 2,
                "lexical": 0.41,
                "semantic": 0.77,
                "shared_leads": [],
                "text": "Refer young people to CAMHS",
                "representative_text": "Expand CAMHS crisis offer",
            },
            score=0.9,
            method="lexical+semantic",
            evidence="refer / expand CAMHS",
        )
    )
    g.add_edge(Edge("priority:mh-1", "strategy:ps", EdgeKind.ALIGNS_WITH, _src(31)))
    g.add_edge(Edge("organisation:slam", "action:kc-1", EdgeKind.SUPPORTS, _src(3)))
    g.validate()
    return g


@pytest.fixture()
def rich_graph(tiny_graph: PartnerGraph) -> PartnerGraph:
    return enrich(tiny_graph)


@pytest.fixture()
def hostile_graph(tiny_graph: PartnerGraph) -> PartnerGraph:
    """``rich_graph`` whose action, organisation, strategy and evidence texts attack the page."""
    g = enrich(tiny_graph)
    g.add_node(Node("strategy:evil", NodeKind.STRATEGY, f"Plan {PAYLOAD}", _src(50, "evil.txt")))
    g.add_node(
        Node(
            "priority:evil",
            NodeKind.PRIORITY,
            "Theme </script><script>x=1</script>",
            _src(51, "evil.txt"),
            {"level": "theme"},
        )
    )
    g.add_node(
        Node(
            "action:evil",
            NodeKind.ACTION,
            PAYLOAD,
            _src(52, "evil.txt"),
            {"status": "open", "level": "action", "text": PAYLOAD + " in full"},
        )
    )
    g.add_node(
        Node(
            "organisation:evil",
            NodeKind.ORGANISATION,
            f"Org {PAYLOAD}",
            _src(52, "evil.txt"),
            {"aliases": [PAYLOAD], "category": "voluntary"},
        )
    )
    g.add_node(
        Node(
            "document:evil",
            NodeKind.DOCUMENT,
            "evil.txt",
            Source("evil.txt", 1, 60),
            {
                "title": f"Evil paper {PAYLOAD}",
                "body": "Board <b>of</b> Harm",
                "meeting_date": "1 April 2020",
            },
        )
    )
    g.add_edge(Edge("priority:evil", "strategy:evil", EdgeKind.PART_OF, _src(51, "evil.txt")))
    g.add_edge(Edge("action:evil", "priority:evil", EdgeKind.PART_OF, _src(52, "evil.txt")))
    g.add_edge(Edge("organisation:evil", "action:evil", EdgeKind.LEADS, _src(52, "evil.txt")))
    g.add_edge(
        Edge(
            "action:evil",
            "action:mh-1",
            EdgeKind.DEPENDS_ON,
            _src(52, "evil.txt"),
            depends_on("strategy:evil", "strategy:mh", name=f"crisis care {PAYLOAD}", words=[PAYLOAD]),
            score=0.7,
            method="relies-on-service",
            evidence=PAYLOAD,
        )
    )
    g.validate()
    return g


#: The text of evil.txt: line 52 (the hostile action's source) carries the payload.
EVIL_LINES = [f"line {i}" for i in range(1, 61)]
EVIL_LINES[51] = f"Action: {PAYLOAD}"


def synthetic_graph(n_nodes: int = 5000, *, seed: int = 7) -> PartnerGraph:
    """A plan-shaped random graph of about ``n_nodes`` nodes (for scale tests and timing)."""
    rnd = random.Random(seed)
    g = PartnerGraph()
    n_strat = max(2, n_nodes // 500)
    n_orgs, n_services = max(3, n_nodes // 80), max(2, n_nodes // 250)
    n_recs = max(2, n_nodes // 100)
    prios_per = 6
    n_actions = n_nodes - n_strat * (1 + prios_per) - n_orgs - n_services - n_recs
    doc = "synthetic.txt"
    line = iter(range(1, 10**7))

    def node(nid: str, kind: NodeKind, label: str, **props: object) -> str:
        ln = next(line)
        g.add_node(Node(nid, kind, label, Source(doc, ln, ln), dict(props)))
        return nid

    def edge(u: str, v: str, kind: EdgeKind, **kw: object) -> None:
        ln = next(line)
        g.add_edge(Edge(u, v, kind, Source(doc, ln, ln), **kw))

    strategies = [node(f"strategy:s{i}", NodeKind.STRATEGY, f"Strategy {i}") for i in range(n_strat)]
    prios = []
    for s in strategies:
        for j in range(prios_per):
            p = node(f"priority:{s}-{j}", NodeKind.PRIORITY, f"Priority {j} of {s}", level="theme")
            edge(p, s, EdgeKind.PART_OF)
            prios.append(p)
    orgs = [
        node(f"organisation:o{i}", NodeKind.ORGANISATION, f"Organisation {i}", category="council")
        for i in range(n_orgs)
    ]
    services = [node(f"service:v{i}", NodeKind.SERVICE, f"Service {i}") for i in range(n_services)]
    for v in services:
        edge(rnd.choice(orgs), v, EdgeKind.PROVIDES)
    actions = []
    for i in range(n_actions):
        topic = rnd.choice(["housing", "youth", "crisis", "schools"])
        a = node(f"action:a{i}", NodeKind.ACTION, f"Action {i} on {topic}", status="open", level="action")
        edge(a, rnd.choice(prios), EdgeKind.PART_OF)
        edge(orgs[min(int(rnd.paretovariate(1.2)) - 1, n_orgs - 1)], a, EdgeKind.LEADS)
        if rnd.random() < 0.3:
            edge(rnd.choice(orgs), a, EdgeKind.SUPPORTS)
        if rnd.random() < 0.2:
            edge(a, rnd.choice(services), EdgeKind.MENTIONS)
        actions.append(a)
    for i in range(n_recs):
        r = node(f"recommendation:r{i}", NodeKind.RECOMMENDATION, f"Recommendation {i}", number=i)
        edge(r, rnd.choice(strategies), EdgeKind.PART_OF)
        if rnd.random() < 0.7:
            edge(rnd.choice(actions), r, EdgeKind.ADDRESSES)
    for _ in range(n_actions // 20):
        a, b = rnd.sample(actions, 2)
        sa, sb = g.strategy_of(a), g.strategy_of(b)
        if sa is None or sb is None or sa == sb:
            continue  # the inference links across strategies only
        v = rnd.choice(services)
        # as queries.infer.materialise writes them: relying action -> providing action
        props = depends_on(sa, sb, service=v, name=g.node(v).label, kind=rnd.choice(KINDS))
        kw = {"method": "synthetic", "evidence": "random"}
        edge(a, b, EdgeKind.DEPENDS_ON, props=props, score=round(0.45 + 0.55 * rnd.random(), 2), **kw)
    return g
