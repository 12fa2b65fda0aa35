"""The neutral document model every reader produces (pandoc's AST, in small).

A reader turns one file into a `DocumentModel`: the text as it extracted it (``lines``,
which provenance counts) and an ordered list of `Block`s — headings, paragraphs, list
items and tables — each with the lines (and page) it came from. Interpreters read
blocks and never ask which format a table came from: the same table as PDF, DOCX,
HTML, text or XLSX gives the same blocks.

Provenance means one thing in every format: ``line_start``/``line_end`` are 1-based
lines of ``DocumentModel.lines``. A PDF reader writes each page's text into ``lines``
in order and records the page of each line (``line_pages``); a DOCX reader writes one
line per paragraph and per table row, in document order; a CSV/XLSX reader one line per
row, with the sheet on the table block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from graphmodel.schema import Source


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE = "table"


class Marker(StrEnum):
    """How a list item is marked, as printed."""

    BULLET = "bullet"  # •, -, *, ▪, …
    NUMBER = "number"  # 1.  1)  1.Text  2.1.3  Recommendation 7
    LETTER = "letter"  # (a)  a.  a)
    ROMAN = "roman"  # i.  (iv)
    NONE = ""


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its text (wrapped lines joined with newlines) and its lines."""

    text: str
    line_start: int
    line_end: int
    page: int | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a document, with provenance.

    ``text`` holds the words of a heading, paragraph or list item (for a table, "").
    ``level`` is the heading level (1 = top) or the list depth (0 = outermost).
    ``marker``/``number`` say how a list item was marked: ``number`` as printed
    without punctuation ("7", "2.1.3", "a", "iv"); "" for bullets.
    A table has ``header`` (zero or more header rows; repeated page headers are not
    kept again) and ``rows`` (body rows), each a tuple of `Cell`; merged cells are
    filled with the merged value; rows are padded to one width.
    ``style`` keeps what the format said about the block (a DOCX style name, an HTML
    tag), for interpreters that want it and for the load report.
    """

    kind: BlockKind
    line_start: int
    line_end: int
    text: str = ""
    page: int | None = None
    level: int = 0
    marker: Marker = Marker.NONE
    number: str = ""
    header: tuple[tuple[Cell, ...], ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    style: str = ""
    sheet: str | None = None

    def header_texts(self) -> list[str]:
        """The table's column names: header rows joined per column ("" where none)."""
        if not self.header:
            return []
        width = max(len(r) for r in self.header)
        out = []
        for i in range(width):
            parts = [r[i].text.strip() for r in self.header if i < len(r) and r[i].text.strip()]
            # a merged header cell repeats its value over the columns it spans: keep it once
            uniq = list(dict.fromkeys(parts))
            out.append(" ".join(uniq))
        return out


@dataclass(frozen=True, slots=True)
class DocumentModel:
    """A document as one reader saw it: extracted lines plus blocks.

    ``name`` is the file name provenance cites. ``format`` is the reader's name
    ("pdf", "docx", "html", "text", "csv", "xlsx"). ``line_pages[i]`` is the page of
    line ``i + 1`` (empty when the format has no pages).
    """

    name: str
    format: str
    sha256: str
    encoding: str
    lines: tuple[str, ...]
    blocks: tuple[Block, ...]
    line_pages: tuple[int, ...] = ()
    meta: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def page_of(self, line: int) -> int | None:
        """Page of 1-based ``line`` (None when the format has no pages)."""
        if not self.line_pages or not 1 <= line <= len(self.line_pages):
            return None
        return self.line_pages[line - 1]

    def source(self, line_start: int, line_end: int | None = None, *, sheet: str | None = None) -> Source:
        """Provenance of lines ``line_start``..``line_end`` of this document (page added)."""
        end = line_start if line_end is None else line_end
        return Source(self.name, line_start, end, self.page_of(line_start), sheet)

    def block_source(self, block: Block) -> Source:
        """Provenance of ``block``."""
        return self.source(block.line_start, block.line_end, sheet=block.sheet)
