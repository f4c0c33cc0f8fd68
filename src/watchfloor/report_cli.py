"""The `watchfloor report` commands: draft a footnoted report from a story, publish, unpublish, list."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from watchfloor.cli_common import JsonOpt, LimitOpt, out
from watchfloor.cli_common import engine as _engine
from watchfloor.cli_common import errors as _errors
from watchfloor.cli_common import print_json as _print_json
from watchfloor.errors import InvalidInput
from watchfloor.models import Tier
from watchfloor.registry import resolve
from watchfloor.reports.draft import draft_report
from watchfloor.reports.guard import check_publishable
from watchfloor.shapes import iso
from watchfloor.store import kb as kb_store
from watchfloor.store import reports as report_store
from watchfloor.store import stories as story_store
from watchfloor.store import users as user_store
from watchfloor.web.forms import parse_moment

__all__ = ["report_app"]

report_app = typer.Typer(no_args_is_help=True, help="Reports drafted from stories.")


@report_app.command("draft")
def report_draft(story_id: int,
                 fmt: Annotated[str, typer.Option("--format", help="md, html or json.")] = "md",
                 save: Annotated[bool, typer.Option("--save", help="Store it as a report and print its id.")] = False,
                 ) -> None:
    """Draft a footnoted report from a story (and, with --save, keep it for the web app's editor)."""
    with _errors():
        try:
            render = resolve("report_formats", fmt)
        except KeyError as exc:
            raise InvalidInput(f"--format must be one of md, html, json (got {fmt!r})") from exc
        with _engine().begin() as conn:
            story = story_store.get_story(conn, story_id)
            entities = kb_store.entities_with_related(conn, {m.entity_id for p in story.posts for m in p.mentions})
            draft = draft_report(story, entities)
            if save:
                report_id = report_store.save_draft(conn, draft)
                user_store.audit(conn, "cli", "report-draft", f"report:{report_id}", {"story": story_id})
                sys.stdout.write(f"{report_id}\n")
                return
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
    with _errors(), _engine().begin() as conn:
        passages = check_publishable(report_store.get_report(conn, report_id), allow_untranslated)
        report = report_store.publish(conn, report_id, tier, parse_moment(embargo, "--embargo"))
        user_store.audit(conn, "cli", "report-publish", f"report:{report_id}", {"tier": tier.value}
                         | ({"override": "untranslated", "passages": passages} if passages else {}))
    if json_out:
        _print_json({"id": report.id, "title": report.title, "tier": report.tier.value, "status": report.status,
                     "publish_at": iso(report.publish_at)})
    else:
        start = f" from {iso(report.publish_at)}" if report.publish_at else ""
        out.print(f"Report {report.id} published for {report.tier.value} readers{start}.", highlight=False)


@report_app.command("unpublish")
def report_unpublish(report_id: int) -> None:
    """Take a published report back to draft."""
    with _errors(), _engine().begin() as conn:
        report_store.unpublish(conn, report_id)
        user_store.audit(conn, "cli", "report-unpublish", f"report:{report_id}")
    out.print(f"Report {report_id} is a draft again.", highlight=False)


@report_app.command("list")
def report_list(limit: LimitOpt = 50, json_out: JsonOpt = False) -> None:
    """Saved reports and drafts, newest first."""
    with _errors(), _engine().connect() as conn:
        found = report_store.list_reports(conn, published_only=False, limit=limit)
    if json_out:
        _print_json([{"id": r.id, "title": r.title, "status": r.status, "tier": r.tier.value, "date": iso(r.date),
                      "story_id": r.story_id} for r in found])
        return
    table = Table("id", "status", "tier", "date", "title")
    for r in found:
        table.add_row(str(r.id), r.status, r.tier.value, f"{r.date:%Y-%m-%d}", r.title)
    out.print(table)
