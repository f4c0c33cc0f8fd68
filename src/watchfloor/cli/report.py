"""`watchfloor report`: draft a footnoted report from a story, publish, unpublish, list."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from watchfloor.cli.common import JsonOpt, LimitOpt, errors, out, print_json
from watchfloor.cli.common import engine as open_engine
from watchfloor.models import Tier

__all__ = ["report_app"]

report_app = typer.Typer(no_args_is_help=True, help="Reports drafted from stories.")
ACTOR = "cli"  # who the audit log names for the command line


@report_app.command("draft")
def report_draft(story_id: int,
                 fmt: Annotated[str, typer.Option("--format", help="md, html or json.")] = "md",
                 save: Annotated[bool, typer.Option("--save", help="Store it as a report and print its id.")] = False,
                 ) -> None:
    """Draft a footnoted report from a story (and, with --save, keep it for the web app's editor)."""
    from watchfloor.errors import InvalidInput
    from watchfloor.registry import resolve
    from watchfloor.reports.actions import save_story_draft, story_draft

    with errors():
        try:
            render = resolve("report_formats", fmt)
        except KeyError as exc:
            raise InvalidInput(f"--format must be one of md, html, json (got {fmt!r})") from exc
        with open_engine().begin() as conn:
            if save:
                sys.stdout.write(f"{save_story_draft(conn, story_id, ACTOR)}\n")
                return
            draft = story_draft(conn, story_id)
        sys.stdout.write(render(draft))


@report_app.command("publish")
def report_publish(report_id: int,
                   tier: Annotated[Tier, typer.Option(help="public (complimentary) or subscriber.")] = Tier.SUBSCRIBER,
                   embargo: Annotated[str | None, typer.Option(help="Publish from this UTC time (ISO 8601).")] = None,
                   allow_untranslated: Annotated[bool, typer.Option(
                       "--allow-untranslated", help="Publish although the body quotes text not in English "
                                                    "(recorded in the audit log).")] = False,
                   json_out: JsonOpt = False) -> None:
    """Publish a saved report for a tier, now or from an embargo time (not while it quotes untranslated text)."""
    from watchfloor.date_input import parse_moment
    from watchfloor.reports.actions import publish_report
    from watchfloor.shapes import iso

    with errors():
        publish_at = parse_moment(embargo, "--embargo")
        with open_engine().begin() as conn:
            report = publish_report(conn, report_id, tier, publish_at, ACTOR, allow_untranslated)
    if json_out:
        print_json({"id": report.id, "title": report.title, "tier": report.tier.value, "status": report.status,
                    "publish_at": iso(report.publish_at)})
    else:
        start = f" from {iso(report.publish_at)}" if report.publish_at else ""
        out.print(f"Report {report.id} published for {report.tier.value} readers{start}.", highlight=False)


@report_app.command("unpublish")
def report_unpublish(report_id: int) -> None:
    """Take a published report back to draft."""
    from watchfloor.reports.actions import unpublish_report

    with errors(), open_engine().begin() as conn:
        unpublish_report(conn, report_id, ACTOR)
    out.print(f"Report {report_id} is a draft again.", highlight=False)


@report_app.command("list")
def report_list(limit: LimitOpt = 50, json_out: JsonOpt = False) -> None:
    """Saved reports and drafts, newest first."""
    from rich.table import Table

    from watchfloor.shapes import iso
    from watchfloor.store import reports as report_store

    with errors(), open_engine().connect() as conn:
        found = report_store.list_reports(conn, published_only=False, limit=limit)
    if json_out:
        print_json([{"id": r.id, "title": r.title, "status": r.status, "tier": r.tier.value, "date": iso(r.date),
                     "story_id": r.story_id} for r in found])
        return
    table = Table("id", "status", "tier", "date", "title")
    for r in found:
        table.add_row(str(r.id), r.status, r.tier.value, f"{r.date:%Y-%m-%d}", r.title)
    out.print(table)
