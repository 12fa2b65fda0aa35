"""Records to graph: stable ids, entity resolution, and edges with provenance.

`build_graph` is deterministic: records are processed in (document, line) order
and ids depend only on content and position, so any file order gives the same graph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .addresses import link_addresses
from .graph import PartnerGraph, _merge_props, gc_paused
from .ids import make_id
from .resolve import Resolver
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


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """A loaded file, as the Document node records it."""

    name: str
    sha256: str
    encoding: str
    lines: int
    area: str | None = None  # borough / council / CCG (loaders.area.detect_area), if found


@dataclass(slots=True)
class BuildResult:
    graph: PartnerGraph
    unresolved: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)


def strategy_id(name: str, resolver: Resolver) -> str:
    canonical = resolver.strategy_name(name)
    return make_id("Strategy", canonical.casefold(), readable=canonical)


def priority_id(sid: str, path: Sequence[PriorityRef]) -> str:
    key = [sid, *(f"{p.level}={p.name.casefold()}" for p in path)]
    return make_id("Priority", *key, readable=path[-1].name)


def _sort_key(rec: Any) -> tuple[str, int, str]:
    src: Source = rec.source
    return (src.document, src.line_start, type(rec).__name__)


class _Builder:
    def __init__(self, resolver: Resolver) -> None:
        self.r = resolver
        self.g = PartnerGraph()
        self.out = BuildResult(self.g)
        self.strategy_docs: dict[str, set[str]] = {}  # strategy id -> documents naming it
        # A big corpus names the same strategies, priority paths and bodies tens of thousands
        # of times: their canonical names and ids are worked out once per build (the resolver
        # is fixed while building).
        self._strategies: dict[str, tuple[str, str, list[str]]] = {}  # name -> id, canon, aliases
        self._chains: dict[tuple[str, tuple[PriorityRef, ...]], list[str]] = {}
        # raw name -> (id, kind, resolution), or why it stays unresolved
        self._bodies: dict[str, tuple[str, NodeKind, Any] | str] = {}
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
    def strategy(self, name: str, source: Source, props: dict[str, Any] | None = None) -> str:
        hit = self._strategies.get(name)
        if hit is None:
            canonical = self.r.strategy_name(name)
            hit = self._strategies[name] = (strategy_id(name, self.r), canonical, sorted({name, canonical}))
        sid, canonical, aliases = hit
        if props or self._fresh(("strategy", name), source):
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

    def body(self, raw: str, source: Source) -> str | None:
        """Node id of the organisation or service ``raw`` names (None if unresolved)."""
        if raw in self._bodies:
            hit = self._bodies[raw]
        else:
            res = self.r.resolve(raw)
            if res is None:
                hit = "collective (names no single body)" if self.r.is_collective(raw) else "unknown"
            else:
                kind = NodeKind.SERVICE if res.kind == "service" else NodeKind.ORGANISATION
                hit = (
                    make_id(str(kind), res.canonical.casefold(), readable=res.short or res.canonical),
                    kind,
                    res,
                )
            self._bodies[raw] = hit
        if isinstance(hit, str):
            self.out.unresolved.append(
                {"name": raw, "document": source.document, "line": source.line_start, "reason": hit}
            )
            return None
        nid, kind, res = hit
        if self._fresh(("body", raw), source):
            props: dict[str, Any] = {
                "aliases": sorted({raw.strip(), res.canonical}),
                "category": res.category,
            }
            self.g.add_node(Node(nid, kind, res.canonical, source, props))
        if res.provider:
            prov = self.body(res.provider, source)
            if prov is not None and prov != nid:
                self.g.add_edge(Edge(prov, nid, EdgeKind.PROVIDES, source, {"basis": "curated lexicon"}))
        return nid

    def mentions(self, src_id: str, text: str, source: Source) -> None:
        for m in self.r.mentions(text):
            if m.kind == "strategy":
                target = self.strategy(m.canonical, source)
            else:
                target = self.body(m.canonical, source)
            if target is not None and target != src_id:
                self.g.add_edge(Edge(src_id, target, EdgeKind.MENTIONS, source, {"words": [m.words]}))

    # ---------------------------------------------------------------- records
    def add_strategy(self, rec: StrategyRecord) -> None:
        sid = self.strategy(rec.name, rec.source, dict(rec.props))
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
        label = rec.text if len(rec.text) <= 80 else rec.text[:77].rstrip() + "..."
        self.g.add_node(Node(aid, NodeKind.ACTION, label, rec.source, {"status": rec.status, **props}))
        self.g.add_edge(Edge(aid, parent, EdgeKind.PART_OF, rec.source))
        at = self._actions_at.setdefault((rec.source.document, rec.source.line_start), [])
        if aid not in at:
            at.append(aid)
        for kind, names in (
            (EdgeKind.LEADS, rec.leads),
            (EdgeKind.SUPPORTS, rec.supports),
            (EdgeKind.RESOURCES, rec.resources),
        ):
            for raw in names:
                bid = self.body(raw, rec.source)
                if bid is not None:
                    self.g.add_edge(Edge(bid, aid, kind, rec.source, {"as_written": [raw]}))
        extra = " ".join(str(rec.props.get(k) or "") for k in ("progress", "sub_area_text"))
        self.mentions(aid, f"{rec.text} {extra}", rec.source)

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


def _strategy_areas(b: _Builder, doc_areas: dict[str, str]) -> None:
    """Set ``props.area`` of each strategy: the area its name gives ("Southwark Council Plan";
    "Barnet ..." when Barnet leads several titles), else the one area of the documents that
    name it (none if they disagree)."""
    from loaders.area import areas_of_titles

    nodes = [b.g.node(sid) for sid in b.strategy_docs]
    named = areas_of_titles(t for n in nodes for t in [n.label, *n.props.get("aliases", [])])
    for node in nodes:
        docs = b.strategy_docs[node.id]
        area = next((named[t] for t in [node.label, *node.props.get("aliases", [])] if t in named), None)
        if area is None:
            found = {doc_areas[d] for d in docs if d in doc_areas}
            area = found.pop() if len(found) == 1 else None
        if area:
            node.props["area"] = area


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
    results: Sequence[LoadResult], documents: Sequence[DocumentInfo] = (), *, resolver: Resolver | None = None
) -> BuildResult:
    """Turn loader results into a validated `PartnerGraph`.

    Glossary records are fed to the resolver first, so abbreviations defined anywhere
    in the corpus resolve names everywhere.
    """
    with gc_paused():
        return _build(results, documents, resolver)


def _build(
    results: Sequence[LoadResult], documents: Sequence[DocumentInfo], resolver: Resolver | None
) -> BuildResult:
    records = sorted((r for res in results for r in res.records), key=_sort_key)
    resolver = resolver or Resolver.default()
    resolver.learn([r for r in records if isinstance(r, GlossaryRecord)])
    b = _Builder(resolver)
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
                },
            )
        )
    handlers = {
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
    _strategy_areas(b, {d.name: d.area for d in documents if d.area})
    merge_editions(b.g, [(sid, r.name, r.source.document, dict(r.props)) for sid, r in b.defined])
    b.g.validate()
    return b.out
