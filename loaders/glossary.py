"""Glossary loader: abbreviation tables and "Key" lists a document defines for itself.

Two shapes are read, each under a heading made only of glossary words ("Glossary and
Abbreviations", "Abbreviations", "Key", "Acronyms", ...; "Key achievements" is not one):

- a two-column table (tab-, pipe- or dash-separated) whose first cell is short:
  ``CS&P<TAB>LBS Community Safety & Partnerships Team``; a first row naming the
  columns ("Abbreviation<TAB>Organisation/Agency/Department") is structure;
- bullets "Expansion (ABBR)", grouped under short section headings ("Council",
  "Health and Social Care", "Other") that become the record's ``category`` hint:
  ``- South London and the Maudsley (SLaM) NHS Foundation Trust``.

The block ends at the first line that is neither a row, a bullet, a section heading
followed by rows, nor blank. Every row and bullet read is a record or a reject.
"""

from __future__ import annotations

import re

from graphmodel.schema import GlossaryRecord, LoadResult, Source

from .text import TextDocument

_HEADING_WORDS = frozenset(
    {
        "glossary",
        "abbreviations",
        "abbreviation",
        "acronyms",
        "acronym",
        "key",
        "and",
        "of",
        "terms",
        "list",
        "to",
        "&",
        "used",
    }
)
_HEADER_CELL = re.compile(r"^(abbreviations?|acronyms?|term|short|key|abbr\.?)$", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•·▪–]|\d+[.)])\s+(.*)$")
_DASH_ROW = re.compile(r"^\s*([^\s].{0,24}?)\s+[–—-]\s+(\S.*)$")
_ABBR_IN_PARENS = re.compile(r"\(([^()]{1,12})\)")
_EMPH = re.compile(r"\*+|_{2,}|</?[a-z]+[^>]*>", re.I)
_EMPH_CHAR = re.compile(r"[*_<]")  # what every _EMPH match starts with
_HEADING_NAMES = ("glossary", "abbreviations", "acronyms", "key")  # one is in every heading
#: First cell of a table row longer than this is prose, not an abbreviation.
MAX_ABBR_CHARS = 25
MAX_ABBR_WORDS = 4


def _plain(line: str) -> str:
    return _EMPH.sub("", line).strip()


def is_glossary_heading(line: str) -> bool:
    """True for "Glossary and Abbreviations", "Key", "Abbreviations:" (not "Key achievements")."""
    if "\t" in line:
        return False  # a table row (most lines of a plan): no need to strip its markup
    if not _EMPH_CHAR.search(line) and not any(w in line.casefold() for w in _HEADING_NAMES):
        return False  # with no markup to strip, a heading's word is in the line as it is
    text = _plain(line).rstrip(":").strip()
    if not text or len(text) > 60:
        return False
    words = text.casefold().split()
    return any(w in _HEADING_NAMES for w in words) and all(w in _HEADING_WORDS for w in words)


