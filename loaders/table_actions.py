"""Tables of actions (action plans, trackers) and of rated indicators, from any reader.

`interpret_table` reads one TABLE block of a `DocumentModel` (PDF, DOCX, HTML, ...) by
its header's column roles (`loaders.columns`, one vocabulary for every table):

- an **action plan** or **tracker** names an action column and at least one of lead,
  partners, due, status, progress, measure or priority: one `ActionRecord` per row
  (a tracker has a status or progress column);
- an **indicators** table names an indicator column: one `ActionRecord` per indicator,
  ``level = "indicator"``, its RAG (status column) as ``status``.

The strategy is the document's title (else its first heading, else the file stem). The
priority path is the heading over the table, then the section rows inside it (one
text spanning the row, e.g. an italic sub-heading), then the priority column (a blank
priority cell continues the row above). A priority cell holding only codes
("SO1, SO3") is a reference, not a name: it goes to the action's props. Columns of no
role are kept in ``props`` under their header. Every body row is counted: loaded,
structural (blank, a repeated header, a section row) or rejected with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from graphmodel.schema import ActionRecord, LoadResult, PriorityRecord, PriorityRef, Source, StrategyRecord

from .bodies import split_bodies
from .columns import ColumnMap, describes_action, match_columns, normalise
from .dates import parse_due
from .readers.model import Block, BlockKind, Cell, DocumentModel
from .tracker import body_vocabulary

ACTION_PLAN, TRACKER, INDICATORS = "action plan", "tracker", "indicators"
#: Action prop listing the props (columns kept under their header) that describe the action.
DETAIL_COLUMNS = "detail_columns"
#: Roles that, next to an action column, make a table an action plan.
_PLAN_ROLES = frozenset({"lead", "partners", "due", "status", "progress", "measure", "priority"})
_CODES = re.compile(r"^[A-Za-z]{0,4}\d{1,3}[a-z]?(?:\s*[,;/&]\s*[A-Za-z]{0,4}\d{1,3}[a-z]?)*$")
#: Words of a heading or caption saying that a table reports work already done.
_DONE_CONTEXT = re.compile(
    r"\b(?:achievements?|(?<!be )(?<!being )achieved|what we did|what we (?:have )?delivered)\b", re.I
)
_UNDATED = re.compile(r"ongoing|on-going|tbc|tbd", re.I)


def join_wrapped(text: str) -> str:
    """A cell's wrapped lines as one line.

    Lines join with a space, except where a word or a code was cut by the wrap: after a
    hyphen before a lower-case word, after a slash, after one or two letters that follow
    a comma or slash ("SO1,SO\\n3"), or before a lone one- or two-letter tail
    ("Timescal\\ne").

    >>> join_wrapped("Mar\\n2026"), join_wrapped("SO1,SO2,SO\\n3,S\\nO6"), join_wrapped("self-\\nharm")
    ('Mar 2026', 'SO1,SO2,SO3,SO6', 'self-harm')
    """
    out = ""
    for part in (p.strip() for p in text.replace("\u00a0", " ").split("\n")):
        if not part:
            continue
        if not out:
            out = part
            continue
        tail = out.rsplit(" ", 1)[-1]
        cut_word = len(tail) > 1 and (tail.endswith("/") or (tail.endswith("-") and part[:1].islower()))
        segment = re.split(r"[,/]", tail)[-1]
        cut_code = segment != tail and 0 < len(segment) <= 2  # "SO1,SO" + "3", "Performance/P" + "H"
        glue = cut_word or cut_code or bool(re.fullmatch(r"[a-z]{1,2}", part))
        out = f"{out}{part}" if glue else f"{out} {part}"
    return " ".join(out.split())


_DRAFT = re.compile(r"^(?:draft\b\s*[:-]?\s*)|(?:\s*[(\[-]?\s*\bdraft\b[)\]]?)$", re.I)


def strategy_name(doc: DocumentModel) -> tuple[str, int]:
    """The strategy a document's tables belong to, and the line that names it.

    The document's title, else its first heading, else a title line (a document with
    no headings whose first block is one short unpunctuated paragraph, as a table
    exported from Word begins), else the file stem; a "Draft" mark before or after it
    is not part of the name (a draft and its plan are one strategy).
    """
    title = (doc.meta.get("title") or "").strip()
    first = next((b for b in doc.blocks if b.kind is BlockKind.HEADING), None)
    if first is None and not title and doc.blocks and _title_line(doc.blocks[0]):
        first = doc.blocks[0]
    if first is not None and (not title or title == first.text):
        name, line = first.text, first.line_start
    elif title:
        name, line = title, first.line_start if first is not None else 1
    else:
        return doc.name.rsplit(".", 1)[0], 1
    return _DRAFT.sub("", name).strip() or name, line


#: A title line has at most this many words.
_TITLE_WORDS = 20


def _title_line(block: Block) -> bool:
    text = block.text.strip()
    return (
        block.kind is BlockKind.PARAGRAPH
        and 0 < len(text.split()) <= _TITLE_WORDS
        and not text.endswith((".", ":", "!", "?"))
    )


#: A lead cell that gives the body and its task: "<who> to <verb> <what>".
_LEAD_TASK = re.compile(r"^(?P<who>\S.*?)\s+to\s+(?P<task>[a-z][a-z-]+\s+\S.*)$")


def _lead_clause(cell: str) -> tuple[str, str]:
    """(who, task) of a lead cell worded as an instruction, else (cell, "").

    >>> _lead_clause("All ICT leadership members to review referral mechanisms and report changes")
    ('All ICT leadership members', 'review referral mechanisms and report changes')
    >>> _lead_clause("Public Health, CCG")
    ('Public Health, CCG', '')
    """
    m = _LEAD_TASK.match(" ".join(cell.split()))
    if not m or len(m["who"].split()) > 8:
        return cell, ""
    return m["who"], m["task"]


def interpret_table(
    doc: DocumentModel,
    block: Block,
    result: LoadResult,
    *,
    columns: Mapping[str, str] | None = None,
) -> str | None:
    """Records of one TABLE block appended to ``result``; the decision name, or None.

    Returns "action plan", "tracker" or "indicators" when the header names the columns
    of one of those (``columns``: the user's role -> header mapping, applied first), and
    None, counting nothing, when the table is none of them.
    """
    if block.kind is not BlockKind.TABLE or (not block.rows and not block.header):
        return None
    header = [join_wrapped(h) for h in block.header_texts()]
    body: Sequence[tuple[Cell, ...]] = block.rows
    header_rows_in_body = 0
    found = _decide(match_columns(header, user=columns)) if header else None
    if found is None and body:
        # no header row marked: a first row naming the columns is one
        first = [join_wrapped(c.text) for c in body[0]]
        found = _decide(match_columns(first, user=columns))
        if found is not None:
            header, body, header_rows_in_body = first, body[1:], 1
    if found is None:
        return None
    kind, cmap = found
    if _interleaved(body, cmap.roles.get("action")):
        result.warn(
            block.line_start,
            "unreadable-table",
            f"a table headed {' | '.join(h for h in header if h)[:120]} was not read: many of its "
            "action cells are fragments (a bullet, a word or two), so its columns arrived "
            "interleaved; check the source document",
        )
        return None
    cmap = ColumnMap(dict(cmap.roles), dict(cmap.unrecognised))
    _Table(doc, block, result, header, cmap, kind).run(body, header_rows_in_body)
    return kind


_BULLETS = frozenset("•●▪◦o-*–")
_WORD = re.compile(r"[^\W\d_]{3,}")


def _fragment(text: str) -> bool:
    """A cell with fewer than two words of three letters or more ("•", "Officer", "Q2 2025/26")."""
    return len(_WORD.findall(text)) < 2


def _interleaved(body: Sequence[tuple[Cell, ...]], action: int | None) -> bool:
    """Whether most non-empty action cells of a table are fragments: the sign of a table
    whose cells arrived one fragment per line and were placed in the wrong columns."""
    if action is None:
        return False
    cells = [r[action].text for r in body if action < len(r) and r[action].text.strip()]
    if len(cells) < 6:
        return False
    fragments = sum(_fragment(c) for c in cells)
    # a cell holding only a bullet is a list marker torn from its item: a strong sign
    bullets = sum(1 for r in body for c in r if c.text.strip() in _BULLETS)
    return fragments * 3 > len(cells) or (fragments * 4 > len(cells) and bullets * 10 >= len(body))


def _decide(cmap: ColumnMap) -> tuple[str, ColumnMap] | None:
    roles = cmap.roles.keys()
    if "action" in roles and _PLAN_ROLES & roles:
        return (TRACKER if {"status", "progress"} & roles else ACTION_PLAN), cmap
    if "indicator" in roles:
        return INDICATORS, cmap
    if "action" not in roles and {"target", "actual"} <= roles and "status" in roles:
        return INDICATORS, cmap
    return None


class _Table:
    def __init__(
        self, doc: DocumentModel, block: Block, res: LoadResult, header: list[str], cmap: ColumnMap, kind: str
    ) -> None:
        self.doc, self.block, self.res, self.header, self.cmap, self.kind = (
            doc,
            block,
            res,
            header,
            cmap,
            kind,
        )
        self.strategy, name_line = strategy_name(doc)
        self.text_role = "action" if "action" in cmap.roles else "indicator"
        if self.text_role not in cmap.roles:  # indicators named by target/actual only: first column
            cmap.roles["indicator"] = 0
            cmap.unrecognised.pop(0, None)
        self.heading = self._heading_over()
        # a table under a heading or caption reporting work done ("What we have already
        # achieved", "Areas of achievement") and with no status column lists achievements
        self.achieved = (
            "status" not in cmap.roles
            and self.text_role == "action"
            and bool(_DONE_CONTEXT.search(self._context()))
        )
        self.section = ""
        self.priority = ""
        self.priority_level = "priority"
        if "priority" in cmap.roles:
            self.priority_level = normalise(header[cmap.roles["priority"]]).replace(" ", "_") or "priority"
        self.header_key = [normalise(h) for h in header]
        res.records.append(StrategyRecord(self.strategy, doc.source(name_line), {"kind": "action_plan"}))

    def _heading_over(self) -> str:
        """The nearest heading above the table, unless it is the strategy's own title."""
        heading = ""
        for b in self.doc.blocks:
            if b.line_start >= self.block.line_start:
                break
            if b.kind is BlockKind.HEADING:
                heading = b.text
        return "" if heading == self.strategy else heading

    def _context(self) -> str:
        """The nearest heading above the table and the text between it and the table."""
        out: list[str] = []
        for b in self.doc.blocks:
            if b.line_start >= self.block.line_start:
                break
            if b.kind is BlockKind.HEADING:
                out = [b.text]
            elif b.kind is BlockKind.TABLE:
                out = out[:1]  # captions belong to the nearest table
            else:
                out.append(b.text)
        return " ".join(out[:1] + out[-2:])

    def cell(self, texts: list[str], role: str) -> str:
        i = self.cmap.roles.get(role)
        return texts[i] if i is not None and i < len(texts) else ""

    def path(self) -> tuple[PriorityRef, ...]:
        out = []
        if self.heading:
            out.append(PriorityRef("heading", self.heading))
        if self.section:
            out.append(PriorityRef("section", self.section))
        if self.priority:
            out.append(PriorityRef(self.priority_level, self.priority))
        return tuple(out)

    def run(self, body: Sequence[tuple[Cell, ...]], header_rows_in_body: int) -> None:
        res = self.res
        if header_rows_in_body:
            res.structural(header_rows_in_body)
        for row in body:
            texts = [join_wrapped(c.text) for c in row]
            src = self._source(row)
            nonempty = [t for t in texts if t]
            if not nonempty:
                res.structural()
                continue
            if [normalise(t) for t in texts] == self.header_key:
                res.structural()  # the header repeated
                continue
            action = self.cell(texts, self.text_role)
            spanning = len(nonempty) >= 2 and len(set(nonempty)) == 1
            if spanning or (len(nonempty) == 1 and not action and not self.cell(texts, "priority")):
                only = nonempty[0]
                if spanning or self._section_position(texts, only):
                    self.section, self.priority = only, ""
                    res.loaded(PriorityRecord(self.strategy, self.path(), src, {"kind": "section"}))
                    continue
            priority = self.cell(texts, "priority")
            codes = bool(priority and _CODES.match(priority))
            if priority and not codes and priority != self.priority:
                self.priority = priority
                if not action:
                    res.loaded(PriorityRecord(self.strategy, self.path(), src))
                    continue
            if not action:
                if priority and not codes:
                    res.structural()  # the priority cell continued
                else:
                    res.reject(src.line_start, f"row has no {self.text_role} text", " | ".join(nonempty))
                continue
            res.loaded(self._action(texts, action, src, priority if codes else ""))

    def _section_position(self, texts: list[str], only: str) -> bool:
        """A lone text in the first column (not the action's): a sub-heading."""
        return texts.index(only) == 0 and len(texts) > 1

    def _source(self, row: tuple[Cell, ...]) -> Source:
        """The row's lines, from its action cell on: a cell spanning down from the row
        above (a merged Priority cell) does not pull the citation up to that row."""
        i = self.cmap.roles.get(self.text_role, 0)
        anchor = row[i] if i < len(row) and row[i].text.strip() else min(row, key=lambda c: c.line_start)
        start = anchor.line_start
        end = max([c.line_end for c in row if c.line_start >= start] or [anchor.line_end])
        return self.doc.source(start, end, sheet=self.block.sheet)

    def _action(self, texts: list[str], action: str, src: Source, codes: str) -> ActionRecord:
        vocab = body_vocabulary()
        lead_cell = self.cell(texts, "lead")
        who, task = _lead_clause(lead_cell)
        leads, lead_supports = split_bodies(who, vocab)
        partner_leads, partner_supports = split_bodies(self.cell(texts, "partners"), vocab)
        supports = [
            s for s in dict.fromkeys([*lead_supports, *partner_leads, *partner_supports]) if s not in leads
        ]
        due = self.cell(texts, "due") or None
        due_date = parse_due(due) if due else None
        props: dict[str, Any] = {"table": self.kind}
        if task:
            props["lead task"] = task  # "All ICT leadership members to review ...": the task
        for role in ("progress", "measure", "reference", "target", "actual"):
            value = self.cell(texts, role)
            if value:
                props[role] = value
        if codes:
            props[self.priority_level] = codes
        for i, name in self.cmap.unrecognised.items():
            if i < len(texts) and texts[i]:
                props.setdefault(name, texts[i])
                if describes_action(name, self.text_role) and props[name] == texts[i]:
                    # what the action involves or delivered: read with its text (queries)
                    props.setdefault(DETAIL_COLUMNS, []).append(name)
        if self.block.sheet:
            props["sheet"] = self.block.sheet
        if not leads and self.text_role == "action":
            self.res.warn(src.line_start, "no-lead", f"action has no lead: {action[:60]}")
        if due and not due_date and not _UNDATED.search(due):
            self.res.warn(src.line_start, "no-date", f"due {due!r} is not a date partnermap can read")
        return ActionRecord(
            self.strategy,
            self.path(),
            action,
            src,
            level="indicator"
            if self.text_role == "indicator"
            else "achievement"
            if self.achieved
            else "action",
            status=self.cell(texts, "status") or ("achieved" if self.achieved else "open"),
            leads=tuple(leads),
            supports=tuple(supports),
            due=due,
            due_date=due_date,
            props=props,
        )
