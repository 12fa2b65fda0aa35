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
from graphmodel.schema import (
    ActionRecord,
    GlossaryRecord,
    LoadResult,
    PriorityRecord,
    RecommendationRecord,
    Record,
)

from .readers import READERS, DocumentModel, read_document
from .readers.model import Block, BlockKind
from .table_actions import interpret_table
from .text import TextDocument, read_text_document

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
TRACKER_SUFFIXES = frozenset({".csv", ".xlsx"})
#: Formats read into the document model by `loaders.readers` (PDF, Word, web pages).
DOCUMENT_SUFFIXES = frozenset(READERS)
SUPPORTED = sorted(TEXT_SUFFIXES | TRACKER_SUFFIXES | DOCUMENT_SUFFIXES)

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


def load_text(doc: TextDocument) -> list[LoadResult]:
    """Run every text loader over ``doc``."""
    return [fn(doc) for _, fn in text_loaders()]


#: Records that claim the lines they cite: a table whose rows they cover is taken.
_CLAIMS = (ActionRecord, PriorityRecord, RecommendationRecord, GlossaryRecord)


def load_model(
    model: DocumentModel, *, columns: Mapping[str, str] | None = None
) -> tuple[TextDocument, list[LoadResult]]:
    """Load a document read into the document model (PDF, DOCX, HTML).

    The text loaders run over the model's lines (so layouts they know still load from a
    PDF's text); then each TABLE block whose rows they did not already claim goes to
    `loaders.table_actions.interpret_table` (one loader per table, never two).
    Returns the text view (for the Document node) and the results.
    """
    doc = TextDocument(model.name, model.lines, model.sha256, model.encoding)
    results = load_text(doc)
    if model.line_pages:  # text loaders cite lines; a PDF's lines also have pages
        for r in results:
            r.records = [_with_page(rec, model) for rec in r.records]
    claimed: set[int] = set()
    for r in results:
        for rec in r.records:
            if isinstance(rec, _CLAIMS):
                claimed.update(range(rec.source.line_start, rec.source.line_end + 1))
    tables = LoadResult(model.name, "tables")
    for block in model.blocks:
        if block.kind is not BlockKind.TABLE or _claimed(block, claimed):
            continue
        interpret_table(model, block, tables, columns=columns)
    results.append(tables)
    return doc, results


def _with_page(rec: Record, model: DocumentModel) -> Record:
    src = rec.source
    if src.page is not None or src.document != model.name:
        return rec
    return replace(rec, source=model.source(src.line_start, src.line_end, sheet=src.sheet))


def _claimed(block: Block, claimed: set[int]) -> bool:
    """Whether other loaders' records cover half or more of the table's body rows."""
    if not block.rows or not claimed:
        return False
    covered = sum(
        1 for row in block.rows if any(c.line_start in claimed or c.line_end in claimed for c in row)
    )
    return 2 * covered >= len(block.rows)


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
    if suffix in TEXT_SUFFIXES:
        return load_text(read_text_document(path))
    if suffix in DOCUMENT_SUFFIXES:
        return load_document(path, columns=columns)[1]
    if suffix in TRACKER_SUFFIXES:
        from . import tracker

        return [tracker.load(path, columns=columns)]
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
