"""Every file partnermap writes: atomic, never through a symlink, with the user's umask,
never over a read-only file, and every failure one line with exit code 2."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from graphmodel import files
from graphmodel.errors import OutputError
from graphmodel.graph import PartnerGraph
from graphmodel.store import NetworkxStore

runner = CliRunner()


@pytest.fixture()
def store(tmp_path: Path, tiny_graph) -> Path:
    path = tmp_path / "store" / "graph.json"
    NetworkxStore(path).write(tiny_graph)
    return path


def one_line(result, code: int = 2) -> str:
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def _commands(store: Path, out: Path) -> dict[str, list[str]]:
    """Each writing command, aimed at ``out``."""
    s = ["--store", str(store)]
    return {
        "export-json": [*s, "export", "--format", "json", "--out", str(out)],
        "export-graphml": [*s, "export", "--format", "graphml", "--out", str(out)],
        "export-cypher": [*s, "export", "--format", "cypher", "--out", str(out)],
        "viz": [*s, "viz", "--view", "overview", "--out", str(out)],
        "template": ["template", "--out", str(out)],
    }


FILE_COMMANDS = ["export-json", "export-graphml", "export-cypher", "viz", "template"]


# ------------------------------------------------------------------ symlinks
@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_outputs_never_write_through_a_symlink(tmp_path: Path, store: Path, command: str) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    link = tmp_path / "out.file"
    link.symlink_to(victim)
    line = one_line(runner.invoke(app, _commands(store, link)[command]))
    assert "symbolic link" in line
    assert victim.read_text(encoding="utf-8") == "precious" and link.is_symlink()


def test_report_pages_never_write_through_a_symlink(tmp_path: Path, store: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    victim = tmp_path / "victim.html"
    victim.write_text("precious", encoding="utf-8")
    (site / "index.html").symlink_to(victim)
    line = one_line(runner.invoke(app, ["--store", str(store), "report", "--out", str(site)]))
    assert "symbolic link" in line and victim.read_text(encoding="utf-8") == "precious"


def test_a_symlinked_store_is_refused_not_replaced(tmp_path: Path, store: Path) -> None:
    link = tmp_path / "linked.json"
    link.symlink_to(store)
    before = store.read_bytes()
    doc = tmp_path / "t.csv"
    doc.write_text("Action,Lead\nRun a survey,Council\n", encoding="utf-8")
    line = one_line(runner.invoke(app, ["--store", str(link), "load", str(doc)]))
    assert "symbolic link" in line
    assert link.is_symlink() and store.read_bytes() == before


# ------------------------------------------------------------------ protection and mode
def test_a_read_only_store_is_refused_not_replaced(tmp_path: Path, store: Path) -> None:
    store.chmod(0o444)
    before = store.read_bytes()
    doc = tmp_path / "t.csv"
    doc.write_text("Action,Lead\nRun a survey,Council\n", encoding="utf-8")
    line = one_line(runner.invoke(app, ["--store", str(store), "load", str(doc)]))
    assert "read-only" in line
    assert store.read_bytes() == before and stat.S_IMODE(store.stat().st_mode) == 0o444


@pytest.mark.parametrize("umask, expected", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_new_files_follow_the_umask(tmp_path: Path, tiny_graph, umask: int, expected: int) -> None:
    old = os.umask(umask)
    try:
        NetworkxStore(tmp_path / "graph.json").write(tiny_graph)
        files.write_atomic(tmp_path / "page.html", "<p>x</p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "graph.json").stat().st_mode) == expected
    assert stat.S_IMODE((tmp_path / "page.html").stat().st_mode) == expected


def test_a_rewrite_keeps_the_files_mode(tmp_path: Path, store: Path, tiny_graph) -> None:
    store.chmod(0o640)
    NetworkxStore(store).write(tiny_graph)
    assert stat.S_IMODE(store.stat().st_mode) == 0o640


# ------------------------------------------------------------------ folders in the way
@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_a_path_under_a_file_is_one_line(tmp_path: Path, store: Path, command: str) -> None:
    blocker = tmp_path / "plain.txt"
    blocker.write_text("x", encoding="utf-8")
    line = one_line(runner.invoke(app, _commands(store, blocker / "sub" / "out.file")[command]))
    assert "plain.txt" in line


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--out", "{file}"],
        ["export", "--format", "csv", "--out", "{file}"],
    ],
)
def test_an_existing_file_where_a_folder_is_needed_is_one_line(
    tmp_path: Path, store: Path, args: list[str]
) -> None:
    blocker = tmp_path / "plain.txt"
    blocker.write_text("keep", encoding="utf-8")
    argv = ["--store", str(store), *[a.replace("{file}", str(blocker)) for a in args]]
    one_line(runner.invoke(app, argv))
    assert blocker.read_text(encoding="utf-8") == "keep"


@contextlib.contextmanager
def _mounted_tmpfs(where: Path, options: str) -> Iterator[Path]:
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()[:80]})")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


@pytest.fixture()
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder this process cannot write into (a read-only tmpfs when running as root)."""
    if os.geteuid() != 0:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
    else:
        with _mounted_tmpfs(tmp_path / "ro", "ro,size=64k") as folder:
            yield folder


