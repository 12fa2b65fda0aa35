"""``partnermap demo``: the bundled corpus, end to end."""

from __future__ import annotations

from pathlib import Path

import typer

from graphmodel.errors import InputError
from graphmodel.paths import DATA_DIR, bundled_documents
from graphmodel.pipeline import ingest
from graphmodel.store import Store


def run_demo(store: Store, out: Path) -> None:
    """Load the bundled documents afresh into ``store`` and print what was found."""
    docs = bundled_documents()
    if not docs:
        raise InputError(f"no bundled documents found in {DATA_DIR}")
    out.mkdir(parents=True, exist_ok=True)
    report = ingest(docs, store, replace=True)
    counts = report.counts
    nodes = ", ".join(f"{v} {k}" for k, v in counts["nodes"].items())
    typer.echo(f"Loaded {len(docs)} documents: {nodes}.")
    typer.echo(f"Rows read {report.rows_read}, accounted {report.rows_accounted}; "
               f"{len(report.rejects())} rejected, {len(report.warnings())} warnings.")
