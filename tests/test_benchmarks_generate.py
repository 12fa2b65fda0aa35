"""The benchmark corpus generator: valid documents, consistent known answers, loaders read it back."""

from __future__ import annotations

import csv
import itertools
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import DOMAINS, generate
from benchmarks.run import Matcher, found_actions, norm
from graphmodel.schema import RecommendationRecord
from loaders import expand_paths, load_path

ACTIONS = 400


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("bench")
    answers = generate(out, actions=ACTIONS, seed=7, dup_rate=0.15, dep_rate=0.1)
    return out, answers


@pytest.fixture(scope="module")
def loaded(corpus: tuple[Path, dict[str, Any]]) -> list[Any]:
    out, _ = corpus
    return [r for p in expand_paths([out / "corpus"]) for r in load_path(p)]


def _lines(out: Path, name: str) -> list[str]:
    return (out / "corpus" / name).read_text(encoding="utf-8").split("\n")


def test_counts_and_files(corpus: tuple[Path, dict[str, Any]]) -> None:
    out, answers = corpus
    assert answers["counts"]["actions"] == len(answers["actions"]) == ACTIONS
    on_disk = sorted(p.name for p in (out / "corpus").iterdir())
    assert on_disk == sorted(d["name"] for d in answers["documents"])
    kinds = Counter(d["kind"] for d in answers["documents"])
    assert {"action_plan", "workstreams", "tracker", "recommendations"} <= set(kinds)
    assert sum(d["actions"] for d in answers["documents"]) == ACTIONS
    assert json.loads((out / "answers.json").read_text(encoding="utf-8")) == answers


def test_every_planted_action_is_where_answers_say(corpus: tuple[Path, dict[str, Any]]) -> None:
    """The line an answer cites holds the start of its text (a wrapped bullet starts there)."""
    out, answers = corpus
    for a in answers["actions"]:
        line = _lines(out, a["document"])[a["line"] - 1]
        if a["kind"] == "tracker":
            row = next(csv.reader([line]))
            assert row[2] == a["text"] and row[3] == a["lead"], a
        else:
            first = norm(line.split("\t")[3] if a["kind"] == "action_plan" else line)
            assert first and norm(a["text"]).startswith(first[:40]), (a, line)
            if a["kind"] == "action_plan":
                assert line.count("\t") >= 9 and a["lead"] in line


def test_action_plan_structure(corpus: tuple[Path, dict[str, Any]]) -> None:
    """Headers repeat within ~12 rows and continuation rows leave the leading cells empty."""
    out, answers = corpus
    plan = next(d for d in answers["documents"] if d["kind"] == "action_plan")
    lines = _lines(out, plan["name"])
    headers = [i for i, line in enumerate(lines) if line.startswith("Priority Area – ")]
    assert len(headers) >= 2
    rows_since = 0
    for line in lines[headers[0] :]:
        if line.startswith("Priority Area – "):
            rows_since = 0
        elif line.count("\t") >= 9:
            rows_since += 1
            assert rows_since <= 12
    assert any(line.startswith("\t\t\t") for line in lines), "no continuation rows"
    assert any(line.startswith("Strategic Outcome – ") for line in lines)
    assert "Glossary and Abbreviations" in lines


