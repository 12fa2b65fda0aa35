"""Partners of any council (issue 13): areas, generic names, unknown bodies, multi-partner
cells, membership statements. Expectations come from reading the documents: the seeds,
the West Sussex excerpt and the made-up West Sussex tracker in ``tests/areas/`` (see its
README), and small documents written here, one per case."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.ingest import LoadReport, build, read_paths
from cli.main import app
from graphmodel.build import BuildResult, DocumentInfo, build_graph
from graphmodel.graph import PartnerGraph
from graphmodel.paths import DATA_DIR
from graphmodel.resolve import Resolver
from graphmodel.schema import (
    ActionRecord,
    EdgeKind,
    GlossaryRecord,
    LoadResult,
    NodeKind,
    PriorityRef,
    Source,
)
from loaders.area import area_of_title, detect_area_with_basis
from loaders.bodies import split_bodies
from loaders.name_index import paragraphs
from loaders.statements import definitions, memberships

HERE = Path(__file__).parent / "areas"
WSX_TEXT = HERE / "west_sussex_dap_2024_excerpt.txt"
WSX_TRACKER = HERE / "west_sussex_healthy_weight_tracker.csv"
REVIEW = DATA_DIR / "000_69c1f70b9380e9e0.txt"
PACK = DATA_DIR / "002_bf875e7a520b882d.txt"
LEEDS = (
    Path(__file__).parents[1]
    / ".."
    / "shared"
    / "corpus"
    / "leeds-community-healthcare_board-papers_2025-09-04.md"
)
BODY_EDGES = (EdgeKind.LEADS, EdgeKind.SUPPORTS, EdgeKind.RESOURCES, EdgeKind.MENTIONS, EdgeKind.PROVIDES)


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver.default()


@pytest.fixture(scope="module")
def mixed() -> LoadReport:
    """The Southwark review and pack, two West Sussex documents and the Leeds board pack."""
    return read_paths([REVIEW, PACK, WSX_TEXT, WSX_TRACKER, LEEDS])


def _build(report: LoadReport, names: set[str]) -> BuildResult:
    return build_graph(
        [r for r in report.results if r.document in names], [d for d in report.documents if d.name in names]
    )


def _bodies_by_document(g: PartnerGraph) -> dict[str, set[str]]:
    """Document -> the bodies its items are linked to (ids)."""
    out: dict[str, set[str]] = {}
    for e in g.edges():
        if e.kind not in BODY_EDGES:
            continue
        for end in (e.source, e.target):
            if g.kind_of(end) in (NodeKind.ORGANISATION, NodeKind.SERVICE):
                out.setdefault(e.source_ref.document, set()).add(end)
    return out


def _label(g: PartnerGraph, nid: str) -> str:
    return g.node(nid).label


# ------------------------------------------------------------------------------- 1. areas
@pytest.mark.parametrize(
    ("lines", "area"),
    [
        (["London Borough of Merton", "Community Safety Plan 2023-26"], "Merton"),
        (["Report to Cabinet", "Kent County Council", "Kent Police will lead the operation."], "Kent"),
        (["NHS Kent and Medway ICB board papers"], "Kent and Medway"),
        (["Leeds City Council Executive Board", "Leeds City Council will fund it."], "Leeds"),
        (["Minutes of the meeting", "Nothing here names a place."], None),
        # a trust's name is an organisation's, not the paper's area: named three times only
        # as the trust, it loses to the county the plan works in
        (
            [
                "Smoke Free Northshire Partnership Action Plan",
                "Northshire County Council will fund stop smoking services across Northshire.",
                "Westmere Hospitals NHS Foundation Trust | brief advice",
                "Westmere Hospitals NHS Foundation Trust | pre-assessment clinics",
                "Westmere Hospitals NHS Foundation Trust | inpatients",
            ],
            "Northshire",
        ),
        # ... but a trust whose place the paper also writes on its own still counts
        (
            [
                "Leafield Community Healthcare NHS Trust annual plan",
                "Services across Leafield | Leafield Community Healthcare NHS Trust",
                "Leafield Community Healthcare NHS Trust works with Kent County Council.",
            ],
            "Leafield",
        ),
        # ... and alone, it names the area
        (["Westmere Hospitals NHS Foundation Trust Board papers"], "Westmere"),
    ],
)
def test_area_of_a_small_document(lines: list[str], area: str | None) -> None:
    assert detect_area_with_basis(lines)[0] == area


def test_area_of_a_title_names_the_borough_only() -> None:
    assert area_of_title("London Borough of Merton Community Safety Plan") == "Merton"
    assert area_of_title("Royal Borough of Kingston upon Thames Health Plan") == "Kingston upon Thames"


@pytest.mark.parametrize(
    ("path", "area"),
    [
        (REVIEW, "Southwark"),  # "Southwark Health and Wellbeing Board", "Southwark CCG"
        (PACK, "Southwark"),  # "Southwark Council", "London Borough of Southwark"
        (WSX_TEXT, "West Sussex"),  # "West Sussex Drug and Alcohol Partnership", not Sussex Police's Sussex
        (LEEDS, "Leeds"),  # "Leeds Community Healthcare NHS Trust", "Leeds City Council"
    ],
)
def test_area_of_real_papers(path: Path, area: str) -> None:
    assert detect_area_with_basis(path.read_text(encoding="utf-8").split("\n"))[0] == area


def test_area_of_a_plan_naming_a_hospital_trust_more_often_than_its_council() -> None:
    # the smokefree plan names "Western Sussex Hospitals NHS Foundation Trust" three times and
    # "West Sussex County Council" once; it writes "West Sussex" on its own ("in West Sussex")
    # many times and "Western Sussex" only in the trust's name
    for name in ("sfws_action_plan_2022.docx",):
        doc = read_paths([Path(__file__).parent / "loaders" / "real" / name]).documents[0]
        assert doc.area == "West Sussex", doc


def test_load_report_shows_area_and_load_area_overrides(tmp_path: Path) -> None:
    doc = tmp_path / "plan.txt"
    doc.write_text("Kent County Council\n\nPublic Health plan for 2024.\n", encoding="utf-8")
    store = str(tmp_path / "g.json")
    runner = CliRunner()
    found = runner.invoke(app, ["--store", store, "load", str(doc), "--format", "json"])
    assert found.exit_code == 0, found.output
    [d] = json.loads(found.stdout)["documents"]
    assert d["area"] == "Kent" and "Kent" in d["area_basis"]
    given = runner.invoke(
        app, ["--store", store, "load", str(doc), "--replace", "--area", "Medway", "--format", "json"]
    )
    [d] = json.loads(given.stdout)["documents"]
    assert (d["area"], d["area_basis"]) == ("Medway", "given with --area")
    graph = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert [n["props"]["area"] for n in graph["nodes"] if n["kind"] == "Document"] == ["Medway"]


def test_another_councils_paper_names_its_own_plans_not_southwarks(tmp_path: Path) -> None:
    """ "Council Plan" and "Suicide prevention action plan" are curated aliases of two
    Southwark strategies; named in a Northshire paper they are Northshire's own plans."""
    doc = tmp_path / "northshire.txt"
    doc.write_text(
        "Northshire County Council\n\nYouth Safety Action Plan 2024\n\n"
        "Action\tLead\tTimescale\n"
        "Open two youth hubs, in line with the Council Plan\tYouth Service\tMarch 2025\n\n"
        "This plan supports the Northshire Council Plan and the Suicide prevention action plan.\n",
        encoding="utf-8",
    )
    graph = build(read_paths([doc]), infer=False).graph
    strategies = {n.label: n.props.get("area") for n in graph.nodes(NodeKind.STRATEGY)}
    assert not [label for label in strategies if "southwark" in label.casefold()], strategies
    # "the Council Plan" and "the Northshire Council Plan" of a Northshire paper: its own
    assert [a for label, a in strategies.items() if label.endswith("Council Plan")] == ["Northshire"]
    assert set(strategies.values()) == {"Northshire"}


