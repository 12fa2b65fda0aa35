"""Materialise inferred links (DEPENDS_ON, DUPLICATES) into a graph."""

from __future__ import annotations

from graphmodel.graph import PartnerGraph
from graphmodel.schema import EdgeKind


def materialise(graph: PartnerGraph) -> None:
    """Recompute every inferred edge of ``graph`` in place (first cut: clears them)."""
    graph.remove_edges(EdgeKind.DEPENDS_ON)
    graph.remove_edges(EdgeKind.DUPLICATES)
