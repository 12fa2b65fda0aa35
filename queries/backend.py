"""Which facts a query reads: `facts_of` turns a source into `queries.facts.Facts`, once, by type.

A source is a `PartnerGraph`, a store, or facts already made. A `CypherStore` (the Neo4j
store) is asked by Cypher (`CypherFacts`); any other store is read once into memory, and a
graph is used as it is (`GraphFacts`). Every query turns its source into facts once and
passes the facts on (a path resolves both names and finds its paths from one facts object).
"""

from __future__ import annotations

from typing import TypeAlias

from graphmodel.graph import PartnerGraph
from graphmodel.store import CypherStore, Store

from .cypher import CypherFacts
from .facts import Facts
from .memory import GraphFacts

#: What every query takes: a graph, a store, or the facts of one (passed on within a query).
QuerySource: TypeAlias = Store | PartnerGraph | Facts


def facts_of(source: QuerySource) -> Facts:
    """The facts of ``source``: by Cypher on a graph server (a `CypherStore`), else from a
    graph in memory (another store is read once); facts are returned as they are."""
    if isinstance(source, PartnerGraph):
        return GraphFacts(source)
    if isinstance(source, CypherStore):
        return CypherFacts(source)
    if isinstance(source, Store):
        return GraphFacts(source.read())
    return source


def graph_of(source: QuerySource, query: str | None = None) -> PartnerGraph:
    """The part of the graph behind ``source`` that ``query`` reads (`queries.facts.NEEDS`;
    a store is read once, a graph server sends only those kinds)."""
    return facts_of(source).graph(query)
