"""Strategies, plans and programmes a document names, found by the shape of their names.

A name is a run of capitalised words (with ``and``/``of``/``&`` between them) whose last
word is a head word: Strategy, Plan, View, Programme, Partnership, Concordat, Framework.
"<Head> <Borough>" (Partnership Southwark) is a name too. No list of known strategies is
used, so other boroughs' papers load the same way.

Normalisation: a leading "the" is dropped; a possessive owner ("SLaM's", "the Council's")
is dropped and kept in ``props.owner``; the borough prefix ("Southwark", "Southwark's") is
dropped and kept in ``props.borough`` unless the bare name is also used elsewhere in the
document for a different, qualified document ("Five Year Forward View for Mental Health"),
in which case "Southwark Five Year Forward View" keeps its borough to stay distinct.
Years ("(2017-2022)", "2017 - 2019") go to ``props.years``.

Each reference is attributed to the strategy the surrounding section is about: the
nearest preceding title line (a stand-alone line that is a strategy name, or a review /
proposal heading), else the document's "Report title:", else its first line.

Accounting: lines scanned are not rows. Only a name occurrence that is emitted as a
`ReferenceRecord` is a row (``rows_read == rows_loaded == references``); occurrences that
are noise ("Action Plan", "the Strategy") or the section's own strategy are not counted.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from graphmodel.schema import LoadResult, ReferenceRecord, Source, StrategyRecord

from .text import TextDocument

HEADS = frozenset({"Strategy", "Plan", "View", "Programme", "Program", "Partnership",
                   "Concordat", "Framework"})
_CONNECTORS = frozenset({"and", "of", "for", "&"})
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

#: Words that do not make a name specific: "Action Plan", "Delivery Programme", ...
_GENERIC = frozenset({"action", "work", "governance", "delivery", "implementation", "project",
                      "business", "care", "draft", "final", "overall", "annual", "new", "key",
                      "local", "national", "joint", "strategic", "this", "that", "our", "your",
                      "their", "its", "the", "a", "an", "these", "those", "each", "any",
                      "wider", "whole", "overarching", "programme", "plan", "strategy"})
_LEADING_DROP = frozenset({"the", "a", "an", "and", "of", "for", "to", "on", "in", "&"})
_POSSESSIVE = re.compile(r"^(?P<w>.+?)(?:’s|'s|’|')$")
_YEARS = re.compile(
    r"^\s*[(\[]?\s*(?P<y>(?:19|20)\d{2}(?:/\d{2})?(?:\s*[-–—]\s*(?:(?:19|20)?\d{2})(?:/\d{2})?)?"
    r"|\d{2}/\d{2})\s*[)\]]?")
_YEARS_ANY = re.compile(r"[(\[]?\b(?:19|20)\d{2}(?:/\d{2})?"
                        r"(?:\s*[-–—]\s*(?:(?:19|20)?\d{2})(?:/\d{2})?)?\b[)\]]?")
_QUALIFIER = re.compile(r"^\s+(?:for|of)\s+(?P<q>[A-Z][\w’'&/-]*(?:\s+(?:and\s+|&\s+)?[A-Z][\w’'&/-]*)*)")
# The same two patterns without "^", for Pattern.match(text, pos): matching at an offset
# instead of on a copy of the rest of the text (a long paragraph made that quadratic).
_QUALIFIER_AT = re.compile(_QUALIFIER.pattern.removeprefix("^"))
_YEARS_AT = re.compile(_YEARS.pattern.removeprefix("^"))
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z“\"‘(])")
_SENTENCE_RIGHT = re.compile(r"[.!?](?=\s+[A-Z“\"‘(]|\s*$)|\t")
_TAG = re.compile(r"<[^>]*>")
_TITLE_LABEL = re.compile(r"^\s*(?:report title|title|subject)\s*:\s*(?P<t>.*)$", re.I)
_NEXT_LABEL = re.compile(r"^\s*[A-Z][\w() /&-]{0,40}:\s")
_SECTION_WORDS = re.compile(r"\b(?:review|proposal|scope)\b", re.I)


@dataclass(frozen=True, slots=True)
class NameMatch:
    """One strategy-like name found in a text: where, as written, and its normal form."""

    start: int  # offsets into the scanned text
    end: int
    bare: str  # without owner, borough or years
    borough: str | None = None  # borough prefix that was present ("Southwark")
    owner: str | None = None  # possessive owner that was present ("SLaM")
    years: str | None = None
    qualifier: str | None = None  # "for Mental Health"
    raw: str = ""


@dataclass(slots=True)
class Paragraph:
    """Lines joined into one text, with the line number of every character offset."""

    text: str
    starts: list[tuple[int, int]] = field(default_factory=list)  # (offset, line number)

    def line_at(self, offset: int) -> int:
        """The line number of the character at ``offset`` (the first line's before it)."""
        i = bisect_right(self.starts, offset, key=lambda s: s[0])
        return self.starts[max(i - 1, 0)][1]


@lru_cache(maxsize=1 << 16)
def _clean_token(tok: str) -> tuple[str, bool, bool]:
    """Token without decoration; whether it opens and whether it closes a name run."""
    tok = tok.lstrip(_SUPERSCRIPTS)
    opens = tok[:1] in "([“\"‘'*"
    core = tok.strip("*“”\"‘()[]")
    closes = bool(re.search(r"[,;:.!?)\]”\"]\**$", tok)) and not re.fullmatch(r"[A-Z]\.", core)
    core = core.rstrip(",;:.!?”\"*)")
    return core, opens, closes


@lru_cache(maxsize=1 << 16)
def _not_a_word(word: str) -> bool:
    """Empty, a year span or a long number: it ends a name run and is no part of one."""
    return not word or bool(_YEARS.fullmatch(word)) or (word.isdigit() and len(word) > 2)


def _is_cap(word: str) -> bool:
    return bool(word) and (word[0].isupper() or (word.isdigit() and len(word) <= 2))


_BOROUGH_OF = re.compile(r"\b([A-Z][a-z]{3,})(?:’s|'s)? (?:Council|CCG|Clinical Commissioning|"
                         r"Borough)\b|London Borough of ([A-Z][a-z]{3,})")
_POSSESSIVE_WORD = re.compile(r"\b([A-Z][a-z]{3,})(?:’s|'s) [A-Z]")


def _has_borough_word(text: str) -> bool:
    """Whether ``text`` holds a word `_BOROUGH_OF` needs."""
    return "Council" in text or "CCG" in text or "Clinical Commissioning" in text \
        or "Borough" in text


def detect_borough(lines: Sequence[str]) -> str | None:
    """The borough a paper is about: the word most often before Council / CCG / Borough."""
    counts: Counter[str] = Counter()
    for line in lines:
        # Each pattern only where the words it needs are (most lines have none), and only
        # in those cells of a table row: neither pattern matches across a tab.
        named = _has_borough_word(line)
        possessive = "’s " in line or "'s " in line
        if not (named or possessive):
            continue
        cells = line.split("\t")
        if named:
            for cell in cells:
                if _has_borough_word(cell):
                    for m in _BOROUGH_OF.finditer(cell):
                        counts[m.group(1) or m.group(2)] += 2
        if possessive:
            for cell in cells:
                if "’s " in cell or "'s " in cell:
                    for m in _POSSESSIVE_WORD.finditer(cell):
                        counts[m.group(1)] += 1
    for word in ("County", "City", "District", "Town", "Parish", "The", "Wide", "Joint", "Mayor",
                 "Council", "People", "Government", "England", "Board", "Committee"):
        counts.pop(word, None)
    if not counts:
        return None
    word, n = counts.most_common(1)[0]
    return word if n >= 2 else None


_TOKEN = re.compile(r"[^\s]+|\t")
_HEAD = re.compile("|".join(sorted(HEADS, key=len, reverse=True)))


def find_names(text: str, borough: str | None = None) -> list[NameMatch]:
    """Strategy-like names in ``text`` (not yet filtered for noise)."""
    text = _TAG.sub(lambda m: "\t" + " " * (len(m.group()) - 1), text)
    out: list[NameMatch] = []
    # Every name holds a head word, so only the runs around head words are read: each
    # from a token after which the run is empty whatever came before (`_resets`), to the
    # first point past the head where the run is empty again. The runs are the ones a
    # scan of the whole text makes (a long table is mostly lower-case prose).
    done = 0  # text[:done] is read, and the run is empty at ``done``
    for head in _HEAD.finditer(text):
        if head.start() < done:
            continue  # its token was read with the region before
        done = _read_runs(text, _reset_before(text, done, head.start()), head.end(), borough, out)
    return out


@lru_cache(maxsize=1 << 16)
def _resets(tok: str) -> bool:
    """After token ``tok`` the run is empty, whatever it held (see `_read_runs`)."""
    if tok == "\t":
        return True
    word, _, closes = _clean_token(tok)
    return closes or _not_a_word(word) or not (_is_cap(word) or word in _CONNECTORS)


def _reset_before(text: str, lo: int, at: int) -> int:
    """An offset in ``lo..at`` where the run is empty: ``lo`` (where it is empty), or the
    end of the last resetting token before the token holding offset ``at``."""
    t0 = at
    while t0 > lo and not text[t0 - 1].isspace():
        t0 -= 1  # the start of the token holding ``at``
    span = 64  # the nearest resetting token is usually a word or two back
    while True:
        a = max(lo, t0 - span)
        found = None
        for m in _TOKEN.finditer(text, a, t0):
            if m.start() == a and a > lo and not text[a - 1].isspace():
                continue  # a token cut by the window: not a whole token
            if _resets(m.group()):
                found = m.end()
        if found is not None:
            return found
        if a == lo:
            return lo
        span *= 4


def _read_runs(text: str, start: int, head_end: int, borough: str | None,
               out: list[NameMatch]) -> int:
    """Read tokens from ``start`` (where the run is empty), adding the names of the runs
    closed to ``out``, until the run is empty after a token past ``head_end``; return
    where reading stopped."""
    run: list[tuple[int, int, str]] = []  # (start, end, word)

    def close() -> None:
        if run:
            out.extend(_names_in_run(run, text, borough))
        run.clear()

    for m in _TOKEN.finditer(text, start):
        tok = m.group()
        if tok == "\t":
            close()
        else:
            word, opens, closes = _clean_token(tok)
            skip = _not_a_word(word)
            if opens or skip:
                close()
            if not skip:
                if word == "The" and run:
                    close()  # "Mayor of London on The London ..." starts a new name
                if _is_cap(word) or (run and word in _CONNECTORS):
                    run.append((m.start(), m.end(), word))
                else:
                    close()
                if closes:
                    close()
        if not run and m.start() >= head_end:
            return m.end()
    close()
    return len(text)


def _names_in_run(run: list[tuple[int, int, str]], text: str,
                  borough: str | None) -> list[NameMatch]:
    words = [w for _, _, w in run]
    found: list[NameMatch] = []
    # "<Head> <Borough>" anywhere in a run: Partnership Southwark.
    if borough:
        for i in range(len(words) - 1):
            nxt = _POSSESSIVE.match(words[i + 1])
            nxt_word = nxt.group("w") if nxt else words[i + 1]
            if words[i] in HEADS and nxt_word == borough:
                found.append(NameMatch(run[i][0], run[i + 1][1], f"{words[i]} {borough}",
                                       raw=text[run[i][0]:run[i + 1][1]]))
    # A head word followed by "and" ends one name ("... Strategy and Partnership
    # Southwark"); followed by "for"/"of" it ends the name and the rest qualifies it.
    for i, w in enumerate(words[:-1]):
        if w in HEADS and words[i + 1] in ("and", "&"):
            found.extend(m for m in _names_in_run(run[:i + 1], text, borough) if m not in found)
            found.extend(m for m in _names_in_run(run[i + 2:], text, borough) if m not in found)
            return found
        if w in HEADS and words[i + 1] in ("for", "of") and i + 2 < len(words):
            # the qualifier runs to an "and" that starts another name, if any
            nxt = next((j for j in range(i + 2, len(words)) if words[j] in ("and", "&")
                        and any(x in HEADS for x in words[j + 1:])), len(words))
            qual = " ".join(words[i + 1:nxt])
            for m in _names_in_run(run[:i + 1], text, borough):
                found.append(NameMatch(m.start, m.end, m.bare, m.borough, m.owner, m.years,
                                       qual, m.raw))
            if nxt < len(words):
                found.extend(_names_in_run(run[nxt + 1:], text, borough))
            return found
    while words and words[-1] in _CONNECTORS:
        words.pop()
        run = run[:-1]
    if not words or words[-1] not in HEADS:
        return found
    # Owner: the last possessive word ends the owner, the name starts after it.
    first, owner, boro = 0, None, None
    for i, w in enumerate(words[:-1]):
        m = _POSSESSIVE.match(w)
        owner_words = [*words[first:i], m.group("w")] if m else []
        # "Children and Young People's Mental Health Plan": a possessive inside a name
        # with connectors is part of the name, not its owner.
        if m and w.endswith(("’s", "'s")) and len(owner_words) <= 3 and not any(
                x in _CONNECTORS for x in owner_words):
            own = " ".join(owner_words)
            own = re.sub(r"^(?:The|the)\s+", "", own)
            if own == borough:
                boro, owner = borough, None
            else:
                owner, boro = own, None
            first = i + 1
    while first < len(words) - 1 and words[first].casefold() in _LEADING_DROP:
        first += 1
    if borough and boro is None and first < len(words) - 1 and words[first] == borough:
        boro = borough
        first += 1
    name_words = words[first:]
    start, end = run[first][0], run[-1][1]
    years = qualifier = None
    q = _QUALIFIER_AT.match(text, end)
    at = end
    if q:
        qualifier = " ".join(q.group(0).split())
        at = q.end()
    y = _YEARS_AT.match(text, at)
    if y:
        years = re.sub(r"\s+", "", y.group("y")).replace("–", "-").replace("—", "-")
    found.append(NameMatch(start, end, " ".join(name_words), borough=boro, owner=owner,
                           years=years, qualifier=qualifier, raw=text[run[0][0]:end]))
    return found


def is_noise(name: str) -> bool:
    """True for names that are not specific: "Action Plan", "the Strategy", "Strategy"."""
    words = [w for w in re.split(r"[\s/]+", name) if w]
    if len(words) < 2:
        return True
    content = [w for w in words if w.casefold() not in _GENERIC and w.casefold() not in _CONNECTORS]
    return not content or words[0].casefold() in {"this", "that", "these", "our", "your"}


def _acronym_words(word: str, words: list[str]) -> list[str]:
    """Expand an acronym (MH) into the run of ``words`` whose initials it spells."""
    if not (word.isupper() and 2 <= len(word) <= 5):
        return [word]
    content = [w for w in words if w.casefold() not in _CONNECTORS]
    for i in range(len(content) - len(word) + 1):
        span = content[i:i + len(word)]
        if "".join(w[0] for w in span).upper() == word:
            return span
    return [word]


def is_self_reference(target: str, subject: str, borough: str | None = None) -> bool:
    """Whether ``target`` is how a document names its own subject ("MH Strategy").

    True when every word of ``target`` (acronyms expanded) is a word of ``subject`` and
    ``target`` keeps the subject's first topic word (so "Health and Wellbeing Strategy"
    is not taken for the "Joint Mental Health and Wellbeing Strategy").
    """
    subj_words = [w for w in re.split(r"[\s/&]+", subject) if w]
    subj = {w.casefold() for w in subj_words} | {"joint"} | ({borough.casefold()} if borough else set())
    topic = next((w.casefold() for w in subj_words
                  if w.casefold() not in _GENERIC and w.casefold() not in _CONNECTORS
                  and w != borough), None)
    tgt: list[str] = []
    for w in re.split(r"[\s/&]+", target):
        if w:
            tgt.extend(_acronym_words(w, subj_words))
    tgt_cf = {w.casefold() for w in tgt}
    if not tgt_cf <= subj:
        return False
    return topic is None or topic in tgt_cf


class NameIndex:
    """Every name occurrence in a document, to decide borough prefixes document-wide."""

    def __init__(self, doc: TextDocument) -> None:
        self.borough = detect_borough(doc.lines)
        self.paragraphs = paragraphs(doc.lines)
        self.matches: list[tuple[Paragraph, NameMatch]] = [
            (p, m) for p in self.paragraphs for m in find_names(p.text, self.borough)]
        # Bare names used for a qualified document without the borough ("Five Year
        # Forward View for Mental Health"): a borough's own one keeps its prefix.
        self._national = {m.bare.casefold() for _, m in self.matches
                          if m.borough is None and (m.owner or m.qualifier)}

    def canonical(self, m: NameMatch) -> str:
        """The name the graph uses for ``m``."""
        if m.borough and m.bare.casefold() in self._national:
            return f"{m.borough} {m.bare}"
        return m.bare

    def props(self, m: NameMatch) -> dict[str, object]:
        out: dict[str, object] = {}
        for key in ("borough", "owner", "years", "qualifier"):
            value = getattr(m, key)
            if value:
                out[key] = value
        return out


_last_index: tuple[TextDocument, NameIndex] | None = None


def name_index(doc: TextDocument) -> NameIndex:
    """`NameIndex` of ``doc``, built once for the loaders that read it in turn (a document
    and its index are not changed after they are made)."""
    global _last_index
    if _last_index is None or _last_index[0] is not doc:
        _last_index = (doc, NameIndex(doc))  # holding ``doc`` keeps its id from being reused
    return _last_index[1]


def _mid_sentence(line: str) -> bool:
    """A (non-blank) line that reads as the rest of a sentence begun above."""
    first = line.split()[0]
    return (first[:1].islower() or first.endswith(",")
            or (len(line.split()) <= 3 and line.rstrip().endswith(".")))


def paragraphs(lines: Sequence[str]) -> list[Paragraph]:
    """Runs of lines as texts; a paragraph continues over blank lines when its last
    line ends mid-sentence and the next line is flush-left prose (PDF page flow)."""
    out: list[Paragraph] = []
    cur: Paragraph | None = None
    # The current paragraph's text is kept as parts (joined at its end) and its last
    # 200 characters: appending to one string per line was quadratic in a long table.
    parts: list[str] = []
    size = 0
    tail = ""
    gap = False

    def finish() -> None:
        if cur is not None:
            cur.text = "".join(parts)

    for n, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        if not line.strip():
            gap = True
            continue
        # the text ends with a stripped line, so "ends a sentence" is its last character
        joinable = (cur is not None and (not gap or (
            tail[-1:] not in ".:;!?" and not line[:1].isspace()
            and "\t" not in line and _mid_sentence(line))))
        if not joinable:
            finish()
            cur = Paragraph("", [])
            out.append(cur)
            parts, size, tail = [], 0, ""
        assert cur is not None
        sep = ""
        if size:
            if "\t" in line or "\t" in tail:
                sep = "\t"  # table rows: a cell never runs on into the next row
            elif tail.endswith("-") and tail[-2:-1].isalpha() and line.strip()[:1].islower():
                pass  # hyphenated word broken over lines
            else:
                sep = " "
        text = line.strip()
        cur.starts.append((size + len(sep), n))
        parts += [sep, text]
        size += len(sep) + len(text)
        tail = (tail + sep + text)[-200:]
        gap = False
    finish()
    return out


def sentence_at(text: str, start: int, end: int, limit: int = 300) -> str:
    """The sentence (or table cell) of ``text`` around ``start``..``end``."""
    clean = _untagged(text)
    tab = clean.rfind("\t", 0, start)
    # Sentence ends are searched only back to the cell's tab (an earlier one cannot win
    # the max), from the punctuation before the whitespace run that holds the tab, so
    # the matches are the ones a search from the start finds.
    w = max(tab, 0)
    while w > 0 and clean[w - 1].isspace():
        w -= 1
    w = max(w - 1, 0)
    left = max([tab, *(m.end() - 1 for m in _SENTENCE_END.finditer(clean, w, start))])
    right_m = _SENTENCE_RIGHT.search(clean, end)
    right = right_m.end() if right_m else len(clean)
    sent = " ".join(clean[left + 1:right].split())
    if len(sent) > limit:
        a = max(0, start - left - 1 - limit // 2)
        sent = sent[a:a + limit].strip()
    return sent


@lru_cache(maxsize=4)
def _untagged(text: str) -> str:
    """``text`` with tags blanked (same length); cached: one paragraph, many names."""
    return _TAG.sub(lambda m: "\t" + " " * (len(m.group()) - 1), text)


def report_title(lines: Sequence[str]) -> tuple[str, int, int] | None:
    """The text of a "Report title:" block near the top, with its first and last line."""
    for i, line in enumerate(lines[:120]):
        m = _TITLE_LABEL.match(line)
        if not m:
            continue
        parts, j = [m.group("t").strip()], i + 1
        while j < len(lines) and lines[j].strip() and not _NEXT_LABEL.match(lines[j]):
            parts.append(lines[j].strip())
            j += 1
        title = " ".join(" ".join(parts).split()).strip("* ")
        if title:
            return title, i + 1, j
    return None


def document_subject(doc: TextDocument) -> tuple[str, int]:
    """What a document is about: its report title, else its first substantial line."""
    found = report_title(doc.lines)
    if found:
        return found[0], found[1]
    for n, line in enumerate(doc.lines, start=1):
        text = " ".join(line.replace("*", " ").split())
        if len(re.findall(r"[A-Za-z]{2,}", text)) >= 2 and len(text) <= 120:
            return text, n
    return doc.name, 1


def _title_lines(doc: TextDocument, index: NameIndex) -> list[tuple[int, str, dict[str, object]]]:
    """Section titles: stand-alone lines naming a strategy, or a review / proposal heading."""
    lines = doc.lines
    blank = [not ln.strip() for ln in lines]

    def standalone(i: int) -> bool:
        return (not blank[i] and (i == 0 or blank[i - 1]) and (i + 1 >= len(lines) or blank[i + 1])
                and len(lines[i].strip()) <= 90 and not re.search(r"[.;,:?]\s*$", lines[i])
                and "\t" not in lines[i] and "<" not in lines[i]
                and not re.match(r"^\s*[\d" + _SUPERSCRIPTS + r"]", lines[i]))

    out: list[tuple[int, str, dict[str, object]]] = []
    i = 0
    while i < len(lines):
        if not standalone(i):
            i += 1
            continue
        text = lines[i].strip().strip("*").strip()
        span = 1
        nxt = i + 2
        # A title broken over two stand-alone lines: "Knife Crime ..." + "Action Plan 2017".
        if nxt < len(lines) and standalone(nxt) and not find_names(text, index.borough):
            joined = f"{text} {lines[nxt].strip().strip('*').strip()}"
            if (all(is_noise(m.bare) for m in find_names(lines[nxt], index.borough))
                    and any(not is_noise(m.bare) for m in find_names(joined, index.borough))):
                text, span = joined, 3
        names = [m for m in find_names(text, index.borough) if not is_noise(m.bare)]
        if names:
            m = names[0]
            raw_start = m.end - len(m.raw)
            leftover = (text[:raw_start] + text[m.end:]).strip()
            leftover = _YEARS_ANY.sub("", leftover).strip(" -–:*")
            if len(re.sub(r"^(?:the|a)\b", "", leftover, flags=re.I).strip()) <= 3:
                out.append((i + 1, index.canonical(m), index.props(m)))
                i += span
                continue
        if _SECTION_WORDS.search(text) and len(text.split()) <= 6 and text[:1].isupper():
            out.append((i + 1, text, {}))
        i += span
    return out


def load(doc: TextDocument) -> LoadResult:
    """References from each section's strategy to the strategies it names."""
    res = LoadResult(doc.name, "references")
    index = name_index(doc)
    subject, subject_line = document_subject(doc)
    titles = _title_lines(doc, index)
    subjects_emitted: set[str] = set()
    targets_emitted: set[str] = set()
    seen: set[tuple[str, str, int]] = set()

    def section_at(line: int) -> tuple[str, int, dict[str, object]]:
        # the last title at or above ``line`` (titles are in line order)
        i = bisect_right(titles, line, key=lambda t: t[0])
        if i == 0:
            return subject, subject_line, {"kind": "document"}
        t_line, name, props = titles[i - 1]
        return name, t_line, props

    title_line_set = {t for t, _, _ in titles}
    for para, m in index.matches:
        if is_noise(m.bare):
            continue
        line = para.line_at(m.start)
        end_line = para.line_at(max(m.start, m.end - 1))
        if line in title_line_set:
            continue
        strategy, s_line, s_props = section_at(line)
        target = index.canonical(m)
        if (is_self_reference(target, strategy, index.borough)
                or is_self_reference(m.bare, strategy, index.borough)
                or target.casefold() == strategy.casefold()):
            continue
        key = (strategy, target.casefold(), line)
        if key in seen:
            continue
        seen.add(key)
        src = Source(doc.name, line, end_line)
        records: list = [ReferenceRecord(strategy, target, src, evidence=sentence_at(
            para.text, m.start, m.end))]
        if strategy not in subjects_emitted:
            subjects_emitted.add(strategy)
            kind = s_props.get("kind", "section" if s_line != subject_line else "document")
            records.append(StrategyRecord(strategy, Source(doc.name, s_line, s_line),
                                          {**s_props, "kind": kind}))
        if target.casefold() not in targets_emitted:
            targets_emitted.add(target.casefold())
            records.append(StrategyRecord(target, src, {"kind": "referenced", **index.props(m)}))
        res.loaded(*records)
    return res
