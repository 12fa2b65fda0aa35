"""Word (.docx) reader (python-docx): paragraphs with their styles, list numbering and
tables, in document order.

Lines: one per paragraph and one per table row (cells joined by " | "; not tabs, so the
line-scanning text loaders do not claim a table the table interpreter reads from its
cells), so provenance counts paragraphs and rows. A heading is
a "Heading N" or "Title" style (or an outline level); a list item is a paragraph with
numbering (its own ``w:numPr`` or its style's, e.g. "List Number", "List Bullet 2"): its
marker, number and depth come from the numbering definitions, and its line starts with
the number as Word would print it ("1.", "a)", "•"). Merged table cells repeat their
value in every position they cover; header rows are those marked "repeat as header
row" (``w:tblHeader``), else the first row when it reads as a header.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from graphmodel.errors import InputError

from .model import Block, BlockKind, Cell, DocumentModel, Marker
from .structure import header_like

_FORMATS = {
    "bullet": Marker.BULLET,
    "decimal": Marker.NUMBER,
    "decimalZero": Marker.NUMBER,
    "lowerLetter": Marker.LETTER,
    "upperLetter": Marker.LETTER,
    "lowerRoman": Marker.ROMAN,
    "upperRoman": Marker.ROMAN,
}
_LIST_STYLE_DEPTH = re.compile(r"^List(?: \w+)? (\d)$")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def read(path: Path) -> DocumentModel:
    """Read a .docx file; encrypted, old-format (.doc) or corrupt files are an `InputError`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if data.startswith(_OLE_MAGIC):
        raise InputError(
            f"{path.name} is an encrypted or old-format Word file; save it as an unprotected .docx"
        )
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(f"{path.name} is not a readable .docx file ({reason[:80]})") from None
    return _Reader(document).run(path.name, hashlib.sha256(data).hexdigest())


class _Reader:
    def __init__(self, document: Any) -> None:
        self.document = document
        self.lines: list[str] = []
        self.blocks: list[Block] = []
        self.levels = _numbering_levels(document)
        self.counters: dict[tuple[str, int], int] = {}

    def run(self, name: str, sha: str) -> DocumentModel:
        for item in self.document.iter_inner_content():
            if isinstance(item, Paragraph):
                self.paragraph(item)
            elif isinstance(item, Table):
                self.table(item)
        title = (self.document.core_properties.title or "").strip()
        if not title:
            title = next((b.text for b in self.blocks if b.kind is BlockKind.HEADING), "")
        meta = {"title": title} if title else {}
        props = self.document.core_properties
        if (props.title or "").strip():
            meta["format_title"] = " ".join(props.title.split())
        if props.created is not None:
            meta["format_date"] = props.created.date().isoformat()
        return DocumentModel(name, "docx", sha, "utf-8", tuple(self.lines), tuple(self.blocks), (), meta)

    def paragraph(self, p: Paragraph) -> None:
        text = " ".join(p.text.replace("\u00a0", " ").split())
        style = p.style.name if p.style is not None else ""
        num = self.numbering(p)
        if num is not None and text:
            marker, number, depth, printed = num
            m = _LIST_STYLE_DEPTH.match(style)
            if m and depth == 0:  # "List Bullet 2" indents by its style, not by ilvl
                depth = int(m[1]) - 1
            self.lines.append(f"{printed} {text}".strip())
            n = len(self.lines)
            self.blocks.append(
                Block(BlockKind.LIST_ITEM, n, n, text, level=depth, marker=marker, number=number, style=style)
            )
            return
        self.lines.append(text)
        n = len(self.lines)
        if not text:
            return
        level = _heading_level(p, style)
        kind = BlockKind.HEADING if level else BlockKind.PARAGRAPH
        self.blocks.append(Block(kind, n, n, text, level=level, style=style))

    def numbering(self, p: Paragraph) -> tuple[Marker, str, int, str] | None:
        """(marker, number, depth, as printed) of a numbered paragraph, else None."""
        num_id, ilvl = _num_pr(p)
        if num_id is None or num_id == "0":
            return None
        lvl = self.levels.get((num_id, ilvl))
        if lvl is None:
            return None
        fmt, text, start, abstract = lvl
        marker = _FORMATS.get(fmt, Marker.NUMBER)
        if marker is Marker.BULLET:
            return marker, "", ilvl, "•"
        key = (abstract, ilvl)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for deeper in [k for k in self.counters if k[0] == abstract and k[1] > ilvl]:
            del self.counters[deeper]  # a shallower item restarts the levels below it
        values = []
        for level in range(ilvl + 1):
            lv = self.levels.get((num_id, level))
            count = self.counters.get((abstract, level), lv[2] if lv else 1)
            values.append(_format_number(count, lv[0] if lv else "decimal"))
        printed = text or "%1."
        for level, value in enumerate(values, start=1):
            printed = printed.replace(f"%{level}", value)
        number = printed.strip(" ().")
        return marker, number, ilvl, printed

    def table(self, t: Table) -> None:
        rows: list[tuple[Cell, ...]] = []
        header_rows = 0
        for r, row in enumerate(t.rows):
            texts = [
                "\n".join(" ".join(q.text.split()) for q in c.paragraphs if q.text.strip()) for c in row.cells
            ]
            self.lines.append(" | ".join(x.replace("\n", " ") for x in texts))
            n = len(self.lines)
            rows.append(tuple(Cell(x, n, n) for x in texts))
            tr_pr = row._tr.trPr
            if r == header_rows and tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None:
                header_rows += 1
        if not rows:
            return
        width = max(len(r) for r in rows)
        rows = [r + (Cell("", r[0].line_start, r[0].line_end),) * (width - len(r)) for r in rows]
        if header_rows == 0 and header_like([c.text for c in rows[0]]):
            header_rows = 1
        self.blocks.append(
            Block(
                BlockKind.TABLE,
                rows[0][0].line_start,
                rows[-1][0].line_end,
                header=tuple(rows[:header_rows]),
                rows=tuple(rows[header_rows:]),
                style=t.style.name if t.style is not None else "",
            )
        )


