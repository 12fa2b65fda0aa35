"""Reading documents as text: encoding detection, binary refusal, line access.

Decoding (`decode_text`): a BOM decides (UTF-8, UTF-16 LE/BE); UTF-16 without a BOM is
recognised by its pattern of NUL bytes; otherwise UTF-8, and where some lines are not
UTF-8 those lines are read as Windows-1252 (mixed files are common when a pack is
assembled from several sources) with a warning. Control characters (NUL included)
past the binary check are removed with a warning, never loaded raw. Size: at most
``PARTNERMAP_MAX_DOCUMENT_MB`` (`loaders.limits`); only regular files are read.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from graphmodel.errors import InputError

from .limits import DOCUMENT_MB, read_bounded

#: (line, kind, message) of something the reader changed while decoding.
DecodeWarning = tuple[int, str, str]


@dataclass(frozen=True, slots=True)
class TextDocument:
    """A document as lines. ``name`` is the file name provenance cites; lines are 1-based.

    ``warnings`` are what decoding changed (mixed encodings, control characters removed).
    """

    name: str
    lines: tuple[str, ...]
    sha256: str
    encoding: str
    warnings: tuple[DecodeWarning, ...] = ()

    def line(self, n: int) -> str:
        """Line ``n`` (1-based)."""
        return self.lines[n - 1]

    @classmethod
    def from_text(
        cls, name: str, text: str, encoding: str = "utf-8", warnings: tuple[DecodeWarning, ...] = ()
    ) -> TextDocument:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return cls(name, tuple(text.split("\n")), digest, encoding, warnings)


#: Control characters other than tab, line feed, form feed and carriage return (and DEL,
#: and the C1 controls, which no document means as text).
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_CONTROL_RE = CONTROL_RE
_SAMPLE = 8192


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when the NUL bytes sit in the pattern of UTF-16 text."""
    sample = data[:_SAMPLE]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    n = min(len(even), len(odd))
    even_nul, odd_nul = even.count(0), odd.count(0)
    if odd_nul > 0.6 * n and even_nul < 0.05 * n:
        return "utf-16-le"
    if even_nul > 0.6 * n and odd_nul < 0.05 * n:
        return "utf-16-be"
    return None


def _utf16(data: bytes, where: str) -> tuple[str, str] | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    else:
        found = _utf16_without_bom(data)
        if found is None:
            return None
        enc = found
    try:
        return data.decode(enc), enc
    except UnicodeDecodeError:
        raise InputError(f"{where} looks like UTF-16 text but does not decode as UTF-16") from None


def _mixed(data: bytes) -> tuple[str, int, int]:
    """Decode line by line: UTF-8 where a line is valid UTF-8, else Windows-1252.

    Returns the text, the number of non-ASCII UTF-8 lines and the first line read as
    Windows-1252 (0 when none).
    """
    out, utf8_lines, first_legacy = [], 0, 0
    for i, raw in enumerate(data.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8")
            utf8_lines += not raw.isascii()
        except UnicodeDecodeError:
            try:
                line = raw.decode("cp1252")
            except UnicodeDecodeError:  # cp1252 leaves five bytes undefined; latin-1 decodes anything
                line = raw.decode("latin-1")
            first_legacy = first_legacy or i
        out.append(line)
    return "\n".join(out), utf8_lines, first_legacy


def decode_text(
    data: bytes, where: str, *, kind: str = "text document"
) -> tuple[str, str, tuple[DecodeWarning, ...]]:
    """Decode document bytes; returns (text, encoding, warnings).

    Binary data (NUL bytes outside UTF-16, or mostly control characters in the first
    8 KB) is refused with `InputError`.
    """
    if not data.strip():
        raise InputError(f"{where} is empty")
    warnings: list[DecodeWarning] = []
    utf16 = _utf16(data, where)
    if utf16 is not None:
        text, encoding = utf16
        text = text.lstrip("\ufeff")
    else:
        if b"\x00" in data[:_SAMPLE]:
            raise InputError(f"{where} is a binary file, not a {kind}")
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, utf8_lines, first_legacy = _mixed(data)
            if utf8_lines:
                encoding = "utf-8+cp1252"
                warnings.append(
                    (
                        first_legacy,
                        "mixed-encoding",
                        "the file mixes UTF-8 and Windows-1252 text; lines that are not "
                        "UTF-8 were read as Windows-1252 (check the accents and symbols)",
                    )
                )
            else:
                encoding = "cp1252"
    if not text.strip():
        raise InputError(f"{where} is empty")
    controls = len(_CONTROL_RE.findall(text, 0, _SAMPLE))
    if controls > 0.05 * min(len(text), _SAMPLE):
        raise InputError(f"{where} is a binary file, not a {kind}")
    first = _CONTROL_RE.search(text)
    if first is not None:
        n = len(_CONTROL_RE.findall(text))
        line = text.count("\n", 0, first.start()) + 1
        text = _CONTROL_RE.sub("", text)
        warnings.append((line, "control-characters", f"{n} control character(s) (NUL etc.) removed"))
    return text, encoding, tuple(warnings)


def decode_bytes(data: bytes, where: str, *, kind: str = "text document") -> tuple[str, str]:
    """(text, encoding) of document bytes; `decode_text` without the warnings."""
    text, encoding, _ = decode_text(data, where, kind=kind)
    return text, encoding


def read_text_document(path: Path) -> TextDocument:
    """Read ``path`` as a `TextDocument`, with a one-line `InputError` for anything unusable."""
    data = read_bounded(path, DOCUMENT_MB)
    text, encoding, warnings = decode_text(data, str(path))
    return TextDocument.from_text(path.name, text, encoding, warnings)
