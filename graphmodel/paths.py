"""Where the bundled data lives (documents and curated YAML in the top-level ``data/``)."""

from __future__ import annotations

import os
from pathlib import Path

#: ``data/`` beside the packages; PARTNERMAP_DATA overrides (e.g. a wheel without it).
DATA_DIR = Path(os.environ.get("PARTNERMAP_DATA") or Path(__file__).resolve().parents[1] / "data")


def bundled_documents() -> list[Path]:
    """The bundled corpus: every text document directly in ``data/``."""
    return sorted(p for p in DATA_DIR.glob("*.txt") if p.is_file())
