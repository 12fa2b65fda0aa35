"""One classifier: each table, list and section of a `DocumentModel` goes to exactly one
interpreter, and the decision (with its reason) goes into the load report.

Units:

- a table block;
- a list: consecutive list items, with the headings above it and the paragraph just
  before it (its lead-in: "The Board is asked to:");
- a section: a glossary section (heading "Glossary", "Abbreviations", "Key", "Jargon
  buster" and everything under it), a "What we wanted / What we did / The difference it
  made" block, or a paragraph that says "… is asked to …" under no list.

Kinds: action plan, packed strategy action plan, recommendation list, progress review,
priorities, glossary, indicators, none. A unit whose lines the legacy line loaders
(``loaders.action_plan`` and friends, which still read the seeds' layouts) already turned
into records is theirs: the decision names that loader and no block interpreter reads it,
so nothing is claimed twice. Tables nobody else takes go to the table interpreters passed
in (``table_interpreters``: the column-vocabulary reader of action-plan and tracker
tables), each of which returns a reason when it reads a table and None when it does not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from graphmodel.schema import Decision, LoadResult, StrategyRecord

from . import glossary_blocks, priority_blocks, progress_blocks, recommendation_blocks
from .block_context import Context, Unit
from .readers.model import Block, BlockKind, DocumentModel
from .table_actions import interpret_table

#: interpret_table(doc, block, result, *, columns=None) -> reason, or None when the table
#: is not one it reads (and then it has counted nothing).
TableInterpreter = Callable[..., "str | None"]

#: The table interpreters every load uses, in order.
TABLE_INTERPRETERS: list[tuple[str, TableInterpreter]] = [("table_actions", interpret_table)]

ACTION_PLAN = "action plan"
PACKED_PLAN = "packed strategy action plan"
RECOMMENDATIONS = "recommendation list"
PROGRESS = "progress review"
PRIORITIES = "priorities"
GLOSSARY = "glossary"
INDICATORS = "indicators"
NONE = "none"

#: What a legacy loader's records make of the lines they cover.
LEGACY_KINDS = {
    "action_plan": ACTION_PLAN,
    "strategy_plan": PACKED_PLAN,
    "recommendations": RECOMMENDATIONS,
    "workstreams": PROGRESS,
    "glossary": GLOSSARY,
}

_ASKED = re.compile(
    r"\b(?:is|are)\s+(?:(?:hereby|therefore|now)\s+)?(?:asked|recommended|invited|requested)\s+to\b"
    r"|^recommendations?\s*[:.–-]",
    re.I,
)
_REC_HEADING = re.compile(
    r"^(?:\d+(?:\.\d+)*\.?\s+)?(?:the\s+|our\s+|key\s+|main\s+)?recommendations?\b", re.I
)
_REPORTED = re.compile(
    r"\b(?:raised|reported|noted|said|commented|discussed|heard|points?|comments|questions|concerns)\b", re.I
)
_ACHIEVED = re.compile(
    r"\b(?:achievements?|achieved|what we did|what we have done|delivered|successes|highlights|"
    r"progress(?: made| so far| to date| of)?|accomplishments|key achievements)\b",
    re.I,
)
_PLANNED = re.compile(
    r"\b(?:next steps|future objectives|objectives for|next year|going forward|forward plan|"
    r"we will|planned|priorities for (?:the )?(?:next|coming)|what we will do|areas? for development)\b",
    re.I,
)
#: Plural: a list under "Priorities" is a list of priorities; one under "Priority 1: ..." or
#: "Outcome: the Board noted" is not.
_PRIORITY = re.compile(
    r"\b(?:priorities|priority areas|objectives|themes|ambitions|domains|outcomes|aims|goals|"
    r"commitments|pillars|workstreams)\b",
    re.I,
)
_COUNTED = re.compile(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?:[\w-]+\s+){0,3}?"
    r"(?:priorities|priority areas|objectives|themes|ambitions|domains|outcomes|aims|goals|commitments|"
    r"pillars|workstreams|achievements|actions)\b",
    re.I,
)
_INDICATOR = re.compile(r"\b(?:indicators?|measures?|kpis?|metrics?)\b", re.I)
_INDICATOR_VALUE = re.compile(r"\b(?:target|actual|rag|latest|previous|baseline|trend|rating)\b", re.I)
_ACTION_COLUMN = re.compile(r"\b(?:actions?|lead|owner|responsible|commitment)\b", re.I)
_REC_COLUMN = re.compile(r"^(?:scrutiny\s+)?recommendations?\b", re.I)


def load_blocks(
    model: DocumentModel,
    *,
    claimed: Mapping[int, str] | None = None,
    known_terms: set[str] | None = None,
    known_strategies: set[str] | None = None,
    table_interpreters: Sequence[tuple[str, TableInterpreter]] | None = None,
    columns: Mapping[str, str] | None = None,
) -> LoadResult:
    """Classify every unit of ``model`` and run the interpreter each goes to.

    ``claimed`` maps 1-based lines to the legacy loader whose records cover them;
    ``known_terms`` are glossary terms already defined (not defined again);
    ``known_strategies`` the strategy names the line loaders gave (reused, not split).
    """
    claimed = claimed or {}
    tables = TABLE_INTERPRETERS if table_interpreters is None else table_interpreters
    res = LoadResult(model.name, "blocks")
    ctx = Context(model, known_terms=set(known_terms or ()), known_strategies=set(known_strategies or ()))
    for unit in segment(model):
        start, end = unit.start, unit.end
        lines = set(range(start, end + 1))
        owners = sorted({claimed[n] for n in lines if n in claimed})
        if owners and unit.unit == "table" and not _mostly_claimed(unit.blocks[0], claimed):
            owners = []  # a line loader read a stray line or two of it: the table is not theirs
        if owners and unit.unit == "list":
            # items the line loaders read stay theirs; the others are read here
            unit.blocks = [
                b for b in unit.blocks if not any(n in claimed for n in range(b.line_start, b.line_end + 1))
            ]
            if unit.blocks:
                owners = []
        if owners:
            kind = LEGACY_KINDS.get(owners[0], NONE)
            res.decisions.append(
                Decision(model.name, start, end, unit.unit, kind, f"read by the {owners[0]} loader", 0)
            )
            continue
        before = len(res.records)
        kind, reason = _run(unit, ctx, res, tables, columns, claimed)
        made = sum(1 for r in res.records[before:] if not isinstance(r, StrategyRecord))
        res.decisions.append(Decision(model.name, unit.start, unit.end, unit.unit, kind, reason, made))
    glossary_blocks.inline_definitions(model, ctx, res, claimed)
    return res


def _mostly_claimed(block: Block, claimed: Mapping[int, str]) -> bool:
    """Whether line loaders' records cover half or more of a table's body rows (a PDF's
    text can give a line loader one or two lines of a table it does not own)."""
    if not block.rows:
        return True
    covered = sum(
        1 for row in block.rows if any(c.line_start in claimed or c.line_end in claimed for c in row)
    )
    return 2 * covered >= len(block.rows)


def _run(
    unit: Unit,
    ctx: Context,
    res: LoadResult,
    tables: Sequence[tuple[str, TableInterpreter]],
    columns: Mapping[str, str] | None,
    claimed: Mapping[int, str],
) -> tuple[str, str]:
    if unit.kind_hint == GLOSSARY and unit.blocks[0].kind is not BlockKind.HEADING:
        glossary_blocks.read_paragraph(unit, ctx, res)
        return GLOSSARY, "lines of the form 'ABBR – Expansion'"
    if unit.kind_hint == GLOSSARY:
        glossary_blocks.read_section(unit, ctx, res, claimed)
        return GLOSSARY, f"under the glossary heading {unit.heading!r}"
    if unit.kind_hint == PROGRESS:
        progress_blocks.read_wanted_did(unit, ctx, res)
        return PROGRESS, "'What we wanted / What we did / The difference it made' block"
    if unit.kind_hint == RECOMMENDATIONS:
        recommendation_blocks.read_paragraphs(unit, ctx, res)
        return RECOMMENDATIONS, f"the paper's own recommendation: {unit.blocks[0].text[:60]!r}"
    if unit.kind_hint == PRIORITIES:
        word = priority_blocks.read_heading(unit, ctx, res)
        return PRIORITIES, f"a numbered {word} heading"
    if unit.unit == "table":
        return _table(unit, ctx, res, tables, columns)
    return _list(unit, ctx, res)


def _table(
    unit: Unit,
    ctx: Context,
    res: LoadResult,
    tables: Sequence[tuple[str, TableInterpreter]],
    columns: Mapping[str, str] | None,
) -> tuple[str, str]:
    block = unit.blocks[0]
    header = [h for h in block.header_texts() if h]
    shown = " | ".join(header) or "(no header)"
    if glossary_blocks.is_glossary_table(block, unit.heading):
        glossary_blocks.read_table(block, ctx, res)
        return GLOSSARY, f"two-column table of terms: {shown}"
    if any(_REC_COLUMN.match(h) for h in header):
        recommendation_blocks.read_table(unit, ctx, res)
        return RECOMMENDATIONS, f"a column of recommendations: {shown}"
    if progress_blocks.is_wanted_did_table(block):
        progress_blocks.read_wanted_did_table(unit, ctx, res)
        return PROGRESS, f"'What we wanted / What we did' columns: {shown}"
    joined = " ".join(header)
    if _INDICATOR.search(joined) and _INDICATOR_VALUE.search(joined) and not _ACTION_COLUMN.search(joined):
        progress_blocks.read_indicators(unit, ctx, res)
        return INDICATORS, f"indicator table: {shown}"
    for name, interpret in tables:
        reason = interpret(ctx.doc, block, res, columns=columns)
        if reason is not None:
            return ACTION_PLAN, f"{name}: {reason}"
    res.structural(0)
    return NONE, f"header cells were: {shown}"


def _list(unit: Unit, ctx: Context, res: LoadResult) -> tuple[str, str]:
    items = unit.blocks
    where = f"under {unit.heading!r}" if unit.heading else "with no heading"
    if any(b.style == "recommendation" for b in items):
        recommendation_blocks.read_list(unit, ctx, res)
        return RECOMMENDATIONS, "items numbered 'Recommendation N'"
    asked = bool(_ASKED.search(unit.lead_in))
    rec_heading = bool(_REC_HEADING.match(unit.heading)) and not _REPORTED.search(unit.lead_in)
    if asked or rec_heading:
        recommendation_blocks.read_list(unit, ctx, res)
        why = f"lead-in {unit.lead_in[:60]!r}" if asked else f"numbered list {where}"
        return RECOMMENDATIONS, why
    if glossary_blocks.is_glossary_heading(unit.heading) or glossary_blocks.is_glossary_list(items):
        glossary_blocks.read_items(unit, ctx, res)
        return GLOSSARY, f"items of the form 'term: expansion' {where}"
    heading, intro = _label_heading(unit), _intro(unit.lead_in)
    # the heading names the list first; in a lead-in, priority words outrank "we will"
    for context, order in ((heading, (PROGRESS, PRIORITIES)), (intro, (PRIORITIES, PROGRESS))):
        for kind in order:
            if kind == PROGRESS and (said := _PLANNED.search(context) or _ACHIEVED.search(context)):
                progress_blocks.read_list(unit, ctx, res, planned=bool(_PLANNED.search(context)))
                return PROGRESS, f"progress list {where} ({said[0]!r})"
            if kind == PRIORITIES and (m := _PRIORITY.search(context)):
                # the lead-in describes the items ("two domains of need"): its word names their level
                word = (_PRIORITY.search(intro) or m)[0]
                priority_blocks.read_list(unit, ctx, res, word=word)
                return PRIORITIES, f"list {where} ({word!r})"
    res.structural(0)
    markers = sorted({b.marker.value or "plain" for b in items})
    return (
        NONE,
        f"{len(items)} {'/'.join(markers)} items {where}: "
        "no recommendation, glossary, progress or priority words",
    )


def _label_heading(unit: Unit) -> str:
    """The nearest heading when it reads as a label ("Key achievements", "System
    priorities"), not a question or a sentence."""
    h = unit.heading
    return "" if not h or h.rstrip().endswith("?") or len(h.split()) > 8 else h


def _intro(lead_in: str) -> str:
    """The sentence that introduces a list: one ending in a colon ("… has three
    cross-cutting priorities:"), pointing at it ("… are listed below"), or counting
    what follows ("each of the four priority areas …"). Numbered paragraphs of a report
    follow prose that does none of these."""
    last = re.split(r"(?<=[.!?])\s+", lead_in.strip())[-1]
    if (
        last.endswith((":", ";"))
        or _COUNTED.search(last)
        or re.search(r"\b(?:below|following|as follows)\b", last)
    ):
        return last
    return ""


# -------------------------------------------------------------------------------- segments


def segment(model: DocumentModel) -> list[Unit]:
    """The units of ``model`` in document order (see the module docstring)."""
    units: list[Unit] = []
    stack: list[Block] = []
    blocks = list(model.blocks)
    x = 0
    while x < len(blocks):
        b = blocks[x]
        if progress_blocks.starts_wanted(b):
            y = progress_blocks.wanted_end(blocks, x)
            units.append(Unit("section", blocks[x:y], tuple(stack), kind_hint=PROGRESS))
            x = y
            continue
        if b.kind is BlockKind.HEADING:
            while stack and stack[-1].level >= b.level:
                stack.pop()
            stack.append(b)
            if priority_blocks.numbered_heading(b.text):
                units.append(Unit("section", [b], tuple(stack[:-1]), kind_hint=PRIORITIES))
            if glossary_blocks.is_glossary_heading(b.text):
                y = glossary_blocks.section_end(blocks, x)
                if y > x + 1:
                    units.append(Unit("section", blocks[x:y], tuple(stack), kind_hint=GLOSSARY))
                    x = y
                    continue
            x += 1
            continue
        if b.kind is BlockKind.TABLE:
            units.append(Unit("table", [b], tuple(stack)))
            x += 1
            continue
        if b.kind is BlockKind.LIST_ITEM:
            y = x
            while y < len(blocks) and blocks[y].kind is BlockKind.LIST_ITEM:
                y += 1
            lead = blocks[x - 1].text if x and blocks[x - 1].kind is BlockKind.PARAGRAPH else ""
            units.append(Unit("list", blocks[x:y], tuple(stack), lead_in=lead))
            x = y
            continue
        if b.kind is BlockKind.PARAGRAPH and glossary_blocks.is_pairs_paragraph(b, model):
            units.append(Unit("section", [b], tuple(stack), kind_hint=GLOSSARY))
            x += 1
            continue
        nxt = blocks[x + 1] if x + 1 < len(blocks) else None
        if _ASKED.search(b.text) and (nxt is None or nxt.kind is not BlockKind.LIST_ITEM):
            units.append(Unit("section", [b], tuple(stack), kind_hint=RECOMMENDATIONS))
        x += 1
    return units
