"""Duplicate actions: planted answers, precision/recall on a synthetic corpus, symmetry, seeds."""

from __future__ import annotations

import itertools

import pytest
from graphs import KC, MH, A, build
from hypothesis import given, settings
from hypothesis import strategies as st
from synth import corpus

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import Edge, EdgeKind, Node, NodeKind, Source
from queries._base import content_words
from queries._text import candidate_pairs, score_pairs
from queries.duplicates import DEFAULT_THRESHOLD, RARE_MIN_TEXTS, SHARED_AIM_MIN, TYPES, duplicate_actions


def _groups(graph, **kw) -> set[frozenset[str]]:
    return {frozenset(m.id for m in g.members) for g in duplicate_actions(graph, **kw)}


def test_planted_groups_typed(two_plans: PartnerGraph) -> None:
    """The three mapping rows (same words, led by SAPH, SASH and CS&P: one aim split over three
    leads) and the two Partnership Southwark rows (same lead, a word apart) are the groups."""
    groups = {frozenset(m.id for m in g.members): g for g in duplicate_actions(two_plans)}
    mapping = groups[frozenset({"action:kc-map1", "action:kc-map2", "action:kc-map3"})]
    assert mapping.type == "shared-aim" and "coordination point" in mapping.evidence
    ps = groups[frozenset({"action:mh-ps1", "action:mh-ps2"})]
    assert ps.type == "exact"
    # same-topic actions (two survey/school actions, two CAMHS actions) are not duplicates
    assert len(groups) == 2


def test_group_is_a_star_with_members_text_owner_strategy_source(two_plans: PartnerGraph) -> None:
    g = next(g for g in duplicate_actions(two_plans) if g.size == 3)
    assert g.scope == "within" and g.method and "wordllama" in g.method
    assert g.representative in {m.id for m in g.members}
    assert [m.relation for m in g.members].count("representative") == 1
    assert len(g.pairs) == g.size - 1 and all(g.representative in (p.a, p.b) for p in g.pairs)
    assert all(DEFAULT_THRESHOLD <= p.score <= 1 and p.why and p.semantic > 0 for p in g.pairs)
    assert {m.leads for m in g.members} == {("SAPH",), ("SASH",), ("LBS CS&P",)}
    assert all(m.text.startswith("Mapping exercise") and m.strategy == KC for m in g.members)
    assert all(s.startswith("synthetic.txt:") for s in g.sources)


def test_materialised_duplicates_are_stars(two_plans: PartnerGraph) -> None:
    from queries.infer import materialise, stored_duplicates

    materialise(two_plans)
    groups = duplicate_actions(two_plans)
    edges = list(two_plans.edges(EdgeKind.DUPLICATES))
    assert len(edges) == sum(g.size - 1 for g in groups)
    reps = {g.representative for g in groups}
    assert {e.target for e in edges} == reps and not {e.source for e in edges} & reps
    assert all(e.score and e.method and e.evidence and e.props["type"] in TYPES for e in edges)
    assert [(g.type, g.labels) for g in stored_duplicates(two_plans)] == [(g.type, g.labels) for g in groups]


def test_many_identical_rows_form_one_star() -> None:
    """Issue 18: N copies of one action give N - 1 DUPLICATES edges, not N(N-1)/2."""
    from queries.infer import materialise

    n = 2000
    g = build(
        {KC: [A(f"r{i}", "Deliver weapon awareness sessions in every secondary school") for i in range(n)]}
    )
    groups = duplicate_actions(g)
    assert len(groups) == 1 and groups[0].size == n and groups[0].type == "exact"
    assert materialise(g)["DUPLICATES"] == n - 1


def test_scope_within_and_across() -> None:
    plans = {
        KC: [A("a1", "Publish a directory of youth clubs and holiday schemes for parents")],
        MH: [
            A("b1", "Publish a directory of youth clubs and holiday schemes for parents."),
            A("b2", "Train GP receptionists to signpost carers to respite support"),
            A("b3", "Train GP receptionists to signpost carers to respite support."),
        ],
    }
    g = build(plans)
    assert _groups(g, scope="across") == {frozenset({"action:a1", "action:b1"})}
    assert _groups(g, scope="within") == {frozenset({"action:b2", "action:b3"})}
    assert len(_groups(g, scope="all")) == 2
    assert [x.scope for x in duplicate_actions(g, scope="across")] == ["across"]


