"""The embedded store with several writers: a lock around read-merge-write, atomic
replacement, and clean-up after a writer that was killed mid-write."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from filelock import FileLock
from typer.testing import CliRunner

from cli.main import app
from graphmodel.files import write_atomic
from graphmodel.store import NetworkxStore, parse_store_text

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]


def _tracker(path: Path, plan: str, rows: int) -> None:
    """A CSV tracker of one plan: ``rows`` different actions, each with a lead."""
    lines = ["Strategy,Action,Lead,Due"]
    lines += [
        f"{plan},{plan} action number {i} on theme {i % 17},Team {i % 5},March 2019" for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _documents(store: Path) -> set[str]:
    graph = parse_store_text(store.read_text(encoding="utf-8"), str(store))
    return {n.source.document for n in graph.nodes()}


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cli", *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_two_concurrent_loads_both_land(tmp_path: Path) -> None:
    """Two `partnermap load`s of different files into one store at the same moment: both
    documents are in the store afterwards, every time (before the lock the second
    writer silently won)."""
    a, b = tmp_path / "alpha.csv", tmp_path / "beta.csv"
    _tracker(a, "Alpha plan", 300)
    _tracker(b, "Beta plan", 300)
    for trial in range(3):
        store = tmp_path / f"trial{trial}" / "graph.json"
        procs = [_cli("--store", str(store), "load", str(p), "--format", "json") for p in (a, b)]
        outs = [p.communicate(timeout=300) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        assert _documents(store) == {"alpha.csv", "beta.csv"}, f"trial {trial}: an update was lost"


def test_a_held_lock_gives_one_line_after_the_timeout(tmp_path: Path, monkeypatch) -> None:
    store = tmp_path / "graph.json"
    doc = tmp_path / "alpha.csv"
    _tracker(doc, "Alpha plan", 3)
    monkeypatch.setenv("PARTNERMAP_LOCK_TIMEOUT", "0.2")
    with FileLock(NetworkxStore(store).lock_path):
        result = runner.invoke(app, ["--store", str(store), "load", str(doc), "--format", "json"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    error = json.loads(lines[0])["error"]
    assert "being written by another partnermap process" in error and "PARTNERMAP_LOCK_TIMEOUT" in error
    assert not store.exists()


def test_bad_lock_timeout_setting_is_one_line(tmp_path: Path, monkeypatch) -> None:
    doc = tmp_path / "alpha.csv"
    _tracker(doc, "Alpha plan", 3)
    monkeypatch.setenv("PARTNERMAP_LOCK_TIMEOUT", "nan")
    result = runner.invoke(app, ["--store", str(tmp_path / "g.json"), "load", str(doc)])
    assert result.exit_code == 2 and "PARTNERMAP_LOCK_TIMEOUT" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_reader_never_sees_a_partial_store(tmp_path: Path, tiny_graph) -> None:
    """While one thread rewrites the store, another reads it again and again: every read
    parses (a write goes to a temp file and is renamed into place)."""
    store = NetworkxStore(tmp_path / "graph.json")
    store.write(tiny_graph)
    stop = threading.Event()
    failures: list[str] = []

    def read_loop() -> None:
        reader = NetworkxStore(store.path)
        while not stop.is_set():
            try:
                assert len(reader.read()) == len(tiny_graph)
            except Exception as exc:
                failures.append(repr(exc))

    t = threading.Thread(target=read_loop)
    t.start()
    try:
        for _ in range(150):
            store.write(tiny_graph)
    finally:
        stop.set()
        t.join()
    assert failures == []


_KILLED_WRITER = """
import sys, time
from pathlib import Path
from graphmodel.files import write_atomic

def slow(tmp):
    with open(tmp, "wb") as fh:
        fh.write(b"x" * 100000)
        fh.flush()
        print("writing", flush=True)
        time.sleep(60)

write_atomic(Path(sys.argv[1]), slow)
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_temp_file_of_a_killed_writer_is_removed_by_the_next_write(tmp_path: Path, tiny_graph, sig) -> None:
    """kill -9 (or SIGTERM) during a store write leaves a temp file; the next write
    removes it, and the store itself was never touched."""
    path = tmp_path / "graph.json"
    store = NetworkxStore(path)
    store.write(tiny_graph)
    before = path.read_bytes()
    with subprocess.Popen(
        [sys.executable, "-c", _KILLED_WRITER, str(path)], cwd=REPO, stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
        proc.send_signal(sig)
        proc.wait(timeout=30)
    temps = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(temps) == 1 and path.read_bytes() == before
    # an older version's temp name (no pid) is stale too: nobody else holds the lock
    (tmp_path / ".graph.json.k2j9x_q1.tmp").write_bytes(b"{half")
    store.write(tiny_graph)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".graph.json.lock", "graph.json"]


def test_a_live_writers_temp_file_is_left_alone(tmp_path: Path) -> None:
    """Only a dead writer's temp file is stale: one named by a running process stays."""
    target = tmp_path / "view.html"
    live = tmp_path / f".view.html.{os.getppid()}.abcd1234.tmp"
    live.write_text("in progress", encoding="utf-8")
    write_atomic(target, "<p>page</p>")
    assert live.exists() and target.read_text(encoding="utf-8") == "<p>page</p>"


def test_lock_waits_for_the_other_writer_then_merges(tmp_path: Path, tiny_graph) -> None:
    """A writer holding the lock delays the second one, which then sees the first's work."""
    path = tmp_path / "graph.json"
    first, second = NetworkxStore(path), NetworkxStore(path)
    order: list[str] = []

    def hold() -> None:
        with first.locked():
            order.append("first in")
            time.sleep(0.5)
            first.write(tiny_graph)
            order.append("first out")

    t = threading.Thread(target=hold)
    t.start()
    time.sleep(0.1)
    with second.locked():
        order.append("second in")
        assert len(second.read()) == len(tiny_graph)
    t.join()
    assert order == ["first in", "first out", "second in"]
