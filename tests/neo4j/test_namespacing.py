"""partnermap shares a server with another application: it touches only its own data.

The other application's data uses the same labels and relationship types as ours
(``Organisation``, ``Document``, ``Action``, ``LEADS``), which is what made the old
label-only sweep and clear delete it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from cli.main import app
from graphmodel.bolt_batches import PushProgress
from graphmodel.errors import InputError, StoreError
from graphmodel.graph import PartnerGraph
from graphmodel.neo4j_store import Neo4jStore
from graphmodel.schema import Node, NodeKind, Source
from graphmodel.store import NetworkxStore, dumps

pytestmark = pytest.mark.bolt
runner = CliRunner()

FOREIGN = [
    "CREATE (:Organisation {id: 'organisation:police', name: 'x', app: 'other'})"
    "-[:CUSTOMER_OF {app: 'other'}]->(:Canary {app: 'other'})",
    "CREATE (:Document {id: 'doc-1', app: 'other'})",
    "CREATE (:Canary {app: 'other'})-[:LEADS {app: 'other'}]->(:Canary {app: 'other'})",
    "CREATE (:Organisation {id: 'org-9', app: 'other'})-[:LEADS {app: 'other'}]->"
    "(:Action {id: 'action:other', label: 'Their action', app: 'other'})",
]


def foreign_counts(store: Neo4jStore) -> tuple[int, int]:
    nodes = store.run("MATCH (n) WHERE n.app = 'other' RETURN count(n) AS c")[0]["c"]
    rels = store.run("MATCH ()-[r]->() WHERE r.app = 'other' RETURN count(r) AS c")[0]["c"]
    return int(nodes), int(rels)


@pytest.fixture()
def shared(server_store: Neo4jStore) -> Iterator[Neo4jStore]:
    """The test server holding another application's data beside an empty partnermap graph."""
    server_store.run("MATCH (n) WHERE n.app = 'other' DETACH DELETE n")
    for q in FOREIGN:
        server_store.run(q)
    assert foreign_counts(server_store) == (7, 3)
    yield server_store
    server_store.run("MATCH (n) WHERE n.app = 'other' DETACH DELETE n")
    server_store.run("MATCH (s:PartnermapState) DELETE s")


def test_push_status_pull_clear_leave_the_other_applications_data(shared: Neo4jStore, tiny_graph) -> None:
    shared.write(tiny_graph)
    assert foreign_counts(shared) == (7, 3)
    status = shared.status()
    assert status["nodes"] == tiny_graph.counts()["nodes"]
    assert status["edges"] == tiny_graph.counts()["edges"]
    assert dumps(shared.read()) == dumps(tiny_graph)  # none of theirs comes back
    assert shared.exists()
    # a second, smaller push sweeps what it dropped of ours and nothing of theirs
    progress = PushProgress()
    data = tiny_graph.to_dict()
    data["nodes"] = [n for n in data["nodes"] if n["id"] != "action:kc-2"]
    data["edges"] = [e for e in data["edges"] if "action:kc-2" not in (e["source"], e["target"])]
    smaller = PartnerGraph.from_dict(data)
    assert len(smaller) == len(tiny_graph) - 1
    shared.write(smaller, progress=progress)
    assert progress.swept == (len(tiny_graph) - len(smaller)) + (tiny_graph.edge_count - smaller.edge_count)
    assert foreign_counts(shared) == (7, 3)
    deleted = shared.clear()
    assert deleted == len(smaller)
    assert foreign_counts(shared) == (7, 3)
    assert shared.status()["nodes"] == {} and shared.status()["edges"] == {}
    assert not shared.exists()


def test_cli_push_clear_and_a_query_leave_them_alone(
    shared: Neo4jStore, bolt_env: dict[str, str], tmp_path, tiny_graph
) -> None:
    src = tmp_path / "g.json"
    NetworkxStore(src).write(tiny_graph)
    pushed = runner.invoke(app, ["--store", str(src), "neo4j", "push", "--format", "json"], env=bolt_env)
    assert pushed.exit_code == 0, pushed.stderr
    assert json.loads(pushed.stdout)[0]["stale_removed"] == 0
    found = runner.invoke(
        app, ["--backend", "neo4j", "query", "search", "action", "--format", "json"], env=bolt_env
    )
    assert found.exit_code == 0, found.stderr
    assert "Their action" not in found.stdout
    cleared = runner.invoke(app, ["neo4j", "clear", "--yes", "--format", "json"], env=bolt_env)
    assert cleared.exit_code == 0, cleared.stderr
    assert foreign_counts(shared) == (7, 3)


def test_every_pushed_element_carries_the_marker(shared: Neo4jStore, tiny_graph) -> None:
    shared.write(tiny_graph)
    unmarked = shared.run(
        "MATCH (n) WHERE n.app IS NULL AND NOT n:Partnermap AND NOT n:PartnermapState RETURN count(n) AS c"
    )[0]["c"]
    assert int(unmarked) == 0
    ours = shared.run("MATCH ()-[r]->() WHERE r.pm_app = 'partnermap' RETURN count(r) AS c")[0]["c"]
    assert int(ours) == tiny_graph.edge_count


def test_an_unfinished_push_makes_reads_and_queries_say_so(
    shared: Neo4jStore, bolt_env: dict[str, str], tiny_graph
) -> None:
    shared.write(tiny_graph)
    shared._mark_pushing("a-push-that-never-finished")
    with pytest.raises(StoreError, match="incomplete: a push is running or stopped part-way"):
        shared.read()
    result = runner.invoke(app, ["--backend", "neo4j", "query", "coverage", "--format", "json"], env=bolt_env)
    assert result.exit_code == 2 and "incomplete" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert shared.status()["push_in_progress"] is True
    shared.write(tiny_graph)  # a finished push clears the mark
    assert dumps(shared.read()) == dumps(tiny_graph)


def test_a_nul_character_is_refused_before_anything_is_sent(shared: Neo4jStore) -> None:
    """FalkorDB cuts a string at NUL; partnermap refuses rather than store it cut short."""
    g = PartnerGraph()
    g.add_node(Node("organisation:nul", NodeKind.ORGANISATION, "Youth\x00Council", Source("d.txt", 1, 1)))
    with pytest.raises(InputError, match="NUL"):
        shared.write(g)
    assert not shared.exists()
