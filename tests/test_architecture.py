"""The import graph of the library packages: one-way layers, and no cycles between modules.

Every ``import`` and ``from ... import`` in graphmodel/, loaders/, queries/, viz/, cli/ and
data/ is read with `ast`, including imports inside functions and under ``if TYPE_CHECKING``
(an import moved into a function still couples the two modules, and hiding a cycle that way
is what this test is for). ``from pkg import name`` counts as an import of ``pkg.name`` when
that is a module, else of ``pkg``. Importing ``pkg.mod`` is not counted as importing
``pkg/__init__`` (Python runs it, but a package that imports its own modules is not a cycle
worth reporting).

The layers (DESIGN.md, "Flow"; each package's ``__init__`` docstring says the same):

    data        (package data only; imports nothing of ours)
    graphmodel  -> data
    loaders     -> graphmodel
    queries     -> graphmodel
    viz         -> queries, loaders, graphmodel
    cli         -> viz, queries, loaders, graphmodel   (cli.ingest composes a load)

queries does not import loaders: nothing in it reads documents (checked below, so a
future need shows up here as a decision, not as a drift).
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("data", "graphmodel", "loaders", "queries", "viz", "cli")

#: package -> the packages of ours it must never import
FORBIDDEN: dict[str, set[str]] = {
    "data": {"graphmodel", "loaders", "queries", "viz", "cli"},
    "graphmodel": {"loaders", "queries", "viz", "cli"},
    "loaders": {"queries", "viz", "cli"},
    "queries": {"loaders", "viz", "cli"},
    "viz": {"cli"},
    "cli": set(),
}

#: Imports that still close a cycle. None since issue 17 item 1 (one query interface for both
#: stores: queries.facts, .memory, .cypher, .backend). Delete an entry when its import goes
#: (the test fails on an entry that no longer exists); never add one.
CYCLE_ALLOWED: set[tuple[str, str]] = set()

#: Modules that import by name at run time (``importlib.import_module``), which hides edges
#: from this test. Same issue, same rule: delete when gone, never add.
DYNAMIC_IMPORT_ALLOWED: set[str] = set()


def _modules() -> dict[str, Path]:
    mods: dict[str, Path] = {}
    for pkg in PACKAGES:
        for f in sorted((ROOT / pkg).rglob("*.py")):
            parts = list(f.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            mods[".".join(parts)] = f
    return mods


MODULES = _modules()


def _ours(name: str) -> str | None:
    """The longest module of ours that ``name`` names (None for the standard library etc.)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = module.split(".")
            if path.name != "__init__.py":
                base.pop()
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join([*base, *([node.module] if node.module else [])])
        else:
            prefix = node.module or ""
        names = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in MODULES else prefix for a in node.names]
    return [t for t in (_ours(n) for n in names) if t is not None and t != module]


def _is_dynamic_import(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    f = node.func
    name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
    return name in {"import_module", "__import__"}


def _scan() -> tuple[nx.DiGraph, set[str]]:
    graph: nx.DiGraph = nx.DiGraph()
    dynamic: set[str] = set()
    for module, path in MODULES.items():
        graph.add_node(module)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for target in _targets(module, path, node):
                    graph.add_edge(module, target, line=node.lineno)
            elif _is_dynamic_import(node):
                dynamic.add(module)
    return graph, dynamic


GRAPH, DYNAMIC = _scan()


def _where(u: str, v: str) -> str:
    return f"{MODULES[u].relative_to(ROOT)}:{GRAPH.edges[u, v]['line']} imports {v}"


def test_the_scan_sees_imports_at_every_level() -> None:
    """The scan itself: a top-level, a relative and a function-level import are all edges."""
    assert GRAPH.has_edge("cli.ingest", "loaders")  # from loaders import ... (top level)
    assert GRAPH.has_edge("cli.main", "cli.state")  # from .state import ... (relative)
    assert GRAPH.has_edge("cli.main", "cli.ingest")  # inside load_cmd
    assert GRAPH.has_edge("cli.query", "queries.dependencies")  # inside dependencies_cmd
    assert len(MODULES) > 60


@pytest.mark.parametrize("package", PACKAGES)
def test_packages_import_only_downwards(package: str) -> None:
    wrong = [
        _where(u, v)
        for u, v in GRAPH.edges
        if u.split(".")[0] == package and v.split(".")[0] in FORBIDDEN[package]
    ]
    assert not wrong, f"{package} may not import {sorted(FORBIDDEN[package])}: " + "; ".join(wrong)


def test_no_import_cycles_between_modules() -> None:
    dag = GRAPH.copy()
    dag.remove_edges_from(CYCLE_ALLOWED)
    cycles = [c for c in nx.simple_cycles(dag) if len(c) > 1]
    described = [" -> ".join([*c, c[0]]) for c in cycles[:5]]
    assert not cycles, "import cycles: " + "; ".join(described)


def test_cycle_allow_list_only_shrinks() -> None:
    gone = sorted(e for e in CYCLE_ALLOWED if not GRAPH.has_edge(*e))
    assert not gone, f"these imports are gone: delete them from CYCLE_ALLOWED: {gone}"
    still_needed = {e for e in CYCLE_ALLOWED if any(e[0] in c and e[1] in c for c in nx.simple_cycles(GRAPH))}
    assert still_needed == CYCLE_ALLOWED, f"no longer in a cycle: {sorted(CYCLE_ALLOWED - still_needed)}"


def test_no_hidden_imports_by_name() -> None:
    assert DYNAMIC <= DYNAMIC_IMPORT_ALLOWED, f"import by name hides an edge: {sorted(DYNAMIC)}"
    assert DYNAMIC_IMPORT_ALLOWED <= DYNAMIC, "gone: delete from DYNAMIC_IMPORT_ALLOWED"
