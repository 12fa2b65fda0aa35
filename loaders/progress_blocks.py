"""Progress reviews over blocks -> `ActionRecord`s.

- lists under achievement headings ("Key achievements", "Progress so far") are
  ``achievement`` / ``achieved``; under objective headings ("Next steps", "Future
  objectives", "What we will do") ``objective`` / ``planned``;
- "What we wanted / What we did / The difference it made" blocks (as headings, labelled
  paragraphs or table columns): one achievement each, the aim and the difference in props;
- indicator tables (indicator / target / actual / RAG, latest and previous): one Action
  per indicator, ``level = "indicator"``, its rating as ``status``.

A RAG word or percentage printed with an item ("On Track", "At Risk", "40% Delivered")
is its status, as printed.
"""

from __future__ import annotations

import re

from graphmodel.schema import ActionRecord, LoadResult, PriorityRef

from .block_context import Context, Unit
from .priority_blocks import heading_ref
from .readers.model import Block, BlockKind
from .readers.text import clean

RAG = re.compile(
    r"\b(?:on[ -]track|off[ -]track|at[ -]risk|not started|in progress|delayed|completed?|achieved|"
    r"partially (?:met|achieved)|not (?:met|achieved))\b|"
    r"\b\d{1,3}\s?% (?:delivered|complete(?:d)?|achieved)\b|"
    r"(?:(?<=[(:–-])|(?<=[(:–-] )|(?<=\bRAG )|(?<=\bRAG: ))(?:red|amber|green|blue)\b",
    re.I,
)
_SECTION_WORDS = re.compile(
    r"\b(?:achievements?|achieved|progress|next steps|objectives|future|highlights|successes|what we)\b", re.I
)
_WANTED = re.compile(r"^what we (?:wanted|set out|aimed|planned)(?: to (?:do|achieve))?\b\s*[:.–-]?\s*", re.I)
_DID = re.compile(r"^what we (?:did|have done|delivered)\b\s*[:.–-]?\s*", re.I)
_DIFFERENCE = re.compile(
    r"^(?:the )?(?:difference (?:it|this) (?:has )?made|impact|outcomes?)\b\s*[:.–-]?\s*", re.I
)


def status_in(text: str) -> str | None:
    """A RAG word or percentage as printed in ``text``, or None."""
    m = RAG.search(text)
    return m[0] if m else None


def _path(unit: Unit) -> tuple[PriorityRef, ...]:
    """The section the list reports on: the nearest heading that is not itself an
    "achievements"/"next steps" label."""
    for h in reversed(unit.headings):
        if ref := heading_ref(h.text):
            return (ref,)  # "Priority 1: Best start in life": the priority itself
        if not _SECTION_WORDS.search(h.text):
            return (PriorityRef("section", h.text),)
    return (PriorityRef("section", unit.headings[-1].text),) if unit.headings else ()


def read_list(unit: Unit, ctx: Context, res: LoadResult, *, planned: bool) -> None:
    strategy = ctx.strategy(unit.start, res)
    path = _path(unit)
    level, default = ("objective", "planned") if planned else ("achievement", "achieved")
    for b in unit.blocks:
        if not b.text.strip():
            res.reject(b.line_start, "list item without text", "")
            continue
        status = status_in(b.text) or default
        res.loaded(ActionRecord(strategy, path, b.text, ctx.doc.block_source(b), level=level, status=status))


# ------------------------------------------------------------ What we wanted / did / difference


def _label(b: Block) -> tuple[str, str] | None:
    for name, rx in (("wanted", _WANTED), ("did", _DID), ("difference", _DIFFERENCE)):
        m = rx.match(b.text)
        if m and (b.kind is BlockKind.HEADING or m.end() < len(b.text) or len(b.text.split()) <= 6):
            return name, b.text[m.end() :].strip()
    return None


def starts_wanted(b: Block) -> bool:
    """``b`` opens a "What we wanted" block."""
    return b.kind is not BlockKind.TABLE and bool(_WANTED.match(b.text)) and _label(b) is not None


def wanted_end(blocks: list[Block], x: int) -> int:
    """End (exclusive) of the block opened at ``x``: the next "What we wanted", or the
    first heading that is none of the three labels once "What we did" was seen."""
    seen_did = False
    y = x + 1
    while y < len(blocks):
        b = blocks[y]
        lab = _label(b) if b.kind is not BlockKind.TABLE else None
        if lab and lab[0] == "wanted":
            break
        if lab and lab[0] == "did":
            seen_did = True
        elif b.kind in (BlockKind.HEADING, BlockKind.TABLE) and not lab and seen_did:
            break
        y += 1
    return y