def test_regional_and_national_bodies(resolver: Resolver) -> None:
    mopac = "Mayor's Office for Policing and Crime"
    assert (resolver.resolve("MOPAC", area="Lambeth") or pytest.fail()).canonical == mopac  # London
    assert resolver.resolve("MOPAC", area="Kent") is None  # not Kent's
    assert (
        resolver.resolve("Police", area="Lambeth") or pytest.fail()
    ).canonical == "Metropolitan Police Service"
    for name, canonical in (
        ("NHS England", "NHS England"),
        ("Home Office", "Home Office"),
        ("UKHSA", "UK Health Security Agency"),
    ):
        assert (resolver.resolve(name, area="West Sussex") or pytest.fail(name)).canonical == canonical


def test_curated_body_needs_agreeing_area_unless_its_name_says(resolver: Resolver) -> None:
    assert resolver.resolve("SLaM", area="Kent") is None  # an abbreviation of another area's trust
    assert (resolver.resolve("SLaM", area="Lambeth") or pytest.fail()).canonical.startswith("South London")
    named = resolver.resolve("South London and Maudsley NHS Foundation Trust", area="Kent")
    assert named is not None and named.short == "SLaM"  # the full name names it anywhere


# ------------------------------------------------------------------------------- 2. generic names
@pytest.mark.parametrize(
    ("name", "area", "canonical"),
    [
        ("Public Health", "West Sussex", "Public Health (West Sussex)"),
        ("Public Health", "Southwark", "LBS Public Health"),
        ("Trading Standards", "West Sussex", "Trading Standards (West Sussex)"),
        ("Communities", "Kent", "Communities (Kent)"),
        ("Local Authority", "Kent", "Council (Kent)"),
        ("the Council", "Kent", "Council (Kent)"),
        ("Kent County Council", "Southwark", "Council (Kent)"),  # another council named in a paper
        ("Police", "Kent", "Police (Kent)"),
        ("Sussex Police", "West Sussex", "Police (Sussex)"),
        ("CCG", "Kent", "CCG (Kent)"),
        ("ICB", "Kent", "ICB (Kent)"),
        ("Fire and Rescue Service", "Kent", "Fire Service (Kent)"),
        ("Housing", "Kent", "Housing (Kent)"),
        ("Schools", "Kent", "Schools (Kent)"),
        ("CAMHS", "Kent", "CAMHS (Kent)"),
    ],
)
def test_generic_names_resolve_within_the_area(
    resolver: Resolver, name: str, area: str, canonical: str
) -> None:
    res = resolver.resolve(name, area=area, document="x.txt")
    assert res is not None and res.canonical == canonical