@pytest.mark.parametrize("command", FILE_COMMANDS)
def test_a_read_only_folder_is_one_line(read_only_folder: Path, store: Path, command: str) -> None:
    line = one_line(runner.invoke(app, _commands(store, read_only_folder / "out.file")[command]))
    assert "cannot write" in line or "read-only" in line


# ------------------------------------------------------------------ full disk
@pytest.fixture()
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    with _mounted_tmpfs(tmp_path / "tiny", "size=16k") as folder:
        yield folder


def _fill(path: Path) -> None:
    """Use up what space is left on the device of ``path``."""
    with path.open("wb", buffering=0) as fh, contextlib.suppress(OSError):
        while True:
            fh.write(b"\0" * 512)


@pytest.mark.parametrize("command", ["export-json", "export-graphml", "viz", "template"])
def test_a_full_disk_keeps_the_old_file_and_is_one_line(
    tiny_disk: Path, seed_graph, tmp_path: Path, command: str
) -> None:
    """A real full disk (a 16 KB tmpfs): the old output stays whole, no temp file is left."""
    store = tmp_path / "seed.json"
    NetworkxStore(store).write(seed_graph)
    out = tiny_disk / "out.file"
    out.write_text("old output\n", encoding="utf-8")
    _fill(tiny_disk / "filler")
    line = one_line(runner.invoke(app, _commands(store, out)[command]))
    assert "no space left" in line
    assert out.read_text(encoding="utf-8") == "old output\n"
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", "out.file"]


def test_report_on_a_full_disk_leaves_no_empty_index(tiny_disk: Path, seed_graph, tmp_path: Path) -> None:
    store = tmp_path / "seed.json"
    NetworkxStore(store).write(seed_graph)
    line = one_line(runner.invoke(app, ["--store", str(store), "report", "--out", str(tiny_disk / "site")]))
    assert "no space left" in line
    for page in (tiny_disk / "site").glob("*"):
        assert page.suffix == ".html" and page.stat().st_size > 0  # whole pages only, no temp files


def test_store_on_a_full_disk_is_one_line(tmp_path: Path, store: Path, monkeypatch) -> None:
    """Same on any machine (no mount needed): the write fails with ENOSPC mid-way."""
    before = store.read_bytes()

    def full(*_a: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    doc = tmp_path / "t.csv"
    doc.write_text("Action,Lead\nRun a survey,Council\n", encoding="utf-8")
    line = one_line(runner.invoke(app, ["--store", str(store), "load", str(doc), "--format", "json"]))
    assert "no space left" in json.loads(line)["error"] and json.loads(line)["type"] == "StoreError"
    assert store.read_bytes() == before
    assert sorted(p.name for p in store.parent.iterdir()) == [".graph.json.lock", "graph.json"]


def test_write_atomic_errors_are_output_errors(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        files.write_atomic(tmp_path / "d", "x")
    with pytest.raises(OutputError, match="is a folder"):
        NetworkxStore(tmp_path / "d").write(PartnerGraph())


def test_png_screenshots_never_write_through_a_symlink(tmp_path: Path, monkeypatch) -> None:
    """`report --png`: the screenshot is taken into a private folder, then moved into
    place by write_atomic, so a symlinked ``<page>.png`` is refused and its target kept."""
    from viz import report as rep

    page = tmp_path / "index.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    victim = tmp_path / "victim.png"
    victim.write_bytes(b"keep")
    (tmp_path / "index.png").symlink_to(victim)

    def fake_chromium(cmd: list[str], **_kw: object) -> None:
        shot = next(a.split("=", 1)[1] for a in cmd if a.startswith("--screenshot="))
        Path(shot).write_bytes(b"\x89PNG\r\n\x1a\nfake")

    monkeypatch.setattr(rep.subprocess, "run", fake_chromium)
    with pytest.raises(OutputError, match="symbolic link"):
        rep.screenshot("chromium", [page])
    assert victim.read_bytes() == b"keep"
    (tmp_path / "index.png").unlink()
    assert rep.screenshot("chromium", [page]) == [tmp_path / "index.png"]
    assert (tmp_path / "index.png").read_bytes().startswith(b"\x89PNG")
