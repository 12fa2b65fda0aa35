"""The ``partnermap`` command: global options, the commands, and the error-to-exit mapping.

Commands import the library they call inside their function: ``partnermap --help`` then
starts in 0.2 s instead of 0.6 s (numpy, scipy, the Neo4j driver load only when a command
needs them). No module imported that way imports `cli.main` back.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from graphmodel.errors import PartnermapError
from graphmodel.store_path import DEFAULT_STORE

from . import neo4j_cmd, query, viz_cmd
from .output import Fmt, render, terminal_safe
from .state import AppState, Backend, FmtOpt, fail, state


class _Group(TyperGroup):
    """Maps `PartnermapError` to a one-line message and its exit code, in one place."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except PartnermapError as exc:
            obj = ctx.obj if isinstance(ctx.obj, AppState) else AppState()
            raise fail(exc, obj.fmt) from None


app = typer.Typer(
    cls=_Group,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    help="Map how public-sector strategies depend on each other.",
)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # 30 ms: only for --version

    try:
        return version("partnermap")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"partnermap {_version()}")
        raise typer.Exit(0)


@app.callback()
def _global(
    ctx: typer.Context,
    store: Annotated[
        Path, typer.Option("--store", envvar="PARTNERMAP_STORE", help="Embedded store file.")
    ] = DEFAULT_STORE,
    backend: Annotated[
        Backend,
        typer.Option(
            "--backend",
            envvar="PARTNERMAP_BACKEND",
            help="embedded (a JSON file) or neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD).",
        ),
    ] = Backend.embedded,
    _v: Annotated[
        bool, typer.Option("--version", callback=_version_callback, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Map how public-sector strategies depend on each other."""
    source = ctx.get_parameter_source("store")
    explicit = source is not None and source.name != "DEFAULT"
    ctx.obj = AppState(store_path=store, store_explicit=explicit, backend=backend)


def _reading(path: Path) -> None:
    sys.stderr.write(f"reading {path.name}\n")


@app.command("load")
def load_cmd(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(help="Documents (.txt/.md/.pdf/.docx/.html), trackers (.csv/.xlsx) or directories."),
    ],
    replace: Annotated[bool, typer.Option("--replace", help="Start the store afresh.")] = False,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            help="Your table's headers for partnermap's column roles: role=Header,... "
            "(roles: see data/columns.yaml), e.g. action=Description,lead=Owner.",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Exit 2 (store untouched) when a document yields nothing or every row is rejected.",
        ),
    ] = False,
    area: Annotated[
        str | None, typer.Option("--area", help="Area of every document (else found in its own text).")
    ] = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Load documents and trackers into the store; print the load report."""
    from graphmodel.errors import InputError
    from loaders.columns import parse_columns_option

    from .ingest import LoadReport, ingest
    from .report import print_load_report

    obj = state(ctx, fmt)
    mapping = parse_columns_option(columns)
    show = fmt is Fmt.table and len(paths) > 1 and sys.stderr.isatty()

    def check(report: LoadReport) -> None:
        for w in report.warnings():
            if w["kind"] == "nothing-interpreted":
                sys.stderr.write(f"warning: {terminal_safe(w['message'])}\n")
        empty = report.empty_documents()
        if strict and empty:
            raise InputError(
                f"--strict: nothing interpreted from {len(empty)} document(s): {', '.join(empty)}"
            )

    report = ingest(
        paths,
        obj.store(must_exist=False),
        replace=replace,
        progress=_reading if show else None,
        area=area,
        columns=mapping,
        check=check,
    )
    print_load_report(report, fmt)


@app.command("stats")
def stats_cmd(ctx: typer.Context, fmt: FmtOpt = Fmt.table) -> None:
    """Counts of nodes and edges by kind."""
    obj = state(ctx, fmt)
    counts = obj.store().read().counts()
    rows = [{"what": "node", "kind": k, "count": v} for k, v in counts["nodes"].items()]
    rows += [{"what": "edge", "kind": k, "count": v} for k, v in counts["edges"].items()]
    render(rows, fmt, title="partnermap store")


class ExportFmt(StrEnum):
    json = "json"
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"
    cypher = "cypher"


@app.command("export")
def export_cmd(
    ctx: typer.Context,
    fmt: Annotated[ExportFmt, typer.Option("--format", "-f", help="File format.")],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="File to write; for csv a directory (made if missing) that gets nodes.csv and edges.csv.",
        ),
    ],
) -> None:
    """Write the graph as partnermap/1 JSON, GraphML, GEXF, CSV or a Cypher script.

    GraphML and GEXF carry typed attributes (kind, status, due_date, category, score,
    method, document, line_start, ...) and full labels. CSV cells that start like a
    formula (=, +, -, @) are prefixed with ' so spreadsheets do not run them.
    """
    from graphmodel.export import export_graph

    obj = state(ctx)
    written = export_graph(obj.store().read(), fmt.value, out)
    for p in written:
        typer.echo(str(p))


@app.command("template")
def template_cmd(
    out: Annotated[Path, typer.Option("--out", "-o", help="Workbook to write.")] = Path("tracker.xlsx"),
) -> None:
    """Write a blank action tracker (XLSX) with the columns partnermap reads."""
    from loaders.tracker import write_template

    write_template(out)
    typer.echo(str(out))


@app.command("demo")
def demo_cmd(
    ctx: typer.Context,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the store and the report site.")
    ] = Path("partnermap-demo"),
) -> None:
    """Load the bundled Southwark papers, print the headlines, write the report site."""
    from .demo import run_demo

    obj = state(ctx)
    if obj.backend is Backend.embedded and not obj.store_explicit:
        obj.store_path = out / "graph.json"
        obj._store = None
    run_demo(obj.store(must_exist=False), out)
    if obj.backend is Backend.embedded:
        typer.echo(
            f"Store: {obj.store_path}; ask it more with "
            f"'partnermap --store {obj.store_path} query partners' (or export PARTNERMAP_STORE)."
        )


app.add_typer(query.app, name="query", help="Ask the graph a question.")
app.add_typer(neo4j_cmd.app, name="neo4j", help="Push, pull, clear or check a Neo4j server.")
viz_cmd.register(app)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except PartnermapError as exc:  # raised outside a command (e.g. in a callback)
        raise SystemExit(fail(exc, Fmt.table).exit_code) from None
