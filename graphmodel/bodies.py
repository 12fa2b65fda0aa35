"""Names that read as bodies though nothing curated knows them: the test, the category
guess, and the bodies named in running text ("The Riverside Trust received ...").

A lead cell naming no known body still names a body when it reads as one: it holds a
body word (Council, Trust, Police, Forum, Team, ...), or it is an abbreviation, or it is a
proper name of two or more capitalised words. People ("Cllr Livingstone"), groups of
people ("local residents") and sentences ("Funding to be confirmed") are not bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Words that make a phrase the name of a body.
BODY_WORDS = frozenset(
    """
council councils borough boroughs county counties district districts authority trust trusts
hospital hospitals nhs icb
ics ccg partnership partnerships board boards service services police constabulary probation
prison prisons forum network networks group groups team teams commission committee association
federation foundation charity society alliance collaborative agency office department
directorate unit centre center school schools college colleges university academy practice
practices hub hubs panel consortium company ltd cic court courts fire rescue healthwatch
""".split()
)

#: The body words that end a body's name in running text ("the Safer Northshire Partnership").
_TEXT_HEADS = (
    "Council|Trust|Partnership|Board|Service|Services|Police|Constabulary|Forum|Network|Commission|"
    "Association|Foundation|Hospital|Hospitals|Charity|Society|Alliance|Federation|Agency|Authority|"
    "CCG|ICB|Collaborative|Group|Team|Hub|Probation"
)

#: Words of no place or proper name: a phrase made only of these is a kind of body that
#: every area has ("Community Hubs", "Health and Wellbeing Board"), so it is scoped to the
#: document's area.
COMMON_WORDS = frozenset(
    """
a an the of and for in on to with & all joint local national regional integrated community
communities health wellbeing well being care social public mental primary secondary acute
adult adults adults' child children children's childrens young people people's peoples youth
family families early help support services service team teams board boards group partnership
partnerships council councils county counties borough boroughs district districts city town parish
trust trusts hospital hospitals
nhs foundation clinical commissioning ccg icb ics system provider providers network networks
forum police fire rescue probation prison safety safer crime violence domestic abuse drug drugs
alcohol substance misuse housing homelessness education schools school college colleges
learning skills employment economic development regeneration regulatory trading standards
environmental protection transport highways planning finance commissioning partners voluntary
sector faith business businesses older disability disabilities learning carers carer victims
offending justice criminal court courts neighbourhood neighbourhoods place places steering task
finish working operational strategic executive management leadership delivery sub committee
commission association society alliance agency authority office department directorate unit
centre hub hubs panel practice practices general gp gps ambulance emergency urgent street
outreach engagement communications policy affairs information intelligence analysis
performance quality improvement programme project projects research data digital workforce
""".split()
)

_PERSON = re.compile(
    r"^(?:cllr|councillor|mr|mrs|ms|miss|dr|prof|professor|sir|dame|lord|baroness|rt)\b\.?", re.I
)
_SENTENCE_WORDS = re.compile(
    r"\b(?:to|be|is|are|was|were|will|been|being|has|have|had|tbc|tbd|via|if|when|where|which|who|"
    r"this|that|these|those|each|per|inc|including|etc|e\.g|i\.e)\b",
    re.I,
)


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s/]+", name.strip()) if w]


def _bare(word: str) -> str:
    return word.strip(".,;:()\"'’").casefold().removesuffix("'s").removesuffix("’s")


def is_abbreviation(word: str) -> bool:
    """ "NHT", "WSCC", "Y&PS": one short word of at least two capitals."""
    return (
        " " not in word
        and 2 <= len(word) <= 8
        and sum(c.isupper() for c in word) >= 2
        and sum(c.islower() for c in word) <= 2
    )


def reads_as_body(name: str) -> bool:
    """Whether ``name`` (from a lead / partner cell or running text) names a body.

    >>> [reads_as_body(n) for n in ("Northshire Hospitals NHS Trust", "NHT", "Riverside Mind")]
    [True, True, True]
    >>> [reads_as_body(n) for n in ("Cllr Livingstone", "local residents", "Funding to be confirmed")]
    [False, False, False]
    """
    words = _words(name)
    if not words or len(words) > 9 or (not words[0][:1].isupper() and not words[0][:1].isdigit()):
        return False
    if _PERSON.match(name) or _SENTENCE_WORDS.search(name) or words[0].casefold() == "all":
        return False
    if sum(c.isdigit() for c in name) > 2:
        return False
    if len(words) == 1:
        return is_abbreviation(words[0]) or _bare(words[0]) in BODY_WORDS - COMMON_WORDS
    if any(_bare(w) in BODY_WORDS for w in words):
        return True
    capitals = [w for w in words if w[:1].isupper()]
    return len(capitals) >= 2 and any(_bare(w) not in COMMON_WORDS for w in capitals)


def is_generic_phrase(name: str) -> bool:
    """True when every word of ``name`` is a common word: a kind of body, not one body.

    >>> is_generic_phrase("Community Hubs"), is_generic_phrase("The Riverside Trust")
    (True, False)
    """
    words = [_bare(w) for w in _words(name)]
    return bool(words) and all(w in COMMON_WORDS for w in words)


def guess_category(name: str) -> str:
    """Category of an uncurated body from its words (``unknown`` when they do not say).

    >>> [guess_category(n) for n in ("Northshire Hospitals NHS Trust", "The Riverside Trust",
    ...  "Kent Police", "Kent County Council", "Hillside College")]
    ['nhs', 'voluntary', 'police-justice', 'council', 'education']
    """
    words = {_bare(w) for w in _words(name)}
    if words & {"nhs", "hospital", "hospitals", "icb", "ics", "ccg", "ambulance", "healthcare", "gp", "gps"}:
        return "nhs"
    if "trust" in words and words & {"health", "mental", "care", "foundation", "partnership"}:
        return "nhs"
    if words & {"police", "constabulary", "probation", "prison", "prisons", "court", "courts", "justice"}:
        return "police-justice"
    if words & {"council", "councils", "borough", "county", "district", "authority"}:
        return "council"
    if words & {"school", "schools", "college", "colleges", "academy", "university"}:
        return "education"
    if words & {"charity", "trust", "forum", "network", "networks", "association", "society", "foundation"}:
        return "voluntary"
    return "unknown"


@dataclass(frozen=True, slots=True)
class TextBody:
    """A body named in running text: its name and where it is in the text."""

    name: str
    start: int
    end: int


_CAP = r"(?:St\.|[A-Z][\w'’&-]*)"
# the head word ends the name: not followed by another capitalised word ("Partnership
# Southwark" is a programme, "Trust Board" goes on) or by "-" ("Multi Agency-led")
_BODY_IN_TEXT = re.compile(
    rf"\b((?:{_CAP}\s+(?:(?:and|of|for|&|on)\s+)?){{1,6}}(?:{_TEXT_HEADS}))\b(?![-’']|\s+[A-Z0-9])"
)
#: Words that start a bullet or sentence as its verb, not as part of a name ("Support
#: SLaM's Mental Health Promotion Team"), and words that make a head word an adjective
#: ("Multi Agency").
_NOT_NAME_START = frozenset(
    """
