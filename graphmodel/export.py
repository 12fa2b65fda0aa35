"""Export a graph as partnermap/1 JSON, GraphML, GEXF, CSV (nodes + edges) or Cypher.

GraphML and GEXF carry one typed attribute per property (``kind``, ``status``,
``due_date``, ``category``, ``score``, ``method``, ``document``, ``line_start`` ...) so
Gephi can filter on them, and full labels; characters XML forbids are dropped. CSV cells
that a spreadsheet would run as a formula are prefixed with ``'`` (JSON keeps the
original). Files are written atomically with the user's umask.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from .cells import spreadsheet_safe, xml_safe
from .errors import InputError
from .files import ensure_folder, write_atomic
from .graph import PartnerGraph
from .store import dumps

FORMATS = ("json", "graphml", "gexf", "csv", "cypher")
LIST_SEP = "; "

#: Attributes every exported node / edge has; a property of the same name is exported
#: as ``prop_<name>`` so it cannot overwrite them.
NODE_CORE = ("kind", "label", "document", "line_start", "line_end")
EDGE_CORE = ("kind", "score", "method", "evidence", "document", "line_start", "line_end")
# names the GEXF writer reads as structure, not as attributes
_RESERVED = frozenset({"id", "key", "label", "pid", "start", "end", "viz", "spells", "weight"})


def _plain(value: Any) -> str | int | float | bool | None:
    """A property as one typed attribute: lists of plain values joined with "; ", other
    containers as JSON, None left out."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float)) for v in value):
        return LIST_SEP.join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _attributes(core: Mapping[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in core.items() if v is not None}
    for k, v in props.items():
        value = _plain(v)
        if value is None or value == "":
            continue
        out[f"prop_{k}" if k in core or k in _RESERVED else str(k)] = value
    return out


def _one_type(rows: Iterable[dict[str, Any]]) -> None:
    """Give each attribute one type across all rows (GraphML and GEXF declare one):
    ints with floats become floats, anything mixed with text becomes text."""
    rows = list(rows)
    types: dict[str, set[type]] = {}
    for r in rows:
        for k, v in r.items():
            types.setdefault(k, set()).add(type(v))
    for k, seen in types.items():
        if len(seen) < 2:
            continue
        to: type = float if seen <= {int, float} else str
        for r in rows:
            if k in r:
                r[k] = float(r[k]) if to is float else str(r[k])


def flat_graph(graph: PartnerGraph) -> nx.MultiDiGraph:
    """A copy with typed string/number/bool attributes (one per property), as GraphML and
    GEXF require, every text without characters XML forbids."""
    nodes = []
    for n in graph.nodes():
        core = {
            "kind": str(n.kind),
            "label": n.label,
            "document": n.source.document,
            "line_start": n.source.line_start,
            "line_end": n.source.line_end,
        }
        nodes.append((n.id, _attributes(core, n.props)))
    edges = []
    for e in graph.edges():
        core = {
            "kind": str(e.kind),
            "score": e.score,
            "method": e.method,
            "evidence": e.evidence,
            "document": e.source_ref.document,
            "line_start": e.source_ref.line_start,
            "line_end": e.source_ref.line_end,
        }
        edges.append((e.source, e.target, str(e.kind), _attributes(core, e.props)))
    _one_type(a for _, a in nodes)
    _one_type(a for *_, a in edges)

    def clean(attrs: dict[str, Any]) -> dict[str, Any]:
        return {xml_safe(k): xml_safe(v) if isinstance(v, str) else v for k, v in attrs.items()}

    flat = nx.MultiDiGraph()
    for nid, attrs in nodes:
        flat.add_node(xml_safe(nid), **clean(attrs))
    for u, v, key, attrs in edges:
        flat.add_edge(xml_safe(u), xml_safe(v), key=key, **clean(attrs))
    return flat


def _csv_text(header: list[str], rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")  # RFC 4180; quotes any CR or LF in a cell
    w.writerow(header)
    for row in rows:
        w.writerow(["" if v is None else spreadsheet_safe(str(v)) for v in row])
    return buf.getvalue()


def _write(path: Path, text: str) -> None:
    """Every export file goes through `graphmodel.files.write_atomic` (atomic, umask, no
    symlinks, one-line errors)."""
    write_atomic(path, text, what="export")


def export_graph(graph: PartnerGraph, fmt: str, out: Path) -> list[Path]:
    """Write ``graph`` in ``fmt`` to ``out``; returns the files written.

    ``csv`` writes ``nodes.csv`` and ``edges.csv`` into the directory ``out`` (made if
    missing; an existing file there is refused).
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "csv":
        if out.exists() and not out.is_dir():
            raise InputError(f"{out} is a file; csv export writes nodes.csv and edges.csv into a directory")
    elif out.is_dir():
        raise InputError(f"{out} is a directory; give a file name")
    if fmt == "json":
        _write(out, dumps(graph))
        return [out]
    if fmt == "cypher":
        from .cypher import cypher_script

        _write(out, cypher_script(graph))
        return [out]
    if fmt == "csv":
        ensure_folder(out)
        return _export_csv(graph, out)
    flat = flat_graph(graph)
    lines = nx.generate_graphml(flat) if fmt == "graphml" else nx.generate_gexf(flat)
    _write(out, "\n".join(lines) + "\n")
    return [out]


def _export_csv(graph: PartnerGraph, out: Path) -> list[Path]:
    nodes = [
        [
            n.id,
            str(n.kind),
            n.label,
            n.source.document,
            n.source.line_start,
            n.source.line_end,
            json.dumps(n.props, ensure_ascii=False, sort_keys=True),
        ]
        for n in graph.nodes()
    ]
    edges = [
        [
            e.source,
            e.target,
            str(e.kind),
            e.score,
            e.method,
            e.evidence,
            e.source_ref.document,
            e.source_ref.line_start,
            e.source_ref.line_end,
            json.dumps(e.props, ensure_ascii=False, sort_keys=True),
        ]
        for e in graph.edges()
    ]
    node_header = ["id", "kind", "label", "document", "line_start", "line_end", "props"]
    edge_header = [
        "source",
        "target",
        "kind",
        "score",
        "method",
        "evidence",
        "document",
        "line_start",
        "line_end",
        "props",
    ]
    _write(out / "nodes.csv", _csv_text(node_header, nodes))
    _write(out / "edges.csv", _csv_text(edge_header, edges))
    return [out / "nodes.csv", out / "edges.csv"]
