"""One query interface for both stores: the backend is chosen by the source's type, once.

The Bolt differential suite (tests/neo4j/test_differential.py) checks that both
implementations give the same rows; these tests check the choice itself and the
in-memory facts, with no server.
"""

from __future__ import annotations

import inspect
from contextlib import nullcontext
from pathlib import Path

import pytest

from graphmodel.graph import PartnerGraph
from graphmodel.neo4j_store import Neo4jStore
from graphmodel.schema import Edge, EdgeKind, Source
from graphmodel.store import CypherStore, NetworkxStore
from queries import path
from queries.backend import facts_of, graph_of
from queries.cypher import CypherFacts
from queries.facts import Facts
from queries.memory import GraphFacts


def test_a_graph_is_its_own_facts(tiny_graph: PartnerGraph) -> None:
    facts = facts_of(tiny_graph)
    assert isinstance(facts, GraphFacts)
    assert facts.graph("dependencies") is tiny_graph
    assert facts_of(facts) is facts  # facts are passed on as they are, never re-chosen


def test_an_embedded_store_is_read_once_into_memory(tiny_graph: PartnerGraph, tmp_path: Path) -> None:
    store = NetworkxStore(tmp_path / "graph.json")
    store.write(tiny_graph)
    facts = facts_of(store)
    assert isinstance(facts, GraphFacts)
    assert facts.graph().to_dict() == tiny_graph.to_dict()
    assert graph_of(store, "coverage").to_dict() == tiny_graph.to_dict()


def test_the_neo4j_store_is_asked_by_cypher_without_connecting() -> None:
    """Nothing listens on port 9: choosing the backend must not touch the server."""
    store = Neo4jStore("bolt://127.0.0.1:9", "neo4j", "", retries=1, timeout=0.5)
    assert isinstance(store, CypherStore)
    facts = facts_of(store)
    assert isinstance(facts, CypherFacts) and facts.store is store


class _LooksLikeAServer:
    """A store named "neo4j" with a ``run`` method, but no `CypherStore`: the old duck
    test (``getattr(source, "name") == "neo4j"``) took it for a server."""

    name = "neo4j"

    def __init__(self, graph: PartnerGraph) -> None:
        self.graph = graph

    def run(self, query: str, params: dict | None = None, *, doing: str = "") -> list[dict]:
        raise AssertionError("a store that is not a CypherStore was sent Cypher")

    def exists(self) -> bool:
        return True

    def read(self) -> PartnerGraph:
        return self.graph

    def write(self, graph: PartnerGraph) -> None:
        self.graph = graph

    def clear(self) -> None:
        return None

    def locked(self) -> nullcontext[None]:
        return nullcontext()


def test_the_backend_is_chosen_by_type_not_by_name(tiny_graph: PartnerGraph) -> None:
    facts = facts_of(_LooksLikeAServer(tiny_graph))
    assert isinstance(facts, GraphFacts) and facts.graph() is tiny_graph
    assert [p.length for p in path(_LooksLikeAServer(tiny_graph), "Police", "Recommendation 3")] == [4]


@pytest.mark.parametrize("impl", [GraphFacts, CypherFacts])
def test_each_implementation_gives_every_fact_with_the_same_parameters(impl: type) -> None:
    asked = {
        name: inspect.signature(fn)
        for name, fn in vars(Facts).items()
        if callable(fn) and not name.startswith("_")
    }
    assert {"addressed", "due", "partners", "search_nodes", "heads", "shortest_paths"} <= set(asked)
    for name, sig in asked.items():
        given = inspect.signature(getattr(impl, name))
        assert list(given.parameters) == list(sig.parameters), name


def test_paths_in_memory_follow_a_change_to_the_graph(tiny_graph: PartnerGraph) -> None:
    """The undirected graph paths run on is cached per graph state, never past a change."""
    a, b = "organisation:police", "recommendation:r3"
    # Police leads an action that mentions CAMHS, which a mental-health action mentions too,
    # and that action addresses recommendation 3
    assert [p.length for p in path(tiny_graph, a, b)] == [4]
    tiny_graph.add_edge(Edge(a, "action:mh-1", EdgeKind.SUPPORTS, Source("tiny.txt", 12, 13)))
    shortest = path(tiny_graph, a, b)
    assert [p.length for p in shortest] == [2]
    assert shortest[0].text == "Police -SUPPORTS-> Expand CAMHS crisis offer -ADDRESSES-> Recommendation 3"
