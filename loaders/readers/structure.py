"""Small structure helpers shared by readers: list markers as printed."""

from __future__ import annotations

import re

from .model import Marker

_BULLET = re.compile(r"^(?:[•▪●◦▫■□‣⁃]\s*|[-–*]\s+)(?P<rest>\S.*)$")
_NUMBER = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})*)(?:[.)]\s*|\s+)(?P<rest>\S.*)$")
_NUMBER_GLUED = re.compile(r"^(?P<n>\d{1,2})\.(?P<rest>[A-Z].*)$")
_LETTER = re.compile(r"^\(?(?P<n>[a-z])[.)]\s+(?P<rest>\S.*)$", re.I)
_ROMAN = re.compile(r"^\(?(?P<n>i{1,3}|iv|vi{0,3}|ix|xi{0,2})[.)]\s+(?P<rest>\S.*)$", re.I)


def list_marker(text: str) -> tuple[Marker, str, str]:
    """(marker, number as printed without punctuation, text after it) of a list item.

    >>> list_marker("• Map youth provision")
    (<Marker.BULLET: 'bullet'>, '', 'Map youth provision')
    >>> list_marker("2.1 Review services")[1:], list_marker("(iv) Train staff")[:2]
    (('2.1', 'Review services'), (<Marker.ROMAN: 'roman'>, 'iv'))
    >>> list_marker("Plain text")[0] is Marker.NONE
    True
    """
    text = text.strip()
    m = _BULLET.match(text)
    if m:
        return Marker.BULLET, "", m["rest"]
    m = _ROMAN.match(text)
    if m:
        return Marker.ROMAN, m["n"].lower(), m["rest"]
    m = _LETTER.match(text)
    if m:
        return Marker.LETTER, m["n"].lower(), m["rest"]
    m = _NUMBER.match(text) or _NUMBER_GLUED.match(text)
    if m and not (
        m.end("n") == len(m["n"]) and text[len(m["n"]) :][:1] == " " and not m["rest"][:1].isupper()
    ):
        return Marker.NUMBER, m["n"], m["rest"]
    return Marker.NONE, "", text


#: A table cell of more words than this is not a column name.
HEADER_MAX_WORDS = 8


def header_like(cells: list[str | None]) -> bool:
    """Whether a row reads as a table header: two or more distinct short names, no numbers.

    >>> header_like(["Action", "Lead", "Due"]), header_like(["Map youth provision", "LBS", "2019"])
    (True, False)
    """
    texts = [" ".join((c or "").split()) for c in cells]
    named = [t for t in texts if t]
    if len(named) < 2 or len(set(named)) < 2:
        return False
    return all(len(t.split()) <= HEADER_MAX_WORDS and not re.fullmatch(r"[\d\s.,%/£:-]+", t) for t in named)