def test_generic_name_of_a_document_without_area_stays_in_that_document(resolver: Resolver) -> None:
    res = resolver.resolve("Public Health", area=None, document="minutes.txt")
    assert res is not None and res.canonical == "Public Health (minutes.txt)"


def test_no_accidental_matches_inside_words_or_phrases(resolver: Resolver) -> None:
    text = "Members have met and discussed the plan with Kent County Council and the County Council."
    found = {(m.kind, m.canonical) for m in resolver.mentions(text, area="Kent", document="k.txt")}
    assert ("organisation", "Metropolitan Police Service") not in found
    assert ("organisation", "Southwark Council") not in found
    assert ("organisation", "Council (Kent)") in found  # "the County Council" is Kent's
    # in a Southwark paper, another council named in passing is that council, not Southwark's
    text = "The report went to Kent County Council and to the Youth Council; the council agreed."
    found = [(m.canonical, m.words) for m in resolver.mentions(text, area="Southwark", document="s.txt")]
    assert found == [
        ("Council (Kent)", "Kent County Council"),
        ("LBS Youth Council", "Youth Council"),
        ("Southwark Council", "the council"),
    ]
    # generic kinds of body are named as written ("Social Care"), not by ordinary words
    assert resolver.mentions("health and social care teams", area="Kent", document="k.txt") == []


# ------------------------------------------------------------------------------- 3. unknown bodies
def test_unknown_lead_and_partner_cells_become_unverified_bodies(mixed: LoadReport) -> None:
    built = _build(mixed, {WSX_TRACKER.name})
    g = built.graph
    orgs = {n.label: n for n in g.nodes(NodeKind.ORGANISATION)}
    # the tracker's cells, as read: each names one body nothing curated knows
    expected = {
        "University Hospitals Sussex NHS Foundation Trust": "nhs",
        "Riverside Trust": "voluntary",
        "Hillside College": "education",
    }
    for name, category in expected.items():
        node = orgs[name]
        assert node.props["verified"] is False and node.props["category"] == category
    lead = {_label(g, e.source) for e in g.edges(EdgeKind.LEADS)}
    support = {_label(g, e.source) for e in g.edges(EdgeKind.SUPPORTS)}
    assert "University Hospitals Sussex NHS Foundation Trust" in lead and "Riverside Trust" in support
    # kinds of body named without a place are the area's own: "Districts & Boroughs" is one
    assert {
        "Districts & Boroughs (West Sussex)",
        "Community Hubs (West Sussex)",
        "Primary care (West Sussex)",
    } <= support
    assert {b["name"] for b in built.new_bodies.values()} >= set(expected)


def test_inline_definition_is_an_alias_of_the_body_it_defines() -> None:
    doc = "Northshire Hospitals NHS Trust (NHT) will open a discharge lounge."
    [d] = definitions(paragraphs([doc])[0], "n.txt")
    assert (d.abbreviation, d.expansion) == ("NHT", "Northshire Hospitals NHS Trust")
    src = Source("n.txt", 3, 3)
    act = ActionRecord(
        "Discharge Plan", (PriorityRef("priority", "Flow"),), "Open a lounge", src, leads=("NHT",)
    )
    built = build_graph(
        [LoadResult("n.txt", "test", records=[d, act])],
        [DocumentInfo("n.txt", "0", "utf-8", 3, "Northshire")],
    )
    [org] = list(built.graph.nodes(NodeKind.ORGANISATION))
    assert org.label == "Northshire Hospitals NHS Trust" and "NHT" in org.props["aliases"]
    assert org.props["category"] == "nhs" and org.props["verified"] is False


