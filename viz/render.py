"""View data -> one standalone, offline HTML page (the only module that imports pyvis).

We use pyvis for what it is good at, the vis-network 9.1.2 build it ships, and not
its page template: that template links Bootstrap from a CDN in every mode, prints
its ``heading`` raw, and switches every tooltip to ``innerHTML`` as soon as one
title contains "href" (ECOSYSTEM.md). Our own autoescaped jinja2 template inlines
vis-network, our filter/search script and the view data (as JSON in a
non-executed script element), and a Content-Security-Policy that allows only those
exact scripts (by hash) and no network at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from functools import cache
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
import pyvis
from markupsafe import Markup

from graphmodel.errors import InputError
from graphmodel.files import write_atomic

from .layout import physics_iterations
from .visdata import GLYPHS, SHAPES, VisData

#: Link kinds in words for the legend.
LINK_WORDS = {
    "PART_OF": "part of",
    "LEADS": "leads",
    "SUPPORTS": "supports",
    "RESOURCES": "resources",
    "PROVIDES": "provides",
    "MENTIONS": "mentions",
    "ADDRESSES": "addresses",
    "REFERENCES": "refers to",
    "ALIGNS_WITH": "aligns with",
    "DEPENDS_ON": "depends on (inferred)",
    "DUPLICATES": "duplicates (inferred)",
    "WORKS_IN": "works in",
}

VIS_VERSION = "9.1.2"
TEMPLATES = Path(__file__).resolve().parent / "templates"


class OfflineError(InputError):
    """A page would reach the network (a src/href/url() to a remote host)."""


@cache
def _vis_asset(name: str) -> str:
    lib = files(pyvis).joinpath("templates", "lib", f"vis-{VIS_VERSION}", name)
    return lib.read_text(encoding="utf-8")


@cache
def _own_asset(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


@cache
def environment() -> jinja2.Environment:
    """The jinja2 environment of every page: autoescape always on."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def script_json(value: Any) -> Markup:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or line separators.

    Examples
    --------
    >>> str(script_json({"t": "</script><b>"}))
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    for ch, esc in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(ch, esc)
    return Markup(text)


