"""The `watchfloor export` commands: STIX 2.1 bundles of stories, CSV and JSON Lines of whole tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from watchfloor.cli.common import engine, errors, out
from watchfloor.errors import InvalidInput

__all__ = ["export_app"]

export_app = typer.Typer(no_args_is_help=True, help="Exports for other tools: STIX 2.1, CSV, JSON Lines.")
OutOpt = Annotated[Path | None, typer.Option("--out", help="File to write (default: standard output).")]
KindArg = Annotated[str, typer.Argument(help="posts, stories, entities or sources.")]


def run_export(name: str, subject: str, path: Path | None, **options: Any) -> int:
    """A registered exporter over the configured database, to a file or standard output."""
    from watchfloor.exports.output import run_export as export

    return export(engine(), name, subject, path, **options)


def _check_kind(kind: str) -> None:
    from watchfloor.exports.tabular import KINDS

    if kind not in KINDS:
        raise InvalidInput(f"unknown export kind {kind!r}; choose one of {', '.join(KINDS)}")


@export_app.command("stix")
def export_stix(story: Annotated[int, typer.Option("--story", help="The story to export (see `stories list`).")],
                tlp: Annotated[str, typer.Option(help="TLP marking on every object: clear, green, amber or red.")]
                = "amber",
                organisation: Annotated[str, typer.Option("--org", help="Your organisation, the author of the "
                                                                        "objects (created_by_ref).")]
                = "Watchfloor user",
                path: OutOpt = None) -> None:
    """A story as a STIX 2.1 bundle: report, posts and channels, actors, places, translations."""
    with errors():
        count = run_export("stix", f"story:{story}", path, tlp=tlp, organisation=organisation)
    if path is not None:
        out.print(f"{count} STIX objects written to {path}.", highlight=False)


@export_app.command("csv")
def export_csv(kind: KindArg, path: OutOpt = None) -> None:
    """Every post, story, entity or source as CSV, with the fields of its --json shape."""
    with errors():
        _check_kind(kind)
        count = run_export("csv", kind, path)
    if path is not None:
        out.print(f"{count} {kind} written to {path}.", highlight=False)


@export_app.command("jsonl")
def export_jsonl(kind: KindArg, path: OutOpt = None) -> None:
    """Every post, story, entity or source as JSON Lines, one --json shape per line."""
    with errors():
        _check_kind(kind)
        count = run_export("jsonl", kind, path)
    if path is not None:
        out.print(f"{count} {kind} written to {path}.", highlight=False)


@export_app.command("graph")
def export_graph(fmt: Annotated[str, typer.Option("--format", help="graphml or gexf.")] = "graphml",
                 path: OutOpt = None) -> None:
    """The network of channels (forwards and mentions, with communities) as GraphML or GEXF."""
    with errors():
        if fmt not in ("graphml", "gexf"):
            raise InvalidInput(f"--format must be graphml or gexf (got {fmt!r})")
        count = run_export(fmt, "network", path)
    if path is not None:
        out.print(f"{count} channels written to {path}.", highlight=False)
