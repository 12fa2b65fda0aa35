"""Text reader: ``.txt``, ``.md`` and text exports of PDFs and web pages -> `DocumentModel`.

Blocks come from the layout of the lines alone:

- headings: Markdown ``#``, a line underlined with ``===``/``---``, a short ALL-CAPS or
  bold line standing alone, a short title line standing alone, and numbered section
  headings ("3. Local picture" followed by prose, not by a list);
- list items: bullets (``•``, ``-``, ``*``, ``▪``, ``o``, ``●``), numbers (``1.``, ``1)``,
  ``1 Text``, ``1.Text``, ``2.1.3``), letters (``(a)``, ``a.``), romans (``i.``) and
  "Recommendation 7 (Youth)" / "Recommendation 1:" (text on the same line or in the
  paragraph after it). Depth comes from indentation, dotted numbers, and numbering that
  restarts at 1 under an item (see `nest_numbers`);
- tables: tab-separated lines (cells kept as read), Markdown pipe tables, columns
  aligned by runs of spaces (``pdftotext -layout``), and tables flattened one cell per
  line under a header of column names (repeated headers are not rows);
- paragraphs: everything else, up to a blank line.

NBSP is whitespace, escaped Markdown (``\\(30\\)``) is unescaped, and page furniture
(lines repeated at page edges, "Page 3 of 40") is not content. ``lines`` keep the text
as decoded, so provenance points at what a person sees in the file.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from loaders.text import TextDocument, read_text_document

from .model import Block, BlockKind, DocumentModel, Marker
from .text_tables import aligned_table, flat_table, pipe_table, tab_table

#: No-break and fixed-width spaces, read as plain spaces.
_SPACE_CHARS = re.compile("[\u00a0\u2007\u202f\u2009\u200a\u2002\u2003]")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~&'\"])")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)|`")
_HTML_TAG = re.compile(r"</?(?:p|ul|ol|li|br|b|i|strong|em|span|div)\b[^>]*>", re.I)


def clean(text: str) -> str:
    """Inline text as words: NBSP as space, Markdown escapes and emphasis removed."""
    # each step only where its characters occur (the reader cleans every line, most plain)
    text = _spaces(text)
    if "\\" in text:
        text = _MD_ESCAPE.sub(r"\1", text)
    if "*" in text or "_" in text or "`" in text:
        text = _EMPHASIS.sub("", text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    return " ".join(text.split())


def _spaces(text: str) -> str:
    """``text`` with the no-break and fixed-width spaces of `_SPACE_CHARS` as plain spaces
    (all of them are non-ASCII: an ASCII line is returned as it is)."""
    return text if text.isascii() else _SPACE_CHARS.sub(" ", text)


# ----------------------------------------------------------------------------- line shapes

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_BULLET = re.compile(r"^(?P<indent>\s*)(?P<mark>[•\-*▪●◦‣·○■□➢✓o])\s+(?P<text>\S.*)$")
_NUMBER = re.compile(
    r"^(?P<indent>\s*)(?P<num>\d{1,3}(?:\.\d{1,3})*)(?P<punct>[.)]?)(?P<gap>\s*)(?P<text>\S.*)$"
)
_LETTER = re.compile(r"^(?P<indent>\s*)(?:\((?P<a>[a-zA-Z])\)|(?P<b>[a-z])[.)])\s+(?P<text>\S.*)$")
_ROMAN = re.compile(r"^(?P<indent>\s*)(?:\((?P<a>[ivxl]{1,5})\)|(?P<b>[ivxl]{1,5})[.)])\s+(?P<text>\S.*)$")
_RECOMMENDATION = re.compile(
    r"^(?P<indent>\s*)(?:recommendation\s+|rec\.?\s*|r(?=\d))(?P<num>\d{1,3}(?:\.\d{1,3})*)\b\s*"
    r"(?P<topic>\([^)]{1,60}\))?\s*[:.–—-]?\s*(?P<text>.*)$",
    re.I,
)
_HASHES = re.compile(r"^\s{0,3}#{1,6}\s+")
_HASH_HEADING = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")
_PAGE = re.compile(r"^\s*(?:page\s+\d+(?:\s*(?:of|/)\s*\d+)?|\d+\s*(?:of|/)\s*\d+|-\s*\d+\s*-)\s*$", re.I)
_TRAILING_PAGE = re.compile(r"\s+page\s+\d+\s+of(?:\s+\d+)?\s*$", re.I)  # "... risks** Page 1 of"
_RULE = re.compile(r"^\s*(?:[-*_=]\s*){3,}$")


def _number_item(line: str) -> tuple[str, str, str] | None:
    """(indent, number, text) for "1. Text", "1) Text", "1.Text", "1 Text", "2.1.3 Text"."""
    m = _NUMBER.match(line)
    if not m:
        return None
    num, punct, gap, text = m["num"], m["punct"], m["gap"], m["text"]
    if not punct and not gap:
        return None  # "2024" glued to words
    if not punct or (punct == "." and not gap):
        # "1 Text" and "1.Text": a capital (or quote) must follow; not a date or amount
        if not (text[:1].isupper() or text[:1] in "\"'‘“("):
            return None
        if re.match(rf"(?:{_MONTHS})\b", text, re.I) or (punct == "." and not gap and text[:1].isdigit()):
            return None
        if not punct and "." not in num and int(num) > 50:
            return None
    if "." not in num and len(num) == 3 and not punct:
        return None
    return m["indent"], num, text


def _list_item(line: str) -> tuple[Marker, str, str, int] | None:
    """(marker, number, text, indent) when ``line`` starts a list item."""
    m = _RECOMMENDATION.match(_EMPHASIS.sub("", _HASHES.sub("", line)))
    if m:
        topic = (m["topic"] or "").strip()
        text = (topic + " " + m["text"]).strip() if topic else m["text"].strip()
        return Marker.NUMBER, m["num"], text, len(m["indent"])
    if _RULE.match(line):
        return None
    m = _BULLET.match(line)
    if m and not (m["mark"] == "o" and not m["text"][:1].isalpha()):
        return Marker.BULLET, "", m["text"], len(m["indent"].expandtabs(4))
    n = _number_item(line)
    if n:
        return Marker.NUMBER, n[1], n[2], len(n[0].expandtabs(4))
    m = _ROMAN.match(line)
    if m and (m["a"] or m["b"]) not in ("l",):
        return Marker.ROMAN, m["a"] or m["b"], m["text"], len(m["indent"])
    m = _LETTER.match(line)
    if m:
        return Marker.LETTER, (m["a"] or m["b"]).lower(), m["text"], len(m["indent"])
    return None


def _is_caps_heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters) and len(text.split()) <= 12


def _title_like(text: str) -> bool:
    """A short line that reads as a title: few words, capital start, no sentence end."""
    words = text.split()
    if not words or len(words) > 10 or len(text) > 90:
        return False
    if not (words[0][:1].isupper() or words[0][:1].isdigit()) or not any(c.isalpha() for c in text):
        return False
    if text.endswith((",", ";", ":")):
        return False
    return not text.endswith(".") or len(words) <= 3


# -------------------------------------------------------------------------- page furniture


def furniture_lines(lines: tuple[str, ...]) -> set[int]:
    """0-based indexes of page furniture: "Page 3 of 40" lines, and short lines that
    repeat (digits aside) next to page breaks (form feeds or page-number lines)."""
    out: set[int] = set()
    breaks: list[int] = []
    for i, line in enumerate(lines):
        if _PAGE.match(line.replace("\f", "")):
            out.add(i)
            breaks.append(i)
        elif "\f" in line:
            breaks.append(i)
    if len(breaks) < 2:
        return out
    where: dict[str, set[int]] = {}
    for b in breaks:
        for i in _nonblank_around(lines, b, 2):
            text = clean(lines[i]).lower()
            key = re.sub(r"\d+", "#", text) if len(text) <= 40 else text  # page numbers vary, prose does not
            if key and len(key) <= 100:
                where.setdefault(key, set()).add(i)
    for found in where.values():
        if len(found) >= 3:  # on three pages at least
            out.update(found)
    return out


def _nonblank_around(lines: tuple[str, ...], b: int, k: int) -> list[int]:
    found: list[int] = []
    for step in (-1, 1):
        i, seen = b + step, 0
        while 0 <= i < len(lines) and seen < k:
            if lines[i].strip():
                found.append(i)
                seen += 1
            i += step
    if lines[b].replace("\f", "").strip() and not _PAGE.match(lines[b].replace("\f", "")):
        found.append(b)
    return found


# ------------------------------------------------------------------------------- the reader


def read(path: Path) -> DocumentModel:
    """Read a text or Markdown file into blocks (see the module docstring)."""
    return read_document(read_text_document(path))


def read_document(doc: TextDocument) -> DocumentModel:
    """Blocks of an already decoded `TextDocument`."""
    blocks = _Scanner(doc.lines).blocks()
    return DocumentModel(doc.name, "text", doc.sha256, doc.encoding, doc.lines, tuple(blocks))


def _no_trailing_page(line: str) -> str:
    """``line`` without a "Page 1 of" tail (`_TRAILING_PAGE`, which needs the letters of "page")."""
    return _TRAILING_PAGE.sub("", line) if "g" in line or "G" in line else line


class _Scanner:
    """One pass over the lines, block by block."""

    def __init__(self, lines: tuple[str, ...]) -> None:
        skip = furniture_lines(lines)
        self.lines = [
            ("" if i in skip else _no_trailing_page(_spaces(line.replace("\f", ""))))
            for i, line in enumerate(lines)
        ]
        self.out: list[Block] = []

    def blank(self, i: int) -> bool:
        return i >= len(self.lines) or not self.lines[i].strip()

    def blocks(self) -> list[Block]:
        i, n = 0, len(self.lines)
        while i < n:
            if self.blank(i):
                i += 1
                continue
            i = self.block(i)
        return nest_numbers(number_headings(self.out))

    def add(self, kind: BlockKind, start: int, end: int, text: str, **kw: object) -> None:
        self.out.append(Block(kind, start + 1, end + 1, text, **kw))  # type: ignore[arg-type]

    def block(self, i: int) -> int:
        line = self.lines[i]
        m = _HASH_HEADING.match(line)
        if m and _list_item(line):  # "### Recommendation 1" heads its own text: an item
            return self.item(i, _list_item(line))  # type: ignore[arg-type]
        if m and clean(m["text"]):
            self.add(BlockKind.HEADING, i, i, clean(m["text"]), level=len(m["hashes"]), style="markdown")
            return i + 1
        for finder in (pipe_table, tab_table, aligned_table):
            found = finder(self.lines, i)
            if found:
                self.out.append(found[0])
                return found[1]
        item = _list_item(line)
        if item:
            return self.item(i, item)
        found = flat_table(self.lines, i)
        if found:
            self.out.append(found[0])
            return found[1]
        text = clean(line)
        if not text or _RULE.match(line):
            return i + 1
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else ""
        if _UNDERLINE.match(nxt) and len(text.split()) <= 15:
            self.add(BlockKind.HEADING, i, i + 1, text, level=1 if "=" in nxt else 2, style="underlined")
            return i + 2
        alone = self.blank(i + 1)
        bold = line.strip().startswith(("**", "__")) and line.strip().rstrip(":").endswith(("**", "__"))
        if alone and _is_caps_heading(text):
            self.add(BlockKind.HEADING, i, i, text, level=2, style="caps")
            return i + 1
        if alone and bold and len(text.split()) <= 15:
            self.add(BlockKind.HEADING, i, i, text, level=3, style="bold")
            return i + 1
        if _title_like(text) and (alone or (self.starts_prose(i + 1) and not text.endswith("."))):
            self.add(BlockKind.HEADING, i, i, text, level=3, style="title")
            return i + 1
        return self.paragraph(i)

    def starts_prose(self, i: int) -> bool:
        """Line ``i`` opens running text (a sentence of several words)."""
        if self.blank(i):
            return False
        text = clean(self.lines[i])
        words = text.split()
        lower = sum(1 for w in words if w[:1].islower())
        return (
            len(words) >= 6
            and text[:1].isupper()
            and lower * 2 >= len(words)
            and not _list_item(self.lines[i])
        )

    def paragraph(self, i: int) -> int:
        j = i + 1
        while True:
            while not self.blank(j) and not self.breaks(j):
                j += 1
            if not self.carries_on(j):
                break
            j += 2
        text = " ".join(clean(self.lines[k]) for k in range(i, j) if self.lines[k].strip())
        self.add(BlockKind.PARAGRAPH, i, j - 1, text)
        return j

    def carries_on(self, j: int) -> bool:
        """Line ``j`` is one blank line between a sentence and its lower-case rest (a PDF
        converted to Markdown puts a blank line after every printed line)."""
        if j + 1 >= len(self.lines) or not self.blank(j) or self.blank(j + 1):
            return False
        prev, nxt = clean(self.lines[j - 1]), self.lines[j + 1].strip()
        return (
            nxt[:1].islower()
            and not prev.endswith((".", ":", "!", "?"))
            and not _list_item(self.lines[j + 1])
            and "\t" not in self.lines[j + 1]
        )

    def breaks(self, j: int) -> bool:
        """Line ``j`` starts a new block inside unbroken text (PDF text has no blank lines)."""
        line = self.lines[j]
        if _list_item(line) or "\t" in line or line.lstrip().startswith(("|", "#")):
            return True
        prev = clean(self.lines[j - 1])
        text = clean(line)
        return (
            prev.endswith((".", ":", "!", "?"))
            and _title_like(text)
            and not text.endswith(".")
            and len(text.split()) <= 8
            and self.starts_prose(j + 1)
        )

    def item(self, i: int, item: tuple[Marker, str, str, int]) -> int:
        marker, number, text, indent = item
        parts = [clean(text)] if clean(text) else []
        j = i + 1
        while True:
            while not self.blank(j) and not _list_item(self.lines[j]) and "\t" not in self.lines[j]:
                if self.breaks(j) or _HASH_HEADING.match(self.lines[j]):
                    break
                parts.append(clean(self.lines[j]))
                j += 1
            if not self.carries_on(j):
                break
            j += 1
        rec = _RECOMMENDATION.match(_EMPHASIS.sub("", _HASHES.sub("", self.lines[i])))
        recommendation = rec is not None
        if rec is not None and not clean(rec["text"]):
            # "Recommendation 1:" with its text in the paragraph after a blank line
            k = j
            while k < len(self.lines) and self.blank(k):
                k += 1
            if k < len(self.lines) and k - j <= 2 and not _list_item(self.lines[k]):
                e = k
                while not self.blank(e + 1) and not _list_item(self.lines[e + 1]):
                    e += 1
                parts += [clean(self.lines[x]) for x in range(k, e + 1)]
                j = e + 1
        self.add(
            BlockKind.LIST_ITEM,
            i,
            j - 1,
            " ".join(parts),
            marker=marker,
            number=number,
            level=indent,  # indentation for now; nest_numbers turns it into depth
            style="recommendation" if recommendation else "",
        )
        return j


# ------------------------------------------------------------------------- after the pass


def number_headings(blocks: list[Block]) -> list[Block]:
    """Numbered lines that head sections ("3. Local picture" followed by prose, not by a
    list item; numbered on from the previous such heading) become headings."""
    out = list(blocks)
    last = 0
    for x, b in enumerate(out):
        if b.kind is BlockKind.HEADING and re.match(r"^\d{1,2}[.)]?\s", b.text):
            last = int(b.text.split()[0].rstrip(".)"))
        if b.kind is not BlockKind.LIST_ITEM or b.marker is not Marker.NUMBER or b.style:
            continue
        nxt = out[x + 1] if x + 1 < len(out) else None
        prev = out[x - 1] if x else None
        if nxt is not None and nxt.kind is BlockKind.LIST_ITEM:
            continue
        words = b.text.split()
        dotted = "." in b.number
        continues = not dotted and int(b.number) == last + 1
        titled = continues and int(b.number) > 1 and len(words) <= 12 and not b.text.endswith(".")
        if prev is not None and prev.kind is BlockKind.LIST_ITEM and not titled:
            continue  # an item of the list above ("3. Reporting" after a list goes on the sections)
        short = len(words) <= 12 and (not b.text.endswith(".") or len(words) <= 3)
        if (short or (continues and len(words) <= 16)) and (
            nxt is None or nxt.kind is not BlockKind.LIST_ITEM
        ):
            level = 2 + b.number.count(".")
            out[x] = replace(
                b, kind=BlockKind.HEADING, text=f"{b.number}. {b.text}", level=level, style="numbered"
            )
            if not dotted:
                last = int(b.number)
    return out


def _prev_num(number: str) -> int:
    return int(number.split(".")[-1]) if number.split(".")[-1].isdigit() else -1


def nest_numbers(blocks: list[Block]) -> list[Block]:
    """List depth for each run of list items: indentation first, then dotted numbers,
    then numbering that restarts at 1 under an item ("1.-4." domains each with "1.-3."
    actions; the "4." after an inner "3." goes back out when a "1." follows it, since
    the outer items are the ones that have children)."""
    out = list(blocks)
    x = 0
    while x < len(out):
        if out[x].kind is not BlockKind.LIST_ITEM:
            x += 1
            continue
        y = x
        while y < len(out) and out[y].kind is BlockKind.LIST_ITEM:
            y += 1
        _nest_run(out, x, y)
        x = y
    return out


def _nest_run(out: list[Block], x: int, y: int) -> None:
    indents = sorted({out[k].level for k in range(x, y)})
    rank = {v: r for r, v in enumerate(indents)}
    levels: list[list[object]] = []  # per depth: [last number, had children]
    kind_depth: dict[Marker, int] = {}
    for k in range(x, y):
        b = out[k]
        base = rank[b.level]
        depth = base
        if b.marker is Marker.NUMBER and b.number.replace(".", "").isdigit() and "." not in b.number:
            n = int(b.number)
            if not levels:
                levels = [[n, False]]
                d = 0
            elif n == 1:
                levels[-1][1] = True
                levels.append([1, False])
                d = len(levels) - 1
            else:
                cands = [d for d, lv in enumerate(levels) if lv[0] == n - 1]
                nxt = out[k + 1] if k + 1 < y else None
                restarts = nxt is not None and nxt.marker is Marker.NUMBER and nxt.number == "1"
                if not cands:
                    d = len(levels) - 1
                elif restarts and any(levels[c][1] for c in cands):
                    d = max(c for c in cands if levels[c][1])
                else:
                    d = max(cands)
                del levels[d + 1 :]
                levels[d][0] = n
            depth = base + d
            kind_depth[Marker.NUMBER] = depth
        elif b.marker is Marker.NUMBER:
            depth = base + b.number.count(".")
            kind_depth[Marker.NUMBER] = depth
        elif b.marker in (Marker.LETTER, Marker.ROMAN):
            if b.marker is Marker.ROMAN and Marker.LETTER in kind_depth:
                depth = max(base, kind_depth[Marker.LETTER] + 1)
            elif Marker.NUMBER in kind_depth:
                depth = max(base, kind_depth[Marker.NUMBER] + 1)
            kind_depth[b.marker] = depth
        out[k] = replace(b, level=depth)
