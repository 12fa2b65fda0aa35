"""Cross-strategy dependencies at action level: what an action relies on, and which actions
of the other strategy provide, commission or change it.

Units are those of `queries.duplicates` (an Actions cell with its rows, or an action
without one); a link goes from the relying unit's action to each providing action of
another strategy of the same area (or of none). Three kinds of evidence, combined as
``score = 1 - prod(1 - w)``:

- ``relies-on-service`` (`W_SERVICE`): both texts name one service, team or facility (a
  Service node either mentions, or a lexicon ``services`` word), and the other action
  provides or changes it: its strategy owns the service's domain (lexicon
  ``strategy_words`` in its title) while the relying one's does not, or its text acts on it
  ("review our early help offer", "commission ... IAPT") while the relying text uses it
  ("as part of Early Help and MASH", "refer to CAMHS"). A need or client-group word
  ("trauma", "mental health") is never enough on its own.
- ``shared-partner`` (`W_PARTNER`): a body (not a generic one) of the other strategy's own
  domain (a health body for a health strategy, a police or youth-justice body for a
  community-safety plan) leads, supports or resources both actions, and the texts are
  related (semantic cosine >= `PARTNER_MIN_SEMANTIC`; the `TOP_PARTNER_MATCHES` closest).
- ``overlapping-objective`` (`W_OVERLAP`): the two texts pursue one objective (the
  duplicate score of `queries.duplicates` at least `OVERLAP_MIN`), a coordination point
  rather than a service relied on; the words both share name the objective (``service``)
  and stand in the evidence with both scores. It links both ways unless one side owns the
  domain. On the labels the seeds' only cross-strategy pairs scoring 0.45-0.47 are one
  shared objective (0.47: information on where young people find help) and two pairs that
  only share a setting (0.45, 0.46), hence 0.47: a margin of 0.01 on three pairs.

Every link also counts the texts' similarity (``similarity``: `W_SIMILARITY` x semantic
cosine), so two actions that merely share a word score low. Thresholds were chosen on
``tests/labels/dependencies.yaml`` (`benchmarks.calibrate`).

Cost: candidates come from indexes (service -> units, body -> units) and from the
duplicate pairs already found; units with the same words are worked out once, each
relying unit keeps its `TOP_PROVIDERS` best providers per strategy and links to the
representative of their duplicate group, so N copies cost N, never N².
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from graphmodel.errors import InputError
from graphmodel.graph import PartnerGraph, gc_paused, settle_as_old
from graphmodel.schema import EdgeKind, NodeKind

from ._base import (
    BODY_KINDS,
    aliases,
    check_unit,
    cite,
    context_text,
    normalise,
    resolve_strategy,
    roles,
    strategy_index,
)
from ._text import shared_words
from .backend import QuerySource, graph_of
from .duplicates import METHOD as DUPLICATE_METHOD
from .duplicates import Unit, analysis, compared_texts
from .lexicon import Lexicon, load_lexicon
from .results import DependencyLink, StrategyDependency

DEFAULT_MIN_SCORE = 0.45
W_SERVICE = 0.45  # the providing action acts on the service (reviews, commissions, develops it)
W_OWNER = 0.2  # the providing action's strategy owns the service's domain, only names it (labels)
W_NEED = 0.3  # the relying action names a need that the providing action's service meets
OWNER_MIN_SEMANTIC = 0.3  # below this, a service both only name is a shared word, not reliance
PROFILE_MIN = 3  # service mentions a strategy needs to own an untitled domain by profile
PROFILE_RATIO = 1.5  # ... and how much more densely than any other strategy of its area
W_PARTNER = 0.3
W_SIMILARITY = 0.8
PARTNER_MIN_SEMANTIC = 0.34  # chosen on tests/labels (benchmarks.calibrate --sweep)
OVERLAP_MIN = 0.47  # chosen on tests/labels: see the module docstring
W_OVERLAP = 0.2  # a coordination point: weaker than a service or partner relied on
TOP_PROVIDERS = 3
TOP_PARTNER_MATCHES = 2  # a shared partner links an action to its closest actions there only
KINDS = ("relies-on-service", "shared-partner", "overlapping-objective")
ORDERS = ("kind", "score")
BY = ("action", "strategy")

_ACTS = re.compile(
    r"\b(?:review|reviewing|develop|developing|deliver|delivering|commission|commissioning|"
    r"recommission|recommissioning|provide|providing|establish|expand|expanding|enhance|enhancing|"
    r"improve|implement|embed|strengthen|procure|re-procure|redesign|roll out|introduce|launch|"
    r"modernise|extend|fund|set up|create|increase|encourage|train|bringing together)\b"
    r"(?:\s+\S+){0,3}\s*$",
    re.I,
)
_USES = re.compile(
    r"\b(?:part of|through|via|refer(?:ral)?s? (?:in)?to|access(?:ing)?|links? (?:with|to)|"
    r"using|use of|with|from|by|signpost(?:ing)? to|alongside)\s+(?:\S+\s+){0,2}$",
    re.I,
)


#: The same acts in the passive, after the service: "Wellbeing Hub staff are trained",
#: "the service has been recommissioned", "hubs will be expanded".
_ACTED = re.compile(
    r"^\s*(?:staff|service|services|team|teams|offer|provision)?\s*"
    r"(?:is|are|was|were|has been|have been|will be|to be|being)\s+(?:\w+ly\s+)?"
    r"(?:reviewed|developed|delivered|commissioned|recommissioned|provided|established|expanded|"
    r"enhanced|improved|implemented|embedded|strengthened|procured|re-procured|redesigned|"
    r"rolled out|introduced|launched|modernised|extended|funded|set up|created|increased|trained)\b",
    re.I,
)


def acts_on(text: str, term: str) -> str | None:
    """``provides`` when the words before ``term`` act on it (review / develop / commission
    ... our X), or the words after it say it was acted on (X staff are trained, X has been
    recommissioned); ``uses`` when they rely on it (as part of / through / refer to X), else None."""
    for m in re.finditer(rf"(?<![\w&]){re.escape(term)}(?![\w&])", text, re.I):
        before = text[max(0, m.start() - 60) : m.start()]
        if _USES.search(before):
            return "uses"
        if _ACTS.search(before) or _ACTED.search(text[m.end() : m.end() + 60]):
            return "provides"
    return None


_GENERIC_TAIL = frozenset("service services team teams surgery surgeries provision offer".split())


def service_key(term: str) -> str:
    """The key two names of one service share: casefolded words without plural "s" and
    without a trailing "service(s)" / "team(s)" / "surgery" ("GP surgeries" and "GPs": "gp";
    "substance misuse services" and "substance misuse": "substance misuse")."""
    words = [
        w[:-1] if len(w) > 2 and w.endswith("s") and not w.endswith("ss") else w
        for w in normalise(term).split()
    ]
    while len(words) > 1 and (words[-1] in _GENERIC_TAIL or words[-1] + "s" in _GENERIC_TAIL):
        words.pop()
    return " ".join(words)


def sort_key(r: DependencyLink, order: str) -> tuple:
    """Sort key of a link in ``order`` (``kind`` or ``score``)."""
    rank = KINDS.index(r.kind) if order == "kind" and r.kind in KINDS else 0
    return (rank, -r.score, r.from_strategy, r.to_strategy, r.action_id)


@dataclass(slots=True)
class Evidence:
    """Why one unit relies on another: weights by kind, words on both sides."""

    weights: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    service: str = ""
    service_id: str | None = None
    words_from: list[str] = field(default_factory=list)
    words_to: list[str] = field(default_factory=list)
    semantic: float = 0.0

    def add(self, kind: str, weight: float, reason: str) -> None:
        if weight > self.weights.get(kind, 0.0):
            self.weights[kind] = weight
        if reason not in self.reasons:
            self.reasons.append(reason)

    @property
    def kind(self) -> str:
        return next((k for k in KINDS if k in self.weights), "overlapping-objective")

    @property
    def score(self) -> float:
        rest = 1.0 - W_SIMILARITY * max(self.semantic, 0.0)
        for w in self.weights.values():
            rest *= 1.0 - w
        return round(1.0 - rest, 3)


@dataclass(frozen=True, slots=True)
class Dependency:
    """One inferred DEPENDS_ON: relying unit -> providing unit."""

    source: str  # relying action
    target: str  # providing action
    from_strategy: str
    to_strategy: str
    kind: str
    score: float
    service: str
    service_id: str | None
    words_from: tuple[str, ...]
    words_to: tuple[str, ...]
    evidence: str
    method: str


class _Context:
    """Per-graph facts the evidence needs, computed once."""

    def __init__(self, graph: PartnerGraph, lexicon: Lexicon) -> None:
        self.g = graph
        self.lex = lexicon
        self.index = strategy_index(graph)
        an = analysis(graph)
        top = an.top
        self.pos = {u.id: k for k, u in enumerate(top.units)}
        self.string_of = {h: s for s, hs in top.holders.items() for h in hs}
        # units with the same words in one strategy are worked out once (the first stands for
        # them) and each copy gets its links afterwards: N copies cost N, never N²
        self.copies: dict[str, list[str]] = {}
        first: dict[tuple[int, str], str] = {}
        for k, u in enumerate(top.units):
            if u.strategy is None:
                continue
            s = self.string_of.get(k)
            rep = u.id if s is None else first.setdefault((s, u.strategy), u.id)
            self.copies.setdefault(rep, []).append(u.id)
        self.units: list[Unit] = [u for u in top.units if u.id in self.copies]
        self.emb = top.embeddings if top.embeddings is not None else np.zeros((0, 256), np.float32)
        self.top = top
        self.strategy_area = {s.id: s.props.get("area") or None for s in graph.nodes(NodeKind.STRATEGY)}
        self.title_domains = {
            s.id: frozenset(d.name for d in lexicon.domains.values() if d.owns_title(" ".join(aliases(s))))
            for s in graph.nodes(NodeKind.STRATEGY)
        }
        self.service_nodes: dict[str, str] = {}  # casefolded name -> Service node id
        for n in graph.nodes(NodeKind.SERVICE):
            for a in aliases(n):
                self.service_nodes.setdefault(" ".join(a.casefold().split()), n.id)
        generic = {n.id for k in BODY_KINDS for n in graph.nodes(k) if lexicon.is_generic(n)}
        self.body_domains = {
            n.id: frozenset(d.name for d in lexicon.domains.values() if d.has_body(n))
            for k in BODY_KINDS
            for n in graph.nodes(k)
        }
        self.text: dict[str, str] = {}
        self.services: dict[str, dict[str, str]] = {}  # unit -> service key -> as written
        self.needs: dict[str, dict[str, str]] = {}  # unit -> need key -> as written
        self.domain_of_term: dict[str, str] = {}
        self.domains_in: dict[str, frozenset[str]] = {}  # unit -> lexicon domains its text names
        self.bodies: dict[str, set[str]] = {}
        succ, nodes, mentions = graph.g._succ, graph.g._node, str(EdgeKind.MENTIONS)
        for u in self.units:
            text = " ".join(dict.fromkeys(context_text(graph, r) for r in u.rows))
            self.text[u.id] = text
            found: dict[str, str] = {}
            needs: dict[str, str] = {}
            in_text = lexicon.words_in(text)
            self.domains_in[u.id] = frozenset(in_text)
            for d, words in in_text.items():
                for w in words:
                    key = service_key(lexicon.canonical(d, w))  # one service under other names
                    self.domain_of_term.setdefault(key, d)
                    if " ".join(w.casefold().split()) in lexicon.domains[d].services:
                        found.setdefault(key, w)
                    else:
                        needs.setdefault(key, w)
            for r in u.rows:
                # MENTIONS edges in `out_edges` order, read from networkx's own dicts
                for target, keys in succ[r].items():
                    d = keys.get(mentions)
                    if d is not None and nodes[target]["kind"] == NodeKind.SERVICE:
                        label = nodes[target]["label"]
                        written = next(iter(d["props"].get("words") or []), label)
                        found.setdefault(service_key(label), str(written))
            self.services[u.id] = found
            self.needs[u.id] = {k: v for k, v in needs.items() if k not in found}
            self.bodies[u.id] = {b for r in u.rows for b, _, _ in roles(graph, r)} - generic
        known = {service_key(t) for d in lexicon.domains.values() for t in d.services}
        self.contained: dict[str, list[str]] = {}
        for found_keys in self.services.values():
            for key in found_keys:
                if key not in self.contained:
                    self.contained[key] = [k for k in known if k != key and k and f" {k} " in f" {key} "]
        self.profile_owner = self._profiles()
        self.involvement: dict[str, Counter[str]] = {}
        for u in self.units:
            for b in self.bodies[u.id]:
                self.involvement.setdefault(b, Counter())[str(u.strategy)] += 1

    def semantic(self, a: Unit, b: Unit) -> float:
        x, y = self.string_of.get(self.pos[a.id]), self.string_of.get(self.pos[b.id])
        if x is None or y is None or not len(self.emb):
            return 0.0
        return float(max(0.0, min(1.0, float(self.emb[x] @ self.emb[y]))))

    def same_area(self, a: Unit, b: Unit) -> bool:
        x, y = self.strategy_area.get(str(a.strategy)), self.strategy_area.get(str(b.strategy))
        return x is None or y is None or x == y

    def owns(self, strategy: str | None, domain: str | None) -> bool:
        """Whether ``strategy`` owns ``domain``: by its title, or (no strategy of its area
        owning it by title) by profile: its actions name the domain's services at least
        `PROFILE_MIN` times and `PROFILE_RATIO` times as densely as any other strategy's of the area."""
        if domain is None:
            return False
        if domain in self.title_domains.get(str(strategy), frozenset()):
            return True
        return self.profile_owner.get((self.strategy_area.get(str(strategy)), domain)) == strategy

    def _profiles(self) -> dict[tuple[str | None, str], str]:
        counts: dict[tuple[str | None, str], Counter[str]] = {}
        size: Counter[str] = Counter(str(u.strategy) for u in self.units)
        for u in self.units:
            area = self.strategy_area.get(str(u.strategy))
            for key in self.services[u.id]:
                d = self.domain_of_term.get(key)
                if d is not None:
                    counts.setdefault((area, d), Counter())[str(u.strategy)] += 1
        titled = {
            (self.strategy_area.get(s), d) for s, ds in self.title_domains.items() if size[s] for d in ds
        }
        out: dict[tuple[str | None, str], str] = {}
        for area_domain, c in counts.items():
            if area_domain in titled or not self.lex.domains[area_domain[1]].by_profile:
                continue  # owned by title, or a domain every plan works with (lexicon by_profile: false)
            dense = sorted(((n / size[s], s) for s, n in c.items()), reverse=True)
            best_density, best = dense[0]
            runner_up = dense[1][0] if len(dense) > 1 else 0.0
            if c[best] >= PROFILE_MIN and best_density >= PROFILE_RATIO * runner_up:
                out[area_domain] = best
        return out


