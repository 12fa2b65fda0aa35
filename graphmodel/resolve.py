"""Entity resolution: surface names to canonical organisations, services and strategies.

(First cut: names resolve to themselves. Curated aliases, glossary harvesting and
fuzzy matching replace this in the loaders issue.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .schema import GlossaryRecord


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a surface name resolved to."""

    canonical: str
    kind: str = "organisation"  # or "service"
    category: str = "unknown"
    short: str | None = None
    provider: str | None = None
    matched_by: str = "exact"


@dataclass(frozen=True, slots=True)
class Mention:
    """A service, organisation or strategy named in free text."""

    kind: str  # "service" | "organisation" | "strategy"
    canonical: str
    words: str


class Resolver:
    def __init__(self) -> None:
        self.glossary: dict[str, str] = {}

    @classmethod
    def default(cls) -> Resolver:
        return cls()

    def learn(self, glossary: Iterable[GlossaryRecord]) -> None:
        for g in glossary:
            self.glossary.setdefault(g.abbreviation, g.expansion)

    def resolve(self, raw: str) -> Resolution | None:
        name = " ".join(raw.split())
        return Resolution(name) if name else None

    def mentions(self, text: str) -> list[Mention]:
        return []

    def strategy_name(self, name: str) -> str:
        return " ".join(name.split())
