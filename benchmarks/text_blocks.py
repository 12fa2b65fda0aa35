"""CPU time of reading text documents: the line loaders, the text reader and the block
classifier, per file (best of ``--repeat`` runs).

``python -m benchmarks.text_blocks FILE...`` (default: the two bundled seeds) prints one
line per file: lines, line loaders, reader, classifier and total seconds of CPU.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from loaders import claimed_lines, text_loaders
from loaders.classify import load_blocks
from loaders.readers.text import read_document
from loaders.text import read_text_document

DATA = Path(__file__).resolve().parents[1] / "data"


def _best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t)
    return best, out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    files = args.files or sorted(DATA.glob("0*.txt"))
    print(f"{'file':58} {'lines':>6} {'legacy_s':>9} {'reader_s':>9} {'blocks_s':>9} {'total_s':>8}")
    for f in files:
        doc = read_text_document(f)
        t_legacy, results = _best(lambda doc=doc: [fn(doc) for _, fn in text_loaders()], args.repeat)
        t_read, model = _best(lambda doc=doc: read_document(doc), args.repeat)
        claimed = claimed_lines(results)  # type: ignore[arg-type]
        t_blocks, _ = _best(lambda m=model, c=claimed: load_blocks(m, claimed=c), args.repeat)  # type: ignore[arg-type]
        total = t_legacy + t_read + t_blocks
        print(
            f"{f.name[:58]:58} {len(doc.lines):6d} {t_legacy:9.3f} {t_read:9.3f} {t_blocks:9.3f} {total:8.3f}"
        )


if __name__ == "__main__":
    main()
