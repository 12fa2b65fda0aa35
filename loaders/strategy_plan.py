"""Strategy action plans whose cells pack several actions, owners and timescales side by side.

Detection rule (the action_plan loader keeps to the complement, so no row is loaded twice):
this loader owns a tab-separated table whose header row has at most 6 cells and names

* a priority column  ("Strategic Priority", "Priority", "Priorities", "Strategic Objective"),
* an actions column  ("Actions", "Action", "What we will do"),
* an owner column    ("Owner(s)", "Lead(s)", "Responsible", "Lead officer", "Who"),
* a time column      ("Timescale(s)", "Deadline", "By when", "Due", "Due date", "Timeframe", "When"),

optionally a status column ("Status", "Status/ update", "Progress", "Update", "RAG").
Plain one-action-per-row tables without a priority column (e.g. "Action | Owner | Deadline"
under "Priority 1:" headings), and wide tables such as knife-crime plans with Sub Area /
Sub-Objective / Expected Completion Date columns, belong to ``loaders/action_plan.py``.

Inside a table, one physical line is one row. A priority cell starts a strategic priority
("1. Prevention ..."); an empty first cell continues the previous one. Cells hold ``<p>``
paragraphs and bullets; each action paragraph is one `ActionRecord`. A short paragraph with
no verb is a theme heading ("Stigma and Literacy"); a theme glued to its first action
("Crisis services Collaborate with ...") is split off. A paragraph that starts in lower case
continues the last one of the row above (page breaks cut cells). Owners and timescales are
aligned to actions by position when the counts of one row agree; otherwise the row's actions
are flagged ``props["alignment"] = "ambiguous"`` with every candidate kept, and a warning.
Owner paragraphs are split into bodies with the names the document's Key / glossary
defines (`loaders.packed_cells.split_owners`); timescales are read by `loaders.dates`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from graphmodel.schema import (
    ActionRecord,
    LoadResult,
    PriorityRecord,
    PriorityRef,
    Source,
    StrategyRecord,
)

from .bodies import Vocabulary
from .dates import parse_due
from .packed_cells import (
    cell_text,
    continues,
    is_theme,
    marked_blocks,
    owner_vocabulary,
    rejoin_wrapped,
    split_owners,
    split_theme,
    word_counts,
)
from .plan_tables import PlanTable, find_tables, is_packed
from .tables import norm
from .text import TextDocument

# ---------------------------------------------------------------------------- strategy title

_STRATEGY_WORD = r"(?:strategy|plan|programme|program|framework|review|charter)"
_TITLE = re.compile(
    rf"^[A-Z'\"&(][\w'’&,()\- ]*\b{_STRATEGY_WORD}\b"
    r"(?:\s*\(?\d{4}(?:\s*[-–/]\s*\d{2,4})?\)?)?$",
    re.I,
)
_GENERIC_TITLE = re.compile(
    rf"^(?:the\s+)?(?:draft\s+)?(?:action|delivery|implementation|work|our)?\s*"
    rf"{_STRATEGY_WORD}s?$",
    re.I,
)
_DEICTIC = re.compile(rf"\b(?:the|this|that|our|a|an|its|their)\s+{_STRATEGY_WORD}$", re.I)
_YEARS = re.compile(r"^\(?\d{4}\s*[-–/]\s*\d{2,4}\)?$")


def _clean_heading(line: str) -> str:
    return " ".join(line.replace("**", "").replace("#", " ").split()).strip()


def strategy_title_before(doc: TextDocument, line: int, *, limit: int = 1500) -> tuple[str, int] | None:
    """The nearest strategy title above ``line``: a heading-like line that ends in
    Strategy / Plan / Programme / Framework / Review (optionally with a year range, or a
    year-range line right below it). Generic headings ("ACTION PLAN"), list items,
    footnotes and sentences are skipped. Returns (title, line number) or None.
    """
    for n in range(line - 1, max(0, line - limit), -1):
        raw = doc.line(n)
        if "\t" in raw:
            continue
        text = _clean_heading(raw)
        if not text or len(text.split()) > 12 or text.endswith((".", ";", ":", ",")):
            continue
        if not _TITLE.match(text) or _GENERIC_TITLE.match(text) or _DEICTIC.search(text):
            continue
        if text.isupper():  # a shouted section heading ("WHAT WE PLAN TO DO") is not a title
            continue
        # a year range on its own line just below belongs to the title
        for m in range(n + 1, min(n + 4, len(doc.lines) + 1)):
            nxt = _clean_heading(doc.line(m))
            if not nxt:
                continue
            if _YEARS.match(nxt) and not re.search(r"\d{4}\s*\)?$", text):
                text = f"{text} {nxt.strip('()')}"
            break
        return text, n
    return None


def fallback_strategy(doc: TextDocument) -> str:
    """A strategy name when no title is found: the document's file stem."""
    return doc.name.rsplit(".", 1)[0]


