"""``partnermap viz`` and ``partnermap report``."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add the view commands to ``app``."""
