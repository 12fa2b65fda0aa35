"""``partnermap demo``: the bundled corpus, end to end."""

from __future__ import annotations

from pathlib import Path

import typer

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.paths import DATA_DIR, bundled_documents
from graphmodel.store import Store

from .ingest import ingest
from .output import terminal_safe


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
    typer.echo(
        f"Rows read {report.rows_read}, accounted {report.rows_accounted}; "
        f"{len(report.rejects())} rejected, {len(report.warnings())} warnings."
    )
    graph = store.read()
    print_headlines(graph)
    from viz.report import write_report

    from .viz_cmd import document_texts

    written = write_report(graph, out, documents=document_texts(graph, [d.parent for d in docs]))
    index = next((p for p in written if p.name == "index.html"), out / "index.html")
    typer.echo(f"\nReport site: {index} ({len(written)} files; open it straight from disk).")


def _short(text: str, n: int = 70) -> str:
    """Document text for one headline line: escapes stripped, cut to ``n`` characters."""
    text = " ".join(terminal_safe(str(text)).split())
    return text if len(text) <= n else text[: n - 3].rstrip() + "..."


def print_headlines(graph: PartnerGraph) -> None:
    """A few lines per query, so the demo shows what each question finds.

    Dependencies and duplicates are read from the links the load materialised (the
    inference ran once, during the load).
    """
    from queries import alignment, coverage, due, partners
    from queries._base import today
    from queries.infer import stored_dependencies, stored_duplicates

    links = stored_dependencies(graph)
    deps = [d for d in links if d.kind == "relies-on-service"]
    typer.echo(
        f"\nDependencies: {len(links)} actions relying on another plan's actions ({len(deps)} on a "
        "service they provide or change); strongest:"
    )
    for d in (deps or links)[:3]:
        typer.echo(
            f"  {d.score:.2f} {_short(d.from_strategy, 30)} -> {_short(d.to_strategy, 30)}: "
            f"{_short(d.action_text or d.action, 50)} relies on {_short(d.service or d.targets[0], 30)}"
        )
    groups = stored_duplicates(graph)
    within = sum(1 for g in groups if g.scope == "within")
    typer.echo(
        f"Duplicates: {len(groups)} groups of near-duplicate actions ({within} within one "
        f"plan, {len(groups) - within} across plans)."
    )
    for g in groups[:2]:
        typer.echo(f"  {g.size} x '{_short(g.labels[0], 60)}' ({', '.join(g.sources[:3])})")
    ranked = partners(graph)
    if ranked:
        typer.echo(
            "Partners (busiest by named roles): "
            + "; ".join(
                f"{_short(p.name, 60)} (leads {p.led}, supports {p.supported}, "
                f"resources {p.resourced - p.generic}" + (f" + {p.generic} blanket)" if p.generic else ")")
                for p in ranked[:3]
            )
        )
        blanket = sorted((p for p in ranked if p.generic), key=lambda p: (-p.generic, p.name))
        if blanket:
            typer.echo(
                "  plus blanket resource cells ('Council', 'Police'), counted apart: "
                + ", ".join(f"{_short(p.name, 60)} {p.generic}" for p in blanket[:3])
            )
    cov = coverage(graph)
    gaps = [c for c in cov if c.gap]
    typer.echo(
        f"Coverage: {len(cov)} recommendations, {len(gaps)} gaps"
        + (f" (e.g. {', '.join(_short(c.label, 40) for c in gaps[:4])})." if gaps else ".")
    )
    al = alignment(graph)
    if al:
        counts = {s: sum(1 for a in al if a.section == s) for s in ("member", "aligned", "gap")}
        typer.echo(
            f"Alignment with {_short(al[0].programme, 60)}: {counts['member']} members, "
            f"{counts['aligned']} aligned items, {counts['gap']} likely gaps."
        )
    timeline = due(graph)  # as of today: the default of 'query due' (--as-of to choose)
    states = {s: sum(1 for t in timeline if t.state == s) for s in ("overdue", "due", "done", "undated")}
    as_of = timeline[0].as_of if timeline else today().isoformat()
    typer.echo(
        f"Due dates as of {as_of} (today; 'query due --as-of DATE' to choose): {states['overdue']} "
        f"actions overdue, {states['due']} due later, {states['done']} done, {states['undated']} undated."
    )
