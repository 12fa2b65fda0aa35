"""Stable ids: the same facts give the same id, whatever the load order."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slug(text: str, max_len: int = 48) -> str:
    """Lower-case ASCII slug of ``text``.

    Examples
    --------
    >>> slug("King's College Hospital (KCH)")
    'king-s-college-hospital-kch'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_WORD.sub("-", ascii_text.lower()).strip("-")[:max_len].strip("-") or "x"


def digest(*parts: object, n: int = 10) -> str:
    """Short hex digest of ``parts`` (joined with a separator that text cannot forge)."""
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:n]


def make_id(kind: str, *key: object, readable: str = "") -> str:
    """Id of the form ``kind:readable-slug:digest`` (digest of ``kind`` and ``key``).

    Examples
    --------
    >>> make_id("Organisation", "south london and maudsley", readable="SLaM")
    'organisation:slam:96066f3e3f'
    """
    prefix = kind.lower()
    base = slug(readable, 32) if readable else ""
    d = digest(kind, *key)
    return f"{prefix}:{base}:{d}" if base else f"{prefix}:{d}"
