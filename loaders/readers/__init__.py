"""Readers: one module per file format, each producing the same `DocumentModel`.

Readers know only their format and the document model (``model.py``); they never
interpret blocks (that is the classifier's and interpreters' job) and never touch
graphs or stores. They may import ``graphmodel.errors``/``graphmodel.schema``.

`read_document` picks the reader by suffix from `READERS` (suffix -> ``read`` function).
Each format's module is imported when a document of that format is first read: pdfplumber,
Beautiful Soup with lxml and python-docx take 0.3 s to import, which a load of text files
(``partnermap demo``) and every command that only reads the store would otherwise pay.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graphmodel.errors import InputError
from loaders.limits import PACKAGED_DOCUMENT_MB, regular_file

from .model import Block, BlockKind, Cell, DocumentModel, Marker

Reader = Callable[[Path], DocumentModel]


def _read_pdf(path: Path) -> DocumentModel:
    from . import pdf  # on first use: see the module docstring

    return pdf.read(path)


def _read_docx(path: Path) -> DocumentModel:
    from . import docx  # on first use: see the module docstring

    return docx.read(path)


def _read_html(path: Path) -> DocumentModel:
    from . import html  # on first use: see the module docstring

    return html.read(path)


#: Reader of each file suffix (lower case, with the dot).
READERS: dict[str, Reader] = {
    ".pdf": _read_pdf,
    ".docx": _read_docx,
    ".html": _read_html,
    ".htm": _read_html,
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