def test_reworded_in_other_words_is_found_and_typed() -> None:
    """Same action, other words (the issue's mapping pair); an unrelated action is not grouped."""
    plans = {
        KC: [
            A(
                "m1",
                "Mapping exercise to be carried out of all current extra-curricular activity in "
                "schools, youth clubs, community centres etc. to identify potential gaps in provision.",
                leads=("csp",),
            ),
            A(
                "m2",
                "Mapping exercise to be conducted across the borough to identify what activities "
                "are currently available outside of school hours. Gaps in provision can then be identified.",
                leads=("csp",),
            ),
            A("x", "Police detections and prosecutions scrutinised for learning.", leads=("police",)),
        ]
    }
    groups = duplicate_actions(build(plans), threshold=0.5)
    assert [(g.type, {m.id for m in g.members}) for g in groups] == [("reworded", {"action:m1", "action:m2"})]


def test_rows_of_one_actions_cell_are_steps_not_duplicates() -> None:
    """Sub-objectives under one Actions cell share its text; their own texts differ."""
    g = PartnerGraph()
    s = Source("t.txt", 1, 1)
    g.add_node(Node("strategy:s", NodeKind.STRATEGY, "Plan", s))
    g.add_node(
        Node(
            "priority:cell",
            NodeKind.PRIORITY,
            "Knife carrying survey to be developed to capture young people's views",
            s,
            {"level": "action"},
        )
    )
    g.add_edge(Edge("priority:cell", "strategy:s", EdgeKind.PART_OF, s))
    cell = "Knife carrying survey to be developed to capture young people's views."
    for i, text in enumerate(["Develop and design survey.", "Facilitate implementation of survey."]):
        aid = f"action:{i}"
        g.add_node(Node(aid, NodeKind.ACTION, text, s, {"text": text, "actions_text": cell}))
        g.add_edge(Edge(aid, "priority:cell", EdgeKind.PART_OF, s))
    assert duplicate_actions(g) == []


def _plan_and_review(second_role: str) -> PartnerGraph:
    g = build({MH: [A("p", "Roll out mental health first aid training to frontline staff.")]}, doc="plan.txt")
    g.merge(
        build({MH: [A("r", "Roll out mental health first aid training to frontline staff")]}, doc="rev.txt")
    )
    g.node("strategy:0").props["documents"] = [
        {"file": "plan.txt", "role": "plan", "year": 2017},
        {"file": "rev.txt", "role": second_role, "year": 2019},
    ]
    return g


def test_a_review_reporting_on_its_own_plan_is_progress_not_a_duplicate() -> None:
    """One strategy, a plan and its review (props.documents roles): the review's report of a
    plan action is not a duplicate of it (query progress shows it); in two plans it is."""
    assert duplicate_actions(_plan_and_review("review")) == []
    assert len(duplicate_actions(_plan_and_review("plan"))) == 1


def test_bad_options_are_input_errors(two_plans: PartnerGraph) -> None:
    with pytest.raises(InputError, match="threshold"):
        duplicate_actions(two_plans, threshold=1.5)
    with pytest.raises(InputError, match="scope"):
        duplicate_actions(two_plans, scope="everywhere")


def test_semantic_model_loads_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """The wordllama weights ship in its wheel: loading and embedding open no socket."""
    import socket

    import numpy as np

    from queries import _semantic

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    _semantic.model.cache_clear()
    x = _semantic.embed(
        [
            "Train 100 council front line staff in mental health first aid",
            "Deliver Mental Health First Aid training to frontline council staff",
            "Test purchasing of knives in shops",
        ]
    )
    assert x.shape == (3, 256) and np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5)
    assert float(x[0] @ x[1]) > float(x[0] @ x[2]) + 0.3


