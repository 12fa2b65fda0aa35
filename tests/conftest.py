"""Shared fixtures: the seed corpus, its loader results and graph, and a tiny graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.ingest import LoadReport, build, read_paths
from graphmodel.build import BuildResult
from graphmodel.graph import PartnerGraph
from graphmodel.paths import DATA_DIR
from graphmodel.schema import Edge, EdgeKind, Node, NodeKind, Source

SEEDS = ("000_69c1f70b9380e9e0.txt", "002_bf875e7a520b882d.txt")


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    """The two bundled Southwark papers."""
    return [DATA_DIR / name for name in SEEDS]


@pytest.fixture(scope="session")
def seed_report(seed_paths: list[Path]) -> LoadReport:
    """What the loaders made of the seeds (before building)."""
    return read_paths(seed_paths)


@pytest.fixture(scope="session")
def seed_results(seed_report: LoadReport) -> list:
    """Every `LoadResult` of the seeds."""
    return seed_report.results


@pytest.fixture(scope="session")
def seed_build(seed_report: LoadReport) -> BuildResult:
    return build(seed_report)


@pytest.fixture(scope="session")
def seed_graph(seed_build: BuildResult) -> PartnerGraph:
    """The seed corpus as a graph, inferred links included. Read-only: copy to change."""
    return seed_build.graph


@pytest.fixture(scope="session")
def seed_lines(seed_paths: list[Path]) -> dict[str, list[str]]:
    """Lines of each seed document by file name (index 0 is line 1)."""
    return {p.name: p.read_text(encoding="utf-8").split("\n") for p in seed_paths}


def _src(line: int) -> Source:
    return Source("tiny.txt", line, line)


@pytest.fixture()
def tiny_graph() -> PartnerGraph:
    """Two strategies, three actions, two organisations, one service, one recommendation."""
    g = PartnerGraph()
    nodes = [
        Node("strategy:kc", NodeKind.STRATEGY, "Knife Crime Plan", _src(1)),
        Node("strategy:mh", NodeKind.STRATEGY, "Mental Health Strategy", _src(10)),
        Node("priority:kc-1", NodeKind.PRIORITY, "Prevention", _src(2), {"level": "priority_area"}),
        Node("priority:mh-1", NodeKind.PRIORITY, "Crisis care", _src(11), {"level": "theme"}),
        Node(
            "action:kc-1",
            NodeKind.ACTION,
            "Refer young people to CAMHS",
            _src(3),
            {
                "status": "open",
                "level": "sub_objective",
                "text": "Refer young people to CAMHS",
                "due": "December 2017",
                "due_date": "2017-12-31",
            },
        ),
        Node(
            "action:kc-2",
            NodeKind.ACTION,
            "Map youth provision",
            _src(4),
            {
                "status": "open",
                "level": "sub_objective",
                "text": "Map youth provision",
                "due": "Ongoing",
                "due_date": None,
            },
        ),
        Node(
            "action:mh-1",
            NodeKind.ACTION,
            "Expand CAMHS crisis offer",
            _src(12),
            {
                "status": "planned",
                "level": "action",
                "text": "Expand CAMHS crisis offer",
                "due": "2018/19",
                "due_date": "2019-03-31",
            },
        ),
        Node(
            "organisation:police",
            NodeKind.ORGANISATION,
            "Police",
            _src(3),
            {"aliases": ["Police", "MPS"], "category": "police-justice"},
        ),
        Node(
            "organisation:slam",
            NodeKind.ORGANISATION,
            "South London and Maudsley",
            _src(12),
            {"aliases": ["SLaM", "SLAM"], "category": "nhs"},
        ),
        Node(
            "service:camhs",
            NodeKind.SERVICE,
            "CAMHS",
            _src(12),
            {"aliases": ["CAMHS"], "category": "mental-health"},
        ),
        Node(
            "recommendation:r3",
            NodeKind.RECOMMENDATION,
            "Recommendation 3",
            _src(20),
            {"number": 3, "label": "3", "text": "Improve CAMHS access"},
        ),
    ]
    for n in nodes:
        g.add_node(n)
    edges = [
        ("priority:kc-1", "strategy:kc", EdgeKind.PART_OF, 2),
        ("priority:mh-1", "strategy:mh", EdgeKind.PART_OF, 11),
        ("action:kc-1", "priority:kc-1", EdgeKind.PART_OF, 3),
        ("action:kc-2", "priority:kc-1", EdgeKind.PART_OF, 4),
        ("action:mh-1", "priority:mh-1", EdgeKind.PART_OF, 12),
        ("organisation:police", "action:kc-1", EdgeKind.LEADS, 3),
        ("organisation:police", "action:kc-2", EdgeKind.LEADS, 4),
        ("organisation:slam", "action:mh-1", EdgeKind.LEADS, 12),
        ("organisation:slam", "service:camhs", EdgeKind.PROVIDES, 12),
        ("action:kc-1", "service:camhs", EdgeKind.MENTIONS, 3),
        ("action:mh-1", "service:camhs", EdgeKind.MENTIONS, 12),
        ("recommendation:r3", "strategy:mh", EdgeKind.PART_OF, 20),
        ("action:mh-1", "recommendation:r3", EdgeKind.ADDRESSES, 20),
    ]
    for u, v, k, line in edges:
        g.add_edge(Edge(u, v, k, _src(line)))
    return g
