"""The references loader on both seeds (expectations from reading the papers)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel.paths import DATA_DIR
from graphmodel.schema import ReferenceRecord, StrategyRecord
from loaders import names, references
from loaders.text import TextDocument, read_text_document

REVIEW = "000_69c1f70b9380e9e0.txt"
PACK = "002_bf875e7a520b882d.txt"
REVIEW_TITLE = "Southwark Joint Mental Health and Wellbeing Strategy delivery programme annual review"
KNIFE = "Knife Crime and Knife Carrying Action Plan"
MH = "Joint Mental Health and Wellbeing Strategy"


def _load(name: str):
    return references.load(read_text_document(DATA_DIR / name))


@pytest.fixture(scope="module")
def review():
    return _load(REVIEW)


@pytest.fixture(scope="module")
def pack():
    return _load(PACK)


def _pairs(res) -> set[tuple[str, str]]:
    return {(r.strategy, r.target) for r in res.records if isinstance(r, ReferenceRecord)}


def _targets(res) -> set[str]:
    return {t for _, t in _pairs(res)}


def test_review_names_found_by_pattern(review) -> None:
    expected = {
        "Partnership Southwark",
        "Faith Strategy",
        "Hoarding Strategy",
        "Suicide Prevention Strategy",
        "Loneliness Strategy",
        "Council Plan",
        "NHS Long Term Plan",
        "Changing Lives Strategy",
        "Healthy London Partnership",
        # the national one, and Southwark's own (kept distinct by its borough)
        "Five Year Forward View",
        "Southwark Five Year Forward View",
    }
    assert expected <= _targets(review)
    assert {s for s, _ in _pairs(review)} == {REVIEW_TITLE}


def test_noise_and_self_references_are_not_references(review, pack) -> None:
    for res in (review, pack):
        targets = {t.casefold() for t in _targets(res)}
        for noise in (
            "strategy",
            "action plan",
            "the strategy",
            "plan",
            "framework",
            "mental health strategy",
            "mh strategy",
        ):
            assert noise not in targets
    # inside the strategy's own section its short names are self-references; the minutes
    # before it (another section) do reference it
    own = {t for s, t in _pairs(pack) if s == MH}
    assert not own & {"Joint Mental Health Strategy", "Mental Health and Wellbeing Strategy", MH}
    assert (
        "Education & Children's Services Scrutiny Sub-Committee",
        "Joint Mental Health Strategy",
    ) in _pairs(pack)
    # the review's own subject is a self-reference (the workstreams loader links the two)
    assert MH not in _targets(review)


def test_normalisation_props(review) -> None:
    props = {r.name: r.props for r in review.records if isinstance(r, StrategyRecord)}
    assert props["Suicide Prevention Strategy"] == {
        "kind": "referenced",
        "borough": "Southwark",
        "years": "2017-2022",
    }
    assert props["Changing Lives Strategy"]["owner"] == "SLaM"
    assert props["Faith Strategy"]["owner"] == "Council"
    assert props["Five Year Forward View"]["qualifier"] == "for Mental Health"
    assert props[REVIEW_TITLE]["kind"] == "document"


def test_pack_sections_attribute_references(pack) -> None:
    pairs = _pairs(pack)
    for target in (
        "MOPAC Knife Crime Strategy",
        "Police and Crime Plan",
        "Council Plan",
        "Domestic Abuse Strategy",
    ):
        assert (KNIFE, target) in pairs
    for target in (
        "Southwark Five Year Forward View",
        "Local Transformation Plan",
        "Suicide Prevention Strategy",
        "Crisis Care Concordat",
        "Carers Strategy",
        "Health and Wellbeing Strategy",
        "Five Year Forward View",
    ):
        assert (MH, target) in pairs
    # the knife-crime review scope is its own section, not the mental-health strategy's
    assert ("Scrutiny review proposal", "London Knife Crime Strategy") in pairs
    assert not {t for s, t in pairs if s == MH and "Knife" in t}
    assert not {t for s, t in pairs if s == KNIFE and "Forward View" in t}


def test_evidence_and_source_lines(review, pack) -> None:
    for res, name in ((review, REVIEW), (pack, PACK)):
        lines = read_text_document(DATA_DIR / name).lines
        for r in res.records:
            if not isinstance(r, ReferenceRecord):
                continue
            span = " ".join(lines[r.source.line_start - 1 : r.source.line_end])
            first = r.target.split()[-1]
            assert first in span or first in lines[r.source.line_end], (r.source, r.target)
            assert r.evidence and r.target.split()[-1] in r.evidence


def test_accounting_counts_only_emitted_matches(review, pack) -> None:
    for res in (review, pack):
        refs = [r for r in res.records if isinstance(r, ReferenceRecord)]
        assert res.rows_read == res.rows_loaded == len(refs) == res.rows_accounted
        assert not res.rejects and res.rows_structural == 0


def test_one_strategy_record_per_name(pack) -> None:
    names = [r.name for r in pack.records if isinstance(r, StrategyRecord)]
    assert len(names) == len({n.casefold() for n in names})
    kinds = {r.name: r.props["kind"] for r in pack.records if isinstance(r, StrategyRecord)}
    assert kinds["Crisis Care Concordat"] == "referenced"


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        (
            "aligned to the Southwark Suicide Prevention Strategy (2017-2022) and",
            "Suicide Prevention Strategy",
        ),
        ("SLaM’s Changing Lives Strategy and Partnership Southwark.", "Changing Lives Strategy"),
        (
            "the Children and Young People's Mental Health Plan",
            "Children and Young People's Mental Health Plan",
        ),
        ("the NCCMH/NHSE Framework for Mental Health, Care and Support", "NCCMH/NHSE Framework"),
        ("Move On Strategy Group, project leadership", None),
        ("this action plan and the Strategy", None),
    ],
)
def test_find_names(text: str, bare: str | None) -> None:
    found = [m.bare for m in names.find_names(text, "Southwark") if not names.is_noise(m.bare)]
    assert (bare in found) if bare else not found


def test_self_reference() -> None:
    assert names.is_self_reference("MH Strategy", MH)
    assert names.is_self_reference("Mental Health Strategy", MH)
    assert not names.is_self_reference("Health and Wellbeing Strategy", MH)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=80),
            st.sampled_from(
                [
                    "",
                    "Report title: A Plan",
                    "Knife Crime Strategy",
                    "Action Plan 2017 - 2019",
                    "the Lewisham’s Five Year Forward View for Mental Health and Council Plan",
                    "Scrutiny review proposal",
                    "\tPartnership Southwark\t",
                    "Southwark Council",
                ]
            ),
        ),
        max_size=40,
    )
)
def test_random_documents_never_crash_and_account_for_rows(lines: list[str]) -> None:
    res = references.load(TextDocument.from_text("random.txt", "\n".join(lines)))
    assert res.rows_read == res.rows_accounted


def _find_names_full_scan(text: str, borough: str | None) -> list:
    """`find_names` as one scan over every token (how it read before it skipped to head
    words): the windowed reading must find exactly these names, in this order."""
    import re

    text = names.TAG.sub(lambda m: "\t" + " " * (len(m.group()) - 1), text)
    out: list = []
    run: list = []

    def close() -> None:
        if run:
            out.extend(names._names_in_run(run, text, borough))
        run.clear()

    for m in re.finditer(r"[^\s]+|\t", text):
        if m.group() == "\t":
            close()
            continue
        word, opens, closes = names._clean_token(m.group())
        skip = names._not_a_word(word)
        if opens or skip:
            close()
        if skip:
            continue
        if word == "The" and run:
            close()
        if names._is_cap(word) or (run and word in names._CONNECTORS):
            run.append((m.start(), m.end(), word))
        else:
            close()
        if closes:
            close()
    close()
    return out


_NAME_WORDS = [
    "Strategy",
    "Plan",
    "Planning",
    "Programme",
    "View",
    "Partnership",
    "Southwark",
    "Southwark's",
    "The",
    "the",
    "and",
    "of",
    "for",
    "&",
    "Mental",
    "Health",
    "MENTAL",
    "(2017-2022)",
    "2019",
    "Five",
    "Year",
    "Forward",
    "NHS",
    "action",
    "plan.",
    "Crisis",
    "Care",
    "Concordat,",
    "“Thrive",
    "London”",
    "SLaM’s",
    "\t",
    "<p>",
    "</p>",
    "Framework:",
    "123",
    "A.",
    "Board",
    "\xa0",
    "ActionPlan",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(_NAME_WORDS), st.text(max_size=12)), max_size=400),
    st.sampled_from([" ", "  ", "\n"]),
    st.sampled_from([None, "Southwark"]),
)
def test_find_names_reads_like_a_full_scan(words: list[str], sep: str, borough: str | None) -> None:
    text = sep.join(words)
    assert names.find_names(text, borough) == _find_names_full_scan(text, borough)


def test_find_names_in_a_long_capitalised_run() -> None:
    # a run longer than the first look-back window: the name still starts where it starts
    text = "see the " + " ".join(["Joint"] * 300) + " Strategy and the Local Plan here"
    assert names.find_names(text) == _find_names_full_scan(text, None)
    assert [m.bare for m in names.find_names(text)][-1] == "Local Plan"
