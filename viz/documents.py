"""Documents in the site: their names (title, body, date), their pages, and links to cited lines.

A fact's source is ``Source(document, line_start, line_end, page)``; in the report site each
document has a page (`doc_page`) whose lines carry ``id="L<n>"`` anchors, so a citation
links to ``doc-<slug>.html#L12-14`` and that page highlights lines 12 to 14.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graphmodel.graph import PartnerGraph
from graphmodel.schema import NodeKind, Source

#: Props of a Document node that name it (the readers fill them where the paper says).
TITLE_KEYS = ("title",)
BODY_KEYS = ("body", "committee")
DATE_KEYS = ("meeting_date", "date")
_HASH = re.compile(r"^(?=[a-f]*\d)[0-9a-f]{8,}$", re.IGNORECASE)
_CITE = re.compile(
    r"^(?P<doc>.+?)(?: \[(?P<sheet>[^\]]*)\])?(?: p(?P<page>\d+) |:)(?P<a>\d+)(?:-(?P<b>\d+))?$"
)


@dataclass(frozen=True, slots=True)
class DocName:
    """How the site names one document: ``title`` (never empty), ``body``, ``date``, ``file``."""

    file: str
    title: str
    body: str = ""
    date: str = ""

    @property
    def full(self) -> str:
        """'Title — Body, 26 June 2019' (the parts that are known)."""
        tail = ", ".join(p for p in (self.body, self.date) if p)
        return f"{self.title} — {tail}" if tail else self.title


def clean_file_name(name: str) -> str:
    """A file name as words: extension, numbering and hash-like parts dropped.

    Examples
    --------
    >>> clean_file_name("2019-06_hwb_mental-health_review.pdf")
    '2019 06 hwb mental health review'
    >>> clean_file_name("002_bf875e7a520b882d.txt")
    ''
    """
    stem = name.rsplit(".", 1)[0] if "." in name else name
    words = [w for w in re.split(r"[\s_\-.]+", stem) if w]
    if words and words[0].isdigit() and len(words[0]) <= 3:  # export numbering: 000_, 01-
        words = words[1:]
    return " ".join(w for w in words if not _HASH.match(w))


def _first(props: Mapping[str, object], keys: Iterable[str]) -> str:
    for k in keys:
        v = props.get(k)
        if v not in (None, "", []):
            return " ".join(str(v).split())
    return ""


def document_names(graph: PartnerGraph) -> dict[str, DocName]:
    """File name -> `DocName` for every document the graph cites.

    Title, body and meeting date come from the Document node's props where the reader
    found them; else the title is the cleaned file name, and when that has no words
    left (a hashed export name), the biggest plans the document carries.
    """
    carried: dict[str, dict[str, int]] = {}
    for n in graph.nodes():
        if n.kind in (NodeKind.ACTION, NodeKind.PRIORITY) and (sid := graph.strategy_of(n.id)):
            per = carried.setdefault(n.source.document, {})
            per[sid] = per.get(sid, 0) + 1
    docs = {n.source.document: n for n in graph.nodes(NodeKind.DOCUMENT)}
    files = set(docs) | {n.source.document for n in graph.nodes()}
    out = {}
    for file in sorted(files):
        props = docs[file].props if file in docs else {}
        title = _first(props, TITLE_KEYS) or clean_file_name(file)
        if not title:
            top = sorted(carried.get(file, {}).items(), key=lambda kv: (-kv[1], kv[0]))
            more = f" (+{len(top) - 1} more)" if len(top) > 1 else ""
            title = f"Paper: {graph.node(top[0][0]).label}{more}" if top else f"Document {file}"
        out[file] = DocName(file, title, _first(props, BODY_KEYS), _first(props, DATE_KEYS))
    return out


def doc_page(file: str) -> str:
    """The site page of document ``file``: readable and unique (a short hash of the name)."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", file.rsplit(".", 1)[0]).strip("-").lower()[:40] or "doc"
    return f"doc-{stem}-{hashlib.sha1(file.encode('utf-8')).hexdigest()[:6]}.html"


def source_href(src: Source, pages: Mapping[str, str] | None = None) -> str | None:
    """Link to the cited lines of ``src`` on its document page (None when it has no page)."""
    page = (pages or {}).get(src.document)
    if page is None:
        return None
    if src.line_start <= 0:
        return f"{page}#p{src.page}" if src.page else page
    end = f"-{src.line_end}" if src.line_end > src.line_start else ""
    return f"{page}#L{src.line_start}{end}"


def parse_cite(text: str) -> Source | None:
    """The `Source` behind a ``Source.cite()`` string (None if it is not one).

    Examples
    --------
    >>> parse_cite("plan.pdf p4 120-122")
    Source(document='plan.pdf', line_start=120, line_end=122, page=4, sheet=None)
    """
    m = _CITE.match(text.strip())
    if not m:
        return None
    a = int(m["a"])
    return Source(m["doc"], a, int(m["b"] or a), int(m["page"]) if m["page"] else None, m["sheet"])


def cite_label(src: Source, names: Mapping[str, DocName]) -> str:
    """A citation in words: 'Title, lines 12-14' (page first when known)."""
    name = names.get(src.document)
    title = name.title if name else src.document
    where = f"p. {src.page}, " if src.page else ""
    lines = (
        f"line {src.line_start}"
        if src.line_end <= src.line_start
        else f"lines {src.line_start}-{src.line_end}"
    )
    return f"{title}, {where}{lines}"


def source_link(src: Source, names: Mapping[str, DocName], pages: Mapping[str, str] | None) -> dict[str, str]:
    """``{"text", "href", "cite"}`` for the page (href empty when there is no document page)."""
    return {"text": cite_label(src, names), "href": source_href(src, pages) or "", "cite": src.cite()}
