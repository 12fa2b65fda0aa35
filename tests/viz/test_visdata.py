"""The pure view data: what each view draws, with provenance, for known small graphs."""

from __future__ import annotations

import copy
import json
import math

import pytest
from conftest import PAYLOAD, synthetic_graph

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import Edge, EdgeKind, Node, NodeKind, Source
from viz.layout import PHYSICS_MAX_NODES
from viz.visdata import HIGHLIGHT, VIEWS, resolve_focus, to_vis_data


def _by_id(data):
    return {n.id: n for n in data.nodes}


def test_overview_of_tiny_graph_is_every_node_and_edge(tiny_graph: PartnerGraph) -> None:
    data = to_vis_data(tiny_graph, view="overview")
    # tiny_graph (tests/conftest.py): 11 nodes, 13 edges, no Document
    assert len(data.nodes) == 11 and len(data.edges) == 13
    triples = {(e.source, e.target, e.kind) for e in data.edges}
    assert ("organisation:police", "action:kc-1", "LEADS") in triples
    assert ("action:mh-1", "recommendation:r3", "ADDRESSES") in triples
    assert ("organisation:slam", "service:camhs", "PROVIDES") in triples
    shapes = {n.id: n.shape for n in data.nodes}
    assert shapes["strategy:kc"] == "star" and shapes["action:kc-1"] == "dot"
    assert shapes["organisation:police"] == "square" and shapes["service:camhs"] == "hexagon"
    assert shapes["recommendation:r3"] == "triangle" and shapes["priority:kc-1"] == "diamond"


def test_overview_leaves_out_documents_and_matches_counts(rich_graph: PartnerGraph) -> None:
    data = to_vis_data(rich_graph, view="overview")
    counts = rich_graph.counts()
    assert len(data.nodes) == len(rich_graph) - counts["nodes"]["Document"]
    assert "document:tiny" not in _by_id(data)
    assert len(data.edges) == rich_graph.edge_count  # no edge touches the Document
    kinds = {o.value: o.count for o in data.filters["kind"]}
    assert kinds == {k: v for k, v in counts["nodes"].items() if k != "Document"}


def test_colour_is_by_strategy(tiny_graph: PartnerGraph) -> None:
    n = _by_id(to_vis_data(tiny_graph, view="overview"))
    kc = {n[i].color for i in ("strategy:kc", "priority:kc-1", "action:kc-1", "action:kc-2")}
    mh = {n[i].color for i in ("strategy:mh", "priority:mh-1", "action:mh-1", "recommendation:r3")}
    assert len(kc) == 1 and len(mh) == 1 and kc != mh
    assert n["action:kc-1"].group == "strategy:kc"
    assert n["organisation:police"].group == ""  # partners belong to no single strategy
    assert n["organisation:police"].strategies == ("strategy:kc",)
    assert set(n["service:camhs"].strategies) == {"strategy:kc", "strategy:mh"}
    assert n["action:kc-1"].orgs == ("organisation:police", "service:camhs")


def test_every_title_cites_its_source(rich_graph: PartnerGraph) -> None:
    # by the document's name ("tiny", the file name cleaned), not its file name (issue 15)
    def cite(src: Source) -> str:
        lines = (
            f"line {src.line_start}"
            if src.line_end == src.line_start
            else f"lines {src.line_start}-{src.line_end}"
        )
        return f"Source: tiny, {lines}"

    for view in ("strategies", "overview", "dependencies", "partners", "recommendations"):
        data = to_vis_data(rich_graph, view=view)
        for vn in data.nodes:
            want = cite(rich_graph.node(vn.id).source)
            assert vn.title.endswith(want) or f"{want}\n" in vn.title, (vn.title, want)
        for ve in data.edges:
            if ve.kind != "WORKS_IN" and view != "strategies":
                assert "Source: tiny, line" in ve.title and "tiny.txt" not in ve.title, ve


def test_action_title_carries_strategy_leads_and_due(tiny_graph: PartnerGraph) -> None:
    title = _by_id(to_vis_data(tiny_graph, view="overview"))["action:kc-1"].title
    lines = title.split("\n")
    assert lines[0] == "Action: Refer young people to CAMHS"
    assert "Strategy: Knife Crime Plan" in lines
    assert "Led by: Police" in lines
    assert "due: December 2017" in title
    assert lines[-1] == "Source: tiny, line 3"


def test_dependencies_view_is_the_links_their_ends_and_evidence(rich_graph: PartnerGraph) -> None:
    data = to_vis_data(rich_graph, view="dependencies")
    # enrich(): kc-1 relies on CAMHS, which mh-1 of the Mental Health Strategy expands
    assert {n.id for n in data.nodes} == {"action:kc-1", "action:mh-1"}
    [edge] = data.edges
    assert (edge.source, edge.target, edge.kind) == ("action:kc-1", "action:mh-1", "DEPENDS_ON")
    assert "Relies on: CAMHS" in edge.title
    assert "Kind: relies on a service the other action provides or changes" in edge.title
    assert "Evidence: refers to CAMHS; the other action expands CAMHS" in edge.title
    assert "score 0.80 (relies-on-service+semantic)" in edge.title
    assert dict(map(tuple, edge.info["facts"]))["Relies on"] == "CAMHS"  # the side panel's facts
    assert data.notes == []


