"""What every command shares: the global options (`AppState`), ``--format`` and the error exit.

Kept out of `cli.main` so the command modules (`query`, `neo4j_cmd`, `viz_cmd`) import it
and `cli.main` imports them, with no cycle.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from graphmodel.errors import PartnermapError, StoreError
from graphmodel.store_path import DEFAULT_STORE

if TYPE_CHECKING:
    from graphmodel.store import Store

from .output import Fmt, terminal_safe


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

    def store(self, *, must_exist: bool = True) -> Store:
        """The selected store (Neo4j settings come from the NEO4J_* environment).

        A command that reads (every query, stats, export, viz, report) is refused with a
        `StoreError` naming the path when the embedded store file does not exist, instead
        of answering from an empty graph; ``load`` and ``demo`` pass ``must_exist=False``.
        """
        if must_exist and self.backend is Backend.embedded and not self.store_path.exists():
            raise StoreError(
                f"no store at {self.store_path}; load documents first ('partnermap load FILES') "
                "or name the store with --store (after 'make demo': --store partnermap-demo/graph.json)"
            )
        if self._store is None:
            if self.backend is Backend.neo4j:
                from graphmodel.neo4j_store import Neo4jStore  # lazy: the driver is slow to import

                self._store = Neo4jStore.from_env()
            else:  # lazy: networkx and filelock are not needed for --help
                from graphmodel.store import NetworkxStore

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
    else:  # names from documents may appear in the message: no escapes reach the terminal
        sys.stderr.write(f"error: {terminal_safe(message)}\n")
    return typer.Exit(exc.exit_code)


FmtOpt = Annotated[Fmt, typer.Option("--format", "-f", help="Output format.")]
