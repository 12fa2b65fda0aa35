"""Limits on the cost of reading one input, each raisable by an environment variable.

Every input partnermap reads has a bounded cost: its size on disk, and for a
spreadsheet its uncompressed size, shared strings, rows, columns, merged ranges and
cells. A limit that is hit stops the load with one sentence naming the limit and the
variable that raises it. Only regular files are read: a device (``/dev/zero``), a FIFO
or a socket is refused before it is opened.
"""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from graphmodel.errors import InputError

_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limit:
    """One limit: its environment variable, default, unit and what it bounds."""

    env: str
    default: float
    unit: str  # "MB" or "" (a count)
    what: str

    def value(self) -> int:
        """The limit in bytes (MB limits) or items, from the environment or the default.

        Raises `InputError` when the variable is not a positive finite number.
        """
        raw = os.environ.get(self.env, "").strip()
        if not raw:
            number = self.default
        else:
            try:
                number = float(raw)
            except ValueError:
                number = math.nan
            if not math.isfinite(number) or number <= 0:
                raise InputError(
                    f"{self.env} must be a positive number"
                    f"{' of megabytes' if self.unit == 'MB' else ''}, not {raw!r}"
                )
        return max(1, int(number * _MB)) if self.unit == "MB" else max(1, int(number))

    def exceeded(self, where: str, found: str) -> InputError:
        """The one-sentence error for ``where`` going past this limit (``found`` says by how much)."""
        limit = self.value()
        shown = f"{limit / _MB:g} MB" if self.unit == "MB" else f"{limit:,}"
        return InputError(f"{where}: {found}; the limit is {shown} {self.what} (raise it with {self.env}=N)")


DOCUMENT_MB = Limit("PARTNERMAP_MAX_DOCUMENT_MB", 20, "MB", "per document")
#: PDF, Word and web pages carry fonts, images and markup: more bytes for the same words.
PACKAGED_DOCUMENT_MB = Limit("PARTNERMAP_MAX_PDF_DOCX_HTML_MB", 80, "MB", "per PDF, DOCX or HTML document")
TRACKER_MB = Limit("PARTNERMAP_MAX_TRACKER_MB", 20, "MB", "per CSV/XLSX file")
XLSX_UNCOMPRESSED_MB = Limit(
    "PARTNERMAP_MAX_XLSX_UNCOMPRESSED_MB", 200, "MB", "of uncompressed content per XLSX workbook"
)
SHARED_STRINGS_MB = Limit("PARTNERMAP_MAX_SHARED_STRINGS_MB", 50, "MB", "of shared strings per XLSX workbook")
ROWS = Limit("PARTNERMAP_MAX_ROWS", 100_000, "", "rows per sheet or CSV file")
COLUMNS = Limit("PARTNERMAP_MAX_COLUMNS", 1_000, "", "columns per sheet or CSV file")
MERGES = Limit("PARTNERMAP_MAX_MERGES", 10_000, "", "merged ranges per sheet")
CELLS = Limit("PARTNERMAP_MAX_CELLS", 5_000_000, "", "cells per file (merged ranges count every cell)")
ALL = (
    DOCUMENT_MB,
    PACKAGED_DOCUMENT_MB,
    TRACKER_MB,
    XLSX_UNCOMPRESSED_MB,
    SHARED_STRINGS_MB,
    ROWS,
    COLUMNS,
    MERGES,
    CELLS,
)


def check_limits() -> None:
    """Validate every limit variable at once (a bad value is one sentence, before any work)."""
    for limit in ALL:
        limit.value()


def _mb(n: int) -> str:
    return f"{n / _MB:.1f} MB"


def regular_file(path: Path) -> os.stat_result:
    """``stat`` of ``path`` if it is a regular file (following links); else one `InputError`.

    Checked before opening, so a FIFO cannot block and a device cannot stream forever.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path} does not exist") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path} is a directory")
    if (kind := not_regular(st.st_mode)) is not None:
        raise InputError(f"{path} is {kind}; partnermap reads only regular files")
    return st


def not_regular(mode: int) -> str | None:
    """What a non-regular file is ("a named pipe (FIFO), not a regular file"), from its
    ``st_mode``; None for a regular file or a directory. Says why such a file is not read."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    return "not a regular file"


def read_bounded(path: Path, limit: Limit) -> bytes:
    """The bytes of regular file ``path``, refused with one sentence past ``limit``.

    Reads at most limit + 1 bytes, so a file whose size is misreported cannot run on.
    """
    st = regular_file(path)
    cap = limit.value()
    if st.st_size > cap:
        raise limit.exceeded(str(path), f"the file is {_mb(st.st_size)}")
    try:
        with open(path, "rb") as fh:
            data = fh.read(cap + 1)
    except IsADirectoryError:
        raise InputError(f"{path} is a directory") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    if len(data) > cap:
        raise limit.exceeded(str(path), "the file is larger than its size on disk says")
    return data
