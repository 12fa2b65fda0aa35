"""Multi-agency action-plan tables: one Action per row (a sub-objective with its lead).

A table is found by its header row (known column names, any order: see
`tables.COLUMN_SYNONYMS`); the header may repeat on every page, with a page label
("Priority Area – Consultation and Engagement") that can be stale. Rows continue
the merged cells of the row above when their leading cells are empty. The plan is
named by the nearest title line above the table.

Decisions (the tests hold them):

- A row's priority area comes from its own first cell (the area's description) and
  the plan's structure, never from a stale page label: a description seen before
  continues its area; a new one takes the page label if that label names no area
  yet, else the theme (a "**Name** – description" bullet above the table) it
  shares the most distinctive words with. A label that contradicts the rows is
  warned as "stale-header".
- Cells shifted left or right (a date in the lead column, text past the last
  column) are realigned and warned as "shifted-cells".
- A row whose own cells repeat the previous row (a page break printed it twice) is
  structure, warned "repeated-row"; a page top that only restates the merged
  context cells is normal and silent.
- A row that only sets context cells (e.g. an "Actions" cell whose sub-objectives
  follow) is structure and yields the priorities it names.
- Tables whose cells pack several owners / timescales as paragraphs are left to
  `loaders.strategy_plan`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from graphmodel.schema import (
    ActionRecord,
    LoadResult,
    PriorityRecord,
    PriorityRef,
    Record,
    Source,
    StrategyRecord,
)

from .bodies import (
    BODIES_MAX,
    GENERIC_BODIES,
    Vocabulary,
    bodies_score,
    glossary_pairs,
    learn_bodies,
    split_bodies,
)
from .dates import parse_due
from .plan_areas import Areas, theme_lines, themes_before
from .plan_tables import (
    PAGE_RE,
    PlanTable,
    find_tables,
    furniture_before_header,
    is_packed,
    is_title,
    row_header,
    section_banner,
)
from .shifts import bounded, date_score, detect_shift, rag_score, realign
from .strategy_plan import is_plain
from .tables import Row, clean_cell, merge_continuation, norm, split_cells, trailing_width
from .text import TextDocument

LOADER = "action_plan"
_RECURRING_RE = re.compile(
    r"\b(ongoing|on-going|monthly|quarterly|annual|annually|weekly|"
    r"rolling|continuous)\b",
    re.IGNORECASE,
)
#: Context columns (left of the text column), shallowest first, and the priority level
#: each gives in an ActionRecord's path.
_CONTEXT_LEVELS = {
    "priority_area": "priority_area",
    "sub_area": "sub_area",
    "sub_objective": "objective",
    "action": "action",
}


@dataclass(slots=True)
class _State:
    """What the rows read so far have set: context cells, areas, records made."""

    outcome: str | None = None
    outcome_line: int = 0
    label: str | None = None  # the page header's label
    label_line: int = 0
    label_warned: bool = False
    context: dict[str, tuple[str, int] | None] = field(default_factory=dict)  # role -> (text, line)
    text: tuple[str, int] | None = None
    last_own: tuple[str, ...] | None = None
    section_area: tuple[str, int] | None = None
    records: dict[tuple[PriorityRef, ...], PriorityRecord] = field(default_factory=dict)


class _Loader:
    def __init__(
        self,
        doc: TextDocument,
        table: PlanTable,
        vocab: Vocabulary,
        result: LoadResult,
        themes: list[tuple[int, str, str]],
    ):
        self.doc, self.table, self.vocab, self.result = doc, table, vocab, result
        self.h = table.header
        self.strategy = table.title or PurePath(doc.name).stem
        self.areas = Areas(themes_before(themes, table.start))
        self.state = _State()
        self.body_cells: list[str] = []
        cols = self.h.columns
        self.text_role = self.h.text_role  # a property that searches the columns
        self.text_col = cols[self.text_role]
        # context columns (left of the text column) in column order, and the deepest ones
        self.context_roles = sorted(
            (r for r in _CONTEXT_LEVELS if r in cols and cols[r] < self.text_col), key=lambda r: cols[r]
        )
        self.deepest = [r for r in self.context_roles if r not in ("priority_area", "sub_area")]
        # named columns of no known role: (index, props key)
        known = set(cols.values())
        self.other_columns = [
            (i, norm(name).replace(" ", "_"))
            for i, name in enumerate(self.h.names)
            if i not in known and name
        ]
        scorers = {}
        for role in ("lead", "resource", "partners"):
            if role in cols:
                scorers[cols[role]] = bounded(lambda c: bodies_score(c, self.vocab), BODIES_MAX)
        if "due" in cols:
            scorers[cols["due"]] = date_score
        if "rag" in cols:
            scorers[cols["rag"]] = rag_score
        self.scorers = scorers

    # -- helpers
    def src(self, start: int, end: int | None = None) -> Source:
        return Source(self.doc.name, start, end if end is not None else start)

    def cell(self, cells: list[str], role: str) -> str:
        i = self.h.columns.get(role)
        return clean_cell(cells[i]) if i is not None and i < len(cells) else ""

    def priority(self, path: tuple[PriorityRef, ...], line: int, **props: str) -> list[Record]:
        """A record for a priority the first time a path names it (none after)."""
        if path in self.state.records:
            return []
        rec = PriorityRecord(self.strategy, path, self.src(line), {k: v for k, v in props.items() if v})
        self.state.records[path] = rec
        return [rec]

    def prefix(self) -> tuple[PriorityRef, ...]:
        s = self.state
        return (PriorityRef("strategic_outcome", s.outcome),) if s.outcome else ()

    # -- rows
    def rows(self) -> Iterator[tuple[str, Row]]:
        """("header" | "title" | "section" | "data", row) for each logical row of the table."""
        lines, width = self.doc.lines, self.h.width
        k = self.table.start
        while k <= self.table.end:
            line = lines[k]
            if not line.strip():
                k += 1
                continue
            row = Row(split_cells(line), k + 1, k + 1)
            if "\t" not in line:
                kind = (
                    "section"
                    if section_banner([line])
                    else "title"
                    if (
                        (self.table.title and norm(line) == norm(self.table.title))
                        or is_title(line)
                        or PAGE_RE.match(line)
                        or furniture_before_header(lines, k, self.h)
                    )
                    else "data"
                )
                k += 1
                yield kind, row
                continue
            if row_header(row.cells) is not None:
                k += 1
                yield "header", row
                continue
            if section_banner(row.cells):
                k += 1
                yield "section", row
                continue
            k += 1
            # Physical lines that continue a cell: no tab, or too few cells to be a row.
            while k <= self.table.end and lines[k].strip():
                nxt = split_cells(lines[k])
                if "\t" in lines[k]:
                    if (
                        row_header(nxt)
                        or section_banner(nxt)
                        or len(row.cells) >= width
                        or len(row.cells) + len(nxt) - 1 > max(width, len(row.cells))
                        or (
                            "ref" in self.h.columns
                            and self.h.columns["ref"] == 0
                            and re.match(r"^\s*[A-Za-z]?\d+(\.\d+)*[.)]?\s*$", nxt[0])
                        )
                    ):
                        break
                elif (
                    section_banner([lines[k]])
                    or PAGE_RE.match(lines[k])
                    or (self.table.title and norm(lines[k]) == norm(self.table.title))
                ):
                    break
                merge_continuation(row, lines[k], k + 1, width)
                k += 1
            yield "data", row

    def run(self) -> None:
        res, t = self.result, self.table
        name_line = (t.title_line + 1) if t.title_line is not None else t.start + 1
        res.records.append(StrategyRecord(self.strategy, self.src(name_line), {"kind": "action_plan"}))
        for kind, row in self.rows():
            if kind == "header":
                res.structural()
                hdr = row_header(row.cells)
                self.state.label = hdr.label if hdr and hdr.label_role == "priority_area" else None
                self.state.label_line, self.state.label_warned = row.line_start, False
            elif kind == "title":
                res.structural()
            elif kind == "section":
                self.section(row)
            else:
                self.data(row)

    def section(self, row: Row) -> None:
        level, name, text = section_banner(row.cells) or ("", "", "")
        self.result.structural()
        s = self.state
        s.context, s.text, s.last_own = {}, None, None
        if level == "strategic_outcome":
            s.outcome, s.outcome_line, s.section_area = name, row.line_start, None
            self.result.records.extend(self.priority(self.prefix(), row.line_start, text=text))
        else:
            s.section_area = (name, row.line_start)
            self.result.records.extend(
                self.priority((*self.prefix(), PriorityRef("priority_area", name)), row.line_start, text=text)
            )

    def data(self, row: Row) -> None:
        res, h, s = self.result, self.h, self.state
        cells = row.cells
        if not any(c.strip() for c in cells):
            res.structural()
            return
        if "\t" not in self.doc.lines[row.line_start - 1]:
            res.reject(row.line_start, "text line inside a table that is not a row", cells[0])
            return
        shift = detect_shift(cells, h.width, self.scorers)
        if shift:
            cells = realign(cells, shift, self.text_col)
            res.warn(
                row.line_start,
                "shifted-cells",
                f"cells sit {abs(shift)} column(s) to the {'right' if shift > 0 else 'left'}; "
                "realigned by the lead / resource / date columns",
            )
        if trailing_width(cells) > h.width:
            extra = "; ".join(clean_cell(c) for c in cells[h.width :] if c.strip())
            cells = list(cells[: h.width])
            cells[-1] = f"{cells[-1]} {extra}".strip()
            res.warn(
                row.line_start,
                "shifted-cells",
                f"more cells than columns; extra text kept in the last column ({h.names[-1] or 'last'})",
            )

        # Context cells (left of the text column) continue the row above when empty.
        records: list[Record] = []
        set_here = False  # a context cell changed: deeper context and text restart
        context_roles = self.context_roles
        for role in context_roles:
            value, current = self.cell(cells, role), s.context.get(role)
            if value and not (current and norm(current[0]) == norm(value)):
                set_here = True
                s.context[role] = (value, row.line_start)
            elif set_here and not value:
                s.context[role] = None
        if set_here:
            s.text = None
        own = tuple(clean_cell(c) for c in cells[self.text_col :])
        path, area_records = self.path(row.line_start)
        records += area_records
        if not any(own):
            res.structural()  # a row that only sets context: its priorities
            res.records.extend(records)
            return
        if own == s.last_own and not set_here:
            res.structural()
            res.warn(
                row.line_start,
                "repeated-row",
                "row repeats the previous row (printed again at a page break); read once",
            )
            return
        s.last_own = own
        text_cell = self.cell(cells, self.text_role)
        if text_cell:
            s.text = (text_cell, row.line_start)
        # The deepest context cell (e.g. "Actions" beside a sub-objective) is the row's
        # parent priority, and its text when the row has none of its own.
        deepest = self.deepest
        parent_role = deepest[-1] if deepest else None
        parent = s.context.get(parent_role) if parent_role else None
        text = s.text or parent
        if not text:
            res.reject(row.line_start, "row has no action text", "\t".join(own))
            return
        for role in deepest:
            cell = s.context.get(role)
            if cell and norm(cell[0]) != norm(text[0]):
                path = (*path, PriorityRef(_CONTEXT_LEVELS[role], cell[0]))
                records += self.priority(path, cell[1])
        records.append(self.action(cells, row, text, path))
        res.loaded(*records)

    def path(self, line: int) -> tuple[tuple[PriorityRef, ...], list[Record]]:
        """The row's priority path (after context), and records for priorities new to it."""
        s, records = self.state, []
        path = self.prefix()
        desc = s.context.get("priority_area")
        area: tuple[str, int] | None = None
        if desc:
            area = (self.areas.resolve(desc[0], s.label), desc[1])
        elif s.section_area:
            area = s.section_area
        elif s.label:
            area = (s.label, s.label_line)
        if area:
            if s.label and norm(area[0]) != norm(s.label) and not s.label_warned:
                s.label_warned = True
                self.result.warn(
                    s.label_line,
                    "stale-header",
                    f"page header says '{s.label}' but its rows belong to '{area[0]}'",
                )
            path = (*path, PriorityRef("priority_area", area[0]))
            records += self.priority(path, area[1])
            if desc:  # the area's description(s), as printed in its first column
                texts = self.state.records[path].props.setdefault("descriptions", [])
                if desc[0] not in texts:
                    texts.append(desc[0])
                    self.state.records[path].props.setdefault("text", desc[0])
        sub = s.context.get("sub_area")
        if sub:
            path = (*path, PriorityRef("sub_area", sub[0]))
            records += self.priority(path, sub[1])
        return path, records

    def action(
        self, cells: list[str], row: Row, text: tuple[str, int], path: tuple[PriorityRef, ...]
    ) -> ActionRecord:
        res = self.result
        lead_text, partners_text = self.cell(cells, "lead"), self.cell(cells, "partners")
        resource_text = self.cell(cells, "resource")
        self.body_cells += [lead_text, partners_text, resource_text]
        leads, supports = split_bodies(lead_text, self.vocab)
        p_leads, p_supports = split_bodies(partners_text, self.vocab)
        supports += [x for x in p_leads + p_supports if x not in leads and x not in supports]
        resources: list[str] = []
        if resource_text and bodies_score(resource_text, self.vocab) >= 0.75:
            r_leads, r_supports = split_bodies(resource_text, self.vocab)
            resources = r_leads + r_supports
        due = self.cell(cells, "due") or None
        due_date = parse_due(due)
        rag = self.cell(cells, "rag")
        if not leads:
            res.warn(row.line_start, "no-lead", f"no lead for '{text[0][:60]}'")
        if due_date is None and not (due and _RECURRING_RE.search(due)):
            res.warn(
                row.line_start,
                "no-date",
                f"no completion date for '{text[0][:60]}'" + (f" (due: {due!r})" if due else ""),
            )
        props = {}
        for role in ("agency_outcome", "operational_outcome", "progress", "ref"):
            value = self.cell(cells, role)
            if value:
                props[role] = value
        action_text = self.state.context.get("action") if self.text_role != "action" else None
        if action_text:
            props["actions_text"] = action_text[0]
        if resource_text and not resources:
            props["resource_text"] = resource_text
        for i, key in self.other_columns:
            if i < len(cells):
                value = clean_cell(cells[i])
                if value:
                    props[key] = value
        start = min(row.line_start, text[1])
        return ActionRecord(
            strategy=self.strategy,
            path=path,
            text=text[0],
            source=self.src(start, row.line_end),
            level=self.text_role,
            status=rag or "open",
            leads=tuple(leads),
            supports=tuple(supports),
            resources=tuple(resources),
            due=due,
            due_date=due_date,
            props=props,
        )


