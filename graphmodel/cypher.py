"""Cypher shared by the Neo4j store and the ``export --format cypher`` script.

How a graph is laid out on a server (the same for the store and the script):

- a node has two labels, its `NodeKind` and the marker ``Partnermap``; an edge's type
  is its `EdgeKind` and it carries ``pm_app = 'partnermap'``; nothing else ever goes
  into a label or a type, so query text is built from the enums only. Every pattern
  partnermap matches names the marker, so another application's ``(:Organisation)``
  or ``[:LEADS]`` on the same server is never read, counted, swept or cleared;
- node properties: ``id``, ``label``, ``src_document``, ``src_line_start``,
  ``src_line_end``; edge properties: the ``src_*`` of its ``source_ref`` and
  ``score``/``method``/``evidence`` when set;
- ``props``: each entry whose key is a plain identifier and whose value a server can
  hold (string, number, bool, list of strings or of numbers) becomes ``p_<key>`` so
  queries can use it; the rest (None values, nested maps, mixed lists, odd keys) is
  kept as one JSON string ``props_json``, so a round trip gives back the same props;
- ``pm_*`` properties are the store's own bookkeeping and never part of the graph.

In the store every value is a ``$parameter``; in the script values are literals,
escaped by `literal`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .graph import PartnerGraph
from .schema import Edge, EdgeKind, Node, NodeKind, Source

_IDENT = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,80}\Z")
_INT64 = (-(2**63), 2**63 - 1)
SOURCE_KEYS = ("src_document", "src_line_start", "src_line_end", "src_page", "src_sheet")
FIXED_NODE_KEYS = ("id", "label", *SOURCE_KEYS)
FIXED_EDGE_KEYS = (*SOURCE_KEYS, "score", "method", "evidence")


# --------------------------------------------------------------------------- values
def _plain_number(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return _INT64[0] <= v <= _INT64[1]
    return isinstance(v, float) and math.isfinite(v)


def storable(value: Any) -> bool:
    """Can ``value`` be a property value on both FalkorDB and Neo4j, and come back equal?"""
    if isinstance(value, (str, bool)) or _plain_number(value):
        return True
    if isinstance(value, list):
        if all(isinstance(x, str) for x in value):
            return True
        # homogeneous numeric lists only: Neo4j would refuse or coerce a mixed one
        return all(_plain_number(x) and isinstance(x, int) for x in value) or all(
            isinstance(x, float) and math.isfinite(x) for x in value
        )
    return False


def flatten_props(props: dict[str, Any]) -> dict[str, Any]:
    """``props`` as server properties: ``p_<key>`` where possible, else ``props_json``."""
    out: dict[str, Any] = {}
    rest: dict[str, Any] = {}
    for k, v in props.items():
        if isinstance(k, str) and _IDENT.match(k) and storable(v):
            out[f"p_{k}"] = list(v) if isinstance(v, list) else v
        else:
            rest[k] = v
    if rest:
        out["props_json"] = json.dumps(rest, ensure_ascii=False, sort_keys=True)
    return out


def unflatten_props(p: dict[str, Any]) -> dict[str, Any]:
    """Inverse of `flatten_props` (ignores every other property)."""
    props = {k[2:]: v for k, v in p.items() if k.startswith("p_")}
    if p.get("props_json"):
        props.update(json.loads(p["props_json"]))
    return props


def source_properties(src: Source) -> dict[str, Any]:
    """The ``src_*`` server properties of a provenance (`Source.to_dict`, prefixed)."""
    return {f"src_{k}": v for k, v in src.to_dict().items()}


def source_from_properties(p: dict[str, Any]) -> Source:
    """Rebuild a `Source` from ``src_*`` server properties."""
    return Source.from_dict({k[4:]: p[k] for k in SOURCE_KEYS if p.get(k) is not None})


def node_properties(node: Node) -> dict[str, Any]:
    """Every server property of ``node`` (bookkeeping excluded)."""
    out = {"id": node.id, "label": node.label, **source_properties(node.source)}
    out.update(flatten_props(node.props))
    return out


def edge_properties(edge: Edge) -> dict[str, Any]:
    """Every server property of ``edge`` (None fields are left out: null means unset)."""
    out: dict[str, Any] = source_properties(edge.source_ref)
    for key in ("score", "method", "evidence"):
        value = getattr(edge, key)
        if value is not None:
            out[key] = float(value) if key == "score" else value
    out.update(flatten_props(edge.props))
    return out


def node_from_properties(kind: NodeKind, p: dict[str, Any]) -> Node:
    """Rebuild a `Node` from its server properties."""
    return Node(
        str(p["id"]),
        kind,
        str(p.get("label", "")),
        source_from_properties(p),
        unflatten_props(p),
    )


def edge_from_properties(source: str, target: str, kind: EdgeKind, p: dict[str, Any]) -> Edge:
    """Rebuild an `Edge` from its endpoints, type and server properties."""
    score = p.get("score")
    return Edge(
        source,
        target,
        kind,
        source_from_properties(p),
        unflatten_props(p),
        None if score is None else float(score),
        p.get("method"),
        p.get("evidence"),
    )


# --------------------------------------------------------------------------- literals
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def quote_ident(name: str) -> str:
    """A backtick-quoted identifier (backticks doubled), safe for any name."""
    return "`" + name.replace("`", "``") + "`"


def literal(value: Any) -> str:
    """``value`` as a Cypher literal.

    Strings are single-quoted with backslash escapes for quote, backslash and
    line breaks; other characters are written as they are (FalkorDB does not
    understand ``\\u`` hex escapes, Neo4j and FalkorDB both read raw UTF-8).

    Examples
    --------
    >>> literal("it's \\\\ }) DETACH DELETE n //")
    "'it\\\\'s \\\\\\\\ }) DETACH DELETE n //'"
    >>> literal([1, 2.5, None, True])
    '[1, 2.5, null, true]'
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} has no Cypher literal")
        return repr(value)
    if isinstance(value, str):
        return "'" + "".join(_ESCAPES.get(c, c) for c in value) + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{quote_ident(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as a Cypher literal")


# --------------------------------------------------------------------------- shared text
#: The label every partnermap node carries beside its kind (its namespace on a server).
MARKER_LABEL = "Partnermap"
#: The property (and value) every partnermap relationship carries.
REL_MARKER_KEY, REL_MARKER_VALUE = "pm_app", "partnermap"
#: The label of the one node that records a push in progress (not a graph node).
STATE_LABEL = "PartnermapState"


def kind_label(kind: NodeKind | str) -> str:
    """The kind's own label alone (for index statements, which take one label)."""
    return quote_ident(str(NodeKind(kind)))


def marker() -> str:
    """The marker label, quoted, for patterns like ``(n:{marker()})``."""
    return quote_ident(MARKER_LABEL)


def label(kind: NodeKind | str) -> str:
    """The labels of a node kind in a pattern or label test: ``Kind:Partnermap``,
    checked against the enum (never free text)."""
    return f"{kind_label(kind)}:{marker()}"


def rel_is_ours(var: str = "r") -> str:
    """``WHERE`` test that relationship ``var`` was written by partnermap."""
    return f"{var}.{REL_MARKER_KEY} = '{REL_MARKER_VALUE}'"


def rel_type(kind: EdgeKind | str) -> str:
    """The relationship type of an edge kind, checked against the enum."""
    return quote_ident(str(EdgeKind(kind)))


def prop_key(name: str) -> str:
    """A property key for query text: only plain identifiers are accepted."""
    if not _IDENT.match(name):
        raise ValueError(f"not a plain property name: {name!r}")
    return name


def merge_nodes_query(kind: NodeKind) -> str:
    """Upsert a batch ``$rows`` of ``{id, props}`` as ``kind`` nodes (props replaced),
    stamped with push ``$gen``."""
    return (
        f"UNWIND $rows AS row MERGE (n:{label(kind)} {{id: row.id}}) "
        "SET n = row.props, n.id = row.id, n.pm_gen = $gen"
    )


def merge_edges_query(kind: EdgeKind, src: NodeKind, dst: NodeKind) -> str:
    """Upsert a batch ``$rows`` of ``{s, t, props}`` as ``kind`` edges (props replaced),
    stamped with push ``$gen``."""
    return (
        f"UNWIND $rows AS row MATCH (a:{label(src)} {{id: row.s}}) "
        f"MATCH (b:{label(dst)} {{id: row.t}}) "
        f"MERGE (a)-[r:{rel_type(kind)}]->(b) SET r = row.props, r.pm_gen = $gen, "
        f"r.{REL_MARKER_KEY} = '{REL_MARKER_VALUE}'"
    )


def _append(var: str, key: str) -> str:
    # Guarded by a sequence number so a retried append is applied once only; the
    # last one removes pm_seq (null), which marks the element complete.
    k = prop_key(key)
    return (
        f"WITH {var}, coalesce({var}.pm_seq, -1) = $i AS ok "
        f"SET {var}.{k} = CASE WHEN ok THEN {var}.{k} + $part ELSE {var}.{k} END, "
        f"{var}.pm_seq = CASE WHEN ok THEN (CASE WHEN $i + 1 = $m THEN null "
        f"ELSE $i + 1 END) ELSE {var}.pm_seq END"
    )


def append_node_query(kind: NodeKind, key: str) -> str:
    """Append ``$part`` (string or list) to property ``key`` of node ``$id``, step ``$i``."""
    return f"MATCH (n:{label(kind)} {{id: $id}}) " + _append("n", key)


def append_edge_query(kind: EdgeKind, src: NodeKind, dst: NodeKind, key: str) -> str:
    """Append ``$part`` to property ``key`` of edge ``$s``-[kind]->``$t``, step ``$i``."""
    return f"MATCH (:{label(src)} {{id: $s}})-[r:{rel_type(kind)}]->(:{label(dst)} {{id: $t}}) " + _append(
        "r", key
    )


def sweep_nodes_query(kind: NodeKind) -> str:
    """Delete up to ``$limit`` ``kind`` nodes not written by push ``$gen``."""
    return (
        f"MATCH (n:{label(kind)}) WHERE coalesce(n.pm_gen, '') <> $gen "
        "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS c"
    )


def sweep_edges_query(kind: EdgeKind) -> str:
    """Delete up to ``$limit`` ``kind`` edges not written by push ``$gen``."""
    return (
        f"MATCH (:{marker()})-[r:{rel_type(kind)}]->(:{marker()}) "
        f"WHERE {rel_is_ours()} AND coalesce(r.pm_gen, '') <> $gen "
        "WITH r LIMIT $limit DELETE r RETURN count(*) AS c"
    )


def page_nodes_query(kind: NodeKind) -> str:
    """A page of ``kind`` nodes after id ``$after``: short properties plus long keys.

    Long values (written in parts) are left out here and read in slices, because a
    FalkorDB reply record of ~70 KB or more never arrives.
    """
    return (
        f"MATCH (n:{label(kind)}) WHERE n.id > $after "
        "WITH n ORDER BY n.id LIMIT $limit "
        "RETURN n.id AS id, coalesce(n.pm_long, []) AS long, n.pm_seq AS seq, "
        "[k IN keys(n) WHERE NOT k IN coalesce(n.pm_long, []) | [k, n[k]]] AS kv"
    )


def page_edges_query(kind: NodeKind, typed: bool = False) -> str:
    """Out-edges of the ``kind`` nodes with ids in (``$after``, ``$last``]
    (only of the types in ``$types`` when ``typed``).

    The range comes from a page of `page_nodes_query`, so ids compare the server's
    way on both sides.
    """
    only = " AND type(r) IN $types" if typed else ""
    return (
        f"MATCH (a:{label(kind)})-[r]->(b:{marker()}) WHERE a.id > $after AND a.id <= $last{only} "
        f"AND {rel_is_ours()} "
        "RETURN a.id AS s, b.id AS t, type(r) AS type, labels(b) AS labels, "
        "coalesce(r.pm_long, []) AS long, r.pm_seq AS seq, "
        "[k IN keys(r) WHERE NOT k IN coalesce(r.pm_long, []) | [k, r[k]]] AS kv"
    )


def slice_node_query(kind: NodeKind, key: str, is_text: bool) -> str:
    """``$len`` characters (or items) of long property ``key`` from ``$off``, with its size."""
    return f"MATCH (n:{label(kind)} {{id: $id}}) " + _slice("n", prop_key(key), is_text)


def slice_edge_query(kind: EdgeKind, src: NodeKind, dst: NodeKind, key: str, is_text: bool) -> str:
    """Like `slice_node_query`, for edge ``$s``-[kind]->``$t``."""
    return f"MATCH (:{label(src)} {{id: $s}})-[r:{rel_type(kind)}]->(:{label(dst)} {{id: $t}}) " + _slice(
        "r", prop_key(key), is_text
    )


def _slice(var: str, k: str, is_text: bool) -> str:
    # The length is clamped to what is left: FalkorDB 4.16's substring() sometimes drops
    # the last character when asked for more than remains (measured).
    n = f"CASE WHEN size({var}.{k}) - $off < $len THEN size({var}.{k}) - $off ELSE $len END"
    part = f"substring({var}.{k}, $off, {n})" if is_text else f"{var}.{k}[$off..$off + {n}]"
    return f"RETURN {part} AS part, size({var}.{k}) AS total"


# --------------------------------------------------------------------------- script
def cypher_script(graph: PartnerGraph) -> str:
    """A Cypher script that recreates ``graph``: one statement per line, ``;``-terminated.

    Statements are idempotent (MERGE by id, properties replaced) and use the same
    layout as `graphmodel.neo4j_store.Neo4jStore`, so a server loaded with the
    script reads back as the same graph. The ``CREATE INDEX`` lines fail harmlessly
    when the index already exists. Values are escaped literals, not parameters:
    document text can never end a string or a statement early.
    """
    kinds = {n.id: n.kind for n in graph.nodes()}
    lines = [
        "// partnermap graph as Cypher (openCypher; Neo4j 5 and FalkorDB)",
        f"// {len(kinds)} nodes, {graph.edge_count} edges",
        "// index on id first, so the MERGEs below stay fast",
    ]
    lines += [
        f"CREATE INDEX FOR (n:{kind_label(k)}) ON (n.id);" for k in NodeKind if k in set(kinds.values())
    ]
    for node in graph.nodes():
        props = node_properties(node)
        lines.append(f"MERGE (n:{label(node.kind)} {{id: {literal(node.id)}}}) SET n = {literal(props)};")
    for e in graph.edges():
        lines.append(
            f"MATCH (a:{label(kinds[e.source])} {{id: {literal(e.source)}}}) "
            f"MATCH (b:{label(kinds[e.target])} {{id: {literal(e.target)}}}) "
            f"MERGE (a)-[r:{rel_type(e.kind)}]->(b) SET r = {literal(edge_properties(e))}, "
            f"r.{REL_MARKER_KEY} = '{REL_MARKER_VALUE}';"
        )
    return "\n".join(lines) + "\n"
