"""Reading packed cells: paragraphs, theme headings, wrapped words and owner names.

A packed strategy action plan puts several actions in one cell as ``<p>`` paragraphs and
bullets, with their owners and timescales as paragraphs of the cells beside them. The
markup itself is stripped by the shared `loaders.tables.cell_items`; this module adds
what packed cells need on top: which items were bullets, words a narrow column wrapped
mid-word, theme headings among the actions, paragraphs cut by a page break, and owner
paragraphs split into bodies with `loaders.bodies.split_bodies` and the document's own
glossary / Key vocabulary.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence

from .bodies import GENERIC_BODIES, Vocabulary, glossary_pairs, split_bodies
from .tables import _INLINE_TAG_RE, cell_items
from .text import TextDocument

# ---------------------------------------------------------------------------- cell text

_MARK = "\x01"
# a list item opens at <li> or at a bullet character (after white space or at the start)
_ITEM_OPEN = re.compile(r"<\s*li\b[^>]{0,200}>|(?:^|(?<=\s))[•●▪◦]", re.I)
# tags the shared cell mechanics do not know (<font>, <th> ...): dropped, not kept as text
_OTHER_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")
# characters any of the markup read below starts with (bullets of _ITEM_OPEN and of
# `loaders.tables.cell_items`)
_MARKUP_CHAR = re.compile("[<&*\x01•·▪●◦]")


def marked_blocks(cell: str) -> list[tuple[str, bool]]:
    """Paragraphs and list items of a cell, each with a flag: True for a bullet item.

    Examples
    --------
    >>> marked_blocks('<p>We will:</p> <ul> • Train staff; • Map services</ul>')
    [('We will:', False), ('Train staff;', True), ('Map services', True)]
    """
    if not _MARKUP_CHAR.search(cell):
        # no tags, entities, bold marks, markers or bullets: one paragraph, white space
        # collapsed (what the steps below make of such a cell)
        text = " ".join(cell.split())
        return [(text, False)] if text and text not in {"-", "--", "---"} else []
    out: list[tuple[str, bool]] = []
    # a marker after each item opening survives `cell_items` and tells bullets apart
    for item in cell_items(_ITEM_OPEN.sub("<li>" + _MARK, cell)):
        bullet = item.startswith(_MARK)
        text = " ".join(html.unescape(_OTHER_TAG.sub(" ", item.replace(_MARK, ""))).split())
        if text and text not in {"-", "--", "---"}:
            out.append((text, bullet))
    return out


def joined_text(cell: str) -> str:
    """The cell with only the markup dropped that `marked_blocks` drops without a break
    (inline tags, "**", its item markers) and character references decoded: every word
    of `cell_text` is in it, so a word missing here is missing there (a cheap test)."""
    text = _INLINE_TAG_RE.sub("", _ITEM_OPEN.sub("<li>" + _MARK, cell)).replace("**", "")
    text = text.replace(_MARK, "")
    return html.unescape(text) if "&" in text else text


def cell_blocks(cell: str) -> list[str]:
    """Paragraphs and bullet items of one table cell, tags stripped, whitespace normalised.

    Examples
    --------
    >>> cell_blocks('<p>Public Health</p> <ul style="x"> • A; • B</ul>')
    ['Public Health', 'A;', 'B']
    """
    return [t for t, _ in marked_blocks(cell)]


def cell_text(cell: str) -> str:
    """A whole cell as one line of plain text (paragraphs joined by a space: they are
    sentences, unlike the list items `loaders.tables.clean_cell` joins with "; ")."""
    return " ".join(cell_blocks(cell))


_WORD = re.compile(r"[A-Za-z]+")


def word_counts(doc: TextDocument) -> Counter[str]:
    """How often each lower-case word occurs in ``doc`` (to rejoin words wrapped mid-word)."""
    return Counter(w.lower() for line in doc.lines for w in _WORD.findall(line))


def rejoin_wrapped(text: str, vocab: Counter[str]) -> str:
    """Rejoin a word a narrow cell wrapped mid-word ("commu nity" -> "community").

    A pair is joined when the first part is a fragment (seen at most once in the document,
    three letters or more) and the joined word occurs at least twice elsewhere.
    """
    words = text.split(" ")
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if i + 1 < len(words):
            m1 = re.search(r"([A-Za-z]{3,})$", w)
            m2 = re.match(r"([a-z]+)", words[i + 1])
            if m1 and m2:
                a, b = m1.group(1).lower(), m2.group(1)
                if vocab[a] <= 1 and vocab[a + b] >= 2:
                    out.append(w + words[i + 1])
                    i += 2
                    continue
        out.append(w)
        i += 1
    return " ".join(out)


# ---------------------------------------------------------------------------- paragraphs

#: Verbs that open an action; used only to tell a glued theme heading from the action text.
_VERBS = frozenset(
    """
