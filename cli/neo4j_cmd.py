"""``partnermap neo4j push|pull|clear|status|infer``: move the embedded store to and from a server.

The server comes from ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD`` and
``NEO4J_DATABASE``; the embedded store from the global ``--store``.
"""

from __future__ import annotations

import time
from typing import Annotated

import typer

from graphmodel.errors import StoreError

from .output import Fmt, render
from .state import FmtOpt, state

app = typer.Typer(no_args_is_help=True)


def _server():
    from graphmodel.neo4j_store import Neo4jStore

    return Neo4jStore.from_env()


@app.command("push")
def push_cmd(ctx: typer.Context, fmt: FmtOpt = Fmt.table) -> None:
    """Mirror the embedded store (--store) onto the server; safe to re-run."""
    from graphmodel.neo4j_store import PushProgress
    from graphmodel.store import NetworkxStore

    obj = state(ctx, fmt)
    if not obj.store_path.exists():  # pushing an empty graph would sweep the server's copy
        raise StoreError(f"no store at {obj.store_path}; nothing to push (name it with --store)")
    graph = NetworkxStore(obj.store_path).read()
    progress = PushProgress()
    started = time.perf_counter()
    with _server() as server:
        server.write(graph, progress=progress)
    render(
        [
            {
                "nodes": len(graph),
                "edges": graph.edge_count,
                "node_batches": progress.node_batches,
                "edge_batches": progress.edge_batches,
                "long_value_parts": progress.parts,
                "stale_removed": progress.swept,
                "seconds": round(time.perf_counter() - started, 3),
            }
        ],
        fmt,
        title="neo4j push",
    )


@app.command("pull")
def pull_cmd(ctx: typer.Context, fmt: FmtOpt = Fmt.table) -> None:
    """Copy the server's graph into the embedded store file (--store), replacing it."""
    from graphmodel.store import NetworkxStore

    obj = state(ctx, fmt)
    with _server() as server:
        graph = server.read()
    NetworkxStore(obj.store_path).write(graph)
    render(
        [{"store": str(obj.store_path), "nodes": len(graph), "edges": graph.edge_count}],
        fmt,
        title="neo4j pull",
    )


@app.command("clear")
def clear_cmd(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Delete every partnermap node and edge on the server."""
    state(ctx, fmt)
    if not yes:
        typer.confirm("Delete every partnermap node and edge on the server?", abort=True)
    with _server() as server:
        deleted = server.clear()
    render([{"nodes_deleted": deleted}], fmt, title="neo4j clear")


@app.command("status")
def status_cmd(ctx: typer.Context, fmt: FmtOpt = Fmt.table) -> None:
    """Which server, which dialect, and what it holds."""
    state(ctx, fmt)
    with _server() as server:
        info = server.status()
    rows = [
        {"what": "server", "kind": k, "value": info[k]}
        for k in ("uri", "server", "dialect", "database", "max_request", "incomplete")
    ]
    rows += [{"what": "node", "kind": k, "value": v} for k, v in info["nodes"].items()]
    rows += [{"what": "edge", "kind": k, "value": v} for k, v in info["edges"].items()]
    render(rows, fmt, title="neo4j status")


@app.command("infer")
def infer_cmd(ctx: typer.Context, fmt: FmtOpt = Fmt.table) -> None:
    """Recompute dependencies and duplicates from the server's graph; write them back there."""
    from graphmodel.neo4j_store import PushProgress
    from queries.infer import materialise_on_server

    state(ctx, fmt)
    progress = PushProgress()
    started = time.perf_counter()
    with _server() as server:
        written = materialise_on_server(server, progress)
    render(
        [
            {
                **written,
                "edge_batches": progress.edge_batches,
                "stale_removed": progress.swept,
                "seconds": round(time.perf_counter() - started, 3),
            }
        ],
        fmt,
        title="neo4j infer",
    )
