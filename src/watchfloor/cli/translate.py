"""`watchfloor translate`: one text (`translate TEXT`), the queue's worker (`run`), its state (`status`), an
analyst's own English for a post (`set`) and the characters sent to each back-end (`usage`)."""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from watchfloor.cli.common import JsonOpt, State, err, errors, long_engine, out, print_json, progress
from watchfloor.cli.common import engine as open_engine
from watchfloor.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from watchfloor.store.base import Connection

__all__ = ["translate_app", "resolve_post_id"]


class _TextByDefault(TyperGroup):
    """`watchfloor translate TEXT` still translates one text: anything that is not a subcommand is one."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["text", *args]
        return super().parse_args(ctx, args)


translate_app = typer.Typer(cls=_TextByDefault, no_args_is_help=True,
                            help="Translate one text, or run and inspect the translation queue.")


@translate_app.command("text")
def translate_command(
    text: Annotated[str, typer.Argument(help="The text to translate.")],
    source_lang: Annotated[str | None, typer.Option("--from", help="Its language (default: detected).")] = None,
    backend: Annotated[str | None, typer.Option(help="none, ctranslate2, llamacpp, openai or libretranslate "
                                                     "(default: the one configured for the language).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Translate one text to English and label who made the translation."""
    from watchfloor.translate_one import translate_one

    with errors():
        result = translate_one(text, State.settings, source_lang, backend)
    if json_out:
        print_json(result)
        return
    out.print(str(result["text_en"]), markup=False, highlight=False)
    out.print(f"[dim]{result['label']}" + (f"; flagged: {', '.join(result['flags'])}" if result["flags"]
                                          else "") + "[/dim]", highlight=False)