def _precision_recall(n: int, threshold: float) -> tuple[float, float]:
    """Speed/sanity check on generated rewordings (calibration is on the labelled seed pairs)."""
    texts, planted = corpus(n)
    g = build({KC: [A(f"t{i}", t) for i, t in enumerate(texts)]})
    index = {f"action:t{i}": i for i in range(len(texts))}
    found = set()
    for grp in duplicate_actions(g, threshold=threshold):
        ids = sorted(index[m.id] for m in grp.members)
        found |= set(itertools.combinations(ids, 2))
    tp = len(found & planted)
    return tp / max(len(found), 1), tp / len(planted)


def test_planted_rewordings_sanity() -> None:
    """Generated rewordings are mostly found and mostly nothing else (a sanity check only)."""
    precision, recall = _precision_recall(1000, DEFAULT_THRESHOLD)
    # measured at 0.63: recall 0.99, precision 0.41 (template sentences read alike in meaning)
    assert recall >= 0.9, recall
    assert precision >= 0.3, precision


@pytest.mark.slow
def test_blocking_grows_near_linearly() -> None:
    """Candidate pairs that are not similar stay bounded per action as the corpus grows tenfold.

    This corpus draws from a small vocabulary, so truly similar pairs (content-word
    Jaccard >= 0.5) grow faster than the corpus: measured 0.23 -> 1.34 per action, and
    every complete method must return them. What blocking must not do is let the rest
    grow: pairs under Jaccard 0.4 measured 0.20 -> 0.32 per action. (Time is measured by
    ``benchmarks/``, never asserted here.)
    """
    waste = {}
    for n in (2000, 20000):
        texts, _ = corpus(n, seed=3)
        cand = candidate_pairs(texts)
        words = [set(content_words(x)) for x in texts]
        waste[n] = sum(len(words[i] & words[j]) < 0.4 * len(words[i] | words[j]) for i, j in cand) / n
    assert waste[20000] < 3 * max(waste[2000], 0.05)


@pytest.mark.slow
def test_stem_blocking_stays_bounded() -> None:
    """Stem blocking keeps only stems found in at most STEM_CAP strings, so its pairs per
    string stay bounded as the corpus grows tenfold."""
    from queries._base import normalise
    from queries.duplicates import STEM_CAP, stem_pairs

    per = {}
    for n in (2000, 20000):
        texts, _ = corpus(n, seed=3)
        ii, _ = stem_pairs(list(dict.fromkeys(normalise(t) for t in texts)))
        per[n] = len(ii) / n
    assert per[20000] <= max(3 * per[2000], 0.1) and per[20000] < STEM_CAP


_VOCAB = (
    "map",
    "review",
    "youth",
    "clubs",
    "schools",
    "gaps",
    "provision",
    "police",
    "survey",
    "camhs",
    "crisis",
    "referral",
    "pathways",
    "partners",
    "carers",
    "training",
    "pilot",
    "borough",
)
_words = st.sampled_from(_VOCAB)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(_words, min_size=2, max_size=8).map(" ".join), min_size=2, max_size=12))
def test_duplicates_are_symmetric_and_order_free(texts: list[str]) -> None:
    """Scores do not depend on which action comes first, nor on insertion order."""
    plans = {KC: [A(f"x{i}", t) for i, t in enumerate(texts)]}
    forward = duplicate_actions(build(plans), threshold=0.6)
    backward = duplicate_actions(build({KC: list(reversed(plans[KC]))}), threshold=0.6)
    texts_of = lambda gs: sorted((g.type, tuple(sorted(g.labels))) for g in gs)  # noqa: E731
    assert texts_of(forward) == texts_of(backward)
    for a, b in itertools.pairwise(texts):
        ab, ba = score_pairs([a, b], {(0, 1)}, floor=0), score_pairs([b, a], {(0, 1)}, floor=0)
        assert [(s.cosine, s.token_set) for s in ab] == [(s.cosine, s.token_set) for s in ba]


# ------------------------------------------------------------------------- seeds
def _group_with(groups, *cites: str):
    return [g for g in groups if all(any(s.startswith(c) for s in g.sources) for c in cites)]


