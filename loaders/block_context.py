"""What the block interpreters share about one document: its strategy names and the
running recommendation number."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphmodel.schema import LoadResult, StrategyRecord

from .readers.model import Block, BlockKind, DocumentModel
from .strategy_plan import fallback_strategy, strategy_title_before
from .text import TextDocument


def _key(name: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", name.lower()))


_BOILERPLATE = re.compile(r"\b(?:skip to (?:main )?content|access keys|cookies?|site map|sign in)\b", re.I)
_URLISH = re.compile(r"^(?:https?://|www\.)?[\w.-]+\.(?:gov|org|nhs|co|com|net)(?:\.uk)?\S*$", re.I)


@dataclass
class Context:
    """Per-document state for the block interpreters."""

    doc: DocumentModel
    known_terms: set[str] = field(default_factory=set)
    known_strategies: set[str] = field(default_factory=set)  # named by the line loaders
    recommendation_count: int = 0
    _text: TextDocument | None = None
    _title: tuple[str, int] | None = None
    _emitted: set[str] = field(default_factory=set)
    _numbers: dict[str, set[int]] = field(default_factory=dict)

    @property
    def text(self) -> TextDocument:
        if self._text is None:
            self._text = TextDocument(self.doc.name, self.doc.lines, self.doc.sha256, self.doc.encoding)
        return self._text

    def title(self) -> tuple[str, int]:
        """The document's own title: the headings it opens with, joined ("West Sussex /
        Drug and Alcohol Partnership / Annual Progress Report"), else its first heading,
        else the file stem. Web-page furniture ("Skip to main content") is passed over."""
        if self._title is None:
            parts: list[str] = []
            first, style = 1, ""
            for b in self.doc.blocks[:15]:
                if _BOILERPLATE.search(b.text) or (
                    b.kind is BlockKind.PARAGRAPH and len(b.text.split()) == 1
                ):
                    continue  # a web address, logo word or navigation line
                same = not parts or b.style == style  # a title is lines of one style
                if b.kind is BlockKind.HEADING and b.style != "numbered" and len(parts) < 6 and same:
                    first, style = (first, style) if parts else (b.line_start, b.style)
                    parts.append(b.text)
                elif parts:
                    break
            title = " ".join(parts).strip()
            if not title or len(title.split()) > 20 or _URLISH.match(title):
                title, first = fallback_strategy(self.text), 1
            self._title = (title, first)
        return self._title

    def number(self, strategy: str, printed: str) -> int:
        """A recommendation's number: as printed when it is a whole number not used yet
        in ``strategy``, else its running position in the document (1, 2, ...)."""
        self.recommendation_count += 1
        used = self._numbers.setdefault(strategy, set())
        n = int(printed) if printed.isdigit() and int(printed) not in used else self.recommendation_count
        while n in used:
            n += 1
        used.add(n)
        return n

    def strategy(self, line: int, res: LoadResult) -> str:
        """The strategy a block at ``line`` belongs to: the nearest plan title above it
        (as the line loaders named it, when they did), else the document's title; its
        `StrategyRecord` is emitted once."""
        found = strategy_title_before(self.text, line)
        name, at = found if found else self.title()
        # the line loaders may have named it in full ("Knife Crime and Knife Carrying" +
        # "Action Plan 2017 - 2019" on the line below): one strategy, one name
        fuller = sorted((k for k in self.known_strategies if _key(name) in _key(k)), key=len)
        name = fuller[-1] if fuller else name
        if name not in self._emitted:
            self._emitted.add(name)
            res.records.append(StrategyRecord(name, self.doc.source(at), {"kind": "strategy"}))
        return name


@dataclass
class Unit:
    """A table, list or section with what the classifier needs to know about it."""

    unit: str  # table | list | section
    blocks: list[Block]
    headings: tuple[Block, ...] = ()  # the headings above it, outermost first
    lead_in: str = ""
    kind_hint: str = ""  # set by the segmenter for sections it recognised by their shape

    @property
    def start(self) -> int:
        return self.blocks[0].line_start

    @property
    def end(self) -> int:
        return max(b.line_end for b in self.blocks)

    @property
    def heading(self) -> str:
        return self.headings[-1].text if self.headings else ""
