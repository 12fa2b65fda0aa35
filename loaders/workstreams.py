"""Workstream reviews: "Workstream K: Title" sections with aims, achievements and objectives.

Structure read (any borough's review of a delivery programme):

- headings ``[N.] Workstream K: Title`` / ``Workstream A – Title`` (a short second line
  finishes a wrapped title); a section ends at the next workstream, at the next numbered
  paragraph after its own number, or at an ALL-CAPS heading;
- aims paragraphs ("This workstream aims to ...", "The aim of this project is ...");
  a PDF export may drop them into a bullet list, so a bullet cut by them is rejoined
  when it ended mid-sentence and the next bullet starts lower-case;
- lists under "Key achievements" / "Other achievements" / "A key achievement ... :"
  (status ``achieved``, level ``achievement``) and "Future objectives" / "Next steps"
  (status ``planned``, level ``objective``); bullets are glyphs (U+F0B7, •, -) or, where
  the export dropped the glyph, an indented line;
- themes (roman-numbered lines, or bullets after "... themes:") -> Priority level ``theme``;
- an objective / specific action / progress table -> Priority level ``objective`` with one
  open Action per specific action (``props.progress``, due from "due ..."/"by ...");
- RAG ratings, from a sentence ("most workstreams ... amber RAG rating – note Public
  Health is rated as green") or a table of workstream / RAG rows -> ``props.rag``;
- alignment: a sentence naming a programme that the document aligns with ("alignment to
  X" headings, "aligned to X", "such as X") together with an alignment cue -> ALIGNS_WITH.

Rows: headings, bullets, theme lines, table cells and RAG table rows. Bullets outside any
list (a workstream note) load into the workstream's ``props.notes``.

Section bounds, line shapes and due phrases are in `loaders.workstream_sections`; RAG
ratings in `loaders.workstream_rag`.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from graphmodel.schema import (
    ActionRecord,
    LoadResult,
    PriorityRecord,
    PriorityRef,
    ReferenceRecord,
    Source,
    StrategyRecord,
)

from .name_index import document_subject, name_index
from .names import find_names, is_noise, is_self_reference
from .text import TextDocument
from .workstream_rag import rag_from_sentences, rag_from_table
from .workstream_sections import (
    ACHIEVED,
    AIMS,
    GLYPH,
    HEADING,
    INDENT,
    PAGE_NO,
    PLANNED,
    ROMAN,
    TABLE_HEAD,
    TABLE_HEAD_WORDS,
    THEMES_INTRO,
    Bullet,
    Workstream,
    find_due,
    find_workstreams,
    join_lines,
)

_SENTENCE_SPLIT = re.compile(r"(?<=[.;!?])\s+(?=[A-Z])")
_ALIGN_CUE = re.compile(
    r"\balign|\bjoin(?:ing|ed)?\b|\bjoint (?:planning|working)|\bwork(?:ing)?\s+(?:closely\s+)?with"
    r"|\bas part of|\bpart of the|\bcontribut\w* to|\bin partnership with|\b(?:took|taking|take) part in"
    r"|\bwithin the\b",
    re.I,
)


class _Loader:
    def __init__(self, doc: TextDocument, res: LoadResult) -> None:
        self.doc, self.res = doc, res
        self.index = name_index(doc)
        subject, line = document_subject(doc)
        self.strategy, self.subject_line = subject, line
        self.programmes = self._programmes()

    def src(self, a: int, b: int | None = None) -> Source:
        return Source(self.doc.name, a, b if b is not None else a)

    # ------------------------------------------------------------ alignment targets
    def _programmes(self) -> list[str]:
        """Programmes the document aligns with: "alignment to X" headings, "align ... with X"."""
        found: list[str] = []

        def add(name: str) -> None:
            name = " ".join(name.split()).strip(" .,:;*")
            if (
                len(name.split()) >= 2
                and not is_noise(name)
                and name not in found
                and not is_self_reference(name, self.strategy, self.index.borough)
            ):
                found.append(name)

        for para in self.index.paragraphs:
            t = para.text
            for m in re.finditer(r"\balignment (?:to|with) (?P<x>[A-Z][^.,;:()]{2,80})", t):
                cut = re.split(r"’s|'s|\s(?=[a-z])", m.group("x"))[0]
                add(cut)
            if len(t) < 100 and t.rstrip().endswith("alignment"):
                add(re.sub(r"^\d+\.\s*", "", t.rstrip()[: -len("alignment")]))
            for m in re.finditer(r"\balign\w*\b[^.;]{0,80}?\b(?:with|to)\b(?P<x>[^.;]{0,160})", t):
                tail = m.group("x")
                such = re.search(r"\bsuch as (.*)", tail)
                scope = such.group(1) if such else tail
                for nm in find_names(scope, self.index.borough):
                    lead = scope[: nm.start]
                    if not is_noise(nm.bare) and (
                        such or re.fullmatch(r"\s*(?:the\s+)?(?:[A-Z][\w-]*(?:’s|'s)?\s+)?", lead)
                    ):
                        add(self.index.canonical(nm))
                if such:
                    for part in re.split(r",|\band\b", such.group(1)):
                        part = re.sub(r"^\s*the\s+", "", part.strip())
                        if re.match(r"^[A-Z]\S*(?:\s+[A-Z]\S*)+$", part):
                            add(part)
        return found

    def alignments(self, text: str) -> list[tuple[str, str]]:
        """(programme, sentence) for each sentence of ``text`` that aligns with a programme."""
        out: list[tuple[str, str]] = []
        for sent in _SENTENCE_SPLIT.split(text):
            for prog in self.programmes:
                words = prog.split()
                pat = r"\b" + r"\s+".join(re.escape(w) for w in words) + r"\b"
                if not re.search(pat, sent) or any(p == prog for p, _ in out):
                    continue
                if _ALIGN_CUE.search(sent) or re.search(r"\bwith\b[^.;]{0,60}?" + pat, sent):
                    out.append((prog, sent))
        return out

    # ------------------------------------------------------------ sections
    def section(self, ws: Workstream) -> None:
        lines = self.doc.lines
        start, end = ws.body
        mode: str | None = None
        cur: Bullet | None = None
        pending: Bullet | None = None  # a bullet cut by an aims paragraph
        aims_open = after_aims = gap = False
        prose: list[str] = []
        last_prose = ""
        seen_list = False

        def flush(b: Bullet | None) -> None:
            if b is not None:
                self.bullet(ws, b)

        i = start
        while i < end:
            raw = lines[i]
            s = raw.strip()
            if not s or PAGE_NO.match(raw):
                gap, aims_open = True, False
                if prose and not seen_list and not ws.intro:
                    ws.intro.append(join_lines(prose))
                prose = []
                i += 1
                continue
            head_block = " ".join(x.strip() for x in lines[i : min(i + 3, end)])
            if (
                all(w.search(head_block) for w in TABLE_HEAD_WORDS)
                and TABLE_HEAD.search(head_block)
                and not GLYPH.match(raw)
                and not (ACHIEVED.match(s) or PLANNED.match(s) or AIMS.match(s))
            ):
                flush(cur)
                flush(pending)
                cur = pending = None
                i = max(self.table(ws, i, end), i + 1)  # always move on
                mode, seen_list, gap = None, True, True
                continue
            if ACHIEVED.match(s) or PLANNED.match(s):
                flush(cur)
                flush(pending)
                cur = pending = None
                mode = "achieved" if ACHIEVED.match(s) else "planned"
                self.res.structural()
                last_prose = ""
                seen_list, aims_open, after_aims, gap = True, False, False, False
                i += 1
                continue
            if AIMS.match(s):
                if cur is not None and not cur.terminated():
                    flush(pending)
                    pending = cur
                else:
                    flush(cur)
                cur = None
                ws.aims.append(s)
                aims_open, after_aims, gap = True, True, False
                i += 1
                continue
            if aims_open and not gap and not raw[:1].isspace() and not GLYPH.match(raw):
                ws.aims[-1] = join_lines([ws.aims[-1], s])
                i += 1
                continue
            roman = ROMAN.match(raw)
            if roman and mode is None:
                flush(cur)
                cur = None
                ws.themes.append(roman.group("t").strip())
                self.res.loaded(
                    PriorityRecord(
                        self.strategy,
                        (*ws.path, PriorityRef("theme", roman.group("t").strip())),
                        self.src(i + 1),
                    )
                )
                gap = False
                i += 1
                continue
            bm = GLYPH.match(raw) or (INDENT.match(raw) if mode or cur or pending else None)
            themes = mode is None and bool(last_prose and THEMES_INTRO.search(last_prose))
            if bm is None and mode is None and (seen_list or themes):
                bm = INDENT.match(raw)
            if bm:
                text = bm.group("t")
                lower = text[:1].islower()
                if pending is not None and lower and not pending.terminated():
                    cur, pending = pending, None
                    cur.lines.append(i + 1)
                    cur.parts.append(text)
                elif (
                    cur is not None
                    and not gap
                    and not GLYPH.match(raw)
                    and (
                        GLYPH.match(lines[cur.lines[0] - 1])  # hanging indent under a "-" bullet
                        or (lower and not cur.terminated() and lines[cur.lines[-1] - 1].endswith((" ", "\t")))
                    )
                ):
                    # an indented lower-case line right after a line the export wrapped
                    # (it kept the trailing space) continues that bullet
                    cur.lines.append(i + 1)
                    cur.parts.append(text)
                else:
                    flush(cur)
                    flush(pending)
                    pending = None
                    cur = Bullet([i + 1], [text], "theme" if themes else mode)
                prose = prose if cur.mode == "theme" else []
                gap = aims_open = after_aims = False
                i += 1
                continue
            # Prose: continues a bullet, or a second aims paragraph, or intro / context.
            if cur is not None and (not gap or not cur.terminated() or s[:1].islower()):
                cur.lines.append(i + 1)
                cur.parts.append(s)
            elif after_aims and gap and cur is None:
                ws.aims[-1] = join_lines([ws.aims[-1], s])  # a second paragraph of the aims box
                aims_open = True
            else:
                flush(cur)
                cur = None
                if gap:
                    if prose and not seen_list and not ws.intro:
                        ws.intro.append(join_lines(prose))
                    prose = []
                prose.append(s)
                last_prose = s
            gap = False
            i += 1
        flush(cur)
        flush(pending)

    def bullet(self, ws: Workstream, b: Bullet) -> None:
        text, src = b.text, self.src(b.lines[0], b.lines[-1])
        if b.mode == "theme":
            name = text.split(":")[0].strip() if ":" in text[:80] else text
            ws.themes.append(name)
            self.res.loaded(
                PriorityRecord(self.strategy, (*ws.path, PriorityRef("theme", name)), src, {"text": text})
            )
            return
        if b.mode is None:
            ws.notes.append(text)
            self.res.loaded()  # kept in the workstream's props.notes
            return
        achieved = b.mode == "achieved"
        due, due_date = find_due(text) if not achieved else (None, None)
        aligned = self.alignments(text)
        props: dict[str, Any] = {}
        if aligned:
            props["aligns_with"] = [p for p, _ in aligned]
        records: list[Any] = [
            ActionRecord(
                self.strategy,
                ws.path,
                text,
                src,
                level="achievement" if achieved else "objective",
                status="achieved" if achieved else "planned",
                due=due,
                due_date=due_date,
                props=props,
            )
        ]
        records += [
            ReferenceRecord(
                self.strategy,
                prog,
                src,
                relation="ALIGNS_WITH",
                path=ws.path,
                action_text=text,
                evidence=sent,
            )
            for prog, sent in aligned
        ]
        self.res.loaded(*records)

    # ------------------------------------------------------------ objective table
    def table(self, ws: Workstream, i: int, end: int) -> int:
        """Objective / specific action / progress table; returns the index after it."""
        lines = self.doc.lines
        blocks: list[list[int]] = []  # runs of non-blank line indexes
        j = i
        while j < end:
            s = lines[j].strip()
            if s and (ACHIEVED.match(s) or PLANNED.match(s) or HEADING.match(lines[j])):
                break
            if not s or PAGE_NO.match(lines[j]):
                j += 1
                continue
            run: list[int] = []
            while j < end and lines[j].strip() and not PAGE_NO.match(lines[j]):
                if run and (ACHIEVED.match(lines[j].strip()) or PLANNED.match(lines[j].strip())):
                    break
                run.append(j)
                j += 1
            blocks.append(run)
        head_w = 0
        kinds: list[str] = []
        k = 0
        while k < len(blocks):
            text = " ".join(lines[x].strip() for x in blocks[k])
            if TABLE_HEAD.search(text) and len(blocks[k]) <= 4:
                head_w = max(head_w, max(len(lines[x].strip()) for x in blocks[k][:-1] or blocks[k]))
                kinds.append("head")
            elif AIMS.match(lines[blocks[k][0]].strip()):
                kinds.append("aims")
            elif re.match(r"^\d{1,2}\.\s+\S", lines[blocks[k][0]].strip()) and (
                not head_w or len(lines[blocks[k][0]].strip()) <= head_w + 2
            ):
                kinds.append("objective")
                # the objective cell wraps over short lines, often split by blank lines
                while (
                    k + 1 < len(blocks)
                    and not re.match(r"^\d{1,2}\.\s", lines[blocks[k + 1][0]].strip())
                    and max(len(lines[x].strip()) for x in blocks[k + 1]) <= (head_w or 22) + 2
                ):
                    blocks[k] = blocks[k] + blocks.pop(k + 1)
            else:
                kinds.append("cell")
            k += 1
        widths = sorted(
            {
                max(len(lines[x].strip()) for x in b)
                for b, kd in zip(blocks, kinds, strict=True)
                if kd == "cell"
            }
        )
        gaps = [(widths[n + 1] - widths[n], n) for n in range(len(widths) - 1)]
        cut = None
        if gaps and max(gaps)[0] >= 4:
            n = max(gaps)[1]
            cut = (widths[n] + widths[n + 1]) / 2
        objective: PriorityRef | None = None
        action: list[int] | None = None
        parity = 0

        def emit(act: list[int], prog: list[int] | None) -> None:
            a_text = join_lines([lines[x] for x in act])
            p_text = join_lines([lines[x] for x in prog]) if prog else None
            due, due_date = find_due(p_text or "")
            if due is None:
                due, due_date = find_due(a_text)
            path = (*ws.path, objective) if objective else ws.path
            last = (prog or act)[-1] + 1
            props: dict[str, Any] = {"progress": p_text} if p_text else {}
            aligned = self.alignments(a_text)
            if aligned:
                props["aligns_with"] = [p for p, _ in aligned]
            self.res.loaded(
                ActionRecord(
                    self.strategy,
                    path,
                    a_text,
                    self.src(act[0] + 1, last),
                    level="action",
                    status="open",
                    due=due,
                    due_date=due_date,
                    props=props,
                ),
                *(
                    ReferenceRecord(
                        self.strategy,
                        p,
                        self.src(act[0] + 1, last),
                        relation="ALIGNS_WITH",
                        path=ws.path,
                        action_text=a_text,
                        evidence=s,
                    )
                    for p, s in aligned
                ),
            )

        for b, kd in zip(blocks, kinds, strict=True):
            if kd == "head":
                self.res.structural()
            elif kd == "aims":
                ws.aims.append(join_lines([lines[x] for x in b]))
            elif kd == "objective":
                if action is not None:
                    emit(action, None)
                action, parity = None, 0
                name = join_lines([lines[x] for x in b])
                objective = PriorityRef("objective", name)
                self.res.loaded(
                    PriorityRecord(self.strategy, (*ws.path, objective), self.src(b[0] + 1, b[-1] + 1))
                )
            else:
                width = max(len(lines[x].strip()) for x in b)
                is_action = width > cut if cut is not None else parity == 0
                if is_action:
                    if action is not None:
                        emit(action, None)
                    action, parity = b, 1
                elif action is not None:
                    emit(action, b)
                    action, parity = None, 0
                else:
                    self.res.reject(b[0] + 1, "progress cell with no specific action before it", lines[b[0]])
        if action is not None:
            emit(action, None)
        return j


def _reassign_aims(streams: list[Workstream], res: LoadResult) -> None:
    """A PDF export can push a workstream's aims box into the next section: when one
    section holds two aims paragraphs and the one before holds none, give it the first."""
    for prev, ws in pairwise(streams):
        if len(ws.aims) >= 2 and not prev.aims and not prev.notes:
            prev.aims.append(ws.aims.pop(0))
            res.warn(
                ws.first,
                "aims-reassigned",
                f"workstream {ws.key} has two aims paragraphs and workstream {prev.key} "
                "none; the first was given to workstream " + prev.key,
            )


def load(doc: TextDocument) -> LoadResult:
    """Workstreams, their achievements, objectives, table actions, RAG and alignments."""
    res = LoadResult(doc.name, "workstreams")
    streams = find_workstreams(doc.lines)
    if not streams:
        return res
    ld = _Loader(doc, res)
    for ws in streams:
        ld.section(ws)
    _reassign_aims(streams, res)
    rag_from_sentences(ld.index.paragraphs, streams, res)
    rag_from_table(doc.lines, streams, res)
    # The review itself, and the strategy it reviews (named in its title).
    title_names = [m for m in find_names(ld.strategy, ld.index.borough) if not is_noise(m.bare)]
    head: list[Any] = [StrategyRecord(ld.strategy, ld.src(ld.subject_line), {"kind": "review"})]
    if title_names and ld.index.canonical(title_names[0]).casefold() != ld.strategy.casefold():
        reviewed = ld.index.canonical(title_names[0])
        head.append(ReferenceRecord(ld.strategy, reviewed, ld.src(ld.subject_line), evidence=ld.strategy))
    res.loaded(*head)
    for ws in streams:
        props: dict[str, Any] = {
            "number": int(ws.key) if ws.key.isdigit() else ws.key,
            "label": f"Workstream {ws.key}",
        }
        for key in ("aims", "intro"):
            if getattr(ws, key):
                props[key] = " ".join(getattr(ws, key))
        for key in ("themes", "notes"):
            if getattr(ws, key):
                props[key] = list(getattr(ws, key))
        if ws.rag:
            props["rag"], props["rag_evidence"] = ws.rag, ws.rag_evidence
        src = ld.src(ws.first, ws.last)
        refs = [
            ReferenceRecord(ld.strategy, prog, src, relation="ALIGNS_WITH", path=ws.path, evidence=sent)
            for prog, sent in ld.alignments(props.get("aims", ""))
        ]
        res.loaded(PriorityRecord(ld.strategy, ws.path, src, props), *refs)
    return res