@translate_app.command("run")
def run(
    once: Annotated[bool, typer.Option("--once", help="Stop when nothing is left to claim.")] = False,
    limit: Annotated[int | None, typer.Option(help="Stop after this many posts.", min=1)] = None,
    story: Annotated[int | None, typer.Option(help="Only this story's queued posts.")] = None,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Queue the posts given up again first.")]
    = False,
    background: Annotated[bool, typer.Option(hidden=True, help="Run beside the web app or the monitor: lower CPU "
                                                               "priority, exit when the parent exits.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Drain the translation queue, most urgent posts first (until stopped, or with --once until empty)."""
    from watchfloor.translation_queue import Worker

    with errors(), long_engine() as engine:
        only = None
        if story is not None:
            from watchfloor.store import stories as story_store

            with engine.connect() as conn:
                only = [p.id for p in story_store.get_story(conn, story).posts]
        worker = Worker(engine, State.settings)
        parent = os.getppid()
        if background:
            os.nice(5)
        stop = (lambda: os.getppid() != parent) if background else (lambda: False)
        started = time.monotonic()
        try:
            if background:
                report = worker.run(limit=limit, only=only, should_stop=stop, retry_failed=retry_failed)
            else:
                with progress("Translating") as bar:
                    report = worker.run(once=once or story is not None, limit=limit, only=only, progress=bar,
                                        should_stop=stop, retry_failed=retry_failed)
        except KeyboardInterrupt:
            report = worker.report
    seconds = time.monotonic() - started
    if json_out:
        print_json({"done": report.done, "failed": report.failed, "segments": report.segments,
                    "cached": report.cached, "released": report.released, "seconds": round(seconds, 1),
                    "errors": report.errors[:20]})
        return
    out.print(f"Translated {report.done} post(s) ({report.segments} new segment(s), {report.cached} from the "
              f"cache) in {seconds:.0f} s; {report.failed} failed"
              + (f"; {report.released} taken back from a stopped worker" if report.released else "") + ".",
              highlight=False)
    for error in dict.fromkeys(report.errors[:5]):
        err.print(f"[yellow]failed:[/yellow] {error}", highlight=False)


@translate_app.command("status")
def status(json_out: JsonOpt = False) -> None:
    """The queue: how many posts wait, are done or failed, the rate, the back-ends and what comes next."""
    from rich.table import Table

    from watchfloor.translation_queue import queue_status

    with errors():
        found = queue_status(open_engine(), State.settings)
    if json_out:
        print_json(found)
        return
    eta = f", about {found['eta_minutes']} min to go" if found["eta_minutes"] else ""
    out.print(f"Queued {found['queued']}, being translated {found['running']}, done {found['done']}, "
              f"failed {found['failed']}; {found['rate_per_minute']} post(s)/min over the last hour{eta}.",
              highlight=False)
    out.print("Back-ends: " + ", ".join(f"{lang}={backend}" for lang, backend in found["by_language"].items())
              + f" (default {found['backend']}: {found['label']})", highlight=False)
    if found["next"]:
        table = Table("post", "lang", "back-end", "priority", "why", "status", "tries")
        for row in found["next"]:
            table.add_row(str(row["post_id"]), row["lang"], row["backend"], str(row["priority"]), row["reason"],
                          row["status"], str(row["attempts"]))
        out.print(table)
    for row in found["failures"]:
        err.print(f"[yellow]failed:[/yellow] post {row['post_id']} ({row['backend']}, {row['attempts']} tries): "
                  f"{row['last_error']}", highlight=False)


def resolve_post_id(conn: Connection, ref: str) -> int:
    """A post by its id or as SOURCE/MESSAGE_ID (e.g. telegram:desk/42)."""
    from watchfloor.store import posts as post_store

    if ref.isdigit():
        return int(ref)
    key, _, message = ref.rpartition("/")
    if not key or not message.isdigit():
        raise InvalidInput(f"{ref!r} is neither a post id nor SOURCE/MESSAGE_ID (e.g. telegram:desk/42)")
    post = post_store.find_post(conn, key, int(message))
    if post is None:
        raise NotFound(f"no post {message} of {key}")
    return post.id


@translate_app.command("set")
def set_translation(
    post: Annotated[str, typer.Argument(help="The post: its id, or SOURCE/MESSAGE_ID.")],
    text: Annotated[str | None, typer.Option(help="The English text (default: read from standard input).")] = None,
    author: Annotated[str, typer.Option(help="Who wrote it (shown with the translation).")] = "cli",
    json_out: JsonOpt = False,
) -> None:
    """Write or correct the English of a post: a human translation, ranked above every machine back-end."""
    from watchfloor.translation_queue import save_human

    with errors():
        english = text if text is not None else sys.stdin.read()
        with open_engine().begin() as conn:
            post_id = resolve_post_id(conn, post)
            record = save_human(conn, post_id, english, author, "cli")
    if json_out:
        print_json({"post_id": post_id, "translation": record})
    else:
        out.print(f"Post {post_id}: {record['label']}.", highlight=False)


@translate_app.command("usage")
def usage_command(
    since: Annotated[str | None, typer.Option(help="Count from this day (YYYY-MM-DD; default: ever).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Characters, segments and calls sent to each translation back-end, and this month's characters."""
    from rich.table import Table

    from watchfloor.date_input import parse_day
    from watchfloor.store.usage import usage_summary

    with errors():
        day = parse_day(since, "--since")
        store = open_engine(migrate=True)
        try:
            with store.connect() as conn:
                rows = usage_summary(conn, since=day.date() if day else None)
        finally:
            store.dispose()
    if json_out:
        print_json(rows)
        return
    if not rows:
        out.print("Nothing has been sent to a translation back-end yet.")
        return
    table = Table("back-end", "model", "characters", "this month", "segments", "calls", "from", "to")
    for row in rows:
        table.add_row(row["backend"], row["model"], f"{row['characters']:,}", f"{row['characters_this_month']:,}",
                      f"{row['segments']:,}", f"{row['calls']:,}", row["first_day"], row["last_day"])
    out.print(table)
