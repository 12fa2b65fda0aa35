"""Lists of priorities, objectives or themes -> `PriorityRecord`s, numbered or dashed.

Nesting is the reader's: "1.-4." domains each with "1.-3." priority actions arrive as
depth 0 and depth 1, so a record's path is its ancestors in the list, then itself. Depth 0
takes the level the heading or lead-in names ("priority", "objective", "theme" …);
deeper items ``sub_<level>``.
"""

from __future__ import annotations

import re

from graphmodel.schema import LoadResult, PriorityRecord, PriorityRef

from .block_context import Context, Unit

_LEVELS = {
    "priorities": "priority",
    "objectives": "objective",
    "themes": "theme",
    "ambitions": "ambition",
    "domains": "domain",
    "outcomes": "outcome",
    "aims": "aim",
    "goals": "goal",
    "commitments": "commitment",
    "pillars": "pillar",
    "workstreams": "workstream",
    "priority areas": "priority_area",
}


_NUMBERED_HEADING = re.compile(
    r"^(?:strategic\s+|our\s+|key\s+)?(?P<word>priority|objective|theme|outcome|ambition|aim|goal|commitment|"
    r"pillar|workstream|domain)\s+(?P<num>\d{1,2}|[A-Z])\s*[:.–—-]\s*(?P<name>\S.{2,})$",
    re.I,
)


def numbered_heading(text: str) -> re.Match[str] | None:
    """ "Priority 1: Best start in life", "Theme B – Safer streets"."""
    return _NUMBERED_HEADING.match(text)


def read_heading(unit: Unit, ctx: Context, res: LoadResult) -> str:
    """A heading that names one priority: one `PriorityRecord` (its number in props)."""
    b = unit.blocks[0]
    ref = heading_ref(b.text)
    m = _NUMBERED_HEADING.match(b.text)
    if ref is None or m is None:
        res.structural()
        return "(not a priority)"
    strategy = ctx.strategy(b.line_start, res)
    res.loaded(PriorityRecord(strategy, (ref,), ctx.doc.block_source(b), {"number": m["num"]}))
    return ref.level


def heading_ref(text: str) -> PriorityRef | None:
    """The priority a numbered heading names ("Priority 1: Best start in life")."""
    m = _NUMBERED_HEADING.match(text)
    return PriorityRef(m["word"].lower(), m["name"].strip().rstrip(".")) if m else None


def level_of(word: str) -> str:
    """The priority level a heading word names ("Priorities" -> "priority")."""
    w = word.lower()
    return _LEVELS.get(w, w)


def read_list(unit: Unit, ctx: Context, res: LoadResult, *, word: str) -> None:
    base = level_of(word)
    strategy = ctx.strategy(unit.start, res)
    top = min(b.level for b in unit.blocks)
    # under "Priority 2 – Living well" the items belong to that priority
    parent = next((r for h in reversed(unit.headings) if (r := heading_ref(h.text))), None)
    stack: list[tuple[int, PriorityRef]] = [(-1, parent)] if parent else []
    for b in unit.blocks:
        if not b.text.strip():
            res.reject(b.line_start, "list item without text", "")
            continue
        depth = b.level - top
        while stack and stack[-1][0] >= depth:
            stack.pop()
        name = re.sub(r"\s*(?:;|,)?\s*(?:and|or)?\s*[;,.]?$", "", b.text.strip()) or b.text
        ref = PriorityRef(base if depth == 0 else f"sub_{base}", name)
        path = (*(r for _, r in stack), ref)
        props = {"number": b.number} if b.number else {}
        res.loaded(PriorityRecord(strategy, path, ctx.doc.block_source(b), props))
        stack.append((depth, ref))
