"""The packages import from the installed distribution; entry points work; a wheel carries
the bundled data and runs the demo; curated files are required."""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from importlib.metadata import distribution, packages_distributions
from pathlib import Path

import pytest

from graphmodel.errors import InputError
from graphmodel.paths import DATA_DIR, DATA_PACKAGE
from graphmodel.resolve import Resolver
from queries.lexicon import load_lexicon

PACKAGES = ("graphmodel", "loaders", "queries", "viz", "cli")
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", PACKAGES)
def test_package_imports_from_the_installed_distribution(name: str) -> None:
    dist = distribution("partnermap")
    top_level = {p.split(".")[0] for p in (dist.read_text("top_level.txt") or "").split()}
    # an editable install records the packages it maps; a wheel lists them in top_level.txt
    mapped = name in top_level or any(name in str(f) for f in (dist.files or []))
    assert mapped, f"{name} is not part of the installed partnermap distribution"
    module = importlib.import_module(name)
    assert Path(module.__file__).resolve().parent == ROOT / name


def test_console_script_and_python_m_cli_print_the_version() -> None:
    version = distribution("partnermap").version
    out = subprocess.run(
        [sys.executable, "-m", "cli", "--version"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == f"partnermap {version}"
    exe = Path(sys.executable).parent / "partnermap"
    out2 = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    assert out2.stdout.strip() == f"partnermap {version}"


def test_help_does_not_import_heavy_libraries() -> None:
    code = (
        "import sys; from cli.main import app; "
        "heavy = [m for m in ('pyvis', 'neo4j', 'sklearn', 'openpyxl') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == ""


def _source_copy(dest: Path) -> Path:
    """The files a wheel is built from, copied out so the build writes nothing in the repo."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in (*PACKAGES, "data"):
        shutil.copytree(ROOT / name, dest / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    return dest


@pytest.mark.slow
def test_the_wheel_installed_in_a_fresh_venv_runs_the_demo(tmp_path: Path) -> None:
    """Built and installed like a user would (deps from pip's configured index or cache),
    then run from outside the source tree: the bundled papers and curated YAML travel in the
    wheel, so the demo loads actions and writes the site."""
    src = _source_copy(tmp_path / "src")
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(src)], check=True, cwd=tmp_path)
    (wheel,) = wheels.glob("partnermap-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for data_file in ("organisations.yaml", "services.yaml", "strategies.yaml", "lexicon.yaml", "README.md"):
        assert f"partnermap_data/{data_file}" in names
    assert sum(1 for n in names if n.startswith("partnermap_data/") and n.endswith(".txt")) == 2

    venv.create(tmp_path / "venv", with_pip=True)
    bin_dir = tmp_path / "venv" / ("Scripts" if sys.platform == "win32" else "bin")
    env = {
        k: v for k, v in os.environ.items() if k not in {"PARTNERMAP_DATA", "PARTNERMAP_STORE", "PYTHONPATH"}
    }
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "--disable-pip-version-check", "-q", "install", str(wheel)],
        check=True,
        cwd=tmp_path,
        env=env,
    )
    run = tmp_path / "run"
    run.mkdir()
    out = subprocess.run(
        [str(bin_dir / "partnermap"), "demo", "--out", str(run / "demo")],
        capture_output=True,
        text=True,
        cwd=run,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    graph = json.loads((run / "demo" / "graph.json").read_text(encoding="utf-8"))
    kinds = {n["kind"] for n in graph["nodes"]}
    assert {"Action", "Organisation", "Service", "Recommendation"} <= kinds
    assert any(e["kind"] == "DEPENDS_ON" for e in graph["edges"])
    # the code that ran is the wheel's, not this source tree
    where = subprocess.run(
        [str(bin_dir / "python"), "-c", "import graphmodel.paths as p; print(p.DATA_DIR)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=run,
        env=env,
    )
    assert Path(where.stdout.strip()).is_relative_to(tmp_path / "venv")


def test_a_missing_curated_file_is_an_error_not_an_empty_list(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    for curated in DATA_DIR.glob("*.yaml"):
        if curated.name != "organisations.yaml":  # left out
            shutil.copy2(curated, data / curated.name)
    env = {**os.environ, "PARTNERMAP_DATA": str(data)}
    out = subprocess.run(
        [
            str(Path(sys.executable).parent / "partnermap"),
            *("--store", str(tmp_path / "g.json"), "load", str(DATA_DIR / "002_bf875e7a520b882d.txt")),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "organisations.yaml" in out.stderr, out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "g.json").exists()


def test_missing_curated_files_raise_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"organisations\.yaml"):
        Resolver.from_data(tmp_path)
    with pytest.raises(InputError, match=r"lexicon\.yaml"):
        load_lexicon(tmp_path / "lexicon.yaml")


def _requirement_name(req: str) -> str:
    return re.split(r"[<>=!~;\[ ]", req, maxsplit=1)[0].strip().lower().replace("_", "-")


def _third_party_imports() -> dict[str, set[str]]:
    """Top-level module -> files of the installed packages importing it (at any level)."""
    ours = {*PACKAGES, "data", DATA_PACKAGE}
    found: dict[str, set[str]] = {}
    for pkg in (*PACKAGES, "data"):
        for f in sorted((ROOT / pkg).rglob("*.py")):
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in ours:
                        found.setdefault(top, set()).add(str(f.relative_to(ROOT)))
    return found


def test_runtime_dependencies_are_exactly_what_the_packages_import() -> None:
    declared = {
        _requirement_name(r)
        for r in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
            "dependencies"
        ]
    }
    dists = packages_distributions()
    imported: dict[str, set[str]] = {}
    for module, files in _third_party_imports().items():
        assert module in dists, f"{module} (imported by {sorted(files)}) is not installed"
        for dist in dists[module]:
            imported.setdefault(dist.lower().replace("_", "-"), set()).update(files)
    undeclared = {d: sorted(f) for d, f in imported.items() if d not in declared}
    assert not undeclared, f"imported but not declared in [project] dependencies: {undeclared}"
    unused = declared - set(imported)
    assert not unused, f"declared but imported by no installed package: {sorted(unused)}"