def test_duplicates_are_consistent(corpus: tuple[Path, dict[str, Any]]) -> None:
    _, answers = corpus
    by_id = {a["id"]: a for a in answers["actions"]}
    assert len(by_id) == ACTIONS
    pairs = answers["duplicate_pairs"]
    assert pairs and answers["counts"]["duplicate_pairs"] == len(pairs)
    for p in pairs:
        a, b = by_id[p["a"]], by_id[p["b"]]
        assert a["group"] == b["group"] and a["text"] != b["text"]
        assert a["slots"] == b["slots"]  # a reworded copy says the same thing
        assert p["scope"] == ("within" if a["strategy"] == b["strategy"] else "across")
    groups = {g for g in Counter(a["group"] for a in answers["actions"]).items() if g[1] > 1}
    assert len(groups) == len(answers["duplicate_groups"])
    assert sum(n * (n - 1) // 2 for _, n in groups) == len(pairs)
    scopes = Counter(p["scope"] for p in pairs)
    assert scopes["within"] and scopes["across"]


def test_non_duplicates_differ_in_at_least_three_slots(corpus: tuple[Path, dict[str, Any]]) -> None:
    """What makes precision against the planted pairs meaningful."""
    _, answers = corpus
    for a, b in itertools.combinations(answers["actions"], 2):
        if a["domain"] == b["domain"] and a["group"] != b["group"]:
            shared = sum(x == y for x, y in zip(a["slots"], b["slots"], strict=True))
            assert shared <= 3, (a["text"], b["text"])


def test_dependencies_are_consistent(corpus: tuple[Path, dict[str, Any]]) -> None:
    _, answers = corpus
    by_id = {a["id"]: a for a in answers["actions"]}
    deps = {d["action"]: d for d in answers["dependencies"]}
    assert {d["via"] for d in deps.values()} == {"mention", "lead"}
    assert {d["to_domain"] for d in deps.values()} == {"mental-health", "community-safety"}
    for aid, d in deps.items():
        a = by_id[aid]
        assert d["from_domain"] == a["domain"]
        assert (d["words"] in a["text"]) if d["via"] == "mention" else (a["lead"] == d["words"])
    # Actions without a planted dependency name no other-domain service and have no such lead.
    for a in answers["actions"]:
        if a["id"] in deps:
            continue
        vocab = DOMAINS[a["domain"]]
        words = [w[len("with ") :].replace("{trust}", "") for w in vocab["dep_w"]]
        assert not any(w in a["text"] for w in words), a["text"]


def test_deterministic(tmp_path: Path) -> None:
    one = generate(tmp_path / "a", actions=120, seed=3)
    two = generate(tmp_path / "b", actions=120, seed=3)
    other = generate(tmp_path / "c", actions=120, seed=4)
    assert one == two
    for name in (d["name"] for d in one["documents"]):
        assert (tmp_path / "a" / "corpus" / name).read_bytes() == (
            tmp_path / "b" / "corpus" / name
        ).read_bytes()
    assert one["actions"] != other["actions"]


def test_matcher_ignores_markup_and_bullets() -> None:
    m = Matcher({"actions": [{"id": "x", "document": "d.txt", "line": 5, "text": "Do a thing well."}]})
    assert m.match("d.txt", 5, 5, "<p>Do a thing  well</p>") == "x"
    assert m.match("d.txt", 4, 6, "\uf0b7 do a thing well.") == "x"
    assert m.match("d.txt", 6, 6, "Do a thing well.") is None
    assert m.match("d.txt", 5, 5, "Something else entirely") is None


@pytest.mark.parametrize("kind", ["action_plan", "workstreams", "tracker"])
def test_loaders_find_every_planted_action(
    corpus: tuple[Path, dict[str, Any]], loaded: list[Any], kind: str
) -> None:
    _, answers = corpus
    found = found_actions(answers, loaded)
    planted = [
        a
        for a in answers["actions"]
        if a["kind"]
        in {
            "action_plan": ("action_plan",),
            "workstreams": ("achievement", "objective"),
            "tracker": ("tracker",),
        }[kind]
    ]
    assert planted
    missing = [f"{a['document']}:{a['line']} {a['text'][:60]}" for a in planted if a["id"] not in found]
    assert not missing, f"{len(missing)} of {len(planted)} not loaded, e.g. {missing[:3]}"


def test_loaders_find_every_recommendation(corpus: tuple[Path, dict[str, Any]], loaded: list[Any]) -> None:
    _, answers = corpus
    got = {
        (r.source.document, r.number)
        for res in loaded
        for r in res.records
        if isinstance(r, RecommendationRecord)
    }
    want = {(r["document"], r["number"]) for r in answers["recommendations"]}
    assert want and want <= got
