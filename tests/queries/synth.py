"""Synthetic action corpora with planted near-duplicates and same-topic distractors.

A planted duplicate is a rewording of one action (synonyms swapped, clauses moved,
a word dropped); a distractor shares the topic words of an action but asks for a
different thing. Known answers let tests measure precision and recall.
"""

from __future__ import annotations

import random
import re

TOPICS = {
    "youth": ["young people", "youth clubs", "youth workers", "detached youth work"],
    "schools": ["secondary schools", "primary schools", "teachers", "pupils"],
    "mh": ["mental health services", "CAMHS", "talking therapies", "crisis care"],
    "police": ["the police", "safer neighbourhood teams", "patrols", "enforcement officers"],
    "housing": ["housing providers", "tenants", "estates", "temporary accommodation"],
    "health": ["GP surgeries", "pharmacies", "hospital A&E", "community nurses"],
    "employment": ["job centres", "apprenticeships", "employers", "training providers"],
    "carers": ["carers", "families", "parents", "siblings"],
}
VERBS = [
    "Review",
    "Map",
    "Develop",
    "Evaluate",
    "Publicise",
    "Commission",
    "Pilot",
    "Audit",
    "Strengthen",
    "Coordinate",
    "Train",
    "Fund",
]
OBJECTS = [
    "referral pathways",
    "information sharing protocols",
    "a training programme",
    "a peer mentoring scheme",
    "an awareness campaign",
    "a toolkit",
    "data collection",
    "a survey",
    "a network of safe places",
    "outreach sessions",
    "a steering group",
    "quarterly reports",
]
QUALS = [
    "across the borough",
    "in each locality",
    "by March 2018",
    "with partners",
    "for those most at risk",
    "in priority wards",
    "starting with a pilot",
    "to identify gaps in provision",
    "and report to the board",
    "within existing budgets",
]
SYN = {
    "Review": "Reassess",
    "Map": "Carry out a mapping of",
    "Develop": "Design and build",
    "Evaluate": "Assess",
    "Publicise": "Promote",
    "Commission": "Procure",
    "Pilot": "Trial",
    "Audit": "Check",
    "Strengthen": "Improve",
    "Coordinate": "Join up",
    "Train": "Provide training for",
    "Fund": "Secure funding for",
    "across the borough": "borough-wide",
    "with partners": "jointly with partner agencies",
    "in each locality": "in every locality",
}


_SYLL = [
    "ca",
    "ber",
    "well",
    "pe",
    "ckham",
    "nun",
    "head",
    "wal",
    "worth",
    "rother",
    "hithe",
    "ber",
    "mond",
    "sey",
    "dul",
    "wich",
    "ken",
    "ning",
    "ton",
    "el",
    "phant",
    "bo",
    "rough",
    "sur",
    "rey",
    "quays",
    "fa",
    "raday",
    "chau",
    "cer",
    "gold",
    "smith",
    "lane",
    "rye",
]
NOUNS = [
    "hub",
    "forum",
    "project",
    "panel",
    "scheme",
    "service",
    "group",
    "centre",
    "board",
    "programme",
    "partnership",
    "network",
    "clinic",
    "team",
    "initiative",
    "pathway",
]


def specific(rng: random.Random) -> str:
    """A named thing (place + noun), as real actions name projects, places and teams."""
    name = "".join(rng.choice(_SYLL) for _ in range(rng.randint(2, 3)))
    return f"{name.capitalize()} {rng.choice(NOUNS)}"


def action(rng: random.Random, topic: str, thing: str | None = None) -> str:
    who = rng.choice(TOPICS[topic])
    thing = thing or specific(rng)
    return f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} for the {thing} with {who} {rng.choice(QUALS)}"


def distractor(rng: random.Random, text: str, topic: str) -> str:
    """Same topic and same named thing, different request: not a duplicate."""
    thing = re.search(r"for the (\S+ \S+) with", text)
    for _ in range(20):
        other = action(rng, topic, thing.group(1) if thing else None)
        if other.split()[0] != text.split()[0]:
            return other
    return other


def reword(rng: random.Random, text: str) -> str:
    """A near-identical rewording: one or two substitutions, maybe a dropped word, a full stop."""
    out = text
    keys = [k for k in SYN if k in out]
    rng.shuffle(keys)
    for k in keys[:2]:
        out = out.replace(k, SYN[k], 1)
    if out == text:
        words = out.split()
        if len(words) > 4:
            del words[rng.randrange(1, len(words))]
        out = " ".join(words)
    if rng.random() < 0.5:
        out = out[0].lower() + out[1:]
    return out + rng.choice(["", ".", " (ongoing)"])


def corpus(n: int, seed: int = 7, dup_rate: float = 0.1) -> tuple[list[str], set[tuple[int, int]]]:
    """``n`` action texts and the set of planted duplicate pairs (i < j).

    About ``dup_rate`` of the actions get a planted rewording and as many get a
    same-topic distractor naming the same thing.
    """
    rng = random.Random(seed)
    texts: list[str] = []
    planted: set[tuple[int, int]] = set()
    topics = sorted(TOPICS)
    seen: set[str] = set()
    while len(texts) < n:
        topic = rng.choice(topics)
        base = action(rng, topic)
        if base in seen:
            continue
        seen.add(base)
        texts.append(base)
        if rng.random() < dup_rate and len(texts) < n:
            texts.append(reword(rng, base))
            planted.add((len(texts) - 2, len(texts) - 1))
        if rng.random() < dup_rate and len(texts) < n:
            texts.append(distractor(rng, base, topic))
    return texts, planted
