"""Cross-strategy dependencies: actions of one strategy relying on another's services or work.

For each action of strategy A and each other strategy B, evidence is collected and
combined as ``score = 1 - prod(1 - w)`` (independent reasons reinforce each other):

- ``strategy-mention`` (0.9): the action names B itself.
- ``body`` (0.5, or 0.3 when B owns the domain only by profile): a lead, partner or
  resource of the action, or a body the action names, belongs to a domain B owns
  (lexicon ``bodies``/``categories``).
- ``involvement`` (0.4): that body takes part in at least two of B's actions and at
  least twice as many as in A's other actions (B is where it works), and it belongs to
  no lexicon domain or to one B owns.
- ``words`` (0.4 each, 0.15 by profile; at most three count): lexicon words of a domain
  B owns (``services``/``needs``) appear in the action's text.
- ``match`` (0.8 x cosine, at most 0.6): the action closely matches an action of B.

B owns domain D when B's title contains one of D's ``strategy_words`` and A's does not
("label"), or when no strategy with actions owns D by title and B's actions name D's
words at least `PROFILE_MIN_WORDS` times and at least twice as densely (per action) as
A's other actions ("profile"). Strategies
whose titles own the same domains (two editions of one strategy) are only linked by
an explicit mention. See ``data/lexicon.yaml``.

Areas: inferred evidence (body, involvement, words, match) only links an action to
strategies of its own strategy's area (``props.area``, see `loaders.area`) or to
strategies without one; an action that names a strategy links to it in any area.
Each action is only compared with the strategies it has some evidence for (domain
owners, where its bodies work, matching actions, named strategies), via indexes built
once, so the cost grows with actions, not actions x strategies.

Each link has a ``kind`` (`link_kind`): ``service`` (relies on the other plan's
services, partners or needs), ``similar-action``, or ``names-strategy``; by default
service links come first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph, gc_paused
from graphmodel.schema import EdgeKind, NodeKind
from graphmodel.store import Store

from ._base import (
    BODY_KINDS,
    aliases,
    check_unit,
    context_text,
    graph_of,
    resolve_strategy,
    roles,
    strategy_index,
)
from .lexicon import Lexicon, load_lexicon
from .results import DependencyLink

DEFAULT_MIN_SCORE = 0.4
MATCH_MIN_COSINE = 0.45
W_MENTION_STRATEGY = 0.9
W_BODY = {"label": 0.5, "profile": 0.3}
W_INVOLVEMENT = 0.4
W_WORD = {"label": 0.4, "profile": 0.1}
PROFILE_MIN_WORDS = 4  # a strategy owns an untitled domain only if its actions name it this often
MAX_WORDS = 3
#: Link kinds, in the default order: reliance on services/partners/needs first.
KINDS = ("service", "similar-action", "names-strategy")
ORDERS = ("kind", "score")


def link_kind(evidence_kinds: set[str] | frozenset[str]) -> str:
    """``service`` (body or lexicon words), else ``similar-action`` (text match), else
    ``names-strategy`` (the action only names the other strategy)."""
    if evidence_kinds & {"body", "words"}:
        return "service"
    return "similar-action" if "match" in evidence_kinds else "names-strategy"


def sort_key(r: DependencyLink, order: str) -> tuple:
    """Sort key of a link in ``order`` (``kind`` or ``score``)."""
    rank = KINDS.index(r.kind) if order == "kind" else 0
    return (rank, -r.score, r.from_strategy, r.to_strategy, r.action_id)


@dataclass(slots=True)
class _Evidence:
    weights: list[float] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    reasons: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    sources: set = field(default_factory=set)

    def add(self, kind: str, weight: float, reason: str, target: str | None = None) -> None:
        self.weights.append(weight)
        self.kinds.add(kind)
        self.reasons.append(reason)
        if target is not None and target not in self.targets:
            self.targets.append(target)

    @property
    def score(self) -> float:
        rest = 1.0
        for w in self.weights:
            rest *= 1.0 - w
        return round(1.0 - rest, 3)


class _Context:
    """Everything the per-action evidence needs, computed once per graph."""

    def __init__(self, graph: PartnerGraph, lexicon: Lexicon) -> None:
        self.g = graph
        self.lex = lexicon
        self.index = strategy_index(graph)
        self.strategies = sorted(self.index.actions)
        self.title_domains: dict[str, frozenset[str]] = {}
        for s in graph.nodes(NodeKind.STRATEGY):
            title = " ".join(aliases(s))
            self.title_domains[s.id] = frozenset(
                d.name for d in lexicon.domains.values() if d.owns_title(title)
            )
        # domains some strategy with actions owns by its title (no profile owner then)
        self.titled: set[str] = set()
        for sid in self.index.actions:
            self.titled |= self.title_domains.get(sid, frozenset())
        self.roles = {a: roles(graph, a) for a in self.index.of}
        self.mentioned = {a: sorted(set(graph.targets(a, EdgeKind.MENTIONS))) for a in self.index.of}
        self.body_domains: dict[str, frozenset[str]] = {}
        for kind in BODY_KINDS:
            for n in graph.nodes(kind):
                generic = lexicon.is_generic(n)
                self.body_domains[n.id] = (
                    frozenset()
                    if generic
                    else frozenset(d.name for d in lexicon.domains.values() if d.has_body(n))
                )
        self.generic = {
            n
            for kind in BODY_KINDS
            for n in (x.id for x in graph.nodes(kind))
            if lexicon.is_generic(graph.node(n))
        }
        # hits[action][domain]: distinct lexicon words of that domain in the action
        self.words: dict[str, dict[str, list[str]]] = {}
        self.hits: dict[str, Counter[str]] = {}
        for a in self.index.of:
            self.words[a] = lexicon.words_in(context_text(graph, a))
            # profiles count words only: who leads what varies more between plans than
            # what they talk about
            self.hits[a] = Counter({k: len(v) for k, v in self.words[a].items()})
        self.strategy_hits: dict[str, Counter[str]] = {}
        self.involvement: dict[str, Counter[str]] = {}  # body -> strategy -> actions
        for sid, acts in self.index.actions.items():
            total: Counter[str] = Counter()
            for a in acts:
                total.update(self.hits[a])
                for b in {b for b, _, _ in self.roles[a]}:
                    self.involvement.setdefault(b, Counter())[sid] += 1
            self.strategy_hits[sid] = total
        self.area = {s.id: s.props.get("area") or None for s in graph.nodes(NodeKind.STRATEGY)}
        # who may own each domain, by area: an action only looks at strategies it has evidence
        # for (instead of every strategy), and only at those of its own area
        self.owners: dict[str, dict[str | None, list[str]]] = {}
        for sid in self.index.actions:
            for d in lexicon.domains.values():
                if d.name in self.title_domains.get(sid, ()) or (
                    d.name not in self.titled
                    and d.by_profile
                    and self.strategy_hits[sid][d.name] >= PROFILE_MIN_WORDS
                ):
                    self.owners.setdefault(d.name, {}).setdefault(self.area[sid], []).append(sid)
        self.works_in: dict[str, dict[str | None, list[str]]] = {}  # body -> area -> strategies
        for body, inv in self.involvement.items():
            for sid, times in inv.items():
                if times >= 2:
                    self.works_in.setdefault(body, {}).setdefault(self.area[sid], []).append(sid)

    def local(self, by_area: dict[str | None, list[str]], area: str | None) -> list[str]:
        """Strategies of ``by_area`` an action of ``area`` may rely on by inference."""
        if area is None:
            return [s for ss in by_area.values() for s in ss]
        return by_area.get(area, []) + by_area.get(None, [])

    def bodies(self, action: str) -> set[str]:
        """Non-generic bodies taking part in or named by an action."""
        out = {b for b, _, _ in self.roles[action]}
        out.update(m for m in self.mentioned[action] if m in self.body_domains)
        return out - self.generic

    def candidates(self, action: str, a: str, matches: list[tuple[str, float]]) -> set[str]:
        """Strategies an action has any evidence for: named ones (any area), else inferred
        ones (a domain they own, a body that works there, a matching action) of its area."""
        out = {m for m in self.mentioned[action] if self.g.kind_of(m) == NodeKind.STRATEGY}
        area = self.area.get(a)
        domains = set(self.words[action])
        for body in self.bodies(action):
            domains |= self.body_domains.get(body, frozenset())
            out.update(self.local(self.works_in.get(body, {}), area))
        for d in domains:
            out.update(self.local(self.owners.get(d, {}), area))
        for m, _ in matches:
            b = self.index.of.get(m)
            if b is not None and (area is None or self.area.get(b) in (None, area)):
                out.add(b)
        out.discard(a)
        return out

    def same_domains(self, a: str, b: str) -> bool:
        da, db = self.title_domains.get(a, frozenset()), self.title_domains.get(b, frozenset())
        return bool(da) and da == db

    def owner_kind(self, domain: str, b: str, a: str, action: str) -> str | None:
        """How strategy ``b`` owns ``domain`` relative to the action's strategy ``a``."""
        if domain in self.title_domains.get(a, ()):
            return None
        if domain in self.title_domains.get(b, ()):
            return "label"
        if domain in self.titled or b not in self.index.actions or not self.lex.domains[domain].by_profile:
            return None
        hits_b = self.strategy_hits[b][domain]
        n_b = len(self.index.actions[b])
        hits_a = self.strategy_hits[a][domain] - self.hits[action][domain]
        n_a = max(len(self.index.actions[a]) - 1, 1)
        if hits_b >= PROFILE_MIN_WORDS and hits_b / n_b >= 2 * hits_a / n_a:
            return "profile"
        return None


