"""One exception tree for partnermap; `cli` maps it to exit codes in one place.

PartnermapError
├── InputError            bad document, unsupported format, bad option value -> exit 2
│   ├── DocumentParseError(path, line, reason)
│   └── OutputError       cannot write an output file (full disk, read-only, symlink) -> exit 2
├── StoreError            corrupt, foreign or future-version store file        -> exit 2
└── BackendError          server unreachable, auth failed                       -> exit 3
"""

from __future__ import annotations


class PartnermapError(Exception):
    """Base of every error partnermap raises on purpose."""

    exit_code = 2


class InputError(PartnermapError):
    """The user gave something partnermap cannot use (file, option value)."""


class DocumentParseError(InputError):
    """A document could not be parsed at all (not: a bad row, which is a reject)."""

    def __init__(self, path: str, line: int, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}:{line}: {reason}")


class OutputError(InputError):
    """An output file cannot be written: full disk, read-only target or folder, a symlink
    at the target, a file where a folder is needed."""


class StoreError(PartnermapError):
    """The store file is corrupt, foreign, or written by a newer partnermap."""


class BackendError(PartnermapError):
    """The graph server cannot be reached or refused the credentials."""

    exit_code = 3
