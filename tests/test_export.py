"""Exports read back with networkx and keep every node and edge."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from graphmodel.errors import InputError
from graphmodel.export import export_graph
from graphmodel.graph import PartnerGraph


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_read_back(tmp_path: Path, tiny_graph: PartnerGraph, fmt: str, reader) -> None:
    out = tmp_path / f"g.{fmt}"
    export_graph(tiny_graph, fmt, out)
    back = reader(out)
    assert back.number_of_nodes() == len(tiny_graph)
    assert back.number_of_edges() == tiny_graph.edge_count
    node = back.nodes["action:kc-1"]
    assert node["kind"] == "Action"
    assert node["due_date"] == "2017-12-31" and node["status"] == "open"  # typed, not one JSON string
    assert node["document"] == "tiny.txt"
    kinds = sorted(d["kind"] for _, _, d in back.edges(data=True))
    assert kinds == sorted(str(e.kind) for e in tiny_graph.edges())


def test_json_export_is_the_store_form(tmp_path: Path, tiny_graph: PartnerGraph) -> None:
    out = tmp_path / "g.json"
    export_graph(tiny_graph, "json", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "partnermap/1"
    assert PartnerGraph.from_dict(data).to_dict() == tiny_graph.to_dict()


def test_csv_export_writes_nodes_and_edges(tmp_path: Path, tiny_graph: PartnerGraph) -> None:
    files = export_graph(tiny_graph, "csv", tmp_path / "csv")
    nodes = list(csv.DictReader(files[0].read_text(encoding="utf-8").splitlines()))
    edges = list(csv.DictReader(files[1].read_text(encoding="utf-8").splitlines()))
    assert len(nodes) == len(tiny_graph) and len(edges) == tiny_graph.edge_count
    assert {r["kind"] for r in edges} >= {"LEADS", "PART_OF", "ADDRESSES"}


def test_unknown_format_is_an_input_error(tmp_path: Path, tiny_graph: PartnerGraph) -> None:
    with pytest.raises(InputError, match="unknown export format"):
        export_graph(tiny_graph, "pdf", tmp_path / "g.pdf")
