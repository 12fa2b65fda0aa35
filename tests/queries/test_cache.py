"""Derived data cached per graph (``queries._base.per_graph``) never outlives a change.

The cache used to be keyed by (node count, edge count): a changed property, or a node
removed and another added in its place, kept both counts and served the old answer.
"""

from __future__ import annotations

from graphs import KC, MH, A, build

from graphmodel.graph import PartnerGraph
from graphmodel.schema import Edge, EdgeKind, Node, NodeKind, Source
from queries import duplicate_actions

SWEEPS = "Carry out weapon sweeps of parks and estates with the police and park wardens every month."
THERAPY = "Commission talking therapies for older adults through GP surgeries and community pharmacies."


def _plans() -> PartnerGraph:
    return build(
        {
            KC: [A("kc-sweep", SWEEPS, leads=("police",)), A("kc-other", THERAPY, leads=("ccg",))],
            MH: [A("mh-sweep", SWEEPS, leads=("police",))],
        }
    )


def _pairs(g: PartnerGraph) -> set[frozenset[str]]:
    return {frozenset(m.id for m in grp.members) for grp in duplicate_actions(g)}


def test_a_changed_property_gives_the_new_answer() -> None:
    g = _plans()
    assert _pairs(g) == {frozenset({"action:kc-sweep", "action:mh-sweep"})}
    nodes, edges = len(g), g.edge_count
    g.set_prop("action:mh-sweep", "text", "Train school nurses in the early signs of eating disorders.")
    assert (len(g), g.edge_count) == (nodes, edges)  # the old cache key could not see this
    assert _pairs(g) == set()


def test_a_node_removed_and_another_added_gives_the_new_answer() -> None:
    g = _plans()
    assert _pairs(g) == {frozenset({"action:kc-sweep", "action:mh-sweep"})}
    nodes, edges = len(g), g.edge_count
    part_of = g.out_edges("action:mh-sweep", EdgeKind.PART_OF)[0]
    g.remove_node("action:mh-sweep")
    src = Source("synthetic.txt", 90, 90)
    g.add_node(Node("action:mh-therapy", NodeKind.ACTION, THERAPY[:80], src, {"text": THERAPY}))
    g.add_edge(Edge("action:mh-therapy", part_of.target, EdgeKind.PART_OF, src))
    g.add_edge(Edge("org:police", "action:mh-therapy", EdgeKind.LEADS, src))
    assert (len(g), g.edge_count) == (nodes, edges)
    assert _pairs(g) == {frozenset({"action:kc-other", "action:mh-therapy"})}


def test_version_moves_only_on_change() -> None:
    g = _plans()
    v = g.version
    node = g.node("action:kc-sweep")
    g.add_node(Node(node.id, node.kind, node.label, node.source, dict(node.props)))  # the same again
    g.set_prop("action:kc-sweep", "status", node.props["status"])
    assert g.version == v
    g.set_prop("action:kc-sweep", "status", "achieved")
    assert g.version == v + 1
    g.add_edge(Edge("org:police", "action:kc-other", EdgeKind.SUPPORTS, Source("synthetic.txt", 1, 1)))
    assert g.version == v + 2
    assert g.remove_edges(EdgeKind.SUPPORTS) == 1 and g.version == v + 3