agree align build collect commission complete consult continue coordinate create deliver
develop embed engage enable encourage ensure establish explore expand extend fund identify
implement improve include increase introduce involve launch lead link maintain map monitor
offer promote provide raise recruit refer reduce review run set share strengthen support
target train undertake update use work multi inter cross pan adopt assess circulate co-produce
publish refresh evaluate design hold host invest pilot produce recruit scope secure sign source
test audit analyse appoint arrange attend brief collate conduct consider convene draft enhance
issue mobilise organise plan prepare present procure progress relaunch re-launch report roll
signpost streamline tender upskill write hold facilitate measure inform
""".split()
)


def bodies_in_text(text: str) -> list[TextBody]:
    """Bodies named in running text: capitalised names ending in a body word, that read
    as bodies ("the Safer Northshire Partnership", "The Riverside Trust").

    >>> [b.name for b in bodies_in_text("The Riverside Trust received 400 referrals from the Safer "
    ...  "Northshire Partnership and Mind.")]
    ['Riverside Trust', 'Safer Northshire Partnership']
    """
    out: list[TextBody] = []
    for m in _BODY_IN_TEXT.finditer(text):
        name, start = m.group(1), m.start(1)
        first = re.match(r"(?:The|A|An|This|Our|Their|Its)\s+", name)
        if first:
            name, start = name[first.end() :], start + first.end()
        if name.split()[0].casefold() in _NOT_NAME_START:
            continue
        if len(_words(name)) >= 2 and reads_as_body(name):
            out.append(TextBody(name, start, start + len(name)))
    return out


def leading_body(text: str) -> TextBody | None:
    """The body a bullet starts with, as the subject of its sentence ("The Riverside Trust
    received 400 referrals"), else None."""
    for b in bodies_in_text(text[:160]):
        before = text[: b.start].strip(" -*•·\t")
        if before in ("", "The", "the"):
            return b
        break
    return None
