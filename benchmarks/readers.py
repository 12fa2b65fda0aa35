"""Time reading and loading real documents: a 31-page PDF (goal < 5 s) and the seeds (< 1 s CPU).

Run from the repository root: ``python -m benchmarks.readers [FILE ...]`` (default: the
Kent PDF of ../shared/corpus when present, and the two bundled seeds). Prints wall and CPU
seconds of `loaders.readers.read_document` (readers only) and of `loaders.load_path`
(reader + loaders + table interpreter), best of three runs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from graphmodel.paths import DATA_DIR
from loaders import DOCUMENT_SUFFIXES, load_path
from loaders.readers import read_document

KENT = Path("..") / "shared" / "corpus" / "kent_ics-delivery-plan_appendixB_priorities-and-actions.pdf"


def _best(fn, runs: int = 3) -> tuple[float, float]:
    best = (float("inf"), float("inf"))
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        best = min(best, (time.perf_counter() - w, time.process_time() - c))
    return best


def main(argv: list[str]) -> None:
    paths = [Path(a) for a in argv] or [p for p in (KENT,) if p.exists()] + sorted(DATA_DIR.glob("*.txt"))
    print(f"{'file':<60} {'stage':<8} {'wall s':>7} {'cpu s':>7}")
    for p in paths:
        if p.suffix.lower() in DOCUMENT_SUFFIXES:
            wall, cpu = _best(lambda p=p: read_document(p))
            print(f"{p.name[:60]:<60} {'read':<8} {wall:7.2f} {cpu:7.2f}")
        wall, cpu = _best(lambda p=p: load_path(p))
        print(f"{p.name[:60]:<60} {'load':<8} {wall:7.2f} {cpu:7.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
