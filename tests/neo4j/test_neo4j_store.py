"""The Neo4j store against a real Bolt server (FalkorDB): round trips, re-runs, failures."""

from __future__ import annotations

import copy
import json
import logging

import pytest
from neo4j import exceptions as nx_exc
from typer.testing import CliRunner

from cli.main import app
from graphmodel.cypher import cypher_script
from graphmodel.errors import BackendError, StoreError
from graphmodel.graph import PartnerGraph
from graphmodel.neo4j_store import Neo4jStore, PushError
from graphmodel.schema import INFERRED_EDGES, Edge, EdgeKind, Node, NodeKind, Source
from graphmodel.store import NetworkxStore, dumps

pytestmark = pytest.mark.bolt
runner = CliRunner()

HOSTILE = [
    "it's",
    "a\\b",
    "ends with \\",
    "\\'",
    "`x`",
    "}) DETACH DELETE n //",
    "' MATCH (n) DETACH DELETE n //",
    "x' RETURN 'pwned' AS v //",
    '"q" \\n \\u00e9',
    "line\nbreak\ttab\r",
    "é 😀 ünïcode",
    "$rows {id: 1}",
    "",
]


def hostile_graph() -> PartnerGraph:
    """Names and texts that would break string-built Cypher, plus values too long for
    one FalkorDB request."""
    g = PartnerGraph()
    src = Source("hostile 'doc`.txt", 1, 3)
    for i, text in enumerate(HOSTILE):
        g.add_node(
            Node(
                f"organisation:h{i}",
                NodeKind.ORGANISATION,
                text or "empty",
                src,
                {"aliases": [text, "plain"], "category": text},
            )
        )
    g.add_node(
        Node(
            "strategy:s",
            NodeKind.STRATEGY,
            "}) DETACH DELETE n // plan",
            src,
            {
                "number": 7,
                "score": 0.125,
                "none": None,
                "nested": {"a": [1, {"b": "'"}]},
                "odd key`": "x",
                "mixed": [1, "a"],
                "empty": [],
                "flag": True,
            },
        )
    )
    long_text = "Long action text, with 'quotes' and \\ backslashes é😀. " * 400  # ~22 KB
    g.add_node(
        Node(
            "action:long",
            NodeKind.ACTION,
            "L" * 5000,
            src,
            {
                "text": long_text,
                "aliases": [f"alias {i} '" for i in range(300)],
                "huge_item": ["z" * 6000],
                "due_date": "2019-03-31",
                "status": "open",
            },
        )
    )
    g.add_edge(Edge("action:long", "strategy:s", EdgeKind.PART_OF, src))
    g.add_edge(Edge("organisation:h0", "action:long", EdgeKind.LEADS, src, {"note": HOSTILE[6]}))
    g.add_edge(
        Edge(
            "action:long",
            "strategy:s",
            EdgeKind.DEPENDS_ON,
            src,
            {"words": HOSTILE},
            0.75,
            "lexicon 'x'",
            "evidence \\ " * 1000,
        )
    )
    return g


def assert_same(a: PartnerGraph, b: PartnerGraph) -> None:
    assert dumps(a) == dumps(b)


def test_seed_graph_round_trip(server_store: Neo4jStore, seed_graph: PartnerGraph) -> None:
    server_store.write(seed_graph)
    assert_same(server_store.read(), seed_graph)
    status = server_store.status()
    assert status["dialect"] == "falkordb"
    assert status["nodes"] == seed_graph.counts()["nodes"]
    assert status["edges"] == seed_graph.counts()["edges"]
    assert status["incomplete"] == 0


def test_hostile_strings_round_trip(server_store: Neo4jStore) -> None:
    g = hostile_graph()
    server_store.write(g)
    assert_same(server_store.read(), g)
    # the injection strings were data: every node is still there
    assert sum(server_store.status()["nodes"].values()) == len(g)


def test_small_requests_still_round_trip(bolt_server: str, seed_graph: PartnerGraph) -> None:
    """A tight request budget only means more batches and parts, not a different graph."""
    with Neo4jStore(bolt_server, "falkordb", "", max_request=1200) as store:
        store.clear()
        g = hostile_graph()
        g.merge(seed_graph)
        store.write(g)
        assert_same(store.read(), g)


def test_repush_is_idempotent(server_store: Neo4jStore, tiny_graph: PartnerGraph) -> None:
    server_store.write(tiny_graph)
    server_store.write(tiny_graph)
    status = server_store.status()
    assert sum(status["nodes"].values()) == len(tiny_graph)
    assert sum(status["edges"].values()) == tiny_graph.edge_count
    assert_same(server_store.read(), tiny_graph)


def test_push_mirrors_a_changed_graph(server_store: Neo4jStore, tiny_graph: PartnerGraph) -> None:
    server_store.write(tiny_graph)
    smaller = tiny_graph.subgraph(n.id for n in tiny_graph.nodes() if n.id != "action:kc-2")
    smaller.g.nodes["organisation:police"]["props"] = {"aliases": ["Police"]}
    server_store.write(smaller)
    assert_same(server_store.read(), smaller)