# ------------------------------------------------------------------------------- 4. running text
def test_bodies_named_in_running_text() -> None:
    src = Source("r.txt", 5, 5)
    bullet = ActionRecord(
        "Annual Review",
        (PriorityRef("workstream", "Crisis"),),
        "The Riverside Trust received 400 referrals through the Safer Northshire Partnership.",
        src,
        level="achievement",
        status="achieved",
    )
    plain = ActionRecord(
        "Annual Review", (PriorityRef("workstream", "Crisis"),), "Mental Health Week Events ran in May.", src
    )
    built = build_graph(
        [LoadResult("r.txt", "test", records=[bullet, plain])],
        [DocumentInfo("r.txt", "0", "utf-8", 5, "Northshire")],
    )
    g = built.graph
    mentions = {
        (g.node(e.source).props["text"][:10], _label(g, e.target)) for e in g.edges(EdgeKind.MENTIONS)
    }
    assert mentions == {("The Rivers", "Riverside Trust"), ("The Rivers", "Safer Northshire Partnership")}
    assert {_label(g, e.source) for e in g.edges(EdgeKind.LEADS)} == {"Riverside Trust"}  # the actor
    assert all(n.props.get("verified") is False for n in g.nodes(NodeKind.ORGANISATION))


# ------------------------------------------------------------------------------- 5. cells
@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("Districts & Boroughs", ["Districts & Boroughs"]),
        ("Primary Care. Community Hubs", ["Primary Care", "Community Hubs"]),
        ("Northshire Partnership NHS Foundation Trust", ["Northshire Partnership NHS Foundation Trust"]),
        ("Children and Young People's Services", ["Children and Young People's Services"]),
        (
            "Kent Police, Kent Fire and Rescue Service and Districts & Boroughs",
            ["Kent Police", "Kent Fire and Rescue Service", "Districts & Boroughs"],
        ),
        (
            "Sussex Police; Public Health / Trading Standards",
            ["Sussex Police", "Public Health", "Trading Standards"],
        ),
        ("Police\nSchools", ["Police", "Schools"]),
        ("Northshire Partnership\nNHS Foundation Trust", ["Northshire Partnership NHS Foundation Trust"]),
        ("Kent Police and Kent County Council", ["Kent Police", "Kent County Council"]),
    ],
)
def test_multi_partner_cells_split_between_names(cell: str, names: list[str]) -> None:
    leads, supports = split_bodies(cell)
    assert [*leads, *supports] == names


# ------------------------------------------------------------------------------- 16.2 membership
def test_membership_statement_of_the_seed_review(mixed: LoadReport) -> None:
    from queries import alignment

    g = _build(mixed, {REVIEW.name}).graph
    rows = [r for r in alignment(g) if r.section == "member"]
    # 2019 review, line 835: "PS initially includes Southwark CCG, GSTT, SLAM, Primary Care
    # (GP Federations) and Southwark Adult Social Care."
    assert {r.label for r in rows} == {
        "NHS Southwark CCG",
        "Guy's and St Thomas' NHS Foundation Trust",
        "South London and Maudsley NHS Foundation Trust",
        "GP Federations",
        "LBS Adult Social Care",
    }
    assert all(r.programme == "Partnership Southwark" for r in rows)
    assert all(r.sources == (f"{REVIEW.name}:835",) for r in rows)


def test_membership_statement_of_another_programme() -> None:
    lines = WSX_TEXT.read_text(encoding="utf-8").split("\n")
    found = [m for p in paragraphs(lines) for m in memberships(p, WSX_TEXT.name)]
    [stmt] = found  # "The interdependencies of the WS DAP include ..." states no members
    assert stmt.name == "WS DAP" and stmt.source.line_start == 31
    assert {"Sussex Police", "Probation", "Public Health", "Job Centre Plus"} <= set(stmt.props["members"])


def test_membership_resolves_in_the_document_area(mixed: LoadReport) -> None:
    g = _build(mixed, {WSX_TEXT.name}).graph
    [prog] = [n for n in g.nodes(NodeKind.STRATEGY) if n.props.get("member_ids")]
    assert prog.label == "West Sussex Drug and Alcohol Partnership"  # "WS DAP" as the paper defines it
    assert {"Police (Sussex)", "Public Health (West Sussex)", "Jobcentre Plus"} <= set(prog.props["members"])


