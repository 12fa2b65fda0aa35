"""Deterministic, cheap (O(N log N)) node positions for the views.

Force-directed layouts cost too much at scale (``nx.spring_layout``: 7 s at 1k nodes,
47 s at 5k; vis physics never settles at 1k in headless Chromium, see ECOSYSTEM.md).
So every view gets precomputed positions: nodes grouped by strategy into
sunflower-packed clusters, or rings by distance around an ego focus. Small views
then let vis-network's physics (fixed seed) relax them; big ones keep them as they
are, with physics off.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from math import ceil, cos, pi, sin, sqrt

#: Above this many nodes the page draws with physics off.
PHYSICS_MAX_NODES = 1000
GOLDEN_ANGLE = pi * (3 - sqrt(5))
SPACING = 45.0  # px between neighbouring nodes inside a cluster
KIND_ORDER = {
    "Strategy": 0,
    "Priority": 1,
    "Recommendation": 2,
    "Action": 3,
    "Service": 4,
    "Organisation": 5,
    "Document": 6,
}

Pos = dict[str, tuple[float, float]]


def _sunflower(ids: Sequence[str], cx: float, cy: float, phase: float) -> Pos:
    """Fill a disc evenly: the i-th node at radius ~sqrt(i) and golden-angle turns."""
    out: Pos = {}
    for i, nid in enumerate(ids):
        r = SPACING * sqrt(i) * 0.9
        a = i * GOLDEN_ANGLE + phase
        out[nid] = (round(cx + r * cos(a), 1), round(cy + r * sin(a), 1))
    return out


def _clusters(nodes: Sequence[tuple[str, str, str]]) -> Pos:
    """One sunflower per group (strategy), packed row by row; centre node of each first."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for nid, group, kind in nodes:
        groups.setdefault(group, []).append((KIND_ORDER.get(kind, 9), nid))
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    radii = [SPACING * sqrt(len(members)) + SPACING for _, members in ordered]
    row_width = max(max(radii) * 2, sqrt(sum((2 * r) ** 2 for r in radii)) * 1.3)
    out: Pos = {}
    x = y = 0.0
    row_height = 0.0
    for (group, members), r in zip(ordered, radii, strict=True):
        if x > 0 and x + 2 * r > row_width:
            x, y = 0.0, y + row_height
            row_height = 0.0
        ids = [nid for _, nid in sorted(members)]
        out.update(_sunflower(ids, x + r, y + r, phase=len(group) % 7))
        x += 2 * r
        row_height = max(row_height, 2 * r)
    return out


def _rings(nodes: Sequence[tuple[str, str, str]], edges: Sequence[tuple[str, str]], focus: str) -> Pos:
    """Focus at the centre; each further hop on a wider ring, ordered by parent angle."""
    ids = {nid for nid, _, _ in nodes}
    adj: dict[str, list[str]] = {nid: [] for nid in ids}
    for u, v in edges:
        if u in ids and v in ids:
            adj[u].append(v)
            adj[v].append(u)
    hop = {focus: 0}
    parent: dict[str, str] = {}
    queue = deque([focus])
    while queue:
        nid = queue.popleft()
        for m in sorted(adj[nid]):
            if m not in hop:
                hop[m], parent[m] = hop[nid] + 1, nid
                queue.append(m)
    for nid in sorted(ids - set(hop)):  # not reached by drawn edges: outermost ring
        hop[nid] = max(hop.values()) + 1
    out: Pos = {focus: (0.0, 0.0)}
    angle = {focus: 0.0}
    by_hop: dict[int, list[str]] = {}
    for nid, h in hop.items():
        if h:
            by_hop.setdefault(h, []).append(nid)
    radius = 0.0
    for h in sorted(by_hop):
        ring = sorted(by_hop[h], key=lambda n: (angle.get(parent.get(n, ""), 0.0), n))
        # the ring must be long enough to hold its nodes SPACING apart
        radius = max(radius + 3 * SPACING, len(ring) * SPACING / (2 * pi))
        for i, nid in enumerate(ring):
            a = 2 * pi * i / len(ring)
            angle[nid] = a
            out[nid] = (round(radius * cos(a), 1), round(radius * sin(a), 1))
    return out


def layout(
    nodes: Sequence[tuple[str, str, str]],
    edges: Sequence[tuple[str, str]],
    *,
    focus: str | None = None,
    seed: int = 42,
) -> tuple[Pos, bool]:
    """Positions for ``nodes`` (``(id, group, kind)``) and whether to run physics.

    Deterministic: the same input gives the same positions (``seed`` is kept for
    the day a randomised layout is used; this one needs none).

    Examples
    --------
    >>> pos, physics = layout([("a", "s", "Strategy"), ("b", "s", "Action")], [("b", "a")])
    >>> pos["a"], physics
    ((108.6, 108.6), True)
    """
    del seed  # the layouts below are exact constructions
    if not nodes:
        return {}, True
    pos = _rings(nodes, edges, focus) if focus else _clusters(nodes)
    return pos, len(nodes) <= PHYSICS_MAX_NODES


def around_parents(children: dict[str, str], pos: Pos) -> Pos:
    """Positions for grouped nodes (``child -> parent``): a small sunflower round each parent,
    so a group opens where it was drawn closed."""
    members: dict[str, list[str]] = {}
    for child, parent in sorted(children.items()):
        members.setdefault(parent, []).append(child)
    out: Pos = {}
    for parent, kids in members.items():
        cx, cy = pos.get(parent, (0.0, 0.0))
        for i, nid in enumerate(kids, 1):  # i from 1: none on top of its parent
            r = SPACING * 0.6 * sqrt(i)
            a = i * GOLDEN_ANGLE
            out[nid] = (round(cx + r * cos(a), 1), round(cy + r * sin(a), 1))
    return out


def physics_iterations(n_nodes: int) -> int:
    """Stabilisation budget: enough for small views, bounded for ~1k nodes."""
    return max(50, min(400, ceil(200_000 / max(n_nodes, 1))))
