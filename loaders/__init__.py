"""Loaders: documents and trackers in, typed records (with provenance) out.

Loaders know nothing of graphs or stores. Each text loader looks for its own
structure anywhere in a document (an action-plan table, a glossary, ...) and
returns a `LoadResult` that accounts for every row it read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from graphmodel.errors import InputError
from graphmodel.schema import LoadResult

from .text import TextDocument, read_text_document

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
TRACKER_SUFFIXES = frozenset({".csv", ".xlsx"})
SUPPORTED = sorted(TEXT_SUFFIXES | TRACKER_SUFFIXES)

TextLoader = Callable[[TextDocument], LoadResult]


def text_loaders() -> list[tuple[str, TextLoader]]:
    """The text loaders, in the order they run on each document."""
    from . import action_plan, glossary, recommendations, references, statements, strategy_plan, workstreams

    return [
        ("glossary", glossary.load),
        ("action_plan", action_plan.load),
        ("strategy_plan", strategy_plan.load),
        ("recommendations", recommendations.load),
        ("workstreams", workstreams.load),
        ("references", references.load),
        ("statements", statements.load),
    ]


def load_text(doc: TextDocument) -> list[LoadResult]:
    """Run every text loader over ``doc``."""
    return [fn(doc) for _, fn in text_loaders()]


def load_path(path: Path) -> list[LoadResult]:
    """Load one file with the loaders its type calls for.

    Raises `InputError` for a missing, unreadable or unsupported file.
    """
    suffix = path.suffix.lower()
    if path.is_dir():
        raise InputError(f"{path} is a directory; pass the files in it (or use load DIR)")
    if suffix in TEXT_SUFFIXES:
        return load_text(read_text_document(path))
    if suffix in TRACKER_SUFFIXES:
        from . import tracker

        return [tracker.load(path)]
    kinds = ", ".join(SUPPORTED)
    raise InputError(f"{path.name}: unsupported file type {suffix or '(none)'}; partnermap reads {kinds}")


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files named, with directories expanded to their supported files (sorted)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file()
                    and f.suffix.lower() in TEXT_SUFFIXES | TRACKER_SUFFIXES
                    and not f.name.startswith(".")
                )
            )
        else:
            out.append(p)
    return sorted(set(out), key=lambda p: (p.name, str(p)))