def csp(scripts: Sequence[str]) -> str:
    """A policy that runs exactly ``scripts`` (by sha256) and fetches nothing."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    )
    return (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src {hashes}; base-uri 'none'; form-action 'none'"
    )


def page_assets(*own_scripts: str, vis: bool = True) -> dict[str, Any]:
    """The inline CSS/JS and the CSP of a page (``own_scripts``: files in templates/)."""
    scripts = [_vis_asset("vis-network.min.js")] if vis else []
    scripts += [_own_asset(s) for s in own_scripts]
    return {
        "vis_css": Markup(_vis_asset("vis-network.css")) if vis else "",
        "own_css": Markup(_own_asset("page.css")),
        "scripts": [Markup(s) for s in scripts],
        "csp": csp(scripts),
    }


def vis_options(data: VisData) -> dict[str, Any]:
    """vis-network options: fixed seed; physics only for small views, then frozen."""
    n = len(data.nodes)
    big = not data.physics
    physics: Any = False
    spread = data.view == "strategies"  # few, heavily labelled nodes: keep them far apart
    if data.physics:
        physics = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -400 if spread else -40,
                "springLength": 260 if spread else 80,
                "avoidOverlap": 1.0 if spread else 0.4,
            },
            "stabilization": {
                "enabled": True,
                "iterations": physics_iterations(n),
                "updateInterval": 50,
                "fit": True,
            },
        }
    return {
        "physics": physics,
        "layout": {"randomSeed": 42, "improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
        },
        # labels by zoom and importance: a node's value (its size) scales its label, and
        # labels drawn smaller than drawThreshold px are left out until one zooms in
        "nodes": {
            "font": {"size": 12, "face": "sans-serif"},
            "borderWidth": 1,
            "scaling": {
                "min": 6,
                "max": 40,
                "label": {"enabled": True, "min": 10, "max": 26, "drawThreshold": 9, "maxVisible": 30},
            },
        },
        "edges": {
            "smooth": False
            if big
            else {"type": "curvedCW", "roundness": 0.15}
            if spread
            else {"type": "continuous"},
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
        },
    }


def render_html(
    data: VisData,
    *,
    title: str | None = None,
    nav: Sequence[tuple[str, str]] = (),
    docs: Mapping[str, Mapping[str, str]] | None = None,
    site: bool = False,
) -> str:
    """The page of one view. ``nav``: (label, relative href) links, e.g. to the report.

    ``docs``: file name -> ``{"title", "full", "href"}`` (href: the document's page in
    the site, so sources link to their lines); ``site``: the other view pages exist
    beside this one (links to ``overview.html#focus=...`` work).
    """
    heading = title or f"partnermap: {data.view}"
    if data.view == "ego" and data.focus_label:
        heading = f"{heading}: {data.focus_label}"  # document text: autoescaped below
    as_dict = data.to_dict()
    payload = {
        "view": data.view,
        "nodes": as_dict["nodes"],
        "edges": as_dict["edges"],
        "options": vis_options(data),
        "physics": data.physics,
        "grouped": data.grouped,
        "docs": {k: dict(v) for k, v in (docs or {}).items()},
        "site": site,
    }
    edge_counts: dict[str, int] = {}
    for e in data.edges:
        edge_counts[e.kind] = edge_counts.get(e.kind, 0) + 1
    html = (
        environment()
        .get_template("view.html.j2")
        .render(
            data=data,
            heading=heading,
            nav=list(nav),
            data_json=script_json(payload),
            glyphs={k: GLYPHS.get(v, "") for k, v in SHAPES.items()},
            link_words=LINK_WORDS,
            edge_counts=edge_counts,
            has_scores=any(e.score is not None for e in data.edges),
            **page_assets("view.js"),
        )
    )
    check_offline(html)
    return html


def write_html(data: VisData, out: Path | str, **kwargs: Any) -> Path:
    """Write the page of ``data`` to ``out`` (and nothing anywhere else)."""
    path = Path(out)
    html = render_html(data, **kwargs)
    if path.is_dir():
        raise InputError(f"--out {path} is a directory; give a file name such as view.html")
    return write_atomic(path, html, what="page")


# ------------------------------------------------------------------ offline check
_URL_ATTRS = {
    "src",
    "href",
    "action",
    "formaction",
    "data",
    "poster",
    "srcset",
    "background",
    "ping",
    "manifest",
    "xlink:href",
}
_LOCAL = re.compile(r"^\s*(#|data:|[\w./-]*\.(html|png)(#[\w%=.:-]*)?$)", re.IGNORECASE)
_CSS_REMOTE = re.compile(
    r"url\(\s*['\"]?\s*(?!data:)[a-z][\w+.-]*:|url\(\s*['\"]?\s*//|@import", re.IGNORECASE
)


class _Refs(HTMLParser):
    """Collects every URL-bearing attribute and every stylesheet of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in _URL_ATTRS and value is not None:
                self.urls.append((tag, name, value))
            if name == "style" and value:
                self.styles.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def remote_references(html: str) -> list[str]:
    """Every reference in ``html`` that would leave the page: remote src/href/url()."""
    p = _Refs()
    p.feed(html)
    p.close()
    bad = [f"<{tag} {name}={value!r}>" for tag, name, value in p.urls if not _LOCAL.match(value)]
    bad += [f"stylesheet {m.group(0)!r}" for css in p.styles for m in _CSS_REMOTE.finditer(css)]
    return bad


def check_offline(html: str) -> None:
    """Raise `OfflineError` if the page references anything outside itself."""
    bad = remote_references(html)
    if bad:
        raise OfflineError(f"page is not standalone: {bad[0]} (and {len(bad) - 1} more)")
