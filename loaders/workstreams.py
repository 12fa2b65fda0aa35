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
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
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

from .references import document_subject, find_names, is_noise, is_self_reference, name_index
from .text import TextDocument

_HEADING = re.compile(
    r"^\s*(?:#+\s*)?(?:\*\*)?(?:(?P<para>\d{1,3})\.\s+)?Work\s?stream\s+(?P<key>\d{1,2}|[A-Z])\b"
    r"\s*[:.–—-]\s*(?P<title>\S.*?)\s*(?:\*\*)?\s*$", re.I)
_GLYPH = re.compile(r"^\s*(?:[\uf0b7•▪◦●■○➢✓]|[-–*](?=\s))\s*(?P<t>\S.*)$")
_INDENT = re.compile(r"^[ \t]{1,6}(?P<t>\S.*)$")
_ROMAN = re.compile(r"^\s*\(?(?P<n>[ivx]{1,5})[.)]\s+(?P<t>\S.*)$")
_PAGE_NO = re.compile(r"^\s*(?:page\s+)?\d{1,3}\s*$", re.I)
_ACHIEVED = re.compile(
    r"^(?:key |other |main |our )?(?:achievements?|highlights|progress to date|what we have achieved)"
    r"(?: (?:to date|so far|in \d{4}(?:[-/]\d{2,4})?))?\s*:?$"
    r"|^a key achievement (?:in|for|of) this (?:area|workstream|project)\b.*:$", re.I)
_PLANNED = re.compile(
    r"^(?:future objectives?|next steps|future plans|planned actions|key objectives"
    r"|priorities for (?:the )?(?:next|coming) (?:year|twelve months|12 months)"
    r"|objectives for (?:the )?(?:next|coming) year)\s*:?$", re.I)
_AIMS = re.compile(r"^\s*(?:this (?:work\s?stream|project|programme) aims? to"
                   r"|the (?:working )?aims? of this (?:work\s?stream|project|programme) (?:is|are)"
                   r"|the working aim is)\b", re.I)
_THEMES_INTRO = re.compile(r"\b(?:themes|priorities|areas of focus)\s*:\s*$", re.I)
_TERMINAL = re.compile(r"[.;:!?][”\"’')]*\s*$")
_TABLE_HEAD = re.compile(r"objectiv.*action.*progress|action.*progress.*update", re.I)
# words every _TABLE_HEAD match holds: searched first, as they are much quicker to rule out
_TABLE_HEAD_WORDS = (re.compile("action", re.I), re.compile("progress", re.I))
_RAG_WORD = r"(?:red|amber|green)"
_RAG_CELLS = re.compile(r"\t|\s{2,}|\|")
_RAG_HEAD = re.compile(r"RAG(?: (?:rating|status))?|Status", re.I)
_RAG_HEAD_WORD = re.compile(r"RAG|Status", re.I)  # in every line _RAG_HEAD names a cell of
_NUMBERED = re.compile(r"^(\d{1,3})\.\s+\S")
_SENTENCE_SPLIT = re.compile(r"(?<=[.;!?])\s+(?=[A-Z])")
_RAG_NAMED = re.compile(r"(?P<name>(?:[A-Z][\w&’'-]*\s+)*[A-Z][\w&’'-]*)\s+(?:is|are|was|were)\s+"
                        r"(?:rated\s+(?:as\s+)?|at\s+)(?P<rag>" + _RAG_WORD + r")\b")
_ALIGN_CUE = re.compile(
    r"\balign|\bjoin(?:ing|ed)?\b|\bjoint (?:planning|working)|\bwork(?:ing)?\s+(?:closely\s+)?with"
    r"|\bas part of|\bpart of the|\bcontribut\w* to|\bin partnership with|\b(?:took|taking|take) part in"
    r"|\bwithin the\b", re.I)
