"""What the views say about a node or link: strategy membership, colour, tooltip, side panel.

Shared by every view in `viz.visdata`. Plain text only: escaping is the renderer's job.
"""

from __future__ import annotations

from typing import Any

from graphmodel.graph import PartnerGraph
from graphmodel.schema import INFERRED_EDGES, Edge, EdgeKind, Node, NodeKind
from queries.duplicates import GROUP_WHY

from .documents import cite_label, document_names

K = NodeKind
E = EdgeKind
#: Colour-blind-safe-ish palette (Okabe-Ito first, then Tableau) for strategies.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#4E79A7",
    "#59A14F",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#76B7B2",
    "#EDC948",
)
#: Colours of nodes that belong to no single strategy.
NO_STRATEGY = {K.ORGANISATION: "#4B5563", K.SERVICE: "#9CA3AF"}
OTHER = "#D1D5DB"
REFERENCED = "#CBD5E1"  # strategies only named, with nothing of theirs in the graph
BODIES = (K.ORGANISATION, K.SERVICE)
WORK = (E.LEADS, E.SUPPORTS, E.RESOURCES)
TEXT_MAX = 600


# ------------------------------------------------------------------ text
def short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def label_of(graph: PartnerGraph, nid: str) -> str:
    return str(graph.g.nodes[nid]["label"])


#: What each kind of inferred evidence means, in a commissioner's words.
DEPENDENCY_KINDS = {
    "relies-on-service": "relies on a service the other action provides or changes",
    "shared-partner": "shares a partner with the other action",
    "overlapping-objective": "pursues the same objective as the other action",
}


def _score(value: object) -> str:
    try:
        return f"{float(value):.2f}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""


def inferred_facts(e: Edge) -> list[tuple[str, str]]:
    """(name, value) pairs of a DEPENDS_ON or DUPLICATES edge's evidence, as `materialise`
    stores it (service and kind; type, lexical and semantic scores); empty for other edges."""
    p = e.props
    facts: list[tuple[str, str]] = []
    if e.kind == E.DEPENDS_ON:
        service = str(p.get("service_name") or p.get("service") or "")
        kind = str(p.get("kind") or "")
        facts += [("Relies on", service), ("Kind", DEPENDENCY_KINDS.get(kind, kind))]
        facts.append(("Its words", ", ".join(map(str, p.get("words") or []))))
        facts.append(("The other's words", ", ".join(map(str, p.get("target_words") or []))))
    elif e.kind == E.DUPLICATES:
        kind = str(p.get("type") or "")
        facts.append(("Type", GROUP_WHY.get(kind, kind)))
        facts += [("Lexical score", _score(p.get("lexical"))), ("Semantic score", _score(p.get("semantic")))]
        facts.append(("Shared leads", ", ".join(map(str, p.get("shared_leads") or []))))
    return [(k, short(v, 200)) for k, v in facts if v]