def read_wanted_did(unit: Unit, ctx: Context, res: LoadResult) -> None:
    parts: dict[str, list[str]] = {"wanted": [], "did": [], "difference": []}
    current = "wanted"
    for b in unit.blocks:
        lab = _label(b)
        if lab:
            current = lab[0]
            if lab[1]:
                parts[current].append(lab[1])
        else:
            parts[current].append(b.text)
    res.structural(len(unit.blocks) - 1)
    text = " ".join(parts["did"]) or " ".join(parts["wanted"])
    if not text:
        res.reject(unit.start, "'What we wanted' block with nothing done or wanted", unit.blocks[0].text)
        return
    props = {k: " ".join(v) for k, v in (("aim", parts["wanted"]), ("difference", parts["difference"])) if v}
    status = status_in(" ".join(parts["difference"] + parts["did"])) or "achieved"
    strategy = ctx.strategy(unit.start, res)
    src = ctx.doc.source(unit.start, unit.end)
    res.loaded(
        ActionRecord(strategy, _path(unit), text, src, level="achievement", status=status, props=props)
    )


def is_wanted_did_table(block: Block) -> bool:
    header = [h for h in block.header_texts() if h]
    return any(_DID.match(h) for h in header)


def read_wanted_did_table(unit: Unit, ctx: Context, res: LoadResult) -> None:
    block = unit.blocks[0]
    header = block.header_texts()
    cols = {
        name: next((i for i, h in enumerate(header) if rx.match(h)), None)
        for name, rx in (("wanted", _WANTED), ("did", _DID), ("difference", _DIFFERENCE))
    }
    strategy = ctx.strategy(unit.start, res)
    res.structural()
    for row in block.rows:
        cell = {k: clean(row[i].text) if i is not None and i < len(row) else "" for k, i in cols.items()}
        if not cell["did"]:
            res.reject(
                row[0].line_start, "row with nothing under 'What we did'", " | ".join(c.text for c in row)
            )
            continue
        props = {k: v for k, v in (("aim", cell["wanted"]), ("difference", cell["difference"])) if v}
        status = status_in(cell["difference"]) or "achieved"
        src = ctx.doc.source(row[0].line_start, max(c.line_end for c in row))
        res.loaded(
            ActionRecord(
                strategy, _path(unit), cell["did"], src, level="achievement", status=status, props=props
            )
        )


# ---------------------------------------------------------------------------- indicators

_IND_COLS = {
    "indicator": re.compile(r"\b(?:indicators?|measures?|kpis?|metrics?)\b", re.I),
    "rag": re.compile(r"\b(?:rag|rating|status)\b", re.I),
    "target": re.compile(r"\btarget\b", re.I),
    "actual": re.compile(r"\b(?:actual|latest|current|outturn)\b", re.I),
    "previous": re.compile(r"\b(?:previous|last|prior|baseline)\b", re.I),
}


def read_indicators(unit: Unit, ctx: Context, res: LoadResult) -> None:
    """One Action per indicator row; every other column kept in props under its header."""
    block = unit.blocks[0]
    header = block.header_texts()
    cols: dict[str, int] = {}
    for role, rx in _IND_COLS.items():
        for i, h in enumerate(header):
            if i not in cols.values() and rx.search(h):
                cols[role] = i
                break
    strategy = ctx.strategy(unit.start, res)
    res.structural()
    ind = cols["indicator"]
    for row in block.rows:
        text = clean(row[ind].text) if ind < len(row) else ""
        if not text:
            if any(c.text for c in row):
                res.reject(
                    row[0].line_start, "indicator row without an indicator", " | ".join(c.text for c in row)
                )
            else:
                res.structural()
            continue
        rag = clean(row[cols["rag"]].text) if "rag" in cols and cols["rag"] < len(row) else ""
        props: dict[str, object] = {"level": "indicator"}
        for i, h in enumerate(header):
            if i != ind and i < len(row) and row[i].text.strip():
                props[h or f"column {i + 1}"] = clean(row[i].text)
        src = ctx.doc.source(row[0].line_start, max(c.line_end for c in row))
        res.loaded(
            ActionRecord(
                strategy, _path(unit), text, src, level="indicator", status=rag or "open", props=props
            )
        )
