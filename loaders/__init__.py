"""Loaders: documents and trackers in, typed records (with provenance) out.

Loaders know nothing of graphs or stores. Each text loader looks for its own
structure anywhere in a document (an action-plan table, a glossary, ...) and
returns a `LoadResult` that accounts for every row it read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from graphmodel.errors import InputError
from graphmodel.schema import (
    ActionRecord,
    GlossaryRecord,
    LoadResult,
    PriorityRecord,
    RecommendationRecord,
    StrategyRecord,
)

from .classify import TableInterpreter, load_blocks
from .readers import text as text_reader
from .readers.model import BlockKind, DocumentModel
from .text import TextDocument, read_text_document

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
TRACKER_SUFFIXES = frozenset({".csv", ".xlsx"})
SUPPORTED = sorted(TEXT_SUFFIXES | TRACKER_SUFFIXES)

TextLoader = Callable[[TextDocument], LoadResult]


def text_loaders() -> list[tuple[str, TextLoader]]:
    """The text loaders, in the order they run on each document."""
    from . import action_plan, glossary, recommendations, references, strategy_plan, workstreams

    return [
        ("glossary", glossary.load),
        ("action_plan", action_plan.load),
        ("strategy_plan", strategy_plan.load),
        ("recommendations", recommendations.load),
        ("workstreams", workstreams.load),
        ("references", references.load),
    ]


#: Records that say something was understood (strategies and references alone do not).
CONTENT = (ActionRecord, RecommendationRecord, PriorityRecord, GlossaryRecord)
NOTHING = "nothing-interpreted"


def claimed_lines(results: Iterable[LoadResult]) -> dict[int, str]:
    """1-based line -> the loader whose content records cover it."""
    out: dict[int, str] = {}
    for res in results:
        for r in res.records:
            if isinstance(r, CONTENT):
                for n in range(r.source.line_start, r.source.line_end + 1):
                    out.setdefault(n, res.loader)
    return out


def load_text(
    doc: TextDocument,
    *,
    table_interpreters: Sequence[tuple[str, TableInterpreter]] | None = None,
    columns: Mapping[str, str] | None = None,
) -> list[LoadResult]:
    """Run every line loader over ``doc``, then the block classifier over what they left
    (see `loaders.classify`); warn when nothing at all was understood."""
    results = [fn(doc) for _, fn in text_loaders()]
    model = text_reader.read_document(doc)
    known = {r.abbreviation.lower() for res in results for r in res.records if isinstance(r, GlossaryRecord)}
    strategies = {r.name for res in results for r in res.records if isinstance(r, StrategyRecord)}
    strategies |= {r.strategy for res in results for r in res.records if isinstance(r, CONTENT[:3])}
    blocks = load_blocks(
        model,
        claimed=claimed_lines(results),
        known_terms=known,
        known_strategies=strategies,
        table_interpreters=table_interpreters,
        columns=columns,
    )
    release_rejects(results, blocks)
    results.append(blocks)
    warn_if_nothing(results, blocks, model)
    return results


def load_model(
    model: DocumentModel,
    *,
    table_interpreters: Sequence[tuple[str, TableInterpreter]] | None = None,
    columns: Mapping[str, str] | None = None,
) -> list[LoadResult]:
    """A document any reader produced (PDF, DOCX, HTML, ...): the block classifier
    alone (the line loaders read text files only), with the nothing-interpreted warning."""
    blocks = load_blocks(model, table_interpreters=table_interpreters, columns=columns)
    warn_if_nothing([blocks], blocks, model)
    return [blocks]


def release_rejects(results: list[LoadResult], blocks: LoadResult) -> None:
    """Rows a line loader rejected but the block path then read (a unit that gave
    records) are the block path's: the line loader's reject is withdrawn, so each row
    is accounted for once."""
    read: set[int] = set()
    for d in blocks.decisions:
        if d.records and not d.reason.startswith("read by the "):
            read.update(range(d.line_start, d.line_end + 1))
    for res in results:
        kept = [x for x in res.rejects if x.line not in read]
        res.rows_read -= len(res.rejects) - len(kept)
        res.rejects = kept


def warn_if_nothing(results: list[LoadResult], into: LoadResult, model: DocumentModel | None = None) -> None:
    """A "nothing-interpreted" warning on ``into`` when no result holds a content record,
    naming what was found (tables and their header cells, list items, rows read)."""
    if any(isinstance(r, CONTENT) for res in results for r in res.records):
        return
    if model is None:
        read = sum(r.rows_read for r in results)
        rejected = sum(len(r.rejects) for r in results)
        found = f"{read} rows read, {rejected} rejected"
    else:
        tables = [b for b in model.blocks if b.kind is BlockKind.TABLE]
        items = sum(1 for b in model.blocks if b.kind is BlockKind.LIST_ITEM)
        found = f"{len(tables)} tables, {items} list items"
        heads = ["; ".join(" | ".join(h for h in t.header_texts() if h) for t in tables[:3])]
        if tables:
            found += f", none recognised: header cells were {heads[0][:300]}"
        else:
            found += ", none recognised"
    into.warn(1, NOTHING, f"nothing interpreted from {into.document}: {found}")


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

        results = [tracker.load(path)]
        warn_if_nothing(results, results[0])
        return results
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
