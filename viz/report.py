"""The report site: an index of headline numbers and sortable tables, plus one page per view.

Tables come from the `queries` package when it provides them (see `viz.tables`),
else straight from the graph; every row cites its sources (document:lines) and
links to the view page that shows it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from graphmodel.errors import InputError
from graphmodel.files import ensure_folder, write_atomic
from graphmodel.graph import PartnerGraph

from .render import check_offline, environment, page_assets, write_html
from .tables import Table, headline, report_tables
from .visdata import to_vis_data

#: The view pages of the site, in menu order, with their menu labels.
PAGES = (
    ("overview", "Overview"),
    ("dependencies", "Dependencies"),
    ("partners", "Partners"),
    ("recommendations", "Recommendations"),
)
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


def _nav(current: str) -> list[tuple[str, str]]:
    links = [("Report", "index.html")] + [(label, f"{view}.html") for view, label in PAGES]
    return [(label, href) for label, href in links if href != f"{current}.html"]


def render_index(graph: PartnerGraph, tables: Sequence[Table]) -> str:
    """The index page: headline numbers and the tables (autoescaped template)."""
    html = (
        environment()
        .get_template("report.html.j2")
        .render(
            heading="partnermap report",
            nav=_nav("index"),
            headline=headline(graph, tables),
            tables=list(tables),
            **page_assets("report.js", vis=False),
        )
    )
    check_offline(html)
    return html


def write_report(graph: PartnerGraph, out_dir: Path | str, *, png: bool = False) -> list[Path]:
    """Write ``index.html`` and one page per view into ``out_dir``; return the files written.

    With ``png`` also screenshot every page with headless Chromium (``<page>.png``);
    raises `InputError` when no Chromium is installed.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file; give a folder for the report site")
    browser = find_chromium() if png else None
    if png and browser is None:
        raise InputError(
            "--png needs Chromium, which is not installed (apt-get install chromium, or run without --png)"
        )
    ensure_folder(out)
    written: list[Path] = []
    tables = report_tables(graph)
    index = out / "index.html"
    write_atomic(index, render_index(graph, tables), what="page")
    written.append(index)
    for view, label in PAGES:
        data = to_vis_data(graph, view=view)
        written.append(write_html(data, out / f"{view}.html", title=f"partnermap: {label}", nav=_nav(view)))
    if browser is not None:
        written += screenshot(browser, [p for p in written if p.suffix == ".html"])
    return written


# ------------------------------------------------------------------ screenshots
def find_chromium() -> str | None:
    """Path of a Chromium/Chrome executable, or None."""
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_args(browser: str, profile: Path) -> list[str]:
    """Headless flags that keep Chromium off the network (ECOSYSTEM.md)."""
    return [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
        "--hide-scrollbars",
    ]


def screenshot(
    browser: str, pages: Sequence[Path], *, width: int = 1400, height: int = 1000, budget_ms: int = 15000
) -> list[Path]:
    """Render each page to ``<page>.png`` beside it; returns the PNGs written."""
    pngs = []
    with tempfile.TemporaryDirectory(prefix="partnermap-chromium-") as profile:
        for page in pages:
            png = page.with_suffix(".png")
            shot = Path(profile) / "shot.png"  # then moved into place atomically
            cmd = [
                *chromium_args(browser, Path(profile)),
                f"--virtual-time-budget={budget_ms}",
                f"--screenshot={shot}",
                f"--window-size={width},{height}",
                page.resolve().as_uri(),
            ]
            try:
                subprocess.run(cmd, check=True, capture_output=True, timeout=120)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
                raise InputError(f"Chromium could not render {page.name}: {exc}") from None
            if not shot.is_file():
                raise InputError(f"Chromium wrote no screenshot for {page.name}")
            write_atomic(png, shot.read_bytes(), what="screenshot")
            pngs.append(png)
    return pngs
