"""Records to graph: stable ids, entity resolution, and edges with provenance.

`build_graph` is deterministic: records are processed in (document, line) order
and ids depend only on content and position, so any file order gives the same graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .addresses import link_addresses
from .bodies import (
    BODY_WORDS,
    bodies_in_text,
    guess_category,
    is_abbreviation,
    is_generic_phrase,
    leading_body,
    reads_as_body,
)
from .graph import PartnerGraph, _merge_props, gc_paused, settle_as_old
from .ids import make_id
from .resolve import Resolution, Resolver, clean_name
from .schema import (
    ActionRecord,
    Edge,
    EdgeKind,
    GlossaryRecord,
    LoadResult,
    Node,
    NodeKind,
    PriorityRecord,
    PriorityRef,
    RecommendationRecord,
    ReferenceRecord,
    Source,
    StrategyRecord,
    Warning_,
)

#: Areas named by strategy titles: titles in, {title: area} out (``loaders.area.areas_of_titles``;
#: passed in by the caller because graphmodel does not import loaders).
AreasOfTitles = Callable[[Iterable[str]], Mapping[str, str]]


#: A resources cell that is only a kind of body ("Council", "the Police", "CCG") resolves to
#: the document's body of that kind but names no team or budget: its RESOURCES edge is
#: marked ``props.generic = true`` so rankings can tell blanket entries from named roles.
#: (A lead or partner cell naming "Police" still makes the police accountable: not marked.)
GENERIC_BODY_NAMES = frozenset(
    """council councils authority local-authority police ccg nhs
the-council the-local-authority the-police the-ccg the-nhs local-council""".split()
)


def is_generic_body(raw: str) -> bool:
    """Is ``raw`` only a kind of body ("Council", "the Police"), not a named team or role?"""
    return "-".join(raw.casefold().replace("’", "'").split()).strip(".,;:") in GENERIC_BODY_NAMES


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A loaded file, as the Document node records it."""

    name: str
    sha256: str
    encoding: str
    lines: int
    area: str | None = None  # borough / council / CCG (loaders.area.detect_area), if found
    area_basis: str | None = None  # how the area was found ("named 12 times", "given with --area")
    # What the paper says about itself (loaders.document_meta), None where it does not say:
    title: str | None = None
    body: str | None = None  # the committee, board or council that issued it
    meeting_date: str | None = None  # ISO; a day-less date is the 1st of its month
    date_precision: str | None = None  # "day" or "month"
    date_source: str | None = None  # "text" (the paper's words) or "metadata" (the file's)


@dataclass(slots=True)
class BuildResult:
    graph: PartnerGraph
    unresolved: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    new_bodies: dict[str, dict[str, Any]] = field(default_factory=dict)  # unverified bodies by id


def strategy_id(name: str, resolver: Resolver, area: str | None = "*") -> str:
    """Stable id of the strategy ``name`` names in a document of ``area``.

    A curated strategy, or a title that names its own place, is one node wherever it is
    named. Any other title is its area's own: two councils' "Youth Safety Action Plan"
    are two strategies, never one node joining the councils.
    """
    canonical = resolver.strategy_name(name, area)
    own_area = (
        area
        if area
        and area != "*"
        and not resolver.is_curated_strategy(name, area)
        and area.casefold() not in canonical.casefold()
        else None
    )
    if own_area is None:
        return make_id("Strategy", canonical.casefold(), readable=canonical)
    return make_id("Strategy", canonical.casefold(), own_area.casefold(), readable=canonical)


def priority_id(sid: str, path: Sequence[PriorityRef]) -> str:
    key = [sid, *(f"{p.level}={p.name.casefold()}" for p in path)]
    return make_id("Priority", *key, readable=path[-1].name)


def _sort_key(rec: Any) -> tuple[str, int, str]:
    src: Source = rec.source
    return (src.document, src.line_start, type(rec).__name__)