def _service_pairs(ctx: _Context) -> dict[tuple[str, str], Evidence]:
    """relies-on-service evidence, from an index of service -> units (see module docstring)."""
    providers_of: dict[str, list[Unit]] = {}
    users_of: dict[str, list[Unit]] = {}
    for u in ctx.units:
        for key in list(ctx.services[u.id]):
            # a longer name provides the shorter service it names ("Early Help locality teams"
            # is Early Help): index it under both
            for short in ctx.contained.get(key, ()):
                ctx.services[u.id].setdefault(short, ctx.services[u.id][key])
        for key in ctx.services[u.id]:
            providers_of.setdefault(key, []).append(u)
            users_of.setdefault(key, []).append(u)
        for key in ctx.needs[u.id]:
            users_of.setdefault(key, []).append(u)
    out: dict[tuple[str, str], Evidence] = {}
    for key, all_providers in providers_of.items():
        all_users = users_of.get(key, [])
        if len({u.strategy for u in all_users}) < 2:
            continue
        domain = ctx.domain_of_term.get(key)
        role = {v.id: acts_on(ctx.text[v.id], ctx.services[v.id][key]) for v in all_providers}
        # relying units (not providing it themselves) and providing units, by area: an action
        # relies on strategies of its own area (or of none)
        users = [
            u
            for u in all_users
            if not (
                role.get(u.id) == "provides" or (ctx.owns(u.strategy, domain) and role.get(u.id) != "uses")
            )
        ]
        providers = [v for v in all_providers if role[v.id] == "provides" or ctx.owns(v.strategy, domain)]
        for area_users, area_providers in _by_area(ctx, users, providers):
            _rank_providers(ctx, key, domain, role, area_users, area_providers, out)
    return out


