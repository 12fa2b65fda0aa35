"""References from each section's strategy to the strategies, plans and programmes it names.

Names are found by `loaders.names` (by the shape of their words) and indexed document-wide
by `loaders.name_index`, which decides whether a borough prefix stays on: it is dropped
and kept in ``props.borough`` unless the bare name is also used elsewhere in the document
for a different, qualified document ("Five Year Forward View for Mental Health"), in which
case "Barnet Five Year Forward View" keeps its borough to stay distinct. Owner and
years go to ``props.owner`` and ``props.years``.

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
from functools import lru_cache

from graphmodel.schema import LoadResult, ReferenceRecord, Source, StrategyRecord

from .name_index import NameIndex, document_subject, name_index
from .names import SUPERSCRIPTS, TAG, find_names, is_noise, is_self_reference
from .text import TextDocument

_YEARS_ANY = re.compile(
    r"[(\[]?\b(?:19|20)\d{2}(?:/\d{2})?"
    r"(?:\s*[-–—]\s*(?:(?:19|20)?\d{2})(?:/\d{2})?)?\b[)\]]?"
)
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z“\"‘(])")
_SENTENCE_RIGHT = re.compile(r"[.!?](?=\s+[A-Z“\"‘(]|\s*$)|\t")
_SECTION_WORDS = re.compile(r"\b(?:review|proposal|scope)\b", re.I)


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
    sent = " ".join(clean[left + 1 : right].split())
    if len(sent) > limit:
        a = max(0, start - left - 1 - limit // 2)
        sent = sent[a : a + limit].strip()
    return sent


@lru_cache(maxsize=4)
def _untagged(text: str) -> str:
    """``text`` with tags blanked (same length); cached: one paragraph, many names."""
    return TAG.sub(lambda m: "\t" + " " * (len(m.group()) - 1), text)


def _title_lines(doc: TextDocument, index: NameIndex) -> list[tuple[int, str, dict[str, object]]]:
    """Section titles: stand-alone lines naming a strategy, or a review / proposal heading."""
    lines = doc.lines
    blank = [not ln.strip() for ln in lines]

    def standalone(i: int) -> bool:
        return (
            not blank[i]
            and (i == 0 or blank[i - 1])
            and (i + 1 >= len(lines) or blank[i + 1])
            and len(lines[i].strip()) <= 90
            and not re.search(r"[.;,:?]\s*$", lines[i])
            and "\t" not in lines[i]
            and "<" not in lines[i]
            and not re.match(r"^\s*[\d" + SUPERSCRIPTS + r"]", lines[i])
        )

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
            if all(is_noise(m.bare) for m in find_names(lines[nxt], index.borough)) and any(
                not is_noise(m.bare) for m in find_names(joined, index.borough)
            ):
                text, span = joined, 3
        names = [m for m in find_names(text, index.borough) if not is_noise(m.bare)]
        if names:
            m = names[0]
            raw_start = m.end - len(m.raw)
            leftover = (text[:raw_start] + text[m.end :]).strip()
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
        if (
            is_self_reference(target, strategy, index.borough)
            or is_self_reference(m.bare, strategy, index.borough)
            or target.casefold() == strategy.casefold()
        ):
            continue
        key = (strategy, target.casefold(), line)
        if key in seen:
            continue
        seen.add(key)
        src = Source(doc.name, line, end_line)
        records: list = [
            ReferenceRecord(strategy, target, src, evidence=sentence_at(para.text, m.start, m.end))
        ]
        if strategy not in subjects_emitted:
            subjects_emitted.add(strategy)
            kind = s_props.get("kind", "section" if s_line != subject_line else "document")
            records.append(
                StrategyRecord(strategy, Source(doc.name, s_line, s_line), {**s_props, "kind": kind})
            )
        if target.casefold() not in targets_emitted:
            targets_emitted.add(target.casefold())
            records.append(StrategyRecord(target, src, {"kind": "referenced", **index.props(m)}))
        res.loaded(*records)
    return res