class _Builder:
    def __init__(self, resolver: Resolver, areas: dict[str, str | None] | None = None) -> None:
        self.r = resolver
        self.areas = areas or {}  # document -> its area (None: not known)
        self.g = PartnerGraph()
        self.out = BuildResult(self.g)
        self.strategy_docs: dict[str, set[str]] = {}  # strategy id -> documents naming it
        # A big corpus names the same strategies, priority paths and bodies tens of thousands
        # of times: their canonical names and ids are worked out once per build (the resolver
        # is fixed while building).
        # (name, area) -> id, canon, aliases
        self._strategies: dict[tuple[str, str | None], tuple[str, str, list[str]]] = {}
        self._chains: dict[tuple[str, tuple[PriorityRef, ...]], list[str]] = {}
        # (raw name, area, document) -> (id, kind, resolution), or why it stays unresolved
        self._bodies: dict[tuple[str, str | None, str | None], tuple[str, NodeKind, Resolution] | str] = {}
        self._actions_at: dict[tuple[str, int], list[str]] = {}  # (document, line) -> action ids
        # Earliest source each (strategy name | priority path | body name) was added with,
        # without props of its own. Adding it again from a later source is a no-op (merged
        # lists already hold its names, sources keep the earliest), so it is skipped.
        self._added: dict[tuple[str, Any], Source] = {}
        self.defined: list[tuple[str, StrategyRecord]] = []  # (strategy id, record), for editions

    def _fresh(self, key: tuple[str, Any], source: Source) -> bool:
        """True (and ``source`` noted) unless ``key`` was added from ``source`` or earlier."""
        seen = self._added.get(key)
        if seen is not None and not source < seen:
            return False
        self._added[key] = source
        return True

    # ---------------------------------------------------------------- helpers
    def area_of(self, source: Source) -> str | None:
        """The area of the document ``source`` is in (None when not known)."""
        return self.areas.get(source.document)

    def strategy(self, name: str, source: Source, props: dict[str, Any] | None = None) -> str:
        area = self.area_of(source)
        # "WS DAP" is the "West Sussex Drug and Alcohol Partnership (WS DAP)" the paper defines
        name = self.r.expansion(name, area, source.document) or name
        hit = self._strategies.get((name, area))
        if hit is None:
            canonical = self.r.strategy_name(name, area)
            hit = self._strategies[(name, area)] = (
                strategy_id(name, self.r, area),
                canonical,
                sorted({name, canonical}),
            )
        sid, canonical, aliases = hit
        if props or self._fresh(("strategy", (name, area)), source):
            self.g.add_node(
                Node(sid, NodeKind.STRATEGY, canonical, source, {"aliases": list(aliases), **(props or {})})
            )
        self.strategy_docs.setdefault(sid, set()).add(source.document)
        return sid

    def priority_chain(
        self, strategy: str, path: Sequence[PriorityRef], source: Source, props: dict[str, Any] | None = None
    ) -> str:
        """Ensure every level of ``path`` exists; return the deepest node id."""
        parent = self.strategy(strategy, source)
        sid = parent
        key = (sid, tuple(path))
        ids = self._chains.get(key)
        if ids is None:
            ids = self._chains[key] = [priority_id(sid, path[:depth]) for depth in range(1, len(path) + 1)]
        if not props and not self._fresh(("chain", key), source):
            return ids[-1] if ids else sid
        for depth in range(1, len(path) + 1):
            ref = path[depth - 1]
            pid = ids[depth - 1]
            node_props = {"level": ref.level, **(props if depth == len(path) and props else {})}
            self.g.add_node(Node(pid, NodeKind.PRIORITY, ref.name, source, node_props))
            self.g.add_edge(Edge(pid, parent, EdgeKind.PART_OF, source))
            parent = pid
        return parent

    def body(self, raw: str, source: Source, *, keep_unknown: bool = True) -> str | None:
        """Node id of the organisation or service ``raw`` names, resolved in the area of
        its document. A name no curated body answers is kept as an unverified body when it
        reads as one (``keep_unknown``); otherwise None, and it is reported."""
        area = self.area_of(source)
        memo = (raw, area, None if area else source.document)
        hit = self._bodies.get(memo)
        if hit is None:
            res = self.r.resolve(raw, area=area, document=source.document)
            if res is None:
                hit = "collective (names no single body)" if self.r.is_collective(raw) else "unknown"
                name = clean_name(raw)
                if hit == "unknown" and keep_unknown and reads_as_body(name):
                    hit = self._node_key(self._unverified(name, area, source.document))
            else:
                hit = self._node_key(res)
            self._bodies[memo] = hit
        if isinstance(hit, str):
            self.out.unresolved.append(
                {"name": raw, "document": source.document, "line": source.line_start, "reason": hit}
            )
            return None
        return self._add_body(hit, raw, source)

    def _unverified(self, name: str, area: str | None, document: str) -> Resolution:
        """A body only the documents name: global when its name is a proper name, else
        (a kind of body: "Community Hubs") its area's own."""
        canonical = name
        if is_generic_phrase(name):
            canonical = f"{name} ({self.r.areas.name(area) if area else document})"
        return Resolution(
            canonical, "organisation", guess_category(name), None, None, "unverified", False, area
        )

    @staticmethod
    def _node_key(res: Resolution) -> tuple[str, NodeKind, Resolution]:
        kind = NodeKind.SERVICE if res.kind == "service" else NodeKind.ORGANISATION
        return (make_id(str(kind), res.canonical.casefold(), readable=res.short or res.canonical), kind, res)

    def _add_body(self, hit: tuple[str, NodeKind, Resolution], raw: str, source: Source) -> str:
        nid, kind, res = hit
        if self._fresh(("body", (raw, nid)), source):
            props: dict[str, Any] = {
                "aliases": sorted({raw.strip(), res.canonical, *([res.short] if res.short else [])}),
                "category": res.category,
            }
            if not res.verified:
                props["verified"] = False
            if res.area:
                props["area"] = res.area
            self.g.add_node(Node(nid, kind, res.canonical, source, props))
            if not res.verified:
                self.out.new_bodies.setdefault(
                    nid,
                    {
                        "name": res.canonical,
                        "category": res.category,
                        "first": f"{source.document}:{source.line_start}",
                        "how": "glossary" if res.matched_by == "glossary" else "named in the document",
                    },
                )
        if res.provider:
            prov = self.body(res.provider, source, keep_unknown=False)
            if prov is not None and prov != nid:
                self.g.add_edge(Edge(prov, nid, EdgeKind.PROVIDES, source, {"basis": "curated lexicon"}))
        return nid

    def mentions(self, src_id: str, text: str, source: Source) -> set[str]:
        """MENTIONS edges from ``src_id`` to what ``text`` names; returns the bodies' ids."""
        area = self.area_of(source)
        named: set[str] = set()
        for m in self.r.mentions(text, area=area, document=source.document):
            if m.kind == "strategy":
                target = self.strategy(m.canonical, source)
            elif m.resolution is not None:
                target = self._add_body(self._node_key(m.resolution), m.words, source)
                named.add(target)
            else:
                continue
            if target != src_id:
                self.g.add_edge(Edge(src_id, target, EdgeKind.MENTIONS, source, {"words": [m.words]}))
        # bodies named in running text that nothing curated knows ("the Safer Northshire
        # Partnership"): kept as unverified bodies
        for tb in bodies_in_text(text):
            for name in self._one_or_several(tb.name, area, source.document):
                bid = self.body(name, source)
                if bid is not None and bid != src_id and bid not in named:
                    named.add(bid)
                    self.g.add_edge(Edge(src_id, bid, EdgeKind.MENTIONS, source, {"words": [name]}))
        return named

    def _one_or_several(self, name: str, area: str | None, document: str) -> list[str]:
        """``name`` as the names of the bodies it lists: "London Ambulance Service and
        Metropolitan Police" is two, "Children and Young People's Services" one. It splits
        at "and" / "&" only when every part is a known body or reads as one."""
        parts = [p.strip() for p in re.split(r"\s+(?:and|&)\s+", name) if p.strip()]
        if len(parts) < 2:
            return [name]
        known = [self.r.resolve(p, area=area, document=document) is not None for p in parts]
        if all(known):  # "Council and CCG"
            return parts
        # "London Ambulance Service and Metropolitan Police"; not "Health and Wellbeing Board"
        if all(
            (len(p.split()) > 1 or is_abbreviation(p))
            and (k or (reads_as_body(p) and p.split()[-1].casefold() in BODY_WORDS))
            for p, k in zip(parts, known, strict=True)
        ):
            return parts
        return [name]

    # ---------------------------------------------------------------- records
    def add_strategy(self, rec: StrategyRecord) -> None:
        props = dict(rec.props)
        if isinstance(props.get("members"), list):
            # a membership statement: its members are the bodies it names, resolved in the
            # document's area (unknown bodies kept, as in a lead cell)
            raw = [str(m) for m in props.pop("members")]
            ids = [bid for m in raw if (bid := self.body(m, rec.source)) is not None]
            props["members_as_written"] = raw
            props["member_ids"] = list(dict.fromkeys(ids))
            props["members"] = [self.g.node(i).label for i in props["member_ids"]]
            props["members_document"] = rec.source.document
            props["members_line"] = rec.source.line_start
        sid = self.strategy(rec.name, rec.source, props)
        self.defined.append((sid, rec))

    def add_priority(self, rec: PriorityRecord) -> None:
        pid = self.priority_chain(rec.strategy, rec.path, rec.source, dict(rec.props))
        text = " ".join(str(v) for k, v in rec.props.items() if k in ("aims", "text") and v)
        if text:
            self.mentions(pid, text, rec.source)

    def add_action(self, rec: ActionRecord) -> None:
        parent = (
            self.priority_chain(rec.strategy, rec.path, rec.source)
            if rec.path
            else self.strategy(rec.strategy, rec.source)
        )
        aid = make_id(
            "Action",
            parent,
            rec.text.casefold(),
            rec.source.document,
            rec.source.line_start,
            readable=rec.text[:30],
        )
        props: dict[str, Any] = {
            "level": rec.level,
            "text": rec.text,
            "due": rec.due,
            "due_date": rec.due_date,
            "leads_raw": list(rec.leads),
            "supports_raw": list(rec.supports),
            "resources_raw": list(rec.resources),
            **rec.props,
        }
        # the full text: views and the table output shorten it for display, exports and
        # machine-readable query output must not lose any of it
        self.g.add_node(Node(aid, NodeKind.ACTION, rec.text, rec.source, {"status": rec.status, **props}))
        self.g.add_edge(Edge(aid, parent, EdgeKind.PART_OF, rec.source))
        at = self._actions_at.setdefault((rec.source.document, rec.source.line_start), [])
        if aid not in at:
            at.append(aid)
        for kind, names in (
            (EdgeKind.LEADS, rec.leads),
            (EdgeKind.SUPPORTS, rec.supports),
            (EdgeKind.RESOURCES, rec.resources),
        ):
            written: dict[str, list[str]] = {}  # body -> the cells naming it
            for raw in names:
                bid = self.body(raw, rec.source)
                if bid is not None:
                    written.setdefault(bid, []).append(raw)
            for bid, raws in written.items():
                edge_props: dict[str, Any] = {"as_written": sorted(set(raws), key=str)}
                if kind is EdgeKind.RESOURCES and all(is_generic_body(r) for r in raws):
                    edge_props["generic"] = True
                self.g.add_edge(Edge(bid, aid, kind, rec.source, edge_props))
        extra = " ".join(str(rec.props.get(k) or "") for k in ("progress", "sub_area_text"))
        self.mentions(aid, f"{rec.text} {extra}", rec.source)
        if not rec.leads and rec.status == "achieved":
            # the actor of a delivery bullet leads it: "The Riverside Trust received ..."
            actor = leading_body(rec.text)
            bid = self.body(actor.name, rec.source) if actor else None
            if actor and bid is not None:
                self.g.add_edge(Edge(bid, aid, EdgeKind.LEADS, rec.source, {"as_written": [actor.name]}))

    def add_recommendation(self, rec: RecommendationRecord) -> None:
        sid = self.strategy(rec.strategy, rec.source)
        rid = make_id("Recommendation", sid, rec.label or rec.number, readable=f"rec {rec.label}")
        self.g.add_node(
            Node(
                rid,
                NodeKind.RECOMMENDATION,
                f"Recommendation {rec.label or rec.number}",
                rec.source,
                {
                    "number": rec.number,
                    "label": rec.label or str(rec.number),
                    "text": rec.text,
                    "status": rec.status,
                    "references": list(rec.references),
                    **rec.props,
                },
            )
        )
        self.g.add_edge(Edge(rid, sid, EdgeKind.PART_OF, rec.source))
        self.mentions(rid, rec.text, rec.source)

    def add_reference(self, rec: ReferenceRecord) -> None:
        target = self.strategy(rec.target, rec.source)
        props = {"evidence": rec.evidence} if rec.evidence else {}
        if rec.relation == "ALIGNS_WITH" and rec.path:
            src_id = self.priority_chain(rec.strategy, rec.path, rec.source)
            self.g.add_edge(Edge(src_id, target, EdgeKind.ALIGNS_WITH, rec.source, props))
            if rec.action_text:
                # The action itself aligns too: the action loaded from this text at this
                # line (built first, records go in (document, line, type) order).
                # (An action's id fixes its document and first line.)
                for aid in sorted(self._actions_at.get((rec.source.document, rec.source.line_start), ())):
                    node = self.g.node(aid)
                    if (
                        node.props.get("text") == rec.action_text
                        and node.source.document == rec.source.document
                        and node.source.line_start == rec.source.line_start
                    ):
                        self.g.add_edge(Edge(node.id, target, EdgeKind.ALIGNS_WITH, rec.source, props))
        else:
            sid = self.strategy(rec.strategy, rec.source)
            if sid != target:
                self.g.add_edge(Edge(sid, target, EdgeKind.REFERENCES, rec.source, props))


