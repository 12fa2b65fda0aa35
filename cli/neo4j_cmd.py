"""``partnermap neo4j push|pull|clear|status``."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True)
