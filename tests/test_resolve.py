"""Entity resolution: expectations written by reading the seed papers' lead columns,
glossary (002, "Glossary and Abbreviations") and Key list (002, after the MH action plan)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rapidfuzz import fuzz

from graphmodel.errors import InputError
from graphmodel.paths import DATA_DIR
from graphmodel.resolve import FUZZY_THRESHOLD, Resolver, name_key, strip_prefix
from graphmodel.schema import GlossaryRecord, Source
from loaders import glossary
from loaders.text import TextDocument, read_text_document

CSP = "LBS Community Safety & Partnerships Team"
MPS = "Metropolitan Police Service"
SCHOOLS = "Southwark schools"

#: Every body named (one at a time) in the Lead and Resource columns of the Knife Crime
#: and Knife Carrying Action Plan 2017-2019, and what the glossary says it is.
KNIFE_CRIME_LEADS = {
    "LBS CS&P": CSP,
    "LBS CS&PS": CSP,
    "LBS C&SP": CSP,  # the last two are typos in the plan
    "LBS YOS": "Youth Offending Service",
    "YOS": "Youth Offending Service",
    "Youth Offending Service": "Youth Offending Service",
    "LBS Y&PS": "Youth & Play Service",
    "Y&PS": "Youth & Play Service",
    "LBS Communities": "LBS Communities Directorate",
    "LBS Education": "LBS Education Department",
    "LBS Education (via Education Sub Group)": "LBS Education Department",
    "LBS External Affairs": "LBS Communications, Policy and Public Affairs",
    "LBS LET": "LBS Local Economy Team",
    "LBS Children’s Social Care": "LBS Children's Social Care",
    "LBS Community Engagement": "LBS Community Engagement Team",
    "LBS Regulatory Services": "LBS Regulatory Services",
    "LBS Regulatory services": "LBS Regulatory Services",
    "Police": MPS,
    "Police Schools Officers": MPS,
    "Police schools officer": MPS,
    "Police (Safer Schools officers)": MPS,
    "SAPH": "Southwark Association of Primary Head teachers",
    "SASH": "Southwark Association of Secondary Head teachers",
    "SSAB": "Southwark Safeguarding Adults' Board",
    "SSCB": "Southwark Safeguarding Children's Board",
    "Youth Council": "LBS Youth Council",
    "CCG": "NHS Southwark CCG",
    "Health": "Health partners",
    "TFL": "Transport for London",
    "NPS": "National Probation Service",
    "London CRC": "London Community Rehabilitation Company",
    "CPS": "Crown Prosecution Service",
    "Local magistrates": "Magistrates' courts",
    "MOPAC": "Mayor's Office for Policing and Crime",
    "Change Makers": "Change Makers",
    "Change makers": "Change Makers",
    "Redthread": "Redthread youth violence intervention",
    "OASIS": "OASIS youth support",
    "SILS": "Southwark Inclusive Learning Service",
    "Community Southwark": "Community Southwark",
    "Council": "Southwark Council",
    "Schools": SCHOOLS,
    "schools": SCHOOLS,
    "all schools": SCHOOLS,
    "primary schools": SCHOOLS,
    "secondary schools": SCHOOLS,
    "Voluntary sector": "Voluntary and Community Sector",
}
#: Named in the plan but no single body: reported unresolved, on purpose.
KNIFE_CRIME_UNRESOLVED = ["All partners", "All Partners", "all partners", "youth clubs"]

#: Owners in the packed Draft Joint Mental Health and Wellbeing Strategy action plan.
MH_OWNERS = {
    "SLaM": "South London and Maudsley NHS Foundation Trust",
    "SLAM": "South London and Maudsley NHS Foundation Trust",
    "(PCT)": "Partnership Commissioning Team",
    "PCT": "Partnership Commissioning Team",
    "MH Team": "Mental Health Team",
    "MH team": "Mental Health Team",
    "Kings": "King's College Hospital NHS Foundation Trust",
    "KCH": "King's College Hospital NHS Foundation Trust",
    "King's College Hospital": "King's College Hospital NHS Foundation Trust",
    "GSTT": "Guy's and St Thomas' NHS Foundation Trust",
    "KHP": "King's Health Partners",
    "Kings Health Partners": "King's Health Partners",
    "Southwark CCG": "NHS Southwark CCG",
    "NHS Southwark CCG": "NHS Southwark CCG",
    "VCS": "Voluntary and Community Sector",
    "vol sector": "Voluntary and Community Sector",
    "C&F": "LBS Children and Families",
    "Children and Families (C&F)": "LBS Children and Families",
    "ASC": "LBS Adult Social Care",
    "LCNs": "Local Care Networks",
    "GPs": "Southwark general practice",
    "General Practice": "Southwark general practice",
    "GP Federations": "GP Federations",
    "Economic Dept.": "LBS Local Economy Team",
    "Job Centre Plus": "Jobcentre Plus",
    "Public health": "LBS Public Health",
    "PH": "LBS Public Health",
    "Public Health": "LBS Public Health",
    "Metropolitan Police": MPS,
    "MPS": MPS,
    "Council's Chief Execs Office": "LBS Chief Executive's Office",
}


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    """The default resolver, taught the seed's own glossary and Key list."""
    r = Resolver.default()
    r.learn(glossary.load(read_text_document(DATA_DIR / "002_bf875e7a520b882d.txt")).records)
    return r


