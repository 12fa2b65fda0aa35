"""Cross-strategy dependencies: planted links with known answers, options, lexicon, seeds."""

from __future__ import annotations

import pytest
from graphs import KC, MH, A, build

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import EdgeKind, NodeKind
from queries.dependencies import (
    DEFAULT_MIN_SCORE,
    KINDS,
    acts_on,
    dependencies,
    dependencies_by,
    inferred_dependencies,
    service_key,
    strategy_dependencies,
)
from queries.infer import materialise
from queries.lexicon import Lexicon, load_lexicon

EXPECTED = {  # relying action -> providing action (planted in graphs.py)
    ("action:kc-mash", "action:mh-early"),  # referral pathways as part of Early Help -> Early Help teams
}
NOT_DEPENDENT = {"action:kc-patrol", "action:kc-survey", "action:kc-sceptre", "action:mh-hub"}


def test_planted_dependencies_action_to_action(two_plans: PartnerGraph) -> None:
    rows = dependencies(two_plans)
    found = {(r.action_id, t) for r in rows for t in r.target_ids}
    assert found >= EXPECTED, found
    assert not {r.action_id for r in rows} & NOT_DEPENDENT
    for r in rows:
        assert DEFAULT_MIN_SCORE <= r.score <= 1 and r.method and r.evidence and r.sources
        assert r.from_strategy != r.to_strategy and r.kind in KINDS
        assert all(two_plans.kind_of(t) == NodeKind.ACTION for t in r.target_ids)
        assert len(r.target_texts) == len(r.target_ids)


def test_evidence_names_the_service_and_the_words_on_both_sides(two_plans: PartnerGraph) -> None:
    by_action = {r.action_id: r for r in dependencies(two_plans)}
    mash = by_action["action:kc-mash"]
    assert mash.kind == "relies-on-service" and mash.service.casefold() == "early help"
    assert "Early Help" in mash.words and "Early Help locality teams" in mash.target_words
    assert "semantic" in mash.evidence and "relies-on-service" in mash.method
    assert "LBS Children's Social Care takes part in both" in mash.evidence  # the shared partner too


def test_which_side_relies_follows_the_words() -> None:
    """'as part of X' uses X; 'review our X offer' acts on it."""
    assert acts_on("Referral pathways to be developed as part of Early Help and MASH", "Early Help") == "uses"
    assert acts_on("Review our early help offer to ensure families get support", "early help") == "provides"
    assert acts_on("Early help is mentioned here", "early help") is None
    assert service_key("GP surgeries") == service_key("GPs") == "gp"
    assert service_key("substance misuse services") == service_key("substance misuse")


def test_a_need_word_alone_is_no_dependency() -> None:
    """Issue 14: 'Trauma' (a need word) in a knife-crime profile action does not make it rely
    on a mental-health action that also says trauma."""
    g = build(
        {
            KC: [
                A(
                    "k",
                    "Develop understanding of knife crime problem profile: Trauma centre data.",
                    leads=("police",),
                )
            ],
            MH: [A("m", "Commission trauma-informed counselling for adults.", leads=("slam",))],
        }
    )
    assert dependencies(g) == []


def test_many_identical_relying_rows_cost_linear() -> None:
    """N copies of one relying action give N links to the one providing action (issue 18)."""
    n = 2000
    kc = [
        A(f"r{i}", "Referral pathways to be developed as part of Early Help and MASH services")
        for i in range(n)
    ]
    g = build({KC: kc, MH: [A("m", "Review our early help offer so families get support early.")]})
    deps = [d for d in inferred_dependencies(g) if d.score >= DEFAULT_MIN_SCORE]
    assert len(deps) == n and {d.target for d in deps} == {"action:m"}


def test_by_strategy_summary(two_plans: PartnerGraph) -> None:
    rows = strategy_dependencies(two_plans)
    links = dependencies(two_plans)
    assert {(r.from_strategy, r.to_strategy) for r in rows} == {
        (r.from_strategy, r.to_strategy) for r in links
    }
    kc = next(r for r in rows if r.from_strategy == KC)
    assert kc.actions == len({r.action_id for r in links if r.from_strategy == KC})
    assert any(s.startswith("Early Help") for s in kc.top_services)
    with pytest.raises(InputError, match="by must be"):
        dependencies_by(two_plans, by="borough")


