"""`watchfloor alerts`: watchlists and rules, delivered by e-mail, webhook and in the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from watchfloor.cli.common import JsonOpt, State, engine, errors, out, print_json
from watchfloor.errors import InvalidInput

if TYPE_CHECKING:
    from watchfloor.store.alerts import Rule

__all__ = ["alerts_app"]

alerts_app = typer.Typer(no_args_is_help=True, help="Alerts: rules matched against new posts and stories.")


def _rule_json(rule: Rule) -> dict[str, object]:
    return {"id": rule.id, "name": rule.name, "kind": rule.kind, "value": rule.value, "channels": rule.channels,
            "mode": rule.mode, "cursor": rule.cursor}


@alerts_app.command("add")
def alerts_add(
    entity: Annotated[str | None, typer.Option(help="Alert when this entry is named (e.g. org:hezbollah).")] = None,
    keyword: Annotated[str | None, typer.Option(help="Alert on a word or phrase, in any script.")] = None,
    source: Annotated[str | None, typer.Option(help="Alert when this source posts.")] = None,
    affiliation: Annotated[str | None, typer.Option(help="Alert when a source with this affiliation posts.")] = None,
    story_sources: Annotated[int | None, typer.Option(help="Alert when a story reaches N sources.")] = None,
    email: Annotated[list[str] | None, typer.Option(help="Send to this address; repeat for more.")] = None,
    webhook: Annotated[list[str] | None, typer.Option(help="POST signed JSON to this URL; repeat.")] = None,
    app_only: Annotated[bool, typer.Option("--app", help="Show in the web app's alerts page.")] = False,
    digest: Annotated[bool, typer.Option(help="Collect into a digest (`alerts run --digest`) "
                                              "instead of sending at once.")] = False,
    backfill: Annotated[bool, typer.Option(help="Also match posts stored before the rule.")] = False,
    name: Annotated[str | None, typer.Option(help="A name for the rule.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Add a rule: exactly one of --entity, --keyword, --source, --affiliation, --story-sources."""
    from watchfloor.alerts.watch import check_rule
    from watchfloor.store import alerts as alert_store
    from watchfloor.store import users as user_store

    given = {"entity": entity, "keyword": keyword, "source": source, "affiliation": affiliation,
             "story": str(story_sources) if story_sources is not None else None}
    chosen = {k: v for k, v in given.items() if v is not None}
    channels = ["app"] if app_only else []
    channels += [f"email:{a}" for a in email or []] + [f"webhook:{u}" for u in webhook or []]
    with errors():
        if len(chosen) != 1:
            raise InvalidInput("give exactly one of --entity, --keyword, --source, --affiliation, --story-sources")
        ((kind, value),) = chosen.items()
        mode = "digest" if digest else "immediate"
        check_rule(kind, value, channels or ["app"], mode)
        with engine().begin() as conn:
            rule = alert_store.add_rule(conn, name or f"{kind} {value}", kind, value, channels or ["app"], mode,
                                        backfill)
            user_store.audit(conn, "cli", "alert-add", f"alert:{rule.id}", _rule_json(rule))
    if json_out:
        print_json(_rule_json(rule))
    else:
        out.print(f"Alert rule {rule.id} added: {rule.name} → {', '.join(rule.channels)} ({rule.mode}).",
                  highlight=False)


@alerts_app.command("list")
def alerts_list(json_out: JsonOpt = False) -> None:
    """The active rules."""
    from rich.table import Table

    from watchfloor.alerts.watch import KINDS
    from watchfloor.store import alerts as alert_store

    with errors(), engine().connect() as conn:
        rules = alert_store.list_rules(conn)
    if json_out:
        print_json([_rule_json(r) for r in rules])
        return
    table = Table("id", "name", "kind", "value", "channels", "mode")
    for rule in rules:
        table.add_row(str(rule.id), rule.name, rule.kind, rule.value, ", ".join(rule.channels), rule.mode)
    out.print(table)
    out.print("Kinds: " + "; ".join(f"{k}: {v}" for k, v in KINDS.items()), highlight=False)


@alerts_app.command("remove")
def alerts_remove(rule_id: int) -> None:
    """Delete a rule and its history."""
    from watchfloor.store import alerts as alert_store
    from watchfloor.store import users as user_store

    with errors(), engine().begin() as conn:
        alert_store.remove_rule(conn, rule_id)
        user_store.audit(conn, "cli", "alert-remove", f"alert:{rule_id}")
    out.print(f"Alert rule {rule_id} removed.", highlight=False)


@alerts_app.command("test")
def alerts_test(rule_id: int, json_out: JsonOpt = False) -> None:
    """Send a test notification through every channel of a rule, and say what happened."""
    from watchfloor.alerts.notifiers import post_webhook, send_mail
    from watchfloor.alerts.watch import parse_channel
    from watchfloor.errors import SourceUnavailable
    from watchfloor.store import alerts as alert_store

    results = []
    with errors():
        with engine().connect() as conn:
            rule = alert_store.get_rule(conn, rule_id)
        for channel in rule.channels:
            kind, target = parse_channel(channel)
            try:
                if kind == "email":
                    send_mail(State.settings, target, f"[Watchfloor] test of alert rule {rule.id} ({rule.name})",
                              "This is a test; the rule's real alerts will look like this one's subject.")
                elif kind == "webhook":
                    post_webhook(State.settings, target, {"test": True, "rule": _rule_json(rule)})
                results.append({"channel": channel, "ok": True, "error": None})
            except SourceUnavailable as exc:
                results.append({"channel": channel, "ok": False, "error": str(exc)})
    if json_out:
        print_json(results)
    else:
        for result in results:
            out.print(f"{result['channel']}: {'ok' if result['ok'] else result['error']}", highlight=False)
    if not all(r["ok"] for r in results):
        raise typer.Exit(1)


@alerts_app.command("run")
def alerts_run(digest: Annotated[bool, typer.Option(help="Also send the digests.")] = False,
               json_out: JsonOpt = False) -> None:
    """Match rules against new posts and stories and send what is due (retries included)."""
    from watchfloor.alerts.watch import run_alerts

    with errors():
        done = run_alerts(engine(), State.settings, digest=digest)
    if json_out:
        print_json({"matched": done.matched, "sent": done.sent, "retrying": done.retrying, "failed": done.failed,
                    "errors": done.errors})
    else:
        out.print(f"{done.matched} new match(es); {done.sent} sent, {done.retrying} to retry, "
                  f"{done.failed} given up.", highlight=False)
        for error in done.errors:
            out.print(f"  {error}", highlight=False)
