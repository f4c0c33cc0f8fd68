"""The public web preview of a Telegram channel (``https://t.me/s/<channel>``): a pure page parser.

A page holds about twenty posts, oldest first, and a "more" link (``?before=<id>``) to the page
before it. Each post's ``data-view`` attribute carries the channel's numeric id, which stays the same
when the channel is renamed, so a renamed channel stays one source. Telegram's markup is read as
data: text is taken from the text nodes (``<br>`` as line breaks), never rendered.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, Tag

from watchfloor.errors import InvalidInput, SourceUnavailable
from watchfloor.models import Media, ParsedPost, Source
from watchfloor.sources.base import Collected, CollectOptions, Fetch, Stored, nothing_stored
from watchfloor.sources.limits import INT64_MAX, clean_text, storable

__all__ = ["PreviewPage", "parse_page", "parse_views", "MAX_PAGE_BYTES", "TelegramWebCollector",
           "TELEGRAM_MEDIA_HOSTS"]

MAX_PAGE_BYTES = 5 * 1024 * 1024
# Where t.me/s pages point their photos: Telegram's CDN hosts. A page is hostile input, so a photo URL
# anywhere else is refused (the collector's own host is added for mirrors and tests).
TELEGRAM_MEDIA_HOSTS = frozenset({f"cdn{i}.telesco.pe" for i in range(1, 10)}
                                 | {f"cdn{i}.cdn-telegram.org" for i in range(1, 10)} | {"telesco.pe"})
_ALBUM_ITEM = re.compile(r"^https?://t\.me/([A-Za-z0-9_]+)/([0-9]{1,19})\?single$")
_BACKGROUND_URL = re.compile(r"background-image:\s*url\('([^']+)'\)")
_NUMBER = re.compile(r"[0-9]{1,19}")  # ASCII digits only: str.isdigit() also takes '²', which int() refuses


@dataclass
class PreviewPage:
    """One page of a channel's preview: its posts (oldest first) and where the page before it starts."""

    handle: str | None
    channel_id: int | None
    title: str | None
    posts: list[ParsedPost] = field(default_factory=list)
    before: int | None = None  # the ``?before=`` value of the page of older posts, when there is one
    shown: set[int] = field(default_factory=set)  # every message id the page shows: posts and album members
    errors: list[tuple[int | None, str]] = field(default_factory=list)  # (message id, why) of posts not read

    def spans(self) -> list[int]:
        """The ids the page shows, sorted (an album's other items are shown inside its first post)."""
        return sorted(self.shown | {p.message_id for p in self.posts})


def parse_views(text: str) -> int | None:
    """'12.5K' → 12500, '1.2M' → 1200000, '845' → 845."""
    match = re.fullmatch(r"\s*([0-9.]{1,30})\s*([KM]?)\s*", text or "")
    if not match:
        return None
    try:
        value = float(match.group(1))
    except ValueError:
        return None
    return int(round(value * {"": 1, "K": 1_000, "M": 1_000_000}[match.group(2)]))


def _channel_id(data_view: str | None) -> int | None:
    if not data_view:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(data_view + "=" * (-len(data_view) % 4)))
    except (binascii.Error, ValueError, RecursionError):
        return None
    value = decoded.get("c") if isinstance(decoded, dict) else None
    return abs(value) if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= INT64_MAX \
        else None


def _text(node: Tag) -> str:
    parts: list[str] = []
    for child in node.descendants:
        if isinstance(child, NavigableString):
            if not isinstance(child.parent, Tag) or child.parent.name not in ("script", "style"):
                parts.append(str(child))
        elif isinstance(child, Tag) and child.name == "br":
            parts.append("\n")
    text = "\n".join(line.strip() for line in "".join(parts).replace("\xa0", " ").splitlines()).strip()
    return clean_text(text)


def _classes(node: Tag) -> list[str]:
    value = node.get("class")
    return list(value) if isinstance(value, list) else []


def _post_number(href: str | None) -> int | None:
    match = re.search(r"/([0-9]{1,19})(?:\?.*)?$", href or "")
    return int(match.group(1)) if match and int(match.group(1)) <= INT64_MAX else None


