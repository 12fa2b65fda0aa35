"""Reading documents as text: encoding detection, binary refusal, line access."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from graphmodel.errors import InputError


#: Documents larger than this are refused with one clear sentence. A committee pack is
#: well under 5 MB of text; loading runs at roughly 1 MB/s, so 20 MB keeps a load
#: under about half a minute. PARTNERMAP_MAX_DOCUMENT_MB raises (or lowers) the limit.
def _max_bytes(default_mb: float = 20) -> int:
    raw = os.environ.get("PARTNERMAP_MAX_DOCUMENT_MB", "")
    try:
        mb = float(raw) if raw.strip() else default_mb
    except ValueError:
        mb = default_mb  # a malformed setting must not stop every load
    return int(max(mb, 0.001) * 1024 * 1024)


MAX_BYTES = _max_bytes()


@dataclass(frozen=True, slots=True)
class TextDocument:
    """A document as lines. ``name`` is the file name provenance cites; lines are 1-based."""

    name: str
    lines: tuple[str, ...]
    sha256: str
    encoding: str

    def line(self, n: int) -> str:
        """Line ``n`` (1-based)."""
        return self.lines[n - 1]

    @classmethod
    def from_text(cls, name: str, text: str, encoding: str = "utf-8") -> TextDocument:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return cls(name, tuple(text.split("\n")), digest, encoding)


#: Control characters other than tab, line feed, form feed and carriage return.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def decode_bytes(data: bytes, where: str, *, kind: str = "text document") -> tuple[str, str]:
    """Decode the bytes of a text file (a document, a CSV tracker): UTF-8 (with or without
    BOM), else Windows-1252; returns the text and the encoding used.

    Binary data (NUL bytes, or mostly control characters) is refused with `InputError`
    ("``where`` is a binary file, not a ``kind``").
    """
    if not data.strip():
        raise InputError(f"{where} is empty")
    if b"\x00" in data[:8192]:
        raise InputError(f"{where} is a binary file, not a {kind}")
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        controls = len(_CONTROL_RE.findall(text, 0, 8192))
        if controls > 0.05 * min(len(text), 8192):
            raise InputError(f"{where} is a binary file, not a {kind}")
        return text, ("utf-8" if enc == "utf-8-sig" else enc)
    # cp1252 leaves five bytes undefined; latin-1 decodes anything.
    return data.decode("latin-1"), "latin-1"


def read_text_document(path: Path) -> TextDocument:
    """Read ``path`` as a `TextDocument`, with a one-line `InputError` for anything unusable."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{path} is {size / (1024 * 1024):.0f} MB; the limit is "
                f"{MAX_BYTES / (1024 * 1024):.0f} MB per document (split the pack, "
                "or raise PARTNERMAP_MAX_DOCUMENT_MB)"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path} does not exist") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    text, encoding = decode_bytes(data, str(path))
    return TextDocument.from_text(path.name, text, encoding)
