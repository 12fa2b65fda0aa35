"""PDF reader (pdfplumber, MIT): each page's text lines, headings, paragraphs, list items
and ruled tables, with page and line provenance.

``lines`` holds each page's text lines top to bottom, as pdfplumber joins the words of
one baseline (a table's neighbouring cells share a line, as in ``pdftotext``). A page
without tables that is laid out in columns side by side (a poster, a newsletter) is read
column by column: see `_regions`. Blocks:

- tables: ``page.find_tables()`` (ruled), else a table ruled only across (rows by lines,
  columns by text) when its first row reads as a header. A table continued on the next
  page (same header, or no header and the same width, under the same page heading) is
  one table; its header repeated on each page is not a body row. Header words split by
  wrapping ("Timescal e") are rejoined; an extra column that only a spanning cell uses is
  folded into its neighbour; a cell spanning columns fills them (so a full-width
  sub-heading row has the same text in every cell). Each cell cites the lines its words
  are on.
- text outside tables: headings (larger or bold short lines, levels by size), list items
  (bullets and numbering) and paragraphs (lines close together).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from graphmodel.errors import InputError

from .model import Block, BlockKind, Cell, DocumentModel, Marker
from .structure import header_like, list_marker

_TEXT_TABLE = {"vertical_strategy": "text", "horizontal_strategy": "lines"}
_FRAGMENT = re.compile(r"^[a-z]{1,2}$")
_WEB_ADDRESS = re.compile(
    r"(?:https?://|www\.)\S+|[\w-]+(?:\.[\w-]+)*\.(?:uk|com|org|net|gov|nhs|info|io)(?:/\S*)?", re.I
)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
#: A line that is only a date or a year: a document's edition, not part of its title.
_EDITION = re.compile(rf"(?:\d{{1,2}}\s+)?(?:(?:{_MONTHS})[a-z]*\s+)?\d{{4}}", re.I)
_BULLETS = "•▪●◦▫■□‣⁃-–*"


#: Bullets drawn from symbol fonts arrive as private-use characters (Symbol U+F0B7, ...).
_PRIVATE_BULLETS = str.maketrans({"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "•", "\uf076": "•", "\u00a0": " "})


def _clean(text: str) -> str:
    """Text as pdfplumber extracted it, with NBSP as a space and symbol-font bullets as •."""
    return text.translate(_PRIVATE_BULLETS)


def join_header(text: str) -> str:
    """A header cell's wrapped lines as one name: "Timescal\\ne" -> "Timescale"."""
    out = ""
    for part in (p.strip() for p in text.split("\n")):
        if not part:
            continue
        if out and (_FRAGMENT.match(part) or out.endswith(("-", "/"))):
            out += part
        else:
            out = f"{out} {part}".strip()
    return out


@dataclass
class _Line:
    n: int  # 1-based line number in the document
    text: str
    top: float
    bottom: float
    x0: float
    size: float
    bold: bool
    chars: list[tuple[float, float]]  # char centres
    region: int = 0  # which of the page's columns (`_regions`) it is in; 0 on a page of one
    left: float = 0.0  # where its column starts (0.0 on a page of one column)
    sizes: list[float] = field(default_factory=list)  # font size of each non-blank char


@dataclass
class _Piece:
    """One table as found on one page."""

    page: int
    top: float
    bottom: float
    grid: list[list[str | None]]
    cells: list[list[Cell | None]]
    col_x0: list[float]
    above: str  # the page's text above the table (its heading, repeated on each page)
    first_on_page: bool
    last_on_page: bool
    lines: set[int] = field(default_factory=set)
    cited: set[int] = field(default_factory=set)  # lines some cell's words are on


