"""The `watchfloor referrals` commands: refer a story's or a channel's URLs to a platform for takedown,
check which are still up, and export the evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from watchfloor.cli.common import JsonOpt, engine, errors, out, print_json

__all__ = ["referrals_app"]

referrals_app = typer.Typer(no_args_is_help=True, help="Takedown referrals: URLs referred to a platform.")
ReferralOpt = Annotated[int | None, typer.Option("--referral", help="Only this referral (default: all).")]


@referrals_app.command("create")
def referrals_create(story: Annotated[int | None, typer.Option(help="Refer this story's posts.")] = None,
                     source: Annotated[str | None, typer.Option(help="Refer this channel and all its posts.")] = None,
                     platform: Annotated[str, typer.Option(help="Where the referral goes: telegram.")] = "telegram",
                     json_out: JsonOpt = False) -> None:
    """Record a referral of a story's posts, or of a channel and its posts, with their evidence."""
    from watchfloor.exports import referrals as referral_exports

    with errors():
        referral_id, count = referral_exports.create_referral(engine(), story, source, platform)
    if json_out:
        print_json({"id": referral_id, "urls": count})
    else:
        out.print(f"Referral {referral_id}: {count} URL(s). Check them with `watchfloor referrals check`.",
                  highlight=False)


@referrals_app.command("list")
def referrals_list(json_out: JsonOpt = False) -> None:
    """Referrals, newest first, with how many of their URLs are up, removed or not yet checked."""
    from rich.table import Table

    from watchfloor.shapes import iso
    from watchfloor.store import referrals as referral_store

    with errors(), engine().connect() as conn:
        found = referral_store.list_referrals(conn)
    if json_out:
        print_json([{"id": r.id, "platform": r.platform, "subject": r.subject, "created_at": iso(r.created_at),
                     "urls": r.items, **r.counts, "last_checked": iso(r.last_checked)} for r in found])
        return
    table = Table("id", "created (UTC)", "platform", "subject", "urls", "up", "removed", "pending", "error",
                  "last checked")
    for r in found:
        table.add_row(str(r.id), iso(r.created_at) or "", r.platform, r.subject, str(r.items), str(r.counts["up"]),
                      str(r.counts["removed"]), str(r.counts["pending"]), str(r.counts["error"]),
                      iso(r.last_checked) or "")
    out.print(table)


@referrals_app.command("check")
def referrals_check(referral: ReferralOpt = None,
                    base_url: Annotated[str, typer.Option(help="Where t.me is reached (a mirror, a test server).")]
                    = "https://t.me",
                    allow_loopback: Annotated[bool, typer.Option(help="Allow a base URL on this machine (tests).",
                                                                 hidden=True)] = False,
                    delay: Annotated[float, typer.Option(help="Seconds between two requests.")] = 1.0,
                    json_out: JsonOpt = False) -> None:
    """Fetch every referred URL again and record whether it is still up or removed, and when."""
    from watchfloor.exports import referrals as referral_exports

    with errors():
        report = referral_exports.check_referrals(engine(), referral, base_url, allow_loopback, delay)
    if json_out:
        print_json({"checked": report.checked, **report.counts, "newly_removed": report.newly_removed})
        return
    out.print(f"{report.checked} URL(s) checked: {report.counts['up']} up, {report.counts['removed']} removed "
              f"({len(report.newly_removed)} since the last check), {report.counts['error']} could not be checked.",
              highlight=False)


@referrals_app.command("export")
def referrals_export(referral: ReferralOpt = None,
                     fmt: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
                     path: Annotated[Path | None, typer.Option("--out", help="File to write (default: standard "
                                                                             "output).")] = None) -> None:
    """The referred URLs with post ids, capture times, content hashes and the latest check."""
    from watchfloor.exports import referrals as referral_exports
    from watchfloor.exports.output import write_whole

    with errors(), engine().connect() as conn:
        count = write_whole(path, lambda target: referral_exports.write_items(conn, target, referral, fmt))
    if path is not None:
        out.print(f"{count} URL(s) written to {path}.", highlight=False)
