"""Result rows of every query: frozen, plain, stable field names.

A Cypher backend must return the same rows (a differential test compares them), so
fields are plain values: str, int, float, bool, None, tuples of those, or tuples of
the small dataclasses here. ``table_columns`` picks what the table and CSV show; JSON
always has every field. ``sources`` are ``Source.cite()`` strings of the facts behind a
row; inferred rows also carry ``score``, ``method`` and ``evidence``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class DependencyLink:
    """An action of one strategy relying on actions of another: what it relies on (``service``),
    the providing actions (``target_ids``), the words on both sides, both sources."""

    table_columns: ClassVar[tuple[str, ...]] = (
        "score",
        "kind",
        "from_strategy",
        "action",
        "service",
        "to_strategy",
        "targets",
        "evidence",
        "sources",
    )

    action_id: str
    action: str
    from_strategy_id: str
    from_strategy: str
    to_strategy_id: str
    to_strategy: str
    target_ids: tuple[str, ...]  # the other strategy's actions that provide or change it
    targets: tuple[str, ...]  # their labels
    words: tuple[str, ...]  # the relying action's words for what it relies on
    score: float
    method: str  # "+"-joined evidence kinds, and the similarity used
    evidence: str
    sources: tuple[str, ...]  # the relying action's, then the providing actions'
    # relies-on-service / shared-partner / overlapping-objective
    kind: str = "relies-on-service"
    service: str = ""  # what is relied on, as the relying action words it
    service_id: str = ""  # the Service node, where one exists
    action_text: str = ""  # the relying action's compared words (its Actions cell or own text)
    target_texts: tuple[str, ...] = ()
    target_words: tuple[str, ...] = ()  # the providing actions' words for it


@dataclass(frozen=True, slots=True)
class StrategyDependency:
    """Strategy A relies on strategy B through N actions (``query dependencies --by strategy``)."""

    table_columns: ClassVar[tuple[str, ...]] = (
        "from_strategy",
        "to_strategy",
        "actions",
        "providing_actions",
        "top_services",
        "kinds",
        "best_score",
    )

    from_strategy_id: str
    from_strategy: str
    to_strategy_id: str
    to_strategy: str
    actions: int  # relying actions of A
    providing_actions: int  # actions of B they rely on
    top_services: tuple[str, ...]  # "service (n)"
    kinds: tuple[str, ...]  # "kind (n)"
    best_score: float
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DuplicateMember:
    id: str
    label: str
    strategy: str
    leads: tuple[str, ...]
    source: str
    text: str = ""  # the words compared (the Actions cell, or the action's own text)
    relation: str = ""  # "representative", or its tie to it: exact / reworded / shared-aim
    score: float = 1.0  # score of that tie


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    a: str
    b: str
    score: float
    cosine: float
    token_set: float
    shared_leads: tuple[str, ...]
    shared_words: tuple[str, ...]
    semantic: float = 0.0  # wordllama cosine
    lexical: float = 0.0  # 0.5 * cosine + 0.5 * token_set
    relation: str = ""  # exact / reworded / shared-aim
    why: str = ""


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Duplicate actions, within one plan or across plans: a star around ``representative``."""

    table_columns: ClassVar[tuple[str, ...]] = (
        "group",
        "type",
        "scope",
        "score",
        "size",
        "strategies",
        "labels",
        "shared_leads",
        "sources",
    )

    group: int
    scope: str  # "within" (one strategy) or "across"
    score: float  # best pair score
    size: int
    strategies: tuple[str, ...]
    labels: tuple[str, ...]
    shared_leads: tuple[str, ...]  # leads common to at least two members
    members: tuple[DuplicateMember, ...]
    pairs: tuple[DuplicatePair, ...]
    method: str
    evidence: str
    sources: tuple[str, ...]
    # exact (same words), reworded (same action in other words) or shared-aim (same aim,
    # different owners: a coordination point)
    type: str = "reworded"
    representative: str = ""  # the action every member's DUPLICATES edge points to


