"""Admin pages: users and roles, subscriptions, API keys, sources, and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.engine import Connection

from watchfloor.accounts import create_api_key, revoke_api_key, set_user_role
from watchfloor.errors import InvalidInput
from watchfloor.models import Role, Source
from watchfloor.store import sources as source_store
from watchfloor.store import users as user_store
from watchfloor.translation_queue import queue_status
from watchfloor.web.common import Form, Id, check_csrf, db, end_of_day, render, require

__all__ = ["router"]

router = APIRouter(prefix="/admin")
Conn = Annotated[Connection, Depends(db)]


@router.get("")
def admin_home(request: Request, conn: Conn) -> Any:
    """Users, keys, sources and the latest audit entries."""
    require(request, Role.ADMIN)
    return render(request, "admin.html", users=user_store.list_users(conn), keys=user_store.list_api_keys(conn),
                  sources=source_store.list_sources(conn), audit=user_store.list_audit(conn, 100),
                  now=datetime.now(UTC), new_key=None,
                  queue=queue_status(request.app.state.engine, request.app.state.settings))


@router.post("/users/{user_id}")
def set_role(request: Request, user_id: Id, form: Form) -> Any:
    """Give a user a role; a subscriber's subscription runs to the date given (inclusive)."""
    admin = require(request, Role.ADMIN)
    check_csrf(request, form)
    try:
        role = Role.named(str(form.get("role") or ""))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    until = end_of_day(str(form.get("until") or ""), "until")
    with request.app.state.engine.begin() as conn:
        set_user_role(conn, user_id, role, until, admin.email)
    return RedirectResponse("/admin", status_code=303)


@router.post("/keys")
def create_key(request: Request, form: Form) -> Any:
    """A new API key for a user, shown once."""
    admin = require(request, Role.ADMIN)
    check_csrf(request, form)
    with request.app.state.engine.begin() as conn:
        key = create_api_key(conn, str(form.get("email") or ""), admin.email).key
        return render(request, "admin.html", users=user_store.list_users(conn),
                      keys=user_store.list_api_keys(conn), sources=source_store.list_sources(conn),
                      audit=user_store.list_audit(conn, 100), now=datetime.now(UTC), new_key=key)


@router.post("/keys/{key_id}/revoke")
def revoke_key(request: Request, key_id: Id, form: Form) -> Any:
    """Stop a key from working."""
    admin = require(request, Role.ADMIN)
    check_csrf(request, form)
    with request.app.state.engine.begin() as conn:
        revoke_api_key(conn, key_id, admin.email)
    return RedirectResponse("/admin", status_code=303)


@router.post("/sources")
def add_source(request: Request, form: Form) -> Any:
    """Add a source to watch, or update the fields given for an existing one."""
    admin = require(request, Role.ADMIN)
    check_csrf(request, form)
    parsed = source_store.parse_key(str(form.get("key") or "").strip())
    collector = str(form.get("collector") or "") or None
    if collector not in (None, "telegram-web"):
        raise InvalidInput(f"unknown collector {collector!r}; leave it empty or choose telegram-web")
    tags = [t.strip() for t in str(form.get("tags") or "").split(",") if t.strip()]
    with request.app.state.engine.begin() as conn:
        added = source_store.add_source(conn, Source(
            key=parsed.key, handle=parsed.handle, channel_id=parsed.channel_id,
            name=str(form.get("name") or "").strip() or None,
            affiliation=str(form.get("affiliation") or "").strip() or None,
            lang=str(form.get("lang") or "").strip() or None, tags=tags, collector=collector))
        user_store.audit(conn, admin.email, "source-add", added.key,
                         {"affiliation": added.affiliation, "collector": added.collector})
    return RedirectResponse("/admin", status_code=303)
