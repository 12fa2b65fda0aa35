"""Precision and recall of the inferred links on pairs labelled by reading real papers.

``python -m benchmarks.calibrate [--sweep]`` loads each labelled corpus (`CORPORA`: the two
Southwark seeds; four West Sussex strategies; one smokefree plan in two documents; Kent's ICS
delivery plan appendix), matches every labelled pair of ``tests/labels/duplicates.yaml`` (and
dependency of ``tests/labels/dependencies.yaml``) to the graph's actions, and prints precision
/ recall per type, per corpus and over all corpora, at the default thresholds;
``--sweep`` also prints them over a range of thresholds and overlapping-objective weights
(how the defaults were chosen). tests/queries/test_calibration.py keeps the measured
figures from dropping.

Dependencies are scored per kind both ways: recall over the dependencies a reader gave that
kind, precision over the links the tool gave that kind (a link on a pair a reader labelled
``none`` is a false positive of the kind the tool gave it). A labelled action the loaders do
not read as an action is counted as ``unmatched`` (and in ``recall_all``), never dropped.
"""

from __future__ import annotations

import argparse
import importlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
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
REAL = ROOT / "tests" / "loaders" / "real"
CORPUS = ROOT.parent / "shared" / "corpus"  # ../shared/corpus beside the repository (see its README)
#: labelled corpora: name -> (files, area given for all of them as with ``--area``, or None
#: to read it from each document). The West Sussex papers are four strategies of one county
#: (origin: tests/loaders/real/README.md); each one's area is read from its own text (the
#: smokefree plan's too, though it names "Western Sussex" Hospitals more often than its county).
CORPORA: dict[str, tuple[tuple[Path, ...], str | None]] = {
    "seeds": (SEEDS, None),
    "west-sussex": (
        (
            REAL / "sfws_action_plan_2022.docx",
            REAL / "west_sussex_dap_progress_2024.txt",
            REAL / "wsx_suicide_prevention_strategy_2017-2020.pdf",
            REAL / "wsx_joint_dementia_strategy_2020-2023.pdf",
        ),
        None,
    ),
    # the Smoke Free West Sussex Partnership's 2019-22 plan in two documents, its 2020 tracker
    # and its 2022 overview (the overview is also in "west-sussex"; a pair's first side is the
    # tracker): duplicate labels only, across documents
    "smokefree": ((REAL / "sfws_actionplan_raw_2020.csv", REAL / "sfws_action_plan_2022.docx"), None),
    # Kent County Council's ICS delivery plan appendix B (8 divisions' tables of actions and
    # targets): duplicate labels only, within the one document
    "kent": ((CORPUS / "kent_ics-delivery-plan_appendixB_priorities-and-actions.pdf",), None),
}


def corpus_graph(name: str) -> PartnerGraph:
    """The graph of one labelled corpus (`CORPORA`), without inferred links."""
    from cli.ingest import build, read_paths

    files, area = CORPORA[name]
    return build(read_paths(list(files), area=area), infer=False).graph


def present(name: str) -> bool:
    """Whether every file of a labelled corpus is on this machine (../shared may be absent)."""
    return all(f.is_file() for f in CORPORA[name][0])


def seed_graph() -> PartnerGraph:
    """The graph of the two seed papers, without inferred links."""
    return corpus_graph("seeds")


def corpus_of(label: dict[str, Any]) -> str:
    """The corpus whose files a labelled pair cites (by its first side's document)."""
    doc = str((label.get("from") or label.get("a") or {}).get("document", ""))
    return next((name for name, (files, _) in CORPORA.items() if doc in {f.name for f in files}), "")


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
    unmatched: int = 0  # labelled dependencies with an action the loaders do not read as one

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def recall_all(self) -> float:
        """Recall counting the unmatched labelled dependencies as missed."""
        n = self.tp + self.fn + self.unmatched
        return self.tp / n if n else 1.0

    def __add__(self, other: Scores) -> Scores:
        return Scores(
            self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.unmatched + other.unmatched
        )

    def as_dict(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "support": self.tp + self.fn,
        }
        if self.unmatched:
            out["unmatched"] = self.unmatched
            out["recall_all"] = round(self.recall_all, 3)
        return out


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


def all_duplicate_scores(
    graphs: dict[str, PartnerGraph], labels: list[dict[str, Any]], threshold: float = DEFAULT_THRESHOLD
) -> dict[str, Scores]:
    """`duplicate_scores` over every corpus of ``graphs`` (by name), summed per type."""
    total: dict[str, Scores] = {}
    for name, graph in graphs.items():
        mine = [p for p in labels if corpus_of(p) == name]
        for k, v in duplicate_scores(graph, mine, threshold).items():
            total[k] = total.get(k, Scores()) + v
    return total