def _text_matches(ctx: _Context) -> dict[str, list[tuple[str, float]]]:
    """For each action, actions of other strategies it closely matches (cosine)."""
    from .duplicates import similarity

    sim = similarity(ctx.g)
    out: dict[str, list[tuple[str, float]]] = {}
    for s in sorted(sim.full.values(), key=lambda s: (s.i, s.j)):
        if s.cosine < MATCH_MIN_COSINE:
            continue
        a, b = sim.ids[s.i], sim.ids[s.j]
        sa, sb = ctx.index.of.get(a), ctx.index.of.get(b)
        if sa and sb and sa != sb and not ctx.same_domains(sa, sb):
            out.setdefault(a, []).append((b, s.cosine))
            out.setdefault(b, []).append((a, s.cosine))
    return out


def _evidence(ctx: _Context, action: str, a: str, b: str, matches: list[tuple[str, float]]) -> _Evidence:
    g, ev = ctx.g, _Evidence()
    node = g.node(action)
    ev.sources.add(node.source)
    b_label = g.node(b).label
    if ctx.same_domains(a, b):  # two editions of one strategy: continuity, not dependency
        return ev
    if b in ctx.mentioned[action]:
        ev.add("strategy-mention", W_MENTION_STRATEGY, f"names {b_label}", b)
    bodies: dict[str, list[str]] = {}
    for body, kind, src in ctx.roles[action]:
        bodies.setdefault(body, []).append(
            {"LEADS": "lead", "SUPPORTS": "partner", "RESOURCES": "resource"}[str(kind)]
        )
        ev.sources.add(src)
    for m in ctx.mentioned[action]:
        if m in ctx.body_domains:
            bodies.setdefault(m, []).append("named")
    for body, how in sorted(bodies.items()):
        if body in ctx.generic:
            continue
        label = g.node(body).label
        best, why = 0.0, []
        for d in sorted(ctx.body_domains.get(body, ())):
            own = ctx.owner_kind(d, b, a, action)
            if own:
                best = max(best, W_BODY[own])
                why.append(f"{'/'.join(dict.fromkeys(how))} {label} is a {d} body")
        inv = ctx.involvement.get(body, Counter())
        in_a = inv[a] - (1 if any(h != "named" for h in how) else 0)
        domains = ctx.body_domains.get(body, frozenset())
        # a body of a domain B does not own (schools for a knife-crime plan) is shared, not B's
        if (not domains or why) and inv[b] >= 2 and inv[b] >= 2 * in_a:
            best = max(best, W_INVOLVEMENT)
            why.append(f"{label} takes part in {inv[b]} actions of {b_label}")
        if best:
            ev.add("body", best, "; ".join(why), body)
    words: list[tuple[float, str]] = []
    for d, found in sorted(ctx.words[action].items()):
        own = ctx.owner_kind(d, b, a, action)
        if own:
            words.extend((W_WORD[own], f"{w} ({d})") for w in found)
            ev.words.extend(found)
    words.sort(key=lambda t: -t[0])
    for w, text in words[:MAX_WORDS]:
        ev.add("words", w, f"names {text}")
    best_match = max(((c, m) for m, c in matches if ctx.index.of.get(m) == b), default=None)
    if best_match:
        c, m = best_match
        ev.add("match", min(0.6, 0.8 * c), f"matches '{g.node(m).label}' (cosine {c:.2f})", m)
        ev.sources.add(g.node(m).source)
    if ev.weights and not ev.targets:
        ev.targets.append(b)
    return ev


