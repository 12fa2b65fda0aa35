"""Strategy, plan and programme names in a text, found by the shape of their words.

A name is a run of capitalised words (with ``and``/``of``/``&`` between them) whose last
word is a head word: Strategy, Plan, View, Programme, Partnership, Concordat, Framework.
"<Head> <Borough>" (Partnership Barnet) is a name too. No list of known strategies is
used, so other boroughs' papers load the same way.

Normalisation: a leading "the" is dropped; a possessive owner ("SLaM's", "the Council's")
is dropped and kept in `NameMatch.owner`; the borough prefix ("Barnet", "Barnet's")
is dropped and kept in `NameMatch.borough` (`loaders.name_index.NameIndex.canonical`
decides document-wide whether it goes back on). Years ("(2017-2022)", "2017 - 2019") go
to `NameMatch.years`, a "for ..."/"of ..." tail to `NameMatch.qualifier`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

HEADS = frozenset(
    {"Strategy", "Plan", "View", "Programme", "Program", "Partnership", "Concordat", "Framework"}
)
_CONNECTORS = frozenset({"and", "of", "for", "&"})
#: Footnote marks: stripped from a token (and a line starting with one is no title).
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

#: Words that do not make a name specific: "Action Plan", "Delivery Programme", ...
_GENERIC = frozenset(
    {
        "action",
        "work",
        "governance",
        "delivery",
        "implementation",
        "project",
        "business",
        "care",
        "draft",
        "final",
        "overall",
        "annual",
        "new",
        "key",
        "local",
        "national",
        "joint",
        "strategic",
        "this",
        "that",
        "our",
        "your",
        "their",
        "its",
        "the",
        "a",
        "an",
        "these",
        "those",
        "each",
        "any",
        "wider",
        "whole",
        "overarching",
        "programme",
        "plan",
        "strategy",
    }
)
_LEADING_DROP = frozenset({"the", "a", "an", "and", "of", "for", "to", "on", "in", "&"})
_POSSESSIVE = re.compile(r"^(?P<w>.+?)(?:’s|'s|’|')$")
_YEARS = re.compile(
    r"^\s*[(\[]?\s*(?P<y>(?:19|20)\d{2}(?:/\d{2})?(?:\s*[-–—]\s*(?:(?:19|20)?\d{2})(?:/\d{2})?)?"
    r"|\d{2}/\d{2})\s*[)\]]?"
)
_QUALIFIER = re.compile(r"^\s+(?:for|of)\s+(?P<q>[A-Z][\w’'&/-]*(?:\s+(?:and\s+|&\s+)?[A-Z][\w’'&/-]*)*)")
# The same two patterns without "^", for Pattern.match(text, pos): matching at an offset
# instead of on a copy of the rest of the text (a long paragraph made that quadratic).
_QUALIFIER_AT = re.compile(_QUALIFIER.pattern.removeprefix("^"))
_YEARS_AT = re.compile(_YEARS.pattern.removeprefix("^"))
#: Markup tags, blanked (kept the same length) before names or sentences are read.
TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True, slots=True)
class NameMatch:
    """One strategy-like name found in a text: where, as written, and its normal form."""

    start: int  # offsets into the scanned text
    end: int
    bare: str  # without owner, borough or years
    borough: str | None = None  # borough prefix that was present ("Barnet")
    owner: str | None = None  # possessive owner that was present ("SLaM")
    years: str | None = None
    qualifier: str | None = None  # "for Mental Health"
    raw: str = ""


@lru_cache(maxsize=1 << 16)
def _clean_token(tok: str) -> tuple[str, bool, bool]:
    """Token without decoration; whether it opens and whether it closes a name run."""
    tok = tok.lstrip(SUPERSCRIPTS)
    opens = tok[:1] in "([“\"‘'*"
    core = tok.strip('*“”"‘()[]')
    closes = bool(re.search(r"[,;:.!?)\]”\"]\**$", tok)) and not re.fullmatch(r"[A-Z]\.", core)
    core = core.rstrip(',;:.!?”"*)')
    return core, opens, closes


@lru_cache(maxsize=1 << 16)
def _not_a_word(word: str) -> bool:
    """Empty, a year span or a long number: it ends a name run and is no part of one."""
    return not word or bool(_YEARS.fullmatch(word)) or (word.isdigit() and len(word) > 2)


def _is_cap(word: str) -> bool:
    return bool(word) and (word[0].isupper() or (word.isdigit() and len(word) <= 2))


_TOKEN = re.compile(r"[^\s]+|\t")
_HEAD = re.compile("|".join(sorted(HEADS, key=len, reverse=True)))


def find_names(text: str, borough: str | None = None) -> list[NameMatch]:
    """Strategy-like names in ``text`` (not yet filtered for noise)."""
    text = TAG.sub(lambda m: "\t" + " " * (len(m.group()) - 1), text)
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


def _read_runs(text: str, start: int, head_end: int, borough: str | None, out: list[NameMatch]) -> int:
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


def _names_in_run(run: list[tuple[int, int, str]], text: str, borough: str | None) -> list[NameMatch]:
    words = [w for _, _, w in run]
    found: list[NameMatch] = []
    # "<Head> <Borough>" anywhere in a run: Partnership Southwark.
    if borough:
        for i in range(len(words) - 1):
            poss = _POSSESSIVE.match(words[i + 1])
            nxt_word = poss.group("w") if poss else words[i + 1]
            if words[i] in HEADS and nxt_word == borough:
                found.append(
                    NameMatch(
                        run[i][0], run[i + 1][1], f"{words[i]} {borough}", raw=text[run[i][0] : run[i + 1][1]]
                    )
                )
    # A head word followed by "and" ends one name ("... Strategy and Partnership
    # Southwark"); followed by "for"/"of" it ends the name and the rest qualifies it.
    for i, w in enumerate(words[:-1]):
        if w in HEADS and words[i + 1] in ("and", "&"):
            found.extend(m for m in _names_in_run(run[: i + 1], text, borough) if m not in found)
            found.extend(m for m in _names_in_run(run[i + 2 :], text, borough) if m not in found)
            return found
        if w in HEADS and words[i + 1] in ("for", "of") and i + 2 < len(words):
            # the qualifier runs to an "and" that starts another name, if any
            nxt = next(
                (
                    j
                    for j in range(i + 2, len(words))
                    if words[j] in ("and", "&") and any(x in HEADS for x in words[j + 1 :])
                ),
                len(words),
            )
            qual = " ".join(words[i + 1 : nxt])
            for nm in _names_in_run(run[: i + 1], text, borough):
                found.append(
                    NameMatch(nm.start, nm.end, nm.bare, nm.borough, nm.owner, nm.years, qual, nm.raw)
                )
            if nxt < len(words):
                found.extend(_names_in_run(run[nxt + 1 :], text, borough))
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
        if (
            m
            and w.endswith(("’s", "'s"))
            and len(owner_words) <= 3
            and not any(x in _CONNECTORS for x in owner_words)
        ):
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
    found.append(
        NameMatch(
            start,
            end,
            " ".join(name_words),
            borough=boro,
            owner=owner,
            years=years,
            qualifier=qualifier,
            raw=text[run[0][0] : end],
        )
    )
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
        span = content[i : i + len(word)]
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
    topic = next(
        (
            w.casefold()
            for w in subj_words
            if w.casefold() not in _GENERIC and w.casefold() not in _CONNECTORS and w != borough
        ),
        None,
    )
    tgt: list[str] = []
    for w in re.split(r"[\s/&]+", target):
        if w:
            tgt.extend(_acronym_words(w, subj_words))
    tgt_cf = {w.casefold() for w in tgt}
    if not tgt_cf <= subj:
        return False
    return topic is None or topic in tgt_cf
