"""Statements about bodies in running text: inline definitions ("Northshire Hospitals NHS
Trust (NHT)") and membership statements ("The Northshire Partnership includes Northshire
CCG, NHT and ...", "Membership of the WS DAP includes ... representatives from Sussex
Police, ...").

Definitions become glossary records (the abbreviation is an alias of the body it defines);
a membership statement becomes a `StrategyRecord` of its programme or partnership with
``props.members`` (the names as written) and the sentence as evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from graphmodel.schema import GlossaryRecord, LoadResult, Record, Source, StrategyRecord

from .bodies import split_bodies
from .name_index import Paragraph, name_index
from .text import TextDocument

_SMALL = frozenset({"and", "of", "for", "the", "&", "on", "in", "to"})
_DEFINED = re.compile(
    r"\b((?:[A-Z][\w'’&.-]*)(?:\s+(?:of|and|for|the|&|on|[A-Z][\w'’&.-]*)){0,8})"
    r"\s+\(([A-Z][A-Za-z&]{0,9}(?:\s[A-Z][A-Za-z&]{1,9})?)\)"
)


_BULLET_ITEM = re.compile(r"^\s*(?:[-•*·]|\d+[.)])\s*$")


def _initials_match(words: list[str], abbr: str) -> int | None:
    """Index of the word from which ``words`` spell ``abbr`` (its capitals, in order, as
    initials; small words and extra words such as "NHS" may be skipped), else None."""
    letters = [c for c in abbr if c.isupper()]
    if len(letters) < 2:
        return None
    for start in range(len(words) - 1, -1, -1):  # the shortest name that spells it
        if words[start][:1] != letters[0]:
            continue
        i = 0
        for w in words[start:]:
            if w.casefold() in _SMALL:
                continue
            if i < len(letters) and w[:1].upper() == letters[i]:
                i += 1
        if i == len(letters) and words[-1][:1].isupper() and words[start].casefold() not in _SMALL:
            return start
    return None


def definitions(para: Paragraph, document: str) -> list[GlossaryRecord]:
    """Inline definitions "Full Name (ABBR)" in a paragraph whose initials spell ABBR."""
    out: list[GlossaryRecord] = []
    if "(" not in para.text:
        return out
    for m in _DEFINED.finditer(para.text):
        offsets = [o for o, _ in para.starts]
        i = bisect_right(offsets, m.start(1)) - 1
        line_start = offsets[max(i, 0)]
        line_end = offsets[i + 1] if i + 1 < len(offsets) else len(para.text)
        if _BULLET_ITEM.match(para.text[line_start : m.start(1)]) and not para.text[m.end() : line_end].strip(
            " .;"
        ):
            continue  # a Key-list bullet "- Full Name (ABBR)": the glossary loader's
        words = m.group(1).split()
        start = _initials_match(words, m.group(2))
        if start is None:
            continue
        expansion = " ".join(words[start:])
        if len(expansion.split()) < 2:
            continue
        line = para.line_at(m.start(1))
        out.append(GlossaryRecord(m.group(2), expansion, Source(document, line, para.line_at(m.end() - 1))))
    return out


_NAME = r"[A-Z][\w&’'-]*(?:\s+(?:and\s+|&\s+|of\s+)?[A-Z][\w&’'-]*){0,7}"
_MEMBERSHIP = re.compile(
    rf"(?:\b(?:Membership|Members) of (?:the )?(?P<s1>{_NAME})|(?:^|(?<=[.:;!?]\s))(?P<s2>{_NAME}))"
    r"\s+(?:(?:initially|currently|now|will)\s+)?(?:includes?|comprises?|consists of|is made up of)"
    r"(?:,?\s*but is not limited to,?)?"
    r"(?:\s+(?:representatives|members|partners)\s+(?:from|of))?[:\s]+(?P<list>[^.;]+?)\.(?=\s|$)"
)
#: Words that end the name of something that has members.
_GROUP_HEADS = re.compile(
    r"\b(?:Partnership|Programme|Board|Alliance|Network|Collaborative|Forum|Group|System|"
    r"Committee|Panel|Consortium)$"
)


def memberships(para: Paragraph, document: str) -> list[StrategyRecord]:
    """Membership statements in a paragraph, as `StrategyRecord` s with members."""
    out: list[StrategyRecord] = []
    if not any(w in para.text for w in ("include", "comprise", "consists of", "made up of")):
        return out
    for m in _MEMBERSHIP.finditer(para.text):
        subject = (m.group("s1") or m.group("s2") or "").strip()
        subject = re.sub(r"^(?:The|This|Our)\s+", "", subject)
        is_abbr = (
            bool(re.fullmatch(r"[A-Z][A-Za-z&]{0,9}(?:\s[A-Z][A-Za-z&]{1,9})?", subject))
            and sum(c.isupper() for c in subject) >= 2
        )
        if not subject or not (m.group("s1") or is_abbr or _GROUP_HEADS.search(subject)):
            continue
        names = _members(m.group("list"))
        if len(names) < 2:
            continue
        line = para.line_at(m.start())
        sentence = " ".join(para.text[m.start() : m.end()].split())
        src = Source(document, line, para.line_at(m.end() - 1))
        out.append(StrategyRecord(subject, src, {"members": names, "members_evidence": sentence}))
    return out


def _members(text: str) -> list[str]:
    """The bodies a membership list names: capitalised names or abbreviations; a name with a
    body in brackets is that body ("Primary Care (GP Federations)" -> "GP Federations")."""
    inner = {}

    def keep_inner(m: re.Match[str]) -> str:
        outer, bracket = m.group(1), m.group(2).strip()
        if len(bracket.split()) >= 2 and bracket[:1].isupper():
            inner[bracket] = outer
            return bracket
        return m.group(0)

    text = re.sub(r"([A-Z][\w’' ]*?)\s*\(([^()]+)\)", keep_inner, text)
    leads, supports = split_bodies(text)
    names = []
    for n in [*leads, *supports]:
        n = re.sub(r"^(?:the|local)\s+", "", n.strip(), flags=re.I)
        if n[:1].isupper() and n not in names:
            names.append(n)
    return names


def statements(paragraphs: list[Paragraph], document: str) -> list[Record]:
    """Definitions and membership statements of a document's paragraphs, in text order."""
    out: list[Record] = []
    for para in paragraphs:
        out.extend(definitions(para, document))
        out.extend(memberships(para, document))
    return out


def load(doc: TextDocument) -> LoadResult:
    """Definitions and membership statements of ``doc``. Accounting: each statement found
    is a row loaded (lines without one are not rows)."""
    res = LoadResult(doc.name, "statements")
    for rec in statements(name_index(doc).paragraphs, doc.name):
        res.loaded(rec)
    return res
