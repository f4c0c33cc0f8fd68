"""`watchfloor models`: translation back-ends, what is usable here, and installing their models."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from watchfloor.cli.common import JsonOpt, State, errors, out, print_json

__all__ = ["models_app"]

models_app = typer.Typer(no_args_is_help=True, help="Translation back-ends and their models.")


@models_app.command("list")
def models_list(json_out: JsonOpt = False) -> None:
    """Each translation back-end: usable here or not (and why), its models and languages."""
    from rich.table import Table

    from watchfloor.translate.catalog import list_backends

    with errors():
        found = list_backends(State.settings)
    if json_out:
        print_json([s.json() for s in found])
        return
    table = Table("back-end", "usable", "models", "languages", "configured for", "note")
    for s in found:
        table.add_row(s.name, "yes" if s.usable else "no", ", ".join(s.models), ", ".join(s.languages),
                      ", ".join(s.configured_for), s.reason or s.label)
    out.print(table)


@models_app.command("install")
def models_install(
    name: Annotated[str, typer.Argument(help="gist, opus-mt-ar-en, opus-mt-mul-en or nllb-200-distilled-600M.")],
    to: Annotated[Path | None, typer.Option(help="Folder to put it in (default: the data directory).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Fetch a translation model where a network allows, and say how to use it."""
    from watchfloor.translate.catalog import INSTALLABLE, install_model

    with errors():
        done = install_model(name, State.settings, to)
    if json_out:
        print_json(done)
        return
    out.print(f"{name} ({INSTALLABLE[name][1]}) is at {done['path']}.", highlight=False)
    if done["setting"]:
        out.print(f"Use it with {done['setting']}", highlight=False)
