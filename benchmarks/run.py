"""Time the pipeline on a generated corpus and score inference against the planted answers.

``python -m benchmarks.run --actions N [--backend embedded|neo4j] [--json]`` generates a
corpus (in a subprocess, so its memory is not counted), then, in this process: parses every
file with ``loaders.load_path``; builds the graph with ``graphmodel.build.build_graph``
(time spent inside the `Resolver` is reported as ``resolve_s``, the rest as ``build_s``);
runs the duplicate and dependency inference and every other query; and prints one JSON
object. A query module that does not exist yet is reported as ``null``.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import importlib
import io
import json
import os
import pstats
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import falkordb_server

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
QUERIES = ("partners", "coverage", "alignment", "due", "path", "search")
REQUIRED = (
    "parse_s",
    "resolve_s",
    "build_s",
    "duplicates_s",
    "dependencies_s",
    *(f"{q}_s" for q in QUERIES),
    "actions",
    "duplicates_recall",
    "duplicates_precision",
    "dependencies_recall",
    "dependencies_precision",
)


# ---------------------------------------------------------------------------- matching
_TAG = re.compile(r"<[^>]+>")
_BULLET = re.compile(r"^[\s•\uf0b7\-–*]+")


def norm(text: str) -> str:
    """Text as compared with planted answers: no tags or bullets, single spaces, case-folded."""
    text = _BULLET.sub("", _TAG.sub(" ", text))
    return " ".join(text.split()).casefold().rstrip(".;: ")


@dataclass
class Matcher:
    """Finds the planted action a loaded action (document, lines, text) stands for."""

    answers: dict[str, Any]
    by_line: dict[tuple[str, int], list[dict[str, Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for a in self.answers["actions"]:
            self.by_line.setdefault((a["document"], a["line"]), []).append(a)

    def match(self, document: str, line_start: int, line_end: int, text: str) -> str | None:
        """Id of the planted action at these lines with this text, else None."""
        t = norm(text)
        for line in range(line_start, max(line_start, line_end) + 1):
            for a in self.by_line.get((document, line), ()):
                p = norm(a["text"])
                if p == t or (len(t) > 20 and (p in t or t in p)):
                    return a["id"]
        return None


def found_actions(answers: dict[str, Any], results: Sequence[Any]) -> dict[str, Any]:
    """Planted action id -> the `ActionRecord` that loaded it."""
    from graphmodel.schema import ActionRecord

    m, out = Matcher(answers), {}
    for res in results:
        for rec in res.records:
            if isinstance(rec, ActionRecord):
                pid = m.match(rec.source.document, rec.source.line_start, rec.source.line_end, rec.text)
                if pid is not None:
                    out.setdefault(pid, rec)
    return out


def node_map(answers: dict[str, Any], graph: Any) -> dict[str, str]:
    """Graph action node id -> planted action id."""
    from graphmodel.schema import NodeKind

    m, out = Matcher(answers), {}
    for node in graph.nodes(NodeKind.ACTION):
        text = (node.props or {}).get("text") or node.label
        pid = m.match(node.source.document, node.source.line_start, node.source.line_end, text)
        if pid is not None:
            out[node.id] = pid
    return out


def score(truth: set[Any], predicted: set[Any]) -> tuple[float | None, float | None]:
    """(recall, precision); None where the denominator is empty."""
    hit = len(truth & predicted)
    return (hit / len(truth) if truth else None, hit / len(predicted) if predicted else None)


def duplicate_scores(answers: dict[str, Any], groups: Sequence[Any], nodes: dict[str, str]) -> dict[str, Any]:
    """Recall/precision of planted duplicate pairs, taking every pair inside a found group.

    ``duplicates_recall_loaded`` counts only pairs whose two actions are in the graph, which
    separates what inference misses from what the loaders never read.
    """
    truth = {frozenset((p["a"], p["b"])) for p in answers["duplicate_pairs"]}
    in_graph = set(nodes.values())
    loaded = {t for t in truth if t <= in_graph}
    predicted, unmapped = set(), 0
    for g in groups:
        ids = [nodes.get(m.id) for m in g.members]
        unmapped += sum(1 for i in ids if i is None)
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                predicted.add(frozenset((a or f"?{i}", b or "?")))
    recall, precision = score(truth, predicted)
    return {
        "duplicates_recall": recall,
        "duplicates_precision": precision,
        "duplicates_recall_loaded": score(loaded, predicted)[0],
        "duplicates_found_pairs": len(predicted),
        "duplicates_planted_pairs": len(truth),
        "duplicates_unmapped_members": unmapped,
    }


def dependency_scores(answers: dict[str, Any], links: Sequence[Any], nodes: dict[str, str]) -> dict[str, Any]:
    """Recall/precision of planted dependent actions (an action counts once, whatever its targets)."""
    truth = {d["action"] for d in answers["dependencies"]}
    predicted = {nodes.get(link.action_id, f"?{link.action_id}") for link in links}
    recall, precision = score(truth, predicted)
    loaded = truth & set(nodes.values())
    by_dir = {}
    for direction in ("mental-health", "community-safety"):
        t = {d["action"] for d in answers["dependencies"] if d["to_domain"] == direction}
        by_dir[direction] = round(len(t & predicted) / len(t), 3) if t else None
    return {
        "dependencies_recall": recall,
        "dependencies_precision": precision,
        "dependencies_recall_loaded": score(loaded, predicted)[0],
        "dependencies_found_actions": len(predicted),
        "dependencies_planted_actions": len(truth),
        "dependencies_recall_by_target": by_dir,
    }


# ---------------------------------------------------------------------------- timing
class ResolverTimer:
    """Wraps a `Resolver`'s public methods and adds up the time spent in them (outermost calls)."""

    METHODS = ("resolve", "mentions", "strategy_name", "learn")

    def __init__(self, resolver: Any) -> None:
        self.seconds, self.calls, self._depth = 0.0, 0, 0
        for name in self.METHODS:
            fn = getattr(resolver, name, None)
            if fn is not None:
                setattr(resolver, name, self._wrap(fn))

    def _wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._depth += 1
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.seconds += time.perf_counter() - t0
                    self.calls += 1

        return timed


