"""Recommendations over blocks: numbered lists in every numbering ("1.", "1)", "(a)",
"2.1.3", "Recommendation 7 (Youth)", "Recommendation 1:" with its text below), a
report's own "Recommendation(s): Cabinet is asked to …" / "The Board is asked to: …"
(numbered 1.. in order where the paper does not number them), and tables with a
Recommendation column.

The classifier decides which lists are recommendations (a lettered list of points
someone reported is not); this module turns the chosen blocks into records. Items nested
under a recommendation are part of its text.
"""

from __future__ import annotations

import re

from graphmodel.schema import LoadResult, RecommendationRecord

from .block_context import Context, Unit
from .readers.text import clean

_LABEL_PREFIX = re.compile(r"^(?:recommendations?|decision(?:s)? required|action required)\s*[:.–-]\s*", re.I)
_INLINE_ITEMS = re.compile(r"(?:^|\s|;)\(?([a-h]|i{1,3}|iv|v|vi{0,3})\)\s+")
_LABEL_COL = re.compile(r"^(?:no\.?|number|ref(?:erence)?\.?(?: no\.?)?|#|item)$", re.I)
_STATUS_COL = re.compile(r"\b(?:status|progress|update|response|rag)\b", re.I)
_REC_COL = re.compile(r"^(?:scrutiny\s+)?recommendations?\b", re.I)


def _record(
    ctx: Context, res: LoadResult, printed: str, text: str, line: int, end: int, **kw: object
) -> None:
    strategy = ctx.strategy(line, res)
    number = ctx.number(strategy, printed)
    rec = RecommendationRecord(strategy, number, text, ctx.doc.source(line, end), label=printed, **kw)  # type: ignore[arg-type]
    res.loaded(rec)


def read_list(unit: Unit, ctx: Context, res: LoadResult) -> None:
    """One record per outermost item; deeper items join their parent's text."""
    top = min(b.level for b in unit.blocks)
    groups: list[list] = []
    for b in unit.blocks:
        if b.level == top or not groups:
            groups.append([b])
        else:
            groups[-1].append(b)
            res.structural()  # read as part of the item above
    for g in groups:
        head = g[0]
        text = " ".join([head.text] + [f"{b.number + ')' if b.number else '-'} {b.text}" for b in g[1:]])
        printed = head.number if head.number and head.number[0].isdigit() else ""
        if not text.strip():
            res.reject(head.line_start, "recommendation without text", head.text)
            continue
        _record(ctx, res, printed, text, head.line_start, g[-1].line_end)


def read_paragraphs(unit: Unit, ctx: Context, res: LoadResult) -> None:
    """ "Cabinet is asked to (a) note … (b) agree …": one record per lettered part, else one."""
    for b in unit.blocks:
        text = _LABEL_PREFIX.sub("", b.text).strip()
        parts = _INLINE_ITEMS.split(text)
        if len(parts) >= 5:  # lead-in, (label, text) pairs
            lead = parts[0].strip()
            for k in range(1, len(parts) - 1, 2):
                item = parts[k + 1].strip().rstrip(";,").removesuffix(" and").strip()
                _record(ctx, res, "", f"{lead} {item}".strip(), b.line_start, b.line_end)
            continue
        _record(ctx, res, "", text, b.line_start, b.line_end)


def read_table(unit: Unit, ctx: Context, res: LoadResult) -> None:
    """Rows of a table with a Recommendation column; a row with no recommendation text
    continues the one above (a page break cut its cells)."""
    block = unit.blocks[0]
    header = block.header_texts()
    res.structural()
    text_col = next(i for i, h in enumerate(header) if _REC_COL.match(h))
    label_col = next((i for i, h in enumerate(header) if _LABEL_COL.match(h)), None)
    status_col = next((i for i, h in enumerate(header) if i != text_col and _STATUS_COL.search(h)), None)
    pending: list = []

    def flush() -> None:
        if not pending:
            return
        rows = pending[:]
        pending.clear()
        text = clean(" ".join(r[text_col].text for r in rows))
        label = clean(rows[0][label_col].text).rstrip(".") if label_col is not None else ""
        m = re.match(r"^(?:recommendation\s+)?(\d+(?:\.\d+)*)\s*[:.)–-]?\s*(.*)$", text, re.I)
        if not label and m:
            label, text = m[1], m[2]
        status = clean(" ".join(r[status_col].text for r in rows)) if status_col is not None else ""
        _record(ctx, res, label, text, rows[0][0].line_start, rows[-1][0].line_end, status=status or None)
        res.structural(len(rows) - 1)

    for row in block.rows:
        own = clean(row[text_col].text) if text_col < len(row) else ""
        label = clean(row[label_col].text) if label_col is not None and label_col < len(row) else ""
        if not own and not label and not any(c.text for c in row):
            res.structural()
            continue
        if pending and not label and not re.match(r"^(?:recommendation\s+)?\d", own, re.I):
            pending.append(row)
            continue
        flush()
        pending.append(row)
    flush()
