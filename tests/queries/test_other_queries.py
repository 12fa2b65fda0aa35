"""Partners, coverage, alignment, due dates, paths and search: synthetic answers and seeds."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from graphs import KC, A, build

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import Edge, EdgeKind, Node, NodeKind, Source
from queries import alignment, coverage, due, partners, path, search
from queries.partners import betweenness

S = Source("synthetic.txt", 99, 99)


# ------------------------------------------------------------------------- partners
def test_partner_counts_shares_and_bridging(two_plans: PartnerGraph) -> None:
    rows = {p.name: p for p in partners(two_plans)}
    police = rows["Police"]
    assert (police.led, police.supported, police.resourced) == (5, 0, 0)  # 4 KC + section 136
    assert police.strategies_led == 2 and police.bridging
    kc = next(s for s in police.per_strategy if s.strategy == KC)
    assert kc.led == 4 and kc.share == round(4 / 14, 3)
    assert not rows["SAPH"].bridging
    assert rows["Council"].resourced == 1 and rows["Council"].led == 0
    assert police.sources and all(s.startswith("synthetic.txt:") for s in police.sources)
    assert [p.name for p in partners(two_plans, top=2)] == list(rows)[:2]


def test_single_point_of_failure_lists_the_actions_a_body_carries_alone(two_plans: PartnerGraph) -> None:
    # Police leads four knife-crime actions with no other body (patrol, sceptre, cps, detect);
    # the section 136 action it shares with SLaM is not one; SASH's survey has the council.
    rows = {p.name: p for p in partners(two_plans)}
    text = {n.id: n.props["text"] for n in two_plans.nodes(NodeKind.ACTION)}
    alone = ("action:kc-patrol", "action:kc-sceptre", "action:kc-cps", "action:kc-detect")
    assert rows["Police"].single_point_of_failure == tuple(sorted(text[a] for a in alone))
    assert rows["SASH"].single_point_of_failure == (text["action:kc-map2"],)
    assert rows["Council"].single_point_of_failure == ()
    two_plans.node("action:kc-detect").props["status"] = "achieved"  # finished: no longer at risk
    rows = {p.name: p for p in partners(two_plans)}
    assert text["action:kc-detect"] not in rows["Police"].single_point_of_failure


def test_betweenness_of_a_bridge_and_sampling() -> None:
    import networkx as nx

    g = nx.barbell_graph(5, 1)  # node 5 joins two cliques
    b = betweenness(g)
    assert max(b, key=b.get) == 5
    big = nx.path_graph(2100)  # above the exact limit: sampled, seed fixed
    assert betweenness(big) == betweenness(big)


def test_partners_top_must_be_positive(two_plans: PartnerGraph) -> None:
    with pytest.raises(InputError):
        partners(two_plans, top=0)


# ------------------------------------------------------------------------- coverage
def _with_recommendations(g: PartnerGraph) -> PartnerGraph:
    recs = [
        (1, "Fund CAMHS", None, [("action:mh-camhs", "Action")]),
        (2, "Improve crisis care", None, [("priority:1:Crisis", "Priority")]),
        (3, "Appoint a housing representative", "This is under discussion", []),
        (4, "Appoint a schools representative", "This has happened.", []),
        (5, "Review dementia services", None, []),
    ]
    for n, text, status, by in recs:
        rid = f"recommendation:{n}"
        g.add_node(
            Node(
                rid,
                NodeKind.RECOMMENDATION,
                f"Recommendation {n}",
                S,
                {"number": n, "text": text, "status": status},
            )
        )
        g.add_edge(Edge(rid, "strategy:1", EdgeKind.PART_OF, S))
        for src, _ in by:
            g.add_edge(Edge(src, rid, EdgeKind.ADDRESSES, S))
    return g


def test_coverage_classifies_gaps(two_plans: PartnerGraph) -> None:
    rows = {r.number: r for r in coverage(_with_recommendations(two_plans))}
    assert [rows[n].coverage for n in range(1, 6)] == [
        "action",
        "section-only",
        "under-discussion",
        "reported-done",
        "none",
    ]
    assert [rows[n].gap for n in range(1, 6)] == [False, True, True, False, True]
    assert rows[1].actions and rows[1].action_ids == ("action:mh-camhs",)
    assert rows[2].priorities == ("Crisis",)
    assert all(r.sources for r in rows.values())


def test_seed_coverage_reads_like_appendix_1(seed_graph: PartnerGraph) -> None:
    """Appendix 1: Rec 15 'This is under discussion'; Rec 7 'This has happened'; Rec 17
    cites 'Action - Improve transitions ...'; Rec 23 cites only sections."""
    rows = {r.number: r for r in coverage(seed_graph)}
    assert set(range(3, 34)) <= set(rows)
    assert rows[15].gap and rows[15].coverage == "under-discussion"
    assert rows[7].coverage == "reported-done" and not rows[7].gap
    assert rows[17].coverage == "action" and any("transitions" in a.lower() for a in rows[17].actions)
    assert rows[23].gap and rows[23].coverage == "section-only"


# ------------------------------------------------------------------------- alignment
def _with_programme(g: PartnerGraph) -> PartnerGraph:
    g.add_node(
        Node(
            "strategy:ps",
            NodeKind.STRATEGY,
            "Partnership Southwark",
            S,
            {"aliases": ["Partnership Southwark"]},
        )
    )
    g.add_edge(
        Edge(
            "priority:1:Primary care",
            "strategy:ps",
            EdgeKind.ALIGNS_WITH,
            S,
            {
                "evidence": "Work with key partners such as SLaM and Partnership Southwark "
                "on primary and community mental health care"
            },
        )
    )
    g.add_edge(Edge("action:mh-ps1", "strategy:ps", EdgeKind.MENTIONS, S))
    return g


def test_alignment_sections(two_plans: PartnerGraph) -> None:
    rows = alignment(_with_programme(two_plans))
    by = {}
    for r in rows:
        by.setdefault(r.section, []).append(r)
    assert {r.label for r in by["member"]} == {"South London and Maudsley"}  # named in evidence
    assert {r.label for r in by["aligned"]} >= {"Primary care"}
    assert any(r.id == "action:mh-ps1" for r in by["aligned"])
    assert {r.id for r in by["member-led"]} == {"action:mh-136", "action:mh-camhs", "action:mh-hub"}
    assert {r.strategy for r in by["share"]} == {KC, "Joint Mental Health and Wellbeing Strategy 2017-2020"}
    # mh-ps2 is about primary and community mental health care but names no programme
    assert "action:mh-ps2" in {r.id for r in by.get("gap", [])}
    assert all(r.programme == "Partnership Southwark" for r in rows)


def test_alignment_members_listed_by_loader_win(two_plans: PartnerGraph) -> None:
    g = _with_programme(two_plans)
    g.set_prop("strategy:ps", "members", ["Southwark CCG", "Public Health", "Nobody Trust"])
    members = {r.label for r in alignment(g) if r.section == "member"}
    assert members == {"Southwark CCG", "Public Health"}  # unknown names are not guessed


def test_alignment_default_absent_is_empty_named_absent_is_error(two_plans: PartnerGraph) -> None:
    assert alignment(two_plans) == []
    with pytest.raises(InputError, match="programme"):
        alignment(two_plans, programme="Integrated Care System")


def test_seed_alignment_with_partnership_southwark(seed_graph: PartnerGraph) -> None:
    """Annual review: SLaM named with PS; workstream 2 (Primary Care and IAPT) aligns with it."""
    rows = alignment(seed_graph)
    members = {r.label for r in rows if r.section == "member"}
    assert any("Maudsley" in m for m in members)
    aligned = [r.label for r in rows if r.section == "aligned"]
    assert any("Primary Care" in a for a in aligned)
    assert any("Joint planning underway" in a or "joint planning underway" in a for a in aligned)


# ------------------------------------------------------------------------- due dates
def test_due_states_and_filters(two_plans: PartnerGraph) -> None:
    two_plans.set_prop("action:kc-cps", "status", "achieved")
    rows = {r.action_id: r for r in due(two_plans, as_of="2018-01-01")}
    assert rows["action:kc-patrol"].state == "overdue" and rows["action:kc-patrol"].days_overdue == 93
    assert rows["action:kc-cps"].state == "done"
    assert rows["action:mh-136"].state == "due"
    assert rows["action:kc-youth"].state == "undated"
    states = [r.state for r in due(two_plans, as_of=date(2018, 1, 1))]
    assert states == sorted(states, key=["overdue", "due", "done", "undated"].index)
    before = due(two_plans, before="2017-11-01", as_of="2018-01-01")
    assert {r.action_id for r in before} == {
        "action:kc-patrol",
        "action:kc-sceptre",
        "action:kc-survey",
        "action:kc-mash",
    }


def test_due_bad_date(two_plans: PartnerGraph) -> None:
    with pytest.raises(InputError, match="--as-of"):
        due(two_plans, as_of="31/12/2017")


def test_seed_due_dates(seed_graph: PartnerGraph) -> None:
    """Knife-crime plan: 'Develop and design survey' due October 2017; 'Ongoing' is undated."""
    rows = due(seed_graph, as_of="2018-01-01")
    survey = [r for r in rows if r.action.startswith("Develop and design survey")]
    assert survey and survey[0].due_date == "2017-10-31" and survey[0].state == "overdue"
    assert any(r.state == "undated" and (r.due or "").lower().startswith("ongoing") for r in rows)


# ------------------------------------------------------------------------- paths & search
def test_path_hops_have_kind_direction_and_source(two_plans: PartnerGraph) -> None:
    found = path(two_plans, "Youth Council", "SLaM")
    assert found and found[0].start == "Youth Council" and found[0].end == "South London and Maudsley"
    hops = found[0].hops
    assert hops[0].kind == "LEADS" and hops[0].direction == "->"
    assert all(h.cite.startswith("synthetic.txt:") for h in hops)
    assert all(h.target_id == n.source_id for h, n in itertools.pairwise(hops))
    assert len({p.length for p in found}) == 1  # all shortest


def test_path_errors(two_plans: PartnerGraph) -> None:
    with pytest.raises(InputError, match="no node matches B"):
        path(two_plans, "Youth Council", "zzzz qqqq")
    with pytest.raises(InputError, match="same node"):
        path(two_plans, "Police", "MPS")


def test_path_none_when_disconnected() -> None:
    g = build({KC: [A("a", "Patrols", leads=("police",))], "Other": [A("b", "Therapy", leads=("slam",))]})
    assert path(g, "Police", "SLaM") == []


def test_search_by_alias_text_and_typo(two_plans: PartnerGraph) -> None:
    assert search(two_plans, "MPS")[0].label == "Police"
    assert search(two_plans, "MPS")[0].matched == "alias"
    assert search(two_plans, "youth councl")[0].label == "Youth Council"
    hits = search(two_plans, "Operation Sceptre")
    assert hits[0].id == "action:kc-sceptre" and hits[0].strategy == KC
    assert search(two_plans, "xylophone quartet") == []
    with pytest.raises(InputError):
        search(two_plans, "  ")


def test_seed_path_youth_council_to_slam(seed_graph: PartnerGraph) -> None:
    found = path(seed_graph, "Youth Council", "SLaM")
    assert found and all(h.cite for h in found[0].hops)
    assert "Youth Council" in found[0].start and "Maudsley" in found[0].end


def test_betweenness_on_the_co_participation_graph() -> None:
    """SLaM works on one action with the police and on another with the CCG: it is the only
    link between them. The council's blanket resource cell links nobody."""
    g = build(
        {
            KC: [A("kc-a", "Joint patrols near hospitals", leads=("police",), supports=("slam",))],
            "Mental Health Strategy": [
                A("mh-a", "Crisis line for GPs", leads=("slam",), supports=("ccg",), resources=("council",))
            ],
        }
    )
    for e in g.in_edges("action:mh-a", EdgeKind.RESOURCES):
        g.add_edge(Edge(e.source, e.target, e.kind, e.source_ref, {"generic": True}))
    rows = {p.name: p for p in partners(g)}
    assert rows["South London and Maudsley"].betweenness > 0
    assert rows["Police"].betweenness == 0 and rows["Southwark CCG"].betweenness == 0
    assert rows["Council"].betweenness == 0 and rows["Council"].generic == 1
    assert {p.betweenness_basis for p in rows.values()} == {"co-participation in actions, exact"}


def _reversed(graph: PartnerGraph) -> PartnerGraph:
    """The same graph with nodes and edges inserted in the opposite order."""
    out = PartnerGraph()
    for n in reversed(list(graph.nodes())):
        out.add_node(n)
    for e in reversed(list(graph.edges())):
        out.add_edge(e)
    return out


@pytest.mark.parametrize("query", [alignment, partners, coverage])
def test_answers_do_not_depend_on_insertion_order(query, seed_graph: PartnerGraph) -> None:
    """Loading documents in another order (or reading a store back) gives the same rows."""
    as_built = query(seed_graph)
    assert as_built
    assert query(PartnerGraph.from_dict(seed_graph.to_dict())) == as_built
    assert query(_reversed(seed_graph)) == as_built
