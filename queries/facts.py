"""What a query asks of a store: the `Facts` protocol and the facts both stores give.

Each query module builds its rows once, from facts. Where the facts come from is chosen
once, by type, when a source becomes facts (`queries.backend.facts_of`): `GraphFacts`
(`queries.memory`) gathers them from a graph in memory (the embedded store, or any
`PartnerGraph`); `CypherFacts` (`queries.cypher`) asks a graph server by Cypher over
Bolt, matching and aggregating there. Both give the same facts, so every query gives the
same rows on both stores (``tests/neo4j/test_differential.py``).

This module holds the shared vocabulary (the fact types, `is_finished`, `NEEDS`) and
imports nothing of ``queries``, so both implementations and every query can import it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple, Protocol

from graphmodel.graph import PartnerGraph
from graphmodel.schema import INFERRED_EDGES, Edge, EdgeKind, Node, NodeKind, Source

#: A recommendation node and what addresses it: (edge source, addressing node) pairs.
Addressed = tuple[Node, list[tuple[Source, Node]]]

#: query name -> (node kinds, edge kinds) of the part of the graph it reads (None: all).
#: Only the text-inference queries read a part of the graph (they score text in Python);
#: none of them reads documents, recommendations, ADDRESSES or the stored inferred links.
_TEXT_NODES = frozenset(NodeKind) - {NodeKind.DOCUMENT, NodeKind.RECOMMENDATION}
_TEXT_EDGES = frozenset(EdgeKind) - INFERRED_EDGES - {EdgeKind.ADDRESSES}
NEEDS: dict[str, tuple[frozenset[NodeKind] | None, frozenset[EdgeKind] | None]] = {
    "dependencies": (_TEXT_NODES, _TEXT_EDGES),
    "duplicates": (_TEXT_NODES, _TEXT_EDGES),
    "alignment": (_TEXT_NODES, _TEXT_EDGES),
}

#: Shortest paths a path query considers (both stores stop at this many).
MAX_PATHS = 200

DONE = frozenset({"achieved", "complete", "completed", "done", "delivered", "closed"})
# a due cell reporting the work finished: "profile completed January 2017", "achieved";
# not "to be completed by July 2017"
_STATED_DONE = re.compile(
    r"(?<!to be )(?<!will be )(?<!not )\b(?:completed|achieved|delivered)\b", re.IGNORECASE
)


def is_done(status: object) -> bool:
    """Does an action's status say it is finished?

    >>> is_done("Achieved"), is_done("in progress")
    (True, False)
    """
    return str(status if status is not None else "").lower() in DONE


def is_finished(status: object, due_text: object = None) -> bool:
    """Is an action finished: its status says so, or its due cell reports it completed
    ("Knife crime profile completed January 2017")?

    >>> is_finished(None, "Profile completed January 2017"), is_finished(None, "to be completed by July")
    (True, False)
    """
    return is_done(status) or (isinstance(due_text, str) and bool(_STATED_DONE.search(due_text)))


class DueFact(NamedTuple):
    """An action (with at least the properties `queries.timeline.due` reads), the name of
    its strategy ("" for none) and the sorted names of the bodies that lead it."""

    action: Node
    strategy: str
    leads: tuple[str, ...]


@dataclass
class PartnerFacts:
    """What partner load (`queries.partners`) is computed from."""

    bodies: dict[str, Node] = field(default_factory=dict)  # bodies taking part in actions
    #: body -> edge kind -> strategy id ("" for none) -> actions
    counts: dict[str, dict[str, Counter[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(Counter))
    )
    sources: dict[str, list[Source]] = field(default_factory=lambda: defaultdict(list))
    #: body -> role edges from blanket cells ("Council"; ``props.generic``)
    generic: Counter[str] = field(default_factory=Counter)
    #: action id -> body -> True when it takes part by a named role (not only blanket cells)
    participants: dict[str, dict[str, bool]] = field(default_factory=lambda: defaultdict(dict))
    #: open (unfinished) action id -> its text
    open_actions: dict[str, str] = field(default_factory=dict)
    degree: dict[str, int] = field(default_factory=dict)
    strategy_labels: dict[str, str] = field(default_factory=dict)
    strategy_actions: dict[str, int] = field(default_factory=dict)

    def add_role(self, body: str, action: str, generic: bool) -> None:
        """Note that ``body`` takes part in ``action`` (by a blanket cell if ``generic``)."""
        if generic:
            self.generic[body] += 1
        per = self.participants[action]
        per[body] = per.get(body, False) or not generic


class Facts(Protocol):
    """The facts the queries ask a store for; `GraphFacts` and `CypherFacts` give them.

    Nodes come back with at least the properties the asking query reads (a server sends
    no more than that); ids are node ids, names are node labels.
    """

    def graph(self, query: str | None = None) -> PartnerGraph:
        """The part of the graph ``query`` reads (`NEEDS`; all of it for other queries):
        for the queries that score text in Python."""
        ...

    def addressed(self) -> list[Addressed]:
        """Each recommendation with what ADDRESSES it (`queries.coverage`)."""
        ...

    def due(self, before: date | None) -> Iterable[DueFact]:
        """Every action, or at least every action whose ``due_date`` is before ``before``
        (the caller re-checks the date) (`queries.timeline.due`)."""
        ...

    def documents(self) -> list[Node]:
        """The Document nodes (`queries.timeline.document_dates`)."""
        ...

    def partners(self) -> PartnerFacts:
        """Who takes part in what (`queries.partners`)."""
        ...

    def search_nodes(self) -> Iterable[Node]:
        """Every node but documents, with their names, aliases and text (`queries.paths.search`)."""
        ...

    def strategy_labels(self, ids: list[str]) -> dict[str, str]:
        """The name of the strategy each action or priority of ``ids`` belongs to (those in one)."""
        ...

    def heads(self, ids: list[str]) -> dict[str, tuple[NodeKind, str]]:
        """(kind, name) of each node of ``ids`` that the store holds."""
        ...

    def shortest_paths(self, start: str, end: str) -> list[tuple[str, ...]]:
        """Node-id sequences of the shortest simple undirected paths from ``start`` to
        ``end`` (Documents left out; at most `MAX_PATHS`, in no particular order)."""
        ...

    def pair_edge(self, u: str, v: str) -> Edge:
        """The edge a path explains the hop between ``u`` and ``v`` by: of the edges
        between them either way, the first by (source, target, kind)."""
        ...
