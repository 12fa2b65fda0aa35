"""The five packages import from the installed distribution; entry points work."""

from __future__ import annotations

import importlib
import subprocess
import sys
from importlib.metadata import distribution
from pathlib import Path

import pytest

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
