"""Every query gives the same rows from the embedded store and from the Bolt server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import queries
from cli.output import to_plain
from graphmodel.graph import PartnerGraph
from graphmodel.neo4j_store import Neo4jStore
from graphmodel.schema import EdgeKind, NodeKind
from graphmodel.store import NetworkxStore
from queries.cypher import NEEDS

pytestmark = pytest.mark.bolt


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_round(v) for v in value]
    return value


def rows(result: list) -> list:
    """Plain rows, floats rounded to 6 places (order kept: the query orders ties by id)."""
    return _round(to_plain(result))


@pytest.fixture(scope="module")
def seed_embedded(seed_graph: PartnerGraph, tmp_path_factory: pytest.TempPathFactory
                  ) -> NetworkxStore:
    """The seed graph in the embedded store (a JSON file), as the CLI would read it."""
    store = NetworkxStore(tmp_path_factory.mktemp("embedded") / "graph.json")
    store.write(seed_graph)
    return store


@pytest.fixture(scope="module")
def seed_server(bolt_server: str, seed_graph: PartnerGraph):
    with Neo4jStore(bolt_server, "falkordb", "") as store:
        store.clear()
        store.write(seed_graph)
        yield store


QUERIES: dict[str, Callable[[Any], list]] = {
    "dependencies": lambda s: queries.dependencies(s),
    "duplicates": lambda s: queries.duplicate_actions(s),
    "duplicates-within": lambda s: queries.duplicate_actions(s, scope="within", threshold=0.6),
    "partners": lambda s: queries.partners(s),
    "coverage": lambda s: queries.coverage(s),
    "alignment": lambda s: queries.alignment(s),
    "due": lambda s: queries.due(s, as_of="2018-06-30"),
    "due-before": lambda s: queries.due(s, before="2018-01-01", as_of="2017-09-05"),
    "search-camhs": lambda s: queries.search(s, "CAMHS"),
    "search-police": lambda s: queries.search(s, "police"),
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_same_rows(name: str, seed_embedded: NetworkxStore, seed_server: Neo4jStore) -> None:
    embedded = rows(QUERIES[name](seed_embedded))
    assert embedded, f"{name} finds nothing on the seeds: the comparison would be empty"
    assert rows(QUERIES[name](seed_server)) == embedded


def test_paths_are_the_same(seed_graph: PartnerGraph, seed_embedded: NetworkxStore,
                            seed_server: Neo4jStore) -> None:
    """Paths between lead bodies and recommendations (both ends given by id)."""
    leads = sorted({e.source for e in seed_graph.edges(EdgeKind.LEADS)})[:4]
    recs = [n.id for n in seed_graph.nodes(NodeKind.RECOMMENDATION)][:2]
    strategies = [n.id for n in seed_graph.nodes(NodeKind.STRATEGY)][:2]
    compared = 0
    for a in leads:
        for b in recs + strategies:
            embedded = rows(queries.path(seed_embedded, a, b))
            assert rows(queries.path(seed_server, a, b)) == embedded, (a, b)
            compared += bool(embedded)
    assert compared >= 4


def test_queries_fetch_only_what_they_need(seed_server: Neo4jStore,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Coverage asks the server for its kinds only, not for the whole graph."""
    seen = []
    real = Neo4jStore.read

    def spy(self, **kw):
        seen.append(kw)
        return real(self, **kw)

    monkeypatch.setattr(Neo4jStore, "read", spy)
    queries.coverage(seed_server)
    assert seen == [{"node_kinds": NEEDS["coverage"][0], "edge_kinds": NEEDS["coverage"][1]}]
