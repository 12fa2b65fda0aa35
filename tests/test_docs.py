"""README documents every command with its help text, so docs cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer.main import get_command

from cli.main import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, str]]:
    """(full command name, first line of its help) for every leaf command."""
    root = get_command(app)
    out: list[tuple[str, str]] = []

    def walk(group, prefix: str) -> None:
        for name, cmd in sorted(group.commands.items()):
            full = f"{prefix} {name}".strip()
            if hasattr(cmd, "commands") and cmd.commands:
                walk(cmd, full)
            else:
                out.append((full, (cmd.help or "").strip().splitlines()[0]))

    walk(root, "")
    return out


@pytest.mark.parametrize("name, help_line", _commands(), ids=lambda v: str(v))
def test_every_command_is_in_readme_with_its_help(name: str, help_line: str) -> None:
    assert re.search(rf"`partnermap {re.escape(name)}\b", README), f"README lacks `partnermap {name}`"
    assert help_line and help_line in README, f"README lacks the help of {name}: {help_line!r}"


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in README and "make test" in ci
    assert "make demo" in README


def test_typer_app_is_not_showing_locals() -> None:
    assert isinstance(app, typer.Typer)
    assert app.pretty_exceptions_show_locals is False


def test_every_test_readme_names_exists() -> None:
    """The Trust and safety guarantees cite tests; each cited test must exist."""
    tests_dir = Path(__file__).resolve().parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in tests_dir.rglob("test_*.py"))
    cited = set(re.findall(r"`(?:[\w/]+\.py::)?(test_\w+)", README))
    assert len(cited) > 10
    missing = sorted(n for n in cited if not re.search(rf"def {n}\b", source))
    assert not missing, f"README cites tests that do not exist: {missing}"
