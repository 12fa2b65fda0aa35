"""Cross-strategy dependencies: planted links with known answers, options, lexicon, seeds."""

from __future__ import annotations

import pytest
from graphs import KC, MH, MH_ACTIONS, A, build

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import Edge, EdgeKind, NodeKind
from queries.dependencies import DEFAULT_MIN_SCORE, dependencies, dependency_links
from queries.infer import materialise
from queries.lexicon import Lexicon, load_lexicon

EXPECTED = {  # action -> strategy it relies on (planted in graphs.py)
    "action:kc-harm": MH,
    "action:kc-iris": MH,
    "action:kc-mash": MH,
    "action:mh-136": KC,
    "action:mh-peer": KC,
}
NOT_DEPENDENT = {
    "action:kc-patrol",
    "action:kc-survey",
    "action:kc-sceptre",
    "action:mh-iapt",
    "action:mh-camhs",
    "action:mh-hub",
    "action:mh-mhfa",
}


def test_planted_dependencies_found_with_evidence(two_plans: PartnerGraph) -> None:
    rows = dependencies(two_plans)
    found = {(r.action_id, r.to_strategy) for r in rows}
    assert set(EXPECTED.items()) <= found
    assert not {r.action_id for r in rows} & NOT_DEPENDENT
    for r in rows:
        assert DEFAULT_MIN_SCORE <= r.score <= 1 and r.method and r.evidence and r.sources
        assert r.from_strategy != r.to_strategy
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)


def test_evidence_names_the_bodies_and_words(two_plans: PartnerGraph) -> None:
    by_action = {r.action_id: r for r in dependencies(two_plans)}
    harm = by_action["action:kc-harm"]
    assert "Health" in harm.targets and "mental health" in harm.words
    assert "body" in harm.method and "words" in harm.method
    peer = by_action["action:mh-peer"]
    assert "Youth Offending Service" in peer.targets and "young offenders" in peer.words
    assert "Youth Offending Service takes part in" in peer.evidence  # involvement in the KC plan
    assert "criminal justice system" in by_action["action:mh-136"].words
    assert "Police" in by_action["action:mh-136"].targets


def test_from_and_to_filters_with_fuzzy_names(two_plans: PartnerGraph) -> None:
    rows = dependencies(two_plans, from_strategy="knife crime", to_strategy="mental helth")
    assert rows and {r.from_strategy for r in rows} == {KC} and {r.to_strategy for r in rows} == {MH}
    assert {r.action_id for r in dependencies(two_plans, from_strategy="Mental Health")} == {
        "action:mh-136",
        "action:mh-peer",
    }


def test_unknown_and_ambiguous_strategy_names(two_plans: PartnerGraph) -> None:
    with pytest.raises(InputError, match=r"matches no strategy; candidates: .*Knife"):
        dependencies(two_plans, from_strategy="housing")
    g = build({"Knife Crime Plan 2017": [A("a", "x")], "Knife Crime Plan 2019": [A("b", "y")]})
    with pytest.raises(InputError, match="ambiguous"):
        dependencies(g, to_strategy="knife crime plan")
    with pytest.raises(InputError, match="min-score"):
        dependencies(two_plans, min_score=-0.1)


def test_explicit_mention_of_another_strategy() -> None:
    g = build(
        {
            KC: [A("k", "Align referral work with the mental health strategy", leads=("csp",))],
            MH: [A("m", "Expand talking therapies", leads=("slam",))],
        }
    )
    g.add_edge(Edge("action:k", "strategy:1", EdgeKind.MENTIONS, g.node("action:k").source))
    row = next(r for r in dependencies(g) if r.action_id == "action:k")
    assert row.to_strategy == MH and "strategy-mention" in row.method and row.score >= 0.9


def test_editions_of_one_strategy_do_not_depend_on_each_other() -> None:
    g = build(
        {
            MH: MH_ACTIONS,
            "Mental Health and Wellbeing Strategy annual review 2019": [
                A("r1", "Increase partnership working with the criminal justice system", leads=("slam",)),
                A("r2", "Review IAPT access for people with long term conditions", leads=("iapt",)),
            ],
        }
    )
    assert dependencies(g) == []


def test_without_a_lexicon_only_involvement_remains(two_plans: PartnerGraph) -> None:
    """No lexicon: no word evidence, and bodies count only by where they work."""
    rows = dependency_links(two_plans, lexicon=Lexicon({}, frozenset()), min_score=0.0)
    assert rows and all("words" not in r.method for r in rows)
    assert all("takes part in" in r.evidence for r in rows if "body" in r.method)