@contextlib.contextmanager
def timer(out: dict[str, Any], key: str) -> Iterator[None]:
    t0 = time.perf_counter()
    yield
    out[key] = round(time.perf_counter() - t0, 3)


def _function(module: str, name: str) -> Callable[..., Any] | None:
    """``queries.<module>.<name>``, or None while that query does not exist."""
    try:
        return getattr(importlib.import_module(f"queries.{module}"), name, None)
    except ImportError:
        return None


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# ---------------------------------------------------------------------------- backends
def neo4j_store(uri: str) -> Any | None:
    """A `Neo4jStore` for ``uri``, or None while graphmodel.neo4j_store does not exist."""
    try:
        mod = importlib.import_module("graphmodel.neo4j_store")
    except ImportError:
        return None
    cls = mod.Neo4jStore
    for kwargs in ({"uri": uri, "user": "falkordb", "password": ""}, {"uri": uri}):
        with contextlib.suppress(TypeError):
            return cls(**kwargs)
    return cls(uri)


# ---------------------------------------------------------------------------- run
def ensure_corpus(actions: int, seed: int, *, keep: bool, packed: bool) -> tuple[Path, Path | None]:
    """Generate (in a subprocess) or reuse a corpus; returns (folder with corpus/ and answers, temp)."""
    if keep:
        out = OUT / f"corpus-{actions}-s{seed}{'-packed' if packed else ''}"
        if (out / "answers.json").exists():
            return out, None
        tmp = None
    else:
        tmp = Path(tempfile.mkdtemp(prefix="pm-bench-"))
        out = tmp
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.generate",
        "--actions",
        str(actions),
        "--seed",
        str(seed),
        "--out",
        str(out),
    ] + (["--packed"] if packed else [])
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return out, tmp


