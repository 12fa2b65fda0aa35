"""Readers: one module per file format, each producing the same `DocumentModel`.

Readers know only their format and the document model (``model.py``); they never
interpret blocks (that is the classifier's and interpreters' job) and never touch
graphs or stores. They may import ``graphmodel.errors``/``graphmodel.schema``.

`read_document` picks the reader by suffix from `READERS` (suffix -> ``read`` function).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graphmodel.errors import InputError
from loaders.limits import PACKAGED_DOCUMENT_MB, regular_file

from . import docx, html, pdf
from .model import Block, BlockKind, Cell, DocumentModel, Marker

Reader = Callable[[Path], DocumentModel]

#: Reader of each file suffix (lower case, with the dot).
READERS: dict[str, Reader] = {
    ".pdf": pdf.read,
    ".docx": docx.read,
    ".html": html.read,
    ".htm": html.read,
}

__all__ = ["READERS", "Block", "BlockKind", "Cell", "DocumentModel", "Marker", "read_document"]


def read_document(path: Path) -> DocumentModel:
    """Read ``path`` with the reader its suffix calls for.

    Raises `InputError` (one line) for a missing, oversized, encrypted, corrupt or
    unsupported file.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        kinds = ", ".join(sorted(READERS))
        raise InputError(
            f"{path.name}: no document reader for {path.suffix or '(none)'}; readers exist for {kinds}"
        )
    size = regular_file(path).st_size  # no devices or FIFOs; a directory is refused
    if size > PACKAGED_DOCUMENT_MB.value():
        raise PACKAGED_DOCUMENT_MB.exceeded(str(path), f"the file is {size / (1024 * 1024):.1f} MB")
    if size == 0:
        raise InputError(f"{path} is empty")
    return reader(path)
