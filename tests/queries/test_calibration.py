"""Precision and recall on pairs labelled by reading the seed papers (tests/labels/).

The figures were measured with `python -m benchmarks.calibrate` when the thresholds were
chosen (README, "Calibration"); these tests fail if they drop by more than a small margin.
"""

from __future__ import annotations

import pytest

from benchmarks.calibrate import dependency_scores, duplicate_scores, load_labels
from graphmodel.graph import PartnerGraph
from queries.dependencies import DEFAULT_MIN_SCORE

MARGIN = 0.05
#: measured at the default thresholds (duplicates 0.63, dependencies 0.45): (precision, recall)
DUPLICATES = {
    "any": (0.875, 0.667),
    "exact": (1.0, 1.0),
    "reworded": (0.714, 0.455),
    "shared-aim": (1.0, 0.875),
}
DEPENDENCIES = {"any": (0.6, 0.462), "relies-on-service": (1.0, 0.5), "shared-partner": (1.0, 0.667)}


def test_labelled_sets_are_what_the_note_says() -> None:
    dups, deps = load_labels("duplicates"), load_labels("dependencies")
    assert len(dups) >= 150 and {p["label"] for p in dups} == {"exact", "reworded", "shared-aim", "none"}
    assert sum(p["label"] == "depends" for p in deps) >= 13


@pytest.mark.parametrize("kind", sorted(DUPLICATES))
def test_duplicate_precision_recall_hold(seed_graph: PartnerGraph, kind: str) -> None:
    scores = duplicate_scores(seed_graph, load_labels("duplicates"))[kind]
    precision, recall = DUPLICATES[kind]
    assert scores.precision >= precision - MARGIN, scores
    assert scores.recall >= recall - MARGIN, scores


@pytest.mark.parametrize("kind", sorted(DEPENDENCIES))
def test_dependency_precision_recall_hold(seed_graph: PartnerGraph, kind: str) -> None:
    scores = dependency_scores(seed_graph, load_labels("dependencies"), DEFAULT_MIN_SCORE)[kind]
    precision, recall = DEPENDENCIES[kind]
    assert scores.precision >= precision - MARGIN, scores
    assert scores.recall >= recall - MARGIN, scores
