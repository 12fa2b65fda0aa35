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
from loaders.text import MAX_BYTES

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
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path} does not exist") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if path.is_dir():
        raise InputError(f"{path} is a directory")
    if size > MAX_BYTES * 4:  # binary formats carry fonts and images: allow more than for text
        raise InputError(
            f"{path} is {size / (1024 * 1024):.0f} MB; the limit for {path.suffix} files is "
            f"{MAX_BYTES * 4 / (1024 * 1024):.0f} MB (raise PARTNERMAP_MAX_DOCUMENT_MB)"
        )
    if size == 0:
        raise InputError(f"{path} is empty")
    return reader(path)
