"""Pages in the markup of Telegram's public preview (t.me/s), built for tests from news-like posts."""

from __future__ import annotations

import base64
import html
import json

CHANNEL_ID = 1900000777
HANDLE = "sample_wire"


def data_view(post: int, channel_id: int = CHANNEL_ID) -> str:
    raw = json.dumps({"c": -channel_id, "p": post, "t": 1716458400}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def message(post: int, when: str, text: str, *, edited: bool = False, views: str = "1.2K",
            forwarded: str | None = None, reply: int | None = None, service: bool = False,
            author: str | None = None, photo: bool = False, handle: str = HANDLE,
            channel_id: int = CHANNEL_ID) -> str:
    """One post as the preview writes it (text may hold markup; callers escape what should be text)."""
    parts = ['<div class="tgme_widget_message_wrap js-widget_message_wrap">',
             f'<div class="tgme_widget_message{" service_message" if service else ""} js-widget_message" '
             f'data-post="{handle}/{post}" data-view="{data_view(post, channel_id)}">',
             '<div class="tgme_widget_message_bubble">',
             f'<div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" '
             f'href="https://t.me/{handle}"><span dir="auto">Sample Wire</span></a></div>']
    if forwarded:
        parts.append('<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from&nbsp;'
                     f'<a class="tgme_widget_message_forwarded_from_name" href="https://t.me/{forwarded}/5">'
                     f'<span dir="auto">{forwarded}</span></a></div>')
    if reply:
        parts.append(f'<a class="tgme_widget_message_reply" href="https://t.me/{handle}/{reply}">'
                     '<div class="tgme_widget_message_text js-message_text" dir="auto">quoted earlier post</div></a>')
    if photo:
        parts.append(f'<a class="tgme_widget_message_photo_wrap" href="https://t.me/{handle}/{post}" '
                     "style=\"width:400px;background-image:url('https://cdn.example/photo.jpg')\"></a>")
    parts.append(f'<div class="tgme_widget_message_text js-message_text" dir="auto">{text}</div>')
    meta = ""
    if author:
        meta += f'<span class="tgme_widget_message_from_author" dir="auto">{html.escape(author)}</span>,&nbsp;'
    if edited:
        meta += "edited &nbsp;"
    parts.append('<div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info '
                 f'short js-message_info"><span class="tgme_widget_message_views">{views}</span>'
                 f'<span class="tgme_widget_message_meta">{meta}<a class="tgme_widget_message_date" '
                 f'href="https://t.me/{handle}/{post}"><time datetime="{when}" class="time">12:00</time></a>'
                 "</span></div></div></div></div></div>")
    return "".join(parts)


def page(messages: list[str], before: int | None = None, title: str = "Sample Wire", handle: str = HANDLE) -> str:
    """A preview page: channel header, a 'more' link when older posts exist, then the posts."""
    more = (f'<a class="tme_messages_more js-messages_more" data-before="{before}" '
            f'href="/s/{handle}?before={before}"></a>' if before else "")
    return (f'<html><head><meta property="og:title" content="{html.escape(title)}"></head><body>'
            f'<div class="tgme_channel_info_header_title"><span dir="auto">{html.escape(title)}</span></div>'
            f'<section class="tgme_channel_history js-message_history">{more}{"".join(messages)}</section></body></html>')