def _strategy_areas(b: _Builder, doc_areas: dict[str, str], areas_of_titles: AreasOfTitles | None) -> None:
    """Set ``props.area`` of each strategy: the area its name gives ("Barnet Council Plan";
    "Barnet ..." when Barnet leads several titles), else the one area of the documents that
    name it (none if they disagree)."""
    nodes = [b.g.node(sid) for sid in b.strategy_docs]
    titles = (t for n in nodes for t in [n.label, *n.props.get("aliases", [])])
    named = areas_of_titles(titles) if areas_of_titles is not None else {}
    for node in nodes:
        docs = b.strategy_docs[node.id]
        area = next((named[t] for t in [node.label, *node.props.get("aliases", [])] if t in named), None)
        if area is None:
            found = {doc_areas[d] for d in docs if d in doc_areas}
            area = found.pop() if len(found) == 1 else None
        if area:
            b.g.set_prop(node.id, "area", area)


_CONTENT_KINDS = (NodeKind.PRIORITY, NodeKind.ACTION, NodeKind.RECOMMENDATION)


def mark_loaded_strategies(graph: PartnerGraph) -> None:
    """A strategy with content of its own (priorities, actions or recommendations loaded
    under it) is never ``kind: referenced``, which is kept for names only mentioned: its
    kind becomes ``plan``. (Run after a merge too: a name first seen as a mention keeps
    the kind it was first given.)"""
    for node in graph.nodes(NodeKind.STRATEGY):
        if node.props.get("kind") != "referenced":
            continue
        if any(
            d["kind"] == EdgeKind.PART_OF and graph.kind_of(src) in _CONTENT_KINDS
            for src, _, d in graph.in_edge_data(node.id)
        ):
            node.props["kind"] = "plan"