# ---------------------------------------------------------------------------- header

_COLS = {
    "priority": re.compile(
        r"^(?:strategic\s+)?(?:priorit(?:y|ies)|objectives?|outcomes?)"
        r"(?:\s*(?:no\.?|number|area|theme))?$"
    ),
    "actions": re.compile(r"^(?:key\s+)?(?:actions?|what we will do|activit(?:y|ies))$"),
    "owner": re.compile(
        r"^(?:owners?|leads?|lead officers?|lead agency|responsible|"
        r"responsibility|who)$"
    ),
    "time": re.compile(
        r"^(?:timescales?|deadlines?|by when|due|due date|timeframe|when|"
        r"target date)$"
    ),
    "status": re.compile(r"^(?:status(?: update)?|progress|update|rag(?: status)?)$"),
}


def _norm_header(cell: str) -> str:
    # "Owner(s)" names the owner column as "Owners" does
    return norm(re.sub(r"\(s\)", "s", cell, flags=re.I))


def header_columns(line: str) -> dict[str, int] | None:
    """Column index by role when ``line`` is the header of a packed strategy action plan."""
    cells = line.split("\t")
    if not 4 <= len([c for c in cells if c.strip()]) <= 6 or len(cells) > 6:
        return None
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        h = _norm_header(cell)
        for role, rx in _COLS.items():
            if role not in found and rx.match(h):
                found[role] = i
                break
        else:
            if h:
                return None  # an unknown column: not our kind of table
    if all(r in found for r in ("priority", "actions", "owner", "time")):
        return found
    return None


def is_plain(doc: TextDocument, t: PlanTable) -> bool:
    """A plain plan table (one action per row, e.g. "Strategic Priority | Actions | Owner |
    Timescale") whose header both this loader and `loaders.strategy_plan` recognise: the
    block path (``loaders.classify``) reads it, so neither legacy loader claims it and no
    action is loaded twice."""
    if is_packed(doc, t):
        return False
    return any(header_columns(doc.lines[k]) is not None for k in range(t.start, t.end + 1))


def plain_header_lines(doc: TextDocument) -> set[int]:
    """1-based lines of every header row of the plain tables of ``doc`` (see `is_plain`)."""
    out: set[int] = set()
    for t in find_tables(doc.lines):
        if is_plain(doc, t):
            out.update(k + 1 for k in range(t.start, t.end + 1) if header_columns(doc.lines[k]) is not None)
    return out


_NUMBERED = re.compile(r"^(?:priority\s*)?(\d{1,2})\s*[.):–-]?\s+(.*)$", re.I)


# ---------------------------------------------------------------------------- table state


@dataclass
class _Piece:
    text: str
    lines: list[int]

    def extend(self, text: str, line: int) -> None:
        self.text = f"{self.text} {text}".strip()
        if line not in self.lines:
            self.lines.append(line)


@dataclass
class _Action:
    piece: _Piece
    themes: tuple[str, ...]
    lead_in: str | None = None
    owners: list[_Piece] = field(default_factory=list)
    times: list[_Piece] = field(default_factory=list)
    owner_candidates: list[str] = field(default_factory=list)
    time_candidates: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    update: str | None = None