def read(path: Path) -> DocumentModel:
    """Read a PDF into the document model; encrypted or corrupt files are an `InputError`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    try:
        with pdfplumber.open(path) as pdf:
            return _read(pdf, path.name, hashlib.sha256(data).hexdigest())
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(f"{path.name} is an encrypted PDF; save an unprotected copy and load that") from None
    except (PdfminerException, PSException, ValueError, KeyError, TypeError, AssertionError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "password" in reason.lower() or "encrypt" in reason.lower():
            raise InputError(
                f"{path.name} is an encrypted PDF; save an unprotected copy and load that"
            ) from None
        raise InputError(f"{path.name} is not a readable PDF ({reason[:80]})") from None


_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})(\d{2})")


def _file_meta(info: dict[str, Any]) -> dict[str, str]:
    """The PDF's own Title and CreationDate ("D:20241105121342Z" -> "2024-11-05") as
    ``format_title``/``format_date`` (see `loaders.document_meta`)."""
    out = {}
    title = info.get("Title")
    if isinstance(title, str) and title.strip():
        out["format_title"] = " ".join(title.split())
    created = info.get("CreationDate")
    if isinstance(created, str) and (m := _PDF_DATE.match(created.strip())):
        out["format_date"] = f"{m[1]}-{m[2]}-{m[3]}"
    return out


def _read(pdf: Any, name: str, sha: str) -> DocumentModel:
    lines: list[str] = []
    line_pages: list[int] = []
    pages: list[tuple[int, list[_Line], list[_Piece]]] = []
    sizes: Counter[float] = Counter()
    for pno, page in enumerate(pdf.pages, start=1):
        first = len(lines)
        found = _found_tables(page)
        words = [w for w in page.extract_words() if w["text"].strip()]
        regions = _regions(page, words, found)
        if len(regions) == 1:
            plines = _page_lines(page, first)
        else:  # columns side by side: each read top to bottom in turn
            plines = []
            for r, box in enumerate(regions):
                plines += _page_lines(_within(page, box), first + len(plines), r, box[0])
        if len(regions) > 1:  # boxes drawn round columns of text are no table
            found = [t for t in found if not _frames_columns(t, words, regions)]
        tables = _page_tables(page, pno, plines, found)
        for ln in plines:
            for c in ln.sizes:
                sizes[c] += 1
            lines.append(ln.text)
            line_pages.append(pno)
        pages.append((pno, plines, tables))
    body_size = sizes.most_common(1)[0][0] if sizes else 0.0
    heading_sizes = sorted(
        {ln.size for _, pl, _ in pages for ln in pl if ln.size >= body_size * 1.15}, reverse=True
    )
    blocks: list[tuple[tuple[int, int, float], Block]] = []
    for table in _join_pages([t for _, _, ts in pages for t in ts]):
        blocks.append(table)
    for pno, plines, tables in pages:
        # text inside a table's frame that no cell holds (a cover page laid out in a
        # table, a caption in its margin) is the page's own text
        free = [ln for ln in plines if not any(_inside(ln, t) and ln.n in t.cited for t in tables)]
        blocks.extend(_text_blocks(free, pno, body_size, heading_sizes))
    blocks.sort(key=lambda kb: kb[0])
    title = _title([b for _, b in blocks])
    meta = {"title": title} if title else {}
    meta.update(_file_meta(pdf.metadata or {}))
    return DocumentModel(
        name, "pdf", sha, "binary", tuple(lines), tuple(b for _, b in blocks), tuple(line_pages), meta
    )


def _page_lines(page: Any, before: int, region: int = 0, left: float = 0.0) -> list[_Line]:
    """The text lines of ``page`` (or of one column of it) as pdfplumber joins them,
    numbered from ``before`` + 1."""
    out: list[_Line] = []
    for tl in page.extract_text_lines(return_chars=True):
        text = _clean(tl["text"]).rstrip()
        chars = tl["chars"]
        size = max((round(c["size"], 1) for c in chars), default=0.0)
        bold = bool(chars) and all("bold" in c["fontname"].lower() for c in chars if c["text"].strip())
        centres = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in chars]
        sizes = [round(c["size"], 1) for c in chars if c["text"].strip()]
        n = before + len(out) + 1
        out.append(
            _Line(n, text, tl["top"], tl["bottom"], tl["x0"], size, bold, centres, region, left, sizes)
        )
    return out


# --------------------------------------------------------------------------- columns
Box = tuple[float, float, float, float]  # x0, top, x1, bottom


def _regions(page: Any, words: list[dict[str, Any]], tables: list[Any]) -> list[Box]:
    """The page's text regions in reading order, when it is laid out in columns side by
    side; one region (the page) otherwise.

    By structure alone (a recursive X-Y cut of the page's words): a region splits at a
    vertical gutter, a band of whitespace no word crosses, at least two body-text sizes
    wide, with at least three rows of words on each side whose rows do not line up with
    the other side's (rows that line up across a gutter are a table's, read as one line
    each, as before) and no rule running across it. A region with no such gutter splits
    at its widest horizontal gap (a full-width heading over two columns, a banner across
    the top) only when a part below splits into columns; so a page of one column, or of
    a table without rules, stays one region and its lines are exactly pdfplumber's. A
    table (either kind `_found_tables` finds) reaching over a gutter keeps the page one
    region too (its columns are the table's); boxes drawn round the columns' text, which
    pdfplumber finds as a table, are not one (`_frames_columns`).
    """
    sizes = sorted(w["bottom"] - w["top"] for w in words)
    if len(words) < 6 or not sizes:
        return [tuple(page.bbox)]
    gutter = 2 * sizes[len(sizes) // 2]
    rules = [(e["x0"], e["x1"], e["top"]) for e in page.horizontal_edges if _inked(e)]
    regions = _cut(words, tuple(page.bbox), gutter, rules)
    if len(regions) > 1 and _crossed(tables, words, regions):
        return [tuple(page.bbox)]
    return regions


_WORDLIKE = re.compile(r"[^\W\d_]{3}")
Rule = tuple[float, float, float]  # x0, x1, height of a visible horizontal rule


#: How deep `_cut` looks for columns under horizontal cuts: enough for any page's sections,
#: and a page of thousands of lines (one long web page printed to PDF) stays linear.
_MAX_CUTS = 48


def _cut(
    words: list[dict[str, Any]], box: Box, gutter: float, rules: list[Rule], depth: int = 0
) -> list[Box]:
    if len(words) < 6 or depth > _MAX_CUTS:
        return [box]
    x = _gutter(words, gutter, rules)
    if x is not None:
        left = [w for w in words if w["x1"] <= x]
        right = [w for w in words if w["x0"] >= x]
        return _cut(left, (box[0], box[1], x, box[3]), gutter, rules, depth + 1) + _cut(
            right, (x, box[1], box[2], box[3]), gutter, rules, depth + 1
        )
    y = _widest_gap([(w["top"], w["bottom"]) for w in words])
    if y is None:
        return [box]
    above = [w for w in words if w["bottom"] <= y]
    below = [w for w in words if w["top"] >= y]
    upper = _cut(above, (box[0], box[1], box[2], y), gutter, rules, depth + 1)
    lower = _cut(below, (box[0], y, box[2], box[3]), gutter, rules, depth + 1)
    return [box] if len(upper) == 1 and len(lower) == 1 else upper + lower


def _inked(edge: dict[str, Any]) -> bool:
    """Whether an edge is drawn in a colour other than white (a white outline on a white
    page, or round a white box on a coloured one, rules no rows of text)."""
    if edge.get("object_type") == "rect_edge" and not edge.get("stroke"):
        return bool(edge.get("fill")) and not _white(edge.get("non_stroking_color"))
    return not _white(edge.get("stroking_color"))


def _gaps(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The gaps between the union of ``spans`` (start, end), left to right."""
    out: list[tuple[float, float]] = []
    reach = None
    for a, b in sorted(spans):
        if reach is not None and a > reach:
            out.append((reach, a))
        reach = b if reach is None else max(reach, b)
    return out


def _widest_gap(spans: list[tuple[float, float]]) -> float | None:
    gaps = _gaps(spans)
    if not gaps:
        return None
    a, b = max(gaps, key=lambda g: g[1] - g[0])
    return (a + b) / 2


def _rows(words: list[dict[str, Any]]) -> list[float]:
    """The baselines (bottoms) of the text rows ``words`` stand on."""
    out: list[float] = []
    for b in sorted(w["bottom"] for w in words):
        if not out or b - out[-1] > 1.0:
            out.append(b)
    return out


def _gutter(words: list[dict[str, Any]], width: float, rules: list[Rule]) -> float | None:
    """The middle of the widest column gutter among ``words`` (see `_regions`), if any.

    Not a gutter: a gap that a rule runs right across with words above and below it on
    both sides (the rows of a table ruled across, whose cells wrap to different heights)."""
    for a, b in sorted(_gaps([(w["x0"], w["x1"]) for w in words]), key=lambda g: g[0] - g[1]):
        if b - a < width:
            break
        x = (a + b) / 2
        left = [w for w in words if w["x1"] <= x]
        right = [w for w in words if w["x0"] >= x]
        if any(x0 <= a and x1 >= b and _parts(left, y) and _parts(right, y) for x0, x1, y in rules):
            continue
        if min(len(_rows([w for w in side if _WORDLIKE.search(w["text"])])) for side in (left, right)) < 3:
            continue  # a chart's axis: numbers and letters of rotated labels, not text
        few, many = sorted((_rows(left), _rows(right)), key=len)
        level = sum(1 for y in few if any(abs(y - z) <= 0.5 for z in many))
        if level <= len(few) / 2:
            return x
    return None


def _parts(words: list[dict[str, Any]], y: float) -> bool:
    """Whether a rule at height ``y`` has some of ``words`` wholly above it and some below."""
    return any(w["bottom"] <= y for w in words) and any(w["top"] >= y for w in words)


def _region_of(obj: dict[str, Any], regions: list[Box]) -> int:
    x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return next((r for r, (x0, t, x1, b) in enumerate(regions) if x0 <= x < x1 and t <= y < b), -1)


def _frames_columns(table: Any, words: list[dict[str, Any]], regions: list[Box]) -> bool:
    """Whether a table pdfplumber found is boxes drawn round columns of text: one of its
    cells holds words of two columns side by side."""
    for x0, top, x1, bottom in (c for c in table.cells if c is not None):
        inside = {
            _region_of(w, regions)
            for w in words
            if x0 <= (w["x0"] + w["x1"]) / 2 <= x1 and top <= (w["top"] + w["bottom"]) / 2 <= bottom
        }
        boxes = [regions[r] for r in inside if r >= 0]
        if any(a[2] <= b[0] and a[1] < b[3] and b[1] < a[3] for a in boxes for b in boxes):
            return True
    return False


def _crossed(tables: list[Any], words: list[dict[str, Any]], regions: list[Box]) -> bool:
    """Whether a table (not a frame round columns) reaches over a column gutter: its
    columns are its own, and the page is read as one region."""
    for t in tables:
        if _frames_columns(t, words, regions):
            continue
        x0, top, x1, bottom = t.bbox
        met = [r for r in regions if r[0] < x1 and x0 < r[2] and r[1] < bottom and top < r[3]]
        if len(met) > 1:
            return True
    return False


def _within(page: Any, box: Box) -> Any:
    """``page`` with only the characters whose centre is inside ``box``."""
    x0, top, x1, bottom = box

    def inside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return x0 <= x < x1 and top <= y < bottom

    return page.filter(inside)


def _title(blocks: list[Block]) -> str:
    """The document's title: the headings that open it, on consecutive lines of one page
    ("West Sussex" / "Suicide Prevention" / "Strategy 2017-2020"), up to an edition date
    ("October 2024") or other text."""
    first = next((i for i, b in enumerate(blocks) if b.kind is BlockKind.HEADING), None)
    if first is None:
        return ""
    run = [blocks[first]]
    for b in blocks[first + 1 :]:
        last = run[-1]
        if b.kind is not BlockKind.HEADING or b.page != last.page or b.line_start != last.line_end + 1:
            break
        if _EDITION.fullmatch(b.text.strip()):
            break
        run.append(b)
    return " ".join(b.text for b in run)


def _inside(line: _Line, t: _Piece) -> bool:
    mid = (line.top + line.bottom) / 2
    return t.top - 1 <= mid <= t.bottom + 1


# --------------------------------------------------------------------------- tables
def _found_tables(page: Any) -> list[Any]:
    """The tables pdfplumber finds on ``page``: ruled, else ruled across only (rows from
    the rules, columns from the text) when the first row reads as a header (else it is
    prose between rules)."""
    found = page.find_tables()
    if not found and len(page.horizontal_edges) >= 3:
        found = [t for t in page.find_tables(_TEXT_TABLE) if header_like(t.extract()[0] if t.rows else [])]
    return list(found)


def _page_tables(page: Any, pno: int, plines: list[_Line], found: list[Any]) -> list[_Piece]:
    found = sorted((_row_ruled(page, t) for t in found), key=lambda t: t.bbox[1])
    pieces = []
    for k, t in enumerate(found):
        grid = [list(r) for r in t.extract()]
        if not grid or max(len(r) for r in grid) < 2 or (len(grid) < 2 and not header_like(grid[0])):
            continue
        if all(len({(c or "").strip() for c in r} - {""}) <= 1 for r in grid):
            continue  # a frame (a cover, a boxed banner): each row one text, no columns
        width = max(len(r) for r in grid)
        cells: list[list[Cell | None]] = []
        for r, row in enumerate(t.rows):
            out: list[Cell | None] = []
            for j in range(width):
                bbox = row.cells[j] if j < len(row.cells) else None
                text = grid[r][j] if j < len(grid[r]) else None
                out.append(None if bbox is None or text is None else _cell(text, bbox, plines, pno))
            cells.append(out)
        grid = [r + [None] * (width - len(r)) for r in grid]
        _open_sides(page, t, grid, cells, plines, pno)
        col_x0 = []
        for j in range(width):
            xs = [row.cells[j][0] for row in t.rows if j < len(row.cells) and row.cells[j] is not None]
            col_x0.append(min(xs) if xs else 0.0)
        top, bottom = t.bbox[1], t.bbox[3]
        above = " ".join(ln.text for ln in plines if ln.bottom <= top + 1)
        if k > 0:
            above = ""  # only the first table of a page sits under the page heading
        piece = _Piece(pno, top, bottom, grid, cells, col_x0, above, k == 0, k == len(found) - 1)
        piece.lines = {ln.n for ln in plines if top - 1 <= (ln.top + ln.bottom) / 2 <= bottom + 1}
        piece.cited = {
            n for row in cells for c in row if c is not None for n in range(c.line_start, c.line_end + 1)
        }
        pieces.append(piece)
    return pieces


def _open_sides(
    page: Any,
    table: Any,
    grid: list[list[str | None]],
    cells: list[list[Cell | None]],
    plines: list[_Line],
    pno: int,
) -> None:
    """Cells of a column whose side the table leaves undrawn, recovered in place.

    A table drawn without its outer vertical rules has cells only in the rows whose
    rules reach the edge (often the header): pdfplumber gives the body rows none there,
    which would read as cells merged from above. A column where no body row has a cell
    of its own, though a row above names it, is such an open side: each body cell is the
    text inside the column's extent and the row's height. Only the outer columns, and
    only when the row above names the column."""
    rows = table.rows
    width = len(grid[0]) if grid else 0
    for j in {0, width - 1} if width > 1 else ():
        own = [r for r, row in enumerate(rows) if j < len(row.cells) and row.cells[j] is not None]
        if not own or len(own) > 1 or own[0] == len(rows) - 1 or not (grid[own[0]][j] or "").strip():
            continue
        x0, _, x1, _ = rows[own[0]].cells[j]
        for r in range(own[0] + 1, len(rows)):
            _, top, _, bottom = rows[r].bbox
            px0, ptop, px1, pbottom = page.bbox
            box = (max(x0, px0), max(top, ptop), min(x1, px1), min(bottom, pbottom))
            if box[0] >= box[2] or box[1] >= box[3]:
                continue
            text = page.within_bbox(box).extract_text() or ""
            grid[r][j] = text
            cells[r][j] = _cell(text, box, plines, pno)


def _row_ruled(page: Any, table: Any) -> Any:
    """The table read again with only full-width visible rules as row borders, when
    some of its row borders are not: Word draws a shaded (or white) cell as one box per
    text line, which would make every line of a wrapped cell a row of its own."""
    ys = _full_width_rules(page, table.bbox)
    if len(ys) < 2 or len(ys) >= len(table.rows) + 1:
        return table
    # a border missing where a cell spans rows is a merged cell, not shading: re-rule only
    # when a row under a partial border has every cell of its own, or when a row's top
    # border is drawn by nothing visible (the edge of an invisible box)
    partial = [r for r in table.rows[1:] if not any(abs(r.bbox[1] - y) <= 2 for y in ys)]
    drawn = _rule_heights(page, table.bbox)
    unseen = any(not any(abs(r.bbox[1] - y) <= 2 for y in drawn) for r in partial)
    if not unseen and not any(all(c is not None for c in r.cells) for r in partial):
        return table
    x0, top, x1, bottom = table.bbox
    settings = {
        "horizontal_strategy": "explicit",
        "explicit_horizontal_lines": ys,
        "vertical_strategy": "lines",
    }
    try:
        again = page.crop((x0 - 1, top - 1, x1 + 1, bottom + 1)).find_tables(settings)
    except ValueError:
        return table
    return again[0] if len(again) == 1 and len(again[0].rows) == len(ys) - 1 else table


def _white(colour: Any) -> bool:
    """Whether a PDF colour (grey, RGB or CMYK, as pdfplumber gives it) is white."""
    if isinstance(colour, int | float):
        colour = (colour,)
    if not isinstance(colour, tuple | list) or not colour:
        return False
    values = [v for v in colour if isinstance(v, int | float)]
    if len(values) != len(colour):
        return False
    if len(values) == 4:
        return all(v <= 0.01 for v in values)
    return all(v >= 0.99 for v in values)


def _visible(edge: dict[str, Any]) -> bool:
    """Whether an edge is drawn: the side of a white box with no outline is not (Word
    paints a white box behind each text line of a cell; its sides are no rules)."""
    if edge.get("object_type") != "rect_edge" or edge.get("stroke"):
        return True
    return not (edge.get("fill") and _white(edge.get("non_stroking_color")))


def _rule_heights(page: Any, bbox: tuple[float, float, float, float]) -> list[float]:
    """Heights of every visible horizontal edge (any length) within the table."""
    _, top, _, bottom = bbox
    return [e["top"] for e in page.horizontal_edges if top - 2 <= e["top"] <= bottom + 2 and _visible(e)]


def _full_width_rules(page: Any, bbox: tuple[float, float, float, float], share: float = 0.9) -> list[float]:
    """Heights of the visible horizontal rules covering ``share`` of the table's width."""
    x0, top, x1, bottom = bbox
    by_y: dict[int, list[tuple[float, float]]] = {}
    for e in page.horizontal_edges:
        if top - 2 <= e["top"] <= bottom + 2 and _visible(e):
            by_y.setdefault(round(e["top"]), []).append((max(e["x0"], x0), min(e["x1"], x1)))
    ys: list[float] = []
    for y, segments in sorted(by_y.items()):
        covered, reach = 0.0, x0
        for a, b in sorted(segments):
            a = max(a, reach)
            if b > a:
                covered, reach = covered + b - a, b
        if covered >= share * (x1 - x0) and (not ys or y - ys[-1] > 3):  # a thin box: one rule
            ys.append(float(y))
    return ys


def _cell(text: str, bbox: tuple[float, float, float, float], plines: list[_Line], pno: int) -> Cell:
    x0, top, x1, bottom = bbox
    hit = [
        ln.n
        for ln in plines
        if ln.bottom >= top
        and ln.top <= bottom
        and any(x0 <= x <= x1 and top <= y <= bottom for x, y in ln.chars)
    ]
    if not hit:  # an empty cell cites the line its top edge is on
        near = [ln.n for ln in plines if ln.top >= top - 1] or [plines[-1].n if plines else 1]
        hit = [near[0]]
    return Cell(_clean(text).strip(), min(hit), max(hit), pno)


def _norm_header(row: list[str | None]) -> tuple[str, ...]:
    return tuple(re.sub(r"\W+", "", join_header(c or "")).casefold() for c in row)


def _fold_columns(p: _Piece, has_header: bool) -> None:
    """Fold a column no row has text in alongside its neighbour into that neighbour,
    then drop columns with no text at all (header included)."""

    def own(r: int, j: int) -> bool:
        return bool((p.grid[r][j] or "").strip())

    j = 0
    while has_header and j < len(p.col_x0) - 1:
        header_named = own(0, j) and own(0, j + 1)
        spans = any(p.grid[r][j] is None or p.grid[r][j + 1] is None for r in range(len(p.grid)))
        if not header_named and spans and not any(own(r, j) and own(r, j + 1) for r in range(len(p.grid))):
            for r in range(len(p.grid)):
                keep = j + 1 if own(r, j + 1) and not own(r, j) else j
                p.grid[r][j], p.cells[r][j] = p.grid[r][keep], p.cells[r][keep]
                if p.grid[r][j] is None and p.grid[r][j + 1] is not None:
                    p.grid[r][j], p.cells[r][j] = p.grid[r][j + 1], p.cells[r][j + 1]
                del p.grid[r][j + 1], p.cells[r][j + 1]
            del p.col_x0[j + 1]
            continue
        j += 1
    for j in reversed(range(len(p.col_x0))):
        if len(p.col_x0) > 1 and not any((row[j] or "").strip() for row in p.grid):
            for r in range(len(p.grid)):
                del p.grid[r][j], p.cells[r][j]
            del p.col_x0[j]


def _names_columns(row: list[str | None]) -> bool:
    """Whether a table's first row is its header: it reads as one and names its first
    column (a row continued from the page before leaves that cell empty)."""
    return header_like(row) and bool((row[0] or "").strip())


def _same_columns(a: _Piece, b: _Piece, tolerance: float = 3.0) -> bool:
    return len(a.col_x0) == len(b.col_x0) and all(
        abs(x - y) <= tolerance for x, y in zip(a.col_x0, b.col_x0, strict=True)
    )


def _continues(p: _Piece, group: list[_Piece], has_header: bool) -> bool:
    """Whether piece ``p`` (first on its page) continues ``group`` from the page before:
    under the same page heading, with the same header (or none and the same width), and
    either the group ended its page or its columns stand where ``p``'s do (a footnote
    table may sit under the end of a table)."""
    first, last = group[0], group[-1]
    if p.page != last.page + 1 or not p.first_on_page or (p.above and p.above != first.above):
        return False
    if has_header:
        same = _norm_header(p.grid[0]) == _norm_header(first.grid[0])
    else:
        same = len(p.col_x0) == len(first.col_x0)
    return same and (last.last_on_page or _same_columns(p, first))


def _continued_row(row: list[str | None]) -> bool:
    """A row carried over a page break: its first cell empty and every other text
    continuing a sentence (lower case), as Word prints a row allowed to break."""
    texts = [(c or "").strip() for c in row]
    rest = [t for t in texts if t]
    return bool(rest) and not texts[0] and all(t[0].islower() for t in rest)


def _merge_rows(above: tuple[Cell, ...], more: list[Cell | None]) -> tuple[Cell, ...]:
    out = list(above)
    for j, cell in enumerate(more[: len(out)]):
        if cell is not None and cell.text:
            a = out[j]
            text = f"{a.text}\n{cell.text}" if a.text else cell.text
            out[j] = Cell(text, a.line_start, max(a.line_end, cell.line_end), a.page)
    return tuple(out)


def _join_pages(pieces: list[_Piece]) -> list[tuple[tuple[int, int, float], Block]]:
    """Tables continued over pages joined into one; each as a TABLE block."""
    out: list[tuple[tuple[int, int, float], Block]] = []
    groups: list[list[_Piece]] = []
    for p in pieces:
        has_header = _names_columns(p.grid[0])
        _fold_columns(p, has_header)
        # the table of the page before that this piece continues, if any: one whose
        # columns stand where this piece's do, else the nearest
        near = [g for g in reversed(groups) if g[-1].page == p.page - 1 and _continues(p, g, has_header)]
        home = next((g for g in near if _same_columns(p, g[0])), near[0] if near else None)
        if home is not None:
            if has_header:
                del p.grid[0], p.cells[0]  # the header repeated on this page
            home.append(p)
        else:
            groups.append([p])
    for group in groups:
        first = group[0]
        has_header = _names_columns(first.grid[0])
        rows: list[tuple[Cell, ...]] = []
        for i, p in enumerate(group):
            for r in range(len(p.grid)):
                if i and r == 0 and rows and _continued_row(p.grid[0]):
                    rows[-1] = _merge_rows(rows[-1], p.cells[0])
                    continue
                rows.append(_filled_row(p, r, rows))
        width = max(len(r) for r in rows)
        rows = [r + (r[-1],) * (width - len(r)) for r in rows]
        header: tuple[tuple[Cell, ...], ...] = ()
        if has_header:
            h = rows.pop(0)
            header = (tuple(Cell(join_header(c.text), c.line_start, c.line_end, c.page) for c in h),)
        all_lines = set().union(*(p.lines for p in group)) or {1}
        block = Block(
            BlockKind.TABLE,
            min(all_lines),
            max(all_lines),
            page=first.page,
            header=header,
            rows=tuple(rows),
            style="ruled table",
        )
        out.append(((first.page, 0, first.top), block))
    return out


def _filled_row(p: _Piece, r: int, done: list[tuple[Cell, ...]]) -> tuple[Cell, ...]:
    """Row ``r`` of ``p`` with spanned positions filled: from the left when the cell to
    the left reaches over this column, else from the row above."""
    out: list[Cell] = []
    for j, cell in enumerate(p.cells[r]):
        if cell is not None:
            out.append(cell)
            continue
        left = out[-1] if out else None
        if left is not None and (p.grid[r][j] is None):
            out.append(left)
        elif done and j < len(done[-1]):
            out.append(done[-1][j])
        else:
            line = left.line_start if left else (done[-1][0].line_start if done else 1)
            out.append(Cell("", line, line, p.page))
    return tuple(out)


# --------------------------------------------------------------------------- text
def _open_block(
    kind: BlockKind, ln: _Line, text: str, level: int, marker: Marker = Marker.NONE, number: str = ""
) -> dict[str, Any]:
    """A block being gathered, opened at line ``ln`` (lines that continue it are joined on)."""
    return dict(
        kind=kind,
        start=ln.n,
        end=ln.n,
        text=text,
        level=level,
        top=ln.top,
        region=ln.region,
        marker=marker,
        number=number,
    )


def _text_blocks(
    free: list[_Line], pno: int, body_size: float, heading_sizes: list[float]
) -> list[tuple[tuple[int, int, float], Block]]:
    out: list[tuple[tuple[int, int, float], Block]] = []
    cur: dict[str, Any] | None = None

    def flush() -> None:
        nonlocal cur
        if cur:
            b = Block(
                cur["kind"],
                cur["start"],
                cur["end"],
                " ".join(cur["text"].split()),
                page=pno,
                level=cur["level"],
                marker=cur["marker"],
                number=cur["number"],
            )
            out.append(((pno, cur["region"], cur["top"]), b))
        cur = None

    prev: _Line | None = None
    for ln in free:
        text = ln.text.strip()
        if not text or re.fullmatch(r"\d{1,3}", text) or _WEB_ADDRESS.fullmatch(text):
            flush()  # page numbers and a web address alone on a line are furniture
            prev = None
            continue
        gap = ln.top - prev.bottom if prev and prev.region == ln.region else 1e9
        close = gap <= max(ln.bottom - ln.top, 1) * 0.9
        marker, number, rest = list_marker(text)
        words = len(text.split())
        # a long sentence set large (a slide's lead-in) is prose, not a heading
        sentence = words > 12 and text.endswith(".")
        is_heading = (ln.size >= body_size * 1.15 and not sentence) or (
            ln.bold and words <= 12 and not text.endswith((".", ":"))
        )
        if is_heading:
            level = min(
                heading_sizes.index(ln.size) + 1 if ln.size in heading_sizes else len(heading_sizes) + 1, 6
            )
            if cur and cur["kind"] is BlockKind.HEADING and cur["level"] == level and close:
                cur["text"] += " " + text
                cur["end"] = ln.n
            else:
                flush()
                cur = _open_block(BlockKind.HEADING, ln, text, level)
        elif marker:
            flush()
            # at the page's left margin, or at its column's left edge (a column starts at
            # a gutter, so its own margin is small)
            depth = 0 if ln.x0 < (ln.left + 20 if ln.left else 60) else 1
            cur = _open_block(BlockKind.LIST_ITEM, ln, rest, depth, marker, number)
        elif cur and cur["kind"] is not BlockKind.HEADING and close:
            cur["text"] += " " + text
            cur["end"] = ln.n
        else:
            flush()
            cur = _open_block(BlockKind.PARAGRAPH, ln, text, 0)
        prev = ln
    flush()
    return out