_EDITION = re.compile(
    r"\b(?:draft|final|annual|review|reviews|refresh(?:ed)?|update[ds]?|progress|report|delivery|"
    r"programme|action\s+plan|implementation\s+plan|v\d+(?:\.\d+)?|version|the)\b|"
    r"\(?\b(?:19|20)\d\d(?:\s*[-/–]\s*(?:19|20)?\d\d)?\b\)?",
    re.I,
)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


def edition_key(name: str, area: str | None) -> str:
    """The name of a strategy with its edition words dropped: years, "draft", "annual review",
    "delivery programme", "action plan", and the area's own name (a Barnet paper calling its
    plan "Barnet X" or "X" means one plan). Two strategies of one area with the same key are
    one strategy in different documents.

    >>> edition_key("Draft Joint Mental Health and Wellbeing Strategy 2017-2020", None)
    'joint mental health and wellbeing strategy'
    >>> edition_key("Barnet's Mental Health Strategy delivery programme annual review", "Barnet")
    'mental health strategy'
    """
    words = re.sub(r"['’]s\b", "", _EDITION.sub(" ", name)).casefold().split()
    drop = set((area or "").casefold().split())
    return " ".join(w for w in (re.sub(r"[^\w&]+", "", w) for w in words) if w and w not in drop)