def test_dependency_width_follows_the_score(hostile_graph: PartnerGraph) -> None:
    # hostile_graph: kc-1 -> mh-1 at 0.8, evil -> mh-1 at 0.7
    by_source = {e.source: e for e in to_vis_data(hostile_graph, view="dependencies").edges}
    assert by_source["action:kc-1"].dashes and by_source["action:kc-1"].width > by_source["action:evil"].width


def test_duplicates_edges_carry_type_and_both_scores(rich_graph: PartnerGraph) -> None:
    data = to_vis_data(rich_graph, view="overview")
    [dup] = [e for e in data.edges if e.kind == "DUPLICATES"]
    # enrich() stores the pair as a shared-aim duplicate, lexical 0.41, semantic 0.77
    assert "Type: shared aim: the same aim pursued by different leads" in dup.title
    assert "Lexical score: 0.41" in dup.title and "Semantic score: 0.77" in dup.title
    kc = next(n for n in data.nodes if n.id == "action:kc-1")
    facts = {d["kind"]: dict(map(tuple, d["facts"])) for d in kc.info["inferred"]}
    assert facts["DUPLICATES"]["Semantic score"] == "0.77"
    assert facts["DEPENDS_ON"]["Relies on"] == "CAMHS"


def test_empty_views_say_so(tiny_graph: PartnerGraph) -> None:
    data = to_vis_data(tiny_graph, view="dependencies")
    assert data.nodes == [] and data.edges == []
    assert "No dependency links" in data.notes[0]


def test_partners_are_sized_by_load_and_linked_to_work(rich_graph: PartnerGraph) -> None:
    data = to_vis_data(rich_graph, view="partners")
    n = _by_id(data)
    # Police leads 2 actions; SLaM leads 1 and supports 1: equal load of 2 each
    assert n["organisation:police"].size == n["organisation:slam"].size
    assert "Load: leads 2" in n["organisation:police"].title
    triples = {(e.source, e.target, e.kind) for e in data.edges}
    assert ("organisation:police", "action:kc-1", "LEADS") in triples
    assert ("organisation:police", "strategy:kc", "WORKS_IN") in triples
    assert ("organisation:slam", "strategy:kc", "WORKS_IN") in triples  # via SUPPORTS
    assert "service:camhs" not in n  # provides, leads nothing


def test_partner_size_grows_with_load(tiny_graph: PartnerGraph) -> None:
    n = _by_id(to_vis_data(tiny_graph, view="partners"))
    assert n["organisation:police"].size > n["organisation:slam"].size  # 2 actions vs 1


def test_recommendations_trace_and_gaps(rich_graph: PartnerGraph) -> None:
    data = to_vis_data(rich_graph, view="recommendations")
    n = _by_id(data)
    assert n["recommendation:r4"].highlight and n["recommendation:r4"].color == HIGHLIGHT
    assert not n["recommendation:r3"].highlight
    # r3 <- action:mh-1 -> priority:mh-1 -> strategy:mh
    assert {"action:mh-1", "priority:mh-1", "strategy:mh"} <= set(n)
    assert "action:kc-2" not in n
    assert "Not addressed by any action" in n["recommendation:r4"].title
    assert "1 of 2 recommendations" in data.notes[0]


def test_ego_by_id_label_and_typo(rich_graph: PartnerGraph) -> None:
    assert resolve_focus(rich_graph, "service:camhs") == "service:camhs"
    assert resolve_focus(rich_graph, "camhs") == "service:camhs"
    assert resolve_focus(rich_graph, "SLaM") == "organisation:slam"  # an alias
    assert resolve_focus(rich_graph, "maudsley") == "organisation:slam"
    assert resolve_focus(rich_graph, "Polcie") == "organisation:police"
    data = to_vis_data(rich_graph, view="ego", focus="Police", depth=1)
    assert {n.id for n in data.nodes} == {"organisation:police", "action:kc-1", "action:kc-2"}
    assert data.focus == "organisation:police" and _by_id(data)["organisation:police"].highlight
    assert len(to_vis_data(rich_graph, view="ego", focus="Police", depth=0).nodes) == 1
    two = {n.id for n in to_vis_data(rich_graph, view="ego", focus="Police", depth=2).nodes}
    assert {"priority:kc-1", "service:camhs", "action:mh-1", "organisation:slam"} <= two
    assert "document:tiny" not in two