def test_seed_mapping_exercise_copied_and_reworded(seed_graph: PartnerGraph) -> None:
    """Knife-crime plan: the Actions cell 'Mapping exercise to be carried out of (all) current
    extra-curricular activity ...' appears at lines 350 and 358; line 373 says it in other
    words ('Mapping exercise to be conducted across the borough ...'). One group, the
    members shown with the cell's words (not the row labels)."""
    groups = duplicate_actions(seed_graph)
    a, b, c = ("002_bf875e7a520b882d.txt:" + x for x in ("350", "358", "373"))
    copied = _group_with(groups, a, b)
    assert copied and copied[0].type == "exact", [(g.type, g.sources) for g in groups]
    # the rewording scores 0.53 (lexical 0.47, semantic 0.60): below the calibrated default
    # (a miss the labelled set counts), found from 0.5
    hit = _group_with(duplicate_actions(seed_graph, threshold=0.5), a, b, c)
    assert hit, [(g.type, g.sources) for g in groups]
    texts = {m.source: m.text for m in hit[0].members}
    assert texts[b].startswith("Mapping exercise to be carried out")
    assert texts[c].startswith("Mapping exercise to be conducted across the borough")
    assert {m.relation for m in hit[0].members if m.source == c} == {"reworded"}
    # the rows under the cells ("Understand scope of current provision.", "To target activity
    # at areas of identified need.") are not grouped with each other
    for g in groups:
        assert not {
            "Understand scope of current provision.",
            "To target activity at areas of identified need.",
        } <= set(g.labels)


def test_seed_joint_planning_in_two_workstreams(seed_graph: PartnerGraph) -> None:
    """Annual review: the 'Joint planning underway with Partnership Southwark mental health
    leads ... mapping exercise currently underway' text appears at lines 162 and 333."""
    groups = duplicate_actions(seed_graph, scope="within")
    hit = _group_with(groups, "000_69c1f70b9380e9e0.txt:162", "000_69c1f70b9380e9e0.txt:333")
    assert hit
    relations = {m.source.split("-")[0]: m.relation for m in hit[0].members}
    assert {relations["000_69c1f70b9380e9e0.txt:162"], relations["000_69c1f70b9380e9e0.txt:333"]} <= {
        "exact",
        "representative",
        "reworded",
    }


def test_seed_one_aim_split_over_leads(seed_graph: PartnerGraph) -> None:
    """Lines 308-311: 'Conduct mapping exercise ... in our schools and colleges' split into
    primary schools (SAPH), secondary schools, SILS and colleges (police schools officers):
    a shared aim, a coordination point."""
    groups = duplicate_actions(seed_graph)
    hit = _group_with(groups, *(f"002_bf875e7a520b882d.txt:{n}" for n in (308, 309, 310, 311)))
    assert hit and hit[0].type == "shared-aim" and "coordination point" in hit[0].evidence


def test_seed_survey_steps_not_grouped(seed_graph: PartnerGraph) -> None:
    """'Develop and design survey' and 'Facilitate implementation of survey' are two steps."""
    for g in duplicate_actions(seed_graph):
        labels = " | ".join(g.labels)
        assert not ("Develop and design survey" in labels and "Facilitate implementation" in labels)


def test_seed_duplicate_edges_materialised(seed_graph: PartnerGraph) -> None:
    edges = list(seed_graph.edges(EdgeKind.DUPLICATES))
    # below the threshold only a shared aim tied by rare terms, and its evidence says so
    assert edges and all(
        e.score is not None
        and (
            e.score >= DEFAULT_THRESHOLD
            or (e.props["type"] == "shared-aim" and e.score >= SHARED_AIM_MIN and "rare term" in e.evidence)
        )
        for e in edges
    )
    assert all(e.method and e.evidence and e.props["type"] in TYPES for e in edges)
    assert all({"lexical", "semantic"} <= set(e.props) for e in edges)


# ------------------------------------------------------------------ text machinery
_ODD_TEXTS = [
    "Map youth provision across the borough",
    "Map youth provision borough-wide.",
    "Don't stop O'Brien's plan!",
    "the and of",
    "",
    "a",
    "Café déjà vu — naïve",
    "b2b 3g a1 a1 a1",
    "Review CAMHS crisis care pathways with partners",
    "Reassess CAMHS crisis care pathways jointly with partner agencies",
]


