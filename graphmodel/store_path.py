"""Where the embedded store lives unless ``--store`` or ``PARTNERMAP_STORE`` says otherwise.

Apart from `graphmodel.store` (which re-exports it) so that ``partnermap --help`` can show
the default without importing networkx and filelock.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_STORE = Path(".partnermap") / "graph.json"
