"""Loader cases: ``tests/loaders/cases/<name>/input.<ext>`` + ``expected.json``.

Each case loads its input with `loaders.load_path` (every loader the file type calls
for) and checks what ``expected.json`` lists; fields not listed are not compared.
Write the expectations by reading the input, never by pasting the loader's output.

Format (every key optional)::

    {"actions": [{"text": "...",                 # whitespace-normalised equality
                  "leads": [...], "supports": [...], "resources": [...],
                  "due": "...", "due_date": "2017-12-31" | null, "status": "...",
                  "level": "...", "strategy": "...", "path": ["name", ...],
                  "line": 12, "props": {"key": value}}],
     "action_count": 7,
     "priorities": [{"name": "...", "level": "..."}],
     "recommendations": [{"number": 3, "label": "3", "status": "...",
                          "references_count": 2, "text_startswith": "..."}],
     "recommendation_count": 31,
     "glossary": {"ABBR": "Expansion"}, "glossary_count": 5,
     "strategies": ["name", ...],
     "references": [{"strategy": "...", "target": "...", "relation": "REFERENCES"}],
     "reject_count": 0,
     "warning_kinds": ["stale-header"]}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graphmodel.schema import (
    ActionRecord,
    GlossaryRecord,
    PriorityRecord,
    RecommendationRecord,
    ReferenceRecord,
    StrategyRecord,
)
from loaders import load_path

CASES = Path(__file__).parent / "cases"


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "expected.json").is_file()) if CASES.is_dir() else []


def _norm(text: str) -> str:
    return " ".join(text.split())


def _action_view(a: ActionRecord) -> dict[str, Any]:
    return {
        "text": _norm(a.text),
        "leads": list(a.leads),
        "supports": list(a.supports),
        "resources": list(a.resources),
        "due": a.due,
        "due_date": a.due_date,
        "status": a.status,
        "level": a.level,
        "strategy": a.strategy,
        "path": [p.name for p in a.path],
        "line": a.source.line_start,
    }


def _check_actions(actions: list[ActionRecord], expected: list[dict[str, Any]]) -> list[str]:
    problems = []
    by_text: dict[str, list[ActionRecord]] = {}
    for a in actions:
        by_text.setdefault(_norm(a.text), []).append(a)
    for exp in expected:
        found = by_text.get(_norm(exp["text"]), [])
        if not found:
            problems.append(f"no action with text {exp['text']!r}")
            continue
        errors_per_candidate = []
        for a in found:
            view = _action_view(a)
            errs = [
                f"{k}: expected {v!r}, got {view[k]!r}"
                for k, v in exp.items()
                if k not in ("text", "props") and view.get(k) != v
            ]
            errs += [
                f"props.{k}: expected {v!r}, got {a.props.get(k)!r}"
                for k, v in exp.get("props", {}).items()
                if a.props.get(k) != v
            ]
            errors_per_candidate.append(errs)
        best = min(errors_per_candidate, key=len)
        if best:
            problems.append(f"action {exp['text'][:60]!r}: " + "; ".join(best))
    return problems


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_loader_case(case: Path) -> None:
    inputs = sorted(p for p in case.iterdir() if p.name.startswith("input."))
    assert len(inputs) == 1, f"{case.name}: expected exactly one input.* file"
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    results = load_path(inputs[0])
    records = [r for res in results for r in res.records]
    for res in results:
        assert res.rows_read == res.rows_accounted, f"{res.loader}: rows not accounted"
    actions = [r for r in records if isinstance(r, ActionRecord)]
    problems: list[str] = []
    if "action_count" in expected and len(actions) != expected["action_count"]:
        problems.append(f"action_count: expected {expected['action_count']}, got {len(actions)}")
    problems += _check_actions(actions, expected.get("actions", []))

    priorities = {(r.path[-1].name, r.path[-1].level) for r in records if isinstance(r, PriorityRecord)}
    priorities |= {(p.name, p.level) for a in actions for p in a.path}
    for p in expected.get("priorities", []):
        if not any(_norm(n) == _norm(p["name"]) and (p.get("level") in (None, lvl)) for n, lvl in priorities):
            problems.append(f"no priority {p}")

    recs = {r.number: r for r in records if isinstance(r, RecommendationRecord)}
    if "recommendation_count" in expected and len(recs) != expected["recommendation_count"]:
        problems.append(f"recommendation_count: expected {expected['recommendation_count']}, got {len(recs)}")
    for exp in expected.get("recommendations", []):
        rec = recs.get(exp["number"])
        if rec is None:
            problems.append(f"no recommendation {exp['number']}")
            continue
        if "label" in exp and rec.label != exp["label"]:
            problems.append(f"rec {exp['number']} label {rec.label!r}")
        if "status" in exp and rec.status != exp["status"]:
            problems.append(f"rec {exp['number']} status {rec.status!r}")
        if "references_count" in exp and len(rec.references) != exp["references_count"]:
            problems.append(f"rec {exp['number']} has {len(rec.references)} references")
        if "text_startswith" in exp and not _norm(rec.text).startswith(exp["text_startswith"]):
            problems.append(f"rec {exp['number']} text {rec.text[:60]!r}")

    gloss = {r.abbreviation: r.expansion for r in records if isinstance(r, GlossaryRecord)}
    for abbr, expansion in expected.get("glossary", {}).items():
        if _norm(gloss.get(abbr, "")) != _norm(expansion):
            problems.append(f"glossary {abbr!r}: got {gloss.get(abbr)!r}")
    if "glossary_count" in expected and len(gloss) != expected["glossary_count"]:
        problems.append(f"glossary_count: expected {expected['glossary_count']}, got {len(gloss)}")

    names = {_norm(r.name) for r in records if isinstance(r, StrategyRecord)}
    names |= {_norm(r.strategy) for r in records if hasattr(r, "strategy")}
    problems += [f"no strategy {s!r}" for s in expected.get("strategies", []) if _norm(s) not in names]

    refs = {
        (_norm(r.strategy), _norm(r.target), r.relation) for r in records if isinstance(r, ReferenceRecord)
    }
    for exp in expected.get("references", []):
        key = (_norm(exp["strategy"]), _norm(exp["target"]), exp.get("relation", "REFERENCES"))
        if key not in refs:
            problems.append(f"no reference {key}")

    rejects = [x for res in results for x in res.rejects]
    if "reject_count" in expected and len(rejects) != expected["reject_count"]:
        problems.append(
            f"reject_count: expected {expected['reject_count']}, got {len(rejects)}: "
            f"{[x.reason for x in rejects][:5]}"
        )
    kinds = {w.kind for res in results for w in res.warnings}
    problems += [f"no warning of kind {k!r}" for k in expected.get("warning_kinds", []) if k not in kinds]
    assert not problems, f"{case.name}:\n  " + "\n  ".join(problems)