# ------------------------------------------------------------------------------- two councils
def test_two_councils_in_one_store_keep_their_own_bodies(mixed: LoadReport) -> None:
    g = _build(mixed, {d.name for d in mixed.documents}).graph
    public_health = sorted(
        n.label for n in g.nodes(NodeKind.ORGANISATION) if "public health" in n.label.casefold()
    )
    assert "LBS Public Health" in public_health and "Public Health (West Sussex)" in public_health
    by_doc = _bodies_by_document(g)
    southwark = by_doc.get(REVIEW.name, set()) | by_doc.get(PACK.name, set())
    west_sussex = by_doc.get(WSX_TEXT.name, set()) | by_doc[WSX_TRACKER.name]
    shared = {_label(g, b) for b in southwark & west_sussex}
    assert shared <= {"Jobcentre Plus", "National Probation Service", "NHS England", "Public Health England"}
    for nid in west_sussex:
        assert not _label(g, nid).startswith(("LBS ", "Southwark")), _label(g, nid)
    for nid in southwark:
        assert "Sussex" not in _label(g, nid), _label(g, nid)


def test_every_document_resolves_the_same_alone_or_together(mixed: LoadReport) -> None:
    names = {d.name for d in mixed.documents}
    together = _bodies_by_document(_build(mixed, names).graph)
    assert all(together.get(n) for n in (REVIEW.name, PACK.name, WSX_TRACKER.name))
    for name in sorted(names):
        alone = _bodies_by_document(_build(mixed, {name}).graph).get(name, set())
        assert alone == together.get(name, set()), name


# ------------------------------------------------------------------------------- 6. no Southwark in code
def test_code_names_no_borough() -> None:
    """Only comments and docstrings may name Southwark: no string the code uses does."""
    root = Path(__file__).parents[1]
    found = []
    for package in ("graphmodel", "loaders", "queries", "viz", "cli"):
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and node.body
                and isinstance(node.body[0], ast.Expr)
                and isinstance(node.body[0].value, ast.Constant)
            }
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docstrings
                    and "southwark" in node.value.casefold()
                ):
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == []


def test_seed_glossary_records_still_resolve(resolver: Resolver) -> None:
    """A glossary learnt for one area serves only that area's documents."""
    r = Resolver.default()
    r.learn(
        [GlossaryRecord("NHT", "Northshire Hospitals NHS Trust", Source("n.txt", 1, 1))],
        scope_of=lambda d: "Northshire",
    )
    assert (
        r.resolve("NHT", area="Northshire") or pytest.fail()
    ).canonical == "Northshire Hospitals NHS Trust"
    assert r.resolve("NHT", area="Kent") is None


def test_load_with_an_empty_area_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "plan.txt"
    doc.write_text("Kent County Council\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["--store", str(tmp_path / "g.json"), "load", str(doc), "--area", " "])
    assert res.exit_code == 2
    assert "--area" in res.stderr and "Traceback" not in res.output
    assert not (tmp_path / "g.json").exists()


def test_two_councils_plans_of_one_title_are_two_strategies(tmp_path: Path) -> None:
    """Northshire and Southshire each publish a "Youth Safety Action Plan": loaded into one
    store they are two strategies, and no edge joins the two councils' nodes."""
    for place, actions in (
        ("Northshire", ["Open two youth hubs", "Train school staff"]),
        ("Southshire", ["Run detached youth work", "Map activities outside school"]),
    ):
        rows = "".join(f"{a}\tPublic Health\tMarch 2025\n" for a in actions)
        (tmp_path / f"{place}.txt").write_text(
            f"{place} County Council\n\nYouth Safety Action Plan 2024\n\nAction\tLead\tTimescale\n{rows}",
            encoding="utf-8",
        )
    graph = build(read_paths(sorted(tmp_path.glob("*.txt")))).graph
    plans = [n for n in graph.nodes(NodeKind.STRATEGY) if n.label == "Youth Safety Action Plan"]
    assert sorted(n.props.get("area") for n in plans) == ["Northshire", "Southshire"]
    area_of = {}
    for n in graph.nodes():
        area_of[n.id] = n.props.get("area") or n.source.document.removesuffix(".txt")
    crossing = [
        e
        for e in graph.edges()
        if graph.kind_of(e.source) is not NodeKind.DOCUMENT
        and area_of.get(e.source) != area_of.get(e.target)
        and {area_of.get(e.source), area_of.get(e.target)} <= {"Northshire", "Southshire"}
    ]
    assert crossing == []