@dataclass
class _Chunk:
    """What one physical row adds: new actions, and the owner/timescale paragraphs."""

    line: int
    new: list[_Action] = field(default_factory=list)
    continued: _Action | None = None
    owners: list[_Piece] = field(default_factory=list)
    times: list[_Piece] = field(default_factory=list)
    weak_prev: _Piece | None = None


@dataclass
class _Priority:
    name: str
    number: int | None
    line: int
    description: _Piece | None = None
    actions: list[_Action] = field(default_factory=list)
    chunks: list[_Chunk] = field(default_factory=list)
    theme: str | None = None
    lead_in: str | None = None
    lead_in_used: bool = False
    last_open: _Piece | None = None  # the paragraph a lower-case start would continue
    last_action: _Action | None = None


def _is_furniture(cells: list[str]) -> bool:
    """A row of dashes / empty cells left by a page break."""
    return all(re.fullmatch(r"[\s\-–—_|]*", c) for c in cells)


class _PlanParser:
    def __init__(
        self,
        doc: TextDocument,
        res: LoadResult,
        cols: dict[str, int],
        strategy: str,
        words: Counter[str],
        bodies: Vocabulary,
    ) -> None:
        self.doc, self.res, self.cols, self.strategy = doc, res, cols, strategy
        self.words, self.bodies = words, bodies
        self.priorities: list[_Priority] = []
        self.cur: _Priority | None = None
        self.row_lines: list[int] = []

    def _cell(self, cells: list[str], role: str) -> str:
        i = self.cols.get(role)
        return cells[i] if i is not None and i < len(cells) else ""

    def _blocks(self, cell: str) -> list[str]:
        return [t for t, _ in self._marked(cell)]

    def _marked(self, cell: str) -> list[tuple[str, bool]]:
        return [(rejoin_wrapped(b, self.words), bullet) for b, bullet in marked_blocks(cell)]

    def row(self, n: int, raw: str) -> None:
        cells = raw.split("\t")
        pri_marked = self._marked(self._cell(cells, "priority"))
        pri_blocks = [t for t, _ in pri_marked]
        act_marked = self._marked(self._cell(cells, "actions"))
        act_blocks = [t for t, _ in act_marked]
        own_blocks = self._blocks(self._cell(cells, "owner"))
        time_blocks = self._blocks(self._cell(cells, "time"))
        status = cell_text(self._cell(cells, "status"))
        if not (pri_blocks or act_blocks or own_blocks or time_blocks or status):
            self.res.structural()
            return
        if pri_blocks:
            head, rest = pri_blocks[0], pri_blocks[1:]
            m = _NUMBERED.match(head)
            number, name = (int(m.group(1)), m.group(2).strip()) if m else (None, head)
            self.cur = _Priority(name.rstrip(".;:"), number, n)
            self.priorities.append(self.cur)
            # bullets in the priority cell itself are actions (or a lead-in) of that priority
            act_marked = pri_marked[1:] + act_marked
            if (
                act_marked
                and not rest
                and len(act_marked) > len(own_blocks)
                and (
                    re.match(r"(?i)(we|our|this|the)\b", act_marked[0][0])
                    or len(act_marked[0][0].split()) >= 20
                )
            ):
                # the first paragraph beside a new priority describes it (more paragraphs
                # than owners says it is not an action)
                self.cur.description = _Piece(act_marked[0][0], [n])
                self.cur.last_open = self.cur.description
                act_marked = act_marked[1:]
        if self.cur is None:
            self.cur = _Priority("", None, n)
            self.priorities.append(self.cur)
        p = self.cur
        chunk = _Chunk(n)
        p.chunks.append(chunk)
        for i, (text, bullet) in enumerate(act_marked):
            if p.lead_in is not None and not bullet and p.lead_in_used:
                p.lead_in = None  # a lead-in governs the bullets below it, or one paragraph
            if i == 0 and not pri_blocks and p.last_open is not None and continues(p.last_open.text, text):
                p.last_open.extend(text, n)
                if p.last_action is not None and p.last_open is p.last_action.piece:
                    chunk.continued = p.last_action
                continue
            if is_theme(text):
                p.theme, p.lead_in, p.last_open = text, None, None
                continue
            if text.endswith(":") or re.search(r"(?i)\bwe will[;:,]?$", text):
                p.lead_in, p.lead_in_used = text, False
                p.last_open = None
                continue
            theme, body = split_theme(text)
            if theme is not None:
                p.theme, p.lead_in = theme, None
            act = _Action(_Piece(body, [n]), (p.theme,) if p.theme else (), p.lead_in)
            p.lead_in_used = True
            if status:
                act.update = status
            p.actions.append(act)
            chunk.new.append(act)
            p.last_open, p.last_action = act.piece, act
        self._attach(p, chunk, own_blocks, "owners")
        self._attach(p, chunk, time_blocks, "times")
        self.res.loaded()  # records are emitted when the table ends (continuations may follow)

    def _attach(self, p: _Priority, chunk: _Chunk, blocks: list[str], attr: str) -> None:
        prev = next((getattr(c, attr)[-1] for c in reversed(p.chunks[:-1]) if getattr(c, attr)), None)
        for i, text in enumerate(blocks):
            if i == 0 and prev is not None and attr == "owners":
                if text[:1].islower() or prev.text.rstrip().endswith(("&", " and")):
                    prev.extend(text, chunk.line)  # the owner cell was cut by a page break
                    continue
                if prev.text.rstrip().endswith((",", "/")):
                    chunk.weak_prev = prev  # maybe cut; decided when aligning (see _align)
            getattr(chunk, attr).append(_Piece(text, [chunk.line]))

    # ------------------------------------------------------------------ alignment
    @staticmethod
    def _fits(chunk: _Chunk, k: int) -> bool:
        return k == len(chunk.new) or (chunk.continued is not None and k == len(chunk.new) + 1)

    def _align(self, chunk: _Chunk, attr: str, label: str) -> None:
        vals: list[_Piece] = list(getattr(chunk, attr))
        if (
            attr == "owners"
            and chunk.weak_prev is not None
            and vals
            and not self._fits(chunk, len(vals))
            and self._fits(chunk, len(vals) - 1)
        ):
            # "MH Team," then "(PCT), Police" on the next page: one owner cut in two
            chunk.weak_prev.extend(vals[0].text, chunk.line)
            vals = vals[1:]
        new = chunk.new
        if not vals:
            if new and attr == "owners":
                self.res.warn(chunk.line, "no-lead", f"{len(new)} action(s) without an owner")
            return
        if not new and chunk.continued is None:
            # owners / timescales in a row without actions belong to the last action above
            target = self._last_action_before(chunk)
            if target is not None:
                getattr(target, attr).extend(vals)
            return
        if len(vals) == len(new):
            for a, v in zip(new, vals, strict=True):
                getattr(a, attr).append(v)
            return
        if chunk.continued is not None and len(vals) == len(new) + 1:
            getattr(chunk.continued, attr).append(vals[0])
            for a, v in zip(new, vals[1:], strict=True):
                getattr(a, attr).append(v)
            return
        nxt = self._next_chunk(chunk)
        if (
            len(vals) == len(new) - 1
            and nxt is not None
            and nxt.continued is new[-1]
            and len(nxt.owners if attr == "owners" else nxt.times) == len(nxt.new) + 1
        ):
            # the last action runs on to the next page, and its owner / timescale sits there
            for a, v in zip(new, vals, strict=False):
                getattr(a, attr).append(v)
            return
        # (no new actions here means a continued one: the case without was handled above)
        targets = new or ([chunk.continued] if chunk.continued is not None else [])
        cands = [v.text for v in vals]
        for a in targets:
            if a is None:
                continue
            (a.owner_candidates if attr == "owners" else a.time_candidates).extend(cands)
            a.ambiguous.append(attr)
        self.res.warn(
            chunk.line,
            "ambiguous-alignment",
            f"{len(new)} actions but {len(vals)} {label} in one row; every candidate kept, none assigned",
        )

    def _next_chunk(self, chunk: _Chunk) -> _Chunk | None:
        chunks = [c for p in self.priorities for c in p.chunks]
        i = chunks.index(chunk)
        return chunks[i + 1] if i + 1 < len(chunks) else None

    def _last_action_before(self, chunk: _Chunk) -> _Action | None:
        for p in reversed(self.priorities):
            for c in reversed(p.chunks):
                if c is chunk:
                    continue
                if c.line < chunk.line and (c.new or c.continued):
                    return c.new[-1] if c.new else c.continued
        return None

    # ------------------------------------------------------------------ records
    def finish(self, title_line: int | None) -> None:
        if not self.priorities:
            return
        numbered = any(p.number is not None for p in self.priorities)
        for p in self.priorities:
            for c in p.chunks:
                self._align(c, "owners", "owners")
                self._align(c, "times", "timescales")
        for p in self.priorities:
            path: tuple[PriorityRef, ...] = ()
            if p.name:
                level = "strategic_priority" if p.number is not None or not numbered else "cross_cutting"
                path = (PriorityRef(level, p.name),)
                lines = [p.line, *(p.description.lines if p.description else [])]
                props: dict[str, object] = {"number": p.number}
                if p.description:
                    props["text"] = p.description.text
                self.res.records.append(
                    PriorityRecord(self.strategy, path, Source(self.doc.name, min(lines), max(lines)), props)
                )
            for a in p.actions:
                self.res.records.append(self._action(a, path))

    def _action(self, a: _Action, path: tuple[PriorityRef, ...]) -> ActionRecord:
        full = path + tuple(PriorityRef("theme", t) for t in a.themes)
        lines = list(a.piece.lines) + [ln for v in a.owners + a.times for ln in v.lines]
        owners_raw = [v.text for v in a.owners]
        leads = tuple(dict.fromkeys(n for raw in owners_raw for n in split_owners(raw, self.bodies)))
        due = "; ".join(v.text for v in a.times) or None
        props: dict[str, object] = {}
        if owners_raw:
            props["owner"] = "; ".join(owners_raw)
        if a.lead_in:
            props["lead_in"] = a.lead_in
        if a.update:
            props["update"] = a.update
        if a.ambiguous:
            props["alignment"] = "ambiguous"
            props["ambiguous_columns"] = list(a.ambiguous)
        if a.owner_candidates:
            props["owner_candidates"] = list(a.owner_candidates)
        if a.time_candidates:
            props["due_candidates"] = list(a.time_candidates)
        return ActionRecord(
            self.strategy,
            full,
            a.piece.text,
            Source(self.doc.name, min(lines), max(lines)),
            level="action",
            status="planned",
            leads=leads,
            due=due,
            due_date=parse_due(due),
            props=props,
        )


