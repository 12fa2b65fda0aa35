"""Export a graph as partnermap/1 JSON, GraphML, GEXF, CSV (nodes + edges) or Cypher."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import networkx as nx

from .errors import InputError
from .files import ensure_folder
from .graph import PartnerGraph
from .store import atomic_write_text, dumps

FORMATS = ("json", "graphml", "gexf", "csv", "cypher")


def flat_graph(graph: PartnerGraph) -> nx.MultiDiGraph:
    """A copy with only string/number attributes, as GraphML and GEXF require."""
    flat = nx.MultiDiGraph()
    for n in graph.nodes():
        flat.add_node(
            n.id,
            kind=str(n.kind),
            label=n.label,
            props=json.dumps(n.props, ensure_ascii=False, sort_keys=True),
            document=n.source.document,
            line_start=n.source.line_start,
            line_end=n.source.line_end,
        )
    for e in graph.edges():
        attrs: dict[str, Any] = {
            "kind": str(e.kind),
            "props": json.dumps(e.props, ensure_ascii=False, sort_keys=True),
            "document": e.source_ref.document,
            "line_start": e.source_ref.line_start,
            "line_end": e.source_ref.line_end,
        }
        if e.score is not None:
            attrs.update(score=e.score, method=e.method or "", evidence=e.evidence or "")
        flat.add_edge(e.source, e.target, key=str(e.kind), **attrs)
    return flat


def _csv_text(header: list[str], rows: list[list[Any]]) -> str:
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def export_graph(graph: PartnerGraph, fmt: str, out: Path) -> list[Path]:
    """Write ``graph`` in ``fmt`` to ``out``; returns the files written.

    ``csv`` writes ``nodes.csv`` and ``edges.csv`` into the directory ``out``.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if out.exists() and out.is_dir() and fmt != "csv":
        raise InputError(f"{out} is a directory; give a file name")
    if fmt == "json":
        atomic_write_text(out, dumps(graph))
        return [out]
    if fmt == "cypher":
        from .cypher import cypher_script

        atomic_write_text(out, cypher_script(graph))
        return [out]
    if fmt == "csv":
        ensure_folder(out)
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
        atomic_write_text(
            out / "nodes.csv",
            _csv_text(["id", "kind", "label", "document", "line_start", "line_end", "props"], nodes),
        )
        atomic_write_text(
            out / "edges.csv",
            _csv_text(
                [
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
                ],
                edges,
            ),
        )
        return [out / "nodes.csv", out / "edges.csv"]
    flat = flat_graph(graph)
    lines = nx.generate_graphml(flat) if fmt == "graphml" else nx.generate_gexf(flat)
    atomic_write_text(out, "\n".join(lines) + "\n")
    return [out]
