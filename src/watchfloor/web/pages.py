"""Readers' pages: published reports by tier, search, the Atom feed, the reader's account (log-in and
registering are in accounts.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from xml.sax.saxutils import escape as xml_escape

from fastapi import APIRouter, Depends, Request, Response

from watchfloor.errors import NotFound
from watchfloor.media.store import archive_from_settings
from watchfloor.models import Report, Role, Tier
from watchfloor.reports.draft import md_escape
from watchfloor.reports.render import markdown_to_safe_html
from watchfloor.shapes import iso
from watchfloor.store import media as media_store
from watchfloor.store import reports as report_store
from watchfloor.store.base import Connection
from watchfloor.web.common import INLINE_IMAGES, Id, access, db, isolated_plain, render, settings_of
from watchfloor.web.roles import ANYONE, SignedInUser

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
    return isolated_plain(md_escape(text)) + link  # a note's text cannot reorder its link


def visible_report(conn: Connection, request: Request, report_id: int) -> Report:
    """A report the reader may know exists (analysts see drafts and embargoed ones)."""
    report = report_store.get_report(conn, report_id)
    if not report.visible(datetime.now(UTC)) and access(request) < Role.ANALYST:
        raise NotFound(f"no report {report_id}")
    return report


@router.get("/", dependencies=[Depends(ANYONE)])
def home(request: Request, conn: Conn) -> Any:
    """The latest published reports."""
    return render(request, "home.html", reports=report_store.list_reports(conn, limit=30))


@router.get("/reports/{report_id}", dependencies=[Depends(ANYONE)])
def report_page(request: Request, conn: Conn, report_id: Id) -> Any:
    """A report: whole for those allowed, title, date and lede for the rest."""
    report = visible_report(conn, request, report_id)
    full = may_read_full(report, access(request))
    return render(request, "report.html", report=report, full=full, paywall=PAYWALL,
                  body=report_html(report) if full else markdown_to_safe_html(report.lede, auto_direction=True))


@router.get("/search", dependencies=[Depends(ANYONE)])
def search(request: Request, conn: Conn, q: str = "") -> Any:
    """Search published reports (bodies only where the reader may read them)."""
    found = report_store.search_reports(conn, q, readable_tiers(access(request))) if q.strip() else []
    return render(request, "search.html", q=q, reports=found)


@router.get("/feed.xml", dependencies=[Depends(ANYONE)])
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


@router.get("/account")
def account(request: Request, user: SignedInUser) -> Any:
    """The reader's own account."""
    return render(request, "account.html", account=user)


def _shown_in_readable_report(conn: Connection, sha256: str, level: Role) -> bool:
    return report_store.media_shown(conn, sha256, readable_tiers(level))


@router.get("/media/{sha256}", dependencies=[Depends(ANYONE)])
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