def _cells(line: str) -> list[str] | None:
    """The two cells of a table row (tab, pipe or spaced dash), else None."""
    if "\t" in line:
        cells = [c.strip() for c in line.split("\t")]
    elif line.strip().startswith("|"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
    else:
        m = _DASH_ROW.match(_plain(line))
        if not m or _BULLET.match(line) or not _looks_abbreviation(m.group(1)):
            return None
        cells = [m.group(1), m.group(2)]
    cells = [_plain(c) for c in cells if _plain(c)]
    return cells if cells else None


def _looks_abbreviation(text: str) -> bool:
    """A short token with capitals: "CS&P", "LBS YOS RJ", "SLaM", "Youth Council"."""
    return (
        0 < len(text) <= MAX_ABBR_CHARS
        and len(text.split()) <= MAX_ABBR_WORDS
        and any(c.isupper() for c in text)
    )


def _split_bullet(text: str) -> tuple[str, str] | None:
    """("SLaM", "South London and the Maudsley NHS Foundation Trust") from a Key bullet."""
    m = _ABBR_IN_PARENS.search(text)
    if not m or not _looks_abbreviation(m.group(1)) or " " in m.group(1).strip():
        return None
    before = text[: m.start()].strip()
    after = text[m.end() :]
    # keep a name continuation ("... (SLaM) NHS Foundation Trust"), drop a gloss
    # ("... (PCT) – where referenced, this will mean ...")
    after = re.split(r"\s[–—-]\s|[:;,*]|\s\(", after, maxsplit=1)[0].strip()
    if after and not after[0].isupper():
        after = ""
    expansion = " ".join(f"{before} {after}".split())
    return (m.group(1).strip(), expansion) if before else None


def _is_section_heading(line: str) -> bool:
    text = _plain(line).rstrip(":")
    return (
        bool(text)
        and "\t" not in line
        and not _BULLET.match(line)
        and "(" not in text
        and len(text.split()) <= 5
        and text[0].isupper()
        and not text.endswith(".")
    )


def _next_content(lines: tuple[str, ...], i: int) -> int | None:
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i if i < len(lines) else None


def load(doc: TextDocument) -> LoadResult:
    """Glossary records from every glossary table or Key list in ``doc``."""
    res = LoadResult(doc.name, "glossary")
    lines = doc.lines
    i = 0
    while i < len(lines):
        if is_glossary_heading(lines[i]):
            first = _next_content(lines, i + 1)
            if first is not None and _block_starts(lines, first):
                res.structural()  # the heading itself
                i = _read_block(doc, first, res)
                continue
        i += 1
    return res


def _block_starts(lines: tuple[str, ...], i: int) -> bool:
    """A glossary block starts with a two-cell row, a Key bullet, or a section heading."""
    line = lines[i]
    cells = _cells(line)
    if cells and len(cells) >= 2 and _looks_abbreviation(cells[0]):
        return True
    b = _BULLET.match(line)
    if b:
        return _split_bullet(_plain(b.group(1))) is not None
    if _is_section_heading(line):
        nxt = _next_content(lines, i + 1)
        return nxt is not None and nxt != i and _block_starts_rows_only(lines, nxt)
    return False


def _block_starts_rows_only(lines: tuple[str, ...], i: int) -> bool:
    b = _BULLET.match(lines[i])
    if b:
        return _split_bullet(_plain(b.group(1))) is not None
    cells = _cells(lines[i])
    return bool(cells and len(cells) >= 2 and _looks_abbreviation(cells[0]))


def _read_block(doc: TextDocument, i: int, res: LoadResult) -> int:
    """Read rows from line index ``i``; return the index where the block ended."""
    lines = doc.lines
    category: str | None = None
    header_allowed = True
    while i < len(lines):
        line = lines[i]
        n = i + 1  # 1-based line number
        if not line.strip():
            i += 1
            continue
        b = _BULLET.match(line)
        cells = None if b else _cells(line)
        if b:
            text = _plain(b.group(1))
            pair = _split_bullet(text)
            if pair:
                res.loaded(GlossaryRecord(pair[0], pair[1], Source(doc.name, n, n), category))
            else:
                res.reject(n, "Key bullet without an abbreviation in parentheses", text)
        elif cells and len(cells) >= 2:
            abbr, expansion = cells[0], " ".join(cells[1:])
            if header_allowed and _HEADER_CELL.match(abbr):
                res.structural()  # "Abbreviation | Organisation/Agency/Department"
            elif _looks_abbreviation(abbr) and not re.fullmatch(r"[-:| ]+", expansion):
                res.loaded(GlossaryRecord(abbr, expansion, Source(doc.name, n, n), category))
            elif re.fullmatch(r"[-:| ]+", abbr + expansion):
                res.structural()  # markdown separator row
            else:
                res.reject(n, f"first cell is not a short abbreviation ({len(abbr)} characters)", line)
        elif (
            _is_section_heading(line)
            and (nxt := _next_content(lines, i + 1)) is not None
            and _block_starts_rows_only(lines, nxt)
        ):
            category = _plain(line).rstrip(":")
            res.structural()
        else:
            return i
        header_allowed = False
        i += 1
    return i
