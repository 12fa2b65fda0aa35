"""A document read for names: its borough, its paragraphs, every name in them, its subject.

Built once per document (`name_index`) and shared by the loaders that read names
(`loaders.references`, `loaders.workstreams`). A paragraph is a run of lines joined into
one text, continued over a page break when a sentence runs on, so a name wrapped over
lines is still one name.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .names import NameMatch, find_names
from .text import TextDocument


@dataclass(slots=True)
class Paragraph:
    """Lines joined into one text, with the line number of every character offset."""

    text: str
    starts: list[tuple[int, int]] = field(default_factory=list)  # (offset, line number)

    def line_at(self, offset: int) -> int:
        """The line number of the character at ``offset`` (the first line's before it)."""
        i = bisect_right(self.starts, offset, key=lambda s: s[0])
        return self.starts[max(i - 1, 0)][1]


_BOROUGH_OF = re.compile(
    r"\b([A-Z][a-z]{3,})(?:’s|'s)? (?:Council|CCG|Clinical Commissioning|"
    r"Borough)\b|London Borough of ([A-Z][a-z]{3,})"
)
_POSSESSIVE_WORD = re.compile(r"\b([A-Z][a-z]{3,})(?:’s|'s) [A-Z]")


def _has_borough_word(text: str) -> bool:
    """Whether ``text`` holds a word `_BOROUGH_OF` needs."""
    return "Council" in text or "CCG" in text or "Clinical Commissioning" in text or "Borough" in text


def detect_borough(lines: Sequence[str]) -> str | None:
    """The borough a paper is about: the word most often before Council / CCG / Borough."""
    counts: Counter[str] = Counter()
    for line in lines:
        # Each pattern only where the words it needs are (most lines have none), and only
        # in those cells of a table row: neither pattern matches across a tab.
        named = _has_borough_word(line)
        possessive = "’s " in line or "'s " in line
        if not (named or possessive):
            continue
        cells = line.split("\t")
        if named:
            for cell in cells:
                if _has_borough_word(cell):
                    for m in _BOROUGH_OF.finditer(cell):
                        counts[m.group(1) or m.group(2)] += 2
        if possessive:
            for cell in cells:
                if "’s " in cell or "'s " in cell:
                    for m in _POSSESSIVE_WORD.finditer(cell):
                        counts[m.group(1)] += 1
    for word in (
        "County",
        "City",
        "District",
        "Town",
        "Parish",
        "The",
        "Wide",
        "Joint",
        "Mayor",
        "Council",
        "People",
        "Government",
        "England",
        "Board",
        "Committee",
    ):
        counts.pop(word, None)
    if not counts:
        return None
    word, n = counts.most_common(1)[0]
    return word if n >= 2 else None


class NameIndex:
    """Every name occurrence in a document, to decide borough prefixes document-wide."""

    def __init__(self, doc: TextDocument) -> None:
        self.borough = detect_borough(doc.lines)
        self.paragraphs = paragraphs(doc.lines)
        self.matches: list[tuple[Paragraph, NameMatch]] = [
            (p, m) for p in self.paragraphs for m in find_names(p.text, self.borough)
        ]
        # Bare names used for a qualified document without the borough ("Five Year
        # Forward View for Mental Health"): a borough's own one keeps its prefix.
        self._national = {
            m.bare.casefold() for _, m in self.matches if m.borough is None and (m.owner or m.qualifier)
        }

    def canonical(self, m: NameMatch) -> str:
        """The name the graph uses for ``m``."""
        if m.borough and m.bare.casefold() in self._national:
            return f"{m.borough} {m.bare}"
        return m.bare

    def props(self, m: NameMatch) -> dict[str, object]:
        out: dict[str, object] = {}
        for key in ("borough", "owner", "years", "qualifier"):
            value = getattr(m, key)
            if value:
                out[key] = value
        return out


_last_index: tuple[TextDocument, NameIndex] | None = None


def name_index(doc: TextDocument) -> NameIndex:
    """`NameIndex` of ``doc``, built once for the loaders that read it in turn (a document
    and its index are not changed after they are made)."""
    global _last_index
    if _last_index is None or _last_index[0] is not doc:
        _last_index = (doc, NameIndex(doc))  # holding ``doc`` keeps its id from being reused
    return _last_index[1]


def _mid_sentence(line: str) -> bool:
    """A (non-blank) line that reads as the rest of a sentence begun above."""
    first = line.split()[0]
    return (
        first[:1].islower() or first.endswith(",") or (len(line.split()) <= 3 and line.rstrip().endswith("."))
    )


def paragraphs(lines: Sequence[str]) -> list[Paragraph]:
    """Runs of lines as texts; a paragraph continues over blank lines when its last
    line ends mid-sentence and the next line is flush-left prose (PDF page flow)."""
    out: list[Paragraph] = []
    cur: Paragraph | None = None
    # The current paragraph's text is kept as parts (joined at its end) and its last
    # 200 characters: appending to one string per line was quadratic in a long table.
    parts: list[str] = []
    size = 0
    tail = ""
    gap = False

    def finish() -> None:
        if cur is not None:
            cur.text = "".join(parts)

    for n, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not line.strip():
            gap = True
            continue
        # the text ends with a stripped line, so "ends a sentence" is its last character
        joinable = cur is not None and (
            not gap
            or (
                tail[-1:] not in ".:;!?"
                and not line[:1].isspace()
                and "\t" not in line
                and _mid_sentence(line)
            )
        )
        if not joinable:
            finish()
            cur = Paragraph("", [])
            out.append(cur)
            parts, size, tail = [], 0, ""
        assert cur is not None
        sep = ""
        if size:
            if "\t" in line or "\t" in tail:
                sep = "\t"  # table rows: a cell never runs on into the next row
            elif tail.endswith("-") and tail[-2:-1].isalpha() and line.strip()[:1].islower():
                pass  # hyphenated word broken over lines
            else:
                sep = " "
        text = line.strip()
        cur.starts.append((size + len(sep), n))
        parts += [sep, text]
        size += len(sep) + len(text)
        tail = (tail + sep + text)[-200:]
        gap = False
    finish()
    return out


_TITLE_LABEL = re.compile(r"^\s*(?:report title|title|subject)\s*:\s*(?P<t>.*)$", re.I)
_NEXT_LABEL = re.compile(r"^\s*[A-Z][\w() /&-]{0,40}:\s")


def report_title(lines: Sequence[str]) -> tuple[str, int, int] | None:
    """The text of a "Report title:" block near the top, with its first and last line."""
    for i, line in enumerate(lines[:120]):
        m = _TITLE_LABEL.match(line)
        if not m:
            continue
        parts, j = [m.group("t").strip()], i + 1
        while j < len(lines) and lines[j].strip() and not _NEXT_LABEL.match(lines[j]):
            parts.append(lines[j].strip())
            j += 1
        title = " ".join(" ".join(parts).split()).strip("* ")
        if title:
            return title, i + 1, j
    return None


def document_subject(doc: TextDocument) -> tuple[str, int]:
    """What a document is about: its report title, else its first substantial line."""
    found = report_title(doc.lines)
    if found:
        return found[0], found[1]
    for n, line in enumerate(doc.lines, start=1):
        text = " ".join(line.replace("*", " ").split())
        if len(re.findall(r"[A-Za-z]{2,}", text)) >= 2 and len(text) <= 120:
            return text, n
    return doc.name, 1