def _post(message: Tag) -> ParsedPost:
    data_post = str(message.get("data-post") or "")
    handle, _, number = data_post.rpartition("/")
    if not _NUMBER.fullmatch(number) or not 0 < int(number) <= INT64_MAX:
        raise InvalidInput(f"a post's data-post {data_post[:80]!r} has no message number")
    time = message.select_one("a.tgme_widget_message_date time[datetime]")
    if time is None:
        raise InvalidInput(f"post {data_post}: no date")
    try:
        posted_at = datetime.fromisoformat(str(time["datetime"])).astimezone(UTC)
    except (ValueError, OverflowError) as exc:  # not a date, or beyond years 1 to 9999 in UTC
        raise InvalidInput(f"post {data_post}: date {str(time['datetime'])[:80]!r} is not an ISO 8601 date "
                           "that UTC can hold") from exc
    service = "service_message" in _classes(message)
    text_node = next((n for n in message.select("div.tgme_widget_message_text")
                      if "js-message_text" in _classes(n) and n.find_parent("a", class_="tgme_widget_message_reply")
                      is None), None)
    text = _text(text_node) if text_node is not None else ""
    links = [clean_text(str(a["href"])) for a in (text_node.select("a[href]") if text_node is not None else [])
             if str(a["href"]).startswith(("http://", "https://"))]
    meta = message.select_one("span.tgme_widget_message_meta")
    edited = meta is not None and "edited" in meta.get_text(" ")
    forward = message.select_one(".tgme_widget_message_forwarded_from_name")
    reply = message.select_one("a.tgme_widget_message_reply")
    author = message.select_one("span.tgme_widget_message_from_author")
    views = message.select_one("span.tgme_widget_message_views")
    media: list[Media] = []
    for photo in message.select("a.tgme_widget_message_photo_wrap"):
        url = _BACKGROUND_URL.search(str(photo.get("style") or ""))
        media.append(Media(kind="photo", path=clean_text(url.group(1)) if url else None))
    for video in message.select("video.tgme_widget_message_video"):
        media.append(Media(kind="video_file", path=clean_text(str(video.get("src") or "")) or None))
    if message.select_one(".tgme_widget_message_voice"):
        media.append(Media(kind="voice_message"))
    if message.select_one(".tgme_widget_message_document"):
        title = message.select_one(".tgme_widget_message_document_title")
        media.append(Media(kind="file", file_name=_text(title) if title else None))
    raw: dict[str, Any] = {"source": "t.me/s", "data-post": data_post, "data-view": message.get("data-view"),
                           "views": parse_views(views.get_text()) if views else None, "edited": edited,
                           "forwarded_from_url": forward.get("href") if isinstance(forward, Tag) else None,
                           "reply_url": reply.get("href") if reply else None,
                           "html": str(text_node) if text_node is not None else None}
    raw = storable(raw, "t.me/s", int(number))
    return ParsedPost(
        message_id=int(number), posted_at=posted_at, text=text, kind="service" if service else "message",
        # the preview says only that a post was edited, not when: the time of this reading stands in
        edited_at=None, author=_text(author) if author else None,
        forwarded_from=_text(forward) if forward else None,
        forwarded_from_id=clean_text(str(forward.get("href")))[:64] if isinstance(forward, Tag) and forward.get("href")
        else None,
        reply_to=_post_number(str(reply.get("href"))) if reply else None,
        links=links, media=media, raw=raw)


