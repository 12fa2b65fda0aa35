"""The command line: exit codes, one-line errors, JSON output, store left intact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from graphmodel.graph import PartnerGraph
from graphmodel.store import NetworkxStore

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env or {})


def _one_line_error(result, code: int) -> str:
    assert result.exit_code == code, (result.exit_code, result.output, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture()
def store(tmp_path: Path, tiny_graph: PartnerGraph) -> Path:
    path = tmp_path / "graph.json"
    NetworkxStore(path).write(tiny_graph)
    return path


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("partnermap ")


def test_stats_json_counts_by_kind(store: Path) -> None:
    result = run("--store", str(store), "stats", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    counts = {(r["what"], r["kind"]): r["count"] for r in rows}
    assert counts[("node", "Action")] == 3
    assert counts[("edge", "LEADS")] == 3


def test_store_from_environment(store: Path) -> None:
    result = run("stats", "--format", "csv", env={"PARTNERMAP_STORE": str(store)})
    assert result.exit_code == 0
    assert "node,Organisation,2" in result.stdout


def test_missing_file_is_exit_2_one_line(tmp_path: Path, store: Path) -> None:
    before = store.read_bytes()
    result = run("--store", str(store), "load", str(tmp_path / "nope.txt"))
    assert "does not exist" in _one_line_error(result, 2)
    assert store.read_bytes() == before


def test_unsupported_file_names_supported_kinds(tmp_path: Path, store: Path) -> None:
    # .pdf is read since issue 12; a PowerPoint file is not
    bad = tmp_path / "paper.pptx"
    bad.write_bytes(b"PK ...")
    result = run("--store", str(store), "load", str(bad))
    line = _one_line_error(result, 2)
    assert "unsupported file type .pptx" in line and ".txt" in line and ".xlsx" in line and ".pdf" in line


def test_corrupt_pdf_is_one_line_error(tmp_path: Path, store: Path) -> None:
    bad = tmp_path / "paper.pdf"
    bad.write_bytes(b"%PDF-1.4 ...")
    result = run("--store", str(store), "load", str(bad))
    assert "paper.pdf is not a readable PDF" in _one_line_error(result, 2)


def test_json_errors_go_to_stderr_as_an_object(tmp_path: Path, store: Path) -> None:
    result = run("--store", str(store), "load", str(tmp_path / "nope.txt"), "--format", "json")
    err = json.loads(_one_line_error(result, 2))
    assert err["ok"] is False and err["type"] == "InputError" and "nope.txt" in err["error"]
    assert result.stdout == ""


@pytest.mark.parametrize("content", ["{broken", '{"schema": "partnermap/9", "nodes": []}'])
def test_corrupt_or_future_store_is_exit_2(tmp_path: Path, content: str) -> None:
    path = tmp_path / "graph.json"
    path.write_text(content, encoding="utf-8")
    result = run("--store", str(path), "stats")
    _one_line_error(result, 2)
    assert path.read_text(encoding="utf-8") == content


def test_failed_load_leaves_store_untouched(tmp_path: Path, store: Path) -> None:
    before = store.read_bytes()
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run("--store", str(store), "load", str(empty))
    assert "empty" in _one_line_error(result, 2)
    assert store.read_bytes() == before


def test_usage_error_is_exit_2() -> None:
    result = run("stats", "--format", "yaml")
    assert result.exit_code == 2


def test_export_json_writes_partnermap_1(tmp_path: Path, store: Path) -> None:
    out = tmp_path / "out.json"
    result = run("--store", str(store), "export", "--format", "json", "--out", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "partnermap/1"
    assert len(data["nodes"]) == 11


def test_load_then_stats_on_the_seeds(tmp_path: Path, seed_paths: list[Path]) -> None:
    store = tmp_path / "s.json"
    result = run("--store", str(store), "load", *map(str, seed_paths), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["rows_read"] == report["rows_accounted"]
    assert {d["document"] for d in report["documents"]} == {p.name for p in seed_paths}
    again = run("--store", str(store), "load", *map(str, reversed(seed_paths)), "--format", "json")
    assert again.exit_code == 0
    assert json.loads(again.stdout)["counts"] == report["counts"]
