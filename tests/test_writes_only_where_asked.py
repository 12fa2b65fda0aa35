"""Every command writes only the paths the user named (--store / --out).

Each command runs in an empty working directory with HOME pointed at another empty
directory; afterwards the only new files are under the paths given on the command
line, nothing appears in the working directory, HOME or the source tree (pyvis, for
one, writes a ``lib/`` folder into the working directory unless told not to).
"""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from graphmodel.paths import DATA_DIR

runner = CliRunner()
REPO = Path(__file__).resolve().parents[1]
# caches that Python and the test tools keep in the tree; not written by partnermap
_CACHES = {"__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache", ".venv", ".git"}
# what a stray write by partnermap would look like (other engineers edit sources meanwhile)
_OUTPUT_SUFFIXES = {".json", ".html", ".xlsx", ".csv", ".graphml", ".gexf", ".cypher", ".png", ".js", ".css"}


def _files(root: Path) -> set[Path]:
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in _CACHES]
        out.update(Path(dirpath, f).relative_to(root) for f in filenames)
    return out


def _repo_outputs() -> set[Path]:
    return {p for p in _files(REPO) if p.suffix in _OUTPUT_SUFFIXES and p.parts[0] != "tests"}


@pytest.fixture()
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An empty cwd and HOME, and where the named outputs go."""
    cwd, home, out = tmp_path / "cwd", tmp_path / "home", tmp_path / "out"
    for d in (cwd, home, out):
        d.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("PARTNERMAP_STORE", raising=False)
    monkeypatch.delenv("PARTNERMAP_BACKEND", raising=False)
    return cwd, home, out


def _run(*args: str) -> None:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (args, result.output, result.stderr)


def test_every_command_writes_only_where_asked(sandbox) -> None:
    cwd, home, out = sandbox
    repo_before = _repo_outputs()
    store = str(out / "store" / "graph.json")
    seed = str(sorted(DATA_DIR.glob("*.txt"))[0])

    _run("--store", store, "load", seed, "--format", "json")
    _run("--store", store, "stats", "--format", "json")
    _run("--store", store, "query", "partners", "--format", "json")
    # the Cypher exporter arrives with the Neo4j store; test it once it is there
    formats = ("json", "graphml", "gexf", *(("cypher",) if find_spec("graphmodel.cypher") else ()))
    for fmt in formats:
        _run("--store", store, "export", "--format", fmt, "--out", str(out / f"export.{fmt}"))
    _run("--store", store, "export", "--format", "csv", "--out", str(out / "csv"))
    _run("--store", store, "viz", "--view", "overview", "--out", str(out / "views" / "o.html"))
    _run("--store", store, "report", "--out", str(out / "site"))
    _run("template", "--out", str(out / "tracker.xlsx"))
    _run("demo", "--out", str(out / "demo"))  # no --store: its store goes inside --out

    assert _files(cwd) == set(), "written into the working directory"
    assert _files(home) == set(), "written into HOME"
    assert _repo_outputs() == repo_before, "written into the source tree"
    written = {p.parts[0] for p in _files(out)}
    assert written == {
        "store",
        *(f"export.{f}" for f in formats),
        "csv",
        "views",
        "site",
        "tracker.xlsx",
        "demo",
    }
    # no temp files; the writers' lock file stays beside the store (deleting it would race)
    assert {p.name for p in (out / "store").iterdir()} == {"graph.json", ".graph.json.lock"}
    assert (out / "demo" / "graph.json").is_file()
    assert {p.name for p in (out / "views").iterdir()} == {"o.html"}  # no lib/ beside it


def test_default_store_is_under_the_working_directory_only(sandbox) -> None:
    """Without --store, load writes .partnermap/graph.json in the cwd and nowhere else."""
    cwd, home, _ = sandbox
    repo_before = _repo_outputs()
    _run("load", str(sorted(DATA_DIR.glob("*.txt"))[0]), "--format", "json")
    assert _files(cwd) == {Path(".partnermap/graph.json"), Path(".partnermap/.graph.json.lock")}
    assert _files(home) == set()
    assert _repo_outputs() == repo_before