def run_pipeline(
    corpus: Path,
    answers: dict[str, Any],
    *,
    backend: str = "embedded",
    uri: str | None = None,
    skip: Sequence[str] = (),
    timeout: int | None = None,
) -> dict[str, Any]:
    """Parse, resolve+build, infer and query; return timings and scores."""
    from graphmodel.build import DocumentInfo, build_graph
    from graphmodel.resolve import Resolver
    from loaders import expand_paths, load_path, load_text
    from loaders.area import areas_of_titles
    from loaders.text import read_text_document

    out: dict[str, Any] = {"backend": backend}
    paths = expand_paths([corpus])
    results, documents = [], []
    with timer(out, "parse_s"):
        for p in paths:
            if p.suffix.lower() == ".txt":
                # read once, as `cli.ingest.read_paths` does: the loaders and the Document share it
                doc = read_text_document(p)
                results.extend(load_text(doc))
                documents.append(DocumentInfo(doc.name, doc.sha256, doc.encoding, len(doc.lines)))
            else:
                results.extend(load_path(p))
                documents.append(DocumentInfo(p.name, "", "binary", 0))
    found = found_actions(answers, results)
    out["actions"] = len(answers["actions"])
    out["documents"] = len(paths)
    out["actions_loaded"] = sum(
        1 for res in results for r in res.records if type(r).__name__ == "ActionRecord"
    )
    out["planted_found"] = len(found)
    out["rows_rejected"] = sum(len(r.rejects) for r in results)

    t0 = time.perf_counter()
    resolver = Resolver.default()
    rt = ResolverTimer(resolver)
    default_s = time.perf_counter() - t0
    built = build_graph(results, documents, resolver=resolver, areas_of_titles=areas_of_titles)
    total = time.perf_counter() - t0
    graph = built.graph
    out["resolve_s"] = round(rt.seconds + default_s, 3)
    out["build_s"] = round(total - rt.seconds - default_s, 3)
    out["resolver_calls"] = rt.calls
    out["nodes"], out["edges"] = graph.g.number_of_nodes(), graph.g.number_of_edges()

    source: Any = graph
    if backend == "neo4j":
        store = neo4j_store(uri or "")
        if store is None:
            out["error"] = "graphmodel.neo4j_store does not exist yet"
            return out
        with timer(out, "store_write_s"):
            store.write(graph)
        source = store
    else:
        from graphmodel.store import NetworkxStore

        tmp = Path(tempfile.mkdtemp(prefix="pm-store-"))
        store = NetworkxStore(tmp / "graph.json")
        with timer(out, "store_write_s"):
            store.write(graph)
        with timer(out, "store_read_s"):
            store.read()
        out["store_mb"] = round((tmp / "graph.json").stat().st_size / 1e6, 1)
        shutil.rmtree(tmp, ignore_errors=True)

    nodes = node_map(answers, graph)
    dup_fn = _function("duplicates", "duplicate_actions")
    out["duplicates_s"] = None
    if dup_fn is not None:
        with timer(out, "duplicates_s"):
            groups = dup_fn(source)
        out.update(duplicate_scores(answers, groups, nodes))
    dep_fn = _function("dependencies", "dependencies")
    out["dependencies_s"] = None
    if dep_fn is not None:
        with timer(out, "dependencies_s"):
            links = dep_fn(source)
        out.update(dependency_scores(answers, links, nodes))
    for key in ("duplicates_recall", "duplicates_precision", "dependencies_recall", "dependencies_precision"):
        out.setdefault(key, None)
    out.update(run_queries(source, graph, skip=skip, timeout=timeout))
    out["total_s"] = round(
        sum(out.get(k) or 0 for k in ("parse_s", "resolve_s", "build_s", "duplicates_s", "dependencies_s")), 3
    )
    return out