def _heading_level(p: Paragraph, style: str) -> int:
    if style == "Title":
        return 1
    if style.startswith("Heading"):
        tail = style.removeprefix("Heading").strip()
        return int(tail) if tail.isdigit() else 1
    ppr = p._p.pPr
    outline = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    if outline is not None:
        value = outline.get(qn("w:val"), "9")
        return int(value) + 1 if value.isdigit() and int(value) < 9 else 0
    return 0


def _num_pr(p: Paragraph) -> tuple[str | None, int]:
    """numId and level of a paragraph's numbering: its own, else its style's (inherited)."""
    ppr = p._p.pPr
    num_pr = ppr.numPr if ppr is not None else None
    style = p.style
    ilvl_style = 0
    while num_pr is None and style is not None:
        sppr = style.element.pPr
        num_pr = sppr.numPr if sppr is not None else None
        style = style.base_style
    if num_pr is None:
        return None, 0
    # python-docx annotates CT_NumPr's children as the ZeroOrOne descriptor, not the element
    num_id = num_pr.numId.val if num_pr.numId is not None else None  # type: ignore[attr-defined]
    ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else ilvl_style  # type: ignore[attr-defined]
    return (None if num_id is None else str(num_id)), int(ilvl)


def _numbering_levels(document: Any) -> dict[tuple[str, int], tuple[str, str, int, str]]:
    """(numId, level) -> (numFmt, lvlText, start, abstractNumId) from the numbering part."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
    for an in numbering.findall(qn("w:abstractNum")):
        levels = {}
        for lvl in an.findall(qn("w:lvl")):
            ilvl = int(lvl.get(qn("w:ilvl"), "0"))
            fmt = lvl.find(qn("w:numFmt"))
            text = lvl.find(qn("w:lvlText"))
            start = lvl.find(qn("w:start"))
            levels[ilvl] = (
                fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
                text.get(qn("w:val"), "") if text is not None else "",
                int(start.get(qn("w:val"), "1")) if start is not None else 1,
            )
        abstract[an.get(qn("w:abstractNumId"), "")] = levels
    out: dict[tuple[str, int], tuple[str, str, int, str]] = {}
    for num in numbering.findall(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        aid = ref.get(qn("w:val"), "") if ref is not None else ""
        for ilvl, (fmt, text, start) in abstract.get(aid, {}).items():
            out[(num.get(qn("w:numId"), ""), ilvl)] = (fmt, text, start, aid)
    return out


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s.upper() if fmt == "upperRoman" else s
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while n >= value:
            out, n = out + letters, n - value
    return out
