"""Every query gives the same rows from the embedded store and from the Bolt server."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

import queries
from cli.output import to_plain
from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.neo4j_store import Neo4jStore
from graphmodel.schema import EdgeKind, NodeKind, Source
from graphmodel.store import NetworkxStore
from queries.facts import NEEDS

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
def seed_embedded(seed_graph: PartnerGraph, tmp_path_factory: pytest.TempPathFactory) -> NetworkxStore:
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
    "due-as-of-document": lambda s: queries.due(s, as_of="document"),  # each paper's meeting_date
    "due-as-of-latest": lambda s: queries.due(s, as_of="latest"),
    "search-camhs": lambda s: queries.search(s, "CAMHS"),
    "search-police": lambda s: queries.search(s, "police"),
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_same_rows(name: str, seed_embedded: NetworkxStore, seed_server: Neo4jStore) -> None:
    embedded = rows(QUERIES[name](seed_embedded))
    assert embedded, f"{name} finds nothing on the seeds: the comparison would be empty"
    assert rows(QUERIES[name](seed_server)) == embedded


def test_paths_are_the_same(
    seed_graph: PartnerGraph, seed_embedded: NetworkxStore, seed_server: Neo4jStore
) -> None:
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


@pytest.mark.parametrize(
    "a, b",
    [
        ("Metropolitan Police Service", "Recommendation 3"),
        ("SLaM", "Youth Offending Service"),
        ("IAPT", "Knife Crime and Knife Carrying Action Plan"),
    ],
)
def test_paths_by_name_are_the_same(
    a: str, b: str, seed_embedded: NetworkxStore, seed_server: Neo4jStore
) -> None:
    """Names are resolved by search on the server as in memory, and give the same paths."""
    embedded = rows(queries.path(seed_embedded, a, b))
    assert embedded
    assert rows(queries.path(seed_server, a, b)) == embedded


@pytest.mark.parametrize("a, b", [("Knife Crime", "SLaM"), ("IAPT", "knife crime")])
def test_ambiguous_names_are_refused_the_same_way(
    a: str, b: str, seed_embedded: NetworkxStore, seed_server: Neo4jStore
) -> None:
    """An ambiguous name (an organisation and a strategy, or a forum, a strategy and a plan)
    is refused with the same candidates by both stores, never picked silently."""
    messages = []
    for store in (seed_embedded, seed_server):
        with pytest.raises(InputError, match="is ambiguous") as info:
            queries.path(store, a, b)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def _lead_to_strategy(store: Any, graph: PartnerGraph) -> list:
    lead = min(e.source for e in graph.edges(EdgeKind.LEADS))
    return queries.path(store, lead, min(n.id for n in graph.nodes(NodeKind.STRATEGY)))


SERVER_SIDE: dict[str, Callable[[Any, PartnerGraph], list]] = {
    "coverage": lambda s, g: queries.coverage(s),
    "due": lambda s, g: queries.due(s, as_of="2018-06-30"),
    "partners": lambda s, g: queries.partners(s),
    "search": lambda s, g: queries.search(s, "CAMHS"),
    "path": _lead_to_strategy,
}


@pytest.mark.parametrize("name", sorted(SERVER_SIDE))
def test_server_queries_never_pull_the_graph(
    name: str, seed_server: Neo4jStore, seed_graph: PartnerGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """These queries match and aggregate on the server: no node/edge pull at all."""

    def refuse(self, **kw):
        raise AssertionError(f"{name} pulled part of the graph: {kw}")

    monkeypatch.setattr(Neo4jStore, "read", refuse)
    assert SERVER_SIDE[name](seed_server, seed_graph)


def test_text_inference_fetches_only_its_kinds(
    seed_server: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alignment (text scoring in Python) asks the server for the kinds it reads only."""
    seen = []
    real = Neo4jStore.read

    def spy(self, **kw):
        seen.append(kw)
        return real(self, **kw)

    monkeypatch.setattr(Neo4jStore, "read", spy)
    queries.alignment(seed_server)
    assert seen == [{"node_kinds": NEEDS["alignment"][0], "edge_kinds": NEEDS["alignment"][1]}]


def _paged(graph: PartnerGraph) -> PartnerGraph:
    """``graph`` as if read from a PDF (nodes cite pages) and a spreadsheet (edges cite a sheet)."""
    out = PartnerGraph()
    for n in graph.nodes():
        page = n.source.line_start // 5 + 1
        out.add_node(replace(n, source=replace(n.source, document="plan.pdf", page=page)))
    for e in graph.edges():
        out.add_edge(replace(e, source_ref=replace(e.source_ref, document="plan.xlsx", sheet="Actions")))
    return out


PAGED: dict[str, Callable[[Any], list]] = {
    "coverage": lambda s: queries.coverage(s),
    "due": lambda s: queries.due(s, as_of="2018-06-30"),
    "partners": lambda s: queries.partners(s),
    "search": lambda s: queries.search(s, "CAMHS"),
    "path": lambda s: queries.path(s, "organisation:police", "recommendation:r3"),
}


def test_pages_and_sheets_are_cited_the_same(tiny_graph: PartnerGraph, server_store: Neo4jStore) -> None:
    """Node and edge sources keep their page and sheet on the server too: a citation from a
    PDF or a spreadsheet reads the same from both stores (the server facts used to rebuild
    sources from document and lines alone)."""
    graph = _paged(tiny_graph)
    server_store.write(graph)
    cited: set[str] = set()
    for name, query in PAGED.items():
        embedded = rows(query(graph))
        assert embedded, name
        assert rows(query(server_store)) == embedded, name
        cited |= {c for r in embedded for c in r["sources"]}
    page, sheet = Source("plan.pdf", 3, 3, page=1), Source("plan.xlsx", 12, 12, sheet="Actions")
    assert {page.cite(), sheet.cite()} <= cited
