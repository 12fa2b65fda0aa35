"""RAG ratings of workstreams, from sentences or from a workstream / RAG table.

A sentence rates all or most workstreams and may name exceptions ("most workstreams have
an amber RAG rating – note Public Health is rated as green"); a table has a header row
with a RAG / Status cell and one row per workstream. A rating goes to `Workstream.rag`
(with the sentence or row as evidence); a name that matches several workstreams is warned
about, not applied.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from graphmodel.schema import LoadResult

from .name_index import Paragraph
from .workstream_sections import Workstream

_RAG_WORD = r"(?:red|amber|green)"
_RAG_CELLS = re.compile(r"\t|\s{2,}|\|")
_RAG_HEAD = re.compile(r"RAG(?: (?:rating|status))?|Status", re.I)
_RAG_HEAD_WORD = re.compile(r"RAG|Status", re.I)  # in every line _RAG_HEAD names a cell of
_RAG_NAMED = re.compile(
    r"(?P<name>(?:[A-Z][\w&’'-]*\s+)*[A-Z][\w&’'-]*)\s+(?:is|are|was|were)\s+"
    r"(?:rated\s+(?:as\s+)?|at\s+)(?P<rag>" + _RAG_WORD + r")\b"
)


def rag_from_sentences(paragraphs: Sequence[Paragraph], streams: list[Workstream], res: LoadResult) -> None:
    """RAG ratings from sentences ("... amber RAG rating – note X is rated as green")."""
    for para in paragraphs:
        if not re.search(r"\bRAG\b|\brated (?:as )?" + _RAG_WORD, para.text, re.I):
            continue
        for sent in re.split(r"(?<=[.!?])\s+(?=[A-Z])|\t", para.text):
            base = re.search(
                r"\b(?P<scope>all|most|the remaining|other|each|every)\b[^.]*?"
                r"\bwork\s?streams?\b[^.]*?\b(?P<rag>" + _RAG_WORD + r")\b",
                sent,
                re.I,
            )
            if base is None:
                base = re.search(r"\b(?P<rag>" + _RAG_WORD + r")(?:\s+RAG)\b", sent, re.I)
                if base and not re.search(r"\bwork\s?streams?\b", sent, re.I):
                    base = None
            named: dict[int, str] = {}
            for ex in _RAG_NAMED.finditer(sent):
                hits = _match_stream(ex.group("name"), streams)
                if len(hits) == 1:
                    named[hits[0]] = ex.group("rag").lower()
                else:
                    res.warn(
                        para.line_at(ex.start()),
                        "ambiguous-rag",
                        f"RAG rating for {ex.group('name')!r} matches {len(hits)} workstreams; not applied",
                    )
            if base is None and not named:
                if re.search(_RAG_WORD, sent, re.I) and re.search(r"\bRAG\b", sent):
                    res.warn(
                        para.line_at(para.text.find(sent)),
                        "ambiguous-rag",
                        f"RAG sentence not understood: {sent[:120]!r}",
                    )
                continue
            for n, ws in enumerate(streams):
                value = named.get(n) or (base.group("rag").lower() if base else None)
                if value:
                    ws.rag, ws.rag_evidence = value, sent


def rag_from_table(lines: Sequence[str], streams: list[Workstream], res: LoadResult) -> None:
    """Rows "<workstream>  <RAG word>" under a header row that names RAG."""
    i = 0
    while i < len(lines):
        if not _RAG_HEAD_WORD.search(lines[i]):
            i += 1  # no cell of this line can be a RAG / Status column name
            continue
        cells = [c for c in _RAG_CELLS.split(lines[i].strip()) if c.strip()]
        if len(cells) >= 2 and any(_RAG_HEAD.fullmatch(c.strip()) for c in cells):
            res.structural()
            i += 1
            while i < len(lines) and lines[i].strip():
                row = [c.strip() for c in _RAG_CELLS.split(lines[i].strip()) if c.strip()]
                rag = next((c.lower() for c in row if re.fullmatch(_RAG_WORD, c, re.I)), None)
                hits = sorted({h for c in row for h in _match_stream(c, streams)})
                if rag and len(hits) == 1:
                    streams[hits[0]].rag, streams[hits[0]].rag_evidence = rag, lines[i].strip()
                    res.loaded()  # applied to the workstream's props.rag
                else:
                    res.reject(i + 1, "RAG row names no single workstream or no RAG word", lines[i])
                i += 1
        i += 1


def _match_stream(name: str, streams: list[Workstream]) -> list[int]:
    """Indexes of the workstreams ``name`` names: by key ("Workstream 3") or by title words."""
    key = re.match(r"^\s*Work\s?stream\s+(\w{1,2})\b", name, re.I)
    if key:
        return [n for n, ws in enumerate(streams) if ws.key.casefold() == key.group(1).casefold()]
    words = {w.casefold() for w in re.findall(r"[A-Za-z]+", name)} - {"the", "and", "of"}
    if not words:
        return []
    return [
        n
        for n, ws in enumerate(streams)
        if words <= {w.casefold() for w in re.findall(r"[A-Za-z]+", ws.title)}
    ]
