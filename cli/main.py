"""The ``partnermap`` command: global options, the commands, and the error-to-exit mapping."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from graphmodel.errors import PartnermapError
from graphmodel.store import DEFAULT_STORE, NetworkxStore, Store

from .output import Fmt, render


class Backend(StrEnum):
    embedded = "embedded"
    neo4j = "neo4j"


@dataclass
class AppState:
    """Global options, shared by every command through ``ctx.obj``."""

    store_path: Path = DEFAULT_STORE
    store_explicit: bool = False  # given by --store or PARTNERMAP_STORE
    backend: Backend = Backend.embedded
    fmt: Fmt = Fmt.table
    _store: Store | None = field(default=None, repr=False)

    def store(self) -> Store:
        """The selected store (Neo4j settings come from the NEO4J_* environment)."""
        if self._store is None:
            if self.backend is Backend.neo4j:
                from graphmodel.neo4j_store import Neo4jStore

                self._store = Neo4jStore.from_env()
            else:
                self._store = NetworkxStore(self.store_path)
        return self._store


def state(ctx: typer.Context, fmt: Fmt | None = None) -> AppState:
    """The app state; records the output format so errors can match it."""
    obj = ctx.obj if isinstance(ctx.obj, AppState) else AppState()
    ctx.obj = obj
    if fmt is not None:
        obj.fmt = fmt
    return obj


def fail(exc: PartnermapError, fmt: Fmt) -> typer.Exit:
    """Print one sentence (or a JSON object) to stderr; return the Exit to raise."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if fmt is Fmt.json:
        sys.stderr.write(json.dumps({"ok": False, "error": message, "type": type(exc).__name__}) + "\n")
    else:
        sys.stderr.write(f"error: {message}\n")
    return typer.Exit(exc.exit_code)


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

FmtOpt = Annotated[Fmt, typer.Option("--format", "-f", help="Output format.")]


def _version() -> str:
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


@app.command("load")
def load_cmd(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Documents (.txt/.md), trackers (.csv/.xlsx) or directories.")
    ],
    replace: Annotated[bool, typer.Option("--replace", help="Start the store afresh.")] = False,
    area: Annotated[
        str | None, typer.Option("--area", help="Area of every document (else found in its own text).")
    ] = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Load documents and trackers into the store; print the load report."""
    from graphmodel.pipeline import ingest

    obj = state(ctx, fmt)
    progress = None
    if fmt is Fmt.table and len(paths) > 1 and sys.stderr.isatty():
        progress = lambda p: sys.stderr.write(f"reading {p.name}\n")  # noqa: E731
    report = ingest(paths, obj.store(), replace=replace, area=area, progress=progress)
    from .report import print_load_report

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
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write (a directory for csv).")],
) -> None:
    """Write the graph as partnermap/1 JSON, GraphML, GEXF, CSV or a Cypher script."""
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
    run_demo(obj.store(), out)


def _register_subapps() -> None:
    from . import neo4j_cmd, query, viz_cmd

    app.add_typer(query.app, name="query", help="Ask the graph a question.")
    app.add_typer(neo4j_cmd.app, name="neo4j", help="Push, pull, clear or check a Neo4j server.")
    viz_cmd.register(app)


_register_subapps()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except PartnermapError as exc:  # raised outside a command (e.g. in a callback)
        raise SystemExit(fail(exc, Fmt.table).exit_code) from None