@pytest.mark.parametrize(("raw", "canonical"), sorted({**KNIFE_CRIME_LEADS, **MH_OWNERS}.items()))
def test_seed_names_resolve(resolver: Resolver, raw: str, canonical: str) -> None:
    res = resolver.resolve(raw)
    assert res is not None, f"{raw!r} unresolved"
    assert res.canonical == canonical


@pytest.mark.parametrize("raw", KNIFE_CRIME_UNRESOLVED)
def test_collectives_stay_unresolved(resolver: Resolver, raw: str) -> None:
    assert resolver.resolve(raw) is None
    assert resolver.is_collective(raw)


def test_services_are_one_node_with_provider(resolver: Resolver) -> None:
    iapt = resolver.resolve("IAPT")
    hub = resolver.resolve("Wellbeing Hub")
    yos = resolver.resolve("LBS YOS")
    assert iapt and iapt.kind == "service" and iapt.category == "mental-health"
    provider = resolver.resolve(iapt.provider or "")
    assert provider and provider.canonical == "South London and Maudsley NHS Foundation Trust"
    assert hub and hub.kind == "service" and hub.canonical == "Southwark Wellbeing Hub"
    assert yos and yos.kind == "service"
    assert (resolver.resolve(yos.provider or "") or hub).canonical == "Southwark Council"


def test_categories(resolver: Resolver) -> None:
    cats = {
        n: (resolver.resolve(n) or pytest.fail(n)).category
        for n in ("SASH", "SAPH", "Police", "CCG", "LBS CS&P", "VCS", "MOPAC")
    }
    assert cats == {
        "SASH": "education",
        "SAPH": "education",
        "Police": "police-justice",
        "CCG": "nhs",
        "LBS CS&P": "council",
        "VCS": "voluntary",
        "MOPAC": "regional-national",
    }


def test_two_bodies_in_one_name_are_not_guessed(resolver: Resolver) -> None:
    # the "(C&F)" abbreviation spells "Children and Families", not the whole cell
    assert resolver.resolve("CCG and Children and Families (C&F)") is None
    assert resolver.resolve("Police LBS CS&P") is None
    assert resolver.resolve("Cllr Livingstone") is None
    assert resolver.resolve("") is None