def test_vectorise_matches_scikit_learn() -> None:
    """Same cosines as the two TfidfVectorizers it stands for (word 1-2grams without English
    stop words, char_wb 3-5grams, sublinear tf), each L2-normalised, equally weighted."""
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    from queries._base import normalise
    from queries._text import vectorise

    texts, _ = corpus(300)
    texts = texts + _ODD_TEXTS
    norm = [normalise(t) for t in texts]
    word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), stop_words="english", sublinear_tf=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    both = sparse.hstack([word.fit_transform(norm), char.fit_transform(norm)]).tocsr()
    lengths = np.sqrt(np.asarray(both.multiply(both).sum(axis=1)).ravel())
    lengths[lengths == 0] = 1
    expected = (sparse.diags(1 / lengths) @ both).tocsr()
    x = vectorise(texts)
    assert x.shape[0] == len(texts)
    assert np.allclose((x @ x.T).toarray(), (expected @ expected.T).toarray(), atol=1e-12)


def test_key_matrix_holds_the_blocking_keys() -> None:
    """Keys shared by two texts (the product of the 0/1 key matrix) are exactly the shared
    content words and adjacent content-word pairs."""
    from queries._base import normalise
    from queries._text import blocking_keys, key_matrix

    texts, _ = corpus(200)
    texts = texts + _ODD_TEXTS
    b, words = key_matrix([normalise(t) for t in texts])
    shared = (b @ b.T).toarray()
    keys = [blocking_keys(t) for t in texts]
    for i, j in itertools.combinations(range(0, len(texts), 7), 2):
        assert shared[i, j] == len(keys[i] & keys[j])
    assert set(words) == set().union(*(set(content_words(t)) for t in texts))


def test_expand_pairs_maps_string_pairs_to_items() -> None:
    """Items of two paired strings pair up; repeats of a string with words all pair up,
    repeats of one without words form a star from the first."""
    import numpy as np

    from queries._text import expand_pairs

    sid = np.array([0, 1, 0, 2, 1, 3, 3, 3])  # items 0, 2 have string 0; 1, 4 string 1; ...
    ii, jj = expand_pairs(
        sid, np.array([0, 1]), np.array([1, 2]), all_repeats=np.array([True, True, True, False])
    )
    assert set(zip(ii.tolist(), jj.tolist(), strict=True)) == {
        (0, 1),
        (0, 4),
        (1, 2),
        (2, 4),  # string pair (0, 1)
        (1, 3),
        (3, 4),  # string pair (1, 2)
        (0, 2),
        (1, 4),  # repeats of strings 0 and 1
        (5, 6),
        (5, 7),
    }  # string 3 (no content words): a star


def test_a_pair_is_a_candidate_whatever_else_is_in_the_corpus() -> None:
    """Words are hashed on their own and the Jaccard check is exact, so a pair's fate does not
    depend on the other texts (with ids from a corpus-wide vocabulary it would)."""
    import random

    from queries._text import lsh_pairs

    texts, planted = corpus(400, seed=5)
    found = lsh_pairs(texts)
    rng = random.Random(1)
    sample = (
        sorted(planted)[:40]
        + rng.sample(sorted(found), 40)
        + [tuple(sorted(rng.sample(range(len(texts)), 2))) for _ in range(40)]
    )
    for i, j in sample:
        alone = lsh_pairs([texts[i], texts[j], *reversed(texts[:50])])
        assert ((0, 1) in alone) == ((i, j) in found), (texts[i], texts[j])


