"""Accounts, sessions, API keys, log-in failures, password resets and the audit log.

Secrets never reach the database: sessions, keys and reset tokens are stored as SHA-256 hashes and
passwords as the argon2 hashes the caller computed.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.errors import InvalidInput, NotFound
from watchfloor.models import Role, User
from watchfloor.store.db import insert_id
from watchfloor.store.tables import api_keys, audit_log, password_resets, sessions, users

__all__ = [
    "normal_email", "create_user", "get_user", "find_user", "list_users", "set_role", "password_hash_of",
    "set_password",
    "create_session", "user_for_session", "delete_session",
    "create_api_key", "user_for_api_key", "list_api_keys", "revoke_api_key",
    "create_reset", "use_reset", "audit", "list_audit",
]


def _now() -> datetime:
    return datetime.now(UTC)


def _user(row: Any) -> User:
    return User(id=row.id, email=row.email, role=Role.named(row.role), subscription_until=row.subscription_until,
                created_at=row.created_at)


def normal_email(email: str) -> str:
    """E-mail addresses compare case-insensitively and without surrounding space."""
    cleaned = email.strip().lower()
    local, at, domain = cleaned.partition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in cleaned) or len(cleaned) > 320:
        raise InvalidInput(f"{email!r} is not an e-mail address")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in cleaned):
        raise InvalidInput(f"{email!r} is not an e-mail address (it has control or invisible characters)")
    return cleaned


def create_user(conn: Connection, email: str, password_hash: str, role: Role = Role.PUBLIC,
                subscription_until: datetime | None = None) -> User:
    """A new account; an address already registered is refused."""
    address = normal_email(email)
    if conn.execute(sa.select(users.c.id).where(users.c.email == address)).first() is not None:
        raise InvalidInput(f"{address} is already registered; log in or reset the password")
    user_id = insert_id(conn, users.insert().values(
        email=address, password_hash=password_hash, role=role.label, subscription_until=subscription_until,
        created_at=_now()))
    return get_user(conn, int(user_id))


def get_user(conn: Connection, user_id: int) -> User:
    """The user with an id."""
    row = conn.execute(sa.select(users).where(users.c.id == user_id)).first()
    if row is None:
        raise NotFound(f"no user {user_id}")
    return _user(row)


def find_user(conn: Connection, email: str) -> User | None:
    """The user with an address, or None."""
    try:
        address = normal_email(email)
    except InvalidInput:
        return None
    row = conn.execute(sa.select(users).where(users.c.email == address)).first()
    return _user(row) if row is not None else None


def password_hash_of(conn: Connection, user_id: int) -> str:
    """The stored password hash of a user."""
    return str(conn.execute(sa.select(users.c.password_hash).where(users.c.id == user_id)).scalar_one())


def set_password(conn: Connection, user_id: int, password_hash: str, keep_session: str | None = None) -> None:
    """Replace a password hash; every session of the user ends (but the one whose token hash is
    ``keep_session``, when the user changed it there) and every outstanding reset link stops working."""
    conn.execute(users.update().where(users.c.id == user_id).values(password_hash=password_hash))
    ended = sessions.delete().where(sessions.c.user_id == user_id)
    if keep_session is not None:
        ended = ended.where(sessions.c.token_hash != keep_session)
    conn.execute(ended)
    conn.execute(password_resets.update().where(password_resets.c.user_id == user_id,
                                                password_resets.c.used_at.is_(None)).values(used_at=_now()))


def list_users(conn: Connection) -> list[User]:
    """Every account, oldest first."""
    return [_user(row) for row in conn.execute(sa.select(users).order_by(users.c.id))]


def set_role(conn: Connection, user_id: int, role: Role, subscription_until: datetime | None = None) -> User:
    """Give a user a role (and, for subscribers, an expiry date)."""
    get_user(conn, user_id)
    conn.execute(users.update().where(users.c.id == user_id).values(
        role=role.label, subscription_until=subscription_until if role == Role.SUBSCRIBER else None))
    return get_user(conn, user_id)


def create_session(conn: Connection, user_id: int, token_hash: str, lifetime: timedelta) -> None:
    """Remember a session; expired ones are swept at the same time."""
    now = _now()
    conn.execute(sessions.delete().where(sessions.c.expires_at < now))
    conn.execute(sessions.insert().values(token_hash=token_hash, user_id=user_id, created_at=now,
                                          expires_at=now + lifetime))


def user_for_session(conn: Connection, token_hash: str) -> User | None:
    """The user of a live session, or None."""
    row = conn.execute(sa.select(users).join(sessions, sessions.c.user_id == users.c.id)
                       .where(sessions.c.token_hash == token_hash, sessions.c.expires_at > _now())).first()
    return _user(row) if row is not None else None


def delete_session(conn: Connection, token_hash: str) -> None:
    """End a session."""
    conn.execute(sessions.delete().where(sessions.c.token_hash == token_hash))


def create_api_key(conn: Connection, user_id: int, key_hash: str, prefix: str) -> int:
    """Store a new key's hash; returns its id."""
    get_user(conn, user_id)
    return int(insert_id(conn, api_keys.insert().values(user_id=user_id, key_hash=key_hash, prefix=prefix,
                                                     created_at=_now())))


