"""Cost of inferred links in the size of a group: a tracker of one action repeated N times.

``python -m benchmarks.identical --rows 2000 10000`` writes, for each N, a CSV tracker whose
N rows are the same action (issue 18: 1,000 such rows once took 106 s and 4.9 GB), loads
it into a fresh store in a child process (parse, build, duplicates, dependencies, write)
and prints the wall time, the peak RSS of that process and the inferred edges: a star of
N - 1 DUPLICATES edges, not N(N-1)/2, and N DEPENDS_ON edges (each copy relies on the other
strategy's early-help action), not N per pair of copies.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = "Strategy,Priority,Action,Lead,Partners,Due,Status,Progress\n"
ROW = (
    "Knife Crime Action Plan,Prevention,Referral pathways to be developed as part of Early Help and MASH "
    "services for young people at risk of knife crime,Community Safety Team,Police,2019-03-31,Open,\n"
)
# a second strategy with one action that the repeated rows could depend on
OTHER = (
    "Mental Health Strategy,Children,Review our early help offer so that families get support early,"
    "Children's Social Care,,2019-03-31,Open,\n"
)


def _child(path: str, store: str) -> None:
    """Load ``path`` into ``store`` and print what it cost (runs in its own process)."""
    from cli.ingest import ingest
    from graphmodel.schema import EdgeKind
    from graphmodel.store import NetworkxStore

    t0 = time.perf_counter()
    st = NetworkxStore(Path(store))
    ingest([Path(path)], st)
    seconds = time.perf_counter() - t0
    g = st.read()
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "duplicates_edges": sum(1 for _ in g.edges(EdgeKind.DUPLICATES)),
                "depends_on_edges": sum(1 for _ in g.edges(EdgeKind.DEPENDS_ON)),
                "actions": sum(1 for n in g.nodes() if n.kind == "Action"),
            }
        )
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[2000, 10000])
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child(*args.child)
        return
    for n in args.rows:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"tracker_{n}.csv"
            path.write_text(HEADER + ROW * n + OTHER, encoding="utf-8")
            out = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.identical",
                    "--child",
                    str(path),
                    str(Path(tmp) / "g.json"),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(out.stdout.strip().splitlines()[-1])
            print(json.dumps({"rows": n, **result}))


if __name__ == "__main__":
    main()