def test_stop_words_are_scikit_learns() -> None:
    """The copied list is the one TfidfVectorizer(stop_words="english") drops, word for word."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as SKLEARN

    from queries._stopwords import ENGLISH_STOP_WORDS

    assert frozenset(SKLEARN) == ENGLISH_STOP_WORDS


def test_compared_texts_are_the_analysis_texts(two_plans: PartnerGraph, seed_graph: PartnerGraph) -> None:
    """`compared_texts` (no scoring) names for every action the text the analysis compares:
    its Actions cell for the first short row of a cell, its own words otherwise."""
    from queries.duplicates import analysis, compared_texts, unit_texts

    for graph in (two_plans, seed_graph):
        texts = compared_texts(graph)
        assert texts == unit_texts(analysis(graph))
        assert set(texts) == {n.id for n in graph.nodes(NodeKind.ACTION)}


# A shared aim below the threshold: Make Every Contact Count (MECC) rolled out by two owners
# (West Sussex's smokefree plan: the Fire Service for its crews, Public Health for clinical staff).
_MECC_FIRE = "Roll out Make Every Contact Count (MECC) training to operational fire crews"
_MECC_GP = "Brief MECC conversations (Every Contact Counts) about smoking from clinical staff in GP practices"


def _made_up_word(n: int) -> str:
    """A pronounceable word of its own for each ``n``."""
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    out = ""
    for _ in range(3):
        n, k = divmod(n, len(consonants) * len(vowels))
        out += consonants[k % len(consonants)] + vowels[k // len(consonants)]
    return out


#: enough other texts for rarity to mean something (`RARE_MIN_TEXTS`), none alike
_FILLER = [
    A(f"other{k}", " ".join(_made_up_word(3 * k + i) for i in range(3))) for k in range(RARE_MIN_TEXTS)
]


def _mecc_plans(fire: A, gp: A, *extra: A) -> dict[str, list[A]]:
    return {
        KC: [
            fire,
            A("f1", "Publish a directory of youth clubs and holiday schemes for parents", leads=("yos",)),
            *extra,
        ],
        MH: [
            gp,
            A("f2", "Train GP receptionists to signpost carers to respite support", leads=("ccg",)),
            *_FILLER,
        ],
    }


def test_shared_aim_below_the_threshold_tied_by_a_rare_term() -> None:
    """Different leads, one area, rare words in common (MECC's own words): a shared aim
    although the texts differ more than a rewording, and the evidence says why."""
    g = build(_mecc_plans(A("fire", _MECC_FIRE, leads=("police",)), A("gp", _MECC_GP, leads=("ph",))))
    [group] = duplicate_actions(g)
    assert group.type == "shared-aim"
    assert {m.id for m in group.members} == {"action:fire", "action:gp"}
    [pair] = group.pairs
    assert pair.score < DEFAULT_THRESHOLD
    assert "tied by a rare term" in pair.why and "contact" in pair.why
    assert f"lexical {pair.lexical:.2f}, semantic {pair.semantic:.2f}" in pair.why


def test_rare_term_does_not_lower_the_bar_for_one_owner() -> None:
    """The same two texts with one lead: not a shared aim, and too far apart for a rewording."""
    g = build(_mecc_plans(A("fire", _MECC_FIRE, leads=("police",)), A("gp", _MECC_GP, leads=("police",))))
    assert duplicate_actions(g) == []


def test_nothing_is_rare_in_a_handful_of_texts() -> None:
    """Without enough texts to tell (`RARE_MIN_TEXTS`), every word would look rare: the
    bar stays at the threshold."""
    plans = _mecc_plans(A("fire", _MECC_FIRE, leads=("police",)), A("gp", _MECC_GP, leads=("ph",)))
    plans[MH] = plans[MH][:2]
    assert duplicate_actions(build(plans)) == []


def test_partners_are_the_owners_when_no_lead_is_named() -> None:
    """A tracker naming only partners (no "Lead" column): its partners tell the owners apart."""
    g = build(_mecc_plans(A("fire", _MECC_FIRE, supports=("police",)), A("gp", _MECC_GP, supports=("ph",))))
    assert [(x.type, {m.id for m in x.members}) for x in duplicate_actions(g)] == [
        ("shared-aim", {"action:fire", "action:gp"})
    ]


def test_a_common_term_is_not_rare() -> None:
    """MECC in three texts is no longer rare: a third owner's MECC action sharing only that
    word is not pulled in below the threshold (the first two still share rarer words)."""
    third = A("youth", "MECC refresher for youth workers at the annual conference", leads=("csc",))
    g = build(_mecc_plans(A("fire", _MECC_FIRE, leads=("police",)), A("gp", _MECC_GP, leads=("ph",)), third))
    members = {m.id for x in duplicate_actions(g) for m in x.members}
    assert members == {"action:fire", "action:gp"}
