"""Readers' pages: published reports by tier, search, the Atom feed; registering, logging in, resetting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.engine import Connection

from watchfloor.alerts.notifiers import send_mail
from watchfloor.errors import InvalidInput, NotFound, SourceUnavailable
from watchfloor.media.store import archive_from_settings
from watchfloor.models import Report, Role, Tier
from watchfloor.reports.draft import md_escape
from watchfloor.reports.render import markdown_to_safe_html
from watchfloor.shapes import iso
from watchfloor.store import media as media_store
from watchfloor.store import reports as report_store
from watchfloor.store import users as user_store
from watchfloor.web.auth import (
    SESSION_COOKIE,
    check_password_rules,
    hash_password,
    new_token,
    token_hash,
    verify_password,
)
from watchfloor.web.common import INLINE_IMAGES, access, check_csrf, db, reader, render, settings_of

__all__ = ["router", "may_read_full", "readable_tiers", "report_html"]

router = APIRouter()
Conn = Annotated[Connection, Depends(db)]
PAYWALL = "The full text of this report is available to subscribers."


def readable_tiers(level: Role) -> set[Tier]:
    """The tiers whose full text a reader at this level may read."""
    return {Tier.PUBLIC, Tier.SUBSCRIBER} if level >= Role.SUBSCRIBER else {Tier.PUBLIC}


def may_read_full(report: Report, level: Role) -> bool:
    """Whether the reader may read the whole report."""
    return report.tier in readable_tiers(level)


def report_html(report: Report) -> str:
    """The body and numbered notes as sanitised HTML."""
    notes = "\n".join(f"1. {_note_markdown(n.text, n.url)}" for n in report.footnotes)
    html = markdown_to_safe_html(report.body, auto_direction=True)
    if notes:
        html += ('<hr><section class="footnotes"><h2>Notes</h2>' + markdown_to_safe_html(notes, auto_direction=True)
                 + "</section>")
    return html


def _note_markdown(text: str, url: str | None) -> str:
    link = f" <{url}>" if url and url.startswith("https://") else ""
    return md_escape(text) + link


def visible_report(conn: Connection, request: Request, report_id: int) -> Report:
    """A report the reader may know exists (analysts see drafts and embargoed ones)."""
    report = report_store.get_report(conn, report_id)
    if not report.visible(datetime.now(UTC)) and access(request) < Role.ANALYST:
        raise NotFound(f"no report {report_id}")
    return report


@router.get("/")
def home(request: Request, conn: Conn) -> Any:
    """The latest published reports."""
    return render(request, "home.html", reports=report_store.list_reports(conn, limit=30))


@router.get("/reports/{report_id}")
def report_page(request: Request, conn: Conn, report_id: int) -> Any:
    """A report: whole for those allowed, title, date and lede for the rest."""
    report = visible_report(conn, request, report_id)
    full = may_read_full(report, access(request))
    return render(request, "report.html", report=report, full=full, paywall=PAYWALL,
                  body=report_html(report) if full else markdown_to_safe_html(report.lede, auto_direction=True))


@router.get("/search")
def search(request: Request, conn: Conn, q: str = "") -> Any:
    """Search published reports (bodies only where the reader may read them)."""
    found = report_store.search_reports(conn, q, readable_tiers(access(request))) if q.strip() else []
    return render(request, "search.html", q=q, reports=found)


@router.get("/feed.xml")
def feed(request: Request, conn: Conn) -> Response:
    """An Atom feed of published reports; subscriber reports carry only their lede."""
    settings = settings_of(request)
    base = (settings.get("public_url") or "").rstrip("/")
    entries = []
    reports = report_store.list_reports(conn, limit=50)
    for report in reports:
        if report.tier == Tier.PUBLIC:
            content = f'<content type="html">{xml_escape(report_html(report))}</content>'
        else:
            content = f"<summary>{xml_escape(report.lede)} {xml_escape(PAYWALL)}</summary>"
        entries.append(
            f"<entry><id>{base}/reports/{report.id}</id><title>{xml_escape(report.title)}</title>"
            f'<link href="{base}/reports/{report.id}"/><updated>{iso(report.updated_at)}</updated>'
            f"<published>{iso(report.date)}</published>"
            f'<category term="{report.tier.value}"/>{content}</entry>')
    updated = iso(max((r.updated_at for r in reports), default=datetime(2024, 1, 1, tzinfo=UTC)))
    org = xml_escape(settings.get("org_name") or "Watchfloor")
    body = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<id>{base}/feed.xml</id><title>{org} reports</title><updated>{updated}</updated>"
            f'<link rel="self" href="{base}/feed.xml"/>' + "".join(entries) + "</feed>\n")
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after logging in."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def start_session(conn: Connection, request: Request, user_id: int, response: Response) -> None:
    """Log a user in: a new random session token in an HttpOnly, SameSite cookie."""
    token = new_token()
    lifetime = timedelta(days=settings_of(request).number("session_days"))
    user_store.create_session(conn, user_id, token_hash(token), lifetime)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", max_age=int(lifetime.total_seconds()),
                        secure=request.url.scheme == "https")


@router.get("/register")
def register_form(request: Request) -> Any:
    """The registration form."""
    return render(request, "register.html", error=None, email="")


@router.post("/register")
async def register(request: Request) -> Any:
    """Create an account (public role) and log it in."""
    form = await request.form()
    check_csrf(request, form)
    email, password = str(form.get("email") or ""), str(form.get("password") or "")
    engine = request.app.state.engine
    try:
        check_password_rules(password)
        with engine.begin() as conn:
            user = user_store.create_user(conn, email, hash_password(password))
            response = RedirectResponse("/", status_code=303)
            start_session(conn, request, user.id, response)
            user_store.audit(conn, user.email, "register", user.email)
    except InvalidInput as exc:
        return render(request, "register.html", 400, error=str(exc), email=email)
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Any:
    """The log-in form."""
    return render(request, "login.html", error=None, email="", next=_safe_next(next))


@router.post("/login")
async def login(request: Request) -> Any:
    """Check a password; after too many failures for an address, refuse for a while."""
    form = await request.form()
    check_csrf(request, form)
    email, password = str(form.get("email") or ""), str(form.get("password") or "")
    target = _safe_next(str(form.get("next") or "/"))
    settings = settings_of(request)
    with request.app.state.engine.begin() as conn:
        failures = user_store.recent_login_failures(conn, email, timedelta(minutes=15))
        if failures >= settings.number("login_attempts"):
            return render(request, "login.html", 429, email=email, next=target,
                          error="Too many failed log-ins for this address; wait 15 minutes or reset the password.")
        user = user_store.find_user(conn, email)
        stored = user_store.password_hash_of(conn, user.id) if user else None
        if user is None or stored is None or not verify_password(stored, password):
            user_store.record_login_failure(conn, email)
            error = "Wrong e-mail address or password."
        else:
            user_store.clear_login_failures(conn, email)
            response = RedirectResponse(target, status_code=303)
            start_session(conn, request, user.id, response)
            return response
    return render(request, "login.html", 401, email=email, next=target, error=error)


@router.post("/logout")
async def logout(request: Request) -> Any:
    """End the session."""
    form = await request.form()
    check_csrf(request, form)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with request.app.state.engine.begin() as conn:
            user_store.delete_session(conn, token_hash(token))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


RESET_SENT = "If that address has an account, a link to set a new password is on its way."


@router.get("/reset")
def reset_form(request: Request) -> Any:
    """Ask for a password-reset e-mail."""
    return render(request, "reset.html", message=None, error=None)


@router.post("/reset")
async def reset_request(request: Request) -> Any:
    """E-mail a one-hour reset link; the answer is the same whether or not the address exists."""
    form = await request.form()
    check_csrf(request, form)
    settings = settings_of(request)
    with request.app.state.engine.begin() as conn:
        user = user_store.find_user(conn, str(form.get("email") or ""))
        if user is not None:
            token = new_token()
            user_store.create_reset(conn, user.id, token_hash(token), timedelta(hours=1))
            link = f"{(settings.get('public_url') or '').rstrip('/')}/reset/{token}"
            try:
                send_mail(settings, user.email, f"{settings.get('org_name')}: set a new password",
                          f"Someone asked to reset the password of {user.email}.\n\n"
                          f"Set a new one within the hour at:\n{link}\n\nIf it was not you, ignore this e-mail.")
            except SourceUnavailable as exc:
                return render(request, "reset.html", 503, message=None, error=str(exc))
    return render(request, "reset.html", message=RESET_SENT, error=None)


@router.get("/reset/{token}")
def reset_password_form(request: Request, token: str) -> Any:
    """The new-password form of a reset link."""
    return render(request, "reset_password.html", token=token, error=None)


@router.post("/reset/{token}")
async def reset_password(request: Request, token: str) -> Any:
    """Spend a reset token and set the new password (ending every session of the account)."""
    form = await request.form()
    check_csrf(request, form)
    password = str(form.get("password") or "")
    try:
        check_password_rules(password)
    except InvalidInput as exc:
        return render(request, "reset_password.html", 400, token=token, error=str(exc))
    with request.app.state.engine.begin() as conn:
        user_id = user_store.use_reset(conn, token_hash(token))
        if user_id is None:
            return render(request, "reset_password.html", 400, token=token,
                          error="This link has expired or was already used; ask for a new one.")
        user_store.set_password(conn, user_id, hash_password(password))
        user = user_store.get_user(conn, user_id)
        user_store.clear_login_failures(conn, user.email)
        user_store.audit(conn, user.email, "reset-password", user.email)
    return render(request, "message.html", title="Password changed", message="Your password is set; log in with it.")


@router.get("/account")
def account(request: Request) -> Any:
    """The reader's own account."""
    user = reader(request)
    if user is None:
        return RedirectResponse("/login?next=/account", status_code=303)
    return render(request, "account.html", account=user)