def _by_area(ctx: _Context, users: list[Unit], providers: list[Unit]) -> list[tuple[list[Unit], list[Unit]]]:
    """(users, providers) per area; providers of no area go with every area."""
    area = ctx.strategy_area
    anywhere = [v for v in providers if area.get(str(v.strategy)) is None]
    by_area: dict[str | None, list[Unit]] = {}
    for v in providers:
        by_area.setdefault(area.get(str(v.strategy)), []).append(v)
    users_by: dict[str | None, list[Unit]] = {}
    for u in users:
        users_by.setdefault(area.get(str(u.strategy)), []).append(u)
    out = []
    for a, us in users_by.items():
        vs = [v for v in providers] if a is None else by_area.get(a, []) + (anywhere if a is not None else [])
        if us and vs:
            out.append((us, vs))
    return out


def _rank_providers(
    ctx: _Context,
    key: str,
    domain: str | None,
    role: dict[str, str | None],
    users: list[Unit],
    providers: list[Unit],
    out: dict[tuple[str, str], Evidence],
) -> None:
    """For each relying unit, its `TOP_PROVIDERS` closest providers per other strategy (one
    matrix product of embeddings per block of relying units)."""
    acts = np.array([role[v.id] == "provides" for v in providers], dtype=bool)
    # strategies as integer codes: one vectorised comparison per relying unit, not a Python
    # string comparison per (relying, providing) pair
    codes: dict[str, int] = {}
    pstrat = np.array([codes.setdefault(str(v.strategy), len(codes)) for v in providers], dtype=np.int64)
    pe = ctx.emb[[max(ctx.string_of.get(ctx.pos[v.id], 0), 0) for v in providers]] if len(ctx.emb) else None
    step = max(1, 2_000_000 // max(len(providers), 1))  # bounded (users x providers) blocks
    for s0 in range(0, len(users), step):
        block = users[s0 : s0 + step]
        if pe is None:
            sims = np.zeros((len(block), len(providers)))
        else:
            ue = ctx.emb[[max(ctx.string_of.get(ctx.pos[u.id], 0), 0) for u in block]]
            sims = np.clip(ue @ pe.T, 0.0, 1.0)
        for i, u in enumerate(block):
            row = sims[i]
            ok = (pstrat != codes.get(str(u.strategy), -1)) & (acts | (row >= OWNER_MIN_SEMANTIC))
            idx = np.flatnonzero(ok)
            if not len(idx):
                continue
            idx = idx[np.lexsort((idx, -row[idx]))]
            written = ctx.services[u.id].get(key) or ctx.needs[u.id][key]
            is_need = key not in ctx.services[u.id]
            per_strategy: Counter[str] = Counter()
            for j in idx.tolist():
                v = providers[j]
                if per_strategy[str(v.strategy)] >= TOP_PROVIDERS:
                    continue
                per_strategy[str(v.strategy)] += 1
                ev = out.setdefault((u.id, v.id), Evidence())
                theirs = ctx.services[v.id][key]
                how = f"'{theirs}' acted on there" if acts[j] else f"{domain} is that strategy's domain"
                weight = W_NEED if is_need else (W_SERVICE if acts[j] else W_OWNER)
                what = "needs" if is_need else "relies on"
                ev.add("relies-on-service", weight, f"{what} '{written}' ({how})")
                if not ev.service:
                    ev.service = written  # what the relying action relies on, in its words
                    ev.service_id = ctx.service_nodes.get(" ".join(written.casefold().split()))
                    ev.service_id = ev.service_id or ctx.service_nodes.get(
                        " ".join(theirs.casefold().split())
                    )
                ev.words_from.append(written)
                ev.words_to.append(theirs)
                ev.semantic = float(row[j])
                if sum(per_strategy.values()) >= TOP_PROVIDERS * 8:
                    break  # enough strategies for one action


def _partner_pairs(ctx: _Context, out: dict[tuple[str, str], Evidence]) -> None:
    """shared-partner evidence: a body in both actions and related texts."""
    by_body: dict[str, list[Unit]] = {}
    for u in ctx.units:
        for b in ctx.bodies[u.id]:
            by_body.setdefault(b, []).append(u)
    for body, holders in by_body.items():
        strategies = sorted({str(u.strategy) for u in holders})
        if len(strategies) < 2:
            continue
        label = ctx.g.node(body).label
        # one (strategy x strategy) block of semantic cosines per body, over distinct strings
        groups = {s: [u for u in holders if u.strategy == s] for s in strategies}
        area = {s: ctx.strategy_area.get(s) for s in strategies}
        for sa in strategies:
            for sb in strategies:
                if sa == sb or (area[sa] is not None and area[sb] is not None and area[sa] != area[sb]):
                    continue  # an action relies on strategies of its own area (or of none)
                owned_b = any(ctx.owns(sb, d) for d in ctx.body_domains.get(body, ()))
                owned_a = any(ctx.owns(sa, d) for d in ctx.body_domains.get(body, ()))
                if not owned_b or owned_a:
                    continue  # only a body of B's own domain (B's partner) is relied on through B
                us, vs = groups[sa], groups[sb]
                xs = [ctx.string_of.get(ctx.pos[u.id], -1) for u in us]
                ys = [ctx.string_of.get(ctx.pos[v.id], -1) for v in vs]
                if not len(ctx.emb):
                    continue
                sims = ctx.emb[np.maximum(xs, 0)] @ ctx.emb[np.maximum(ys, 0)].T
                for i, u in enumerate(us):
                    order = np.argsort(-sims[i], kind="stable")[:TOP_PARTNER_MATCHES]
                    for j in order.tolist():
                        v, sem = vs[j], float(sims[i, j])
                        if sem < PARTNER_MIN_SEMANTIC or not ctx.same_area(u, v):
                            continue
                        ev = out.setdefault((u.id, v.id), Evidence())
                        ev.add("shared-partner", W_PARTNER, f"{label} takes part in both")
                        ev.semantic = max(ev.semantic, sem)


def _overlap_pairs(ctx: _Context, out: dict[tuple[str, str], Evidence]) -> None:
    """overlapping-objective evidence: cross-strategy pairs that the duplicate score says
    pursue one objective (at least `OVERLAP_MIN`), a coordination point weighing `W_OVERLAP`;
    the words both texts share are what is relied on (``service``) and the evidence."""
    si, sj, score, lex, sem, _cos, _ts = ctx.top.arrays
    for k in np.flatnonzero(score >= OVERLAP_MIN).tolist():
        a_units = [ctx.top.units[h] for h in ctx.top.holders[int(si[k])]]
        b_units = [ctx.top.units[h] for h in ctx.top.holders[int(sj[k])]]
        for us, vs in ((a_units, b_units), (b_units, a_units)):
            u = us[0]  # units with these words: the first stands for them (copies added later)
            for v in vs:
                if u.strategy is None or v.strategy is None or u.strategy == v.strategy:
                    continue
                if not ctx.same_area(u, v):
                    continue
                shared = ctx.domains_in[u.id] & ctx.domains_in[v.id]
                if any(ctx.owns(u.strategy, d) and not ctx.owns(v.strategy, d) for d in shared):
                    continue  # the objective is u's own domain: v relies on u, not u on v
                ev = out.setdefault((u.id, v.id), Evidence()) if W_OVERLAP > 0 else out.get((u.id, v.id))
                if ev is None:
                    break
                words = shared_words(ctx.text[u.id], ctx.text[v.id])
                what = f"shared words: {', '.join(words)}" if words else "no shared content words"
                ev.add(
                    "overlapping-objective",
                    W_OVERLAP,
                    f"pursues the same objective (duplicate score {score[k]:.2f}: lexical {lex[k]:.2f}, "
                    f"semantic {sem[k]:.2f}; {what})",
                )
                if not ev.service and words:
                    ev.service = f"shared objective ({', '.join(words)})"  # in the words both use
                ev.words_from.extend(words)
                ev.words_to.extend(words)
                ev.semantic = max(ev.semantic, float(sem[k]))
                break


def inferred_dependencies(graph: PartnerGraph, *, lexicon: Lexicon | None = None) -> list[Dependency]:
    """Every action-level dependency of ``graph`` (any score), relying action -> providing action."""
    lexicon = lexicon if lexicon is not None else load_lexicon()
    # the collector stays off until the working state is freed (by reference counting): it
    # never walks the millions of objects that only live while this runs
    with gc_paused():
        ctx = _Context(graph, lexicon)
        out = _service_pairs(ctx)
        _partner_pairs(ctx, out)
        _overlap_pairs(ctx, out)
        rows = _dependency_rows(ctx, out)
        del ctx, out
        settle_as_old()  # the rows live on: no young-generation walk of them
    return rows


def _dependency_rows(ctx: _Context, out: dict[tuple[str, str], Evidence]) -> list[Dependency]:
    """One `Dependency` per relying action (each copy of a unit) and providing action."""
    units = {u.id: u for u in ctx.units}
    rows = []
    for (a, b), ev in sorted((k, ev) for k, ev in out.items() if ev.weights):
        u, v = units[a], units[b]
        if not ev.semantic:
            ev.semantic = ctx.semantic(u, v)
        evidence = "; ".join([*ev.reasons, f"semantic {ev.semantic:.2f}"])
        method = (
            "+".join(k for k in KINDS if k in ev.weights) + f"+semantic({DUPLICATE_METHOD.split('*')[-1]})"
        )
        for src in ctx.copies.get(a, [a]):
            rows.append(
                Dependency(
                    src,
                    b,
                    str(u.strategy),
                    str(v.strategy),
                    ev.kind,
                    ev.score,
                    ev.service,
                    ev.service_id,
                    tuple(dict.fromkeys(ev.words_from)),
                    tuple(dict.fromkeys(ev.words_to)),
                    evidence,
                    method,
                )
            )
    return rows


def link_rows(
    graph: PartnerGraph, deps: list[Dependency], min_score: float, order: str
) -> list[DependencyLink]:
    """One row per (relying action, other strategy): its providing actions as targets."""
    texts = compared_texts(graph)  # the words each action is compared on (no scoring rerun)
    by_link: dict[tuple[str, str], list[Dependency]] = {}
    for d in deps:
        if d.score >= min_score - 1e-9:
            by_link.setdefault((d.source, d.to_strategy), []).append(d)
    rows = []
    for (action, to), ds in by_link.items():
        ds.sort(key=lambda d: (-d.score, KINDS.index(d.kind), d.target))
        best = ds[0]
        node = graph.node(action)
        text = texts.get(action, node.label)
        rows.append(
            DependencyLink(
                action_id=action,
                action=node.label,
                from_strategy_id=best.from_strategy,
                from_strategy=graph.node(best.from_strategy).label,
                to_strategy_id=to,
                to_strategy=graph.node(to).label,
                target_ids=tuple(d.target for d in ds),
                targets=tuple(graph.node(d.target).label for d in ds),
                words=tuple(dict.fromkeys(w for d in ds for w in d.words_from)),
                score=best.score,
                method=best.method,
                evidence=best.evidence,
                sources=tuple(
                    dict.fromkeys([cite(node.source), *(cite(graph.node(d.target).source) for d in ds)])
                ),
                kind=best.kind,
                service=best.service,
                service_id=best.service_id or "",
                action_text=text,
                target_texts=tuple(texts.get(d.target, "") for d in ds),
                target_words=tuple(dict.fromkeys(w for d in ds for w in d.words_to)),
            )
        )
    rows.sort(key=lambda r: sort_key(r, order))
    return rows


def dependency_links(
    graph: PartnerGraph, *, lexicon: Lexicon | None = None, min_score: float = 0.0, order: str = "kind"
) -> list[DependencyLink]:
    """Every (action, other strategy) dependency scoring at least ``min_score``.

    ``order="kind"`` (default): relies-on-service first, then shared-partner, then
    overlapping-objective, each best first; ``order="score"``: best first.
    """
    if order not in ORDERS:
        raise InputError(f"order must be one of {', '.join(ORDERS)}, got {order!r}")
    with gc_paused():  # see `inferred_dependencies`
        rows = link_rows(graph, inferred_dependencies(graph, lexicon=lexicon), min_score, order)
        settle_as_old()
    return rows


def by_strategy(links: list[DependencyLink]) -> list[StrategyDependency]:
    """A relies on B through N actions, with the services most relied on (strongest first)."""
    out: dict[tuple[str, str], list[DependencyLink]] = {}
    for r in links:
        out.setdefault((r.from_strategy_id, r.to_strategy_id), []).append(r)
    rows = []
    for (a, b), rs in out.items():
        services = Counter(r.service for r in rs if r.service)
        kinds = Counter(r.kind for r in rs)
        rows.append(
            StrategyDependency(
                from_strategy_id=a,
                from_strategy=rs[0].from_strategy,
                to_strategy_id=b,
                to_strategy=rs[0].to_strategy,
                actions=len({r.action_id for r in rs}),
                providing_actions=len({t for r in rs for t in r.target_ids}),
                top_services=tuple(f"{s} ({n})" for s, n in services.most_common(5)),
                kinds=tuple(f"{k} ({n})" for k, n in sorted(kinds.items(), key=lambda t: KINDS.index(t[0]))),
                best_score=max(r.score for r in rs),
                sources=tuple(dict.fromkeys(s for r in rs for s in r.sources[:1]))[:10],
            )
        )
    rows.sort(key=lambda r: (-r.actions, -r.best_score, r.from_strategy, r.to_strategy))
    return rows


def dependencies(
    source: QuerySource,
    *,
    from_strategy: str | None = None,
    to_strategy: str | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    order: str = "kind",
) -> list[DependencyLink]:
    """Actions of one strategy that rely on actions of another: the service, need or
    capability relied on, the providing actions, the words on both sides, both sources.

    ``from_strategy``/``to_strategy`` are names, matched fuzzily against strategy labels
    and aliases (an unknown or ambiguous name is an `InputError`). Default: every ordered
    pair of strategies.
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


def strategy_dependencies(
    source: QuerySource,
    *,
    from_strategy: str | None = None,
    to_strategy: str | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
) -> list[StrategyDependency]:
    """`dependencies` summed per pair of strategies (``query dependencies --by strategy``)."""
    return by_strategy(
        dependencies(source, from_strategy=from_strategy, to_strategy=to_strategy, min_score=min_score)
    )


def dependencies_by(
    source: QuerySource, *, by: str = "action", **options: object
) -> list[DependencyLink] | list[StrategyDependency]:
    """`dependencies` (``by="action"``) or `strategy_dependencies` (``by="strategy"``)."""
    if by not in BY:
        raise InputError(f"by must be one of {', '.join(BY)}, got {by!r}")
    query = strategy_dependencies if by == "strategy" else dependencies
    return query(source, **options)  # type: ignore[arg-type]
