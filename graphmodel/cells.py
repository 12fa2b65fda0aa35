"""Text made safe for the cells of other programs: spreadsheets (CSV) and XML (GraphML, GEXF).

Apart from `graphmodel.export` (which uses both) so that `cli.output` can write CSV tables
without importing networkx.
"""

from __future__ import annotations

import re

# OWASP CSV injection: a cell starting with one of these is run as a formula by spreadsheets
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 allows tab, newline, carriage return and U+0020..U+D7FF, U+E000..U+FFFD, U+10000..
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def spreadsheet_safe(text: str) -> str:
    """``text`` with ``'`` in front when it starts with =, +, -, @, tab or carriage return,
    so Excel or LibreOffice show it instead of running it (the OWASP rule)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (NUL, most C0 controls, lone
    surrogates, U+FFFE/U+FFFF)."""
    return _XML_FORBIDDEN.sub("", text)