_MONTHS = {m.casefold(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.casefold(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTH = r"(?:" + "|".join(sorted((m for m in calendar.month_name if m), key=len, reverse=True)) + r")"
_DUE = [
    re.compile(r"\bdue (?:by |on |in )?(?:the )?(?P<raw>(?:end of |end |early |mid[- ])?"
               r"(?:\d{1,2}(?:st|nd|rd|th)? (?:of )?)?" + _MONTH + r",? \d{4})", re.I),
    re.compile(r"\bby (?:the )?(?P<raw>(?:end of |end )?(?:\d{1,2}(?:st|nd|rd|th)? (?:of )?)?"
               + _MONTH + r",? \d{4})", re.I),
    re.compile(r"\b(?:due |by )(?:the )?(?P<raw>end (?:of )?(?:FY ?)?\d{2}/\d{2})", re.I),
    re.compile(r"\bbetween " + _MONTH + r" \d{4} and (?P<raw>" + _MONTH + r" \d{4})", re.I),
    re.compile(r"\((?:[^()]*?,\s*)?(?P<raw>(?:\d{1,2} )?" + _MONTH + r" \d{4})\)", re.I),
]


def parse_due(text: str) -> tuple[str | None, str | None]:
    """Raw due text and ISO date from "due end of June 2019", "by end FY19/20", "(March 2020)".

    Examples
    --------
    >>> parse_due("JSNA in progress – due end of June 2019")
    ('end of June 2019', '2019-06-30')
    >>> parse_due("programme for all staff by end FY19/20")
    ('end FY19/20', '2020-03-31')
    """
    flat = " ".join(text.split())
    for pat in _DUE:
        m = pat.search(flat)
        if m:
            raw = m.group("raw")
            return raw, _iso(raw)
    return None, None


def _iso(raw: str) -> str | None:
    fy = re.search(r"(\d{2})/(\d{2})$", raw)
    if fy:
        return f"20{fy.group(2)}-03-31"
    m = re.search(r"(?:(\d{1,2})(?:st|nd|rd|th)? (?:of )?)?([A-Za-z]+),? (\d{4})$", raw)
    if not m or m.group(2).casefold() not in _MONTHS:
        return None
    year, month = int(m.group(3)), _MONTHS[m.group(2).casefold()]
    last = calendar.monthrange(year, month)[1]
    day = int(m.group(1)) if m.group(1) and int(m.group(1)) <= last else last
    return f"{year:04d}-{month:02d}-{day:02d}"


def _join(parts: list[str]) -> str:
    """Wrapped lines to one text; "scale-" + "up" joins without a space."""
    out = ""
    for p in parts:
        p = " ".join(p.split())
        if not p:
            continue
        if out.endswith("-") and out[-2:-1].isalpha() and p[:1].islower():
            out += p
        else:
            out = f"{out} {p}" if out else p
    return out


@dataclass(slots=True)
class _Bullet:
    lines: list[int]
    parts: list[str]
    mode: str | None

    @property
    def text(self) -> str:
        return _join(self.parts)

    def terminated(self) -> bool:
        return bool(_TERMINAL.search(self.parts[-1]))


@dataclass(slots=True)
class _Workstream:
    key: str
    title: str
    first: int  # 1-based heading lines
    last: int
    body: tuple[int, int]  # 0-based [start, end) of the section body
    aims: list[str] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rag: str | None = None
    rag_evidence: str | None = None

    @property
    def path(self) -> tuple[PriorityRef, ...]:
        return (PriorityRef("workstream", self.title),)


def _is_caps_heading(s: str) -> bool:
    if len(s.split()) > 10:
        return False  # prose: the cheap test first
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters)


def _find_workstreams(lines: tuple[str, ...]) -> list[_Workstream]:
    heads: list[tuple[int, re.Match[str]]] = [(i, m) for i, ln in enumerate(lines)
                                              if (m := _HEADING.match(ln)) and len(ln) < 160]
    out: list[_Workstream] = []
    for k, (i, m) in enumerate(heads):
        title, last = m.group("title"), i
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if (nxt and len(nxt) <= 40 and not _TERMINAL.search(title) and not _TERMINAL.search(nxt)
                and not _GLYPH.match(lines[i + 1]) and not _HEADING.match(lines[i + 1])
                and not _ACHIEVED.match(nxt) and not _PLANNED.match(nxt)):
            title, last = f"{title} {nxt}", i + 1  # title wrapped onto a second line
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        para = int(m.group("para")) if m.group("para") else None
        for j in range(last + 1, end):
            s = lines[j].strip()
            num = _NUMBERED.match(s)
            if (para is not None and num and int(num.group(1)) > para) or _is_caps_heading(s):
                end = j
                break
        out.append(_Workstream(m.group("key"), " ".join(title.split()).strip(" :*"),
                               i + 1, last + 1, (last + 1, end)))
    return out


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
            if (len(name.split()) >= 2 and not is_noise(name) and name not in found
                    and not is_self_reference(name, self.strategy, self.index.borough)):
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
                    lead = scope[:nm.start]
                    if not is_noise(nm.bare) and (such or re.fullmatch(
                            r"\s*(?:the\s+)?(?:[A-Z][\w-]*(?:’s|'s)?\s+)?", lead)):
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
    def section(self, ws: _Workstream) -> None:
        lines = self.doc.lines
        start, end = ws.body
        mode: str | None = None
        cur: _Bullet | None = None
        pending: _Bullet | None = None  # a bullet cut by an aims paragraph
        aims_open = after_aims = gap = False
        prose: list[str] = []
        last_prose = ""
        seen_list = False

        def flush(b: _Bullet | None) -> None:
            if b is not None:
                self.bullet(ws, b)

        i = start
        while i < end:
            raw = lines[i]
            s = raw.strip()
            if not s or _PAGE_NO.match(raw):
                gap, aims_open = True, False
                if prose and not seen_list and not ws.intro:
                    ws.intro.append(_join(prose))
                prose = []
                i += 1
                continue
            head_block = " ".join(x.strip() for x in lines[i:min(i + 3, end)])
            if (all(w.search(head_block) for w in _TABLE_HEAD_WORDS)
                    and _TABLE_HEAD.search(head_block) and not _GLYPH.match(raw)
                    and not (_ACHIEVED.match(s) or _PLANNED.match(s) or _AIMS.match(s))):
                flush(cur)
                flush(pending)
                cur = pending = None
                i = max(self.table(ws, i, end), i + 1)  # always move on
                mode, seen_list, gap = None, True, True
                continue
            if _ACHIEVED.match(s) or _PLANNED.match(s):
                flush(cur)
                flush(pending)
                cur = pending = None
                mode = "achieved" if _ACHIEVED.match(s) else "planned"
                self.res.structural()
                last_prose = ""
                seen_list, aims_open, after_aims, gap = True, False, False, False
                i += 1
                continue
            if _AIMS.match(s):
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
            if aims_open and not gap and not raw[:1].isspace() and not _GLYPH.match(raw):
                ws.aims[-1] = _join([ws.aims[-1], s])
                i += 1
                continue
            roman = _ROMAN.match(raw)
            if roman and mode is None:
                flush(cur)
                cur = None
                ws.themes.append(roman.group("t").strip())
                self.res.loaded(PriorityRecord(self.strategy, (*ws.path, PriorityRef(
                    "theme", roman.group("t").strip())), self.src(i + 1)))
                gap = False
                i += 1
                continue
            bm = _GLYPH.match(raw) or (_INDENT.match(raw) if mode or cur or pending else None)
            themes = mode is None and bool(last_prose and _THEMES_INTRO.search(last_prose))
            if bm is None and mode is None and (seen_list or themes):
                bm = _INDENT.match(raw)
            if bm:
                text = bm.group("t")
                lower = text[:1].islower()
                if pending is not None and lower and not pending.terminated():
                    cur, pending = pending, None
                    cur.lines.append(i + 1)
                    cur.parts.append(text)
                elif cur is not None and not gap and not _GLYPH.match(raw) and (
                        _GLYPH.match(lines[cur.lines[0] - 1])  # hanging indent under a "-" bullet
                        or (lower and not cur.terminated()
                            and lines[cur.lines[-1] - 1].endswith((" ", "\t")))):
                    # an indented lower-case line right after a line the export wrapped
                    # (it kept the trailing space) continues that bullet
                    cur.lines.append(i + 1)
                    cur.parts.append(text)
                else:
                    flush(cur)
                    flush(pending)
                    pending = None
                    cur = _Bullet([i + 1], [text], "theme" if themes else mode)
                prose = prose if cur.mode == "theme" else []
                gap = aims_open = after_aims = False
                i += 1
                continue
            # Prose: continues a bullet, or a second aims paragraph, or intro / context.
            if cur is not None and (not gap or not cur.terminated() or s[:1].islower()):
                cur.lines.append(i + 1)
                cur.parts.append(s)
            elif after_aims and gap and cur is None:
                ws.aims[-1] = _join([ws.aims[-1], s])  # a second paragraph of the aims box
                aims_open = True
            else:
                flush(cur)
                cur = None
                if gap:
                    if prose and not seen_list and not ws.intro:
                        ws.intro.append(_join(prose))
                    prose = []
                prose.append(s)
                last_prose = s
            gap = False
            i += 1
        flush(cur)
        flush(pending)

    def bullet(self, ws: _Workstream, b: _Bullet) -> None:
        text, src = b.text, self.src(b.lines[0], b.lines[-1])
        if b.mode == "theme":
            name = text.split(":")[0].strip() if ":" in text[:80] else text
            ws.themes.append(name)
            self.res.loaded(PriorityRecord(self.strategy, (*ws.path, PriorityRef("theme", name)),
                                           src, {"text": text}))
            return
        if b.mode is None:
            ws.notes.append(text)
            self.res.loaded()  # kept in the workstream's props.notes
            return
        achieved = b.mode == "achieved"
        due, due_date = parse_due(text) if not achieved else (None, None)
        aligned = self.alignments(text)
        props: dict[str, Any] = {}
        if aligned:
            props["aligns_with"] = [p for p, _ in aligned]
        records: list[Any] = [ActionRecord(
            self.strategy, ws.path, text, src, level="achievement" if achieved else "objective",
            status="achieved" if achieved else "planned", due=due, due_date=due_date, props=props)]
        records += [ReferenceRecord(self.strategy, prog, src, relation="ALIGNS_WITH", path=ws.path,
                                    action_text=text, evidence=sent) for prog, sent in aligned]
        self.res.loaded(*records)

    # ------------------------------------------------------------ objective table
    def table(self, ws: _Workstream, i: int, end: int) -> int:
        """Objective / specific action / progress table; returns the index after it."""
        lines = self.doc.lines
        blocks: list[list[int]] = []  # runs of non-blank line indexes
        j = i
        while j < end:
            s = lines[j].strip()
            if s and (_ACHIEVED.match(s) or _PLANNED.match(s) or _HEADING.match(lines[j])):
                break
            if not s or _PAGE_NO.match(lines[j]):
                j += 1
                continue
            run = []
            while j < end and lines[j].strip() and not _PAGE_NO.match(lines[j]):
                if run and (_ACHIEVED.match(lines[j].strip()) or _PLANNED.match(lines[j].strip())):
                    break
                run.append(j)
                j += 1
            blocks.append(run)
        head_w = 0
        kinds: list[str] = []
        k = 0
        while k < len(blocks):
            text = " ".join(lines[x].strip() for x in blocks[k])
            if _TABLE_HEAD.search(text) and len(blocks[k]) <= 4:
                head_w = max(head_w, max(len(lines[x].strip()) for x in blocks[k][:-1] or blocks[k]))
                kinds.append("head")
            elif _AIMS.match(lines[blocks[k][0]].strip()):
                kinds.append("aims")
            elif re.match(r"^\d{1,2}\.\s+\S", lines[blocks[k][0]].strip()) and (
                    not head_w or len(lines[blocks[k][0]].strip()) <= head_w + 2):
                kinds.append("objective")
                # the objective cell wraps over short lines, often split by blank lines
                while (k + 1 < len(blocks) and not re.match(r"^\d{1,2}\.\s", lines[blocks[k + 1][0]].strip())
                       and max(len(lines[x].strip()) for x in blocks[k + 1]) <= (head_w or 22) + 2):
                    blocks[k] = blocks[k] + blocks.pop(k + 1)
            else:
                kinds.append("cell")
            k += 1
        widths = sorted({max(len(lines[x].strip()) for x in b) for b, kd in zip(blocks, kinds, strict=True)
                         if kd == "cell"})
        gaps = [(widths[n + 1] - widths[n], n) for n in range(len(widths) - 1)]
        cut = None
        if gaps and max(gaps)[0] >= 4:
            n = max(gaps)[1]
            cut = (widths[n] + widths[n + 1]) / 2
        objective: PriorityRef | None = None
        action: list[int] | None = None
        parity = 0

        def emit(act: list[int], prog: list[int] | None) -> None:
            a_text = _join([lines[x] for x in act])
            p_text = _join([lines[x] for x in prog]) if prog else None
            due, due_date = parse_due(p_text or "")
            if due is None:
                due, due_date = parse_due(a_text)
            path = (*ws.path, objective) if objective else ws.path
            last = (prog or act)[-1] + 1
            props: dict[str, Any] = {"progress": p_text} if p_text else {}
            aligned = self.alignments(a_text)
            if aligned:
                props["aligns_with"] = [p for p, _ in aligned]
            self.res.loaded(ActionRecord(self.strategy, path, a_text, self.src(act[0] + 1, last),
                                         level="action", status="open", due=due,
                                         due_date=due_date, props=props),
                            *(ReferenceRecord(self.strategy, p, self.src(act[0] + 1, last),
                                              relation="ALIGNS_WITH", path=ws.path,
                                              action_text=a_text, evidence=s) for p, s in aligned))

        for b, kd in zip(blocks, kinds, strict=True):
            if kd == "head":
                self.res.structural()
            elif kd == "aims":
                ws.aims.append(_join([lines[x] for x in b]))
            elif kd == "objective":
                if action is not None:
                    emit(action, None)
                action, parity = None, 0
                name = _join([lines[x] for x in b])
                objective = PriorityRef("objective", name)
                self.res.loaded(PriorityRecord(self.strategy, (*ws.path, objective),
                                               self.src(b[0] + 1, b[-1] + 1)))
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
                    self.res.reject(b[0] + 1, "progress cell with no specific action before it",
                                    lines[b[0]])
        if action is not None:
            emit(action, None)
        return j

    # ------------------------------------------------------------ RAG
    def rag(self, streams: list[_Workstream]) -> None:
        """RAG ratings from sentences ("... amber RAG rating – note X is rated as green")."""
        for para in self.index.paragraphs:
            if not re.search(r"\bRAG\b|\brated (?:as )?" + _RAG_WORD, para.text, re.I):
                continue
            for sent in re.split(r"(?<=[.!?])\s+(?=[A-Z])|\t", para.text):
                base = re.search(r"\b(?P<scope>all|most|the remaining|other|each|every)\b[^.]*?"
                                 r"\bwork\s?streams?\b[^.]*?\b(?P<rag>" + _RAG_WORD + r")\b", sent, re.I)
                if base is None:
                    base = re.search(r"\b(?P<rag>" + _RAG_WORD + r")(?:\s+RAG)\b", sent, re.I)
                    if base and not re.search(r"\bwork\s?streams?\b", sent, re.I):
                        base = None
                named: dict[int, str] = {}
                for ex in _RAG_NAMED.finditer(sent):
                    hits = self._match_stream(ex.group("name"), streams)
                    if len(hits) == 1:
                        named[hits[0]] = ex.group("rag").lower()
                    else:
                        self.res.warn(para.line_at(ex.start()), "ambiguous-rag",
                                      f"RAG rating for {ex.group('name')!r} matches "
                                      f"{len(hits)} workstreams; not applied")
                if base is None and not named:
                    if re.search(_RAG_WORD, sent, re.I) and re.search(r"\bRAG\b", sent):
                        self.res.warn(para.line_at(para.text.find(sent)), "ambiguous-rag",
                                      f"RAG sentence not understood: {sent[:120]!r}")
                    continue
                for n, ws in enumerate(streams):
                    value = named.get(n) or (base.group("rag").lower() if base else None)
                    if value:
                        ws.rag, ws.rag_evidence = value, sent

    def rag_table(self, streams: list[_Workstream]) -> None:
        """Rows "<workstream>  <RAG word>" under a header row that names RAG."""
        lines = self.doc.lines
        i = 0
        while i < len(lines):
            if not _RAG_HEAD_WORD.search(lines[i]):
                i += 1  # no cell of this line can be a RAG / Status column name
                continue
            cells = [c for c in _RAG_CELLS.split(lines[i].strip()) if c.strip()]
            if len(cells) >= 2 and any(_RAG_HEAD.fullmatch(c.strip()) for c in cells):
                self.res.structural()
                i += 1
                while i < len(lines) and lines[i].strip():
                    row = [c.strip() for c in _RAG_CELLS.split(lines[i].strip()) if c.strip()]
                    rag = next((c.lower() for c in row if re.fullmatch(_RAG_WORD, c, re.I)), None)
                    hits = sorted({h for c in row for h in self._match_stream(c, streams)})
                    if rag and len(hits) == 1:
                        streams[hits[0]].rag, streams[hits[0]].rag_evidence = rag, lines[i].strip()
                        self.res.loaded()  # applied to the workstream's props.rag
                    else:
                        self.res.reject(i + 1, "RAG row names no single workstream or no RAG word",
                                        lines[i])
                    i += 1
            i += 1

    @staticmethod
    def _match_stream(name: str, streams: list[_Workstream]) -> list[int]:
        key = re.match(r"^\s*Work\s?stream\s+(\w{1,2})\b", name, re.I)
        if key:
            return [n for n, ws in enumerate(streams) if ws.key.casefold() == key.group(1).casefold()]
        words = {w.casefold() for w in re.findall(r"[A-Za-z]+", name)} - {"the", "and", "of"}
        if not words:
            return []
        return [n for n, ws in enumerate(streams)
                if words <= {w.casefold() for w in re.findall(r"[A-Za-z]+", ws.title)}]


def _reassign_aims(streams: list[_Workstream], res: LoadResult) -> None:
    """A PDF export can push a workstream's aims box into the next section: when one
    section holds two aims paragraphs and the one before holds none, give it the first."""
    for prev, ws in pairwise(streams):
        if len(ws.aims) >= 2 and not prev.aims and not prev.notes:
            prev.aims.append(ws.aims.pop(0))
            res.warn(ws.first, "aims-reassigned",
                     f"workstream {ws.key} has two aims paragraphs and workstream {prev.key} "
                     "none; the first was given to workstream " + prev.key)


def load(doc: TextDocument) -> LoadResult:
    """Workstreams, their achievements, objectives, table actions, RAG and alignments."""
    res = LoadResult(doc.name, "workstreams")
    streams = _find_workstreams(doc.lines)
    if not streams:
        return res
    ld = _Loader(doc, res)
    for ws in streams:
        ld.section(ws)
    _reassign_aims(streams, res)
    ld.rag(streams)
    ld.rag_table(streams)
    # The review itself, and the strategy it reviews (named in its title).
    title_names = [m for m in find_names(ld.strategy, ld.index.borough) if not is_noise(m.bare)]
    head: list[Any] = [StrategyRecord(ld.strategy, ld.src(ld.subject_line), {"kind": "review"})]
    if title_names and ld.index.canonical(title_names[0]).casefold() != ld.strategy.casefold():
        reviewed = ld.index.canonical(title_names[0])
        head.append(ReferenceRecord(ld.strategy, reviewed, ld.src(ld.subject_line),
                                    evidence=ld.strategy))
    res.loaded(*head)
    for ws in streams:
        props: dict[str, Any] = {"number": int(ws.key) if ws.key.isdigit() else ws.key,
                                 "label": f"Workstream {ws.key}"}
        for key in ("aims", "intro"):
            if getattr(ws, key):
                props[key] = " ".join(getattr(ws, key))
        for key in ("themes", "notes"):
            if getattr(ws, key):
                props[key] = list(getattr(ws, key))
        if ws.rag:
            props["rag"], props["rag_evidence"] = ws.rag, ws.rag_evidence
        src = ld.src(ws.first, ws.last)
        refs = [ReferenceRecord(ld.strategy, prog, src, relation="ALIGNS_WITH", path=ws.path,
                                evidence=sent) for prog, sent in ld.alignments(props.get("aims", ""))]
        res.loaded(PriorityRecord(ld.strategy, ws.path, src, props), *refs)
    return res