def test_from_and_to_filters_with_fuzzy_names(two_plans: PartnerGraph) -> None:
    rows = dependencies(two_plans, from_strategy="knife crime", to_strategy="mental helth")
    assert rows and {r.from_strategy for r in rows} == {KC} and {r.to_strategy for r in rows} == {MH}


def test_unknown_and_ambiguous_strategy_names(two_plans: PartnerGraph) -> None:
    with pytest.raises(InputError, match=r"matches no strategy; candidates: .*Knife"):
        dependencies(two_plans, from_strategy="housing")
    g = build({"Knife Crime Plan 2017": [A("a", "x")], "Knife Crime Plan 2019": [A("b", "y")]})
    with pytest.raises(InputError, match="ambiguous"):
        dependencies(g, to_strategy="knife crime plan")
    with pytest.raises(InputError, match="min-score"):
        dependencies(two_plans, min_score=-0.1)


def test_lexicon_words_whole_words_and_capitals() -> None:
    lex = load_lexicon()
    cs, eh = lex.domains["community-safety"], lex.domains["children-early-help"]
    assert set(cs.words_in("work on gangs and young offenders")) == {"gangs", "young offenders"}
    assert eh.words_in("mash the potatoes") == []  # MASH only in capitals
    assert "MASH" in eh.words_in("Early Help and MASH services")
    assert lex.domains["health"].words_in("hospital A&E") == ["hospital", "A&E"]
    assert lex.domains["substance-misuse"].words_in("drugstore") == []
    assert "early help" in eh.services and "siblings" not in eh.services


def test_materialise_adds_valid_inferred_edges(two_plans: PartnerGraph) -> None:
    added = materialise(two_plans)
    assert added["DEPENDS_ON"] >= len(EXPECTED)
    two_plans.validate()  # inferred edges carry score and evidence
    deps = list(two_plans.edges(EdgeKind.DEPENDS_ON))
    assert {(e.source, e.target) for e in deps} >= EXPECTED
    assert all(e.score and e.method and e.evidence and e.props["kind"] in KINDS for e in deps)
    assert materialise(two_plans) == added  # recomputed, not accumulated


# ------------------------------------------------------------------------- seeds
KC_DOC = "002_bf875e7a520b882d.txt"


def _rows_from(seed_graph: PartnerGraph, line: int) -> list:
    return [r for r in dependencies(seed_graph) if r.sources[0] == f"{KC_DOC}:{line}"]


def test_seed_early_help_and_mash_relies_on_the_early_help_review(seed_graph: PartnerGraph) -> None:
    """Issue 14: 'Referral pathways to be developed as part of Early Help and MASH' (KC plan,
    line 390) relies on 'Review our early help offer' (the mental-health action plan, 1275)."""
    rows = _rows_from(seed_graph, 390)
    assert rows and rows[0].kind == "relies-on-service" and rows[0].service.casefold() == "early help"
    assert any(t.startswith("Review our early help offer") for t in rows[0].target_texts)
    assert any(s.startswith(f"{KC_DOC}:1275") for s in rows[0].sources)


def test_seed_iris_model_relies_on_the_new_primary_care_model(seed_graph: PartnerGraph) -> None:
    """Issue 14: the IRIS-like community service model (line 380, led by NHS Southwark CCG)
    and 'Develop a new model of enhanced primary mental health care' (1269, CCG and SLaM)."""
    rows = _rows_from(seed_graph, 380)
    assert rows and any(
        t.startswith("Develop a new model of enhanced primary mental health care")
        for t in rows[0].target_texts
    )


def test_seed_trauma_centre_data_is_no_mental_health_dependency(seed_graph: PartnerGraph) -> None:
    """Issue 14: 'Develop understanding of knife crime problem profile' names a trauma centre
    as a data source (line 300): not a mental-health dependency."""
    assert _rows_from(seed_graph, 300) == []


def test_seed_one_strategy_counted_once(seed_graph: PartnerGraph) -> None:
    """The 2017 draft strategy and its 2019 delivery review are one Strategy node, with both
    documents recorded; no dependency row is listed twice."""
    mh = [s for s in seed_graph.nodes(NodeKind.STRATEGY) if "Mental Health and Wellbeing Strategy" in s.label]
    assert len(mh) == 1
    docs = {(d["file"], d["role"], d["year"]) for d in mh[0].props["documents"]}
    assert docs == {("000_69c1f70b9380e9e0.txt", "review", 2019), (KC_DOC, "plan", 2017)}
    rows = dependencies(seed_graph)
    assert len({(r.action_id, r.to_strategy_id) for r in rows}) == len(rows)