class QueryTimeout(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: int | None) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (SIGALRM; main thread only) with `QueryTimeout`."""
    if not seconds:
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise QueryTimeout(f"timeout after {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def run_queries(
    source: Any, graph: Any, *, skip: Sequence[str] = (), timeout: int | None = None
) -> dict[str, Any]:
    """Time each remaining query once with typical arguments (null when it does not exist,
    is skipped, or runs out of time)."""
    from graphmodel.schema import NodeKind

    bodies = sorted((n for n in graph.nodes(NodeKind.ORGANISATION)), key=lambda n: n.id)
    services = sorted((n for n in graph.nodes(NodeKind.SERVICE)), key=lambda n: n.id)
    a = bodies[0].label if bodies else "Police"
    b = services[0].label if services else (bodies[-1].label if bodies else "CAMHS")
    calls: dict[str, tuple[str, str, tuple[Any, ...], dict[str, Any]]] = {
        "partners": ("partners", "partners", (), {"top": 20}),
        "coverage": ("coverage", "coverage", (), {}),
        "alignment": ("alignment", "alignment", (), {}),
        "due": ("timeline", "due", (), {"as_of": "2020-01-01"}),
        "path": ("paths", "path", (a, b), {}),
        "search": ("paths", "search", ("CAMHS",), {}),
    }
    out: dict[str, Any] = {}
    for q, (module, name, args, kwargs) in calls.items():
        fn = _function(module, name)
        out[f"{q}_s"] = None
        if fn is None or q in skip:
            continue
        try:
            with time_limit(timeout), timer(out, f"{q}_s"):
                rows = fn(source, *args, **kwargs)
            out[f"{q}_rows"] = len(rows)
        except Exception as exc:  # a query failing is a finding, not a crash of the harness
            out[f"{q}_s"] = None
            out[f"{q}_error"] = f"{type(exc).__name__}: {exc}"[:200]
    return out


def time_cli() -> dict[str, Any]:
    """Wall time of ``partnermap --help`` and ``partnermap demo`` (end to end, fresh processes)."""
    exe = shutil.which("partnermap", path=str(Path(sys.executable).parent)) or "partnermap"
    out: dict[str, Any] = {}
    with timer(out, "cli_help_s"):
        subprocess.run([exe, "--help"], check=True, stdout=subprocess.DEVNULL)
    tmp = tempfile.mkdtemp(prefix="pm-demo-")
    env = {k: v for k, v in os.environ.items() if k != "PARTNERMAP_STORE"}
    try:
        with timer(out, "demo_s"):
            proc = subprocess.run(
                [exe, "demo", "--out", tmp],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env=env,
                cwd=tmp,
            )
        if proc.returncode:
            out["demo_error"] = proc.stderr.decode(errors="replace")[-300:]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def hot_spots(prof: cProfile.Profile, limit: int = 25) -> list[dict[str, Any]]:
    """Functions of this project with the most own time (and their cumulative time)."""
    stats = pstats.Stats(prof, stream=io.StringIO())
    rows = []
    for (file, line, fn), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rel = os.path.relpath(file, ROOT) if file.startswith(str(ROOT)) else file
        rows.append(
            {"where": f"{rel}:{line}:{fn}", "own_s": round(tt, 3), "cum_s": round(ct, 3), "calls": nc}
        )
    rows.sort(key=lambda r: -r["own_s"])
    return rows[:limit]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    ap.add_argument("--actions", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--backend", choices=("embedded", "neo4j"), default="embedded")
    ap.add_argument("--json", action="store_true", help="print one JSON object (default: a short table)")
    ap.add_argument("--keep", action="store_true", help="keep/reuse the corpus in benchmarks/out/")
    ap.add_argument("--packed", action="store_true", help="include packed strategy action plans")
    ap.add_argument("--cli", action="store_true", help="also time `partnermap --help` and `partnermap demo`")
    ap.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=QUERIES,
        help="do not run this query (repeatable); its time is null",
    )
    ap.add_argument(
        "--query-timeout",
        type=int,
        metavar="S",
        help="give up on a query after S seconds (time null, <query>_error says so)",
    )
    ap.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="cProfile the pipeline into FILE and add the top hot spots to the output",
    )
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    folder, tmp = ensure_corpus(args.actions, args.seed, keep=args.keep, packed=args.packed)
    generate_s = round(time.perf_counter() - t0, 3)
    answers = json.loads((folder / "answers.json").read_text(encoding="utf-8"))
    prof = cProfile.Profile() if args.profile else None
    try:
        with contextlib.ExitStack() as stack:
            uri = stack.enter_context(falkordb_server.running()) if args.backend == "neo4j" else None
            if prof:
                prof.enable()
            result = run_pipeline(
                folder / "corpus",
                answers,
                backend=args.backend,
                uri=uri,
                skip=args.skip,
                timeout=args.query_timeout,
            )
            if prof:
                prof.disable()
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    for key in REQUIRED:  # one shape whatever ran: a stage that did not run is null
        result.setdefault(key, None)
    result["peak_rss_mb"] = peak_rss_mb()
    result["generate_s"] = generate_s
    result["seed"] = args.seed
    if args.cli:
        result.update(time_cli())
    if prof:
        prof.dump_stats(str(args.profile))
        result["hot_spots"] = hot_spots(prof)
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            if k != "hot_spots":
                print(f"{k:32} {v}")
        for h in result.get("hot_spots", []):
            print(f"{h['own_s']:8.3f} {h['cum_s']:8.3f} {h['calls']:9d}  {h['where']}")


if __name__ == "__main__":
    main()
