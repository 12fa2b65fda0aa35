"""Time to interactive of the view pages in headless Chromium: the seeds and a 5,000-node graph.

    python -m benchmarks.views [--nodes 5000] [--runs 3]

For each page: Python time to build the view data and write the HTML; then, in Playwright
on /usr/bin/chromium (no network), the wall time from ``page.goto`` to the page's
``partnermap.ready`` flag (set once vis-network has drawn, or physics has settled and
frozen) and the page's own ``performance.now()`` at that moment (ms since navigation
start); then the time one click-to-focus takes (state change, redraw data) once ready.
Prints one JSON object per page; the median of ``--runs`` opens.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from cli.ingest import build, read_paths
from graphmodel.paths import bundled_documents
from viz.render import write_html
from viz.visdata import to_vis_data

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _synthetic(n: int) -> Any:
    """The plan-shaped random graph the browser tests use (tests/viz/conftest.py)."""
    spec = importlib.util.spec_from_file_location("viz_fixtures", ROOT / "tests" / "viz" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module.synthetic_graph(n)


def _open(browser: Any, path: Path) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page = context.new_page()
    t0 = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function("() => window.partnermap && window.partnermap.ready", timeout=120_000)
    wall = time.perf_counter() - t0
    in_page = page.evaluate("() => partnermap.readyMs")
    first = page.evaluate("() => partnermap.nodesView.getIds()[0]")
    click = page.evaluate(
        "(id) => { const t = performance.now(); partnermap.focusOn(id); return performance.now() - t; }",
        first,
    )
    context.close()
    return {"wall_s": wall, "ready_ms_in_page": in_page, "focus_click_ms": click}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.views", description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    graphs = {
        "seeds": build(read_paths(bundled_documents())).graph,
        f"synthetic-{args.nodes}": _synthetic(args.nodes),
    }
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, graph in graphs.items():
            for view in ("strategies", "overview", "partners"):
                t0 = time.perf_counter()
                data = to_vis_data(graph, view=view)
                path = write_html(data, Path(tmp) / f"{name}-{view}.html")
                built = time.perf_counter() - t0
                runs = [_open(browser, path) for _ in range(args.runs)]
                row = {
                    "graph": name,
                    "view": view,
                    "nodes": len(data.nodes),
                    "edges": len(data.edges),
                    "grouped": data.grouped,
                    "physics": data.physics,
                    "page_mb": round(path.stat().st_size / 1e6, 2),
                    "build_s": round(built, 2),
                }
                for key in runs[0]:
                    row[key] = round(statistics.median(r[key] for r in runs), 2)
                print(json.dumps(row))
        browser.close()


if __name__ == "__main__":
    main()
