"""``partnermap query ...``: one command per module of ``queries``, each a short wrapper."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from .output import Fmt, render
from .state import AppState, FmtOpt, state

if TYPE_CHECKING:  # importing queries runs its __init__ (numpy, scipy): not at start-up
    from queries.facts import Facts

app = typer.Typer(no_args_is_help=True)


def _source(obj: AppState) -> Facts:
    """What a query reads: the facts of the selected store, chosen once as the command opens
    it (`queries.backend.facts_of`: the embedded graph read once, or Cypher on the server)."""
    from queries.backend import facts_of  # not at start-up: it imports networkx and the queries

    return facts_of(obj.store())


@app.command("dependencies")
def dependencies_cmd(
    ctx: typer.Context,
    from_: Annotated[
        str | None, typer.Option("--from", help="Strategy whose actions depend (name, fuzzy).")
    ] = None,
    to: Annotated[str | None, typer.Option("--to", help="Strategy depended on (name, fuzzy).")] = None,
    min_score: Annotated[
        float | None, typer.Option("--min-score", help="Lowest score shown (0..1; default 0.45).")
    ] = None,
    by: Annotated[
        str, typer.Option("--by", help="action (one row per relying action) or strategy (summary).")
    ] = "action",
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Actions of one strategy that rely on actions of another: the service and the providing actions."""
    from graphmodel.schema import NodeKind
    from queries.dependencies import DEFAULT_MIN_SCORE, dependencies_by
    from queries.paths import resolve_entity

    obj = state(ctx, fmt)
    source = _source(obj)
    strategy = {NodeKind.STRATEGY}  # the one resolver: ambiguous names are refused with candidates
    render(
        dependencies_by(
            source,
            by=by,
            from_strategy=resolve_entity(source, from_, "--from", kinds=strategy) if from_ else None,
            to_strategy=resolve_entity(source, to, "--to", kinds=strategy) if to else None,
            min_score=DEFAULT_MIN_SCORE if min_score is None else min_score,
        ),
        fmt,
        title="Cross-strategy dependencies",
    )


@app.command("duplicates")
def duplicates_cmd(
    ctx: typer.Context,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", help="Lowest score of a tie to a group (0..1; default 0.63)."),
    ] = None,
    scope: Annotated[str, typer.Option("--scope", help="within (one plan), across (plans) or all.")] = "all",
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Typed groups of duplicate actions (exact, reworded, shared-aim) within and across plans."""
    from queries.duplicates import DEFAULT_THRESHOLD, duplicate_actions

    obj = state(ctx, fmt)
    render(
        duplicate_actions(
            _source(obj), scope=scope, threshold=DEFAULT_THRESHOLD if threshold is None else threshold
        ),
        fmt,
        title="Near-duplicate actions",
    )


@app.command("progress")
def progress_cmd(
    ctx: typer.Context,
    strategy: Annotated[str | None, typer.Option("--strategy", help="One strategy (name, fuzzy).")] = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Plan actions vs what later reviews of the same strategy report (achieved, continuing, not-reported)."""
    from queries.progress import progress

    obj = state(ctx, fmt)
    render(progress(_source(obj), strategy=strategy), fmt, title="Progress against the plan")


@app.command("partners")
def partners_cmd(
    ctx: typer.Context,
    top: Annotated[int | None, typer.Option("--top", help="Show the N busiest partners.")] = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Partner load, centrality, bridging partners and single points of failure."""
    from queries import partners

    obj = state(ctx, fmt)
    render(partners(_source(obj), top=top), fmt, title="Partners")


@app.command("coverage")
def coverage_cmd(ctx: typer.Context, fmt: FmtOpt = Fmt.table) -> None:
    """Recommendations with the actions that address them; gaps flagged."""
    from queries import coverage

    obj = state(ctx, fmt)
    render(coverage(_source(obj)), fmt, title="Recommendation coverage")


@app.command("alignment")
def alignment_cmd(
    ctx: typer.Context,
    programme: Annotated[
        str | None,
        typer.Option("--programme", help="Programme name (default: the one most items align with)."),
    ] = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """How the strategies line up with a programme: members, aligned work, shares, gaps."""
    from queries import alignment

    obj = state(ctx, fmt)
    render(alignment(_source(obj), programme=programme), fmt, title="Alignment")


@app.command("due")
def due_cmd(
    ctx: typer.Context,
    before: Annotated[
        str | None, typer.Option("--before", help="Only actions due before this date (YYYY-MM-DD).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Date that decides what is overdue: YYYY-MM-DD; 'document' (each action as of its "
            "own paper's date, e.g. a plan as its committee read it); 'latest' (the latest paper's "
            "date, e.g. the review that reported on the plans); default today. Achieved or "
            "completed actions are done whatever their date.",
        ),
    ] = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Actions by due date: overdue, due, done and undated (each row says its as-of date)."""
    from queries import due

    obj = state(ctx, fmt)
    rows = due(_source(obj), before=before, as_of=as_of)
    dates = sorted({r.as_of for r in rows})
    when = dates[0] if len(dates) == 1 else "each paper's date (see as_of)"
    render(rows, fmt, title=f"Actions by due date, as of {when}" if rows else "Actions by due date")


@app.command("path")
def path_cmd(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="An entity: name, alias, text or id.")],
    b: Annotated[str, typer.Argument(help="Another entity.")],
    limit: Annotated[int, typer.Option("--limit", help="How many shortest paths.")] = 3,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Shortest explained paths between two entities, hop by hop with sources."""
    from queries import path

    obj = state(ctx, fmt)
    render(path(_source(obj), a, b, limit=limit), fmt, title="Paths")


@app.command("search")
def search_cmd(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="Words to look for.")],
    limit: Annotated[int, typer.Option("--limit", help="How many hits.")] = 20,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Find nodes by fuzzy text over labels, aliases and action text."""
    from queries import search

    obj = state(ctx, fmt)
    render(search(_source(obj), text, limit=limit), fmt, title="Search")