def test_seed_depends_on_edges_are_cross_strategy_action_links(seed_graph: PartnerGraph) -> None:
    from queries._base import strategy_index

    index = strategy_index(seed_graph)
    edges = list(seed_graph.edges(EdgeKind.DEPENDS_ON))
    assert edges
    for e in edges:
        assert seed_graph.kind_of(e.source) == seed_graph.kind_of(e.target) == NodeKind.ACTION
        assert index.of[e.source] != index.of[e.target]
        assert e.props["kind"] in KINDS and e.score and e.method and e.evidence


def test_stored_links_read_back_without_inference(seed_graph: PartnerGraph) -> None:
    """What `materialise` stored is what the queries compute (the demo reads it back)."""
    from queries.duplicates import duplicate_actions
    from queries.infer import stored_dependencies, stored_duplicates

    stored, computed = stored_dependencies(seed_graph), dependencies(seed_graph)
    key = lambda r: (r.action_id, r.to_strategy_id, r.target_ids, r.score, r.kind, r.service)  # noqa: E731
    assert [key(r) for r in stored] == [key(r) for r in computed]
    labels = [g.labels for g in duplicate_actions(seed_graph)]
    assert labels and [g.labels for g in stored_duplicates(seed_graph)] == labels


def test_stored_links_do_not_rerun_the_duplicate_analysis(
    seed_graph: PartnerGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading stored links back (the views, the report site) takes each action's compared
    text from the unit plan: scoring every text pair again made a 5,000-node view take 15 s."""
    from queries import duplicates
    from queries.infer import stored_dependencies

    computed = [(r.action_id, r.action_text, r.target_texts) for r in dependencies(seed_graph)]
    fresh = seed_graph.subgraph(n.id for n in seed_graph.nodes())  # nothing cached for it

    def no_scoring(graph: PartnerGraph) -> None:
        raise AssertionError("the duplicate analysis ran")

    monkeypatch.setattr(duplicates, "_analyse", no_scoring)
    stored = [(r.action_id, r.action_text, r.target_texts) for r in stored_dependencies(fresh)]
    assert computed and stored == computed


def _scan_every_token(index, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The term lookup as first written: try every token in turn (reference for `find`)."""
    from queries.lexicon import tokenise

    spans, folded = tokenise(text)
    toks = [text[a:b] for a, b in spans]
    out: list[str] = []
    i, n = 0, len(folded)
    while i < n:
        longest, step = index.first.get(folded[i]), 1
        for length in range(min(longest or 0, n - i), 0, -1):
            options = index.terms.get(tuple(folded[i : i + length]))
            if options and any(not caps or tuple(toks[i : i + length]) == want for want, caps in options):
                word = " ".join(text[spans[i][0] : spans[i + length - 1][1]].split())
                if word.casefold() not in {w.casefold() for w in out}:
                    out.append(word)
                step = length
                break
        i += step
    return out


def test_lexicon_lookup_visits_term_starts_only_and_finds_the_same() -> None:
    """`find` jumps between places where a term starts and a domain with no such place is
    skipped; both must find exactly what a scan of every token finds (overlapping and nested
    terms, capitals-only terms, repeats)."""
    import random

    from queries.lexicon import _TermIndex

    terms = (
        "mental health",
        "mental health services",
        "health",
        "CAMHS",
        "A&E",
        "crisis care",
        "care",
        "home treatment team",
        "self-harm",
    )
    index = _TermIndex(terms)
    lex = Lexicon.from_dict(
        {"domains": {"mh": {"services": list(terms)}, "other": {"services": ["youth club"]}}}
    )
    words = [
        "mental",
        "Mental",
        "health",
        "services",
        "camhs",
        "CAMHS",
        "A&E",
        "a&e",
        "crisis",
        "care",
        "home",
        "treatment",
        "team",
        "self",
        "harm",
        "self-harm",
        "youth",
        "club",
        "and",
        "the",
        ",",
        "-",
    ]
    rnd = random.Random(5)
    for _ in range(2000):
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 14)))
        want = _scan_every_token(index, text)
        assert index.find(text) == want, text
        got = lex.words_in(text)
        assert got.get("mh", []) == want, text
        assert got.get("other", []) == _scan_every_token(lex.domains["other"]._index, text)
