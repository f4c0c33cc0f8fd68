"""Accounts: registering, logging in and out, password resets, with limits per address and per client.

Every route here is a plain function: FastAPI runs it in a worker thread, so argon2 hashing and database
work never hold up the event loop. Log-in and reset requests answer the same, after the same work, whether
or not the address has an account.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import cache
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from starlette.background import BackgroundTask

from watchfloor.alerts.notifiers import send_mail
from watchfloor.errors import InvalidInput, SourceUnavailable
from watchfloor.settings import Settings
from watchfloor.store import limits
from watchfloor.store import users as user_store
from watchfloor.store.base import Connection
from watchfloor.web.auth import (
    SESSION_COOKIE,
    check_password_rules,
    hash_password,
    new_token,
    renew_csrf,
    token_hash,
    verify_password,
)
from watchfloor.web.common import (
    Form,
    NeedsLogin,
    check_csrf,
    engine_of,
    field,
    render,
    safe_next,
    settings_of,
)
from watchfloor.web.roles import ANYONE, SignedInUser

__all__ = ["router", "start_session", "RESET_SENT", "WINDOW"]

log = logging.getLogger("watchfloor")
router = APIRouter()
WINDOW = timedelta(minutes=15)
RESET_SENT = "If that address has an account, a link to set a new password is on its way."
TOO_MANY_FROM_CLIENT = "Too many attempts from your connection; wait 15 minutes and retry."


@cache
def _dummy_hash() -> str:
    """An argon2 hash of nothing anyone knows: unknown addresses are checked against it, so that a log-in
    costs the same work whether or not the address has an account."""
    return hash_password(new_token())


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _limit(conn: Connection, request: Request, action: str, address: str) -> str | None:
    """Why this form is refused now ('address' or 'client'), or None: the address's and the client's
    attempts within the window are counted whether or not the address has an account."""
    settings = settings_of(request)
    if limits.recent_attempts(conn, action, f"address:{address}", WINDOW) >= settings.number("login_attempts"):
        return "address"
    if limits.recent_attempts(conn, action, f"client:{_client(request)}", WINDOW) >= settings.number(
            "client_attempts"):
        return "client"
    return None


def _count(conn: Connection, request: Request, action: str, address: str) -> None:
    limits.record_attempt(conn, action, f"address:{address}")
    limits.record_attempt(conn, action, f"client:{_client(request)}")


def start_session(conn: Connection, request: Request, user_id: int, response: Response) -> None:
    """Log a user in: a new random session token in an HttpOnly, SameSite cookie, and a new CSRF token."""
    token = new_token()
    lifetime = timedelta(days=settings_of(request).number("session_days"))
    user_store.create_session(conn, user_id, token_hash(token), lifetime)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", max_age=int(lifetime.total_seconds()),
                        secure=request.url.scheme == "https")
    renew_csrf(request, response)


@router.get("/register", dependencies=[Depends(ANYONE)])
def register_form(request: Request) -> Any:
    """The registration form."""
    return render(request, "register.html", error=None, email="")


@router.post("/register", dependencies=[Depends(ANYONE)])
def register(request: Request, form: Form) -> Any:
    """Create an account (public role) and log it in."""
    check_csrf(request, form)
    email, password = field(form, "email"), field(form, "password")
    engine = engine_of(request)
    with engine.begin() as conn:
        refused = _limit(conn, request, "register", email)
        if refused is None:
            _count(conn, request, "register", email)
    if refused is not None:
        error = ("Too many registrations for this address; wait 15 minutes." if refused == "address"
                 else TOO_MANY_FROM_CLIENT)
        return render(request, "register.html", 429, error=error, email=email)
    try:
        check_password_rules(password)
        user_store.normal_email(email)
        hashed = hash_password(password)
        with engine.begin() as conn:
            user = user_store.create_user(conn, email, hashed)
            response = RedirectResponse("/", status_code=303)
            start_session(conn, request, user.id, response)
            user_store.audit(conn, user.email, "register", user.email)
    except InvalidInput as exc:
        return render(request, "register.html", 400, error=str(exc), email=email)
    return response


@router.get("/login", dependencies=[Depends(ANYONE)])
def login_form(request: Request, next: str = "/") -> Any:
    """The log-in form."""
    return render(request, "login.html", error=None, email="", next=safe_next(next))


@router.post("/login", dependencies=[Depends(ANYONE)])
def login(request: Request, form: Form) -> Any:
    """Check a password; after too many failures for an address or from a client, refuse for a while."""
    check_csrf(request, form)
    email, password = field(form, "email"), field(form, "password")
    target = safe_next(field(form, "next") or "/")
    engine = engine_of(request)
    with engine.begin() as conn:
        refused = _limit(conn, request, "login", email)
        user = user_store.find_user(conn, email) if refused is None else None
        stored = user_store.password_hash_of(conn, user.id) if user else None
    if refused is not None:
        error = ("Too many failed log-ins for this address; wait 15 minutes or reset the password."
                 if refused == "address" else TOO_MANY_FROM_CLIENT)
        return render(request, "login.html", 429, email=email, next=target, error=error)
    # the same argon2 work for an unknown address as for a known one, outside any transaction
    matches = verify_password(stored or _dummy_hash(), password) and stored is not None
    with engine.begin() as conn:
        if user is None or not matches:
            _count(conn, request, "login", email)
        else:
            limits.clear_attempts(conn, "login", f"address:{email}")
            response = RedirectResponse(target, status_code=303)
            start_session(conn, request, user.id, response)
            return response
    return render(request, "login.html", 401, email=email, next=target, error="Wrong e-mail address or password.")


@router.post("/logout", dependencies=[Depends(ANYONE)])
def logout(request: Request, form: Form) -> Any:
    """End the session (and start a new CSRF token)."""
    check_csrf(request, form)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with engine_of(request).begin() as conn:
            user_store.delete_session(conn, token_hash(token))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    renew_csrf(request, response)
    return response


@router.get("/reset", dependencies=[Depends(ANYONE)])
def reset_form(request: Request) -> Any:
    """Ask for a password-reset e-mail."""
    return render(request, "reset.html", message=None, error=None)


def _send_reset(settings: Settings, user_id: int, email: str, link: str) -> None:
    """Send a reset link after the answer has gone (so the answer takes no longer for a real account);
    a mail server that cannot be reached is logged here, never shown to the person asking."""
    try:
        send_mail(settings, email, f"{settings.get('org_name')}: set a new password",
                  f"Someone asked to reset the password of {email}.\n\n"
                  f"Set a new one within the hour at:\n{link}\n\nIf it was not you, ignore this e-mail.")
    except SourceUnavailable as exc:
        log.error("password-reset e-mail for user %s not sent: %s", user_id, exc)


@router.post("/reset", dependencies=[Depends(ANYONE)])
def reset_request(request: Request, form: Form) -> Any:
    """E-mail a one-hour reset link; the answer is the same whether or not the address exists."""
    check_csrf(request, form)
    settings = settings_of(request)
    email = field(form, "email")
    token = new_token()
    with engine_of(request).begin() as conn:
        refused = _limit(conn, request, "reset", email)
        user = None
        if refused is None:
            _count(conn, request, "reset", email)
            user = user_store.find_user(conn, email)
            if user is not None:
                user_store.create_reset(conn, user.id, token_hash(token), timedelta(hours=1))
    if refused is not None:
        error = ("Too many reset requests for this address; wait 15 minutes." if refused == "address"
                 else TOO_MANY_FROM_CLIENT)
        return render(request, "reset.html", 429, message=None, error=error)
    response = render(request, "reset.html", message=RESET_SENT, error=None)
    if user is not None:
        link = f"{(settings.get('public_url') or '').rstrip('/')}/reset/{token}"
        response.background = BackgroundTask(_send_reset, settings, user.id, user.email, link)
    return response


@router.get("/reset/{token}", dependencies=[Depends(ANYONE)])
def reset_password_form(request: Request, token: str) -> Any:
    """The new-password form of a reset link."""
    return render(request, "reset_password.html", token=token, error=None)


@router.post("/reset/{token}", dependencies=[Depends(ANYONE)])
def reset_password(request: Request, token: str, form: Form) -> Any:
    """Spend a reset token and set the new password: every session and every other reset link of the account
    ends with it."""
    check_csrf(request, form)
    password = field(form, "password")
    try:
        check_password_rules(password)
    except InvalidInput as exc:
        return render(request, "reset_password.html", 400, token=token, error=str(exc))
    expired = "This link has expired or was already used; ask for a new one."
    engine = engine_of(request)
    with engine.begin() as conn:
        live = user_store.use_reset(conn, token_hash(token), spend=False) is not None
    if not live:
        return render(request, "reset_password.html", 400, token=token, error=expired)
    hashed = hash_password(password)  # slow: outside the transaction, and only for a live link
    with engine.begin() as conn:
        user_id = user_store.use_reset(conn, token_hash(token))
        if user_id is None:  # spent meanwhile by another request
            return render(request, "reset_password.html", 400, token=token, error=expired)
        user_store.set_password(conn, user_id, hashed)
        user = user_store.get_user(conn, user_id)
        limits.clear_attempts(conn, "login", f"address:{user.email}")
        user_store.audit(conn, user.email, "reset-password", user.email)
    return render(request, "message.html", title="Password changed", message="Your password is set; log in with it.")


@router.post("/account/password")
def change_password(request: Request, form: Form, user: SignedInUser) -> Any:
    """Change one's own password (the current one is checked, and counted as a log-in): every other session
    and every reset link of the account ends."""
    check_csrf(request, form)
    session = request.cookies.get(SESSION_COOKIE)
    if session is None or request.state.via_key:  # a session's own action: an API key may not do it
        raise NeedsLogin("log in to change the password")
    current, password = field(form, "current"), field(form, "password")
    engine = engine_of(request)
    with engine.begin() as conn:
        refused = _limit(conn, request, "login", user.email)
        stored = user_store.password_hash_of(conn, user.id)
    if refused is not None:
        return render(request, "account.html", 429, account=user, error=TOO_MANY_FROM_CLIENT)
    try:
        check_password_rules(password)
    except InvalidInput as exc:
        return render(request, "account.html", 400, account=user, error=str(exc))
    if not verify_password(stored, current):
        with engine.begin() as conn:
            _count(conn, request, "login", user.email)
        return render(request, "account.html", 400, account=user, error="The current password is not right.")
    hashed = hash_password(password)
    with engine.begin() as conn:
        user_store.set_password(conn, user.id, hashed, keep_session=token_hash(session))
        user_store.audit(conn, user.email, "change-password", user.email)
    return render(request, "account.html", account=user,
                  message="The password is changed; every other session and every reset link has ended.")
