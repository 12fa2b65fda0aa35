"""The graph schema: node and edge kinds, provenance, nodes, edges and loader records.

This module is the contract between stages (see DESIGN.md): loaders emit the
records defined here, the builder turns them into `Node`/`Edge`, stores persist
those, queries read them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

SCHEMA_ID = "partnermap/1"


class NodeKind(StrEnum):
    DOCUMENT = "Document"
    STRATEGY = "Strategy"
    PRIORITY = "Priority"
    ACTION = "Action"
    ORGANISATION = "Organisation"
    SERVICE = "Service"
    RECOMMENDATION = "Recommendation"


class EdgeKind(StrEnum):
    PART_OF = "PART_OF"
    LEADS = "LEADS"
    SUPPORTS = "SUPPORTS"
    RESOURCES = "RESOURCES"
    PROVIDES = "PROVIDES"
    MENTIONS = "MENTIONS"
    ADDRESSES = "ADDRESSES"
    REFERENCES = "REFERENCES"
    ALIGNS_WITH = "ALIGNS_WITH"
    DEPENDS_ON = "DEPENDS_ON"
    DUPLICATES = "DUPLICATES"


N = NodeKind
_BODY = {N.ORGANISATION, N.SERVICE}

#: Which (source kind, target kind) pairs each edge kind may join.
ALLOWED_EDGES: dict[EdgeKind, frozenset[tuple[NodeKind, NodeKind]]] = {
    EdgeKind.PART_OF: frozenset(
        {
            (N.ACTION, N.PRIORITY),
            (N.PRIORITY, N.PRIORITY),
            (N.PRIORITY, N.STRATEGY),
            (N.ACTION, N.STRATEGY),
            (N.RECOMMENDATION, N.STRATEGY),
        }
    ),
    EdgeKind.LEADS: frozenset((b, N.ACTION) for b in _BODY) | frozenset((b, N.PRIORITY) for b in _BODY),
    EdgeKind.SUPPORTS: frozenset((b, N.ACTION) for b in _BODY) | frozenset((b, N.PRIORITY) for b in _BODY),
    EdgeKind.RESOURCES: frozenset((b, N.ACTION) for b in _BODY),
    EdgeKind.PROVIDES: frozenset({(N.ORGANISATION, N.SERVICE), (N.SERVICE, N.SERVICE)}),
    EdgeKind.MENTIONS: frozenset(
        (src, dst)
        for src in (N.ACTION, N.PRIORITY, N.RECOMMENDATION)
        for dst in (N.SERVICE, N.ORGANISATION, N.STRATEGY)
    ),
    EdgeKind.ADDRESSES: frozenset({(N.ACTION, N.RECOMMENDATION), (N.PRIORITY, N.RECOMMENDATION)}),
    EdgeKind.REFERENCES: frozenset({(N.STRATEGY, N.STRATEGY)}),
    EdgeKind.ALIGNS_WITH: frozenset({(N.PRIORITY, N.STRATEGY), (N.ACTION, N.STRATEGY)}),
    EdgeKind.DEPENDS_ON: frozenset(
        {(N.ACTION, N.SERVICE), (N.ACTION, N.ORGANISATION), (N.ACTION, N.ACTION), (N.ACTION, N.STRATEGY)}
    ),
    EdgeKind.DUPLICATES: frozenset({(N.ACTION, N.ACTION)}),
}

#: Edge kinds that are inferred and therefore must carry score, method and evidence.
INFERRED_EDGES = frozenset({EdgeKind.DEPENDS_ON, EdgeKind.DUPLICATES})


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact came from: a document file name and 1-based inclusive lines.

    Lines count the text as the reader extracted it. PDFs add ``page`` (1-based);
    CSV/XLSX count rows and add ``sheet``. Both are left out of the dict when unset,
    so text documents keep the plain three-field form.
    """

    document: str
    line_start: int
    line_end: int
    page: int | None = None
    sheet: str | None = None

    def sort_key(self) -> tuple[str, int, int, int, str]:
        """Order by document, lines, then page and sheet (unset sorts first)."""
        return (self.document, self.line_start, self.line_end, self.page or 0, self.sheet or "")

    def __lt__(self, other: Source) -> bool:
        return self.sort_key() < other.sort_key()

    def __le__(self, other: Source) -> bool:
        return self.sort_key() <= other.sort_key()

    def __gt__(self, other: Source) -> bool:
        return self.sort_key() > other.sort_key()

    def __ge__(self, other: Source) -> bool:
        return self.sort_key() >= other.sort_key()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "document": self.document,
            "line_start": self.line_start,
            "line_end": self.line_end,
        }
        if self.page is not None:
            d["page"] = self.page
        if self.sheet is not None:
            d["sheet"] = self.sheet
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Source:
        page = d.get("page")
        sheet = d.get("sheet")
        return cls(
            str(d["document"]),
            int(d["line_start"]),
            int(d["line_end"]),
            None if page is None else int(page),
            None if sheet is None else str(sheet),
        )

    def cite(self) -> str:
        """Short human citation, e.g. ``002_bf.txt:264-266`` or ``plan.pdf p4:120``."""
        where = self.document
        if self.sheet is not None:
            where += f" [{self.sheet}]"
        if self.page is not None:
            where += f" p{self.page}"
        sep = " " if self.page is not None else ":"
        if self.line_start == self.line_end:
            return f"{where}{sep}{self.line_start}"
        return f"{where}{sep}{self.line_start}-{self.line_end}"


@dataclass(slots=True)
class Node:
    """A node of the graph. ``props`` holds kind-specific fields (see DESIGN.md)."""

    id: str
    kind: NodeKind
    label: str
    source: Source
    props: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": str(self.kind),
            "label": self.label,
            "props": self.props,
            "source": self.source.to_dict(),
        }


