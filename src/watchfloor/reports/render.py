"""Rendering a report draft as Markdown, sanitised HTML or JSON."""

from __future__ import annotations

import html
import json

import nh3

from watchfloor.models import ReportDraft
from watchfloor.public_part import MARKDOWN as _MARKDOWN
from watchfloor.reports.draft import md_escape
from watchfloor.shapes import draft_json

__all__ = ["render_markdown", "render_html", "render_json", "markdown_to_safe_html"]

_ALLOWED_SCHEMES = {"http", "https", "mailto"}


def markdown_to_safe_html(text: str, auto_direction: bool = False) -> str:
    """Markdown to HTML with raw HTML disabled and the result sanitised (no script, handlers or js: links);
    with ``auto_direction`` each paragraph takes its direction from its own text (Arabic beside English)."""
    html = nh3.clean(_MARKDOWN.render(text), url_schemes=_ALLOWED_SCHEMES, link_rel="noopener noreferrer nofollow")
    return html.replace("<p>", '<p dir="auto">') if auto_direction else html


def _notes_markdown(draft: ReportDraft) -> str:
    lines = []
    for note in draft.footnotes:
        link = f" <{note.url}>" if note.url and note.url.startswith("https://") else ""
        lines.append(f"\\[{note.n}\\] {md_escape(note.text)}{link}")
    return "\n\n".join(lines)


def render_markdown(draft: ReportDraft) -> str:
    """The draft as a Markdown document: headline, date, body, numbered notes."""
    return f"# {md_escape(draft.title)}\n\n*{draft.date}*\n\n{draft.body}\n\n---\n\n{_notes_markdown(draft)}\n"


def render_html(draft: ReportDraft) -> str:
    """The draft as a standalone, sanitised HTML page (text direction chosen per paragraph)."""
    body = markdown_to_safe_html(render_markdown(draft), auto_direction=True)
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(draft.title)}</title></head>\n<body>\n{body}</body></html>\n")


def render_json(draft: ReportDraft) -> str:
    """The draft as JSON: title, date, body (Markdown), footnotes."""
    return json.dumps(draft_json(draft), ensure_ascii=False, indent=2)