def _vocabulary(doc: TextDocument) -> Vocabulary:
    """Glossary abbreviations and names defined in the document, plus generic bodies."""
    pairs = glossary_pairs(doc.lines)
    return Vocabulary([*GENERIC_BODIES, *pairs.keys()], pairs)


def load(doc: TextDocument) -> LoadResult:
    """Action-plan tables of ``doc`` as strategy, priority and action records."""
    result = LoadResult(doc.name, LOADER)
    tables = [t for t in find_tables(doc.lines) if not is_packed(doc, t) and not is_plain(doc, t)]
    if not tables:
        return result
    vocab = _vocabulary(doc)
    themes = theme_lines(doc.lines)
    # First pass: realign rows and collect their lead / partner / resource cells, so names
    # that stand alone there ("... in conjunction with CPS and Local magistrates") are
    # known when the second pass splits run-together cells ("Police CPS Local magistrates").
    body_cells: list[str] = []
    for table in tables:
        first = _Loader(doc, table, vocab, result, themes)
        first.run()
        body_cells += first.body_cells
    learned = learn_bodies(body_cells, vocab)
    if not learned:
        # The second pass would read with the same names, so it would make exactly the
        # first pass's records: keep them.
        return result
    vocab = vocab.with_names(learned)
    result = LoadResult(doc.name, LOADER)
    for table in tables:
        _Loader(doc, table, vocab, result, themes).run()
    return result
