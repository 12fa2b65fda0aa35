"""The Neo4j store: a graph kept on a Bolt server (Neo4j 5, or FalkorDB for tests).

The only module that imports ``neo4j``. Layout on the server: see `graphmodel.cypher`.

A push (`Neo4jStore.write`) mirrors a graph onto the server: nodes then edges are
upserted (MERGE by id / by endpoints and type) in ``UNWIND $rows`` batches kept
under the server's request size, values too long for one request are appended
in numbered parts (``pm_seq`` marks an element whose parts are not all in), and
only when everything is in are the elements of older pushes swept away (each
push stamps ``pm_gen``). A push that stops part-way says how far it got; running
it again completes it without duplicates.

Namespacing: every node partnermap writes carries the ``Partnermap`` label and every
relationship ``pm_app = 'partnermap'`` (`graphmodel.cypher`); push, sweep, clear,
status, pull and the queries match only those, so another application's nodes of
the same labels on the same server are left alone. While a push runs, one
``(:PartnermapState)`` node records it (``pushing``); until the push finishes,
reading the graph or querying it stops with one sentence saying the graph is
incomplete (`check_complete`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import neo4j
from neo4j import exceptions as nx_exc

from . import cypher
from .bolt_batches import Item, PushError, PushProgress, packed_size, split_list, split_text
from .dialect import Dialect, detect, wake_listener
from .errors import BackendError, InputError, StoreError
from .graph import PartnerGraph
from .schema import INFERRED_EDGES, Edge, EdgeKind, Node, NodeKind
from .store import CypherStore

log = logging.getLogger("partnermap.neo4j")
# The driver logs connection trouble itself; with no handler configured Python prints
# WARNINGs to stderr ahead of our one-line error. Ours says it better: keep them out
# unless the application configures logging.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

#: URI schemes the Bolt driver speaks (http:// would pick the driver's preview HTTP API).
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

_TRANSIENT = (nx_exc.ServiceUnavailable, nx_exc.SessionExpired, nx_exc.TransientError)
_APPEND_OVERHEAD = 700  # bytes of query text and framing around one appended part


def safe_uri(uri: str) -> str:
    """``uri`` without any user:password part, fit for messages and logs."""
    try:
        u = urlsplit(uri)
    except ValueError:
        return "<invalid URI>"
    host = u.hostname or ""
    if u.port:
        host = f"{host}:{u.port}"
    return urlunsplit((u.scheme, host, u.path, "", ""))


def _close_all(resources: list[Any]) -> None:
    """Close sessions, then the driver (quietly: the server may be gone)."""
    while resources:
        res = resources.pop()
        with contextlib.suppress(Exception):
            res.close()


def _incomplete(uri: str, n: int) -> str:
    return (
        f"the graph on {safe_uri(uri)} is incomplete: a push stopped part-way ({n} "
        "elements unfinished); run 'partnermap neo4j push' again"
    )


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


# --------------------------------------------------------------------------- the store
class Neo4jStore(CypherStore):
    """A graph on a Bolt server. Settings as in DESIGN.md (``NEO4J_*`` environment).

    ``max_request`` overrides the dialect's request budget (bytes of query text plus
    parameters); batches and parts are sized to stay under it.
    """

    name = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str = "neo4j",
        password: str = "",
        *,
        database: str | None = None,
        max_request: int | None = None,
        timeout: float = 5.0,
        retries: int = 3,
        backoff: float = 0.2,
    ) -> None:
        try:
            scheme = urlsplit(uri).scheme.lower()
        except ValueError:
            scheme = ""
        if scheme not in BOLT_SCHEMES:
            raise InputError(
                f"NEO4J_URI {safe_uri(uri)!r} is not a Bolt URI (scheme {scheme or 'missing'!r}); "
                "use bolt://host:7687 (or neo4j://, bolt+s://)"
            )
        # user:password@ in the URI (which the driver refuses) moves into the credentials
        parts = urlsplit(uri) if "@" in uri else None
        if parts is not None and parts.username is not None:
            user = unquote(parts.username)
            password = unquote(parts.password or "") or password
            uri = safe_uri(uri)
        self.uri, self.user, self.database = uri, user, database or None
        self._password = password
        self.max_request_override = max_request
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self._driver: Any = None
        self._session: Any = None
        self._open: list[Any] = []  # driver, then sessions: closed in reverse by _close_all
        self._dialect: Dialect | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Neo4jStore:
        """A store from ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``
        (and ``PARTNERMAP_BOLT_MAX_REQUEST``, bytes per request)."""
        env = os.environ if env is None else env
        raw = env.get("PARTNERMAP_BOLT_MAX_REQUEST")
        try:
            max_request = int(raw) if raw else None
        except ValueError:
            raise InputError(f"PARTNERMAP_BOLT_MAX_REQUEST must be a number of bytes, not {raw!r}") from None
        return cls(
            env.get("NEO4J_URI") or "bolt://localhost:7687",
            env.get("NEO4J_USER") or "neo4j",
            env.get("NEO4J_PASSWORD") or "",
            database=env.get("NEO4J_DATABASE") or None,
            max_request=max_request,
        )

    def __repr__(self) -> str:
        return f"Neo4jStore({safe_uri(self.uri)!r}, user={self.user!r})"

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the session and the driver (safe to call twice)."""
        self._drop_session()
        if self._driver is not None:
            try:
                self._finalizer()
            finally:
                self._driver = None

    # ------------------------------------------------------------------ plumbing
    def _where(self) -> str:
        return f"the graph server at {safe_uri(self.uri)}"

    def _redact(self, text: str) -> str:
        return text.replace(self._password, "***") if self._password else text

    def _drop_session(self) -> None:
        if self._session is not None:
            if self._session in self._open:
                self._open.remove(self._session)
            try:
                self._session.close()
            except Exception:  # a broken session may fail to close; it is dropped anyway
                log.debug("closing a broken session failed", exc_info=False)
            self._session = None

    def _get_session(self) -> Any:
        if self._driver is None:
            try:
                self._driver = neo4j.GraphDatabase.driver(
                    self.uri,
                    auth=(self.user, self._password),
                    connection_timeout=self.timeout,
                    # the Bolt handshake is bounded by this one (default 60 s)
                    connection_acquisition_timeout=self.timeout * 2,
                    max_transaction_retry_time=0,
                )
                # closed when this store goes (the CLI's --backend neo4j never calls close())
                self._finalizer = weakref.finalize(self, _close_all, self._open)
                self._open[:] = [self._driver]
            except (ValueError, nx_exc.ConfigurationError) as exc:
                detail = self._redact(str(exc).replace(self.uri, safe_uri(self.uri)))
                raise InputError(
                    f"NEO4J_URI {safe_uri(self.uri)!r} is not a usable Bolt "
                    f"URI ({detail}); use bolt://host:port"
                ) from None
        if self._session is None:
            wake_listener(self.uri)
            kwargs = {"database": self.database} if self.database else {}
            self._session = self._driver.session(**kwargs)
            self._open.append(self._session)
        return self._session

    def _error(self, exc: Exception, doing: str) -> BackendError:
        if isinstance(exc, nx_exc.AuthError):
            return BackendError(
                f"{self._where()} refused the credentials of user "
                f"{self.user!r} while {doing}; check NEO4J_USER and "
                "NEO4J_PASSWORD"
            )
        if isinstance(exc, _TRANSIENT):
            return BackendError(
                f"cannot reach {self._where()} while {doing} (tried {self.retries} times); is it running?"
            )
        detail = getattr(exc, "message", None) or type(exc).__name__
        if doing == "connecting":
            return BackendError(
                f"{self._where()} failed the first query ({detail}); check "
                "NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD (FalkorDB answers a "
                "wrong password this way)"
            )
        return BackendError(
            f"{self._where()} failed while {doing}: {self._redact(str(detail)).splitlines()[0]}"
        )

    def run(
        self, query: str, params: dict[str, Any] | None = None, *, doing: str = "running a query"
    ) -> list[dict[str, Any]]:
        """Run one auto-commit query; transient failures are retried with backoff.

        Raises `BackendError` (one sentence, never the password) when the server
        cannot be reached, refuses the credentials, or fails the query.
        """
        return self._run(query, params or {}, doing)[1]

    def _run(self, query: str, params: dict[str, Any], doing: str) -> tuple[list[str], list[dict[str, Any]]]:
        if self._dialect is not None and params:
            # (FalkorDB takes long query text fine when it carries no parameters)
            params = self._dialect.encode(params)
            size = packed_size(query) + packed_size(params)
            if size > self.max_request:
                raise InputError(
                    f"one value is too large to send to {self._where()} "
                    f"({size} bytes; the limit is {self.max_request}) while "
                    f"{doing}"
                )
        attempt = 0
        while True:
            try:
                result = self._get_session().run(query, params)
                keys = list(result.keys())
                # values(), not data(): our queries return plain values, and data()'s
                # recursive conversion was a third of a whole-graph pull
                return keys, [dict(zip(keys, r.values(), strict=True)) for r in result]
            except _TRANSIENT as exc:
                self._drop_session()
                attempt += 1
                if attempt >= self.retries:
                    raise self._error(exc, doing) from None
                log.debug("transient %s while %s; retry %d", type(exc).__name__, doing, attempt)
                time.sleep(self.backoff * 2 ** (attempt - 1))
            except nx_exc.Neo4jError as exc:
                raise self._error(exc, doing) from None
            except nx_exc.DriverError as exc:
                raise self._error(exc, doing) from None

    @property
    def dialect(self) -> Dialect:
        """The server's dialect, probed on first use."""
        if self._dialect is None:
            # reachability first, so an unreachable server is not taken for "not FalkorDB"
            self._run("RETURN 1 AS ok", {}, "connecting")
            self._dialect = detect(lambda q, p: self._run(q, p, "probing the server"))
            log.debug("server dialect: %s", self._dialect.name)
        return self._dialect

    @property
    def max_request(self) -> int:
        return self.max_request_override or self.dialect.max_request

    # ------------------------------------------------------------------ Store protocol
    def locked(self) -> contextlib.AbstractContextManager[None]:
        """No client-side lock: a push is idempotent and marks the graph incomplete
        until it finishes (see `check_complete`)."""
        return contextlib.nullcontext()

    def exists(self) -> bool:
        """Does the server hold any partnermap node?"""
        _ = self.dialect
        return any(
            self.run(f"MATCH (n:{cypher.label(k)}) RETURN n.id AS id LIMIT 1", doing="checking the graph")
            for k in NodeKind
        )

    def clear(self) -> int:
        """Delete every partnermap node and edge on the server (nothing else); returns
        nodes deleted."""
        _ = self.dialect
        total = 0
        for k in EdgeKind:  # edges first: ours only, even between our nodes
            q = (
                f"MATCH (:{cypher.marker()})-[r:{cypher.rel_type(k)}]->(:{cypher.marker()}) "
                f"WHERE {cypher.rel_is_ours()} WITH r LIMIT $limit DELETE r RETURN count(*) AS c"
            )
            while int((self.run(q, {"limit": 5000}, doing="clearing the graph") or [{"c": 0}])[0]["c"]):
                pass
        for nk in NodeKind:
            q = f"MATCH (n:{cypher.label(nk)}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS c"
            while True:
                rows = self.run(q, {"limit": 5000}, doing="clearing the graph")
                deleted = int(rows[0]["c"]) if rows else 0
                total += deleted
                if not deleted:
                    break
        self.run(
            f"MATCH (s:{cypher.quote_ident(cypher.STATE_LABEL)}) DELETE s RETURN count(*) AS c",
            doing="clearing the graph",
        )
        return total

    def status(self) -> dict[str, Any]:
        """Where the server is, what it is, and what it holds (counts by kind)."""
        dialect = self.dialect
        agent = ""
        try:
            agent = self._driver.get_server_info().agent if self._driver else ""
        except nx_exc.DriverError:
            agent = ""
        nodes = {}
        for k in NodeKind:
            rows = self.run(f"MATCH (n:{cypher.label(k)}) RETURN count(n) AS c", doing="counting nodes")
            if rows and int(rows[0]["c"]):
                nodes[str(k)] = int(rows[0]["c"])
        edges = {}
        for ek in EdgeKind:
            rows = self.run(
                f"MATCH (:{cypher.marker()})-[r:{cypher.rel_type(ek)}]->(:{cypher.marker()}) "
                f"WHERE {cypher.rel_is_ours()} RETURN count(r) AS c",
                doing="counting edges",
            )
            if rows and int(rows[0]["c"]):
                edges[str(ek)] = int(rows[0]["c"])
        return {
            "uri": safe_uri(self.uri),
            "server": agent,
            "dialect": dialect.name,
            "database": self.database or "",
            "nodes": nodes,
            "edges": edges,
            "incomplete": self.unfinished(),
            "push_in_progress": self.push_in_progress(),
            "max_request": self.max_request,
        }

    # ------------------------------------------------------------------ write (push)
    def _psize(self, value: Any) -> int:
        """Bytes ``value`` takes on the wire, as the dialect encodes it."""
        return packed_size(self.dialect.encode(value))

    def _item(self, key_args: dict[str, Any], props: dict[str, Any]) -> Item:
        """Split ``props`` into a row that fits one request and long values in parts.

        The key fields travel once (``row.id`` / ``row.s``, ``row.t``), not again in the
        row's props, and the push's ``pm_gen`` is one ``$gen`` per request: on FalkorDB's
        ~3 KB requests that fits a quarter more rows in each.
        """
        budget = self.max_request
        part_bytes = max(256, budget - _APPEND_OVERHEAD)
        props = {k: v for k, v in props.items() if k not in key_args}
        # A list with an item too big for one part cannot be appended item by item:
        # keep it inside props_json instead (a string, which can be split anywhere).
        odd = {
            k: v
            for k, v in props.items()
            if k.startswith("p_") and isinstance(v, list) and any(self._psize(x) > part_bytes for x in v)
        }
        if odd:
            rest = cypher.unflatten_props({"props_json": props.pop("props_json", None)})
            for k, v in odd.items():
                del props[k]
                rest[k[2:]] = v
            props["props_json"] = json.dumps(rest, ensure_ascii=False, sort_keys=True)
        # Move the biggest strings/lists out of the row until the row fits.
        row_budget = budget - 400  # the UNWIND query text and one row's framing
        base = self._psize(key_args)
        long_values: dict[str, Any] = {}
        while base + self._psize(props) > row_budget:
            movable = [(self._psize(v), k) for k, v in props.items() if isinstance(v, (str, list)) and v]
            if not movable:
                break  # the id alone is too big: run() reports it
            k = max(movable)[1]
            long_values[k] = props[k]
            props[k] = "" if isinstance(props[k], str) else []
        parts: list[tuple[str, Any]] = []
        for k, v in long_values.items():
            pieces = (
                split_text(v, part_bytes, self.dialect.name == "falkordb")
                if isinstance(v, str)
                else split_list(v, part_bytes, self._psize)
            )
            parts += [(k, piece) for piece in pieces]
        if parts:
            props["pm_long"] = list(long_values)
            lists = [k for k, v in long_values.items() if isinstance(v, list)]
            if lists:
                props["pm_long_lists"] = lists
            props["pm_seq"] = 0
        return Item(key_args, props, parts)

    def _batches(self, query: str, items: list[Item], make_row: Callable[[Item], dict]) -> list[list[Item]]:
        """``items`` in batches whose rows fit one request with ``query`` and ``$gen``."""
        limit = self.max_request - packed_size(query) - packed_size({"gen": "0" * 32}) - 16
        return split_list(items, limit, lambda it: self._psize(make_row(it)))

    def write(self, graph: PartnerGraph, *, progress: PushProgress | None = None) -> None:
        """Mirror ``graph`` onto the server (see the module docstring).

        Raises `PushError` saying how far it got if the server fails part-way.
        """
        graph.validate()
        prog = progress if progress is not None else PushProgress()
        gen = uuid.uuid4().hex
        _ = self.dialect
        self._check_values(graph)
        kinds = {n.id: n.kind for n in graph.nodes()}
        node_plan: list[tuple[str, list[Item], NodeKind]] = []
        for k in NodeKind:
            items = [self._item({"id": n.id}, cypher.node_properties(n)) for n in graph.nodes(k)]
            q = cypher.merge_nodes_query(k)
            node_plan += [
                (q, b, k)
                for b in self._batches(q, items, lambda it: {"id": it.query_args["id"], "props": it.row})
            ]
        edge_plan = self._edge_plan(graph.edges(), kinds, gen)
        prog.node_batches_total, prog.edge_batches_total = len(node_plan), len(edge_plan)
        try:
            self._ensure_indexes()
            self._mark_pushing(gen)
            for q, batch, nk in node_plan:
                self._send_batch(
                    q, [{"id": it.query_args["id"], "props": it.row} for it in batch], gen, "pushing nodes"
                )
                for it in batch:
                    self._send_parts(cypher.append_node_query, (nk,), it, prog)
                prog.node_batches += 1
            self._send_edges(edge_plan, gen, prog)
            prog.swept = self._sweep(gen)
            self._mark_pushing(None)
        except BackendError as exc:
            raise PushError(
                f"push to {safe_uri(self.uri)} stopped after {prog.describe()} "
                f"({exc}); run it again to finish: nothing is duplicated",
                prog,
            ) from None
        log.debug("pushed %s; swept %d stale elements", prog.describe(), prog.swept)

    def write_inferred(self, graph: PartnerGraph, *, progress: PushProgress | None = None) -> None:
        """Replace the server's inferred links (DEPENDS_ON, DUPLICATES) by ``graph``'s.

        For links computed in Python from the server's own graph (`partnermap neo4j
        infer`): only those edges are sent, each with its score, method and evidence;
        the old ones are removed once the new ones are all in.
        """
        prog = progress if progress is not None else PushProgress()
        gen = uuid.uuid4().hex
        _ = self.dialect
        kinds = {n.id: n.kind for n in graph.nodes()}
        edge_plan = self._edge_plan((e for e in graph.edges() if e.kind in INFERRED_EDGES), kinds, gen)
        prog.edge_batches_total = len(edge_plan)
        self._check_values(graph)
        try:
            self._mark_pushing(gen)
            self._send_edges(edge_plan, gen, prog)
            prog.swept = self._sweep(gen, edge_kinds=sorted(INFERRED_EDGES), node_kinds=[])
            self._mark_pushing(None)
        except BackendError as exc:
            raise PushError(
                f"writing inferred links to {safe_uri(self.uri)} stopped after "
                f"{prog.describe()} ({exc}); run it again to finish",
                prog,
            ) from None

    def _edge_plan(
        self, edges: Iterable[Edge], kinds: Mapping[str, NodeKind], gen: str
    ) -> list[tuple[str, list[Item], tuple[EdgeKind, NodeKind, NodeKind]]]:
        """MERGE batches of ``edges``, grouped by (type, source label, target label)."""
        groups: dict[tuple[EdgeKind, NodeKind, NodeKind], list[Item]] = {}
        for e in edges:
            key = (e.kind, kinds[e.source], kinds[e.target])
            groups.setdefault(key, []).append(
                self._item({"s": e.source, "t": e.target}, cypher.edge_properties(e))
            )
        plan = []
        for (ek, sk, tk), items in groups.items():
            q = cypher.merge_edges_query(ek, sk, tk)
            plan += [
                (q, b, (ek, sk, tk))
                for b in self._batches(q, items, lambda it: {**it.query_args, "props": it.row})
            ]
        return plan

    def _send_edges(
        self,
        plan: list[tuple[str, list[Item], tuple[EdgeKind, NodeKind, NodeKind]]],
        gen: str,
        prog: PushProgress,
    ) -> None:
        for q, batch, ekey in plan:
            self._send_batch(q, [{**it.query_args, "props": it.row} for it in batch], gen, "pushing edges")
            for it in batch:
                self._send_parts(cypher.append_edge_query, ekey, it, prog)
            prog.edge_batches += 1

    def _ensure_indexes(self) -> None:
        for q in self.dialect.index_queries(list(NodeKind), self._run_for_dialect):
            self.run(q, doing="creating an index on id")

    def _run_for_dialect(self, q: str, p: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
        return self._run(q, p, "listing indexes")

    def _send_batch(self, query: str, rows: list[dict[str, Any]], gen: str, doing: str) -> None:
        self.run(query, {"rows": rows, "gen": gen}, doing=doing)

    def _send_parts(
        self, make_query: Callable[..., str], kinds: tuple, item: Item, prog: PushProgress
    ) -> None:
        m = len(item.parts)
        for i, (key, part) in enumerate(item.parts):
            self.run(
                make_query(*kinds, key),
                {**item.query_args, "i": i, "m": m, "part": part},
                doing="pushing a long value",
            )
            prog.parts += 1

    def _sweep(
        self,
        gen: str,
        *,
        edge_kinds: Iterable[EdgeKind] = tuple(EdgeKind),
        node_kinds: Iterable[NodeKind] = tuple(NodeKind),
    ) -> int:
        """Delete the elements of these kinds not stamped ``gen``; returns how many."""
        swept = 0
        for q in [cypher.sweep_edges_query(k) for k in edge_kinds] + [
            cypher.sweep_nodes_query(k) for k in node_kinds
        ]:
            while True:
                rows = self.run(q, {"gen": gen, "limit": 5000}, doing="removing what earlier pushes left")
                n = int(rows[0]["c"]) if rows else 0
                swept += n
                if not n:
                    break
        return swept

    # ------------------------------------------------------------------ read (pull)
    def read(
        self, *, node_kinds: Iterable[NodeKind] | None = None, edge_kinds: Iterable[EdgeKind] | None = None
    ) -> PartnerGraph:
        """The graph on the server, node for node and edge for edge.

        ``node_kinds``/``edge_kinds`` select part of it on the server (queries use
        this to fetch only what they need); edges come only between fetched nodes.
        Raises `StoreError` when a push stopped part-way (elements still marked
        ``pm_seq``): the graph would be incomplete.
        """
        dialect = self.dialect
        if self.push_in_progress():
            self.check_complete()
        nodes: list[Node] = []
        edges = []
        incomplete = 0
        wanted_nodes = list(NodeKind) if node_kinds is None else [k for k in NodeKind if k in set(node_kinds)]
        types = None if edge_kinds is None else sorted(str(EdgeKind(k)) for k in edge_kinds)
        for kind in wanted_nodes:
            after = ""
            while True:
                rows = self.run(
                    cypher.page_nodes_query(kind),
                    {"after": after, "limit": dialect.page},
                    doing=f"reading {kind} nodes",
                )
                if not rows:
                    break
                last = rows[-1]["id"]
                for r in rows:
                    incomplete += r["seq"] is not None
                    nodes.append(self.node_from_row(kind, r["id"], r["kv"], r["long"]))
                if types != []:
                    for r in self.run(
                        cypher.page_edges_query(kind, types is not None),
                        {"after": after, "last": last, "types": types or []},
                        doing=f"reading edges from {kind} nodes",
                    ):
                        edges.append((kind, r))
                after = last
        # same insertion order as the embedded store's from_dict (by id; edges by
        # (source, target, kind)): some queries' tie-breaks follow insertion order
        graph = PartnerGraph()
        for node in sorted(nodes, key=lambda n: n.id):
            graph.add_node(node)
        edges.sort(key=lambda kr: (kr[1]["s"], kr[1]["t"], kr[1]["type"]))
        for src_kind, r in edges:
            try:
                ek = EdgeKind(r["type"])
                tk = next(NodeKind(x) for x in r["labels"] if x in set(NodeKind))
            except (ValueError, StopIteration):
                continue  # not a partnermap edge
            incomplete += r["seq"] is not None
            p = {k: v for k, v in r["kv"]}
            for key in r["long"]:
                is_text = key not in p.get("pm_long_lists", [])
                p[key] = self._read_long(
                    cypher.slice_edge_query(ek, src_kind, tk, key, is_text),
                    {"s": r["s"], "t": r["t"]},
                    is_text,
                )
            if r["s"] in graph and r["t"] in graph:
                graph.add_edge(cypher.edge_from_properties(r["s"], r["t"], ek, p))
        if incomplete:
            raise StoreError(_incomplete(self.uri, incomplete))
        return graph

    def node_from_row(self, kind: NodeKind, node_id: str, kv: list[list[Any]], long: list[str]) -> Node:
        """A `Node` from a query's ``[key, value]`` pairs; long values (``long``: keys
        written in parts and left out of ``kv``) are read in slices."""
        p = {k: v for k, v in kv}
        for key in long:
            is_text = key not in p.get("pm_long_lists", [])
            p[key] = self._read_long(cypher.slice_node_query(kind, key, is_text), {"id": node_id}, is_text)
        return cypher.node_from_properties(kind, p)

    def unfinished(self) -> int:
        """Nodes and edges a push left part-written (``pm_seq`` set)."""
        m = cypher.marker()
        return sum(
            int(self.run(q, doing="checking for an unfinished push")[0]["c"])
            for q in (
                f"MATCH (n:{m}) WHERE n.pm_seq IS NOT NULL RETURN count(n) AS c",
                f"MATCH (:{m})-[r]->(:{m}) WHERE {cypher.rel_is_ours()} AND r.pm_seq IS NOT NULL "
                "RETURN count(r) AS c",
            )
        )

    def _mark_pushing(self, gen: str | None) -> None:
        """Record a push in progress (``gen``), or its end (None), on the state node."""
        self.run(
            f"MERGE (s:{cypher.quote_ident(cypher.STATE_LABEL)} {{id: 'push'}}) SET s.pushing = $gen",
            {"gen": gen or ""},
            doing="marking the push",
        )

    def push_in_progress(self) -> bool:
        """Has a push started and not finished (running now, or stopped part-way)?"""
        rows = self.run(
            f"MATCH (s:{cypher.quote_ident(cypher.STATE_LABEL)}) WHERE s.pushing <> '' RETURN count(s) AS c",
            doing="checking for a push in progress",
        )
        return bool(rows and int(rows[0]["c"]))

    def check_complete(self) -> None:
        """Raise `StoreError` when a push is running or stopped part-way (answers would be
        incomplete)."""
        if self.push_in_progress():
            raise StoreError(
                f"the graph on {safe_uri(self.uri)} is incomplete: a push is running or stopped "
                "part-way; wait for it, or run 'partnermap neo4j push' again"
            )
        n = self.unfinished()
        if n:
            raise StoreError(_incomplete(self.uri, n))

    def _check_values(self, graph: PartnerGraph) -> None:
        """Refuse text the server would change: FalkorDB cuts a string at a NUL character."""
        if self.dialect.name != "falkordb":
            return
        for n in graph.nodes():
            if _has_nul([n.id, n.label, n.props]):
                raise InputError(
                    f"node {n.id[:60]!r} holds a NUL character, which FalkorDB would silently cut "
                    "short; reload its document (partnermap load removes NULs) before pushing"
                )
        for e in graph.edges():
            if _has_nul([e.props, e.evidence, e.method]):
                raise InputError(
                    f"edge {e.source[:40]!r} -> {e.target[:40]!r} holds a NUL character, which "
                    "FalkorDB would silently cut short; reload its document before pushing"
                )

    def _read_long(self, query: str, args: dict[str, Any], is_text: bool) -> Any:
        """A long value in slices; offsets are in the server's own units."""
        step = self.dialect.max_reply_chars if is_text else 8
        out: list[Any] = []
        off = 0
        while True:
            rows = self.run(query, {**args, "off": off, "len": step}, doing="reading a long value")
            if not rows or rows[0]["part"] is None:
                break
            part, total = rows[0]["part"], int(rows[0]["total"])
            out.append(part)
            off += step
            if off >= total:
                break
        if is_text:
            return "".join(out)
        return [x for part in out for x in part]