@dataclass(frozen=True, slots=True)
class StrategyShare:
    strategy: str
    led: int
    supported: int
    resourced: int
    share: float  # actions led here / actions of the strategy


@dataclass(frozen=True, slots=True)
class PartnerLoad:
    """What one organisation (or a service that leads) carries, and where it sits in the network."""

    table_columns: ClassVar[tuple[str, ...]] = (
        "name",
        "kind",
        "led",
        "supported",
        "resourced",
        "generic",
        "strategies_led",
        "degree",
        "betweenness",
        "bridging",
        "single_point_of_failure",
    )

    id: str
    name: str
    kind: str
    category: str | None
    led: int
    supported: int
    resourced: int
    strategies_led: int
    per_strategy: tuple[StrategyShare, ...]
    degree: int
    betweenness: float
    bridging: bool  # leads actions in two or more strategies
    single_point_of_failure: tuple[str, ...]  # open actions no other body leads, supports or resources
    sources: tuple[str, ...]
    # how ``betweenness`` was computed, e.g. "co-participation in actions, exact" or
    # "co-participation in actions, sampled 300 sources, seed 42"
    betweenness_basis: str = ""
    # of led + supported + resourced, the roles from blanket cells ("Council": props.generic)
    generic: int = 0


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """A recommendation, what addresses it, and whether it is a gap."""

    table_columns: ClassVar[tuple[str, ...]] = (
        "label",
        "coverage",
        "gap",
        "actions",
        "priorities",
        "recommendation",
        "sources",
    )

    id: str
    number: int | None
    label: str
    recommendation: str
    status: str | None
    coverage: str  # "action", "reported-done", "section-only", "under-discussion", "none"
    gap: bool
    action_ids: tuple[str, ...]
    actions: tuple[str, ...]
    priorities: tuple[str, ...]
    reason: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AlignmentItem:
    """One finding about how a programme lines up with the strategies."""

    table_columns: ClassVar[tuple[str, ...]] = ("section", "label", "strategy", "detail", "score", "sources")

    programme: str
    section: str  # "member", "aligned", "member-led", "share", "gap"
    id: str
    label: str
    strategy: str
    detail: str
    score: float | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DueItem:
    """An action by its due date: overdue, due, done or undated."""

    table_columns: ClassVar[tuple[str, ...]] = (
        "state",
        "due_date",
        "due",
        "days_overdue",
        "action",
        "strategy",
        "leads",
        "sources",
    )

    action_id: str
    action: str
    strategy: str
    leads: tuple[str, ...]
    status: str | None
    due: str | None
    due_date: str | None
    state: str  # "overdue", "due", "done", "undated"
    days_overdue: int | None
    sources: tuple[str, ...]
    as_of: str = ""  # the date "overdue" was judged against (ISO)


@dataclass(frozen=True, slots=True)
class Hop:
    source_id: str
    source: str
    kind: str
    direction: str  # "->" when the edge points along the path, "<-" against it
    target_id: str
    target: str
    cite: str


@dataclass(frozen=True, slots=True)
class PathResult:
    """One shortest path between two entities, hop by hop."""

    table_columns: ClassVar[tuple[str, ...]] = ("rank", "length", "text", "sources")

    rank: int
    length: int
    start: str
    end: str
    hops: tuple[Hop, ...]
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A node whose label, alias or text matches a search."""

    table_columns: ClassVar[tuple[str, ...]] = ("score", "kind", "label", "matched", "strategy", "sources")

    id: str
    kind: str
    label: str
    score: float
    matched: str
    strategy: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProgressRow:
    """A plan action and what a later review of the same strategy reports about it."""

    table_columns: ClassVar[tuple[str, ...]] = (
        "status",
        "score",
        "action",
        "review_text",
        "review_source",
        "source",
    )

    action_id: str
    action: str  # the plan's words (its Actions cell, or the action's own text)
    strategy: str
    status: str  # achieved / continuing / not-reported
    review_text: str  # the review's words ("" when not reported)
    review_source: str
    score: float  # how well the review item matches the action (0..1)
    source: str  # where the plan says it
    method: str
