"""The `watchfloor` command: one module per command group, each command parsing its arguments, calling the
library and printing (Rich for people, --json for scripts). Every module here is light at import time, so
`watchfloor --help` starts at once; a command imports what it needs when it runs."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from watchfloor.cli import process as process_commands
from watchfloor.cli.accounts import apikey_app, users_app
from watchfloor.cli.alerts import alerts_app
from watchfloor.cli.common import State
from watchfloor.cli.export import export_app
from watchfloor.cli.kb import kb_app
from watchfloor.cli.media import media_app
from watchfloor.cli.models import models_app
from watchfloor.cli.monitor import collect, run_monitor
from watchfloor.cli.network import network_app
from watchfloor.cli.posts import posts_app
from watchfloor.cli.referrals import referrals_app
from watchfloor.cli.report import report_app
from watchfloor.cli.sources import import_app, sources_app
from watchfloor.cli.stories import stories_app
from watchfloor.cli.translate import translate_app
from watchfloor.settings import load_settings

__all__ = ["app", "main"]

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Watchfloor: Telegram channels to analysed posts, cross-channel stories and reports.")
app.command("init")(process_commands.init)
app.command("collect")(collect)
app.command("run")(run_monitor)
app.command("process")(process_commands.process)
app.command("serve")(process_commands.serve)
app.command("demo")(process_commands.demo)
for group, name in ((sources_app, "sources"), (import_app, "import"), (posts_app, "posts"),
                    (stories_app, "stories"), (report_app, "report"), (kb_app, "kb"), (users_app, "users"),
                    (apikey_app, "apikey"), (alerts_app, "alerts"), (network_app, "network"),
                    (export_app, "export"), (referrals_app, "referrals"), (models_app, "models"),
                    (media_app, "media"), (translate_app, "translate")):
    app.add_typer(group, name=name)


@app.callback()
def main_options(
    db: Annotated[str | None, typer.Option("--db", envvar="WATCHFLOOR_DB",
                                           help="SQLAlchemy URL or SQLite file path.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False,
) -> None:
    """Global options."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")
    State.settings = load_settings({"db": db})


def main() -> None:
    """Entry point of the console script."""
    app()
