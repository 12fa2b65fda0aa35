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


def level_of(word: str) -> str:
    """The priority level a heading word names ("Priorities" -> "priority")."""
    w = word.lower()
    return _LEVELS.get(w, w)


def read_list(unit: Unit, ctx: Context, res: LoadResult, *, word: str) -> None:
    base = level_of(word)
    strategy = ctx.strategy(unit.start, res)
    top = min(b.level for b in unit.blocks)
    stack: list[tuple[int, PriorityRef]] = []
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