@dataclass(slots=True)
class Edge:
    """A directed, typed edge; inferred edges also carry score, method and evidence."""

    source: str
    target: str
    kind: EdgeKind
    source_ref: Source
    props: dict[str, Any] = field(default_factory=dict)
    score: float | None = None
    method: str | None = None
    evidence: str | None = None

    @property
    def key(self) -> str:
        """Edges are unique by (source, target, kind)."""
        return str(self.kind)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "kind": str(self.kind),
            "props": self.props,
            "score": self.score,
            "method": self.method,
            "evidence": self.evidence,
            "source_ref": self.source_ref.to_dict(),
        }


# --------------------------------------------------------------------------- records
# Loaders yield these. They name things by text (strategy title, priority path,
# raw lead names); the builder resolves names to nodes and gives stable ids.


@dataclass(frozen=True, slots=True)
class PriorityRef:
    """One level of a priority path, e.g. ``PriorityRef("priority_area", "Enforcement")``."""

    level: str
    name: str


@dataclass(frozen=True, slots=True)
class StrategyRecord:
    """A strategy, plan, programme or review defined (or only named) by a document."""

    name: str
    source: Source
    props: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class PriorityRecord:
    """A priority / outcome / area / workstream / theme; ``path`` is its ancestry incl. itself."""

    strategy: str
    path: tuple[PriorityRef, ...]
    source: Source
    props: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """One action (row, bullet or split cell) with its raw lead / partner / resource names.

    ``status``: delivery status (planned, achieved, open, RAG word as printed).
    ``level``: the kind of action (sub_objective, achievement, objective, action ...).
    ``due``: raw due text; ``due_date``: ISO date or None.
    """

    strategy: str
    path: tuple[PriorityRef, ...]
    text: str
    source: Source
    level: str = "action"
    status: str = "open"
    leads: tuple[str, ...] = ()
    supports: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    due: str | None = None
    due_date: str | None = None
    props: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class RecommendationRecord:
    """A numbered scrutiny recommendation and where it is said to be picked up."""

    strategy: str  # the strategy / review that answers it
    number: int
    text: str
    source: Source
    label: str = ""  # number as printed, e.g. "3" or "2.1.3"
    status: str | None = None  # e.g. "This has happened"
    references: tuple[str, ...] = ()  # raw "where referenced" items
    props: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class GlossaryRecord:
    """An abbreviation and its expansion, found in a glossary or a "Key" list."""

    abbreviation: str
    expansion: str
    source: Source
    category: str | None = None  # section heading of a Key list, e.g. "Council"


@dataclass(frozen=True, slots=True)
class ReferenceRecord:
    """``strategy`` names ``target`` (another strategy / programme) in its text."""

    strategy: str
    target: str
    source: Source
    relation: str = "REFERENCES"  # or "ALIGNS_WITH"
    path: tuple[PriorityRef, ...] = ()  # set when a priority (not the whole strategy) aligns
    action_text: str | None = None  # set when one action aligns
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class Reject:
    """A row or item read but not turned into a record, and why."""

    document: str
    line: int
    reason: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Warning_:
    """A data-quality finding a commissioner can act on (the row was still loaded)."""

    document: str
    line: int
    kind: str  # e.g. "stale-header", "shifted-cells", "no-lead", "no-date", "ambiguous-alignment"
    message: str


@dataclass(frozen=True, slots=True)
class Decision:
    """What the block classifier did with one table, list or section of a document, and why.

    ``unit``: table, list or section; ``kind``: the interpreter it went to (action plan,
    packed strategy action plan, recommendation list, progress review, priorities,
    glossary, indicators) or "none"; ``records``: how many records it gave.
    """

    document: str
    line_start: int
    line_end: int
    unit: str
    kind: str
    reason: str
    records: int = 0


Record = (
    StrategyRecord | PriorityRecord | ActionRecord | RecommendationRecord | GlossaryRecord | ReferenceRecord
)


@dataclass(slots=True)
class LoadResult:
    """What one loader made of one document.

    Every table row, list item and bullet the loader looks at is counted in
    ``rows_read`` and accounted for exactly once: it yielded records
    (``rows_loaded``), it was structure such as a repeated header or a heading
    (``rows_structural``), or it was rejected with a reason (``rejects``).
    """

    document: str
    loader: str
    records: list[Record] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_structural: int = 0
    decisions: list[Decision] = field(default_factory=list)

    @property
    def rows_accounted(self) -> int:
        return self.rows_loaded + self.rows_structural + len(self.rejects)

    def reject(self, line: int, reason: str, text: str = "") -> None:
        """Count one row read and rejected."""
        self.rows_read += 1
        self.rejects.append(Reject(self.document, line, reason, text[:200]))

    def structural(self, n: int = 1) -> None:
        """Count ``n`` rows read that are structure (headers, headings), not data."""
        self.rows_read += n
        self.rows_structural += n

    def loaded(self, *records: Record) -> None:
        """Count one row read that yielded ``records``."""
        self.rows_read += 1
        self.rows_loaded += 1
        self.records.extend(records)

    def warn(self, line: int, kind: str, message: str) -> None:
        self.warnings.append(Warning_(self.document, line, kind, message))

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "loader": self.loader,
            "records": len(self.records),
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_structural": self.rows_structural,
            "rows_rejected": len(self.rejects),
            "rejects": [asdict(r) for r in self.rejects],
            "warnings": [asdict(w) for w in self.warnings],
            "decisions": [asdict(d) for d in self.decisions],
        }
