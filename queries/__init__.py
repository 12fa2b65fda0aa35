"""Queries: the questions commissioners ask, answered from a store with evidence.

Each function takes a source (``queries.backend.QuerySource``: a `PartnerGraph`, a store,
or the facts of one) and returns a list of frozen result rows (``queries.results``);
nothing here prints.

Owns: one module per question (dependencies, duplicates, partners, coverage, alignment,
timeline, progress, paths), the inferred links written at load time (`infer`), text
similarity (`_text`, `_stopwords`, `_semantic`), the domain lexicon (`lexicon`), and the
split between a question and its store:

- `facts`: the `Facts` protocol (what a question asks a store: recommendations and what
  addresses them, due rows, partner facts, search nodes, node names, strategies, shortest
  paths, documents, and for the text queries the part of the graph they read) and the fact
  types both stores give (`Addressed`, `DueFact`, `PartnerFacts`, `is_finished`, `NEEDS`);
- `memory`: `GraphFacts`, the facts of a graph in memory (the embedded store);
- `cypher`: `CypherFacts`, the facts asked of a graph server by Cypher over Bolt;
- `backend`: `facts_of` / `graph_of`, which choose between the two once, by type (a
  `graphmodel.store.CypherStore` is asked by Cypher; any other store is read once).

Each question's module builds its rows once, from facts, so every query gives the same
rows on both stores. Derived data is cached per graph by `PartnerGraph.version`.

May import: `graphmodel` and third-party libraries. Never `loaders` (nothing here reads
documents), `viz` or `cli`. Inside the package imports run one way, with no cycles:
``_base``/``facts`` -> ``memory``/``cypher`` -> ``backend`` -> the question modules
(tests/test_architecture.py checks both).
"""

from .alignment import alignment
from .coverage import coverage
from .dependencies import dependencies
from .duplicates import duplicate_actions
from .partners import partners
from .paths import path, search
from .timeline import due

__all__ = ["alignment", "coverage", "dependencies", "due", "duplicate_actions", "partners", "path", "search"]