def dependency_scores(
    graph: PartnerGraph, labels: list[dict[str, Any]], min_score: float, deps: list[Any] | None = None
) -> dict[str, Scores]:
    """Scores of the labelled dependencies whose documents ``graph`` holds: ``any`` (a
    predicted link of any kind counts as found) and per kind (recall over the reader's kind,
    precision over the tool's kind: a link on a pair labelled ``none`` is a false positive of
    the kind the tool gave it)."""
    from queries.dependencies import KINDS, inferred_dependencies

    documents = {n.source.document for n in graph.nodes(NodeKind.ACTION)}
    labels = [p for p in labels if p["from"]["document"] in documents]
    an = analysis(graph)
    unit_of = {r: u.id for u in an.top.units for r in u.rows}
    found: dict[tuple[str, str], str] = {}
    for d in inferred_dependencies(graph) if deps is None else deps:
        if d.score >= min_score - 1e-9:
            found[(d.source, d.target)] = d.kind
    out = {k: Scores() for k in (*KINDS, "any")}
    for p in labels:
        truth = p["label"] == "depends"
        try:
            a = unit_of.get(x := find_action(graph, p["from"]), x)
            b = None if "to_strategy" in p else unit_of.get(y := find_action(graph, p["to"]), y)
        except LookupError:
            if truth:  # the loaders do not read one side as an action: missed, but not by the scorer
                for key in ("any", p.get("kind")):
                    if key in out:
                        out[key].unmatched += 1
            continue
        if b is None:
            kinds = [
                k
                for (s, t), k in found.items()
                if s == a and p["to_strategy"].casefold() in _strategy_label(graph, t)
            ]
        else:
            kinds = [found[(a, b)]] if (a, b) in found else []
        predicted = bool(kinds)
        if truth:
            for key in ("any", p.get("kind")):
                if key in out:
                    if predicted:
                        out[key].tp += 1
                    else:
                        out[key].fn += 1
        elif predicted:
            out["any"].fp += 1
            for k in set(kinds):
                out[k].fp += 1
    return out


def all_dependency_scores(
    graphs: dict[str, PartnerGraph],
    labels: list[dict[str, Any]],
    min_score: float,
    deps: dict[str, list[Any]] | None = None,
) -> dict[str, Scores]:
    """`dependency_scores` over every corpus of ``graphs`` (by name), summed per kind."""
    total: dict[str, Scores] = {}
    for name, graph in graphs.items():
        mine = [p for p in labels if corpus_of(p) == name]
        for k, v in dependency_scores(graph, mine, min_score, (deps or {}).get(name)).items():
            total[k] = total.get(k, Scores()) + v
    return total


def _strategy_label(graph: PartnerGraph, action: str) -> str:
    sid = graph.strategy_of(action)
    return graph.node(sid).label.casefold() if sid else ""


@contextmanager
def constants(**values: float) -> Iterator[None]:
    """``queries.dependencies`` with other values of its scoring constants (``W_OVERLAP=0.2``;
    for the sweep only: the defaults are restored after)."""
    dep = importlib.import_module("queries.dependencies")  # the package re-exports a function of that name
    saved = {k: getattr(dep, k) for k in values}
    for k, v in values.items():
        setattr(dep, k, v)
    try:
        yield
    finally:
        for k, v in saved.items():
            setattr(dep, k, v)


def _short(v: Scores) -> str:
    return f"P {v.precision:.2f} R {v.recall:.2f} (tp {v.tp} fp {v.fp} fn {v.fn})"


def _table(scores: dict[str, Scores]) -> dict[str, dict[str, float | int]]:
    return {k: v.as_dict() for k, v in scores.items()}


def main(argv: list[str] | None = None) -> None:
    from queries.dependencies import DEFAULT_MIN_SCORE, OVERLAP_MIN, W_OVERLAP, inferred_dependencies

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sweep", action="store_true", help="also print scores over thresholds")
    args = ap.parse_args(argv)
    graphs = {name: corpus_graph(name) for name in CORPORA if present(name)}
    labels = [p for p in load_labels("duplicates") if corpus_of(p) in graphs]
    report: dict[str, Any] = {
        "duplicates": {
            "threshold": DEFAULT_THRESHOLD,
            "pairs": len(labels),
            "all": _table(all_duplicate_scores(graphs, labels)),
            **{
                name: _table(duplicate_scores(g, [p for p in labels if corpus_of(p) == name]))
                for name, g in graphs.items()
            },
        }
    }
    deps = load_labels("dependencies")
    report["dependencies"] = {
        "min_score": DEFAULT_MIN_SCORE,
        "w_overlap": W_OVERLAP,
        "overlap_min": OVERLAP_MIN,
        "labelled": len(deps),
        "depends": sum(p["label"] == "depends" for p in deps),
        "all": _table(all_dependency_scores(graphs, deps, DEFAULT_MIN_SCORE)),
        **{
            name: _table(dependency_scores(g, [p for p in deps if corpus_of(p) == name], DEFAULT_MIN_SCORE))
            for name, g in graphs.items()
            if any(corpus_of(p) == name for p in deps)
        },
    }
    if args.sweep:
        grid: list[dict[str, float]] = [
            {"W_OVERLAP": w, "OVERLAP_MIN": m} for w in (0.0, 0.1, 0.2, 0.3) for m in (0.45, 0.47, 0.5, 0.55)
        ]
        grid += [{"PARTNER_MIN_SEMANTIC": x} for x in (0.3, 0.34, 0.37, 0.4)]
        grid += [{"W_OWNER": x} for x in (0.2, 0.25, 0.3)]
        sweep: dict[str, Any] = {}
        for setting in grid:
            with constants(**setting):
                found = {name: inferred_dependencies(g) for name, g in graphs.items()}
            for t in [x / 100 for x in range(35, 65, 5)]:
                sc = all_dependency_scores(graphs, deps, t, found)
                key = " ".join(f"{k}={v}" for k, v in setting.items()) + f" min_score={t:.2f}"
                sweep[key] = {k: _short(v) for k, v in sc.items()}
        report["dependencies_sweep"] = sweep
        report["duplicates_sweep"] = {
            f"{t:.2f}": {k: _short(v) for k, v in all_duplicate_scores(graphs, labels, t).items()}
            for t in [x / 100 for x in range(45, 90, 3)]
        }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