def user_for_api_key(conn: Connection, key_hash: str) -> User | None:
    """The owner of a live key (and note its use), or None."""
    row = conn.execute(sa.select(users, api_keys.c.id.label("key_id")).join(api_keys, api_keys.c.user_id == users.c.id)
                       .where(api_keys.c.key_hash == key_hash, api_keys.c.revoked_at.is_(None))).first()
    if row is None:
        return None
    conn.execute(api_keys.update().where(api_keys.c.id == row.key_id).values(last_used_at=_now()))
    return _user(row)


def list_api_keys(conn: Connection, user_id: int | None = None) -> list[dict[str, Any]]:
    """Keys (never their values): id, owner, prefix, times, revoked."""
    query = (sa.select(api_keys, users.c.email).join(users, users.c.id == api_keys.c.user_id)
             .order_by(api_keys.c.id))
    if user_id is not None:
        query = query.where(api_keys.c.user_id == user_id)
    return [{"id": r.id, "email": r.email, "prefix": r.prefix, "created_at": r.created_at,
             "last_used_at": r.last_used_at, "revoked_at": r.revoked_at} for r in conn.execute(query)]


def revoke_api_key(conn: Connection, key_id: int) -> None:
    """Stop a key from working."""
    done = conn.execute(api_keys.update().where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                        .values(revoked_at=_now()))
    if done.rowcount == 0:
        raise NotFound(f"no live API key {key_id}")


def create_reset(conn: Connection, user_id: int, token_hash: str, lifetime: timedelta) -> None:
    """A one-time password-reset token."""
    conn.execute(password_resets.insert().values(token_hash=token_hash, user_id=user_id,
                                                 expires_at=_now() + lifetime))


def use_reset(conn: Connection, token_hash: str, spend: bool = True) -> int | None:
    """Spend a live reset token (or, with ``spend=False``, only look): the user id, or None when unknown,
    used or expired."""
    now = _now()
    row = conn.execute(sa.select(password_resets).where(
        password_resets.c.token_hash == token_hash, password_resets.c.used_at.is_(None),
        password_resets.c.expires_at > now)).first()
    if row is None:
        return None
    if spend:
        done = conn.execute(password_resets.update().where(password_resets.c.token_hash == token_hash,
                                                           password_resets.c.used_at.is_(None)).values(used_at=now))
        if done.rowcount == 0:
            return None
    return int(row.user_id)


def audit(conn: Connection, actor: str | None, action: str, target: str | None = None,
          detail: dict[str, Any] | None = None) -> None:
    """Record what an analyst or admin (or the command line) did."""
    insert_id(conn, audit_log.insert().values(at=_now(), actor=actor, action=action, target=target,
                                           detail=detail or {}))


def list_audit(conn: Connection, limit: int = 200) -> list[dict[str, Any]]:
    """The newest audit entries first."""
    rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit))
    return [{"at": r.at, "actor": r.actor, "action": r.action, "target": r.target, "detail": r.detail} for r in rows]