def parse_page(html: str | bytes) -> PreviewPage:
    """Every post on a preview page, the channel's handle, id and title, and the older-posts cursor."""
    if len(html) > MAX_PAGE_BYTES:
        raise InvalidInput(f"a preview page of {len(html)} bytes is over the {MAX_PAGE_BYTES}-byte limit")
    try:  # text with a lone surrogate cannot even be looked at by BeautifulSoup's checks: cleaned first
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)  # a page of "http:" is still a page
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            soup = BeautifulSoup(clean_text(html) if isinstance(html, str) else html, "html.parser")
    except RecursionError as exc:
        raise InvalidInput("a preview page nested too deeply to read") from exc
    posts: list[ParsedPost] = []
    channel_id: int | None = None
    handle: str | None = None
    shown: set[int] = set()
    errors: list[tuple[int | None, str]] = []
    for message in soup.select("div.tgme_widget_message[data-post]"):
        try:
            post = _post(message)
        except InvalidInput as exc:  # one bad post is noted; the page's other posts are read
            number = str(message.get("data-post") or "").rpartition("/")[2]
            known = int(number) if _NUMBER.fullmatch(number) and 0 < int(number) <= INT64_MAX else None
            if known is not None:
                shown.add(known)  # still on the page: never marked deleted for being unreadable
            errors.append((known, str(exc)))
            continue
        posts.append(post)
        prefix = str(post.raw["data-post"]).rpartition("/")[0].lower()
        for link in message.select(".tgme_widget_message_grouped_wrap a[href]"):
            match = _ALBUM_ITEM.match(str(link.get("href") or ""))
            if match and match.group(1).lower() == prefix and int(match.group(2)) <= INT64_MAX:
                shown.add(int(match.group(2)))
        channel_id = channel_id or _channel_id(post.raw.get("data-view"))
        handle = handle or str(post.raw["data-post"]).rpartition("/")[0] or None
    more = soup.select_one("a.tme_messages_more[data-before]")
    before = int(str(more["data-before"])) if more and _NUMBER.fullmatch(str(more["data-before"])) else None
    before = before if before is not None and before <= INT64_MAX else None
    title_node = soup.select_one(".tgme_channel_info_header_title") or soup.select_one("meta[property='og:title']")
    title = None
    if isinstance(title_node, Tag):
        title = clean_text(str(title_node.get("content"))) if title_node.name == "meta" else _text(title_node)
    return PreviewPage(handle=handle, channel_id=channel_id, title=title,
                       posts=sorted(posts, key=lambda p: p.message_id), before=before, shown=shown, errors=errors)


class TelegramWebCollector:
    """A channel's public preview (``https://t.me/s/<handle>``), paged back from the newest post to the cursor."""

    name = "telegram-web"
    version = "1"
    platforms: tuple[str, ...] = ("telegram",)
    settings: tuple[str, ...] = ("collect_timeout_seconds", "collect_host_delay_seconds", "media_download")

    def check(self, source: Source) -> None:
        """The preview is read by handle."""
        if source.platform not in self.platforms or not source.handle:
            raise InvalidInput("the telegram-web collector reads a channel by its handle: add telegram:<handle>")

    def read(self, source: Source, fetch: Fetch, options: CollectOptions,
             stored: Stored = nothing_stored) -> Collected:
        """Page back from the newest post until the cursor (or ``max_pages``). A preview that is gone
        (it redirects, or 404) is an outcome, not an error; a failure part-way keeps what was read."""
        from urllib.parse import urlsplit

        self.check(source)
        policy = options.policy({(urlsplit(options.base_url).hostname or "").lower()})
        found = Collected(media_hosts=TELEGRAM_MEDIA_HOSTS | policy.hosts, media_kinds=frozenset({"photo"}),
                          media_note="not fetched: only photos are downloaded from the web preview")
        before: int | None = None
        newest = source.cursor or 0
        pages: list[PreviewPage] = []
        try:
            while found.pages < options.max_pages:
                url = f"{options.base_url.rstrip('/')}/s/{source.handle}" + (f"?before={before}" if before else "")
                _status, body, location = fetch(url, policy)
                if location is not None:
                    found.status = "unavailable"
                    found.note = (f"no public preview (redirects to {location}): renamed, deleted or private"
                                  if before is None else f"paging stopped: redirected to {location}")
                    break
                page = parse_page(body)
                found.unreadable += [(url, message_id, why) for message_id, why in page.errors]
                found.pages += 1
                pages.append(page)
                if before is None and not page.posts:
                    found.status, found.note = "unavailable", "the preview shows no posts (renamed, emptied or private)"
                if page.handle and page.handle.lower() != source.handle:
                    found.note = f"the preview now names the channel {page.handle}"
                if not page.posts or page.before is None or min(p.message_id for p in page.posts) <= newest:
                    break
                before = page.before
        except SourceUnavailable as exc:
            if exc.status in (404, 410):
                found.status, found.note = "unavailable", f"the preview is gone (HTTP {exc.status})"
            else:
                found.status, found.note = "error", str(exc)
        except InvalidInput as exc:  # a malformed or oversized page: noted, and the monitor backs off
            found.status, found.note = "error", str(exc)
        found.posts = sorted({p.message_id: p for page in pages for p in page.posts}.values(),
                             key=lambda p: p.message_id)
        found.channel_id = next((p.channel_id for p in pages if p.channel_id), None)
        found.title = next((p.title for p in pages if p.title), None)
        found.spans = [page.spans() for page in pages if page.posts]
        return found
