"""Every extension point and registered part is documented and importable; every command is in docs/cli.md."""

from __future__ import annotations

from pathlib import Path

import typer

from watchfloor import registry
from watchfloor.cli import app

DOCS = Path(__file__).parent.parent / "docs"


def test_every_registered_part_is_documented_and_importable() -> None:
    page = (DOCS / "architecture.md").read_text(encoding="utf-8")
    for point in registry.EXTENSION_POINTS:
        assert f"`{point.kind}`" in page, f"extension point {point.kind} missing from docs/architecture.md"
        for name in registry.available(point.kind):
            assert f"`{name}`" in page, f"{point.kind} part {name} missing from docs/architecture.md"
            assert callable(registry.resolve(point.kind, name))


def _commands(group: typer.Typer, prefix: str = "") -> list[str]:
    names = [f"{prefix}{c.name or c.callback.__name__}".strip() for c in group.registered_commands
             if c.callback is not None]
    for sub in group.registered_groups:
        assert sub.typer_instance is not None
        names += _commands(sub.typer_instance, f"{prefix}{sub.name} ")
    return names


def test_every_command_is_in_the_cli_reference() -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    commands = _commands(app)
    assert "import telegram-export" in commands and "report draft" in commands
    for command in commands:
        assert f"`watchfloor {command}" in page, f"`watchfloor {command}` missing from docs/cli.md"
