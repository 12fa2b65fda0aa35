"""Where the bundled data lives: the documents and curated YAML of the ``data/`` folder.

``data/`` is installed as the package ``partnermap_data`` (package data in the wheel, see
pyproject.toml), so it is found the same way from a source tree, an editable install or a
wheel. ``PARTNERMAP_DATA`` names another folder to use instead (a commissioner's own
curated YAML and documents).
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

#: The import name of the ``data/`` folder (not ``data``: too common a name to install).
DATA_PACKAGE = "partnermap_data"

#: The data folder: ``PARTNERMAP_DATA`` if set, else the installed ``partnermap_data``.
DATA_DIR = Path(os.environ.get("PARTNERMAP_DATA") or str(files(DATA_PACKAGE)))


def bundled_documents() -> list[Path]:
    """The bundled corpus: every text document directly in ``data/``."""
    return sorted(p for p in DATA_DIR.glob("*.txt") if p.is_file())


def missing_data_file(path: Path) -> str:
    """The one-line error for a curated file that is not there (never read as empty: an
    empty alias list would load silently and resolve nothing)."""
    where = "PARTNERMAP_DATA" if os.environ.get("PARTNERMAP_DATA") else "the installed partnermap data"
    return f"curated data file {path.name} not found in {path.parent} ({where}); restore it or reinstall"
