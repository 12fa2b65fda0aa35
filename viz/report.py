"""The report site: the strategy map as its front page, one page per view, the tables, and a
page per document with its text (so every cited source opens at its lines).

Tables come from the `queries` package (see `viz.tables`); every row cites its sources
and links to the view page that shows it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from graphmodel.errors import InputError
from graphmodel.files import ensure_folder, write_atomic
from graphmodel.graph import PartnerGraph

from .documents import DocName, doc_page, document_names
from .render import check_offline, environment, page_assets, write_html
from .tables import Table, headline, report_tables
from .visdata import to_vis_data

#: The view pages of the site, in menu order: (view, file stem, menu label).
PAGES = (
    ("strategies", "index", "Strategy map"),
    ("overview", "overview", "Overview"),
    ("dependencies", "dependencies", "Dependencies"),
    ("partners", "partners", "Partners"),
    ("recommendations", "recommendations", "Recommendations"),
)
VIEW_NAMES = {stem: f"{label.lower()} view" for _, stem, label in PAGES} | {"index": "strategy map"}
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


def _nav(current: str) -> list[tuple[str, str]]:
    links = [(label, f"{stem}.html") for _, stem, label in PAGES] + [("Report tables", "report.html")]
    return [(label, href) for label, href in links if href != f"{current}.html"]


def render_index(graph: PartnerGraph, tables: Sequence[Table]) -> str:
    """The report page: headline numbers and the tables (autoescaped template)."""
    html = (
        environment()
        .get_template("report.html.j2")
        .render(
            heading="partnermap report",
            nav=_nav("report"),
            headline=headline(graph, tables),
            tables=list(tables),
            view_names=VIEW_NAMES,
            **page_assets("report.js", vis=False),
        )
    )
    check_offline(html)
    return html


def page_starts(lines: Sequence[str]) -> dict[int, int]:
    """Line number -> page number where a page begins (a form feed starts a page)."""
    starts = {}
    page = 1
    for i, line in enumerate(lines, 1):
        if "\f" in line:
            page += 1
            starts[i] = page
    if starts:
        starts.setdefault(1, 1)
    return starts


def render_document(name: DocName, lines: Sequence[str] | None) -> str:
    """A document's page: its name, then every line (escaped) with an ``L<n>`` anchor."""
    text = [line.replace("\f", "") for line in lines] if lines else []
    html = (
        environment()
        .get_template("doc.html.j2")
        .render(
            name=name,
            nav=_nav("doc"),
            lines=text,
            page_starts=page_starts(lines or []),
            **page_assets("doc.js", vis=False),
        )
    )
    check_offline(html)
    return html


def write_report(
    graph: PartnerGraph,
    out_dir: Path | str,
    *,
    png: bool = False,
    documents: Mapping[str, Sequence[str]] | None = None,
) -> list[Path]:
    """Write the site into ``out_dir``; return the files written.

    ``index.html`` is the strategy map; ``report.html`` the tables; one page per view
    and one per document (``documents``: file name -> its lines, as the readers
    extracted them; a document without text still gets a page that says so). With
    ``png`` also write each view's canvas as ``<page>.png`` with headless Chromium;
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
    names = document_names(graph)
    pages = {file: doc_page(file) for file in names}
    docs = {f: {"title": n.title, "full": n.full, "href": pages[f]} for f, n in names.items()}
    written: list[Path] = []
    views = []
    for view, stem, label in PAGES:
        data = to_vis_data(graph, view=view)
        path = write_html(
            data, out / f"{stem}.html", title=f"partnermap: {label}", nav=_nav(stem), docs=docs, site=True
        )
        written.append(path)
        views.append(path)
    report = out / "report.html"
    write_atomic(report, render_index(graph, report_tables(graph, names, pages)), what="page")
    written.append(report)
    texts = documents or {}
    for file, name in names.items():
        page = out / pages[file]
        write_atomic(page, render_document(name, texts.get(file)), what="page")
        written.append(page)
    if browser is not None:
        written += screenshot(browser, views)
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
    browser: str, pages: Sequence[Path], *, width: int = 1600, height: int = 1000, budget_ms: int = 15000
) -> list[Path]:
    """Write each view's canvas to ``<page>.png`` beside it; returns the PNGs written.

    The page is opened as ``<page>#export``, which shows the network canvas alone
    (no header, filters or side panel) over the whole window.
    """
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
                page.resolve().as_uri() + "#export",
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
