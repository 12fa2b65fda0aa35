"""Synthetic council papers with known answers, for benchmarks and loader tests at any size.

The corpus imitates the two seed papers: knife-crime action-plan tables (tab-separated,
repeated header rows, empty leading cells continuing the row above), mental-health
workstream reviews ("N. Workstream K: Title", "Key achievements:" / "Future objectives:"
bullets), scrutiny recommendation appendices, optional packed strategy action plans, and
CSV action trackers, for many London boroughs and years. Action sentences are composed
from templates with vocabulary drawn from the seeds.

Planted, and written to ``answers.json`` next to the ``corpus/`` folder:

- duplicates: reworded copies of an action (synonym swaps, word order, small insertions)
  within one plan, across plans of a borough, and across boroughs;
- cross-strategy dependencies: knife-crime actions that name mental-health services
  (CAMHS, Wellbeing Hub, IAPT, ...) or are led by a mental-health body, and mental-health
  actions that name community-safety bodies.

Two actions that are not planted duplicates differ in at least three of their six
content slots (verb, object, beneficiary, setting, purpose, partner), so precision
measured against the planted pairs means something. Everything is deterministic in
``seed``.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import random
import textwrap
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ANSWERS_SCHEMA = "partnermap-bench/1"


def _split(s: str) -> list[str]:
    return [x.strip() for x in s.split("|") if x.strip()]


# (name, abbreviation, mental-health trust short name) for the 33 London local authorities.
_TRUSTS = {
    "SLaM": "South London and Maudsley NHS Foundation Trust",
    "ELFT": "East London NHS Foundation Trust",
    "NELFT": "North East London NHS Foundation Trust",
    "CNWL": "Central and North West London NHS Foundation Trust",
    "WLT": "West London NHS Trust",
    "SWLSTG": "South West London and St George's Mental Health NHS Trust",
    "Oxleas": "Oxleas NHS Foundation Trust",
    "C&I": "Camden and Islington NHS Foundation Trust",
    "BEH": "Barnet, Enfield and Haringey Mental Health NHS Trust",
}
BOROUGHS: list[tuple[str, str, str]] = [
    (n, a, t)
    for n, a, t in (
        x.split(":")
        for x in _split(
            "Barking and Dagenham:LBBD:NELFT|Barnet:LBB:BEH|Bexley:LBBx:Oxleas|Brent:LBBr:CNWL|"
            "Bromley:LBBm:Oxleas|Camden:LBC:C&I|City of London:CoL:ELFT|Croydon:LBCr:SLaM|"
            "Ealing:LBE:WLT|Enfield:LBEn:BEH|Greenwich:RBG:Oxleas|Hackney:LBH:ELFT|"
            "Hammersmith and Fulham:LBHF:WLT|Haringey:LBHa:BEH|Harrow:LBHr:CNWL|Havering:LBHv:NELFT|"
            "Hillingdon:LBHi:CNWL|Hounslow:LBHo:WLT|Islington:LBI:C&I|Kensington and Chelsea:RBKC:CNWL|"
            "Kingston upon Thames:RBK:SWLSTG|Lambeth:LBL:SLaM|Lewisham:LBLw:SLaM|Merton:LBM:SWLSTG|"
            "Newham:LBN:ELFT|Redbridge:LBR:NELFT|Richmond upon Thames:LBRuT:SWLSTG|Southwark:LBS:SLaM|"
            "Sutton:LBSu:SWLSTG|Tower Hamlets:LBTH:ELFT|Waltham Forest:LBWF:NELFT|"
            "Wandsworth:LBW:SWLSTG|Westminster:WCC:CNWL"
        )
    )
]
YEARS = list(range(2012, 2030))

# (imperative, past participle, synonym imperative, synonym past participle)
VERBS = [
    tuple(v.split("/"))
    for v in _split(
        "develop/developed/create/created|deliver/delivered/provide/provided|review/reviewed/assess/"
        "assessed|establish/established/set up/set up|map/mapped/audit/audited|expand/expanded/extend/"
        "extended|pilot/piloted/trial/trialled|promote/promoted/publicise/publicised|evaluate/evaluated/"
        "appraise/appraised|coordinate/coordinated/organise/organised|commission/commissioned/procure/"
        "procured|refresh/refreshed/update/updated|embed/embedded/integrate/integrated|strengthen/"
        "strengthened/reinforce/reinforced|roll out/rolled out/implement/implemented|monitor/monitored/"
        "track/tracked|co-produce/co-produced/co-design/co-designed|scope/scoped/explore/explored|"
        "agree/agreed/adopt/adopted|improve/improved/enhance/enhanced|publish/published/circulate/"
        "circulated|redesign/redesigned/reshape/reshaped"
    )
]

KC = {  # knife crime and community safety (seed 002)
    "o": _split(
        "knife carrying survey|peer mentoring programme|Female Focus Group|weapon sweep operations|"
        "test purchase operations|information sharing protocol|positive activities programme|"
        "bleeding control first aid training|Junior Citizens sessions|restorative justice approach|"
        "schools engagement sessions|parenting support offer|victim feedback pathway|"
        "community engagement events|knife crime awareness campaign|hotspot patrol plan|"
        "diversionary activities offer|ETE opportunities directory|knife crime conference|"
        "referral pathway for siblings of offenders|transition safety measures|"
        "community ambassadors network|social media strategy|key messages toolkit|safe havens scheme|"
        "knife arch deployment plan|mediation programme|Identify programme|gangs exit service|"
        "detached youth work offer|trusted adult scheme|partnership tasking process|"
        "intelligence sharing pathway|website audit|catchment area review|youth violence problem profile|"
        "sentencing briefing for magistrates|pre-sentence report guidance|tenancy enforcement protocol|"
        "licensing conditions for events|school exclusions review|youth council consultation|"
        "street-based outreach|weapons awareness assemblies|stop and search community monitoring"
    ),
    "b": _split(
        "young people at risk of knife carrying|victims of knife crime and their families|"
        "parents and carers|secondary school pupils|primary school pupils in transition|"
        "young women and girls affected by knife crime|young B&ME males|youth offenders|"
        "siblings of known offenders|excluded pupils|young people in alternative provision|"
        "habitual knife carriers|young people leaving custody|looked after children|local businesses|"
        "faith and community groups|residents on estates with high knife crime|college students|"
        "young people aged 10 to 24|gang-affected young people|community and voluntary groups|"
        "retailers selling knives|bus and transport users|tenants and residents associations|"
        "youth workers|school staff|young people on the verge of offending|families of victims|"
        "young people subject to court orders|children missing from education"
    ),
    "s": _split(
        "in secondary schools|in pupil referral units|in youth clubs|in community centres|"
        "in faith settings|on estates with the highest need|across town centre hotspots|in colleges|"
        "at transport hubs|in libraries and leisure centres|during the school holidays|"
        "in custody suites|at youth court|through the Youth Council|in the evenings and at weekends|"
        "at the transition from primary to secondary school|around school journeys|"
        "in licensed premises|at community events|in local parks|through detached outreach|"
        "in housing offices|at job centres|within Safer Neighbourhood wards|in tenant halls|"
        "at local markets|in after-school clubs|in sports clubs|through online channels|"
        "in shopping centres"
    ),
    "p": _split(
        "to reduce risk through pro-active preventative work|to challenge the normalisation of knife "
        "carrying|to capture the voice of young people|to improve the reach of support services|"
        "to divert young people away from crime|to maximise the impact of enforcement responses|"
        "to build resilience and pro-social behaviour|to share intelligence between partners|"
        "to increase the feeling of safety|to support victims and witnesses|to disrupt the supply of "
        "weapons|to improve conviction rates|to reduce repeat offending|to raise awareness of the "
        "consequences of knife crime|to signpost people to help|to identify gaps in provision|"
        "to increase take up of training and employment|to strengthen community confidence|"
        "to inform the revision of the action plan|to ensure a consistent message across partners|"
        "to target those most at risk|to understand local drivers of violence|to improve information "
        "sharing|to reduce exclusions|to protect vulnerable young people|to engage hard to reach groups|"
        "to promote positive role models|to coordinate the partnership response|to prevent retaliation|"
        "to reduce the number of weapons in circulation"
    ),
    "w": _split(
        "with the Youth Offending Service|with Safer Neighbourhood Teams|with head teachers|"
        "with the Anti-Knife Crime Forum|with Trading Standards|with the Crown Prosecution Service|"
        "with housing providers|with the Probation Service|with the Community Rehabilitation Company|"
        "with youth organisations|with faith leaders|with the Youth Council|with local businesses|"
        "with Transport for London|with British Transport Police|with the Safeguarding Children Board|"
        "with the Gangs Unit|with Victim Support|with StreetDoctors|with St Giles Trust|"
        "with local magistrates|with community safety officers|with the Metropolitan Police"
    ),
    # Naming one of these in a knife-crime action plants a dependency on mental health.
    "dep_w": _split(
        "with CAMHS|with the Wellbeing Hub|with IAPT talking therapies|with the Home Treatment Team|"
        "with the Place of Safety|with the psychiatric liaison team|with CAMHS clinicians"
    ),
    "leads": _split(
        "{abbr} CS&P|{abbr} YOS|{abbr} Education|{abbr} Y&PS|{abbr} External Affairs|{abbr} LET|Police|"
        "Police Schools Officers|{i}ASH|{i}APH|Youth Council|{i}SCB|{i}SAB|All partners|"
        "{abbr} CS&P in conjunction with {abbr} YOS|NPS|London CRC|Trading Standards"
    ),
    "dep_leads": _split("{trust}|CAMHS|IAPT|Wellbeing Hub"),
}

MH = {  # mental health and wellbeing (seeds 000 and 002)
    "o": _split(
        "peer support services|social prescribing offer|wellbeing champions programme|"
        "Mental Health First Aid training|dementia care pathway|long-term conditions therapy pilot|"
        "digital mental health offer|crisis cafe|Making Every Contact Count training|"
        "cultural competency training|hoarding protocol|employment support scheme|"
        "supported housing pathway|move-on accommodation plan|physical health checks|"
        "perinatal mental health service|carers assessment process|personal budgets offer|"
        "recovery college courses|self-management toolkit|community connector role|"
        "bereavement support offer|suicide prevention training|faith mental health training|"
        "open access information and advice|transition protocol from children's to adult services|"
        "whole school approach to emotional wellbeing|eating disorders pathway|dual diagnosis pathway|"
        "memory assessment service|early intervention in psychosis service|clozapine monitoring "
        "protocol|primary care mental health liaison|bed management system|discharge planning process|"
        "frequent attenders forum|workplace wellbeing charter|befriending scheme|intergenerational "
        "projects|mental health needs assessment|outcomes framework for mental health|co-production "
        "charter|neighbourhood mental health teams|stigma reduction campaign|talking therapies pathway"
    ),
    "b": _split(
        "people with serious mental illness|carers|older people living with dementia|new mothers in "
        "the perinatal period|people with long-term conditions|BME communities|people in mental health "
        "crisis|children and young people with emotional wellbeing needs|people who are homeless|"
        "people with learning disabilities|frequent attenders at A&E|adults with common mental "
        "disorders|people with a dual diagnosis|veterans|LGBTQ+ residents|students|people living alone|"
        "people claiming ESA|older adults at risk of isolation|people with eating disorders|"
        "people with first episode psychosis|people leaving inpatient care|refugees and asylum seekers|"
        "GP practice staff|frontline staff in universal services|VCS providers|local employers|"
        "people bereaved by suicide|young adults in transition|people in supported housing"
    ),
    "s": _split(
        "in primary care|within Integrated Neighbourhood Networks|in Primary Care Networks|"
        "in community settings|in GP surgeries|in acute hospital wards|in the community and voluntary "
        "sector|in supported housing|in care homes|in libraries and community hubs|in the workplace|"
        "through the Single Point of Access|through digital channels|in maternity services|"
        "in universities|in faith and cultural centres|in Local Care Networks|in extra care housing|"
        "in day centres|in leisure centres|in outpatient clinics|through community pharmacies|"
        "in children's centres|in adult education centres|in residential placements|through social "
        "prescribing link workers|in council housing services|at home|through the local Healthwatch|"
        "in neighbourhood health centres"
    ),
    "p": _split(
        "to reduce the duration and severity of crisis|to improve access to psychological therapies|"
        "to support recovery and independent living|to reduce stigma and discrimination|to increase "
        "life expectancy for people with SMI|to prevent mental health problems from developing|"
        "to reduce unnecessary use of A&E|to support people closer to home|to improve data and "
        "outcomes reporting|to reduce isolation and loneliness|to improve transitions between services|"
        "to increase the number of people in employment|to reduce delayed discharges|to improve the "
        "physical health of people with mental illness|to promote self-care and self-help|to identify "
        "dependencies and shared action areas|to strengthen community resilience|to reduce suicides by "
        "ten per cent|to ensure parity of esteem|to improve carers' wellbeing|to deliver care in line "
        "with NICE guidance|to ensure services reflect local need|to reduce health inequalities|"
        "to improve early diagnosis|to shift investment towards prevention|to make best use of combined "
        "resources|to support people to stay well|to reduce waiting times|to increase uptake among "
        "under-represented groups|to improve patient experience"
    ),
    "w": _split(
        "with {trust}|with the borough partnership|with GP Federations|with the CCG Medicines "
        "Optimisation Team|with Public Health|with VCS providers|with King's Health Partners|"
        "with Healthwatch|with Adult Social Care|with the Local Care Networks|with the council for "
        "voluntary service|with the Mental Health Foundation|with Thrive London|with housing teams|"
        "with Primary Care Commissioning leads|with the Partnership Commissioning Team|with carers' "
        "organisations|with faith groups|with Mind|with Age UK|with the Alzheimer's Society|"
        "with the Recovery College|with the Health and Wellbeing Board"
    ),
    # Naming one of these in a mental-health action plants a dependency on community safety.
    "dep_w": _split(
        "with the Metropolitan Police|with the Youth Offending Service|with Safer Neighbourhood Teams|"
        "with the Community Safety Partnership|with the Probation Service|with the Gangs Unit"
    ),
    "leads": _split(
        "CCG|Public Health|{trust}|VCS|Council|GP Federations|Primary Care|ASC|Partnership "
        "Commissioning Team|LCNs|CCG & Council|Public Health & partners|C&F"
    ),
    "dep_leads": _split("Police|{abbr} YOS|{abbr} CS&P"),
}
DOMAINS = {"knife-crime": KC, "mental-health": MH}
SLOTS = ("v", "o", "b", "s", "p", "w")

# Imperative templates (plans, objectives, trackers) and past ones (achievements).
IMPERATIVE = (
    "{V} {o} for {b} {s}{w}, {p}.",
    "{V} {o} {s} for {b}{w} {p}.",
    "{P}, {v} {o} for {b} {s}{w}.",
    "Work{wj} to {v} {o} for {b} {s}, {p}.",
    "{O} to be {pp} for {b} {s}{w}, {p}.",
)
BASE_IMPERATIVE = (0, 1, 3, 4)  # the purpose-first form only appears in reworded copies
PAST = ("{O} {pp} for {b} {s}{w}, {p}.", "{O} {pp} {s} for {b}{w}, {p}.")
NOUN_SYNONYMS = (
    ("young people", "young residents"),
    ("programme", "scheme"),
    ("offer", "provision"),
    ("parents and carers", "parents/carers"),
    ("pathway", "route"),
    ("sessions", "workshops"),
    ("training", "training sessions"),
    ("people", "residents"),
    ("service", "provision"),
)
INSERTS = (
    "where appropriate",
    "across the borough",
    "as a priority",
    "in partnership",
    "over the next year",
    "on a rolling basis",
    "with a pilot phase first",
    "jointly",
)

KC_PRIORITIES = _split(
    "Consultation and Engagement|Information Sharing and Intelligence development|Communication of "
    "Key Messages and Awareness Raising|Building Resilience|Prevention and Early Intervention|"
    "Enforcement against perpetrators|Supporting Victims|Safer Public Spaces|Education, Training and "
    "Employment"
)
KC_OUTCOMES = _split(
    "Embedding social responsibility in tackling knife crime and knife carrying|Taking action against "
    "those perpetrating knife crime|Protecting young people from harm|Building safer, more resilient "
    "communities"
)
KC_SUBAREAS = _split(
    "Consultation with young people to identify the key issues|Engage with those who have experienced "
    "knife crime|Establish information sharing routes between organisations and the community|"
    "Partnership communications campaign|Widen the choices available for young people|Enhance and "
    "promote peer support offer|Diversion and early intervention opportunities for youth offenders|"
    "Protecting vulnerable people|Deployment of enforcement options|Effective use of the criminal "
    "justice process|Equip young people with the skills to avoid knife crime|Targeted support for high "
    "risk groups"
)
KC_OUTCOME_CELLS = _split(
    "Views considered and incorporated into action plan.|Questionnaire drafted.|Meetings and "
    "engagement events timetabled.|Programme of training and support identified.|Reduction in knife "
    "crime.|Key messages agreed.|Campaigns reviewed.|Referral process established and publicised.|"
    "Information sharing best practice embedded in partner agencies.|Event timetabled.|Contact group "
    "established.|Improved conviction rates.|Survey results collated.|Activities timetabled and "
    "publicised."
)
KC_RESOURCES = _split(
    "Council|Police|Schools|Council Police|Voluntary sector|Council Schools|All partners|MOPAC|Council MOPAC"
)
PROGRESS = _split(
    "Groups identified. Three engagement events attended.|Agenda item at meetings "
    "and thereafter.|Workshop held; findings circulated.|Draft agreed by the board.|"
    "Delayed; revised date agreed.|Complete.|On track."
)
MH_WORKSTREAMS = _split(
    "Wellbeing, Information, Advice and Community Support|Primary Care and Improving Access to "
    "Psychological Therapies (IAPT)|Averting Crisis and Reducing Suicide|Children and Young People's "
    "Services|Older People and Dementia|Housing and Move-on|Recovery, Volunteering and Employment|"
    "Physical Health and Serious Mental Illness|Perinatal Mental Health|Workforce and Training"
)
MONTHS = _split("January|February|March|April|May|June|July|August|September|October|November|December")
STATUSES = _split("Not started|On track|Green|Amber|Red|Complete|Delayed")
REC_ACTORS = _split(
    "the Council and CCG|the Council|the CCG|the Cabinet Member|the Health and Wellbeing Board|partners"
)
REC_VERBS = _split(
    "detail|provide more detail on|consult with head teachers on|review|publish|"
    "promote|develop a plan for|report back on|ensure equality of access to"
)
REC_REFS = _split(
    "Local policy context|Financial landscape|Action plan|Engagement and co-production|"
    "Strategic priority 1 – prevention and promotion of wellbeing|Strategic priority 2 – "
    "community based care|Strategic priority 3 – improving clinical and care services|"
    "Strategic priority 4 – improving recovery"
)


@dataclass(frozen=True, slots=True)
class Unit:
    """One borough in one year: the papers and tracker it publishes."""

    borough: str
    abbr: str
    trust: str
    year: int

    @property
    def slug(self) -> str:
        return "".join(c if c.isalnum() else "_" for c in self.borough.lower())

    def fill(self, text: str) -> str:
        return (
            text.replace("{abbr}", self.abbr).replace("{i}", self.borough[0]).replace("{trust}", self.trust)
        )

    def kc_strategy(self) -> str:
        return f"{self.borough} Knife Crime and Knife Carrying Action Plan {self.year} - {self.year + 2}"

    def mh_strategy(self) -> str:
        return (
            f"{self.borough} Joint Mental Health and Wellbeing Strategy "
            f"{self.year - 1}-{str(self.year + 2)[-2:]}"
        )


@dataclass(slots=True)
class Spec:
    """An action's content slots (indices into its domain's lists) and how it is phrased."""

    domain: str
    slots: dict[str, int]
    dep_w: int = -1  # index into the domain's dep_w when the partner plants a dependency


@dataclass(slots=True)
class Planted:
    """One planted action: where it is, what it says, and what it is a copy of."""

    id: str
    document: str
    line: int
    text: str
    strategy: str
    domain: str
    kind: str
    lead: str | None
    group: str
    dependency: dict[str, str] | None = None
    spec: Spec | None = field(default=None, repr=False)


class Generator:
    """Builds a corpus in memory; `write` puts it on disk with its answers."""

    def __init__(
        self, *, seed: int = 0, dup_rate: float = 0.1, dep_rate: float = 0.06, stale_header_rate: float = 0.1
    ) -> None:
        self.rng = random.Random(seed)
        self.seed, self.dup_rate, self.dep_rate = seed, dup_rate, dep_rate
        self.stale = stale_header_rate
        self.actions: list[Planted] = []
        self.by_domain: dict[str, list[Planted]] = {"knife-crime": [], "mental-health": []}
        self.guard: set[tuple[Any, ...]] = set()
        self.files: dict[str, str] = {}
        self.documents: list[dict[str, Any]] = []
        self.recommendations: list[dict[str, Any]] = []
        self.group_sizes: dict[str, int] = {}
        self.group_texts: dict[str, set[str]] = {}

    # ------------------------------------------------------------------ sentences
    def _spec(self, domain: str, dep: bool) -> Spec:
        """A fresh spec that shares at most three slots with any earlier spec of the domain."""
        vocab, rng = DOMAINS[domain], self.rng
        for _ in range(200):
            slots = {
                "v": rng.randrange(len(VERBS)),
                "o": rng.randrange(len(vocab["o"])),
                "b": rng.randrange(len(vocab["b"])),
                "s": rng.randrange(len(vocab["s"])),
                "p": rng.randrange(len(vocab["p"])),
                "w": -1 if rng.random() < 0.25 else rng.randrange(len(vocab["w"])),
            }
            spec = Spec(domain, slots, rng.randrange(len(vocab["dep_w"])) if dep else -1)
            keys = [
                (domain, combo, tuple(self._slot_key(spec, k) for k in combo))
                for combo in itertools.combinations(SLOTS, 4)
            ]
            if not any(k in self.guard for k in keys):
                self.guard.update(keys)
                return spec
        raise RuntimeError("vocabulary exhausted: too many distinct actions for one domain")

    @staticmethod
    def _slot_key(spec: Spec, k: str) -> Any:
        return ("dep", spec.dep_w) if k == "w" and spec.dep_w >= 0 else spec.slots[k]

    def render(self, spec: Spec, unit: Unit, template: str, *, synonym: bool = False) -> str:
        vocab = DOMAINS[spec.domain]
        verb = VERBS[spec.slots["v"]]
        v, pp = (verb[2], verb[3]) if synonym else (verb[0], verb[1])
        w = (
            vocab["dep_w"][spec.dep_w]
            if spec.dep_w >= 0
            else vocab["w"][spec.slots["w"]]
            if spec.slots["w"] >= 0
            else ""
        )
        o, p = vocab["o"][spec.slots["o"]], vocab["p"][spec.slots["p"]]
        text = template.format(
            V=v[0].upper() + v[1:],
            v=v,
            pp=pp,
            O=o[0].upper() + o[1:],
            o=o,
            b=vocab["b"][spec.slots["b"]],
            s=vocab["s"][spec.slots["s"]],
            P=p[0].upper() + p[1:],
            p=p,
            w=f" {w}" if w else "",
            wj=f" {w}" if w else " jointly",
        )
        return unit.fill(text)

    def reword(self, spec: Spec, unit: Unit, base_template: int, avoid: set[str]) -> str:
        """A reworded copy unlike every text in ``avoid``: one or two of synonym swap, word
        order change, small insertion."""
        rng = self.rng
        base = self.render(spec, unit, IMPERATIVE[base_template])
        for _ in range(40):
            ops = rng.sample(("order", "synonym", "insert"), rng.choice((1, 1, 2)))
            t = (
                rng.choice([i for i in range(len(IMPERATIVE)) if i != base_template])
                if "order" in ops
                else base_template
            )
            text = self.render(spec, unit, IMPERATIVE[t], synonym="synonym" in ops and rng.random() < 0.6)
            if "synonym" in ops:
                options = [(a, b) for a, b in NOUN_SYNONYMS if f" {a} " in f" {text} "]
                if options:
                    a, b = rng.choice(options)
                    text = f" {text} ".replace(f" {a} ", f" {b} ", 1).strip()
            if "insert" in ops:
                # at a clause boundary: before "for"/"with"/", to", or at the end
                words = text[:-1].split(" ")
                cuts = [
                    i
                    for i, w in enumerate(words)
                    if i > 1 and (w in ("for", "with") or words[i - 1].endswith(","))
                ] + [len(words)]
                at = rng.choice(cuts)
                if at < len(words) and words[at - 1].endswith(","):
                    words[at - 1] = words[at - 1][:-1]
                    text = " ".join([*words[:at], rng.choice(INSERTS) + ",", *words[at:]]) + "."
                else:
                    text = " ".join([*words[:at], rng.choice(INSERTS), *words[at:]]) + "."
            if text != base and text not in avoid:
                return text
        for extra in INSERTS:  # every small rewording is taken: add a phrase at the end
            text = f"{base[:-1]} {extra}."
            if text not in avoid:
                return text
        return f"{base[:-1]} ({len(avoid)})."

    # ------------------------------------------------------------------ planting
    def plant(
        self,
        doc: str,
        line: int,
        unit: Unit,
        domain: str,
        strategy: str,
        kind: str,
        *,
        mood: str = "imperative",
    ) -> Planted:
        """Choose and record the action at ``doc:line`` (a new one or a reworded copy)."""
        rng, vocab = self.rng, DOMAINS[domain]
        aid = f"a{len(self.actions) + 1:07d}"
        source = self._copy_source(doc, unit, domain) if mood == "imperative" else None
        if source is not None:
            spec = source.spec
            assert spec is not None
            template = rng.choice(BASE_IMPERATIVE)
            text = self.reword(spec, unit, template, self.group_texts[source.group])
            lead = source.lead if (source.dependency or {}).get("via") == "lead" else None
            group, dep = source.group, source.dependency
        else:
            dep_kind = None
            if rng.random() < self.dep_rate * (1.0 if domain == "knife-crime" else 0.5):
                dep_kind = "mention" if rng.random() < 0.7 else "lead"
            spec = self._spec(domain, dep_kind == "mention")
            template = rng.choice(BASE_IMPERATIVE) if mood == "imperative" else rng.randrange(len(PAST))
            text = self.render(spec, unit, (IMPERATIVE if mood == "imperative" else PAST)[template])
            lead, group, dep = None, aid, None
            if dep_kind == "lead":
                lead = unit.fill(rng.choice(vocab["dep_leads"]))
                dep = {"via": "lead", "words": lead}
            elif dep_kind == "mention":
                dep = {"via": "mention", "words": unit.fill(vocab["dep_w"][spec.dep_w])[5:]}
            if dep is not None:
                dep["from_domain"] = domain
                dep["to_domain"] = "mental-health" if domain == "knife-crime" else "community-safety"
        if lead is None:
            lead = unit.fill(rng.choice(vocab["leads"]))
        p = Planted(aid, doc, line, text, strategy, domain, kind, lead, group, dep, spec)
        self.group_sizes[group] = self.group_sizes.get(group, 0) + 1
        self.group_texts.setdefault(group, set()).add(text)
        self.actions.append(p)
        self.by_domain[domain].append(p)
        return p

    def _copy_source(self, doc: str, unit: Unit, domain: str) -> Planted | None:
        rng, pool = self.rng, self.by_domain[domain]
        if not pool or rng.random() >= self.dup_rate:
            return None
        scope = rng.random()
        for _ in range(8):
            if scope < 0.4:  # within this document: the latest few rows of it
                cands = [a for a in pool[-60:] if a.document == doc]
            elif scope < 0.85:  # another paper of the same borough
                cands = [a for a in pool[-400:] if a.document != doc and a.document.startswith(unit.slug)]
            else:
                cands = pool[-2000:]
            cands = [a for a in cands if a.kind != "achievement" and self._group_size(a.group) < 4]
            if cands:
                return rng.choice(cands)
            scope = 1.0
        return None

    def _group_size(self, group: str) -> int:
        return self.group_sizes.get(group, 1)

    # ------------------------------------------------------------------ documents
    def _due(self, unit: Unit) -> str:
        rng, y = self.rng, unit.year + self.rng.randrange(0, 3)
        m = rng.choice(MONTHS)
        return rng.choice(
            (
                f"{m} {y}",
                f"{m} {y}",
                f"{m} {y} and ongoing.",
                "Ongoing",
                f"Initial consultation to be completed by {m} {y}.",
                f"Programme developed by {m} {y}.",
                f"Q{rng.randint(1, 4)} {y}/{str(y + 1)[-2:]}",
                f"March {str(y)[-2:]}",
            )
        )

    def _doc(self, name: str, kind: str, unit: Unit, strategy: str, lines: list[str], n: int) -> None:
        self.files[name] = "\n".join(lines) + "\n"
        self.documents.append(
            {
                "name": name,
                "kind": kind,
                "borough": unit.borough,
                "year": unit.year,
                "strategy": strategy,
                "actions": n,
                "lines": len(lines),
            }
        )

    def knife_plan(self, unit: Unit, n: int) -> None:
        """A knife-crime action plan: tab-separated table with repeated headers, ``n`` rows."""
        rng = self.rng
        name, title = f"{unit.slug}_{unit.year}_knife_crime_action_plan.txt", unit.kc_strategy()
        short_title = f"Knife Crime and Knife Carrying Action Plan {unit.year} - {unit.year + 2}"
        lines = [
            f"{unit.borough} Council",
            "",
            "MULTI-AGENCY KNIFE CRIME & KNIFE CARRYING ACTION PLAN",
            "",
            title,
            "",
            f"The aim of this action plan is to reduce knife crime in {unit.borough}. It will require "
            "the positive engagement of young people, their parents, schools and other key partners, "
            "the community and the statutory agencies to work together.",
            "",
        ]
        header = (
            "Priority Area – {}\tSub Area\tActions\tSub-Objective\tLead\tAgency Outcome\tResource\t"
            "Operational Outcome\tExpected Completion Date\tProgress to Date"
        )
        priorities = rng.sample(KC_PRIORITIES, len(KC_PRIORITIES))
        outcomes = rng.sample(KC_OUTCOMES, len(KC_OUTCOMES))
        page_len, page_rows, html_page, planted, pi = rng.randint(8, 12), 0, False, 0, 0
        first_priority = priorities[0]
        while planted < n:
            priority = priorities[pi % len(priorities)]
            if pi % 2 == 0:
                lines += [f"Strategic Outcome – {outcomes[(pi // 2) % len(outcomes)]}" + "\t" * 9, ""]
            lines.append(header.format(priority))
            pi += 1
            page_rows, new_page = 0, True
            desc = (
                f"{priority} is essential in understanding the causes of knife crime and knife "
                f"carrying and the impact it has on our community."
            )
            for _sub in range(rng.randint(1, 3)):
                sub_area = rng.choice(KC_SUBAREAS)
                new_sub = True
                for _act in range(rng.randint(1, 3)):
                    o = rng.choice(KC["o"])
                    cell = f"{rng.choice(VERBS)[0].capitalize()} {o} {rng.choice(KC['p'])}."
                    new_act = True
                    for _row in range(rng.randint(1, 4)):
                        if planted >= n:
                            break
                        if page_rows >= page_len:
                            stale = rng.random() < self.stale
                            shown = first_priority if stale else priority  # seed pages repeat a stale header
                            lines += ["", short_title, "", header.format(shown)]
                            page_rows, new_page, html_page = 0, True, rng.random() < 0.2
                        a = self.plant(name, len(lines) + 1, unit, "knife-crime", title, "action_plan")
                        cells = [
                            desc if new_page or (new_sub and planted == 0) else "",
                            sub_area if new_page or new_sub else "",
                            cell if new_page or new_act else "",
                            a.text,
                            a.lead or "",
                            rng.choice(KC_OUTCOME_CELLS),
                            rng.choice(KC_RESOURCES),
                            rng.choice(KC_OUTCOME_CELLS),
                            self._due(unit),
                            rng.choice(PROGRESS) if rng.random() < 0.3 else "",
                        ]
                        if html_page:
                            cells = [f"<p>{c}</p>" if c else "" for c in cells]
                        lines.append("\t".join(cells) + ("\t" if rng.random() < 0.5 else ""))
                        planted, page_rows = planted + 1, page_rows + 1
                        new_page = new_sub = new_act = False
                    if planted >= n:
                        break
                if planted >= n:
                    break
            lines.append("")
        gloss = [
            (f"{unit.abbr}", f"London Borough of {unit.borough}"),
            (f"{unit.abbr} CS&P", f"{unit.abbr} Community Safety & Partnerships Team"),
            (f"{unit.abbr} YOS", f"{unit.abbr} Youth Offending Service"),
            (f"{unit.abbr} Education", f"{unit.abbr} Education Department"),
            (f"{unit.abbr} Y&PS", f"{unit.abbr} Youth & Play Service"),
            (f"{unit.abbr} External Affairs", f"{unit.abbr} Communications, Policy and Public Affairs"),
            (f"{unit.abbr} LET", f"{unit.abbr} Local Economy Team"),
            (f"{unit.borough[0]}ASH", f"{unit.borough} Association of Secondary Head teachers"),
            (f"{unit.borough[0]}APH", f"{unit.borough} Association of Primary Head teachers"),
            (f"{unit.borough[0]}SCB", f"{unit.borough} Safeguarding Children's Board"),
            (f"{unit.borough[0]}SAB", f"{unit.borough} Safeguarding Adults' Board"),
            ("CAMHS", "Child and Adolescent Mental Health Services"),
            ("IAPT", "Improving Access to Psychological Therapies"),
            (unit.trust, _TRUSTS[unit.trust]),
            ("NPS", "National Probation Service"),
            ("CRC", "Community Rehabilitation Company"),
            ("MOPAC", "Mayor's Office for Policing and Crime"),
        ]
        lines += [
            "",
            "Glossary and Abbreviations",
            "",
            "Abbreviation\tOrganisation/Agency/Department",
            *(f"{a}\t{b}" for a, b in gloss),
        ]
        self._doc(name, "action_plan", unit, title, lines, planted)

    def _bullets(self, lines: list[str], texts: list[str], glyph: str) -> list[int]:
        """Write bullets (some wrapped like a PDF export); return each bullet's first line."""
        starts = []
        for text in texts:
            starts.append(len(lines) + 1)
            if self.rng.random() < 0.5:
                lines += textwrap.wrap(f"{glyph} {text}", 80, break_on_hyphens=False)
            else:
                lines.append(f"{glyph} {text}")
            if self.rng.random() < 0.8:
                lines.append("")
        return starts

    def mh_review(self, unit: Unit, n: int) -> None:
        """A workstream review: numbered workstreams with achievement and objective bullets."""
        rng = self.rng
        name, strategy = f"{unit.slug}_{unit.year}_mh_strategy_review.txt", unit.mh_strategy()
        glyph = rng.choice(("•", "\uf0b7", ""))  # "" = glyph lost in export: a leading space only
        lines = [
            "Item No.",
            f"{rng.randint(5, 20)}.",
            "",
            "Classification:",
            "Open",
            "",
            "Date:",
            f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {unit.year}",
            "",
            "Meeting Name:",
            "Health and Wellbeing Board",
            "",
            f"Report title: {strategy.rsplit(' ', 1)[0]} delivery programme annual review",
            "",
            "BACKGROUND AND PURPOSE",
            "",
            f"2. {unit.borough}'s {strategy.split(' ', len(unit.borough.split()))[-1]} is an all-age "
            "strategy which outlines our ambition to support improved mental wellbeing for local "
            "people.",
            "",
            "Key workstream highlights achieved over the past year are detailed below:",
            "",
        ]
        titles = rng.sample(MH_WORKSTREAMS, len(MH_WORKSTREAMS))
        planted, k = 0, 0
        while planted < n:
            title = titles[k % len(titles)] + ("" if k < len(titles) else f" (phase {k // len(titles) + 1})")
            lines += [f"{6 + k}. Workstream {k + 1}: {title}", ""]
            lines += [
                *textwrap.wrap(
                    f"This workstream aims to {rng.choice(VERBS)[0]} "
                    f"{rng.choice(MH['o'])} {rng.choice(MH['p'])}.",
                    80,
                ),
                "",
            ]
            k += 1
            for heading, kind, mood in (
                ("Key achievements:", "achievement", "past"),
                (rng.choice(("Future objectives:", "Future objectives")), "objective", "imperative"),
            ):
                count = min(rng.randint(2, 7), n - planted)
                if count <= 0:
                    break
                if lines[-1]:
                    lines.append("")
                lines += [heading, ""]
                for _ in range(count):
                    a = self.plant(name, 0, unit, "mental-health", strategy, kind, mood=mood)
                    a.line = self._bullets(lines, [a.text], glyph or "")[0]
                    if not glyph:  # a lost glyph leaves the single leading space of the seed export
                        lines[a.line - 1] = lines[a.line - 1].lstrip()
                        lines[a.line - 1] = " " + lines[a.line - 1]
                    planted += 1
        self._doc(name, "workstreams", unit, strategy, lines, planted)

    def tracker(self, unit: Unit, n: int) -> None:
        """An action tracker CSV mixing both strategies of the borough."""
        rng = self.rng
        name = f"{unit.slug}_{unit.year}_action_tracker.csv"
        buf = io.StringIO()
        out = csv.writer(buf, lineterminator="\n")
        out.writerow(["Strategy", "Priority", "Action", "Lead", "Partners", "Due", "Status", "Progress"])
        for i in range(n):
            domain = "knife-crime" if rng.random() < 0.5 else "mental-health"
            strategy = unit.kc_strategy() if domain == "knife-crime" else unit.mh_strategy()
            a = self.plant(name, i + 2, unit, domain, strategy, "tracker")
            priority = rng.choice(KC_PRIORITIES if domain == "knife-crime" else MH_WORKSTREAMS)
            partners = "; ".join(unit.fill(x) for x in rng.sample(DOMAINS[domain]["leads"], 2))
            y = unit.year + rng.randrange(0, 3)
            due = rng.choice(
                (
                    f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{y}",
                    self._due(unit),
                )
            )
            out.writerow(
                [
                    strategy,
                    priority,
                    a.text,
                    a.lead,
                    partners,
                    due,
                    rng.choice(STATUSES),
                    rng.choice(PROGRESS) if rng.random() < 0.5 else "",
                ]
            )
        self.files[name] = buf.getvalue()
        self.documents.append(
            {
                "name": name,
                "kind": "tracker",
                "borough": unit.borough,
                "year": unit.year,
                "strategy": None,
                "actions": n,
                "lines": n + 1,
            }
        )

    def appendix(self, unit: Unit, n: int) -> None:
        """A scrutiny appendix mapping ``n`` numbered recommendations to the strategy."""
        rng = self.rng
        name, strategy = f"{unit.slug}_{unit.year}_scrutiny_appendix.txt", unit.mh_strategy()
        lines = [
            strategy,
            "",
            "APPENDIX 1",
            "",
            "OSC recommendations and where this has been picked up in the strategy",
            "",
            "Both scrutiny sub-committees requested that the final report is presented when finalised.",
            "",
            "Recommendation\tWhere in the strategy and action plan this is referenced",
        ]
        first = rng.randint(1, 4)
        for number in range(first, first + n):
            text = (
                f"Recommendation {number}: The Committee recommends that {rng.choice(REC_ACTORS)} "
                f"{rng.choice(REC_VERBS)} the {rng.choice(MH['o'])} for {rng.choice(MH['b'])}."
            )
            refs = rng.sample(REC_REFS, rng.randint(1, 3))
            if rng.random() < 0.5:
                row = f'<p>{text}</p>\t<ul style="list-style-type: none"> ' + " ".join(f"• {r}" for r in refs)
            else:
                row = text + "\t" + " ".join(f"• {r}" for r in refs)
            self.recommendations.append(
                {
                    "document": name,
                    "line": len(lines) + 1,
                    "number": number,
                    "text": text,
                    "strategy": strategy,
                    "references": refs,
                }
            )
            lines.append(row)
        self._doc(name, "recommendations", unit, strategy, lines, 0)

    def packed_plan(self, unit: Unit, n: int) -> None:
        """A strategy action plan whose cells pack several actions, owners and timescales."""
        rng = self.rng
        name, strategy = f"{unit.slug}_{unit.year}_mh_strategy_action_plan.txt", unit.mh_strategy()
        lines = [
            strategy,
            "",
            "ACTION PLAN",
            "",
            "Strategic Priority\tActions\tOwner\tTimescale\tStatus/ update",
        ]
        planted, k = 0, 0
        while planted < n:
            k += 1
            count = min(rng.randint(2, 5), n - planted)
            acts = [
                self.plant(name, len(lines) + 1, unit, "mental-health", strategy, "strategy_plan")
                for _ in range(count)
            ]
            planted += count
            title = rng.choice(MH_WORKSTREAMS)
            lines.append(
                "\t".join(
                    [
                        f"<p>{k}. {title}</p>",
                        " ".join(f"<p>{a.text}</p>" for a in acts),
                        " ".join(f"<p>{a.lead}</p>" for a in acts),
                        " ".join(f"<p>{self._due(unit)}</p>" for a in acts),
                        "",
                    ]
                )
            )
        self._doc(name, "strategy_plan", unit, strategy, lines, planted)

    # ------------------------------------------------------------------ corpus
    def build(self, actions: int, *, packed: bool = False) -> None:
        """Generate papers for borough-years until ``actions`` actions are planted."""
        rng = self.rng
        units = [Unit(b, a, t, y) for y in YEARS for b, a, t in rng.sample(BOROUGHS, len(BOROUGHS))]
        scale = max(1.0, actions / (len(units) * 230))
        left = actions
        for unit in units:
            if left <= 0:
                break
            kinds = [("plan", 60, 140), ("review", 25, 60), ("tracker", 30, 90)]
            if packed:
                kinds.append(("packed", 10, 25))
            for kind, lo, hi in kinds:
                n = min(left, int(rng.randint(lo, hi) * scale))
                if n <= 0:
                    break
                getattr(
                    self,
                    {
                        "plan": "knife_plan",
                        "review": "mh_review",
                        "tracker": "tracker",
                        "packed": "packed_plan",
                    }[kind],
                )(unit, n)
                left -= n
            self.appendix(unit, rng.randint(6, 20))

    def answers(self) -> dict[str, Any]:
        """The known answers: every planted action, duplicate group and dependency."""
        groups: dict[str, list[Planted]] = {}
        for a in self.actions:
            groups.setdefault(a.group, []).append(a)
        dup_groups = [[a.id for a in g] for g in groups.values() if len(g) > 1]
        pairs = []
        for g in groups.values():
            for x, y in itertools.combinations(g, 2):
                pairs.append(
                    {
                        "a": x.id,
                        "b": y.id,
                        "same_document": x.document == y.document,
                        "scope": "within" if x.strategy == y.strategy else "across",
                    }
                )
        deps = [{"action": a.id, **a.dependency} for a in self.actions if a.dependency]
        return {
            "schema": ANSWERS_SCHEMA,
            "seed": self.seed,
            "dup_rate": self.dup_rate,
            "dep_rate": self.dep_rate,
            "counts": {
                "actions": len(self.actions),
                "documents": len(self.documents),
                "recommendations": len(self.recommendations),
                "duplicate_groups": len(dup_groups),
                "duplicate_pairs": len(pairs),
                "dependencies": len(deps),
            },
            "documents": self.documents,
            "actions": [
                {**{k: v for k, v in asdict(a).items() if k != "spec"}, "slots": self._slots(a)}
                for a in self.actions
            ],
            "recommendations": self.recommendations,
            "duplicate_groups": dup_groups,
            "duplicate_pairs": pairs,
            "dependencies": deps,
        }

    @staticmethod
    def _slots(a: Planted) -> list[Any]:
        """The content slots (verb, object, beneficiary, setting, purpose, partner) as indices."""
        assert a.spec is not None
        return [
            Generator._slot_key(a.spec, k) if k != "w" or a.spec.dep_w < 0 else f"dep{a.spec.dep_w}"
            for k in SLOTS
        ]

    def write(self, out: Path) -> Path:
        """Write ``out/corpus/*`` and ``out/answers.json``; return the corpus folder."""
        corpus = out / "corpus"
        corpus.mkdir(parents=True, exist_ok=True)
        for name, text in self.files.items():
            (corpus / name).write_text(text, encoding="utf-8", newline="\n")
        (out / "answers.json").write_text(
            json.dumps(self.answers(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        return corpus


def generate(
    out: Path,
    *,
    actions: int,
    seed: int = 0,
    dup_rate: float = 0.1,
    dep_rate: float = 0.06,
    packed: bool = False,
) -> dict[str, Any]:
    """Write a corpus of about ``actions`` planted actions under ``out``; return its answers.

    Examples
    --------
    >>> import tempfile
    >>> answers = generate(Path(tempfile.mkdtemp()), actions=50, seed=1)
    >>> answers["counts"]["actions"]
    50
    """
    gen = Generator(seed=seed, dup_rate=dup_rate, dep_rate=dep_rate)
    gen.build(actions, packed=packed)
    gen.write(out)
    return gen.answers()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n")[0])
    ap.add_argument("--actions", type=int, default=1000, help="planted actions in all (default 1000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/out/corpus-1000"))
    ap.add_argument("--dup-rate", type=float, default=0.1, help="share of actions that are copies")
    ap.add_argument(
        "--dep-rate",
        type=float,
        default=0.06,
        help="share of knife-crime actions that "
        "rely on mental-health services (half that rate the other way)",
    )
    ap.add_argument("--packed", action="store_true", help="also write packed strategy action plans")
    args = ap.parse_args(argv)
    answers = generate(
        args.out,
        actions=args.actions,
        seed=args.seed,
        dup_rate=args.dup_rate,
        dep_rate=args.dep_rate,
        packed=args.packed,
    )
    print(json.dumps({"out": str(args.out), **answers["counts"]}))


if __name__ == "__main__":
    main()
