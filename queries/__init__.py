"""Queries: the questions commissioners ask, answered from a store with evidence.

Each function takes ``source: Store | PartnerGraph`` and returns a list of frozen
result rows (``queries.results``); nothing here prints.

Owns: one module per question (dependencies, duplicates, partners, coverage, alignment,
timeline, paths), the inferred links written at load time (`infer`), text similarity
(`_text`, `_stopwords`), the domain lexicon (`lexicon`) and the server (Cypher) versions of
the queries (`cypher`). Derived data is cached per graph by `PartnerGraph.version`.

May import: `graphmodel` and third-party libraries. Never `loaders` (nothing here reads
documents), `viz` or `cli`. tests/test_architecture.py checks this, and lists the import
cycles between `_base`, `cypher` and three query modules that issue 17 item 1 removes.
"""

from .alignment import alignment
from .coverage import coverage
from .dependencies import dependencies
from .duplicates import duplicate_actions
from .partners import partners
from .paths import path, search
from .timeline import due

__all__ = ["alignment", "coverage", "dependencies", "due", "duplicate_actions", "partners", "path", "search"]
