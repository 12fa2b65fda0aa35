"""``partnermap viz`` and ``partnermap report``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .state import state


class View(StrEnum):
    strategies = "strategies"
    overview = "overview"
    dependencies = "dependencies"
    partners = "partners"
    recommendations = "recommendations"
    ego = "ego"


def register(app: typer.Typer) -> None:
    """Add the view commands to ``app``."""

    @app.command("viz")
    def viz_cmd(
        ctx: typer.Context,
        view: Annotated[View, typer.Option("--view", help="Which view to draw.")],
        out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")],
        focus: Annotated[
            str | None,
            typer.Option(
                "--focus", help="Ego view: node id or name (an ambiguous one is refused, candidates listed)."
            ),
        ] = None,
        depth: Annotated[int, typer.Option("--depth", help="Ego view: steps from the focus.")] = 1,
    ) -> None:
        """Write one interactive network view as a standalone, offline HTML page."""
        from queries.paths import resolve_entity
        from viz.documents import document_names
        from viz.render import write_html
        from viz.visdata import to_vis_data

        graph = state(ctx).store().read()
        if focus is not None:  # the one resolver: an ambiguous name is refused with its candidates
            focus = resolve_entity(graph, focus, "--focus")
        data = to_vis_data(graph, view=view.value, focus=focus, depth=depth)
        docs = {f: {"title": n.title, "full": n.full} for f, n in document_names(graph).items()}
        typer.echo(str(write_html(data, out, docs=docs)))

    @app.command("report")
    def report_cmd(
        ctx: typer.Context,
        out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the report site.")],
        png: Annotated[
            bool, typer.Option("--png", help="Also save each view's canvas as PNG (needs Chromium).")
        ] = False,
        docs: Annotated[
            list[Path] | None,
            typer.Option("--docs", help="Folder holding the loaded documents (repeatable), for their pages."),
        ] = None,
    ) -> None:
        """Write the report site: the strategy map, every view, the tables and a page per document."""
        from viz.report import write_report

        graph = state(ctx).store().read()
        from .ingest import document_texts  # lazy: the loaders are slow to import (--help)

        texts = document_texts(graph, docs or [])
        for path in write_report(graph, out, png=png, documents=texts):
            typer.echo(str(path))