def load(doc: TextDocument) -> LoadResult:
    """Packed strategy action plans anywhere in ``doc`` (see the module docstring)."""
    res = LoadResult(doc.name, "strategy_plan")
    words: Counter[str] | None = None
    bodies: Vocabulary | None = None
    n = 1
    total = len(doc.lines)
    plain: set[int] | None = None
    while n <= total:
        cols = header_columns(doc.line(n))
        if cols is not None and plain is None:
            plain = plain_header_lines(doc)
        if cols is None or n in (plain or ()):
            n += 1
            continue
        if words is None or bodies is None:
            words, bodies = word_counts(doc), owner_vocabulary(doc)
        found = strategy_title_before(doc, n)
        strategy = found[0] if found else fallback_strategy(doc)
        if found:
            res.loaded(StrategyRecord(strategy, Source(doc.name, found[1], found[1]), {"kind": "strategy"}))
        parser = _PlanParser(doc, res, cols, strategy, words, bodies)
        res.structural()  # the header
        n += 1
        while n <= total:
            raw = doc.line(n)
            if not raw.strip():
                n += 1
                continue
            if "\t" not in raw:
                break  # the table ends at the first line of running text
            if header_columns(raw) is not None:
                res.structural()  # header repeated on a new page
            elif _is_furniture(raw.split("\t")):
                res.structural()
            else:
                parser.row(n, raw)
            n += 1
        parser.finish(found[1] if found else None)
    return res