def dependency_links(
    graph: PartnerGraph, *, lexicon: Lexicon | None = None, min_score: float = 0.0, order: str = "kind"
) -> list[DependencyLink]:
    """Every (action, other strategy) dependency scoring at least ``min_score``.

    ``order="kind"`` (default): service/partner/need links first, then similar actions, then
    links that only name a strategy, each best first; ``order="score"``: best first.
    """
    if order not in ORDERS:
        raise InputError(f"order must be one of {', '.join(ORDERS)}, got {order!r}")
    lexicon = lexicon if lexicon is not None else load_lexicon()
    with gc_paused():  # per-action evidence allocates much and frees nothing cyclic
        return _links(graph, lexicon, min_score, order)


def _links(graph: PartnerGraph, lexicon: Lexicon, min_score: float, order: str) -> list[DependencyLink]:
    ctx = _Context(graph, lexicon)
    matches = _text_matches(ctx)
    rows = []
    for action, a in sorted(ctx.index.of.items()):
        if a is None:
            continue
        near = matches.get(action, [])
        for b in sorted(ctx.candidates(action, a, near)):
            ev = _evidence(ctx, action, a, b, near)
            if not ev.weights or ev.score < min_score:
                continue
            rows.append(
                DependencyLink(
                    action_id=action,
                    action=graph.node(action).label,
                    from_strategy_id=a,
                    from_strategy=graph.node(a).label,
                    to_strategy_id=b,
                    to_strategy=graph.node(b).label,
                    target_ids=tuple(ev.targets),
                    targets=tuple(graph.node(t).label for t in ev.targets),
                    words=tuple(dict.fromkeys(ev.words)),
                    score=ev.score,
                    method="+".join(sorted(ev.kinds)),
                    evidence="; ".join(ev.reasons),
                    sources=tuple(s.cite() for s in sorted(ev.sources)),
                    kind=link_kind(ev.kinds),
                )
            )
    rows.sort(key=lambda r: sort_key(r, order))
    return rows


def dependencies(
    source: Store | PartnerGraph,
    *,
    from_strategy: str | None = None,
    to_strategy: str | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    order: str = "kind",
) -> list[DependencyLink]:
    """Actions of one strategy that rely on another's services, bodies or actions.

    Each link has a ``kind`` (see `link_kind`); by default links relying on the other
    plan's services, partners or needs come first, links that only name a strategy last
    (``order="score"``: strongest first).

    ``from_strategy``/``to_strategy`` are names, matched fuzzily against strategy
    labels and aliases (an unknown or ambiguous name is an `InputError`). Default:
    every ordered pair of strategies.
    """
    check_unit(min_score, "min-score")
    graph = graph_of(source, "dependencies")
    src = resolve_strategy(graph, from_strategy, "--from") if from_strategy else None
    dst = resolve_strategy(graph, to_strategy, "--to") if to_strategy else None
    return [
        r
        for r in dependency_links(graph, min_score=min_score, order=order)
        if (src is None or r.from_strategy_id == src) and (dst is None or r.to_strategy_id == dst)
    ]
