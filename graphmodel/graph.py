"""The typed graph over a networkx MultiDiGraph: idempotent merge, lookups, validation.

Nodes and edges keep their fields as plain attributes so networkx algorithms and
exporters see them; `Node`/`Edge` objects are built on the way out.

Change a graph only through its methods (`add_node`, `add_edge`, `set_prop`,
`remove_node`, `remove_edges`, `merge`): each change bumps `PartnerGraph.version`, which
is what caches of derived data (``queries._base.per_graph``) are keyed by. The ``props``
of a `Node` read from the graph are the graph's own dict: read them, never write them.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

import networkx as nx

from .errors import PartnermapError
from .schema import ALLOWED_EDGES, INFERRED_EDGES, SCHEMA_ID, Edge, EdgeKind, Node, NodeKind, Source


class GraphValidationError(PartnermapError):
    """The graph breaks the schema; ``problems`` lists every finding."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"graph is invalid: {problems[0]}{more}")


def _merge_props(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Merge ``new`` into ``old``: lists grow into sorted unions, other values keep the first."""
    out = dict(old)
    for k, v in new.items():
        if k not in out or out[k] is None or out[k] == "":
            out[k] = v
        elif isinstance(out[k], list) and isinstance(v, list):
            extra = [x for x in v if x not in out[k]]
            if extra:  # sorted, so the result is the same whichever side came first
                out[k] = sorted([*out[k], *extra], key=str)
    return out


def _merged_props(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any] | None:
    """`_merge_props` (old, new), or None when that would equal ``old`` (the common case of
    a node or edge seen again), so nothing is copied."""
    out: dict[str, Any] | None = None
    for k, v in new.items():
        if k not in old:
            out = out if out is not None else dict(old)
            out[k] = v
            continue
        cur = old[k]
        if cur is None or cur == "":
            if v is cur:
                continue  # None over None, "" over "": unchanged
            out = out if out is not None else dict(old)
            out[k] = v
        elif isinstance(cur, list) and isinstance(v, list):
            extra = [x for x in v if x not in cur]
            if extra:
                out = out if out is not None else dict(old)
                out[k] = sorted([*cur, *extra], key=str)
    return out


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with Python's cyclic garbage collector off (and restore it after).

    Building or scanning a 100k-action graph allocates millions of small dicts and tuples
    that stay alive; the collector would re-walk all of them again and again (a third of
    the build time at 100k actions) to find no cycles. Reference counting still frees
    everything that goes out of use, and cycles made meanwhile are collected afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def settle_as_old() -> None:
    """Move every object the cyclic collector tracks into its oldest generation.

    Call it at the end of a `gc_paused` block that built a large structure meant to live
    on (a graph, a load's records): otherwise the first collection after the pause walks
    all of it as young objects, and walks it again a little later (about 2.7 s after a
    100k-action build). Collected later with the old generation, so nothing is leaked.
    ``gc.freeze`` then ``gc.unfreeze`` moves the objects without walking them; nothing
    is done if something else froze objects (their freeze is theirs to undo).
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


class PartnerGraph:
    """A partnermap graph. Adding the same node or edge twice changes nothing.

    Examples
    --------
    >>> from graphmodel.schema import Node, NodeKind, Source
    >>> g = PartnerGraph()
    >>> src = Source("doc.txt", 1, 1)
    >>> g.add_node(Node("org:a", NodeKind.ORGANISATION, "A", src, {"aliases": ["A"]}))
    >>> g.add_node(Node("org:a", NodeKind.ORGANISATION, "A", src, {"aliases": ["Aa"]}))
    >>> g.node("org:a").props["aliases"]
    ['A', 'Aa']
    """

    def __init__(self) -> None:
        self.g: nx.MultiDiGraph = nx.MultiDiGraph()
        self._version = 0

    @property
    def version(self) -> int:
        """A counter bumped by every change made through this graph's methods (any node or
        edge added, merged into, removed, or a property set): equal versions of one graph
        object mean equal contents, so derived data may be cached by it."""
        return self._version

    # ------------------------------------------------------------------ building
    def add_node(self, node: Node) -> None:
        """Add ``node``, or merge it into the node with the same id."""
        d = self.g._node.get(node.id)  # the node's attribute dict (networkx's own store)
        if d is not None:
            # scalar props keep the value of the earliest source, so the merged node is the
            # same whichever document was loaded first
            if node.source < d["source"]:
                d["props"] = _merge_props(node.props, d["props"])
                d["source"] = node.source
                self._version += 1
            else:
                merged = _merged_props(d["props"], node.props)
                if merged is not None:
                    d["props"] = merged
                    self._version += 1
            return
        self.g.add_node(
            node.id, kind=NodeKind(node.kind), label=node.label, props=dict(node.props), source=node.source
        )
        self._version += 1

    def add_edge(self, edge: Edge) -> None:
        """Add ``edge``; an edge with the same (source, target, kind) is merged."""
        kind = edge.kind if type(edge.kind) is EdgeKind else EdgeKind(edge.kind)
        # networkx's own adjacency (u -> v -> key -> attributes): one lookup, no views
        keys = self.g._adj.get(edge.source, {}).get(edge.target)
        d = keys.get(str(kind)) if keys else None
        if d is not None:
            merged = _merged_props(d["props"], edge.props)
            if merged is not None:
                d["props"] = merged
                self._version += 1
            if edge.source_ref < d["source_ref"]:
                d["source_ref"] = edge.source_ref
                self._version += 1
            if edge.score is not None and (d["score"] is None or edge.score > d["score"]):
                d.update(score=edge.score, method=edge.method, evidence=edge.evidence)
                self._version += 1
            return
        self.g.add_edge(
            edge.source,
            edge.target,
            key=str(kind),
            kind=kind,
            props=dict(edge.props),
            score=edge.score,
            method=edge.method,
            evidence=edge.evidence,
            source_ref=edge.source_ref,
        )
        self._version += 1

    def set_prop(self, node_id: str, key: str, value: Any) -> None:
        """Set one property of a node (the way to change a node in place)."""
        props = self.g._node[node_id]["props"]
        if key not in props or props[key] != value:
            props[key] = value
            self._version += 1

    def remove_node(self, node_id: str) -> None:
        """Remove a node and every edge at it (``KeyError`` if there is no such node)."""
        if node_id not in self.g:
            raise KeyError(node_id)
        self.g.remove_node(node_id)
        self._version += 1

    def remove_edges(self, kind: EdgeKind) -> int:
        """Remove every edge of ``kind`` (e.g. before re-inferring); returns how many."""
        doomed = [(u, v, k) for u, v, k in self.g.edges(keys=True) if k == str(kind)]
        self.g.remove_edges_from(doomed)
        if doomed:
            self._version += 1
        return len(doomed)

    def merge(self, other: PartnerGraph) -> None:
        """Merge every node and edge of ``other`` into this graph."""
        for n in other.nodes():
            self.add_node(n)
        for e in other.edges():
            self.add_edge(e)

    # ------------------------------------------------------------------ reading
    def __contains__(self, node_id: object) -> bool:
        return node_id in self.g

    def __len__(self) -> int:
        return self.g.number_of_nodes()

    @property
    def edge_count(self) -> int:
        return self.g.number_of_edges()

    # Hot lookups read networkx's own dicts (``_node``, ``_succ``, ``_pred``): its views build a
    # wrapper per call and per item, which dominates queries over 100k actions.
    def node(self, node_id: str) -> Node:
        d = self.g._node[node_id]
        return Node(node_id, d["kind"], d["label"], d["source"], d["props"])

    def kind_of(self, node_id: str) -> NodeKind:
        return self.g._node[node_id]["kind"]

    def targets(self, node_id: str, kind: EdgeKind) -> list[str]:
        """Ids ``node_id`` has an edge of ``kind`` to, in the order `out_edges` lists them."""
        key = str(kind)
        return [v for v, keys in self.g._succ[node_id].items() if key in keys]

    def in_edge_data(self, node_id: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(source id, kind, attribute dict) of each edge into ``node_id``, without building
        `Edge` objects (read-only: the dicts are the graph's own)."""
        for u, keys in self.g._pred[node_id].items():
            for k, d in keys.items():
                yield u, k, d

    def nodes(self, kind: NodeKind | None = None) -> Iterator[Node]:
        """Nodes (of one kind), in id order so output is deterministic."""
        nodes = self.g._node
        ids = sorted(nodes if kind is None else (n for n, d in nodes.items() if d["kind"] == kind))
        for nid in ids:
            d = nodes[nid]
            yield Node(nid, d["kind"], d["label"], d["source"], d["props"])

    def _edge(self, u: str, v: str, d: dict[str, Any]) -> Edge:
        return Edge(u, v, d["kind"], d["source_ref"], d["props"], d["score"], d["method"], d["evidence"])

    def edges(self, kind: EdgeKind | None = None) -> Iterator[Edge]:
        """Edges (of one kind), ordered by (source, target, kind)."""
        rows = sorted(self.g.edges(keys=True, data=True), key=itemgetter(0, 1, 2))
        for u, v, k, d in rows:
            if kind is None or k == str(kind):
                yield self._edge(u, v, d)

    def out_edges(self, node_id: str, kind: EdgeKind | None = None) -> list[Edge]:
        return [
            self._edge(u, v, d)
            for u, v, k, d in self.g.out_edges(node_id, keys=True, data=True)
            if kind is None or k == str(kind)
        ]

    def in_edges(self, node_id: str, kind: EdgeKind | None = None) -> list[Edge]:
        return [
            self._edge(u, v, d)
            for u, v, k, d in self.g.in_edges(node_id, keys=True, data=True)
            if kind is None or k == str(kind)
        ]

    def neighbours(self, node_id: str, kinds: Iterable[EdgeKind] | None = None) -> set[str]:
        """Ids joined to ``node_id`` in either direction (by edges of ``kinds``)."""
        wanted = None if kinds is None else {str(k) for k in kinds}
        out = {v for _, v, k in self.g.out_edges(node_id, keys=True) if wanted is None or k in wanted}
        out |= {u for u, _, k in self.g.in_edges(node_id, keys=True) if wanted is None or k in wanted}
        return out

    def strategy_of(self, node_id: str) -> str | None:
        """The Strategy a node belongs to, following PART_OF upwards (None if none)."""
        seen = {node_id}
        frontier = [node_id]
        nodes = self.g._node
        while frontier:
            nid = frontier.pop()
            if nodes[nid]["kind"] == NodeKind.STRATEGY and nid != node_id:
                return nid
            for v in sorted(self.targets(nid, EdgeKind.PART_OF)):
                if v not in seen:
                    seen.add(v)
                    frontier.append(v)
        return None

    def members_of(self, strategy_id: str) -> set[str]:
        """Every node PART_OF (transitively) ``strategy_id``."""
        rev = self.g.reverse(copy=False)
        members: set[str] = set()
        frontier = [strategy_id]
        while frontier:
            nid = frontier.pop()
            for _, child, k in rev.out_edges(nid, keys=True):
                if k == EdgeKind.PART_OF and child not in members:
                    members.add(child)
                    frontier.append(child)
        return members

    def subgraph(self, node_ids: Iterable[str]) -> PartnerGraph:
        """A new graph with ``node_ids`` and the edges among them."""
        sub = PartnerGraph()
        sub.g = self.g.subgraph(set(node_ids)).copy()
        return sub

    def subgraph_by_kind(self, kinds: Iterable[NodeKind]) -> PartnerGraph:
        wanted = set(kinds)
        return self.subgraph(n for n, d in self.g.nodes(data=True) if d["kind"] in wanted)

    def counts(self) -> dict[str, dict[str, int]]:
        """Node and edge counts by kind."""
        nodes: dict[str, int] = {}
        for _, d in self.g.nodes(data=True):
            nodes[str(d["kind"])] = nodes.get(str(d["kind"]), 0) + 1
        edges: dict[str, int] = {}
        for _, _, k in self.g.edges(keys=True):
            edges[k] = edges.get(k, 0) + 1
        return {"nodes": dict(sorted(nodes.items())), "edges": dict(sorted(edges.items()))}

    # ------------------------------------------------------------------ checking
    def problems(self) -> list[str]:
        """Every schema problem found (empty when the graph is valid)."""
        found: list[str] = []
        known = set(NodeKind)
        kinds: dict[str, Any] = {}
        for nid, d in self.g.nodes(data=True):
            kinds[nid] = d.get("kind")
            if d.get("kind") not in known:
                found.append(f"node {nid!r} has unknown kind {d.get('kind')!r}")
            if not isinstance(d.get("source"), Source):
                found.append(f"node {nid!r} has no source")
        edge_kinds = {str(k): k for k in EdgeKind}
        for u, v, k, d in self.g.edges(keys=True, data=True):
            kind = edge_kinds.get(k)
            if kind is None:
                found.append(f"edge {u!r}->{v!r} has unknown kind {k!r}")
                continue
            pair = (kinds[u], kinds[v])
            if pair not in ALLOWED_EDGES[kind]:
                found.append(f"edge {k} not allowed from {pair[0]} to {pair[1]} ({u!r}->{v!r})")
            if not isinstance(d.get("source_ref"), Source):
                found.append(f"edge {k} {u!r}->{v!r} has no source")
            if kind in INFERRED_EDGES and (d.get("score") is None or not d.get("evidence")):
                found.append(f"inferred edge {k} {u!r}->{v!r} lacks score or evidence")
        return found

    def validate(self) -> None:
        """Raise `GraphValidationError` listing every problem, if there are any."""
        found = self.problems()
        if found:
            raise GraphValidationError(found)

    # ------------------------------------------------------------------ JSON form
    def to_dict(self) -> dict[str, Any]:
        """The ``partnermap/1`` node-link form of DESIGN.md (deterministic order)."""
        return {
            "schema": SCHEMA_ID,
            "nodes": [n.to_dict() for n in self.nodes()],
            "edges": [e.to_dict() for e in self.edges()],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PartnerGraph:
        """Inverse of `to_dict`; raises KeyError/ValueError/TypeError on malformed data."""
        g = cls()
        for n in data["nodes"]:
            g.add_node(
                Node(
                    str(n["id"]),
                    NodeKind(n["kind"]),
                    str(n["label"]),
                    Source.from_dict(n["source"]),
                    dict(n.get("props") or {}),
                )
            )
        for e in data["edges"]:
            if e["source"] not in g or e["target"] not in g:
                raise ValueError(f"edge {e['source']}->{e['target']} names a missing node")
            score = e.get("score")
            g.add_edge(
                Edge(
                    str(e["source"]),
                    str(e["target"]),
                    EdgeKind(e["kind"]),
                    Source.from_dict(e["source_ref"]),
                    dict(e.get("props") or {}),
                    None if score is None else float(score),
                    e.get("method"),
                    e.get("evidence"),
                )
            )
        return g
