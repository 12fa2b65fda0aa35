"""The recommendations loader, on the seed's Appendix 1 (Recommendations 3-33) and on noise."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphmodel.schema import RecommendationRecord
from loaders import recommendations
from loaders.readers.model import Block, BlockKind, DocumentModel, Marker
from loaders.text import TextDocument

SEED = "002_bf875e7a520b882d.txt"
MH = "Joint Mental Health and Wellbeing Strategy 2017-2020"


@pytest.fixture(scope="module")
def result(seed_paths):
    path = next(p for p in seed_paths if p.name == SEED)
    return recommendations.load(TextDocument.from_text(path.name, path.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def recs(result) -> dict[int, RecommendationRecord]:
    return {r.number: r for r in result.records if isinstance(r, RecommendationRecord)}


def test_all_31_recommendations(result, recs) -> None:
    assert sorted(recs) == list(range(3, 34))
    assert len([r for r in result.records if isinstance(r, RecommendationRecord)]) == 31
    assert all(r.label == str(n) for n, r in recs.items())
    assert {r.strategy for r in recs.values()} == {MH}
    assert result.rows_read == result.rows_accounted and not result.rejects


def test_status_phrases(recs) -> None:
    assert recs[7].status == "This has happened" and recs[7].props["status_kind"] == "done"
    assert recs[15].status == "This is under discussion"
    assert recs[15].props["status_kind"] == "under-discussion"
    assert recs[3].status is None and recs[3].props["status_kind"] == "referenced"


def test_references(recs) -> None:
    assert recs[3].references == (
        "Local policy context",
        "Strategic priority 1 – prevention and promotion of wellbeing under Education during "
        "Early Years and in Childhood",
        "Financial landscape",
        "Action plan",
    )
    assert recs[33].references[0].startswith("Action plan - Deliver a system wide digital")
    assert len(recs[13].references) == 7
    # a references cell cut by a page break ("... Early Years and in" / "Childhood")
    assert recs[14].references[1].endswith("during Early Years and in Childhood")
    assert recs[14].references[-1].startswith("Action - Ensure that the sufficiency strategy")
    # an action quote cut by a page break ("... and lived" / "experience of mental distress")
    assert recs[10].references[2].endswith("people from BME backgrounds with mental health difficulties.")


def test_text_continued_over_a_page_break(recs) -> None:
    assert recs[5].text.endswith(
        "between schools with mental health practitioners and social care, including housing."
    )
    assert recs[14].text.endswith("including the housing department.")
    assert recs[23].text.startswith("The Committee recommends a multi-layered communication campaign")


def test_source_lines_contain_the_text(recs, seed_lines) -> None:
    lines = seed_lines[SEED]
    for r in recs.values():
        src = re.sub(r"[^a-z0-9]", "", " ".join(lines[r.source.line_start - 1 : r.source.line_end]).lower())
        for word in re.findall(r"[a-z0-9]{3,}", (r.text + " " + " ".join(r.references)).lower()):
            assert word in src, f"rec {r.number}: {word!r} not in {r.source.cite()}"


def test_status_kinds() -> None:
    assert recommendations.status_kind("This is to be considered") == "planned"
    assert recommendations.status_kind("Action - this work is underway") == "in-progress"
    assert recommendations.status_kind("Local policy context") is None


_ROW = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "Recommendation 4:",
            "2.1.3",
            "That the Council",
            " • ",
            "Action - Develop",
            "This has happened.",
            "\t",
            " ",
            "x",
            "Status: Agreed",
            "--",
        ]
    ),
    max_size=10,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(_ROW, max_size=25))
def test_random_input_never_crashes_and_accounts_for_every_row(rows: list[str]) -> None:
    text = "A Review 2019\n\nRecommendation\tWhere referenced\n" + "\n".join(rows)
    res = recommendations.load(TextDocument.from_text("random.txt", text))
    assert res.rows_read == res.rows_accounted
    for r in res.records:
        assert 1 <= r.source.line_start <= r.source.line_end <= len(text.split("\n"))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("No.\tScrutiny recommendation\tResponse", {"label": 0, "text": 1, "refs": 2}),
        # markup inside the word: the header is read from the cell's text, not the raw line
        ("Recom<i>mendation</i>s\tRef", {"text": 0, "label": 1}),
        ("Recom**mendations\tStatus", {"text": 0, "status": 1}),
        ("&#82;ecommendations\tStatus", {"text": 0, "status": 1}),
        ("Action\tLead\tDue", None),
        ("Recommend ation\tStatus", None),
    ],
)
def test_header_columns(line: str, expected: dict[str, int] | None) -> None:
    assert recommendations.header_columns(line) == expected


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Rec",
                "omm",
                "endation",
                "s",
                " ",
                "\t",
                "<i>",
                "</i>",
                "<p>",
                "</p>",
                "<li>",
                "<ul>",
                "**",
                "*",
                "•",
                " • ",
                "&#82;",
                "&#x72;",
                "&amp;",
                "&lt;",
                "<span class='x'>",
                "<i ",
                "<",
                ">",
                "\x01",
                "-",
                "\n",
                "<b>",
                "<font>",
            ]
        ),
        max_size=14,
    )
)
def test_joined_text_holds_every_word_of_the_cell_text(parts: list[str]) -> None:
    # header_columns reads a markup cell only when "recommendation" is in its joined text
    from loaders.packed_cells import cell_text, joined_text

    cell = "".join(parts)
    joined = joined_text(cell).lower()
    for word in re.findall(r"[a-z]+", cell_text(cell).lower()):
        assert word in joined


# ------------------------------------------------ a recommendation ends where a section starts
def _model(doc: TextDocument, blocks: list[Block]) -> DocumentModel:
    return DocumentModel(doc.name, "pdf", doc.sha256, doc.encoding, doc.lines, tuple(blocks))


def test_list_item_ends_at_the_models_heading_and_at_a_new_paragraph_after_its_sentence() -> None:
    """A PDF's lines have no blank lines between sections: the reader's blocks say where
    one starts. A heading block ends a recommendation, so does a new paragraph once the
    recommendation has ended its sentence; a paragraph continuing an unfinished sentence
    and the recommendation's own list items stay with it."""
    lines = [
        "Recommendation 1: Fund the service",  # 1 heading (set bold)
        "from next year.",  # 2 paragraph: the sentence goes on
        "Funding could come from the levy.",  # 3 new paragraph after the sentence ended
        "Recommendation 2: Publish the data in:",  # 4
        "- every ward",  # 5 list item: its own point
        "Annex A",  # 6 heading
        "Recommendation 3: Train staff.",  # 7
        "Part 2: Delivery",  # 8 a numbered part (the reader saw a paragraph)
    ]
    doc = TextDocument.from_text("poster.pdf", "\n".join(lines))
    blocks = [
        Block(BlockKind.HEADING, 1, 1, lines[0], level=3),
        Block(BlockKind.PARAGRAPH, 2, 2, lines[1]),
        Block(BlockKind.PARAGRAPH, 3, 3, lines[2]),
        Block(BlockKind.PARAGRAPH, 4, 4, lines[3]),
        Block(BlockKind.LIST_ITEM, 5, 5, "every ward", marker=Marker.BULLET),
        Block(BlockKind.HEADING, 6, 6, lines[5], level=2),
        Block(BlockKind.PARAGRAPH, 7, 8, " ".join(lines[6:8])),
    ]
    recs = [
        r
        for r in recommendations.load(doc, _model(doc, blocks)).records
        if isinstance(r, RecommendationRecord)
    ]
    got = {r.number: (r.text, r.source.line_start, r.source.line_end) for r in recs}
    assert got == {
        1: ("Fund the service from next year.", 1, 2),
        2: ("Publish the data in: every ward", 4, 5),
        3: ("Train staff.", 7, 7),
    }
    # without the model, the lines run on to the next blank line (a text file's sections)
    plain = {
        r.number: r.text for r in recommendations.load(doc).records if isinstance(r, RecommendationRecord)
    }
    assert plain[1] == "Fund the service from next year. Funding could come from the levy."
    assert plain[2] == "Publish the data in: every ward Annex A"
    assert plain[3] == "Train staff."  # a numbered part heading ends it even in plain text