# ----------------------------------------------------------------------------- fuzzy
#: (typo as a paper might write it, the body it means)
TYPOS = [
    ("Youth Offending Servce", "Youth Offending Service"),
    ("Sothwark CCG", "NHS Southwark CCG"),
    ("Adult Social Cares", "LBS Adult Social Care"),
    ("Partnership Comissioning Team", "Partnership Commissioning Team"),
    ("South London and Maudsely", "South London and Maudsley NHS Foundation Trust"),
    ("Community Safety & Partnership Team", CSP),
    ("Kings Colege Hospital", "King's College Hospital NHS Foundation Trust"),
    ("Southwark Asociation of Primary Head teachers", "Southwark Association of Primary Head teachers"),
    ("Chidren's Social Care", "LBS Children's Social Care"),
]
#: Names of other bodies that look close to a curated one: must not resolve to it.
DIFFERENT = [
    "Community Safety Partnership",
    "LBS Adult Services",
    "Youth Offending Team Board",
    "Economic Development Team",
    "Trading Standards Team",
    "Lambeth CCG",
    "Lewisham Council",
    "Children's Services",
    "Social Care",
    "London Fire Brigade",
    "Health and Social Care",
    "Adult Mental Health Services",
]


def _best_score(resolver: Resolver, name: str) -> tuple[float, str]:
    keys = {
        **{k: e[0].canonical for k, e in resolver._stripped.items() if len(e) == 1},
        **{k: e[0].canonical for k, e in resolver._full.items()},
    }
    query = [strip_prefix(name_key(name)), name_key(name)]
    return max((fuzz.ratio(q, k), canon) for q in query for k, canon in keys.items())


def test_fuzzy_threshold_separates_typos_from_other_bodies(resolver: Resolver) -> None:
    """Prints the measured table (pytest -s) the threshold was chosen from."""
    accepted = [(_best_score(resolver, t)[0], t) for t, _ in TYPOS]
    rejected = [(*_best_score(resolver, d), d) for d in DIFFERENT]
    print(f"\nthreshold {FUZZY_THRESHOLD}")
    for score, name in sorted(accepted):
        print(f"  accept {score:5.1f}  {name}")
    for score, canon, name in sorted(rejected, reverse=True):
        print(f"  reject {score:5.1f}  {name}  (closest: {canon})")
    assert min(s for s, _ in accepted) >= FUZZY_THRESHOLD
    assert max(s for s, _c, _n in rejected) < FUZZY_THRESHOLD


@pytest.mark.parametrize(("typo", "canonical"), TYPOS)
def test_fuzzy_accepts_typos(resolver: Resolver, typo: str, canonical: str) -> None:
    res = resolver.resolve(typo)
    assert res is not None and res.canonical == canonical and res.matched_by == "fuzzy"


@pytest.mark.parametrize("name", DIFFERENT)
def test_fuzzy_rejects_other_bodies(resolver: Resolver, name: str) -> None:
    res = resolver.resolve(name)
    assert res is None or res.matched_by != "fuzzy", res


def test_education_is_not_communities(resolver: Resolver) -> None:
    edu, com = resolver.resolve("LBS Education"), resolver.resolve("LBS Communities")
    assert edu and com and edu.canonical != com.canonical
    assert resolver.resolve("SAPH") != resolver.resolve("SASH")  # one letter apart, two bodies


def test_abbreviation_typos_need_a_swap_or_extra_letter(resolver: Resolver) -> None:
    assert resolver.resolve("LBS C&SP").matched_by == "fuzzy-abbreviation"  # type: ignore[union-attr]
    assert resolver.resolve("GSST") is None  # substitution, not a swap
    assert resolver.resolve("CSP") is None  # too short to guess


# ----------------------------------------------------------------------------- glossary
def _doc(text: str) -> TextDocument:
    return TextDocument.from_text("other.txt", text)


def test_glossary_only_resolver_uses_expansion_and_category_hint() -> None:
    doc = _doc("Key\n\nCouncil\n\n- Housing Options Service (HOS)\n\nOther\n\n- Riverside Mind (RM)\n")
    r = Resolver()  # no curated data: what the document says is all it knows
    r.learn(glossary.load(doc).records)
    hos = r.resolve("HOS")
    assert hos is not None and hos.canonical == "Housing Options Service"
    assert hos.category == "council" and hos.matched_by == "glossary"
    assert r.resolve("Housing Options Service") == hos
    assert (r.resolve("RM") or hos).category == "unknown"
    assert (r.resolve("HSO") or hos).canonical == "Housing Options Service"  # swapped letters