def test_lexicon_words_whole_words_and_capitals() -> None:
    lex = load_lexicon()
    cs, eh = lex.domains["community-safety"], lex.domains["children-early-help"]
    assert set(cs.words_in("work on gangs and young offenders")) == {"gangs", "young offenders"}
    assert eh.words_in("mash the potatoes") == []  # MASH only in capitals
    assert "MASH" in eh.words_in("Early Help and MASH services")
    assert lex.domains["health"].words_in("hospital A&E") == ["hospital", "A&E"]
    assert lex.domains["substance-misuse"].words_in("drugstore") == []


def test_materialise_adds_valid_inferred_edges(two_plans: PartnerGraph) -> None:
    added = materialise(two_plans)
    assert added["DEPENDS_ON"] >= len(EXPECTED) and added["DUPLICATES"] >= 3
    two_plans.validate()  # inferred edges carry score and evidence
    deps = list(two_plans.edges(EdgeKind.DEPENDS_ON))
    assert {e.source for e in deps} >= set(EXPECTED)
    assert all(e.score and e.method and e.evidence for e in deps)
    assert materialise(two_plans) == added  # recomputed, not accumulated


# ------------------------------------------------------------------------- seeds
def _seed_links(seed_graph: PartnerGraph) -> list:
    from queries._base import context_text

    return [(r, context_text(seed_graph, r.action_id)) for r in dependencies(seed_graph)]


KC_NAME, MH_WORDS = "Knife Crime", "Mental Health"


@pytest.mark.parametrize(
    "words, direction",
    [
        # knife-crime plan relying on health / mental-health services (read from the plan table)
        (("harm reduction", "substance misuse and mental health"), (KC_NAME, MH_WORDS)),
        (("IRIS model",), (KC_NAME, MH_WORDS)),
        (("Redthread and OASIS", "A&E"), (KC_NAME, MH_WORDS)),
        (("Early Help and MASH",), (KC_NAME, MH_WORDS)),
        # mental-health strategy relying on the knife-crime plan's partners
        (("peer support", "young offenders"), (MH_WORDS, KC_NAME)),
        (("criminal justice system", "section 136"), (MH_WORDS, KC_NAME)),
    ],
)
def test_seed_required_dependencies(
    seed_graph: PartnerGraph, words: tuple[str, ...], direction: tuple[str, str]
) -> None:
    hits = [
        r
        for r, text in _seed_links(seed_graph)
        if all(w in text for w in words) and direction[0] in r.from_strategy and direction[1] in r.to_strategy
    ]
    assert hits, f"no {direction} link for {words}"
    assert all(r.evidence and r.sources for r in hits)


def test_seed_depends_on_edges_point_at_bodies_services_or_strategies(seed_graph: PartnerGraph) -> None:
    allowed = {NodeKind.ORGANISATION, NodeKind.SERVICE, NodeKind.ACTION, NodeKind.STRATEGY}
    edges = list(seed_graph.edges(EdgeKind.DEPENDS_ON))
    assert edges and all(seed_graph.kind_of(e.target) in allowed for e in edges)


def test_service_links_come_before_links_that_only_name_a_strategy(seed_graph: PartnerGraph) -> None:
    """A commissioner reads reliance on another plan's services first (seed: many actions
    only name Partnership Southwark, scored 0.9)."""
    from queries.dependencies import KINDS

    rows = dependencies(seed_graph)
    kinds = [r.kind for r in rows]
    assert {"service", "names-strategy"} <= set(kinds)
    assert kinds == sorted(kinds, key=KINDS.index)
    assert all(r.kind == "names-strategy" for r in rows if r.method == "strategy-mention")
    by_score = dependencies(seed_graph, order="score")
    assert [r.score for r in by_score] == sorted((r.score for r in by_score), reverse=True)
    assert sorted(by_score, key=lambda r: r.action_id + r.to_strategy_id) == sorted(
        rows, key=lambda r: r.action_id + r.to_strategy_id
    )
    with pytest.raises(InputError, match="order"):
        dependencies(seed_graph, order="alphabet")


def test_stored_links_read_back_without_inference(seed_graph: PartnerGraph) -> None:
    """What `materialise` stored is what the queries compute (the demo reads it back)."""
    from queries.duplicates import duplicate_actions
    from queries.infer import stored_dependencies, stored_duplicates

    stored, computed = stored_dependencies(seed_graph), dependencies(seed_graph)
    link = lambda r: (r.action_id, r.to_strategy_id)  # noqa: E731
    assert {link(r) for r in stored} == {link(r) for r in computed}
    # the strongest service links (the demo headline) read back with their scores
    key = lambda r: (*link(r), r.score, r.kind)  # noqa: E731
    assert [key(r) for r in stored[:3]] == [key(r) for r in computed[:3]]
    labels = [g.labels for g in duplicate_actions(seed_graph)]
    assert labels and [g.labels for g in stored_duplicates(seed_graph)] == labels


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
