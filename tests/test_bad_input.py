"""Bad input: each case gives one clear error or a loaded graph with the problems reported.

Never a traceback, and a failed load leaves the previous store byte-for-byte intact.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from graphmodel.store import NetworkxStore
from loaders.text import read_text_document

runner = CliRunner()


def load(store: Path, *paths: Path, fmt: str = "json"):
    return runner.invoke(app, ["--store", str(store), "load", *map(str, paths), "--format", fmt])


@pytest.fixture()
def store(tmp_path: Path, tiny_graph) -> Path:
    path = tmp_path / "store" / "graph.json"
    NetworkxStore(path).write(tiny_graph)
    return path


def _error(result) -> dict:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.output + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \n\n\t\n", "is empty"),
        ("binary.txt", bytes(range(256)) * 40, "binary"),
        ("nul.md", b"Action plan\x00\x00\x01\x02", "binary"),
    ],
)
def test_unreadable_documents_are_refused(
    tmp_path: Path, store: Path, name: str, content: bytes, message: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    before = store.read_bytes()
    err = _error(load(store, bad))
    assert message in err["error"] and err["type"] == "InputError"
    assert store.read_bytes() == before


def test_cp1252_text_loads_without_mojibake(tmp_path: Path) -> None:
    text = "Budget \u00a352,694 for the \u201cWellbeing Hub\u201d \u2013 King\u2019s College Hospital"
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.encode("cp1252"))
    doc = read_text_document(path)
    assert doc.encoding == "cp1252"
    assert doc.lines[0] == text


def test_utf8_bom_and_crlf_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffFirst line\r\nSecond \u00a3 line\r\n".encode())
    doc = read_text_document(path)
    assert doc.lines[:2] == ("First line", "Second \u00a3 line")


def test_one_bad_file_among_good_ones_loads_nothing(
    tmp_path: Path, store: Path, seed_paths: list[Path]
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02")
    before = store.read_bytes()
    _error(load(store, seed_paths[0], bad))
    assert store.read_bytes() == before


def test_directory_of_mixed_files_loads_supported_and_reports_the_rest(
    tmp_path: Path, store: Path, seed_paths: list[Path]
) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / seed_paths[0].name).write_bytes(seed_paths[0].read_bytes())
    (folder / "minutes.pptx").write_bytes(b"PK")  # .pdf is read since issue 12
    (folder / "photo.png").write_bytes(b"\x89PNG")
    result = load(store, folder)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert {s["file"].rsplit("/", 1)[-1] for s in report["skipped"]} == {"minutes.pptx", "photo.png"}
    assert [d["document"] for d in report["documents"]] == [seed_paths[0].name]


def test_two_files_with_the_same_name_are_refused(
    tmp_path: Path, store: Path, seed_paths: list[Path]
) -> None:
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "paper.txt").write_bytes(seed_paths[0].read_bytes())
    err = _error(load(store, tmp_path / "a" / "paper.txt", tmp_path / "b" / "paper.txt"))
    assert "share the name paper.txt" in err["error"]


def test_same_inputs_give_a_byte_identical_store(tmp_path: Path, seed_paths: list[Path]) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert load(a, *seed_paths).exit_code == 0
    assert load(b, *reversed(seed_paths)).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    assert load(a, *seed_paths).exit_code == 0  # loading again merges to the same graph
    assert a.read_bytes() == b.read_bytes()
