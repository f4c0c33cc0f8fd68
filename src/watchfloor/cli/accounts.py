"""`watchfloor users` and `watchfloor apikey`: accounts and API keys for the web app."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Annotated

import typer

from watchfloor.cli.common import JsonOpt, engine, errors, out, print_json
from watchfloor.date_input import end_of_day
from watchfloor.errors import InvalidInput
from watchfloor.models import Role

__all__ = ["users_app", "apikey_app"]

users_app = typer.Typer(no_args_is_help=True, help="Accounts of the web app.")
apikey_app = typer.Typer(no_args_is_help=True, help="Keys for the JSON API.")
ACTOR = "cli"  # who the audit log names for the command line
RoleOpt = Annotated[str, typer.Option("--role", help="public, subscriber, analyst or admin.")]


def _role(name: str) -> Role:
    try:
        return Role.named(name)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def _until(value: str | None) -> datetime | None:
    return end_of_day(value, "--until")


@users_app.command("add")
def users_add(email: str, role: RoleOpt = "public",
              until: Annotated[str | None, typer.Option(help="A subscriber's last day (YYYY-MM-DD).")] = None,
              json_out: JsonOpt = False) -> None:
    """Add an account; the password is read from standard input (one line)."""
    from watchfloor.accounts import add_user
    from watchfloor.shapes import iso

    with errors():
        password = sys.stdin.readline().rstrip("\r\n")
        with engine().begin() as conn:
            user = add_user(conn, email, password, _role(role), _until(until), ACTOR)
    if json_out:
        print_json({"id": user.id, "email": user.email, "role": user.role.label,
                    "subscription_until": iso(user.subscription_until)})
    else:
        out.print(f"Added {user.email} as {user.role.label}.", highlight=False)


@users_app.command("role")
def users_role(email: str, role: RoleOpt,
               until: Annotated[str | None, typer.Option(help="A subscriber's last day (YYYY-MM-DD).")] = None) -> None:
    """Change an account's role (grant a subscription with --role subscriber --until DATE)."""
    from watchfloor.accounts import set_user_role
    from watchfloor.store import users as user_store

    with errors(), engine().begin() as conn:
        user = user_store.find_user(conn, email)
        if user is None:
            raise InvalidInput(f"no account {email}; add it with `watchfloor users add`")
        user = set_user_role(conn, user.id, _role(role), _until(until), ACTOR)
    until_text = f" until {user.subscription_until:%Y-%m-%d}" if user.subscription_until else ""
    out.print(f"{user.email} is now {user.role.label}{until_text}.", highlight=False)


@users_app.command("list")
def users_list(json_out: JsonOpt = False) -> None:
    """Every account with its role."""
    from rich.table import Table

    from watchfloor.shapes import iso
    from watchfloor.store import users as user_store

    with errors(), engine().connect() as conn:
        found = user_store.list_users(conn)
    if json_out:
        print_json([{"id": u.id, "email": u.email, "role": u.role.label,
                     "subscription_until": iso(u.subscription_until), "created_at": iso(u.created_at)}
                    for u in found])
        return
    table = Table("id", "email", "role", "subscription until")
    for u in found:
        table.add_row(str(u.id), u.email, u.role.label,
                      f"{u.subscription_until:%Y-%m-%d}" if u.subscription_until else "")
    out.print(table)


@apikey_app.command("create")
def apikey_create(email: str, json_out: JsonOpt = False) -> None:
    """Create an API key for an account and print it (it is stored hashed and never shown again)."""
    from watchfloor.accounts import create_api_key

    with errors(), engine().begin() as conn:
        created = create_api_key(conn, email, ACTOR)
    if json_out:
        print_json({"id": created.id, "email": created.owner.email, "key": created.key})
    else:
        sys.stdout.write(created.key + "\n")


@apikey_app.command("list")
def apikey_list(json_out: JsonOpt = False) -> None:
    """Keys with their owner and use (never the keys themselves)."""
    from rich.table import Table

    from watchfloor.shapes import iso
    from watchfloor.store import users as user_store

    with errors(), engine().connect() as conn:
        rows = [{**k, "created_at": iso(k["created_at"]), "last_used_at": iso(k["last_used_at"]),
                 "revoked_at": iso(k["revoked_at"])} for k in user_store.list_api_keys(conn)]
    if json_out:
        print_json(rows)
        return
    table = Table("id", "prefix", "owner", "last used", "revoked")
    for row in rows:
        table.add_row(str(row["id"]), row["prefix"] + "…", row["email"], row["last_used_at"] or "never",
                      row["revoked_at"] or "")
    out.print(table)


@apikey_app.command("revoke")
def apikey_revoke(key_id: int) -> None:
    """Stop a key from working."""
    from watchfloor.accounts import revoke_api_key

    with errors(), engine().begin() as conn:
        revoke_api_key(conn, key_id, ACTOR)
    out.print(f"Key {key_id} revoked.", highlight=False)