def _shown_in_readable_report(conn: Connection, sha256: str, level: Role) -> bool:
    needle = f"/media/{sha256}"
    tiers = readable_tiers(level)
    return any(needle in r.body for r in report_store.list_reports(conn, limit=10_000) if r.tier in tiers)


@router.get("/media/{sha256}")
def media_file(request: Request, conn: Conn, sha256: str) -> Response:
    """An archived file: for analysts any, for readers only images a report they may read shows.
    Raster images are served inline; anything else only as a download, never rendered by the browser."""
    level = access(request)
    record = media_store.get_file(conn, sha256.lower())
    if record is None or record.status != "ok":
        raise NotFound("no such file")
    if level < Role.ANALYST and not (record.mime in INLINE_IMAGES
                                     and _shown_in_readable_report(conn, record.sha256, level)):
        raise NotFound("no such file")
    archive = archive_from_settings(settings_of(request))
    if not archive.has(record.sha256):
        raise NotFound("the file is recorded but not in this data directory")
    headers = {"Content-Security-Policy": "default-src 'none'; sandbox", "Cache-Control": "private, max-age=3600",
               "X-Content-Type-Options": "nosniff"}
    if record.mime in INLINE_IMAGES:
        return Response(archive.read(record.sha256), media_type=record.mime, headers=headers)
    headers["Content-Disposition"] = f'attachment; filename="{record.sha256[:16]}.bin"'
    return Response(archive.read(record.sha256), media_type="application/octet-stream", headers=headers)
