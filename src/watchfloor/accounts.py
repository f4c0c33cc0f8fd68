"""What an administrator does to accounts and API keys, the same from the web app's admin page and the
command line: each change writes its entry in the audit log in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from watchfloor.credentials import check_password_rules, hash_password, new_api_key, token_hash
from watchfloor.errors import InvalidInput
from watchfloor.models import Role, User
from watchfloor.store import users as user_store
from watchfloor.store.base import Connection

__all__ = ["NewKey", "add_user", "set_user_role", "create_api_key", "revoke_api_key"]


@dataclass(frozen=True)
class NewKey:
    """A key as created: the secret itself is shown once and stored only as its hash."""

    id: int
    key: str
    prefix: str
    owner: User


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else None


def add_user(conn: Connection, email: str, password: str, role: Role, until: datetime | None,
             actor: str | None) -> User:
    """A new account with a password that passes the rules (audited as user-add)."""
    check_password_rules(password)
    user = user_store.create_user(conn, email, hash_password(password), role, until)
    user_store.audit(conn, actor, "user-add", user.email, {"role": user.role.label})
    return user


def set_user_role(conn: Connection, user_id: int, role: Role, until: datetime | None, actor: str | None) -> User:
    """Give an account a role; a subscriber's subscription runs to ``until`` (audited as set-role)."""
    user = user_store.set_role(conn, user_id, role, until)
    user_store.audit(conn, actor, "set-role", user.email,
                     {"role": user.role.label, "until": _iso(user.subscription_until)})
    return user


def create_api_key(conn: Connection, email: str, actor: str | None) -> NewKey:
    """A new API key for the account with that address (audited as apikey-create, with its prefix only)."""
    owner = user_store.find_user(conn, email)
    if owner is None:
        raise InvalidInput(f"no account {email}; add it first (`watchfloor users add` or the admin page)")
    key, prefix = new_api_key()
    key_id = user_store.create_api_key(conn, owner.id, token_hash(key), prefix)
    user_store.audit(conn, actor, "apikey-create", owner.email, {"prefix": prefix})
    return NewKey(key_id, key, prefix, owner)


def revoke_api_key(conn: Connection, key_id: int, actor: str | None) -> None:
    """Stop a key from working (audited as apikey-revoke)."""
    user_store.revoke_api_key(conn, key_id)
    user_store.audit(conn, actor, "apikey-revoke", f"key:{key_id}")
