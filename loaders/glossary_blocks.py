"""Glossaries over blocks, in every shape councils print them.

- ``ABBR: Expansion``, ``ABBR – Expansion``, ``ABBR = Expansion``, ``Expansion (ABBR)``
  as list items or lines under a glossary heading;
- a two-column table (Abbreviation / Definition, Term / Meaning, Key, Jargon buster);
- the key on one line and its expansion on the next;
- inline definitions anywhere: "Combating Drugs Partnership (CDP)" (the letters of the
  key must be the initials of the words before it).

Keys are kept as printed: ``A&E``, ``KS1/2``, ``ELSA's``, ``EHC Plan or EHCP``. A term
already defined (by the legacy glossary loader or earlier in the document) is not defined
again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from graphmodel.schema import GlossaryRecord, LoadResult

from .block_context import Context, Unit
from .readers.model import Block, BlockKind, DocumentModel
from .readers.text import clean

_NAME_WORDS = frozenset(
    "glossary abbreviations abbreviation acronyms acronym key jargon buster definitions terminology".split()
)
_FILLER = frozenset(
    "and of to used in this report document terms list the a & key help understand explained words phrases "
    "common what do they mean means a-z z".split()
)
_HEADER_WORDS = re.compile(
    r"^(?:abbreviations?|acronyms?|terms?|key|jargon(?: buster)?|short ?form|abbr\.?|word|phrase|"
    r"definitions?|meaning|stands for|full (?:name|title|form)|expansion|description|explanation|"
    r"what it means)$",
    re.I,
)
_PAIRS = (
    re.compile(r"^(?P<key>[^:=–—]{1,30}?)\s*[:=]\s+(?P<exp>\S.*)$"),
    re.compile(r"^(?P<key>\S[^–—]{0,28}?)\s+[–—-]\s+(?P<exp>\S.*)$"),
    re.compile(r"^(?P<exp>[A-Za-z].{2,}?)\s*\((?P<key>[^()]{1,15})\)\s*[.;,]?$"),
)
_CAPS_RUN = re.compile(r"[A-Z][A-Za-z&/]*[A-Z]|[A-Z]+\d|\d+[A-Z]|[A-Z]&[A-Z]|[A-Z]+/\d")
_INLINE = re.compile(r"\(([A-Z][A-Za-z&/'’. ]{0,10}[A-Za-z])\)")
_STOP = frozenset("and of for the in on to & with at by".split())


def is_glossary_heading(text: str) -> bool:
    """ "Glossary", "Abbreviations used in this report", "Key", "Jargon buster" (not
    "Key achievements": every word is a glossary or filler word)."""
    words = re.findall(r"[a-z&]+", re.sub(r"^\s*\d+(?:\.\d+)*\.?\s*", "", text.lower()))
    return (
        bool(words)
        and len(words) <= 6
        and bool(set(words) & _NAME_WORDS)
        and set(words) <= _NAME_WORDS | _FILLER
    )


def is_key(text: str) -> bool:
    """A glossary key: short, with a run of capitals ("EHCP", "A&E", "KS1/2", "ELSA's")."""
    return 0 < len(text) <= 30 and len(text.split()) <= 5 and bool(_CAPS_RUN.search(text))


def _term(text: str) -> bool:
    """A defined term under a glossary heading may be a plain word ("Recovery: …")."""
    return is_key(text) or (0 < len(text) <= 40 and len(text.split()) <= 4 and text[:1].isupper())


def split_pair(text: str, *, terms: bool = False) -> tuple[str, str] | None:
    """(key, expansion) of one glossary entry in any of the shapes above; with ``terms``
    (inside a glossary) a plain capitalised term may stand before ":" or a dash."""
    text = clean(text).strip(" •-*")
    for rx in _PAIRS:
        m = rx.match(text)
        ok = _term if terms and rx is not _PAIRS[2] else is_key
        if m and ok(m["key"].strip()) and len(m["exp"].strip()) >= 3:
            key, exp = m["key"].strip(), m["exp"].strip().rstrip(";,")
            if rx is _PAIRS[2] and (len(exp.split()) < 2 or is_key(exp)):
                continue  # "ASC (ASD)" is a key with its alternative, not a definition
            if rx is _PAIRS[2] or not is_key(exp) or len(exp.split()) > 1:
                return key, exp
    return None


def _add(ctx: Context, res: LoadResult, key: str, exp: str, line: int, category: str | None = None) -> bool:
    """Record ``key`` = ``exp`` unless the key is defined already; True when recorded."""
    if key.lower() in ctx.known_terms:
        res.structural()  # defined already (legacy glossary or earlier here)
        return False
    ctx.known_terms.add(key.lower())
    res.loaded(GlossaryRecord(key, exp, ctx.doc.source(line), category))
    return True


# ----------------------------------------------------------------------------- tables


def is_glossary_table(block: Block, heading: str) -> bool:
    """Two filled columns, headed by glossary words or under a glossary heading."""
    width = max((sum(1 for c in r if c.text) for r in block.rows), default=0)
    if width != 2 or len(block.header_texts()) > 2:
        return False
    header = [h for h in block.header_texts() if h]
    named = bool(header) and all(_HEADER_WORDS.match(h) for h in header)
    return named or is_glossary_heading(heading)


def read_table(block: Block, ctx: Context, res: LoadResult) -> None:
    """Each row: first filled cell the term, second its expansion."""
    rows = list(block.rows)
    header = [h for h in block.header_texts() if h]
    if header and not all(_HEADER_WORDS.match(h) for h in header):
        rows.insert(0, block.header[0])  # the "header" was the first entry
    else:
        res.structural()
    for row in rows:
        cells = [c for c in row if c.text.strip()]
        if len(cells) < 2:
            res.reject(
                row[0].line_start,
                "glossary row without a term and an expansion",
                " ".join(c.text for c in row),
            )
            continue
        key, exp = clean(cells[0].text), clean(" ".join(c.text for c in cells[1:]))
        if len(key) > 40:
            res.reject(cells[0].line_start, "first cell too long for a glossary term", key)
            continue
        _add(ctx, res, key, exp, cells[0].line_start)


# ----------------------------------------------------------------------- lists, sections


def is_glossary_list(items: list[Block]) -> bool:
    """At least two items, every one an entry ("ASB: Anti-social behaviour")."""
    return len(items) >= 2 and all(split_pair(b.text) for b in items)


def read_items(unit: Unit, ctx: Context, res: LoadResult) -> None:
    for b in unit.blocks:
        pair = split_pair(b.text)
        if pair is None:
            res.reject(b.line_start, "list item is not 'term: expansion'", b.text)
        else:
            _add(ctx, res, pair[0], pair[1], b.line_start)


def section_end(blocks: list[Block], x: int) -> int:
    """End (exclusive) of the glossary section headed by ``blocks[x]``: the next heading
    as high as it that is not itself a key ("ASB" alone on a line)."""
    level = blocks[x].level
    y = x + 1
    while y < len(blocks):
        b = blocks[y]
        nxt = blocks[y + 1] if y + 1 < len(blocks) else None
        expansion = nxt is not None and nxt.kind is BlockKind.PARAGRAPH and len(nxt.text.split()) <= 20
        if b.kind is BlockKind.HEADING and b.level <= level and not (is_key(b.text) and expansion):
            break
        y += 1
    return y


def read_section(unit: Unit, ctx: Context, res: LoadResult, claimed: Mapping[int, str]) -> None:
    """Tables as tables; every other line either an entry, a key whose expansion is the
    next line, a category heading (a line followed by entries), or a reject."""
    blocks = unit.blocks
    res.structural()  # the glossary heading
    lines: list[int] = []
    for b in blocks[1:]:
        if b.kind is BlockKind.TABLE:
            if not any(n in claimed for n in range(b.line_start, b.line_end + 1)):
                read_table(b, ctx, res)
            continue
        lines += [
            n
            for n in range(b.line_start, b.line_end + 1)
            if n not in claimed and ctx.doc.lines[n - 1].strip()
        ]
    texts = {n: clean(ctx.doc.lines[n - 1]).strip(" •-*▪") for n in lines}
    read_lines(lines, texts, ctx, res)


def is_pairs_paragraph(b: Block, doc: DocumentModel) -> bool:
    """A paragraph of three or more lines, two thirds of them "ABBR – Expansion"."""
    rows = [doc.lines[n - 1] for n in range(b.line_start, b.line_end + 1) if doc.lines[n - 1].strip()]
    return len(rows) >= 3 and sum(1 for r in rows if split_pair(r)) * 3 >= len(rows) * 2


def read_paragraph(unit: Unit, ctx: Context, res: LoadResult) -> None:
    """A paragraph made of glossary lines."""
    b = unit.blocks[0]
    lines = [n for n in range(b.line_start, b.line_end + 1) if ctx.doc.lines[n - 1].strip()]
    read_lines(lines, {n: clean(ctx.doc.lines[n - 1]).strip(" •-*▪") for n in lines}, ctx, res)


def read_lines(lines: list[int], texts: dict[int, str], ctx: Context, res: LoadResult) -> None:
    """Glossary lines in order (see `read_section`); a line that is none of the shapes
    right after an entry continues its expansion (a wrapped line)."""
    category: str | None = None
    last: int | None = None  # index in res.records of the entry the previous line made
    k = 0
    while k < len(lines):
        n = lines[k]
        text = texts[n]
        nxt = texts[lines[k + 1]] if k + 1 < len(lines) else ""
        pair = split_pair(text, terms=True)
        wrapped = last is not None and lines[k - 1] == n - 1 and not is_key(text) and text[:1] not in "•-*"
        if not text:
            k += 1
            continue
        if len(text) <= 3 and not is_key(text):
            res.structural()  # an index letter ("A", "0-9")
            last = None
        elif pair:
            at = len(res.records)
            last = at if _add(ctx, res, pair[0], pair[1], n, category) else None
        elif is_key(text) and nxt and not split_pair(nxt) and not is_key(nxt) and len(nxt.split()) <= 25:
            at = len(res.records)
            last = at if _add(ctx, res, text, nxt, n, category) else None
            res.structural()  # the expansion's line
            k += 1
        elif wrapped and last is not None and len(text.split()) <= 8:
            rec = res.records[last]
            if isinstance(rec, GlossaryRecord):  # always: `_add` recorded one at `last`
                res.records[last] = replace(rec, expansion=f"{rec.expansion} {text}")
            res.structural()
        elif nxt and split_pair(nxt) and len(text.split()) <= 6:
            category = text
            last = None
            res.structural()
        else:
            res.reject(n, "not a glossary entry", text)
            last = None
        k += 1


# -------------------------------------------------------------------------------- inline


def _initials_expansion(before: str, key: str) -> str | None:
    """The words just before "(KEY)" whose initials spell KEY (small words may be skipped)."""
    letters = [c.lower() for c in key if c.isupper() or c.isdigit()]
    words = re.findall(r"[\w’'-]+|&", before)[-14:]
    if not letters or len(letters) > 8 or not words:
        return None
    i, need = len(words) - 1, len(letters) - 1
    while i >= 0 and need >= 0:
        w = words[i]
        if w.lower()[0] == letters[need]:
            need -= 1
        elif w.lower() not in _STOP:
            return None
        i -= 1
    if need >= 0:
        return None
    exp = " ".join(words[i + 1 :])
    return exp if len(exp.split()) >= 2 else None


def inline_definitions(
    model: DocumentModel, ctx: Context, res: LoadResult, claimed: Mapping[int, str]
) -> None:
    """ "Full Name (ABBR)" in paragraphs, list items and headings, outside claimed lines."""
    for b in model.blocks:
        if b.kind is BlockKind.TABLE or "(" not in b.text or b.line_start in claimed:
            continue
        for m in _INLINE.finditer(b.text):
            key = m[1].strip()
            if not _CAPS_RUN.search(key) or key.lower() in ctx.known_terms:
                continue
            exp = _initials_expansion(b.text[: m.start()], key)
            exp = exp.strip("’‘'\"") if exp else exp
            if exp:
                ctx.known_terms.add(key.lower())
                res.records.append(GlossaryRecord(key, exp, model.block_source(b), "inline"))