def test_every_seed_glossary_abbreviation_resolves_like_its_expansion(resolver: Resolver) -> None:
    recs = glossary.load(read_text_document(DATA_DIR / "002_bf875e7a520b882d.txt")).records
    assert recs
    for g in recs:
        assert isinstance(g, GlossaryRecord)
        a, e = resolver.resolve(g.abbreviation), resolver.resolve(g.expansion)
        assert a is not None and e is not None and a.canonical == e.canonical, g


def test_curated_wins_over_a_conflicting_glossary() -> None:
    r = Resolver.default()
    r.learn([GlossaryRecord("PCT", "Primary Care Trust", Source("x.txt", 1, 1))])
    assert (r.resolve("PCT") or pytest.fail()).canonical == "Partnership Commissioning Team"


# ----------------------------------------------------------------------------- mentions
def test_mentions_in_free_text(resolver: Resolver) -> None:
    text = (
        "Deliver an enhanced model of Core 24 at Kings and GSTT; refer to CAMHS and talking "
        "therapies via the Wellbeing Hub, with the Police, SLAM and South London & the "
        "Maudsley. Align with Partnership Southwark and Southwark's Joint Mental Health "
        "and Wellbeing Strategy (2018-21); Early Help and MASH services."
    )
    got = {(m.kind, m.canonical): m.words for m in resolver.mentions(text)}
    assert got == {
        ("service", "Core 24 psychiatric liaison"): "Core 24",
        ("organisation", "Guy's and St Thomas' NHS Foundation Trust"): "GSTT",
        ("service", "Child and Adolescent Mental Health Services"): "CAMHS",
        ("service", "Improving Access to Psychological Therapies"): "talking therapies",
        ("service", "Southwark Wellbeing Hub"): "Wellbeing Hub",
        ("organisation", MPS): "Police",
        ("organisation", "South London and Maudsley NHS Foundation Trust"): "SLAM",
        ("strategy", "Partnership Southwark"): "Partnership Southwark",
        (
            "strategy",
            "Southwark Joint Mental Health and Wellbeing Strategy",
        ): "Joint Mental Health and Wellbeing Strategy",
        ("service", "Early Help"): "Early Help",
        ("service", "Multi-Agency Safeguarding Hub"): "MASH services",  # longest alias
    }


def test_mentions_avoid_loose_words(resolver: Resolver) -> None:
    # "Kings Fund" is not the hospital; "Youth Council" is not the council; lower-case
    # "mash" and "ps" are words, not MASH or Partnership Southwark
    names = {
        m.canonical
        for m in resolver.mentions(
            "The Kings Fund report went to the Youth Council; mash the ps; health matters."
        )
    }
    assert names == {"LBS Youth Council"}


def test_mentions_learnt_abbreviations_of_known_bodies_only(resolver: Resolver) -> None:
    names = {m.canonical for m in resolver.mentions("A SWOT of the JSNA with the AKCF.")}
    assert names == {"Anti-Knife Crime Forum"}


# ----------------------------------------------------------------------------- strategies
def test_mental_health_strategy_titles_are_one_strategy(resolver: Resolver) -> None:
    titles = [
        "Joint Mental Health and Wellbeing Strategy 2017-2020",
        "Southwark Joint Mental Health and Wellbeing Strategy (2018-21)",
        "Draft Joint Mental Health and Wellbeing Strategy 2017-2020",
        "Southwark’s Joint Mental Health and Wellbeing Strategy (2018-21)",
        "the Joint Mental Health Strategy",
    ]
    assert {resolver.strategy_name(t) for t in titles} == {
        "Southwark Joint Mental Health and Wellbeing Strategy"
    }
    review = "Southwark Joint Mental Health and Wellbeing Strategy delivery programme annual review"
    assert resolver.strategy_name(review) == "Joint Mental Health and Wellbeing Strategy annual review 2019"
    assert resolver.strategy_kind(review) == "review"


