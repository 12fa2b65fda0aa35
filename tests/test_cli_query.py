"""``partnermap query ...``: exit codes, JSON lists, one-line errors (JSON with --format json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from graphmodel.graph import PartnerGraph
from graphmodel.store import NetworkxStore

runner = CliRunner()


@pytest.fixture()
def store(tmp_path: Path, tiny_graph: PartnerGraph) -> Path:
    path = tmp_path / "graph.json"
    NetworkxStore(path).write(tiny_graph)
    return path


def run(store: Path, *args: str):
    return runner.invoke(app, ["--store", str(store), "query", *args])


def as_json(result) -> list:
    assert result.exit_code == 0, (result.output, result.stderr)
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


@pytest.mark.parametrize(
    "args",
    [
        ["dependencies"],
        ["duplicates"],
        ["partners"],
        ["coverage"],
        ["alignment"],
        ["due"],
        ["path", "Police", "SLaM"],
        ["search", "CAMHS"],
    ],
)
def test_every_query_prints_a_json_list(store: Path, args: list[str]) -> None:
    as_json(run(store, *args, "--format", "json"))


def test_dependencies_json_fields(store: Path) -> None:
    """Tiny graph: the knife-crime action 'Refer young people to CAMHS' relies on CAMHS, which
    the mental-health action 'Expand CAMHS crisis offer' provides (issue 14: the service and
    the providing action are named, not a body)."""
    rows = as_json(run(store, "dependencies", "--from", "knife crime", "--format", "json"))
    assert [r["action_id"] for r in rows] == ["action:kc-1"]
    r = rows[0]
    assert r["to_strategy"] == "Mental Health Strategy" and r["service"] == "CAMHS"
    assert r["targets"] == ["Expand CAMHS crisis offer"] and r["kind"] == "relies-on-service"
    assert 0 < r["score"] <= 1 and r["method"] and r["evidence"] and r["sources"][0] == "tiny.txt:3"


def test_nothing_found_is_an_empty_list(store: Path, tmp_path: Path) -> None:
    assert as_json(run(store, "duplicates", "--format", "json")) == []
    empty = tmp_path / "empty.json"
    NetworkxStore(empty).write(PartnerGraph())
    assert as_json(run(empty, "dependencies", "--format", "json")) == []
    assert as_json(run(store, "search", "xylophone quartet", "--format", "json")) == []


def test_table_and_csv(store: Path) -> None:
    result = run(store, "partners", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("name,kind,led,supported,resourced")
    result = run(store, "coverage")
    assert result.exit_code == 0 and "Recommendation coverage" in result.stdout and "action" in result.stdout


def test_coverage_and_due_content(store: Path) -> None:
    rows = as_json(run(store, "coverage", "--format", "json"))
    assert rows[0]["coverage"] == "action" and rows[0]["gap"] is False
    rows = as_json(run(store, "due", "--as-of", "2018-06-30", "--format", "json"))
    states = {r["action_id"]: r["state"] for r in rows}
    assert states == {"action:kc-1": "overdue", "action:mh-1": "due", "action:kc-2": "undated"}


@pytest.mark.parametrize(
    "args, words",
    [
        (["duplicates", "--threshold", "2"], "threshold must be between 0 and 1"),
        (["duplicates", "--scope", "sideways"], "scope must be one of"),
        (["due", "--before", "next tuesday"], "--before must be a date"),
        (["due", "--as-of", "2018-13-01"], "--as-of must be a date"),
        (["dependencies", "--from", "housing plan"], "candidates: "),
        (["dependencies", "--min-score", "1.5"], "min-score"),
        (["alignment", "--programme", "Integrated Care System"], "--programme"),
        (["path", "Police", "zzzz qqqq"], "no node matches B"),
        (["partners", "--top", "0"], "top must be at least 1"),
    ],
)
def test_bad_option_values_exit_2_with_one_sentence(store: Path, args: list[str], words: str) -> None:
    result = run(store, *args)
    assert result.exit_code == 2, (result.output, result.stderr)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in result.output
    assert result.stdout == ""
    result = run(store, *args, "--format", "json")
    assert result.exit_code == 2
    err = json.loads(result.stderr)
    assert err["ok"] is False and err["type"] == "InputError" and words in err["error"]
    assert result.stdout == ""


def test_query_help_lists_every_command() -> None:
    result = runner.invoke(app, ["query", "--help"])
    assert result.exit_code == 0
    for name in ("dependencies", "duplicates", "partners", "coverage", "alignment", "due", "path", "search"):
        assert name in result.stdout
