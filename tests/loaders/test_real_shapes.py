"""Small made-up tables in the shapes the real documents showed (tests/loaders/real/).

Each case isolates one rule the real papers needed, so that the rule is checked apart
from any one file: column names matched by their head word (West Sussex County Council's
"West Sussex Action", the falls pack's "Who is responsible"), and a table of work already
done (the suicide prevention strategy's "What we have already achieved") read as
achievements, while a plan of things "to be achieved" is not.
"""

from __future__ import annotations

from graphmodel.schema import ActionRecord, LoadResult
from loaders.columns import match_columns, role_of
from loaders.readers.model import Block, BlockKind, Cell, DocumentModel
from loaders.table_actions import interpret_table


def _doc(heading: str, header: list[str], rows: list[list[str]]) -> tuple[DocumentModel, Block]:
    lines = [heading, " | ".join(header), *(" | ".join(r) for r in rows)]
    table = Block(
        BlockKind.TABLE,
        2,
        len(lines),
        header=(tuple(Cell(h, 2, 2) for h in header),),
        rows=tuple(tuple(Cell(v, i + 3, i + 3) for v in r) for i, r in enumerate(rows)),
    )
    blocks = (Block(BlockKind.HEADING, 1, 1, heading, level=1), table)
    return DocumentModel("plan.pdf", "pdf", "0" * 64, "binary", tuple(lines), blocks), table


def _actions(heading: str, header: list[str], rows: list[list[str]]) -> list[ActionRecord]:
    doc, table = _doc(heading, header, rows)
    res = LoadResult(doc.name, "tables")
    interpret_table(doc, table, res)
    assert res.rows_read == res.rows_accounted == len(rows)
    return [r for r in res.records if isinstance(r, ActionRecord)]


def test_column_named_by_its_head_word() -> None:
    assert role_of("West Sussex Action") == "action"
    assert role_of("Who is responsible") == "lead"
    assert role_of("National strategy priority") == "priority"
    assert role_of("Timescale for delivery") == "due"
    # a qualifier after a preposition is not the head
    assert role_of("Number of actions") is None
    assert role_of("Serious Violence Duty Plan") is None  # a data cell ending in a listed word
    cols = match_columns(["Borough Action", "Who is responsible", "By when"])
    assert cols.roles == {"action": 0, "lead": 1, "due": 2}


def test_table_under_an_achievements_heading_lists_achievements() -> None:
    header = ["National strategy priority", "Council Action", "Impact/ outputs"]
    rows = [["Reduce risk", "Train 200 front-line staff", "850 people attended 54 events"]]
    (done,) = _actions("What we have already achieved", header, rows)
    assert (done.level, done.status) == ("achievement", "achieved")
    assert done.props["Impact/ outputs"] == "850 people attended 54 events"
    (planned,) = _actions("Outcomes to be achieved by 2026", header, rows)
    assert (planned.level, planned.status) == ("action", "open")


def test_a_status_column_wins_over_the_heading() -> None:
    header = ["Action", "Lead", "Status"]
    (a,) = _actions("Achievements and next steps", header, [["Open a crisis café", "SLaM", "On Track"]])
    assert a.status == "On Track" and a.level == "action"


def test_lead_cell_worded_as_an_instruction_names_the_body() -> None:
    header = ["Action", "Who is responsible", "By when"]
    rows = [
        ["Map falls services", "Public Health to lead with the ICB", "March 2026"],
        ["Audit referrals", "ICB, Public Health", "2026"],
    ]
    first, second = _actions("Focusing actions", header, rows)
    assert first.leads == ("Public Health",) and first.props["lead task"] == "lead with the ICB"
    assert second.leads == ("ICB", "Public Health") and "lead task" not in second.props