def test_an_ambiguous_focus_is_refused_as_the_cli_refuses_it(rich_graph: PartnerGraph) -> None:
    """Two plans each have a "Prevention" section: the view names both instead of drawing
    one of them (it used to take the smallest id), as ``query path`` does (one resolver)."""
    rich_graph.add_node(Node("priority:mh-2", NodeKind.PRIORITY, "Prevention", Source("tiny.txt", 13, 14)))
    rich_graph.add_edge(Edge("priority:mh-2", "strategy:mh", EdgeKind.PART_OF, Source("tiny.txt", 13, 14)))
    with pytest.raises(InputError, match="is ambiguous") as info:
        to_vis_data(rich_graph, view="ego", focus="prevention")
    assert "Prevention (Priority)" in str(info.value)
    assert to_vis_data(rich_graph, view="ego", focus="priority:mh-2").focus == "priority:mh-2"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"view": "ego", "focus": "no such thing at all"}, "no node matches"),
        ({"view": "ego"}, "needs --focus"),
        ({"view": "ego", "focus": "Police", "depth": -1}, "--depth"),
        ({"view": "galaxy"}, "unknown view"),
    ],
)
def test_bad_view_requests_are_input_errors(rich_graph: PartnerGraph, kwargs, message) -> None:
    with pytest.raises(InputError, match=message):
        to_vis_data(rich_graph, **kwargs)


def test_views_do_not_change_the_graph_and_are_deterministic(rich_graph: PartnerGraph) -> None:
    before = copy.deepcopy(rich_graph.to_dict())
    for view in VIEWS:
        kw = {"focus": "camhs", "depth": 2} if view == "ego" else {}
        first = json.dumps(to_vis_data(rich_graph, view=view, **kw).to_dict(), sort_keys=True)
        again = json.dumps(to_vis_data(rich_graph, view=view, **kw).to_dict(), sort_keys=True)
        assert first == again
    assert rich_graph.to_dict() == before


def test_text_is_kept_plain_for_the_renderer_to_escape(hostile_graph: PartnerGraph) -> None:
    n = _by_id(to_vis_data(hostile_graph, view="overview"))
    assert PAYLOAD + " in full" in n["action:evil"].title  # verbatim, not pre-escaped
    assert "&lt;" not in n["action:evil"].title and "<br>" not in n["action:evil"].title
    assert len(n["action:evil"].label) <= 40 and n["action:evil"].label.endswith("…")


def test_positions_are_finite_and_distinct(rich_graph: PartnerGraph) -> None:
    data = to_vis_data(rich_graph, view="overview")
    pos = {(n.x, n.y) for n in data.nodes}
    assert len(pos) == len(data.nodes)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos)
    assert data.physics is True
    ego = to_vis_data(rich_graph, view="ego", focus="camhs", depth=2)
    assert (_by_id(ego)["service:camhs"].x, _by_id(ego)["service:camhs"].y) == (0.0, 0.0)


def test_big_graph_turns_physics_off_and_counts_match() -> None:
    g = synthetic_graph(PHYSICS_MAX_NODES + 500)
    data = to_vis_data(g, view="overview")
    assert data.physics is False
    assert len(data.nodes) == len(g) and len(data.edges) == g.edge_count
    assert len({(n.x, n.y) for n in data.nodes}) == len(data.nodes)
    deps = to_vis_data(g, view="dependencies")
    assert len(deps.edges) == g.counts()["edges"][EdgeKind.DEPENDS_ON]


def test_seed_graph_views_build(seed_graph: PartnerGraph) -> None:
    counts = seed_graph.counts()["nodes"]
    data = to_vis_data(seed_graph, view="overview")
    assert len(data.nodes) == sum(v for k, v in counts.items() if k != NodeKind.DOCUMENT)
    for view in ("dependencies", "partners", "recommendations"):
        to_vis_data(seed_graph, view=view)


def test_recommendation_answered_only_by_a_section_is_a_gap(rich_graph: PartnerGraph) -> None:
    from graphmodel.schema import Edge, Source

    rich_graph.add_edge(
        Edge("priority:kc-1", "recommendation:r4", EdgeKind.ADDRESSES, Source("tiny.txt", 21, 21))
    )
    n = _by_id(to_vis_data(rich_graph, view="recommendations"))
    assert "priority:kc-1" in n and "strategy:kc" in n  # traced
    assert n["recommendation:r4"].highlight  # a priority is not a concrete action
    assert not n["recommendation:r3"].highlight


def test_strategy_map_weights_are_action_counts() -> None:
    g = synthetic_graph(2000)
    data = to_vis_data(g, view="strategies")
    # counted from the edges: distinct (action, its strategy, strategy relied on) triples
    triples = {
        (e.source, g.strategy_of(e.source), e.props["to_strategy"])
        for e in g.edges(EdgeKind.DEPENDS_ON)
        if g.strategy_of(e.source) != e.props["to_strategy"]
    }
    per_pair: dict[tuple[str, str], int] = {}
    for _, a, b in triples:
        per_pair[(a, b)] = per_pair.get((a, b), 0) + 1
    drawn = {(e.source, e.target): e.info["n_actions"] for e in data.edges}
    assert drawn == per_pair and len(drawn) > 3
    assert {n.kind for n in data.nodes} == {"Strategy"}
