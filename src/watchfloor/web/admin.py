"""Admin pages: users and roles, subscriptions, API keys, sources, and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from watchfloor.accounts import create_api_key, revoke_api_key, set_user_role
from watchfloor.collect import collector_names, new_source
from watchfloor.errors import InvalidInput
from watchfloor.models import Role
from watchfloor.store import sources as source_store
from watchfloor.store import users as user_store
from watchfloor.store.base import Connection
from watchfloor.translation_queue import queue_status
from watchfloor.web.common import Form, Id, check_csrf, db, end_of_day, render
from watchfloor.web.roles import ADMIN, AdminUser

__all__ = ["router"]

router = APIRouter(prefix="/admin", dependencies=[Depends(ADMIN)])
Conn = Annotated[Connection, Depends(db)]


@router.get("")
def admin_home(request: Request, conn: Conn) -> Any:
    """Users, keys, sources and the latest audit entries."""
    return render(request, "admin.html", users=user_store.list_users(conn), keys=user_store.list_api_keys(conn),
                  sources=source_store.list_sources(conn), audit=user_store.list_audit(conn, 100),
                  now=datetime.now(UTC), new_key=None, collectors=collector_names(),
                  queue=queue_status(request.app.state.engine, request.app.state.settings))


@router.post("/users/{user_id}")
def set_role(request: Request, user_id: Id, form: Form, admin: AdminUser) -> Any:
    """Give a user a role; a subscriber's subscription runs to the date given (inclusive)."""
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
def create_key(request: Request, form: Form, admin: AdminUser) -> Any:
    """A new API key for a user, shown once."""
    check_csrf(request, form)
    with request.app.state.engine.begin() as conn:
        key = create_api_key(conn, str(form.get("email") or ""), admin.email).key
        return render(request, "admin.html", users=user_store.list_users(conn),
                      keys=user_store.list_api_keys(conn), sources=source_store.list_sources(conn),
                      audit=user_store.list_audit(conn, 100), now=datetime.now(UTC), new_key=key,
                      collectors=collector_names())


@router.post("/keys/{key_id}/revoke")
def revoke_key(request: Request, key_id: Id, form: Form, admin: AdminUser) -> Any:
    """Stop a key from working."""
    check_csrf(request, form)
    with request.app.state.engine.begin() as conn:
        revoke_api_key(conn, key_id, admin.email)
    return RedirectResponse("/admin", status_code=303)


@router.post("/sources")
def add_source(request: Request, form: Form, admin: AdminUser) -> Any:
    """Add a source to watch, or update the fields given for an existing one."""
    check_csrf(request, form)
    tags = [t.strip() for t in str(form.get("tags") or "").split(",") if t.strip()]
    source = new_source(str(form.get("key") or "").strip(), str(form.get("collector") or "") or None,
                        name=str(form.get("name") or "").strip() or None,
                        affiliation=str(form.get("affiliation") or "").strip() or None,
                        lang=str(form.get("lang") or "").strip() or None, tags=tags)
    with request.app.state.engine.begin() as conn:
        added = source_store.add_source(conn, source)
        user_store.audit(conn, admin.email, "source-add", added.key,
                         {"affiliation": added.affiliation, "collector": added.collector})
    return RedirectResponse("/admin", status_code=303)
