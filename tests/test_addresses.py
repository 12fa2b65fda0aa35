"""ADDRESSES links from a recommendation's "where referenced" items to actions and priorities."""

from __future__ import annotations

import pytest

from graphmodel.addresses import ACTION_THRESHOLD, link_addresses
from graphmodel.build import build_graph
from graphmodel.graph import PartnerGraph
from graphmodel.schema import Edge, EdgeKind, Node, NodeKind, Source
from loaders import recommendations, strategy_plan
from loaders.text import TextDocument

SEED = "002_bf875e7a520b882d.txt"


@pytest.fixture(scope="module")
def graph(seed_paths) -> PartnerGraph:
    """The seed's strategy plan and Appendix 1 only (so other loaders cannot move the answer)."""
    path = next(p for p in seed_paths if p.name == SEED)
    doc = TextDocument.from_text(path.name, path.read_text(encoding="utf-8"))
    return build_graph([strategy_plan.load(doc), recommendations.load(doc)]).graph


def _rec(g: PartnerGraph, number: int) -> Node:
    return next(n for n in g.nodes(NodeKind.RECOMMENDATION) if n.props["number"] == number)


def _sources(g: PartnerGraph, number: int) -> list[tuple[NodeKind, str]]:
    rec = _rec(g, number)
    out = []
    for e in g.in_edges(rec.id, EdgeKind.ADDRESSES):
        n = g.node(e.source)
        out.append((n.kind, str(n.props["text"]) if n.kind == NodeKind.ACTION else n.label))
    return sorted(out)


def test_quoted_action_and_numbered_priority(graph) -> None:
    got = _sources(graph, 17)
    assert (NodeKind.PRIORITY, "Improving clinical and care services") in got
    assert any(k == NodeKind.ACTION and t.startswith("Improve transitions between children") for k, t in got)
    assert len(got) == 2


def test_action_plan_quote(graph) -> None:
    got = _sources(graph, 33)
    assert len(got) == 1
    assert got[0][0] == NodeKind.ACTION
    assert got[0][1].startswith("Deliver a system wide digital universal assessment tool")


def test_named_priority_and_theme(graph) -> None:
    got = {t for _, t in _sources(graph, 24)}
    assert got == {"Improving recovery", "Housing"}
    assert _rec(graph, 24).props["unmatched_references"] == ["Action plan"]


def test_status_item_is_neither_link_nor_unmatched(graph) -> None:
    assert _sources(graph, 7) == []
    assert _rec(graph, 7).props["unmatched_references"] == []


def test_unmatched_sections_are_kept(graph) -> None:
    assert _rec(graph, 3).props["unmatched_references"] == [
        "Local policy context",
        "Financial landscape",
        "Action plan",
    ]
    # other strategies named as context are not parts of this one
    assert _sources(graph, 29) == []


def test_edges_carry_provenance_score_and_evidence(graph) -> None:
    edges = list(graph.edges(EdgeKind.ADDRESSES))
    assert len(edges) >= 40
    for e in edges:
        rec = graph.node(e.target)
        assert rec.kind == NodeKind.RECOMMENDATION
        assert e.source_ref == rec.source
        assert e.score is not None and 0 < e.score <= 1 and e.evidence
        assert e.props["reference"] in rec.props["references"]
        if graph.kind_of(e.source) == NodeKind.ACTION:
            assert e.score * 100 >= ACTION_THRESHOLD


def test_seed_graph_has_addresses(seed_graph) -> None:
    assert any(True for _ in seed_graph.edges(EdgeKind.ADDRESSES))


def test_small_graph() -> None:
    g = PartnerGraph()
    src = Source("t.txt", 1, 1)
    g.add_node(Node("s", NodeKind.STRATEGY, "Plan", src))
    g.add_node(
        Node("p", NodeKind.PRIORITY, "Healthy homes", src, {"level": "strategic_priority", "number": 2})
    )
    g.add_node(
        Node(
            "a",
            NodeKind.ACTION,
            "Fit smoke alarms",
            src,
            {"text": "Fit smoke alarms in every council flat by 2021"},
        )
    )
    g.add_node(Node("b", NodeKind.ACTION, "Train staff", src, {"text": "Train staff in first aid"}))
    g.add_node(
        Node(
            "r",
            NodeKind.RECOMMENDATION,
            "Recommendation 1",
            Source("t.txt", 9, 10),
            {
                "number": 1,
                "references": ["Action - Fit smoke alarms in every council flat", "Priority 2", "Annex B"],
            },
        )
    )
    for u, v in (("p", "s"), ("a", "p"), ("b", "p"), ("r", "s")):
        g.add_edge(Edge(u, v, EdgeKind.PART_OF, src))
    link_addresses(g)
    assert {e.source for e in g.in_edges("r", EdgeKind.ADDRESSES)} == {"a", "p"}
    assert g.node("r").props["unmatched_references"] == ["Annex B"]
    g.validate()


def test_gc_paused_restores_the_collector() -> None:
    """`gc_paused` (used while building) turns the collector off only for the block."""
    import gc

    from graphmodel.graph import gc_paused

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


def test_graph_lookups_agree_with_edge_lists() -> None:
    """`targets`, `in_edge_data` and `nodes(kind)` (read networkx's dicts directly) give what
    `out_edges`/`in_edges` and a sort of every node give."""
    src = Source("d.txt", 1, 1)
    g = PartnerGraph()
    for nid, kind in (
        ("s:b", NodeKind.STRATEGY),
        ("p:2", NodeKind.PRIORITY),
        ("p:1", NodeKind.PRIORITY),
        ("a:1", NodeKind.ACTION),
        ("o:1", NodeKind.ORGANISATION),
    ):
        g.add_node(Node(nid, kind, nid, src))
    for u, v, kind in (
        ("a:1", "p:2", EdgeKind.PART_OF),
        ("a:1", "p:1", EdgeKind.PART_OF),
        ("p:2", "s:b", EdgeKind.PART_OF),
        ("p:1", "s:b", EdgeKind.PART_OF),
        ("o:1", "a:1", EdgeKind.LEADS),
        ("o:1", "a:1", EdgeKind.SUPPORTS),
        ("a:1", "o:1", EdgeKind.MENTIONS),
    ):
        g.add_edge(Edge(u, v, kind, src))
    assert g.targets("a:1", EdgeKind.PART_OF) == ["p:2", "p:1"]  # insertion order
    assert g.targets("a:1", EdgeKind.PART_OF) == [e.target for e in g.out_edges("a:1", EdgeKind.PART_OF)]
    assert g.targets("a:1", EdgeKind.LEADS) == []
    assert sorted((u, k) for u, k, _ in g.in_edge_data("a:1")) == sorted(
        (e.source, str(e.kind)) for e in g.in_edges("a:1")
    )
    assert [n.id for n in g.nodes(NodeKind.PRIORITY)] == ["p:1", "p:2"]
    assert [n.id for n in g.nodes()] == sorted(g.g.nodes)
    assert g.strategy_of("a:1") == "s:b"
