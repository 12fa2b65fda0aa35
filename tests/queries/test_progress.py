"""Progress across years (plan vs later review) and one strategy across its documents."""

from __future__ import annotations

import json

import pytest
from graphs import MH, A, build

from graphmodel.build import edition_key, edition_role
from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from queries.progress import STATUSES, progress

PLAN, REVIEW = "002_bf875e7a520b882d.txt", "000_69c1f70b9380e9e0.txt"


def _row(rows, start: str):  # type: ignore[no-untyped-def]
    hits = [r for r in rows if r.action.startswith(start)]
    assert len(hits) == 1, [r.action for r in rows if start[:20] in r.action]
    return hits[0]


def test_edition_names_and_roles() -> None:
    """Years, 'draft', 'annual review', 'delivery programme', 'action plan' and the area's own
    name do not tell editions of one strategy apart; other words do."""
    key = edition_key("Joint Mental Health and Wellbeing Strategy 2017-2020", "Southwark")
    assert key == edition_key(
        "Southwark Joint Mental Health and Wellbeing Strategy delivery programme annual review", "Southwark"
    )
    assert key == edition_key("Draft Joint Mental Health and Wellbeing Strategy (2018-21)", "Southwark")
    assert key != edition_key("Southwark Joint Health and Wellbeing Strategy", "Southwark")
    assert edition_key("Knife Crime Action Plan 2018", "Lambeth") == edition_key(
        "Knife Crime Action Plan 2019", "Lambeth"
    )
    assert edition_role("X Strategy delivery programme annual review", None) == "review"
    assert edition_role("Draft X Strategy 2017-2020", "strategy") == "draft"
    assert edition_role("Scrutiny review proposal", "section") == "plan"


def test_seed_plan_actions_each_get_one_row(seed_graph: PartnerGraph) -> None:
    rows = progress(seed_graph)
    assert rows and {r.status for r in rows} <= set(STATUSES)
    assert all(r.source.startswith(PLAN) for r in rows)  # the 2017 action plan is the plan
    assert len({r.action_id for r in rows}) == len(rows)
    assert all(r.review_source.startswith(REVIEW) for r in rows if r.status != "not-reported")
    assert all(not r.review_text for r in rows if r.status == "not-reported")


def test_seed_progress_read_from_the_2019_review(seed_graph: PartnerGraph) -> None:
    """Expectations from reading both papers:
    - 'Deliver an enhanced model of Core 24 at Kings and GSTT with improved Psychiatric Liaison'
      (plan) -- review lines 255-258: 'Operational delivery of a Core 24 A&E Liaison Service
      ... Psychiatric liaison was enhanced': achieved;
    - 'Develop and implement the Suicide Prevention Strategy Action Plan' -- review 784-785
      'work towards ... refresh the Suicide Prevention Action Plan (March 2020)': continuing;
    - 'Encourage and support development of well-being champions' -- review 117-119
      'discussions ... around training and development of wellbeing champions': the same
      topic under way, not done: continuing;
    - 'Review Centralised Place of Safety': the review says nothing of it: not-reported."""
    rows = progress(seed_graph, strategy="Southwark Joint Mental Health and Wellbeing Strategy")
    core = _row(rows, "Deliver an enhanced model of Core 24")
    assert core.status == "achieved" and core.review_source.startswith(f"{REVIEW}:255")
    suicide = _row(rows, "Develop and implement the Suicide Prevention Strategy Action Plan")
    assert suicide.status == "continuing" and suicide.review_source.startswith(f"{REVIEW}:784")
    champions = _row(rows, "Encourage and support development of well-being champions")
    assert champions.status == "continuing" and "wellbeing champions" in champions.review_text
    assert _row(rows, "Review Centralised Place of Safety").status == "not-reported"


def test_progress_needs_a_plan_and_a_later_review() -> None:
    g = build({MH: [A("p", "Roll out mental health first aid training to frontline staff.")]}, doc="plan.txt")
    g.merge(
        build(
            {
                MH: [
                    A(
                        "r",
                        "Mental health first aid training delivered to 120 frontline staff.",
                        status="achieved",
                    )
                ]
            },
            doc="rev.txt",
        )
    )
    g.node("strategy:0").props["documents"] = [
        {"file": "plan.txt", "role": "plan", "year": 2017},
        {"file": "rev.txt", "role": "review", "year": 2019},
    ]
    rows = progress(g)
    assert [(r.action_id, r.status) for r in rows] == [("action:p", "achieved")]
    assert rows[0].review_text.startswith("Mental health first aid training delivered")
    g2 = build({MH: [A("p", "Roll out mental health first aid training to frontline staff.")]})
    assert progress(g2) == []  # no documents recorded: nothing to compare
    with pytest.raises(InputError, match="matches no strategy"):
        progress(g, strategy="housing")


def test_cli_query_progress_json(tmp_path, seed_paths) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from cli.main import app

    store = tmp_path / "g.json"
    runner = CliRunner()
    assert runner.invoke(app, ["--store", str(store), "load", *map(str, seed_paths)]).exit_code == 0
    out = runner.invoke(app, ["--store", str(store), "query", "progress", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert rows and {"action", "strategy", "status", "review_text", "review_source", "score"} <= set(rows[0])
    by = runner.invoke(
        app, ["--store", str(store), "query", "dependencies", "--by", "strategy", "--format", "json"]
    )
    assert by.exit_code == 0 and all(r["actions"] >= 1 for r in json.loads(by.stdout))
    bad = runner.invoke(app, ["--store", str(store), "query", "dependencies", "--by", "borough"])
    assert bad.exit_code == 2 and "by must be one of" in bad.output
