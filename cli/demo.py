"""``partnermap demo``: the bundled corpus, end to end."""

from __future__ import annotations

from pathlib import Path

import typer

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph
from graphmodel.paths import DATA_DIR, bundled_documents
from graphmodel.schema import NodeKind
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

    from .ingest import document_texts

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
    from queries import alignment, coverage, partners
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
    _due_headline(graph)


def _due_headline(graph: PartnerGraph) -> None:
    """What was overdue when the latest paper was written (for the bundled 2017-19 plans,
    the 2019 review), then what is overdue today; both dates said (see `queries.timeline`)."""
    from queries import due
    from queries._base import today
    from queries.timeline import AS_OF_LATEST, document_dates

    def counts(rows: list) -> dict[str, int]:
        return {s: sum(1 for t in rows if t.state == s) for s in ("overdue", "due", "done", "undated")}

    dates = document_dates(graph)
    now = today().isoformat()
    if dates:
        latest = max(dates.values())
        paper = next(n for n in graph.nodes(NodeKind.DOCUMENT) if dates.get(n.source.document) == latest)
        what = (
            ", ".join(_short(str(v), 60) for v in (paper.props.get("body"), paper.props.get("title")) if v)
            or paper.label
        )
        then = counts(due(graph, as_of=AS_OF_LATEST))
        typer.echo(
            f"Due dates as of {latest.isoformat()}, the latest paper's date ({what}): {then['overdue']} "
            f"actions overdue, {then['due']} due later, {then['done']} done, {then['undated']} undated."
        )
        late = counts(due(graph))["overdue"]
        typer.echo(
            f"  as of today ({now}): {late} overdue "
            "('query due --as-of latest|document|YYYY-MM-DD' to choose)."
        )
        return
    rows = counts(due(graph))
    typer.echo(
        f"Due dates as of {now} (today; no paper is dated; 'query due --as-of DATE' to choose): "
        f"{rows['overdue']} actions overdue, {rows['due']} due later, {rows['done']} done, "
        f"{rows['undated']} undated."
    )
