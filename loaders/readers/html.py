"""HTML reader (Beautiful Soup on lxml): headings, paragraphs, list items and real tables.

Beautiful Soup with the lxml parser is maintained, tolerant of the broken markup council
web pages are made of, and fast; a regex could not tell a table's header from its body
or a nested list from its parent. Scripts, styles, forms and page furniture (``nav``,
``header``/``footer`` of the page, ``aside``, cookie banners) are ignored; when the page
marks its content (``main``, ``[role=main]``, or a single ``article``) only that is read.

Lines: one per heading, paragraph and list item, and one per table row (cells joined
by " | ", as the DOCX reader does), in document order; a list item's line starts with its marker as a browser
would draw it ("1.", "b.", "•"). Tables: ``thead`` rows and leading all-``th`` rows are
header rows; ``rowspan``/``colspan`` fill every position a cell covers.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import lxml  # noqa: F401  the parser asked of Beautiful Soup below ("lxml"): a runtime dependency
from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from graphmodel.errors import InputError
from loaders.text import decode_bytes

from .model import Block, BlockKind, Cell, DocumentModel, Marker

_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "form",
        "button",
        "nav",
        "aside",
        "iframe",
        "select",
        "head",
    }
)
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_TEXT_BLOCKS = frozenset(
    {"p", "blockquote", "pre", "figcaption", "caption", "address", "dt", "dd", "summary"}
)
_CONTAINERS = frozenset(
    {
        "div",
        "section",
        "article",
        "main",
        "body",
        "html",
        "center",
        "details",
        "figure",
        "dl",
        "header",
        "footer",
        "span",
    }
)
_OL_TYPES = {"1": Marker.NUMBER, "a": Marker.LETTER, "A": Marker.LETTER, "i": Marker.ROMAN, "I": Marker.ROMAN}


def read(path: Path) -> DocumentModel:
    """Read an .html/.htm page into the document model."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    text, encoding = decode_bytes(data, path.name)
    soup = BeautifulSoup(text, "lxml")
    if soup.find(True) is None:
        raise InputError(f"{path.name} has no HTML content")
    title = " ".join(soup.title.get_text(" ").split()) if soup.title else ""
    reader = _Reader()
    reader.walk(_content_root(soup))
    heading = next((b.text for b in reader.blocks if b.kind is BlockKind.HEADING and b.level == 1), "")
    meta = {"title": heading or title} if heading or title else {}
    if title:
        meta["format_title"] = title
    return DocumentModel(
        path.name,
        "html",
        hashlib.sha256(data).hexdigest(),
        encoding,
        tuple(reader.lines),
        tuple(reader.blocks),
        (),
        meta,
    )


def _content_root(soup: BeautifulSoup) -> Tag:
    main = soup.find("main") or soup.find(role="main")
    if isinstance(main, Tag):
        return main
    articles = soup.find_all("article")
    if len(articles) == 1:
        return articles[0]
    return soup.body or soup


def _furniture(tag: Tag) -> bool:
    if tag.name in _SKIP or tag.get("role") in ("navigation", "banner", "contentinfo", "search"):
        return True
    if tag.get("hidden") is not None or tag.get("aria-hidden") == "true":
        return True
    # the page's own header / footer (not an article's)
    return tag.name in ("header", "footer") and tag.find_parent(["article", "section", "main"]) is None


def _text(tag: Tag | NavigableString, *, skip_lists: bool = False) -> str:
    """Visible text of ``tag``: words single-spaced, line breaks and paragraphs as newlines."""
    parts: list[str] = []

    def visit(node: Tag | NavigableString) -> None:
        if isinstance(node, NavigableString):
            if type(node) is NavigableString:  # not a comment, CDATA or doctype
                parts.append(str(node))
            return
        if node.name in _SKIP or (skip_lists and node.name in ("ul", "ol")):
            return
        if node.name == "br":
            parts.append("\n")
            return
        block = node.name in ("p", "div", "li", "tr", "table") or node.name in _HEADINGS
        if block:
            parts.append("\n")
        for child in node.children:
            if isinstance(child, Tag | NavigableString):  # every PageElement is one or the other
                visit(child)
        if block:
            parts.append("\n")

    visit(tag)
    lines = (" ".join(ln.replace("\u00a0", " ").split()) for ln in "".join(parts).split("\n"))
    return "\n".join(ln for ln in lines if ln)


