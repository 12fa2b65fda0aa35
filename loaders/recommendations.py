"""Numbered (scrutiny) recommendations and where a strategy says it picks them up.

Two shapes are read, anywhere in a document:

* a tab-separated table whose header names a recommendation column ("Recommendation(s)")
  and optionally a label column ("Ref", "No."), a "where referenced" / "response" column and
  a status column. A row whose recommendation cell starts "Recommendation 3:" (or whose label
  cell holds "3" / "2.1.3") starts a recommendation; other rows continue the one above (page
  breaks cut cells). Items of the references cell (bullets, paragraphs) become
  ``references``.
* a list outside tables: lines "Recommendation 2.1.3: That ..." or "2.1.3 That the Council
  ...", continued by the following lines up to a blank line; "Status: ..." and
  "Response: ..." / "Referenced in: ..." lines inside an item fill status and references.
  Where the document model is given (a PDF's has no blank lines), an item also ends where
  the document's structure starts a new section: a heading block, a numbered part heading
  ("Part 3: ...", "Section 2."), or a new paragraph after the item's text has ended its
  sentence (a caption or a list of options set below a recommendation box).

``number`` is the printed number when it is a plain integer ("Recommendation 3" -> 3). For
dotted labels ("2.1.3") it is the recommendation's running position (1-based) among the
document's recommendations, so numbers stay unique; the printed form is always in ``label``.
``status`` keeps a status phrase as printed ("This has happened"); ``props["status_kind"]``
normalises it: done, in-progress, under-discussion, planned, or referenced (no status
phrase, but references) / none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphmodel.schema import LoadResult, RecommendationRecord, Source

from .packed_cells import cell_blocks, cell_text, continues, joined_text
from .readers.model import Block, BlockKind, DocumentModel
from .strategy_plan import fallback_strategy, strategy_title_before
from .text import TextDocument

_LABEL = r"\d{1,3}(?:\.\d{1,3})*[a-z]?"
_REC_START = re.compile(rf"^(?:recommendation|rec\.?)\s*(?P<label>{_LABEL})\s*[:.)–-]\s*(?P<text>.*)$", re.I)
_DOTTED_THAT = re.compile(r"^(?P<label>\d{1,3}(?:\.\d{1,3})+)\.?\s+(?P<text>That\b.*)$")
_LABEL_CELL = re.compile(rf"^(?:R|Rec\.?\s*)?(?P<label>{_LABEL})\.?$", re.I)
#: A numbered part of a document: "Part 3: Quit for Good", "Section 2 - Actions", "Chapter 4."
_PART_HEADING = re.compile(r"^(?:part|section|chapter)\s+(?:\d{1,2}|[ivx]{1,4}|[a-h])\s*[:.–—-]\s*\S", re.I)
#: Text that has ended its sentence (closing quotes and brackets aside).
_SENTENCE_END = re.compile(r"[.!?][\"'’”)\]]*$")

_HEADER = {
    "text": re.compile(r"^(?:scrutiny\s+|osc\s+|committee\s+)?recommendations?(?:\s+text)?$"),
    "label": re.compile(
        r"^(?:ref(?:erence)?(?:\s*no)?|no|number|#|"
        r"rec(?:ommendation)?\s*(?:no|number|ref))$"
    ),
    "refs": re.compile(r"(?:referenced|where\b|response|addressed|picked up|how\b|action|strategy)"),
    "status": re.compile(r"^(?:status|progress|rag|update|agreed\??|accepted\??)(?:\s*/\s*\w+)?$"),
}

#: (kind, pattern) in priority order; first match wins.
STATUS_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("under-discussion", re.compile(r"\b(?:under discussion|being discussed|under consideration)\b", re.I)),
    ("in-progress", re.compile(r"\b(?:under ?way|in progress|on-?going|being implemented)\b", re.I)),
    (
        "planned",
        re.compile(
            r"\b(?:to be considered|will be considered|planned|agreed|accepted|"
            r"will be (?:done|delivered|taken forward))\b",
            re.I,
        ),
    ),
    (
        "done",
        re.compile(
            r"\b(?:has (?:already )?happened|has been (?:done|completed|implemented|"
            r"appointed|established)|completed?|implemented|achieved|in place|done)\b",
            re.I,
        ),
    ),
]


def status_kind(phrase: str | None) -> str | None:
    """Normalised kind of a status phrase ("This has happened" -> "done"), else None.

    Examples
    --------
    >>> status_kind("This has happened."), status_kind("This is under discussion"), status_kind("x")
    ('done', 'under-discussion', None)
    """
    if not phrase:
        return None
    for kind, rx in STATUS_KINDS:
        if rx.search(phrase):
            return kind
    return None


def is_status_item(item: str) -> bool:
    """A "where referenced" item that is a status statement, not a place in the strategy."""
    body = re.sub(r"^(?:action(?:\s+plan)?)\s*[-–:]\s*", "", item, flags=re.I)
    return (
        status_kind(body) is not None
        and len(body.split()) <= 8
        and not re.search(r"(?i)\bstrategic priority\b", body)
    )


def _clean_status(item: str) -> str:
    return item.strip().rstrip(".;").strip()


@dataclass
class _Rec:
    label: str
    text_parts: list[str]
    lines: list[int]
    refs: list[str] = field(default_factory=list)
    status: str | None = None
    items: list[str] = field(default_factory=list)

    def add_line(self, n: int) -> None:
        if n not in self.lines:
            self.lines.append(n)


def _add_blocks(parts: list[str], blocks: list[str]) -> None:
    """Append cell blocks, joining the first to the last one when a page break cut it."""
    for i, b in enumerate(blocks):
        if i == 0 and parts and continues(parts[-1], b):
            parts[-1] = f"{parts[-1]} {b}"
        else:
            parts.append(b)


#: Markup reading a cell may drop between two letters: tags, "**", character references,
#: item markers (a named reference never decodes to a letter of "recommendation").
_JOINING_MARKUP = re.compile(r"<|\*\*|&#|\x01")


def _header_text(cell: str) -> str:
    return " ".join(re.sub(r"[^\w/# ]+", " ", cell_text(cell).lower()).split())


def header_columns(line: str) -> dict[str, int] | None:
    """Column index by role when ``line`` heads a recommendations table."""
    cells = line.split("\t")
    if len(cells) < 2:
        return None
    # A header has a "Recommendation(s)" cell, and the word is in a cell's `joined_text`
    # when it is in its text (without markup that joins letters: in the cell as printed).
    # Other cells are read only when one cell is that column.
    if "recommendation" not in line.lower() and not _JOINING_MARKUP.search(line):
        return None  # the same test for all the cells at once
    names: list[str | None] = [
        _header_text(c)
        if "recommendation" in (joined_text(c) if _JOINING_MARKUP.search(c) else c).lower()
        else None
        for c in cells
    ]
    if not any(h and _HEADER["text"].search(h) for h in names):
        return None
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        h = names[i] if names[i] is not None else _header_text(cell)
        if not h:
            continue
        for role in ("text", "label", "status", "refs"):
            if role not in found and _HEADER[role].search(h):
                found[role] = i
                break
    return found if "text" in found and len(found) >= 2 else None


class _Collector:
    def __init__(self, doc: TextDocument, res: LoadResult) -> None:
        self.doc, self.res = doc, res
        self.recs: list[tuple[_Rec, str]] = []  # (recommendation, strategy)

    def emit(self) -> None:
        for running, (rec, strategy) in enumerate(self.recs, start=1):
            label = rec.label
            number = int(label) if label.isdigit() else running
            text = " ".join(" ".join(rec.text_parts).split())
            status = rec.status
            if status is None:
                status = next((_clean_status(r) for r in rec.refs if is_status_item(r)), None)
            kind = status_kind(status) or ("referenced" if rec.refs else "none")
            props: dict[str, object] = {"status_kind": kind}
            if rec.items:
                props["items"] = list(rec.items)
            if not text:
                self.res.warn(min(rec.lines), "empty-recommendation", f"recommendation {label} has no text")
            self.res.records.append(
                RecommendationRecord(
                    strategy,
                    number,
                    text,
                    Source(self.doc.name, min(rec.lines), max(rec.lines)),
                    label=label,
                    status=status,
                    references=tuple(rec.refs),
                    props=props,
                )
            )


def _table(doc: TextDocument, res: LoadResult, col: _Collector, start: int, cols: dict[str, int]) -> int:
    """Read the table whose header is line ``start``; return the first line after it."""
    found = strategy_title_before(doc, start)
    strategy = found[0] if found else fallback_strategy(doc)
    res.structural()
    cur: _Rec | None = None
    n = start + 1
    while n <= len(doc.lines):
        raw = doc.line(n)
        if not raw.strip():
            n += 1
            continue
        if "\t" not in raw and not _REC_START.match(cell_text(raw)):
            break
        cells = raw.split("\t")
        if header_columns(raw) is not None:
            res.structural()
            n += 1
            continue
        if all(re.fullmatch(r"[\s\-–—_|]*", c) for c in cells):
            res.structural()
            n += 1
            continue

        def cell(role: str, cells: list[str] = cells) -> str:
            i = cols.get(role)
            return cells[i] if i is not None and i < len(cells) else ""

        text_blocks = cell_blocks(cell("text"))
        ref_blocks = cell_blocks(cell("refs"))
        status_text = cell_text(cell("status")) or None
        label = None
        lab = cell_text(cell("label"))
        if lab and (m := _LABEL_CELL.match(lab)):
            label = m.group("label")
        if text_blocks and (m := _REC_START.match(text_blocks[0]) or _DOTTED_THAT.match(text_blocks[0])):
            label = label or m.group("label")
            text_blocks = [m.group("text"), *text_blocks[1:]] if m.group("text") else text_blocks[1:]
        if label is not None:
            cur = _Rec(label, [], [n])
            col.recs.append((cur, strategy))
            if text_blocks:
                cur.text_parts.append(text_blocks[0])
                cur.items.extend(text_blocks[1:])
                cur.text_parts.extend(text_blocks[1:])
            _add_blocks(cur.refs, ref_blocks)
            cur.status = status_text
            res.loaded()
        elif cur is not None:
            _add_blocks(cur.text_parts, text_blocks)
            _add_blocks(cur.refs, ref_blocks)
            if status_text:
                cur.status = f"{cur.status} {status_text}" if cur.status else status_text
            cur.add_line(n)
            res.loaded()
        else:
            res.reject(n, "row before any numbered recommendation", raw)
        n += 1
    return n


_FIELD = re.compile(
    r"^(?P<key>status|response|referenced(?: in)?|where referenced|progress)\s*[:\-–]\s*"
    r"(?P<value>.*)$",
    re.I,
)


def section_starts(model: DocumentModel | None) -> dict[int, Block]:
    """The block that starts at each line of ``model`` (the reader's structure), else {}."""
    if model is None:
        return {}
    return {b.line_start: b for b in model.blocks if b.kind is not BlockKind.TABLE}


def _new_section(text: str, block: Block | None, parts: list[str]) -> bool:
    """Whether a line (``text``, starting ``block`` if one starts there) begins a new part
    of the document rather than continuing a recommendation whose text is ``parts``.

    A heading block or a numbered part heading always does; a new paragraph does once the
    recommendation's text has ended its sentence (a list item does not: it is the
    recommendation's own point)."""
    if block is not None and block.kind is BlockKind.HEADING:
        return True
    if _PART_HEADING.match(text) and len(text.split()) <= 12 and not _SENTENCE_END.search(text):
        return True
    said = " ".join(parts).strip()
    return bool(
        block is not None and block.kind is BlockKind.PARAGRAPH and said and _SENTENCE_END.search(said)
    )


def _list_item(
    doc: TextDocument,
    res: LoadResult,
    col: _Collector,
    start: int,
    m: re.Match[str],
    sections: dict[int, Block] | None = None,
) -> int:
    """Read one list-style recommendation starting at line ``start``; return the next line.

    ``sections`` (from `section_starts`) ends it where the document starts a new section."""
    sections = sections or {}
    found = strategy_title_before(doc, start)
    strategy = found[0] if found else fallback_strategy(doc)
    rec = _Rec(m.group("label"), [m.group("text")], [start])
    col.recs.append((rec, strategy))
    res.loaded()
    n = start + 1
    if not m.group("text").strip():  # "Recommendation 1:" with its text after a blank line
        k = n
        while k <= len(doc.lines) and k - n < 2 and not doc.line(k).strip():
            k += 1
        nxt = cell_text(doc.line(k)) if k <= len(doc.lines) else ""
        if nxt and "\t" not in doc.line(k) and not _REC_START.match(nxt) and not _DOTTED_THAT.match(nxt):
            n = k
    while n <= len(doc.lines):
        raw = doc.line(n)
        text = cell_text(raw)
        if not text or "\t" in raw or _REC_START.match(text) or _DOTTED_THAT.match(text):
            break
        if _new_section(text, sections.get(n), rec.text_parts):
            break
        f = _FIELD.match(text.lstrip("-•* "))
        if f and f.group("key").lower() in ("status", "progress"):
            rec.status = f.group("value").strip() or None
        elif f:
            rec.refs.extend(x.strip() for x in re.split(r"\s*;\s*", f.group("value")) if x.strip())
        elif text[:1] in "-•*":
            rec.items.append(text.lstrip("-•* "))
            rec.text_parts.append(text.lstrip("-•* "))
        else:
            rec.text_parts.append(text)
        rec.add_line(n)
        res.loaded()
        n += 1
    return n


def load(doc: TextDocument, model: DocumentModel | None = None) -> LoadResult:
    """Every recommendations table and recommendation list in ``doc``; ``model`` (the
    reader's blocks over the same lines) lets a list item end where a new section starts."""
    res = LoadResult(doc.name, "recommendations")
    sections = section_starts(model)
    col = _Collector(doc, res)
    n = 1
    while n <= len(doc.lines):
        raw = doc.line(n)
        if "\t" in raw:
            cols = header_columns(raw)
            if cols is not None:
                n = _table(doc, res, col, n, cols)
                continue
            n += 1
            continue
        text = cell_text(raw)
        m = _REC_START.match(text) or _DOTTED_THAT.match(text)
        if m:
            n = _list_item(doc, res, col, n, m, sections)
            continue
        n += 1
    col.emit()
    return res