access achieve agree align assess audit build carry collaborate commission complete consider
continue co-produce coproduce create deliver design develop embed enable encourage engage ensure
establish evaluate expand explore extend focus identify implement improve increase introduce
invest involve launch lead maintain make map monitor offer pilot plan promote provide publish
raise recognise recruit reduce refresh respond review roll seek set share shift signpost
strengthen support tackle train undertake use utilise work
""".split()
)
_STOP_END = frozenset("a an and as at by for from in of on or the to with our their its".split())


def _first_word(text: str) -> str:
    m = re.match(r"[A-Za-z'-]+", text)
    return m.group(0).lower() if m else ""


def is_theme(text: str) -> bool:
    """A short heading paragraph inside an actions cell ("Stigma and Literacy")."""
    words = text.split()
    return (
        1 <= len(words) <= 6
        and text[:1].isupper()
        and text[-1] not in ".;:,"
        and _first_word(text) not in _VERBS
        and not re.search(r"\d", text)
    )


def split_theme(text: str) -> tuple[str | None, str]:
    """Split a theme heading glued to its action ("Crisis services Collaborate with ...")."""
    words = text.split()
    if _first_word(text) in _VERBS or _first_word(text) in ("we", "the", "to", "our", "this"):
        return None, text
    for k in range(1, min(7, len(words) - 2)):
        w = words[k]
        if w[:1].isupper() and w.lower().strip(",") in _VERBS and not words[k - 1].endswith((",", ";")):
            head = " ".join(words[:k])
            if not re.search(r"[.;:]", head):
                return head, " ".join(words[k:])
    return None, text


def continues(prev: str, nxt: str) -> bool:
    """Does ``nxt`` continue ``prev`` across a row / page break?"""
    if not prev or not nxt:
        return False
    if nxt[:1].islower():
        return True
    last = prev.split()[-1].lower() if prev.split() else ""
    return prev[-1] not in ".;:!?)" and last in _STOP_END


# ---------------------------------------------------------------------------- owners

_KEY_HEADING = re.compile(r"^\W*(?:key|glossary|abbreviations|acronyms)\b", re.I)
_KEY_ITEM = re.compile(
    r"^\s*[-•*●▪◦]\s+(?P<name>[^()]{2,80}?)\s*\((?P<abbr>[A-Z][A-Za-z&]{0,9})\)"
    r"(?P<rest>[^–—:]*)"
)


def _listed_items(lines: Sequence[str]) -> list[tuple[str, str, str]]:
    """(abbreviation, name before it, whole name) of each bullet under a Key heading."""
    items: list[tuple[str, str, str]] = []
    inside = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        text = " ".join(stripped.replace("*", " ").split())  # "**Key**" is a heading too
        m = _KEY_ITEM.match(stripped)
        if inside and m:
            head = " ".join(m["name"].split()).strip(" ,;.")
            items.append((m["abbr"], head, " ".join(f"{head} {m['rest']}".split()).strip(" ,;.")))
            continue
        short_heading = len(text.split()) <= 5 and "\t" not in line and not stripped.endswith((".", ";", ","))
        if _KEY_HEADING.match(text) and short_heading:
            inside = True
        elif not short_heading:
            inside = False
    return items


def listed_pairs(lines: Sequence[str]) -> dict[str, str]:
    """Abbreviation -> name from bullet lists under a "Key" / "Glossary" heading.

    Strategies list their abbreviations as "- Children and Families (C&F)" under a
    heading "Key", grouped by short sub-headings ("Council", "Other"). The list ends at
    the first line that is neither a bullet nor a short heading. Text after a dash is a
    comment, not part of the name ("Partnership Commissioning Team (PCT) – where ...").
    A name that runs on after the abbreviation keeps its tail.

    Examples
    --------
    >>> listed_pairs(["Key", "", "Council", "- Children and Families (C&F)", "Other",
    ...               "- South London and the Maudsley (SLaM) NHS Foundation Trust"])
    {'C&F': 'Children and Families', 'SLaM': 'South London and the Maudsley NHS Foundation Trust'}
    """
    pairs: dict[str, str] = {}
    for abbr, _, name in _listed_items(lines):
        pairs.setdefault(abbr, name)
    return pairs


def owner_vocabulary(doc: TextDocument) -> Vocabulary:
    """Body names the document defines (its Key list first, then glossary tables and
    "Full Name (ABBR)" in running text), plus names every plan uses.

    The Key list wins over running text, where "CCG and Children and Families (C&F)"
    would otherwise read as one name defined for C&F.
    """
    items = _listed_items(doc.lines)
    listed = {abbr: name for abbr, _, name in reversed(items)}  # the first definition wins
    pairs = {**{k: v for k, v in glossary_pairs(doc.lines).items() if k not in listed}, **listed}
    # "South London and the Maudsley (SLaM) NHS Foundation Trust": plans write the short
    # form too, so the words before the abbreviation are a name of their own
    names = [*GENERIC_BODIES, *pairs.keys(), *(head for _, head, _ in items)]
    return Vocabulary(names, pairs)


_GENERIC_OWNERS = frozenset(
    {"partners", "others", "wider partners", "all partners", "and wider", "residents", "etc"}
)
# "(PCT)" standing alone between separators is an owner, not a qualifier of the name before
_BARE_PARENS = re.compile(r"(^|[,;/&+]\s*)\(([^()]{1,60})\)(?=\s*(?:[,;/&+]|$))")
_POSSESSIVE = re.compile(r"^\w+(?:'s|s')$")


def split_owners(raw: str, vocabulary: Vocabulary | None = None) -> tuple[str, ...]:
    """Individual owner names of one owner paragraph.

    Separators (, ; / & + and) divide names unless the "and" is inside a name the
    vocabulary knows ("South London and the Maudsley"); parenthesised abbreviations
    after a name are dropped ("Children and Families (C&F)"); collective words
    ("partners", "residents") are not bodies.

    Examples
    --------
    >>> vocab = Vocabulary(["CCG", "Children and Families"])
    >>> split_owners("CCG and Children and Families (C&F)", vocab)
    ('CCG', 'Children and Families')
    >>> split_owners("MH Team, (PCT), Kings")
    ('MH Team', 'PCT', 'Kings')
    >>> split_owners("Children's and Adults' Social Care & Education")
    ("Children's Social Care", "Adults' Social Care", 'Education')
    """
    text = _BARE_PARENS.sub(r"\1\2", raw.strip())
    leads, supports = split_bodies(text, vocabulary or Vocabulary(GENERIC_BODIES))
    names = [n.strip(" .,;") for n in [*leads, *supports]]
    out: list[str] = []
    for i, name in enumerate(names):
        nxt = names[i + 1].split() if i + 1 < len(names) else []
        if _POSSESSIVE.match(name) and len(nxt) > 1 and _POSSESSIVE.match(nxt[0]):
            # "Children's and Adults' Social Care": the shared head belongs to both
            name = f"{name} {' '.join(nxt[1:])}"
        if name and name.lower() not in _GENERIC_OWNERS and name not in out:
            out.append(name)
    return tuple(out)
