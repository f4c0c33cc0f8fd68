"""Accounts and API keys change through one library action with its audit entry, from the command line and
from the admin page alike (watchfloor.accounts)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from conftest import Cli
from watchfloor import accounts
from watchfloor.credentials import token_hash, verify_password
from watchfloor.errors import InvalidInput
from watchfloor.models import Role
from watchfloor.store import users as user_store

PASSWORD = "a long enough password"


def _trail(store: Engine, actor: str) -> list[tuple[str, Any]]:
    with store.connect() as conn:
        entries = [a for a in reversed(user_store.list_audit(conn)) if a["actor"] == actor]
    return [(a["action"], {k: (len(v) if k == "prefix" else v) for k, v in a["detail"].items()}) for a in entries]


def test_the_cli_and_the_library_leave_the_same_audit_trail(store: Engine, cli: Cli) -> None:
    cli("users", "add", "one@example.org", "--role", "analyst", input=PASSWORD + "\n")
    cli("users", "role", "one@example.org", "--role", "subscriber", "--until", "2099-01-31")
    key_id = cli.json("apikey", "create", "one@example.org")["id"]
    cli("apikey", "revoke", str(key_id))

    admin = "admin@example.org"
    with store.begin() as conn:
        user = accounts.add_user(conn, "two@example.org", PASSWORD, Role.ANALYST, None, admin)
        until = datetime(2099, 1, 31, 23, 59, 59, tzinfo=UTC)
        assert accounts.set_user_role(conn, user.id, Role.SUBSCRIBER, until, admin).subscription_until == until
        created = accounts.create_api_key(conn, "two@example.org", admin)
        assert created.key.startswith(created.prefix) and created.owner.id == user.id
        assert user_store.user_for_api_key(conn, token_hash(created.key)) is not None
        accounts.revoke_api_key(conn, created.id, admin)
        assert user_store.user_for_api_key(conn, token_hash(created.key)) is None
        assert verify_password(user_store.password_hash_of(conn, user.id), PASSWORD)

    trail = _trail(store, "cli")
    assert [action for action, _ in trail] == ["user-add", "set-role", "apikey-create", "apikey-revoke"]
    assert trail[1][1] == {"role": "subscriber", "until": "2099-01-31T23:59:59Z"}
    assert trail == _trail(store, admin)


@pytest.mark.parametrize("password", ["", "short", "x" * 9, "y" * 1025])
def test_a_password_outside_the_rules_adds_no_account_and_no_entry(store: Engine, cli: Cli, password: str) -> None:
    refused = cli("users", "add", "three@example.org", input=password + "\n", ok=False)
    assert refused.exit_code == 1 and "password" in refused.stderr
    with pytest.raises(InvalidInput, match="password"), store.begin() as conn:
        accounts.add_user(conn, "three@example.org", password, Role.PUBLIC, None, "admin@example.org")
    with store.connect() as conn:
        assert user_store.find_user(conn, "three@example.org") is None and user_store.list_audit(conn) == []


def test_a_key_for_an_unknown_account_is_refused(store: Engine, cli: Cli) -> None:
    refused = cli("apikey", "create", "nobody@example.org", ok=False)
    assert refused.exit_code == 1 and "no account nobody@example.org" in refused.stderr
