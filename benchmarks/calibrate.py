"""Precision and recall of the inferred links on pairs labelled by reading the seed papers.

``python -m benchmarks.calibrate [--sweep]`` loads the seeds, matches every labelled pair
of ``tests/labels/duplicates.yaml`` (and dependency of ``tests/labels/dependencies.yaml``)
to the graph's actions, and prints precision / recall per type at the default thresholds;
``--sweep`` also prints them over a range of thresholds (how the defaults were chosen).
tests/queries/test_calibration.py keeps the measured figures from dropping.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from graphmodel.graph import PartnerGraph
from graphmodel.schema import NodeKind
from queries._base import normalise, own_text
from queries.duplicates import DEFAULT_THRESHOLD, TYPES, analysis

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "labels"
SEEDS = (ROOT / "data" / "000_69c1f70b9380e9e0.txt", ROOT / "data" / "002_bf875e7a520b882d.txt")


def seed_graph() -> PartnerGraph:
    """The graph of the two seed papers, without inferred links."""
    from cli.ingest import build, read_paths

    return build(read_paths(list(SEEDS)), infer=False).graph


def load_labels(name: str) -> list[dict[str, Any]]:
    """The labelled rows of ``tests/labels/<name>.yaml``."""
    data = yaml.safe_load((LABELS / f"{name}.yaml").read_text(encoding="utf-8"))
    return list(data["pairs"] if "pairs" in data else data["dependencies"])


def find_action(graph: PartnerGraph, ref: dict[str, Any]) -> str:
    """The action a label cites: its document, a line it covers, and its opening words (in
    its own text or its Actions cell). Raises `LookupError` when none or several match."""
    want = normalise(str(ref["text"]))[:50]
    line = int(ref["line"])
    hits = []
    for n in graph.nodes(NodeKind.ACTION):
        s = n.source
        if s.document != ref["document"] or not s.line_start <= line <= s.line_end:
            continue
        texts = [own_text(n), str(n.props.get("actions_text") or "")]
        if any(want and want in normalise(t) for t in texts):
            hits.append((s.line_start, n.id))
    if not hits:
        raise LookupError(f"no action at {ref['document']}:{line} starting {ref['text']!r}")
    return sorted(hits)[0][1]


@dataclass
class Scores:
    """Precision / recall / support of one type."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "support": self.tp + self.fn,
        }


def duplicate_scores(
    graph: PartnerGraph, labels: list[dict[str, Any]], threshold: float = DEFAULT_THRESHOLD
) -> dict[str, Scores]:
    """Per type (and ``any``: duplicate or not, whatever the type) scores of the labels."""
    an = analysis(graph)
    rep_of: dict[tuple[str, str], str] = {}  # (level, unit or row) -> representative
    relation: dict[tuple[str, str], str] = {}
    kinds: dict[tuple[str, str], set[str]] = {}  # (level, representative) -> relations in its group
    for x in an.links(threshold):
        rep_of[(x.level, x.member)] = x.rep
        rep_of.setdefault((x.level, x.rep), x.rep)
        relation[(x.level, x.member)] = x.relation
        kinds.setdefault((x.level, x.rep), set()).add(x.relation)
    unit_of = {r: u.id for u in an.top.units for r in u.rows}
    out = {t: Scores() for t in (*TYPES, "any")}
    for p in labels:
        a, b = find_action(graph, p["a"]), find_action(graph, p["b"])
        ka, kb, level = unit_of.get(a, a), unit_of.get(b, b), "unit"
        if ka == kb:  # two rows compared as one cell: steps, or the aim split over leads
            ka, kb, level = a, b, "row"
        ra, rb = rep_of.get((level, ka)), rep_of.get((level, kb))
        predicted = "none"
        if ra is not None and ra == rb:
            rels = [relation[(level, k)] for k in (ka, kb) if (level, k) in relation]
            same = normalise(an.units[ka].text) == normalise(an.units[kb].text)
            group = kinds[(level, ra)]  # a pair in a group is of the group's type (exact: same words)
            predicted = "exact" if same and "shared-aim" not in rels else next(t for t in TYPES if t in group)
        truth = p["label"]
        for t in TYPES:
            if truth == t and predicted == t:
                out[t].tp += 1
            elif truth == t:
                out[t].fn += 1
            elif predicted == t:
                out[t].fp += 1
        if truth != "none" and predicted != "none":
            out["any"].tp += 1
        elif truth != "none":
            out["any"].fn += 1
        elif predicted != "none":
            out["any"].fp += 1
    return out


def dependency_scores(
    graph: PartnerGraph, labels: list[dict[str, Any]], min_score: float
) -> dict[str, Scores]:
    """Scores of the labelled dependencies (``any`` and per kind a reader gave; a predicted
    link of any kind counts as found)."""
    from queries.dependencies import KINDS, inferred_dependencies

    an = analysis(graph)
    unit_of = {r: u.id for u in an.top.units for r in u.rows}
    found: dict[tuple[str, str], str] = {}
    for d in inferred_dependencies(graph):
        if d.score >= min_score - 1e-9:
            found[(d.source, d.target)] = d.kind
    out = {k: Scores() for k in (*KINDS, "any")}
    for p in labels:
        a = unit_of.get(x := find_action(graph, p["from"]), x)
        if "to_strategy" in p:
            hits = [
                t for s, t in found if s == a and p["to_strategy"].casefold() in _strategy_label(graph, t)
            ]
            predicted = bool(hits)
        else:
            b = unit_of.get(y := find_action(graph, p["to"]), y)
            predicted = (a, b) in found
        truth = p["label"] == "depends"
        for key in ("any", p.get("kind")):
            if key not in out:
                continue
            s = out[key]
            if truth and predicted:
                s.tp += 1
            elif truth:
                s.fn += 1
            elif predicted:
                s.fp += 1
        if not truth and predicted:
            pass  # a false link is counted under "any" only: a reader gave it no kind
    return out


def _strategy_label(graph: PartnerGraph, action: str) -> str:
    sid = graph.strategy_of(action)
    return graph.node(sid).label.casefold() if sid else ""


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sweep", action="store_true", help="also print scores over thresholds")
    args = ap.parse_args(argv)
    graph = seed_graph()
    labels = load_labels("duplicates")
    report: dict[str, Any] = {
        "duplicates": {
            "threshold": DEFAULT_THRESHOLD,
            "pairs": len(labels),
            **{k: v.as_dict() for k, v in duplicate_scores(graph, labels).items()},
        }
    }
    from queries.dependencies import DEFAULT_MIN_SCORE

    deps = load_labels("dependencies")
    report["dependencies"] = {
        "min_score": DEFAULT_MIN_SCORE,
        "labelled": len(deps),
        **{k: v.as_dict() for k, v in dependency_scores(graph, deps, DEFAULT_MIN_SCORE).items()},
    }
    if args.sweep:
        report["dependencies_sweep"] = {
            f"{t:.2f}": {k: v.as_dict() for k, v in dependency_scores(graph, deps, t).items()}
            for t in [x / 100 for x in range(30, 75, 5)]
        }
    if args.sweep:
        report["duplicates_sweep"] = {
            f"{t:.2f}": {k: v.as_dict() for k, v in duplicate_scores(graph, labels, t).items()}
            for t in [x / 100 for x in range(45, 90, 3)]
        }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