class Context:
    """Per-call caches over the graph (strategy membership, colours)."""

    def __init__(self, graph: PartnerGraph) -> None:
        self.graph = graph
        self._strategy: dict[str, str | None] = {}
        # The biggest plans get the palette's distinct colours first; strategies that are
        # only referenced (no priority or action of theirs) share one quiet colour.
        members: dict[str, int] = {}
        for nid, d in graph.g.nodes(data=True):
            if d["kind"] != K.STRATEGY and (sid := self.strategy(nid)) is not None:
                members[sid] = members.get(sid, 0) + 1
        strategies = sorted(
            (n for n in graph.nodes(K.STRATEGY) if members.get(n.id)),
            key=lambda n: (-members[n.id], n.label.casefold(), n.id),
        )
        self.colour = {n.id: PALETTE[i % len(PALETTE)] for i, n in enumerate(strategies)}
        self.names = document_names(graph)  # tooltips cite documents by title, not file name

    def strategy(self, nid: str) -> str | None:
        if nid not in self._strategy:
            kind = self.graph.kind_of(nid)
            self._strategy[nid] = nid if kind == K.STRATEGY else self.graph.strategy_of(nid)
        return self._strategy[nid]

    def strategies(self, nid: str) -> tuple[str, ...]:
        """The strategy of a plan node; for bodies, the strategies of what they touch."""
        own = self.strategy(nid)
        if own is not None:
            return (own,)
        found = {
            s
            for m in self.graph.neighbours(nid)
            if self.graph.kind_of(m) not in BODIES and (s := self.strategy(m))
        }
        return tuple(sorted(found))

    def orgs(self, nid: str) -> tuple[str, ...]:
        g = self.graph
        found = {m for m in g.neighbours(nid) if g.kind_of(m) in BODIES}
        if g.kind_of(nid) in BODIES:
            found.add(nid)
        return tuple(sorted(found))

    def colour_of(self, nid: str) -> tuple[str, str]:
        """(group, colour): by strategy, else by body kind."""
        own = self.strategy(nid)
        if own is not None:
            return own, self.colour.get(own, REFERENCED)
        return "", NO_STRATEGY.get(self.graph.kind_of(nid), OTHER)

    # -------------------------------------------------------------- titles
    def node_title(self, node: Node) -> str:
        g, p = self.graph, node.props
        lines = [f"{node.kind}: {short(node.label, 200)}"]
        text = str(p.get("text") or "")
        if text and " ".join(text.split()) != " ".join(node.label.split()):
            lines.append(short(text, TEXT_MAX))
        if node.kind != K.STRATEGY and (sid := self.strategy(node.id)):
            lines.append(f"Strategy: {short(label_of(g, sid), 120)}")
        facts = [
            f"{k}: {p[k]}"
            for k in ("level", "status", "due", "category", "number")
            if p.get(k) not in (None, "", [])
        ]
        if facts:
            lines.append("; ".join(facts))
        for kind, word in ((E.LEADS, "Led by"), (E.SUPPORTS, "Supported by"), (E.RESOURCES, "Resourced by")):
            names = sorted(label_of(g, e.source) for e in g.in_edges(node.id, kind))
            if names:
                lines.append(f"{word}: {short(', '.join(names), 200)}")
        if node.kind in BODIES:
            work = [e for e in g.out_edges(node.id) if e.kind in WORK]
            if work:
                lines.append(f"Works on {len({e.target for e in work})} actions/priorities")
            aliases = [a for a in p.get("aliases") or [] if a != node.label]
            if aliases:
                lines.append(f"Also written: {short(', '.join(map(str, aliases)), 200)}")
        if node.kind == K.RECOMMENDATION:
            n = len(g.in_edges(node.id, E.ADDRESSES))
            lines.append(f"Addressed by {n} action(s)" if n else "Not addressed by any action")
        lines.append(f"Source: {cite_label(node.source, self.names)}")
        return "\n".join(lines)

    def node_info(self, node: Node) -> dict[str, Any]:
        """What the side panel shows for ``node`` (plain text; the page sets it as text)."""
        g, p = self.graph, node.props
        info: dict[str, Any] = {"kind": str(node.kind), "label": node.label}
        text = " ".join(str(p.get("text") or "").split())
        if text and text != " ".join(node.label.split()):
            info["text"] = short(text, 2000)
        for k in ("level", "status", "due", "due_date", "category", "number"):
            if p.get(k) not in (None, "", []):
                info[k] = p[k]
        sid = self.strategy(node.id)
        if node.kind != K.STRATEGY and sid:
            info["strategy"], info["strategy_id"] = label_of(g, sid), sid
        for kind, key in ((E.LEADS, "leads"), (E.SUPPORTS, "supports"), (E.RESOURCES, "resources")):
            names = sorted(label_of(g, e.source) for e in g.in_edges(node.id, kind))
            if names:
                info[key] = names
        if node.kind in BODIES:
            work = sorted({e.target for e in g.out_edges(node.id) if e.kind in WORK})
            if work:
                info["works_on"] = len(work)
        aliases = [str(a) for a in p.get("aliases") or [] if a != node.label]
        if aliases:
            info["aliases"] = aliases
        info["sources"] = [node.source.to_dict()]
        inferred: list[dict[str, Any]] = []
        for e in [*g.out_edges(node.id), *g.in_edges(node.id)]:
            if e.kind not in INFERRED_EDGES:
                continue
            other = e.target if e.source == node.id else e.source
            inferred.append(
                {
                    "kind": str(e.kind),
                    "dir": "out" if e.source == node.id else "in",
                    "other": other,
                    "other_label": short(label_of(g, other), 120),
                    "score": e.score,
                    "method": e.method or "",
                    "evidence": short(e.evidence or "", 400),
                    "facts": [list(f) for f in inferred_facts(e)],
                    "src": e.source_ref.to_dict(),
                }
            )
        if inferred:
            inferred.sort(key=lambda d: (-(d["score"] or 0), d["other"]))
            info["inferred"] = inferred[:30]
        return info

    def edge_title(self, e: Edge) -> str:
        g = self.graph
        lines = [f"{e.kind}: {short(label_of(g, e.source), 60)} → {short(label_of(g, e.target), 60)}"]
        if e.score is not None:
            lines.append(f"score {e.score:.2f}" + (f" ({e.method})" if e.method else ""))
        lines += [f"{k}: {v}" for k, v in inferred_facts(e)]
        if e.evidence:
            lines.append(f"Evidence: {short(e.evidence, 300)}")
        words = e.props.get("as_written") or (None if e.kind in INFERRED_EDGES else e.props.get("words"))
        if words:
            lines.append(f"As written: {short(', '.join(map(str, words)), 200)}")
        lines.append(f"Source: {cite_label(e.source_ref, self.names)}")
        return "\n".join(lines)