def edition_role(name: str, kind: str | None) -> str:
    """``review``, ``draft`` or ``plan``: what a document carrying a strategy is to it."""
    text = name.casefold()
    if kind == "review" or re.search(r"\b(?:annual|delivery|progress|interim) (?:review|report)\b", text):
        return "review"
    return "draft" if re.search(r"\bdraft\b", text) else "plan"


def merge_editions(graph: PartnerGraph, defined: Sequence[tuple[str, str, str, dict[str, Any]]] = ()) -> None:
    """Make a strategy, its drafts, action plans and reviews one Strategy node.

    Strategies that carry content (priorities or actions PART_OF them) and share an
    `edition_key` in one area are merged into the one whose names are not a review or
    draft (then the first by label); edges move to it, names become its aliases.
    ``props.documents`` lists the documents carrying it: ``{file, role, year}``, from the
    strategy records ``defined`` as (strategy id, name, document, props) and the documents
    of its content. Generic: no strategy is named here; the key comes from the names.
    """
    nodes = graph.g._node
    label_of = {sid: nodes[sid]["label"] for sid, *_ in defined if sid in nodes}
    carriers = {v for _, v, k in graph.g.edges(keys=True) if k == EdgeKind.PART_OF}
    families: dict[tuple[str | None, str], set[str]] = {}
    for sid in sorted(carriers):
        d = nodes[sid]
        if d["kind"] != NodeKind.STRATEGY:
            continue
        area = d["props"].get("area")
        for name in {d["label"], *d["props"].get("aliases", [])}:
            key = edition_key(name, area)
            if key:
                families.setdefault((area, key), set()).add(sid)
    merged: dict[str, str] = {}  # strategy id -> the one it became
    for members in sorted(families.values(), key=sorted):
        members = {merged.get(m, m) for m in members}
        if len(members) < 2:
            continue

        def rank(sid: str) -> tuple[bool, bool, str]:
            names = " ".join([nodes[sid]["label"], *nodes[sid]["props"].get("aliases", [])])
            role = edition_role(names, nodes[sid]["props"].get("kind"))
            return (role == "review", role == "draft", nodes[sid]["label"])

        keep, *others = sorted(members, key=rank)
        for old in others:
            for u, v, _k, data in list(graph.g.in_edges(old, keys=True, data=True)) + list(
                graph.g.out_edges(old, keys=True, data=True)
            ):
                u2, v2 = (keep if u == old else u), (keep if v == old else v)
                if u2 != v2:
                    graph.add_edge(
                        Edge(
                            u2,
                            v2,
                            data["kind"],
                            data["source_ref"],
                            data["props"],
                            data["score"],
                            data["method"],
                            data["evidence"],
                        )
                    )
            # props of both (lists as sorted unions: documents, aliases, editions), so merging
            # stores loaded one document at a time gives the same node as loading them together
            old_props = {
                **nodes[old]["props"],
                "editions": sorted({old, *nodes[old]["props"].get("editions", [])}),
            }
            old_props["aliases"] = sorted({nodes[old]["label"], *old_props.get("aliases", [])})
            nodes[keep]["props"] = _merge_props(nodes[keep]["props"], old_props)
            graph.g.remove_node(old)
            merged[old] = keep
            for m, target in list(merged.items()):
                if target == old:
                    merged[m] = keep
    docs: dict[str, dict[str, dict[str, Any]]] = {}
    for sid, name, document, props in defined:
        if props.get("kind") == "referenced" or label_of.get(sid) is None:
            continue
        at = merged.get(sid, sid)
        entry = docs.setdefault(at, {}).setdefault(document, {"file": document, "role": "plan", "year": None})
        role = edition_role(f"{name} {label_of[sid]}", props.get("kind"))
        if role != "plan":
            entry["role"] = role
        year = _YEAR.search(f"{name} {props.get('years') or ''} {label_of[sid]}")
        if entry["year"] is None and year:
            entry["year"] = int(year.group(1))
    for sid, per_doc in docs.items():
        for d in nodes[sid]["props"].get("documents") or []:  # from an earlier load or merge
            if isinstance(d, dict) and d.get("file") not in per_doc:
                per_doc[d["file"]] = d
        nodes[sid]["props"]["documents"] = [per_doc[d] for d in sorted(per_doc)]


