"""Areas (borough / council / CCG) of documents and strategies, and dependencies kept within one area."""

from __future__ import annotations

from graphs import KC, KC_ACTIONS, MH, MH_ACTIONS, build

from graphmodel.graph import PartnerGraph
from graphmodel.schema import Edge, EdgeKind, NodeKind
from loaders.area import area_of_title, areas_in, areas_of_titles, detect_area
from loaders.text import TextDocument
from queries.dependencies import dependencies


def _doc(text: str) -> TextDocument:
    return TextDocument.from_text("paper.txt", text)


def test_seed_documents_are_southwark(seed_paths: list) -> None:
    """Both seeds are London Borough of Southwark papers ("Southwark Council", "NHS Southwark CCG")."""
    from loaders.text import read_text_document

    assert {detect_area(read_text_document(p)) for p in seed_paths} == {"Southwark"}


def test_another_councils_paper() -> None:
    doc = _doc(
        "Merton Council\n\nMULTI-AGENCY KNIFE CRIME ACTION PLAN\n\n"
        "Merton Knife Crime Action Plan 2019 - 2021\n"
        "The Youth Council and the Schools Council will be consulted.\n"
        "Partners: NHS Merton CCG, Lambeth Council.\n"
    )
    assert detect_area(doc) == "Merton"  # 2 (heading) + 1, Lambeth 1; youth/schools are not places
    assert (
        detect_area(
            _doc(
                "Report title: Kingston upon Thames Joint Mental Health Strategy\n"
                "2. Kingston upon Thames's Joint Mental Health Strategy 2019-22 is\n"
            )
        )
        == "Kingston upon Thames"
    )
    assert detect_area(_doc("Knife Crime Action Plan\nWorkstream 1: Prevention\n")) is None


def test_structural_names() -> None:
    assert areas_in("the London Borough of Hackney and the Royal Borough of Greenwich") == [
        "Hackney",
        "Greenwich",
    ]
    assert areas_in("Youth Council, The CCG, Police Council") == []
    assert area_of_title("City of London Knife Crime and Knife Carrying Action Plan") == "City of London"
    assert area_of_title("Faith Strategy") is None


def test_leading_place_needs_two_titles_that_go_on_differently() -> None:
    got = areas_of_titles(
        [
            "Barnet Knife Crime and Knife Carrying Action Plan",
            "Barnet Joint Mental Health and Wellbeing Strategy",
            "Barking and Dagenham Knife Crime Plan",
            "Barking and Dagenham Joint Mental Health Strategy",
            "Dual Diagnosis Strategy 2017",
            "Dual Diagnosis Strategy 2019",
            "Hoarding Strategy",
        ]
    )
    assert got == {
        "Barnet Knife Crime and Knife Carrying Action Plan": "Barnet",
        "Barnet Joint Mental Health and Wellbeing Strategy": "Barnet",
        "Barking and Dagenham Knife Crime Plan": "Barking and Dagenham",
        "Barking and Dagenham Joint Mental Health Strategy": "Barking and Dagenham",
    }


def test_seed_strategies_carry_the_area(seed_graph: PartnerGraph) -> None:
    areas = {s.label: s.props.get("area") for s in seed_graph.nodes(NodeKind.STRATEGY)}
    assert any("Knife Crime" in k and v == "Southwark" for k, v in areas.items())
    assert all(d.props.get("area") == "Southwark" for d in seed_graph.nodes(NodeKind.DOCUMENT))


def _set_areas(g: PartnerGraph, kc: str | None, mh: str | None) -> PartnerGraph:
    for s in g.nodes(NodeKind.STRATEGY):
        area = kc if s.label == KC else mh
        if area:
            g.set_prop(s.id, "area", area)
    return g


def test_inferred_links_stay_within_an_area() -> None:
    same = {
        r.action_id
        for r in dependencies(_set_areas(build({KC: KC_ACTIONS, MH: MH_ACTIONS}), "Merton", "Merton"))
    }
    assert same  # the planted links of test_dependencies
    assert dependencies(_set_areas(build({KC: KC_ACTIONS, MH: MH_ACTIONS}), "Merton", "Hackney")) == []
    # an area-less strategy may be relied on from any area
    unknown = {
        r.action_id for r in dependencies(_set_areas(build({KC: KC_ACTIONS, MH: MH_ACTIONS}), "Merton", None))
    }
    assert unknown == same


def test_naming_another_areas_strategy_is_a_mention_not_a_dependency() -> None:
    """Issue 14: DEPENDS_ON goes from an action to the other strategy's actions that provide
    what it relies on; naming a strategy says nothing about which action (the MENTIONS edge
    keeps the naming, and areas do not hide it)."""
    g = _set_areas(build({KC: KC_ACTIONS, MH: MH_ACTIONS}), "Merton", "Hackney")
    g.add_edge(Edge("action:kc-patrol", "strategy:1", EdgeKind.MENTIONS, g.node("action:kc-patrol").source))
    assert dependencies(g) == []
    assert "strategy:1" in g.targets("action:kc-patrol", EdgeKind.MENTIONS)
