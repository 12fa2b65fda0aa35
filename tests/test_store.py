"""The embedded store: round trips, idempotent merge, atomic writes, clear errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphmodel.errors import StoreError
from graphmodel.graph import GraphValidationError, PartnerGraph
from graphmodel.schema import ALLOWED_EDGES, Edge, EdgeKind, Node, NodeKind, Source
from graphmodel.store import NetworkxStore, dumps

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
sources = st.builds(
    lambda d, a, n: Source(d, a, a + n),
    st.sampled_from(["a.txt", "b.txt"]),
    st.integers(1, 5000),
    st.integers(0, 20),
)
props = st.dictionaries(
    st.sampled_from(["text", "due", "aliases", "number", "category"]),
    st.one_of(texts, st.integers(-5, 5), st.lists(texts, max_size=3), st.none()),
    max_size=4,
)


@st.composite
def graphs(draw: st.DrawFn) -> PartnerGraph:
    g = PartnerGraph()
    kinds = draw(st.lists(st.sampled_from(list(NodeKind)), min_size=1, max_size=12))
    ids = []
    for i, kind in enumerate(kinds):
        nid = f"{kind.lower()}:{i}"
        ids.append((nid, kind))
        g.add_node(Node(nid, kind, draw(texts), draw(sources), draw(props)))
    for _ in range(draw(st.integers(0, 20))):
        (u, ku), (v, kv) = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        allowed = [k for k, pairs in ALLOWED_EDGES.items() if (ku, kv) in pairs]
        if not allowed:
            continue
        kind = draw(st.sampled_from(allowed))
        inferred = kind in (EdgeKind.DEPENDS_ON, EdgeKind.DUPLICATES)
        g.add_edge(
            Edge(
                u,
                v,
                kind,
                draw(sources),
                draw(props),
                score=draw(st.floats(0, 1)) if inferred else None,
                method="test" if inferred else None,
                evidence=(draw(texts) or "words") if inferred else None,
            )
        )
    return g


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graphs())
def test_save_then_load_gives_an_equal_graph(tmp_path: Path, g: PartnerGraph) -> None:
    store = NetworkxStore(tmp_path / "g.json")
    store.write(g)
    back = store.read()
    assert back.to_dict() == g.to_dict()
    assert dumps(back) == dumps(g)


def test_store_file_is_partnermap_1_json(tmp_path: Path, tiny_graph: PartnerGraph) -> None:
    store = NetworkxStore(tmp_path / "g.json")
    store.write(tiny_graph)
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert data["schema"] == "partnermap/1"
    node = next(n for n in data["nodes"] if n["id"] == "action:kc-1")
    assert set(node) == {"id", "kind", "label", "props", "source"}
    assert node["source"] == {"document": "tiny.txt", "line_start": 3, "line_end": 3}
    edge = data["edges"][0]
    assert set(edge) == {"source", "target", "kind", "props", "score", "method", "evidence", "source_ref"}


def test_adding_the_same_graph_twice_changes_nothing(tiny_graph: PartnerGraph) -> None:
    before = tiny_graph.to_dict()
    tiny_graph.merge(PartnerGraph.from_dict(before))
    assert tiny_graph.to_dict() == before


def test_merge_unions_aliases_and_keeps_earliest_source() -> None:
    g = PartnerGraph()
    g.add_node(Node("o", NodeKind.ORGANISATION, "SLaM", Source("b.txt", 9, 9), {"aliases": ["SLAM"]}))
    g.add_node(Node("o", NodeKind.ORGANISATION, "SLaM", Source("a.txt", 5, 5), {"aliases": ["SLaM"]}))
    n = g.node("o")
    assert n.props["aliases"] == ["SLAM", "SLaM"]
    assert n.source == Source("a.txt", 5, 5)


def test_write_is_atomic_when_interrupted(
    tmp_path: Path, tiny_graph: PartnerGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "g.json"
    store = NetworkxStore(path)
    store.write(tiny_graph)
    old = path.read_bytes()

    def crash(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", crash)
    bigger = PartnerGraph.from_dict(tiny_graph.to_dict())
    bigger.add_node(Node("extra", NodeKind.SERVICE, "IAPT", Source("x.txt", 1, 1)))
    with pytest.raises(StoreError, match="cannot write store"):
        store.write(bigger)
    assert path.read_bytes() == old
    # no temp file left behind (the writers' lock file stays: deleting it would race)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".g.json.lock", "g.json"]


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON"),
        ('{"nodes": []}', "not a partnermap store"),
        ("[1, 2]", "not a partnermap store"),
        ('{"schema": "partnermap/2", "nodes": [], "edges": []}', "does not understand"),
        ('{"schema": "partnermap/1", "nodes": [{"id": "a"}], "edges": []}', "corrupt"),
        (
            '{"schema": "partnermap/1", "nodes": [], "edges": [{"source": "a", "target": "b", '
            '"kind": "LEADS", "source_ref": {"document": "d", "line_start": 1, "line_end": 1}}]}',
            "missing node",
        ),
    ],
)
def test_bad_store_files_give_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "g.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StoreError, match=message):
        NetworkxStore(path).read()


def test_binary_store_file_is_reported_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(StoreError, match="corrupt"):
        NetworkxStore(path).read()


def test_missing_store_reads_as_empty(tmp_path: Path) -> None:
    assert len(NetworkxStore(tmp_path / "none.json").read()) == 0


def test_validator_collects_every_problem() -> None:
    g = PartnerGraph()
    s = Source("d.txt", 1, 1)
    g.add_node(Node("a", NodeKind.ACTION, "A", s))
    g.add_node(Node("b", NodeKind.ACTION, "B", s))
    g.add_node(Node("st", NodeKind.STRATEGY, "S", s))
    g.add_edge(Edge("a", "b", EdgeKind.LEADS, s))  # Action cannot lead
    g.add_edge(Edge("st", "a", EdgeKind.PART_OF, s))  # wrong direction
    g.add_edge(Edge("a", "b", EdgeKind.DUPLICATES, s))  # inferred without score
    with pytest.raises(GraphValidationError) as info:
        g.validate()
    assert len(info.value.problems) == 3
    assert "and 2 more" in str(info.value)


def test_store_refuses_to_write_an_invalid_graph(tmp_path: Path) -> None:
    g = PartnerGraph()
    s = Source("d.txt", 1, 1)
    g.add_node(Node("a", NodeKind.ACTION, "A", s))
    g.add_edge(Edge("a", "a", EdgeKind.LEADS, s))
    with pytest.raises(GraphValidationError):
        NetworkxStore(tmp_path / "g.json").write(g)
    assert not (tmp_path / "g.json").exists()
