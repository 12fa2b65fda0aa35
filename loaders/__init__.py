"""Loaders: documents and trackers in, typed records (with provenance) out.

Loaders know nothing of graphs or stores. Each text loader looks for its own
structure anywhere in a document (an action-plan table, a glossary, ...) and
returns a `LoadResult` that accounts for every row it read.

Owns: reading files (text decoding, tables, trackers), dates (`dates.parse_due`, the one
date parser), areas and names found in text, and the loaders that turn them into records.

May import: `graphmodel` (schema, errors, resolution vocabulary) and third-party
libraries. Never `queries`, `viz` or `cli`. The composition of a load (loaders, then
`graphmodel.build`, then `queries.infer`, then the store) is `cli.ingest`.
tests/test_architecture.py checks this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from graphmodel.errors import InputError
from graphmodel.graph import gc_paused, settle_as_old
from graphmodel.schema import (
    ActionRecord,
    GlossaryRecord,
    LoadResult,
    PriorityRecord,
    RecommendationRecord,
    Record,
    StrategyRecord,
)

from . import recommendations
from .classify import load_blocks
from .dates import document_year
from .document_meta import meta_of
from .readers import READERS, read_document
from .readers import text as text_reader
from .readers.model import BlockKind, DocumentModel
from .text import TextDocument, read_text_document

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
TRACKER_SUFFIXES = frozenset({".csv", ".xlsx"})
#: Formats read into the document model by `loaders.readers` (PDF, Word, web pages).
DOCUMENT_SUFFIXES = frozenset(READERS)
SUPPORTED = sorted(TEXT_SUFFIXES | TRACKER_SUFFIXES | DOCUMENT_SUFFIXES)

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


def load_text(doc: TextDocument, *, columns: Mapping[str, str] | None = None) -> list[LoadResult]:
    """Run every line loader over ``doc``, then the block classifier over what they left
    (see `loaders.classify`); warn when nothing at all was understood."""
    with gc_paused():  # see `load_path`
        results = _load(doc, text_reader.read_document(doc), columns)
        settle_as_old()
    return results


def load_model(
    model: DocumentModel, *, columns: Mapping[str, str] | None = None
) -> tuple[TextDocument, list[LoadResult]]:
    """Load a document any reader produced (PDF, DOCX, HTML).

    The line loaders run over the model's lines (so layouts they know still load from a
    PDF's text), then the block classifier over the model's own blocks, as for a text
    file. Returns the text view (for the Document node) and the results.
    """
    doc = TextDocument(model.name, model.lines, model.sha256, model.encoding)
    with gc_paused():  # see `load_path`
        results = _load(doc, model, columns)
        settle_as_old()
    if model.line_pages:  # line loaders cite lines; a PDF's lines also have pages
        for r in results:
            r.records = [_with_page(rec, model) for rec in r.records]
    return doc, results


def _load(doc: TextDocument, model: DocumentModel, columns: Mapping[str, str] | None) -> list[LoadResult]:
    # two-digit years in due cells ("31/03/19") are read near the paper's own date
    dated = meta_of(model).meeting_date
    with document_year(int(dated[:4]) if dated else None):
        return _load_dated(doc, model, columns)


def _load_dated(
    doc: TextDocument, model: DocumentModel, columns: Mapping[str, str] | None
) -> list[LoadResult]:
    # the recommendation loader also reads the model's blocks: where a section starts
    results = [
        recommendations.load(doc, model) if fn is recommendations.load else fn(doc)
        for _, fn in text_loaders()
    ]
    known = {r.abbreviation.lower() for res in results for r in res.records if isinstance(r, GlossaryRecord)}
    strategies = {r.name for res in results for r in res.records if isinstance(r, StrategyRecord)}
    strategies |= {r.strategy for res in results for r in res.records if isinstance(r, CONTENT[:3])}
    blocks = load_blocks(
        model,
        claimed=claimed_lines(results),
        known_terms=known,
        known_strategies=strategies,
        columns=columns,
    )
    release_rejects(results, blocks)
    results.append(blocks)
    warn_if_nothing(results, blocks, model)
    if doc.warnings:  # what decoding changed comes first, as warnings
        decoded = LoadResult(doc.name, "reader")
        for line, kind, message in doc.warnings:
            decoded.warn(line, kind, message)
        results.insert(0, decoded)
    return results


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


def _with_page(rec: Record, model: DocumentModel) -> Record:
    src = rec.source
    if src.page is not None or src.document != model.name:
        return rec
    return replace(rec, source=model.source(src.line_start, src.line_end, sheet=src.sheet))


def load_document(
    path: Path, *, columns: Mapping[str, str] | None = None
) -> tuple[TextDocument, list[LoadResult]]:
    """Read a PDF / DOCX / HTML file and load it (see `load_model`)."""
    return load_model(read_document(path), columns=columns)


def load_path(path: Path, *, columns: Mapping[str, str] | None = None) -> list[LoadResult]:
    """Load one file with the loaders its type calls for.

    ``columns`` maps column roles to a tracker's or table's own header names.
    Raises `InputError` for a missing, unreadable or unsupported file.
    """
    suffix = path.suffix.lower()
    if path.is_dir():
        raise InputError(f"{path} is a directory; pass the files in it (or use load DIR)")
    # the collector waits for the end of the file (see `gc_paused`): what a load allocates
    # is freed by reference counting, and collections meanwhile would walk every record
    # of the files read before it, again and again
    with gc_paused():
        results = _load_path(path, suffix, columns)
        settle_as_old()  # the records live on: moved to the old generation without a walk
    return results


def _load_path(path: Path, suffix: str, columns: Mapping[str, str] | None) -> list[LoadResult]:
    if suffix in TEXT_SUFFIXES:
        return load_text(read_text_document(path), columns=columns)
    if suffix in DOCUMENT_SUFFIXES:
        return load_document(path, columns=columns)[1]
    if suffix in TRACKER_SUFFIXES:
        from . import tracker

        results = [tracker.load(path, columns=columns)]
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
                    and f.suffix.lower() in TEXT_SUFFIXES | TRACKER_SUFFIXES | DOCUMENT_SUFFIXES
                    and not f.name.startswith(".")
                )
            )
        else:
            out.append(p)
    return sorted(set(out), key=lambda p: (p.name, str(p)))