def build_graph(
    results: Sequence[LoadResult],
    documents: Sequence[DocumentInfo] = (),
    *,
    resolver: Resolver | None = None,
    areas_of_titles: AreasOfTitles | None = None,
) -> BuildResult:
    """Turn loader results into a validated `PartnerGraph`.

    Names resolve in the area of their document (``DocumentInfo.area``; a document
    given without a `DocumentInfo` is not scoped to an area). Glossary records are fed
    to the resolver first: abbreviations a document defines resolve names in every
    document of its area. ``areas_of_titles`` (the loaders' reader of area names,
    ``loaders.area.areas_of_titles``) gives strategies the area their titles name;
    without it a strategy takes the one area of the documents that name it.
    """
    with gc_paused():
        built = _build(results, documents, resolver, areas_of_titles)
        settle_as_old()
    return built


def _build(
    results: Sequence[LoadResult],
    documents: Sequence[DocumentInfo],
    resolver: Resolver | None,
    areas_of_titles: AreasOfTitles | None,
) -> BuildResult:
    records = sorted((r for res in results for r in res.records), key=_sort_key)
    resolver = resolver or Resolver.default()
    areas: dict[str, str | None] = {d.name: d.area for d in documents}
    for doc in documents:
        if doc.area:
            resolver.add_area(doc.area)

    def scope_of(document: str) -> str | None:
        return areas.get(document, "*")

    resolver.learn([r for r in records if isinstance(r, GlossaryRecord)], scope_of=scope_of)
    b = _Builder(resolver, {name: areas.get(name, "*") for name in {r.source.document for r in records}})
    glossaries: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        if isinstance(r, GlossaryRecord):
            glossaries.setdefault(r.source.document, []).append(
                {"term": r.abbreviation, "expansion": r.expansion, "line": r.source.line_start}
            )
    for doc in sorted(documents, key=lambda d: d.name):
        b.g.add_node(
            Node(
                make_id("Document", doc.name, readable=doc.name),
                NodeKind.DOCUMENT,
                doc.name,
                Source(doc.name, 1, max(doc.lines, 1)),
                {
                    "sha256": doc.sha256,
                    "encoding": doc.encoding,
                    "lines": doc.lines,
                    **({"area": doc.area} if doc.area else {}),
                    **({"glossary": glossaries[doc.name]} if doc.name in glossaries else {}),
                    **({"area_basis": doc.area_basis} if doc.area_basis else {}),
                    "title": doc.title,
                    "body": doc.body,
                    "meeting_date": doc.meeting_date,
                    "date_precision": doc.date_precision,
                    "date_source": doc.date_source,
                },
            )
        )
    handlers: dict[type, Callable[[Any], None]] = {
        StrategyRecord: b.add_strategy,
        PriorityRecord: b.add_priority,
        ActionRecord: b.add_action,
        RecommendationRecord: b.add_recommendation,
        ReferenceRecord: b.add_reference,
    }
    for rec in records:
        handler = handlers.get(type(rec))
        if handler is not None:
            handler(rec)
    # Actions that name an action of another record by quotation get ADDRESSES later
    # (loaders/recommendations resolves references against built actions).
    link_addresses(b.g)
    mark_loaded_strategies(b.g)
    _strategy_areas(b, {d.name: d.area for d in documents if d.area}, areas_of_titles)
    merge_editions(b.g, [(sid, r.name, r.source.document, dict(r.props)) for sid, r in b.defined])
    b.g.validate()
    return b.out
