"""Precision and recall on pairs labelled by reading real papers (tests/labels/).

The figures were measured with `python -m benchmarks.calibrate` when the thresholds were
chosen (README, "Calibration"); these tests fail if they drop by more than a small margin.
Dependencies are labelled on two areas: the Southwark seeds and four West Sussex strategies
(tests/loaders/real/); duplicates on those, on the smokefree partnership's plan in two
documents and on Kent's ICS delivery plan appendix (../shared/corpus/, skipped when absent).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from benchmarks.calibrate import (
    CORPORA,
    all_dependency_scores,
    all_duplicate_scores,
    constants,
    corpus_graph,
    corpus_of,
    dependency_scores,
    duplicate_scores,
    find_action,
    load_labels,
    present,
)
from cli.ingest import build, read_paths
from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.schema import NodeKind
from queries._base import context_text, own_text
from queries.dependencies import DEFAULT_MIN_SCORE, KINDS, W_OVERLAP, acts_on, inferred_dependencies
from queries.duplicates import analysis
from queries.lexicon import Lexicon, load_lexicon

MARGIN = 0.05
#: measured at the default thresholds (duplicates 0.63, dependencies 0.45): (precision, recall)
DUPLICATES = {
    "any": (0.875, 0.667),
    "exact": (1.0, 1.0),
    "reworded": (0.714, 0.455),
    "shared-aim": (1.0, 0.875),
}
#: duplicates on the other councils' plans, same threshold, per type with labelled pairs:
#: (precision, recall). Outside the seeds a shared aim is found when the owners (leads, or
#: partners where a row names no lead) differ and the texts score at least 0.34 with two
#: rare terms in common (MECC in West Sussex, "coastal" areas in Kent); most labelled shared
#: aims share no such words and are still missed (before: recall 0 in every corpus). West
#: Sussex rewordings are mostly missed. An action listed with its row number ("28 -
#: Redesign ...") is exact with the same words unnumbered (`duplicates.same_words`; smokefree
#: exact recall was 0.125 before it). README "Calibration" has the sweeps.
DUPLICATES_BY_CORPUS = {
    "west-sussex": {"any": (0.6, 0.143), "reworded": (0.333, 0.2), "shared-aim": (1.0, 0.125)},
    "smokefree": {"any": (0.923, 0.96), "exact": (1.0, 0.875), "reworded": (0.882, 0.938)},
    "kent": {"any": (0.8, 0.571), "exact": (1.0, 0.5), "reworded": (0.667, 1.0), "shared-aim": (0.667, 0.25)},
}
#: duplicates over every corpus (before the shared-aim pass and `same_words`: exact 1.0 / 0.333,
#: reworded 0.619 / 0.722, shared-aim 1.0 / 0.212, any 0.868 / 0.568)
DUPLICATES_ALL = {
    "any": (0.86, 0.605),
    "exact": (1.0, 0.833),
    "reworded": (0.758, 0.694),
    "shared-aim": (0.786, 0.333),
}
#: both corpora, default thresholds (min score 0.45, W_OWNER 0.2, W_OVERLAP 0.2 from duplicate
#: score 0.47, PARTNER_MIN_SEMANTIC 0.34); recall over labelled pairs whose two actions the
#: loaders read. Per kind, precision is over the links the tool gave that kind (a link on a
#: pair labelled none counts against the kind the tool gave it). Before the describing
#: columns, the service synonyms and the passive acts (README "Calibration"): any 0.70 / 0.32,
#: shared-partner 0.50 / 0.29, West Sussex recall 0.
DEPENDENCIES = {
    "any": (0.769, 0.455),
    "relies-on-service": (0.75, 0.333),
    "shared-partner": (0.714, 0.714),
    "overlapping-objective": (1.0, 0.333),
}
#: per corpus, any kind: (precision, recall)
BY_CORPUS = {"seeds": (0.7, 0.467), "west-sussex": (1.0, 0.429)}
#: labelled dependencies whose relying or providing action the loaders do not read as an
#: action (West Sussex: the DAP's numbered priority actions, Table 10 of the suicide
#: prevention strategy, the dementia strategy's goals): may only fall
UNMATCHED = 21


@pytest.fixture(scope="module")
def graphs(seed_graph: PartnerGraph) -> dict[str, PartnerGraph]:
    """Every labelled corpus as a graph (the seeds' from the session fixture)."""
    return {name: seed_graph if name == "seeds" else corpus_graph(name) for name in CORPORA if present(name)}


def test_labelled_sets_are_what_the_note_says() -> None:
    dups, deps = load_labels("duplicates"), load_labels("dependencies")
    assert len(dups) >= 150 and {p["label"] for p in dups} == {"exact", "reworded", "shared-aim", "none"}
    positives = [p for p in deps if p["label"] == "depends"]
    assert len(positives) >= 40
    assert {p["label"] for p in deps} == {"depends", "none"}
    assert Counter(p["kind"] for p in positives).keys() == set(KINDS)
    assert all(p.get("service") for p in positives)  # every dependency names what is relied on
    by_corpus = Counter(corpus_of(p) for p in deps)
    assert set(by_corpus) == set(CORPORA) - {"smokefree", "kent"} and all(n >= 20 for n in by_corpus.values())
    # duplicates: every corpus has positives of its own, at least 30 outside the seeds
    positives = Counter(corpus_of(p) for p in dups if p["label"] != "none")
    assert set(positives) == set(CORPORA) and positives["seeds"] >= 20
    assert sum(positives.values()) - positives["seeds"] >= 30
    # both sides cite a document and a line, and a cross-strategy pair never cites one plan twice
    for p in deps:
        if "to" in p:
            assert p["from"]["line"] > 0 and p["to"]["line"] > 0 and p["from"] != p["to"]


@pytest.mark.parametrize("kind", sorted(DUPLICATES))
def test_duplicate_precision_recall_hold(seed_graph: PartnerGraph, kind: str) -> None:
    seeds = [p for p in load_labels("duplicates") if corpus_of(p) == "seeds"]
    scores = duplicate_scores(seed_graph, seeds)[kind]
    precision, recall = DUPLICATES[kind]
    assert scores.precision >= precision - MARGIN, scores
    assert scores.recall >= recall - MARGIN, scores


@pytest.mark.parametrize(
    ("name", "kind"), [(n, k) for n, kinds in sorted(DUPLICATES_BY_CORPUS.items()) for k in sorted(kinds)]
)
def test_duplicates_hold_on_other_councils_plans(
    graphs: dict[str, PartnerGraph], name: str, kind: str
) -> None:
    if name not in graphs:
        pytest.skip(f"the {name} corpus is not on this machine")
    mine = [p for p in load_labels("duplicates") if corpus_of(p) == name]
    scores = duplicate_scores(graphs[name], mine)[kind]
    precision, recall = DUPLICATES_BY_CORPUS[name][kind]
    assert scores.precision >= precision - MARGIN, scores
    assert scores.recall >= recall - MARGIN, scores


@pytest.mark.parametrize("kind", sorted(DUPLICATES_ALL))
def test_duplicates_hold_over_all_corpora(graphs: dict[str, PartnerGraph], kind: str) -> None:
    if set(graphs) != set(CORPORA):
        pytest.skip("a labelled corpus is not on this machine")
    scores = all_duplicate_scores(graphs, load_labels("duplicates"))[kind]
    precision, recall = DUPLICATES_ALL[kind]
    assert scores.precision >= precision - MARGIN, scores
    assert scores.recall >= recall - MARGIN, scores


@pytest.mark.parametrize("kind", sorted(DEPENDENCIES))
def test_dependency_precision_recall_hold(graphs: dict[str, PartnerGraph], kind: str) -> None:
    scores = all_dependency_scores(graphs, load_labels("dependencies"), DEFAULT_MIN_SCORE)[kind]
    precision, recall = DEPENDENCIES[kind]
    assert scores.precision >= precision - MARGIN, scores
    assert scores.recall >= recall - MARGIN, scores


@pytest.mark.parametrize("name", sorted(BY_CORPUS))
def test_each_corpus_holds_its_figures(graphs: dict[str, PartnerGraph], name: str) -> None:
    mine = [p for p in load_labels("dependencies") if corpus_of(p) == name]
    scores = dependency_scores(graphs[name], mine, DEFAULT_MIN_SCORE)["any"]
    precision, recall = BY_CORPUS[name]
    assert scores.precision >= precision - MARGIN, scores
    assert scores.recall >= recall - MARGIN, scores


def test_unmatched_labels_do_not_grow(graphs: dict[str, PartnerGraph]) -> None:
    scores = all_dependency_scores(graphs, load_labels("dependencies"), DEFAULT_MIN_SCORE)["any"]
    assert scores.unmatched <= UNMATCHED, scores


def test_the_seeds_cite_lines_the_graph_holds(seed_graph: PartnerGraph) -> None:
    # every seed label names an action the seed graph reads: a label that stops matching is a
    # loader change to look at, not a pair to drop
    for p in load_labels("dependencies"):
        if corpus_of(p) == "seeds":
            find_action(seed_graph, p["from"])
            if "to" in p:
                find_action(seed_graph, p["to"])


def _overlap_link(graph: PartnerGraph) -> tuple[str, str]:
    """The relying and providing units of the labelled shared objective of the seeds (knife
    crime 002:330 'age appropriate material ... signpost', mental health 000:377)."""
    an = analysis(graph)
    unit_of = {r: u.id for u in an.top.units for r in u.rows}
    a = find_action(
        graph, {"document": "002_bf875e7a520b882d.txt", "line": 330, "text": "Develop age appropriate"}
    )
    b = find_action(
        graph, {"document": "000_69c1f70b9380e9e0.txt", "line": 377, "text": "universal access by"}
    )
    return unit_of.get(a, a), unit_of.get(b, b)


def test_overlapping_objective_is_an_evidenced_kind(seed_graph: PartnerGraph) -> None:
    a, b = _overlap_link(seed_graph)
    found = {(d.source, d.target): d for d in inferred_dependencies(seed_graph)}
    for pair in ((a, b), (b, a)):  # a shared objective links both ways
        d = found[pair]
        assert d.kind == "overlapping-objective" and d.score >= DEFAULT_MIN_SCORE
        assert "same objective" in d.evidence and "duplicate score" in d.evidence
        assert "access" in d.words_from and "access" in d.service  # the words both texts share
    assert W_OVERLAP > 0


def test_without_its_weight_the_kind_finds_nothing(seed_graph: PartnerGraph) -> None:
    a, b = _overlap_link(seed_graph)
    with constants(W_OVERLAP=0.0):
        found = {(d.source, d.target) for d in inferred_dependencies(seed_graph)}
        scores = dependency_scores(seed_graph, load_labels("dependencies"), DEFAULT_MIN_SCORE)
    assert (a, b) not in found and scores["overlapping-objective"].recall == 0.0


# ------------------------------------------------------------- what lets West Sussex link at all
def test_a_service_under_other_names_is_one_service() -> None:
    lex = Lexicon.from_dict(
        {
            "domains": {
                "substance-misuse": {
                    "services": [["drug and alcohol services", "drug and alcohol treatment"], "detox"],
                    "needs": ["drugs"],
                }
            }
        }
    )
    d = lex.domains["substance-misuse"]
    assert d.words_in("people in drug and alcohol treatment") == ["drug and alcohol treatment"]
    assert "drug and alcohol treatment" in d.services  # a named service, not a need
    assert lex.canonical("substance-misuse", "Drug and Alcohol Treatment") == "drug and alcohol services"
    assert lex.canonical("substance-misuse", "detox") == "detox"
    with pytest.raises(InputError, match="services"):
        Lexicon.from_dict({"domains": {"x": {"services": [["ok", 3]]}}})
    # the bundled lexicon: the drug and alcohol partnership's words and the smokefree plan's
    bundled = load_lexicon()
    assert (
        bundled.canonical("substance-misuse", "treatment for drugs and alcohol")
        == "substance misuse services"
    )
    assert bundled.domains["tobacco"].owns_title("Smoke Free West Sussex Partnership Action Plan")
    assert "stop smoking services" in bundled.domains["tobacco"].words_in("Uptake of stop smoking services")


@pytest.mark.parametrize(
    ("text", "term", "role"),
    [
        (
            "West Sussex Wellbeing Hub staff are trained in Mental Health First Aid",
            "Wellbeing Hub",
            "provides",
        ),
        ("The drug and alcohol service has been recommissioned.", "drug and alcohol service", "provides"),
        ("Review our early help offer", "early help", "provides"),
        ("signposted to stop smoking services from wellbeing hubs", "wellbeing hubs", "uses"),
        ("Wellbeing Hub staff to complete Very Brief Advice training", "Wellbeing Hub", None),
        ("The number of people in treatment has increased", "treatment", None),  # a count, not an act
    ],
)
def test_acting_on_a_service_in_the_active_or_the_passive(text: str, term: str, role: str | None) -> None:
    assert acts_on(text, term) == role


def test_columns_that_describe_an_action_are_read_with_it(graphs: dict[str, PartnerGraph]) -> None:
    g = graphs["west-sussex"]
    # suicide prevention strategy p36, Table 9: the Wellbeing Hubs are named only in the
    # row's "Impact/ outputs" cell
    ccg = find_action(
        g,
        {
            "document": "wsx_suicide_prevention_strategy_2017-2020.pdf",
            "line": 1138,
            "text": "CCGs and their partners to consider",
        },
    )
    assert g.node(ccg).props["detail_columns"] == ["Impact/ outputs"]
    assert "Wellbeing Hub staff are trained" in context_text(g, ccg)
    assert "Wellbeing Hub" not in own_text(g.node(ccg))
    # smokefree plan row 11: "Action" holds the short title, "Description" (a second action
    # column) says where people are signposted from
    signposted = find_action(
        g, {"document": "sfws_action_plan_2022.docx", "line": 11, "text": "8 - Report the number"}
    )
    assert g.node(signposted).props["detail_columns"] == ["Description"]
    assert "from wellbeing hubs" in context_text(g, signposted)
    # a column that only rates or dates the row is not read as the action's words
    assert all("Status" not in g.node(a).props.get("detail_columns", []) for a in (ccg, signposted))


def test_west_sussex_smokefree_actions_rely_on_the_hubs_the_suicide_strategy_trained(
    graphs: dict[str, PartnerGraph],
) -> None:
    g = graphs["west-sussex"]
    assert {d.area for d in read_paths([CORPORA["west-sussex"][0][0]]).documents} == {"West Sussex"}
    ccg = find_action(
        g,
        {
            "document": "wsx_suicide_prevention_strategy_2017-2020.pdf",
            "line": 1138,
            "text": "CCGs and their partners to consider",
        },
    )
    hub_training = find_action(
        g, {"document": "sfws_action_plan_2022.docx", "line": 47, "text": "50 - Wellbeing hub staff level 1"}
    )
    found = {(d.source, d.target): d for d in inferred_dependencies(g)}
    d = found[(hub_training, ccg)]
    assert d.kind == "relies-on-service" and d.score >= DEFAULT_MIN_SCORE
    assert "wellbeing hub" in d.service.casefold() and "acted on there" in d.evidence
    assert (ccg, hub_training) not in found  # the suicide strategy does not rely on the smokefree plan


def test_a_trackers_describing_columns_are_read_with_the_action(tmp_path: Path) -> None:
    csv = tmp_path / "northshire_tracker.csv"
    csv.write_text(
        "Action,Description,Lead,Colour,Impact/ outputs\n"
        "Launch stop smoking clinics,Run clinics in every Wellbeing Hub,Public Health,Blue,"
        "400 smokers referred by the hubs\n",
        encoding="utf-8",
    )
    g = build(read_paths([csv]), infer=False).graph
    (action,) = g.nodes(NodeKind.ACTION)
    assert action.props["detail_columns"] == ["Description", "Impact/ outputs"]
    text = context_text(g, action.id)
    assert "Run clinics in every Wellbeing Hub" in text and "400 smokers referred" in text
    assert "Blue" not in text and action.props["Colour"] == "Blue"  # kept, but not the action's words
