"""Small synthetic graphs with planted answers, built with PartnerGraph directly."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphmodel.graph import PartnerGraph
from graphmodel.schema import Edge, EdgeKind, Node, NodeKind, Source


@dataclass
class A:
    """One planted action: key, text, leads/partners/resources (body keys), due, status."""

    key: str
    text: str
    leads: tuple[str, ...] = ()
    supports: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    priority: str = "P1"
    due_date: str | None = None
    status: str = "open"
    mentions: tuple[str, ...] = ()
    props: dict = field(default_factory=dict)


BODIES = {
    "police": ("Organisation", "Police", ["Police", "MPS"], "police-justice"),
    "yos": ("Organisation", "Youth Offending Service", ["Youth Offending Service", "YOS"], "council"),
    "health": ("Organisation", "Health", ["Health"], "nhs"),
    "ccg": ("Organisation", "Southwark CCG", ["CCG", "Southwark CCG"], "nhs"),
    "slam": ("Organisation", "South London and Maudsley", ["SLaM", "SLAM"], "nhs"),
    "gstt": ("Organisation", "Guy's and St Thomas'", ["GSTT"], "nhs"),
    "saph": ("Organisation", "SAPH", ["SAPH"], "education"),
    "sash": ("Organisation", "SASH", ["SASH"], "education"),
    "csp": ("Organisation", "LBS CS&P", ["LBS CS&P"], "council"),
    "council": ("Organisation", "Council", ["Council"], "council"),
    "ph": ("Organisation", "Public Health", ["Public Health"], "council"),
    "csc": ("Organisation", "LBS Children's Social Care", ["LBS Children's Social Care"], "council"),
    "iapt": ("Service", "IAPT", ["IAPT"], "mental-health"),
    "youthcouncil": ("Organisation", "Youth Council", ["Youth Council"], "council"),
}


def build(plans: dict[str, list[A]], *, doc: str = "synthetic.txt") -> PartnerGraph:
    """A graph of strategies (name -> actions) with bodies from BODIES (ids ``org:<key>``)."""
    g = PartnerGraph()
    line = 1

    def src() -> Source:
        return Source(doc, line, line)

    for key, (kind, label, als, cat) in BODIES.items():
        g.add_node(
            Node(f"org:{key}", NodeKind(kind), label, Source(doc, 1, 1), {"aliases": als, "category": cat})
        )
    for s_i, (name, actions) in enumerate(plans.items()):
        sid = f"strategy:{s_i}"
        line += 1
        g.add_node(Node(sid, NodeKind.STRATEGY, name, src(), {"aliases": [name]}))
        for a in actions:
            line += 1
            pid = f"priority:{s_i}:{a.priority}"
            if pid not in g:
                g.add_node(Node(pid, NodeKind.PRIORITY, a.priority, src(), {"level": "priority_area"}))
                g.add_edge(Edge(pid, sid, EdgeKind.PART_OF, src()))
            aid = f"action:{a.key}"
            g.add_node(
                Node(
                    aid,
                    NodeKind.ACTION,
                    a.text[:80],
                    src(),
                    {
                        "text": a.text,
                        "status": a.status,
                        "level": "action",
                        "due_date": a.due_date,
                        "due": a.due_date,
                        **a.props,
                    },
                )
            )
            g.add_edge(Edge(aid, pid, EdgeKind.PART_OF, src()))
            for kind, keys in (
                (EdgeKind.LEADS, a.leads),
                (EdgeKind.SUPPORTS, a.supports),
                (EdgeKind.RESOURCES, a.resources),
            ):
                for k in keys:
                    g.add_edge(Edge(f"org:{k}", aid, kind, src()))
            for m in a.mentions:
                g.add_edge(Edge(aid, m, EdgeKind.MENTIONS, src()))
    # keep only bodies that take part in something, like a real build
    for key in BODIES:
        if not g.neighbours(f"org:{key}"):
            g.remove_node(f"org:{key}")
    return g


KC = "Knife Crime and Knife Carrying Action Plan 2017-2019"
MH = "Joint Mental Health and Wellbeing Strategy 2017-2020"

KC_ACTIONS = [
    A(
        "kc-harm",
        "Partnership approach to harm reduction tackling underlying drivers to knife crime "
        "such as substance misuse and mental health issues.",
        leads=("health",),
        priority="Targeted",
    ),
    A(
        "kc-iris",
        "Develop a community based service model, similar to the IRIS model, in GP surgeries "
        "and pharmacies offering advice and referral.",
        leads=("ccg",),
        priority="Prevention",
    ),
    A(
        "kc-patrol",
        "End of school patrol plans agreed with secondary schools.",
        leads=("police",),
        priority="Prevention",
        due_date="2017-09-30",
    ),
    A(
        "kc-sceptre",
        "Operation Sceptre weapon sweeps and test purchasing.",
        leads=("police",),
        priority="Enforcement",
        due_date="2017-10-31",
    ),
    A(
        "kc-cps",
        "Regular meetings with the Crown Prosecution Service about sentencing.",
        leads=("police",),
        priority="Enforcement",
        due_date="2017-11-30",
    ),
    A(
        "kc-detect",
        "Police detections and prosecutions scrutinised for learning.",
        leads=("police",),
        priority="Enforcement",
        due_date="2017-12-31",
    ),
    A(
        "kc-mentor",
        "Mediation and mentoring programme using a restorative justice approach.",
        leads=("yos",),
        priority="Targeted",
        due_date="2018-04-30",
    ),
    A(
        "kc-identify",
        "Identify programme for cohorts at risk of knife crime and serious violence.",
        leads=("yos",),
        priority="Targeted",
        due_date="2018-04-30",
    ),
    A(
        "kc-map1",
        "Mapping exercise of all current extra-curricular activity in schools, youth clubs "
        "and community centres to identify gaps in provision.",
        leads=("saph",),
        priority="Resilience",
        due_date="2017-12-31",
    ),
    A(
        "kc-map2",
        "Mapping exercise of all current extra-curricular activity in schools, youth clubs "
        "and community centres to identify gaps in provision.",
        leads=("sash",),
        priority="Resilience",
        due_date="2017-12-31",
    ),
    A(
        "kc-map3",
        "Mapping exercise of all current extra curricular activity in schools, youth clubs "
        "and community centres, to identify gaps in provision",
        leads=("csp",),
        priority="Resilience",
        due_date="2017-12-31",
    ),
    A(
        "kc-survey",
        "Knife carrying survey piloted in four secondary schools.",
        leads=("sash",),
        resources=("council",),
        priority="Consultation",
        due_date="2017-10-31",
    ),
    A(
        "kc-youth",
        "Knife crime is a standing item of the Youth Council.",
        leads=("youthcouncil",),
        priority="Consultation",
    ),
    A(
        "kc-mash",
        "Referral pathways developed as part of Early Help and MASH services for children "
        "at risk of knife crime.",
        leads=("csc",),
        priority="Targeted",
        due_date="2017-09-30",
    ),
]

MH_ACTIONS = [
    A(
        "mh-136",
        "Increase partnership working with the local criminal justice system to ensure the "
        "right care and appropriate use of section 136 suites.",
        leads=("police", "slam"),
        priority="Prevention",
        due_date="2019-03-31",
    ),
    A(
        "mh-peer",
        "Develop peer support for vulnerable young people, starting with young offenders.",
        leads=("yos",),
        priority="Children",
        due_date="2018-03-31",
    ),
    A(
        "mh-iapt",
        "Expand IAPT talking therapies for people with long term conditions.",
        leads=("iapt",),
        priority="Primary care",
        due_date="2018-03-31",
    ),
    A(
        "mh-camhs",
        "Improve CAMHS crisis response and transitions to adult services.",
        leads=("slam",),
        priority="Crisis",
        due_date="2018-03-31",
    ),
    A(
        "mh-hub",
        "Review the Wellbeing Hub and its outcomes reporting.",
        leads=("slam",),
        priority="Wellbeing",
        due_date="2018-03-31",
    ),
    A(
        "mh-early",
        "Early Help locality teams to include CAMHS workers; support looked after children placements.",
        leads=("csc",),
        priority="Children",
        due_date="2018-03-31",
    ),
    A(
        "mh-lac",
        "Better supply of placements for looked after children and care leavers.",
        leads=("csc",),
        priority="Children",
        due_date="2018-06-30",
    ),
    A(
        "mh-ps1",
        "Joint planning underway with Partnership Southwark mental health leads in connection "
        "with their Primary and Community Mental Health Care Workstream, mapping exercise currently "
        "underway.",
        leads=("ccg",),
        priority="Primary care",
    ),
    A(
        "mh-ps2",
        "Joint planning underway with Partnership Southwark mental health leads in connection "
        "with the Primary and Community Mental Health Care Workstream; mapping exercise currently "
        "underway.",
        leads=("ccg",),
        priority="Crisis",
    ),
    A(
        "mh-mhfa",
        "Roll out mental health first aid training to frontline staff.",
        leads=("ph",),
        priority="Prevention",
        due_date="2019-03-31",
    ),
]
