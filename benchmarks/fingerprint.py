"""What a load produces, written to files that can be compared byte for byte (a speed
change must not change any of them).

    python -m benchmarks.fingerprint OUT PATH... [--name NAME]

loads PATHs into a fresh embedded store (`cli.ingest.ingest`, as ``partnermap load``
does) and writes into ``OUT/NAME/``: ``graph.json`` (the store file itself),
``report.json`` (the load report), ``records.json`` (every record, reject, warning and
decision of the loaders, in order), and one JSON file per query read back from the store:
``duplicates.json`` (`duplicate_actions`), ``dependencies.json`` (`dependencies` at
min score 0), ``stored_dependencies.json`` / ``stored_duplicates.json`` (the links the
load stored, as the views read them). Run it on two versions of the code and compare:

    python -m benchmarks.fingerprint /tmp/before ../shared/seeds --name seeds   # old tree
    python -m benchmarks.fingerprint /tmp/after ../shared/seeds --name seeds    # new tree
    diff -r /tmp/before /tmp/after
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import json
import time
from pathlib import Path
from typing import Any


def _plain(x: Any) -> Any:
    """JSON-ready form of results: dataclasses as dicts, enums as values, tuples as lists."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {
            "__type__": type(x).__name__,
            **{f.name: _plain(getattr(x, f.name)) for f in dataclasses.fields(x)},
        }
    if isinstance(x, enum.Enum):
        return x.value
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in x]
        return sorted(items, key=repr) if isinstance(x, (set, frozenset)) else items
    return x


def _write(path: Path, value: Any) -> None:
    path.write_text(
        json.dumps(_plain(value), indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )


def fingerprint(paths: list[Path], out: Path) -> dict[str, float]:
    """Load ``paths`` into a fresh store in ``out`` and write what it produced; returns seconds per step."""
    from cli.ingest import ingest
    from graphmodel.store import NetworkxStore
    from queries.dependencies import dependencies
    from queries.duplicates import duplicate_actions
    from queries.infer import stored_dependencies, stored_duplicates

    out.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    store = NetworkxStore(out / "graph.json")
    report = ingest(paths, store)
    seconds["load_s"] = round(time.perf_counter() - t0, 2)
    _write(out / "report.json", report.to_dict())
    _write(out / "records.json", report.results)
    graph = store.read()
    t0 = time.perf_counter()
    _write(out / "stored_dependencies.json", stored_dependencies(graph))
    _write(out / "stored_duplicates.json", stored_duplicates(graph))
    seconds["stored_s"] = round(time.perf_counter() - t0, 2)
    graph = store.read()
    t0 = time.perf_counter()
    _write(out / "duplicates.json", duplicate_actions(graph))
    _write(out / "dependencies.json", dependencies(graph, min_score=0.0))
    seconds["queries_s"] = round(time.perf_counter() - t0, 2)
    return seconds


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.fingerprint", description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("paths", type=Path, nargs="+")
    ap.add_argument("--name", default="load")
    args = ap.parse_args(argv)
    print(json.dumps({"name": args.name, **fingerprint(args.paths, args.out / args.name)}))


if __name__ == "__main__":
    main()