def test_strategy_aliases_and_tidy_forms(resolver: Resolver) -> None:
    s = resolver.strategy_name
    assert s("PS") == s("Partnership Southwark") == "Partnership Southwark"
    assert (
        s("Knife Crime and Knife Carrying Action Plan 2017 - 2019")
        == "Knife Crime and Knife Carrying Action Plan"
    )
    assert s("Southwark's Five Year Forward View") != s("Five Year Forward View")
    assert s("Southwark's Domestic Abuse Strategy") == "Southwark Domestic Abuse Strategy"
    assert s("The Widget Strategy 2019-2022") == "Widget Strategy"  # not curated: tidied
    assert s("Draft Riverside Plan (2020-23)") == "Riverside Plan"


# ----------------------------------------------------------------------------- curated data
@pytest.mark.parametrize("name", ["organisations.yaml", "services.yaml", "strategies.yaml"])
def test_curated_yaml_starts_with_an_editing_note(name: str) -> None:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    assert text.startswith("# ") and "edit" in text.split("\n\n")[0].casefold() + text[:1500]


def test_curated_categories_and_providers_are_valid(resolver: Resolver) -> None:
    import yaml

    orgs = yaml.safe_load((DATA_DIR / "organisations.yaml").read_text(encoding="utf-8"))
    allowed = {"council", "nhs", "police-justice", "education", "voluntary", "regional-national"}
    assert {o["category"] for o in orgs["organisations"]} <= allowed
    services = yaml.safe_load((DATA_DIR / "services.yaml").read_text(encoding="utf-8"))["services"]
    for svc in services:
        if svc.get("provider"):
            assert resolver.resolve(svc["provider"]) is not None, svc["provider"]


def test_alias_given_to_two_bodies_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="both"):
        Resolver(
            organisations=[
                {"name": "A Team", "aliases": ["AT"], "category": "council"},
                {"name": "B Team", "aliases": ["AT"], "category": "council"},
            ]
        )


# ----------------------------------------------------------------------------- factored regex
_ATOMS = ["a", "b", "A", "&", "-", "é", " "]


def _alternatives(words: list[str], tail: str) -> list[tuple[list[str], str]]:
    import re

    return [([re.escape(c) for c in w], tail) for w in words]


@pytest.mark.parametrize("fold", [False, True])
def test_factored_alternation_matches_like_the_plain_one(fold: bool) -> None:
    """`_factor` only regroups an ordered alternation: every finditer span and text must be
    the same as with the plain ``a|b|c`` (same first-match order, same backtracking), for
    terms sharing prefixes, differing in case, containing non-ASCII or empty, with a
    backtracking tail after them."""
    import random
    import re

    from graphmodel.resolve import _factor

    rnd = random.Random(7)
    flags = re.IGNORECASE if fold else 0
    for _ in range(300):
        words = [
            "".join(rnd.choice(_ATOMS) for _ in range(rnd.randint(0, 4))) for _ in range(rnd.randint(1, 12))
        ]
        tail = rnd.choice(["", r"\s*b?", r"(?:a|ab)"])
        plain = re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(w) + tail for w in words)})(?!b)", flags)
        factored = re.compile(rf"(?<!\w)(?:{_factor(_alternatives(words, tail), fold=fold)})(?!b)", flags)
        for _ in range(20):
            text = "".join(rnd.choice([*_ATOMS, "x", "B"]) for _ in range(rnd.randint(0, 15)))
            assert [m.span() for m in factored.finditer(text)] == [m.span() for m in plain.finditer(text)], (
                words,
                tail,
                text,
            )


def test_mentions_prefer_the_longer_term_at_one_place(resolver: Resolver) -> None:
    """Terms are tried longest first at each place (the factored pattern keeps that order):
    "Southwark CCG" names the CCG as a whole, not the borough-prefixed word alone."""
    got = [(m.canonical, m.words) for m in resolver.mentions("Southwark CCG will commission it")]
    assert got == [("NHS Southwark CCG", "Southwark CCG")]