def test_clear(server_store: Neo4jStore, tiny_graph: PartnerGraph) -> None:
    server_store.write(tiny_graph)
    assert server_store.exists()
    assert server_store.clear() == len(tiny_graph)
    assert not server_store.exists()
    assert len(server_store.read()) == 0


def test_push_failing_part_way_then_rerun_completes(
    bolt_server: str, seed_graph: PartnerGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    g = copy.deepcopy(hostile_graph())
    g.merge(seed_graph)
    with Neo4jStore(bolt_server, "falkordb", "", max_request=1500) as store:
        store.clear()
        calls = {"n": 0}
        real = Neo4jStore._send_batch

        def flaky(self, query, rows, gen, doing):  # the 4th batch fails
            calls["n"] += 1
            if calls["n"] == 4:
                raise BackendError("simulated failure")
            return real(self, query, rows, gen, doing)

        monkeypatch.setattr(Neo4jStore, "_send_batch", flaky)
        with pytest.raises(PushError) as info:
            store.write(g)
        assert info.value.progress.node_batches == 3
        assert "3/" in str(info.value) and "node batches" in str(info.value)
        assert "run it again" in str(info.value)
        monkeypatch.setattr(Neo4jStore, "_send_batch", real)
        store.write(g)
        status = store.status()
        assert sum(status["nodes"].values()) == len(g)  # nothing duplicated
        assert sum(status["edges"].values()) == g.edge_count
        assert_same(store.read(), g)


def test_push_failing_inside_a_long_value_is_reported_then_fixed(
    server_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    g = hostile_graph()
    real = Neo4jStore.run

    def fail_on_part(self, query, params=None, *, doing="running a query"):
        if doing == "pushing a long value" and (params or {}).get("i") == 2:
            raise BackendError("simulated failure")
        return real(self, query, params, doing=doing)

    monkeypatch.setattr(Neo4jStore, "run", fail_on_part)
    with pytest.raises(PushError):
        server_store.write(g)
    monkeypatch.setattr(Neo4jStore, "run", real)
    assert server_store.status()["incomplete"] == 1
    with pytest.raises(StoreError, match="incomplete"):
        server_store.read()
    server_store.write(g)
    assert server_store.status()["incomplete"] == 0
    assert_same(server_store.read(), g)


class _FlakySession:
    """Fails the first ``n`` runs with ``exc``, then delegates."""

    def __init__(self, real, exc: Exception, n: int) -> None:
        self.real, self.exc, self.n = real, exc, n

    def run(self, query, params):
        if self.n:
            self.n -= 1
            raise self.exc
        return self.real.run(query, params)

    def close(self) -> None:
        self.real.close()


def test_transient_errors_are_retried(bolt_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with Neo4jStore(bolt_server, "falkordb", "", backoff=0.01) as store:
        flaky = {"left": 2}
        real_get = Neo4jStore._get_session

        def get(self):
            session = real_get(self)
            if flaky["left"]:
                flaky["left"] -= 1
                return _FlakySession(session, nx_exc.ServiceUnavailable("blip"), 1)
            return session

        monkeypatch.setattr(Neo4jStore, "_get_session", get)
        assert store.run("RETURN 1 AS x") == [{"x": 1}]


def test_auth_error_is_one_sentence_without_password(
    bolt_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "Pa55-do-not-print"
    store = Neo4jStore(bolt_server, "alice", secret)
    real_get = Neo4jStore._get_session
    monkeypatch.setattr(
        Neo4jStore,
        "_get_session",
        lambda self: _FlakySession(real_get(self), nx_exc.AuthError(f"bad password {secret}"), 1),
    )
    with pytest.raises(BackendError) as info:
        store.run("RETURN 1 AS x")
    store.close()
    assert "refused the credentials of user 'alice'" in str(info.value)
    assert secret not in str(info.value)


def test_unreachable_server_is_backend_error(closed_uri: str) -> None:
    store = Neo4jStore(closed_uri, "neo4j", "secret-pw", backoff=0.01)
    with pytest.raises(BackendError) as info:
        store.read()
    store.close()
    assert "cannot reach the graph server at bolt://127.0.0.1:" in str(info.value)
    assert "secret-pw" not in str(info.value)


def test_password_in_uri_is_never_shown(closed_uri: str) -> None:
    store = Neo4jStore(closed_uri.replace("//", "//bob:hunter2@"), backoff=0.01)
    assert "hunter2" not in repr(store)
    with pytest.raises(BackendError) as info:
        store.status()
    store.close()
    assert "hunter2" not in str(info.value)


def test_cli_unreachable_exit_3(closed_uri: str, tmp_path, tiny_graph) -> None:
    env = {"NEO4J_URI": closed_uri, "NEO4J_PASSWORD": "top-secret"}
    store = tmp_path / "a.json"  # push refuses a missing store before it connects
    NetworkxStore(store).write(tiny_graph)
    for args in (
        ["neo4j", "status"],
        ["--backend", "neo4j", "stats"],
        ["--store", str(store), "neo4j", "push"],
        ["--backend", "neo4j", "query", "coverage"],
    ):
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 3, (args, result.output, result.stderr)
        assert result.stderr.startswith("error: cannot reach the graph server")
        assert len(result.stderr.strip().splitlines()) == 1
        assert "top-secret" not in result.output + result.stderr


def test_cli_push_pull_status_clear(bolt_env: dict[str, str], tmp_path, tiny_graph) -> None:
    src = tmp_path / "a.json"
    NetworkxStore(src).write(tiny_graph)
    result = runner.invoke(app, ["--store", str(src), "neo4j", "push", "--format", "json"], env=bolt_env)
    assert result.exit_code == 0, result.stderr
    pushed = json.loads(result.stdout)[0]
    assert (pushed["nodes"], pushed["edges"]) == (len(tiny_graph), tiny_graph.edge_count)
    result = runner.invoke(app, ["neo4j", "status", "--format", "json"], env=bolt_env)
    rows = json.loads(result.stdout)
    assert {"what": "server", "kind": "dialect", "value": "falkordb"} in rows
    assert {"what": "node", "kind": "Action", "value": 3} in rows
    dst = tmp_path / "b.json"
    result = runner.invoke(app, ["--store", str(dst), "neo4j", "pull"], env=bolt_env)
    assert result.exit_code == 0, result.stderr
    assert_same(NetworkxStore(dst).read(), tiny_graph)
    # --backend neo4j: other commands read the server
    result = runner.invoke(app, ["--backend", "neo4j", "stats", "--format", "json"], env=bolt_env)
    assert {"what": "node", "kind": "Strategy", "count": 2} in json.loads(result.stdout)
    result = runner.invoke(app, ["neo4j", "clear", "--yes", "--format", "json"], env=bolt_env)
    assert json.loads(result.stdout) == [{"nodes_deleted": len(tiny_graph)}]


def test_credentials_never_logged(
    bolt_server: str, closed_uri: str, tiny_graph: PartnerGraph, caplog: pytest.LogCaptureFixture
) -> None:
    """Everything the driver and the store log at DEBUG, on success and on failure."""
    secret = "log-secret-41"
    caplog.set_level(logging.DEBUG)
    with Neo4jStore(bolt_server, "falkordb", "") as store:
        store.write(tiny_graph)
    bad = Neo4jStore(closed_uri.replace("//", f"//u:{secret}@"), "u", secret, backoff=0.01)
    with pytest.raises(BackendError):
        bad.read()
    bad.close()
    assert caplog.records  # the driver did log
    assert secret not in caplog.text


def test_cypher_script_recreates_the_graph(server_store: Neo4jStore, seed_graph: PartnerGraph) -> None:
    """The export script, run statement by statement, reads back as the same graph."""
    g = hostile_graph()
    g.merge(seed_graph)
    for line in cypher_script(g).splitlines():
        if not line or line.startswith("//"):
            continue
        assert line.endswith(";")
        if line.startswith("CREATE INDEX"):
            continue  # the store made them already; a second CREATE is an error there
        server_store.run(line[:-1])
    assert_same(server_store.read(), g)


def test_cli_infer_writes_inferred_links_back(
    bolt_env: dict[str, str], tmp_path, seed_graph: PartnerGraph
) -> None:
    """A server graph without inferred links (plus one stale DUPLICATES) gets exactly the
    links an in-memory load infers, with their scores and evidence."""
    bare = copy.deepcopy(seed_graph)
    bare.remove_edges(EdgeKind.DEPENDS_ON)
    bare.remove_edges(EdgeKind.DUPLICATES)
    a, b = sorted(n.id for n in bare.nodes(NodeKind.ACTION))[:2]
    bare.add_edge(
        Edge(
            a,
            b,
            EdgeKind.DUPLICATES,
            bare.node(a).source,
            score=0.99,
            method="stale",
            evidence="left by an older run",
        )
    )
    store = tmp_path / "bare.json"
    NetworkxStore(store).write(bare)
    result = runner.invoke(app, ["--store", str(store), "neo4j", "push"], env=bolt_env)
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["neo4j", "infer", "--format", "json"], env=bolt_env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)[0]

    def inferred(g: PartnerGraph) -> list[tuple]:
        return sorted(
            (e.source, e.target, str(e.kind), round(e.score or 0, 6), e.method, e.evidence)
            for e in g.edges()
            if e.kind in INFERRED_EDGES
        )

    expected = inferred(seed_graph)
    assert report["DUPLICATES"] + report["DEPENDS_ON"] == len(expected) > 0
    assert report["stale_removed"] >= 1
    with Neo4jStore(bolt_env["NEO4J_URI"], "falkordb", "") as server:
        assert inferred(server.read()) == expected