class _Reader:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.blocks: list[Block] = []

    def add(self, line: str) -> int:
        self.lines.append(line)
        return len(self.lines)

    def walk(self, node: Tag) -> None:
        loose: list[str] = []

        def flush() -> None:
            text = " ".join(" ".join(loose).split())
            loose.clear()
            if text:
                n = self.add(text)
                self.blocks.append(Block(BlockKind.PARAGRAPH, n, n, text, style="text"))

        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString and child.strip():
                    loose.append(str(child))
                continue
            if not isinstance(child, Tag) or _furniture(child):
                continue
            name = child.name
            if (
                name in _HEADINGS
                or name in _TEXT_BLOCKS
                or name in ("ul", "ol", "table")
                or name in _CONTAINERS
            ):
                flush()
            if name in _HEADINGS:
                text = " ".join(_text(child).split())
                if text:
                    n = self.add(text)
                    self.blocks.append(
                        Block(BlockKind.HEADING, n, n, text, level=_HEADINGS[name], style=name)
                    )
            elif name in _TEXT_BLOCKS:
                if child.find(["table", "ul", "ol"]) is not None:
                    self.walk(child)
                    continue
                text = " ".join(_text(child).split())
                if text:
                    n = self.add(text)
                    self.blocks.append(Block(BlockKind.PARAGRAPH, n, n, text, style=name))
            elif name in ("ul", "ol"):
                self.list(child, 0)
            elif name == "table":
                self.table(child)
            elif name in _CONTAINERS:
                self.walk(child)
            else:  # inline markup (a, strong, em, ...) in running text
                loose.append(_text(child).replace("\n", " "))
        flush()

    def list(self, tag: Tag, depth: int) -> None:
        ordered = tag.name == "ol"
        marker = _OL_TYPES.get(str(tag.get("type", "1")), Marker.NUMBER) if ordered else Marker.BULLET
        start = str(tag.get("start", "1"))
        count = int(start) - 1 if start.lstrip("-").isdigit() else 0
        for li in tag.find_all("li", recursive=False):
            value = str(li.get("value", ""))
            count = int(value) if value.isdigit() else count + 1
            number = _number(count, str(tag.get("type", "1"))) if ordered else ""
            text = " ".join(_text(li, skip_lists=True).split())
            if text:
                printed = f"{number}." if ordered else "•"
                n = self.add(f"{printed} {text}")
                self.blocks.append(
                    Block(
                        BlockKind.LIST_ITEM, n, n, text, level=depth, marker=marker, number=number, style="li"
                    )
                )
            for sub in li.find_all(["ul", "ol"]):
                if sub.find_parent("li") is li:
                    self.list(sub, depth + 1)
            for t in li.find_all("table"):
                if t.find_parent("li") is li:
                    self.table(t)

    def table(self, tag: Tag) -> None:
        grid: dict[tuple[int, int], Cell] = {}
        header_rows = 0
        rows = [tr for tr in tag.find_all("tr") if tr.find_parent("table") is tag]
        line_of: list[int] = []
        width = 0
        for r, tr in enumerate(rows):
            n = self.add("")  # the row's line; its text is set once its cells are known
            line_of.append(n)
            c = 0
            for td in tr.find_all(["td", "th"], recursive=False):
                while (r, c) in grid:
                    c += 1
                cell = Cell(_text(td), n, n)
                rowspan = _span(td.get("rowspan"))
                colspan = _span(td.get("colspan"))
                for dr in range(rowspan):
                    for dc in range(colspan):
                        grid.setdefault((r + dr, c + dc), cell)
                c += colspan
            width = max(width, c)
            in_head = tr.find_parent("thead") is not None
            all_th = bool(tr.find_all("th", recursive=False)) and not tr.find_all("td", recursive=False)
            if r == header_rows and (in_head or all_th):
                header_rows += 1
        if not rows or width == 0:
            return
        out: list[tuple[Cell, ...]] = []
        for r, n in enumerate(line_of):
            row = tuple(grid.get((r, c)) or Cell("", n, n) for c in range(width))
            self.lines[n - 1] = " | ".join(x.text.replace("\n", " ") for x in row)
            out.append(row)
        if header_rows == len(out):  # a table of th cells only is all body
            header_rows = 0
        self.blocks.append(
            Block(
                BlockKind.TABLE,
                line_of[0],
                line_of[-1],
                header=tuple(out[:header_rows]),
                rows=tuple(out[header_rows:]),
                style="table",
            )
        )


def _span(value: object) -> int:
    text = str(value or "1").strip()
    return min(int(text), 100) if text.isdigit() and int(text) > 0 else 1


def _number(n: int, kind: str) -> str:
    if kind in ("a", "A"):
        s = chr(ord("a") + (n - 1) % 26)
        return s.upper() if kind == "A" else s
    if kind in ("i", "I"):
        out = ""
        for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
            while n >= value:
                out, n = out + letters, n - value
        return out.upper() if kind == "I" else out
    return str(n)
