"""Telegram Desktop "Export chat history" in its default HTML format: a pure page parser plus a reader.

A chat's folder holds ``messages.html``, ``messages2.html``, ... (1,000 messages a page) beside
``photos/``, ``files/`` and the like. Each message is a ``div.message`` with ``id="message<N>"``:
``default`` ones carry a body with the date (``div.pull_right.date.details``, its ``title`` the full
time with the exporting machine's offset), the sender (``div.from_name``, left out on messages
``joined`` to the one before), a forward (``div.forwarded.body``), a reply link (``GoToMessage(N)``),
media (``div.media_wrap``), the text (``div.text``, formatted inline) and a signature; ``service``
ones a line of text. The posts come out in the same shapes as the JSON format's (``telegram_export``);
what the HTML does not carry (the channel's numeric id, the id of a forward's origin, edit times) is
left empty. Markup is read as data, never rendered, and each message is its own unit of failure.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, Tag

from watchfloor.errors import InvalidInput
from watchfloor.models import Media, ParsedPost
from watchfloor.sources.limits import INT64_MAX, clean_text, storable
from watchfloor.sources.telegram_export import EARLIEST, LATEST, ExportChat, MessageError
from watchfloor.sources.telegram_reader import ChatReader, open_export

__all__ = ["parse_html_page", "read_html_export", "read_any_export", "open_any_export", "html_pages", "MAX_PAGE_BYTES"]

MAX_PAGE_BYTES = 256 * 1024 * 1024  # tdesktop writes 1,000 messages a page: a few MB at most
_PAGE = re.compile(r"messages(\d*)\.html")
_MESSAGE_ID = re.compile(r"message(-?[0-9]{1,19})")
_GO_TO = re.compile(r"(?:go_to_message|GoToMessage\()([0-9]{1,19})")
_WHEN = re.compile(r"\s*([0-9]{2})\.([0-9]{2})\.([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2})"
                   r"(?: UTC([+-])([0-9]{2}):([0-9]{2}))?")
_SIZE = re.compile(r"([0-9]{1,6})x([0-9]{1,6})")
_DURATION = re.compile(r"(?:([0-9]{1,4}):)?([0-9]{1,2}):([0-9]{2})")
_QUOTED = "\u00ab(.*)\u00bb"
# the anchor's or block's class → the media kind the JSON format uses
_MEDIA_CLASSES = (("photo_wrap", "photo"), ("video_file_wrap", "video_file"), ("animated_wrap", "animation"),
                  ("sticker_wrap", "sticker"), ("media_photo", "photo"), ("media_voice_message", "voice_message"),
                  ("media_audio_file", "audio_file"), ("media_file", "file"))
_GENERIC_VIDEO = {"Video message": "video_message", "Animation": "animation", "Video file": "video_file"}


def _classes(node: Tag) -> list[str]:
    value = node.get("class")
    return [str(v) for v in value] if isinstance(value, list) else str(value or "").split()


def _text(node: Tag) -> str:
    """The text as tdesktop wrote it: ``<br>`` is a line break, the markup's own line breaks are layout."""
    parts: list[str] = []
    for child in node.descendants:
        if isinstance(child, NavigableString):
            if not isinstance(child.parent, Tag) or child.parent.name not in ("script", "style"):
                parts.append(str(child).replace("\n", ""))
        elif isinstance(child, Tag) and child.name == "br":
            parts.append("\n")
    return "".join(parts).strip(" ")


def _moment(title: str, local_tz: tzinfo | None) -> datetime:
    match = _WHEN.match(title)
    if not match:
        raise ValueError(f"date {title[:60]!r} is not DD.MM.YYYY HH:MM:SS")
    day, month, year, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    zone: tzinfo = local_tz or UTC  # an older export gives no offset: the exporting machine's local time
    if match.group(7):
        offset = timedelta(hours=int(match.group(8)), minutes=int(match.group(9)))
        zone = timezone(offset if match.group(7) == "+" else -offset)
    moment = datetime(year, month, day, hour, minute, second, tzinfo=zone).astimezone(UTC)
    if not EARLIEST <= moment <= LATEST:
        raise ValueError(f"date {moment.isoformat()} is out of range")
    return moment


def _is_date(node: Tag) -> bool:
    classes = _classes(node)
    return node.name == "div" and "date" in classes and "pull_right" in classes and node.has_attr("title")


def _links(node: Tag) -> list[str]:
    found: list[str] = []
    for anchor in node.find_all("a", href=True):
        if not isinstance(anchor, Tag):
            continue
        href = str(anchor.get("href") or "").strip()
        label = anchor.get_text()
        if not href.lower().startswith(("http://", "https://")):
            continue  # hashtags, bot commands, e-mail, phone and custom emoji are no links in JSON either
        if label.startswith("@") and href.rstrip("/").lower().endswith("/" + label[1:].lower()):
            continue  # a @mention
        found.append(href)
    return list(dict.fromkeys(found))


def _duration(text: str) -> int | None:
    match = _DURATION.search(text)
    if not match:
        return None
    return int(match.group(1) or 0) * 3600 + int(match.group(2)) * 60 + int(match.group(3))


def _media(body: Tag) -> list[Media]:
    found: list[Media] = []
    for wrap in body.select("div.media_wrap"):
        for node in wrap.find_all(["a", "div"], recursive=False):
            if not isinstance(node, Tag):
                continue
            classes = _classes(node)
            kind = next((k for cls, k in _MEDIA_CLASSES if cls in classes), None)
            title_node = node.select_one("div.title")
            title = _text(title_node) if title_node else ""
            if kind is None and "media_video" in classes:
                kind = _GENERIC_VIDEO.get(title, "video_file")
            if kind is None:
                continue  # polls, contacts, locations, invoices: not files
            href = str(node.get("href") or "") if node.name == "a" else ""
            status_node = node.select_one("div.status")
            status = _text(status_node) if status_node else ""
            size = _SIZE.search(status) if kind == "photo" else None
            duration_node = node.select_one("div.video_duration")
            duration = _duration(_text(duration_node) if duration_node else status) \
                if kind in ("video_file", "video_message", "voice_message", "audio_file") else None
            found.append(Media(kind=kind, path=href or None,
                               file_name=title if kind == "file" and title and title != "File" else None,
                               width=int(size.group(1)) if size else None,
                               height=int(size.group(2)) if size else None, duration_seconds=duration))
    return found


def _is_forward_name(node: Tag) -> bool:
    parent = node.parent
    return (node.name == "div" and "from_name" in _classes(node) and isinstance(parent, Tag)
            and {"forwarded", "body"} <= set(_classes(parent)))


def _forward_name(node: Tag) -> str | None:
    """The origin's name, without the date tdesktop writes after it."""
    parts = [_text(child) if isinstance(child, Tag) else str(child) for child in node.children
             if not (isinstance(child, Tag) and "date" in _classes(child))]
    return "".join(parts).replace("\n", "").strip() or None


def _service(body_text: str, node: Tag) -> tuple[str, str | None]:
    """The JSON format's text and action for a service line, where the HTML says which it is."""
    created = re.fullmatch("Channel " + _QUOTED + " created", body_text)
    if created:
        return f"Channel created: {created.group(1)}", "create_channel"
    retitled = re.search("(?:title changed to|changed group title to) " + _QUOTED, body_text)
    if retitled:
        return f"Title changed to: {retitled.group(1)}", "edit_group_title"
    link = node.find("a", onclick=True) or node.find("a", href=True)
    target = _GO_TO.search(str(link.get("onclick") or "") + " " + str(link.get("href") or "")) \
        if isinstance(link, Tag) else None
    if " pinned " in f" {body_text} " and target:
        return f"Pinned message {target.group(1)}", "pin_message"
    return body_text, None


def _message(node: Tag, message_id: int, local_tz: tzinfo | None) -> ParsedPost:
    raw: dict[str, Any] = {"format": "html", "id": message_id, "html": str(node)}
    body = node.find("div", class_="body")
    if not isinstance(body, Tag):
        raise ValueError("no body")
    if "service" in _classes(node):
        text, action = _service(_text(body), body)
        # a service line carries no time of its own (the page's separators give only the day): it takes
        # the time of the message before it, or else of the one after it
        date = node.find_previous(_is_date) or node.find_next(_is_date)
        if not isinstance(date, Tag):
            raise ValueError("a service message with no dated message beside it")
        return ParsedPost(message_id=message_id, posted_at=_moment(str(date["title"]), local_tz), text=text,
                          kind="service", action=action, raw=raw)
    date = body.find(_is_date)
    if not isinstance(date, Tag):
        raise ValueError("no date")
    forward = body.find(lambda t: t.name == "div" and {"forwarded", "body"} <= set(_classes(t)))
    forwarded_from = None
    if isinstance(forward, Tag):
        # forwards from one person within minutes are joined: only the first names the origin
        name = forward.find("div", class_="from_name") or forward.find_previous(_is_forward_name)
        if isinstance(name, Tag):
            forwarded_from = _forward_name(name)
    reply = body.find("div", class_="reply_to")
    target = None
    if isinstance(reply, Tag):
        link = reply.find("a")
        if isinstance(link, Tag):
            target = _GO_TO.search(str(link.get("onclick") or "") + " " + str(link.get("href") or ""))
    text_node = body.find("div", class_="text")
    signature = body.find("div", class_="signature")
    return ParsedPost(
        message_id=message_id, posted_at=_moment(str(date["title"]), local_tz),
        text=_text(text_node) if isinstance(text_node, Tag) else "",
        author=(_text(signature).strip() or None) if isinstance(signature, Tag) else None,
        forwarded_from=forwarded_from, reply_to=int(target.group(1)) if target else None,
        links=_links(text_node) if isinstance(text_node, Tag) else [], media=_media(body), raw=raw)


def _cleaned(parsed: ParsedPost) -> ParsedPost:
    """Every string the database stores, without NUL or lone surrogates (a page given as text may hold them)."""
    parsed.text = clean_text(parsed.text)
    parsed.author = clean_text(parsed.author) if parsed.author else None
    parsed.forwarded_from = clean_text(parsed.forwarded_from) if parsed.forwarded_from else None
    parsed.links = [clean_text(link) for link in parsed.links]
    for media in parsed.media:
        media.path = clean_text(media.path) if media.path else None
        media.file_name = clean_text(media.file_name) if media.file_name else None
    return parsed


def parse_html_page(html: str | bytes, file: str, local_tz: tzinfo | None = None) -> ExportChat:
    """One page of an HTML export: the chat's name (the page header), every message as a post, and each
    message that could not be read with the reason. Date separators (negative ids) are skipped."""
    if len(html) > MAX_PAGE_BYTES:
        raise InvalidInput(f"{file}: a page of {len(html)} bytes is over the {MAX_PAGE_BYTES}-byte limit")
    if isinstance(html, bytes):
        try:
            html = html.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            soup = BeautifulSoup(clean_text(html), "html.parser")  # bs4 cannot look at a lone surrogate
        header = soup.select_one("div.page_header div.text")
        nodes = soup.select("div.history div.message[id]")
        history = soup.select_one("div.history")
    except RecursionError as exc:
        raise InvalidInput(f"{file}: markup nested too deeply to read") from exc
    name = clean_text(_text(header).strip()) if header else ""
    chat = ExportChat(channel_id=None, name=name or None, chat_type="html", file=file)
    if history is None:
        raise InvalidInput(f"{file}: not a page of a Telegram Desktop HTML chat export (no div.history)")
    by_id: dict[int, ParsedPost] = {}
    for node in nodes:
        match = _MESSAGE_ID.fullmatch(str(node.get("id") or ""))
        message_id = int(match.group(1)) if match else None
        if message_id is not None and message_id < 0:
            continue  # a date separator
        try:
            if message_id is None or not 0 < message_id <= INT64_MAX:
                raise ValueError(f"id {str(node.get('id'))[:40]!r} is not message<positive 64-bit number>")
            parsed = _cleaned(_message(node, message_id, local_tz))
            parsed.raw = storable(parsed.raw, file, message_id)
            by_id[message_id] = parsed  # an id written twice: the later copy is the message
        except (ValueError, OverflowError, RecursionError, InvalidInput) as exc:
            reason = str(exc).split(": ", 1)[-1] if str(exc).startswith(file) else str(exc)
            chat.errors.append(MessageError(file, message_id if message_id and 0 < message_id <= INT64_MAX
                                            else None, reason or type(exc).__name__))
    chat.posts = list(by_id.values())
    return chat


def html_pages(folder: Path) -> list[Path]:
    """A chat folder's pages in order: messages.html, messages2.html, ..."""
    pages = [(int(m.group(1) or 1), p) for p in folder.glob("messages*.html") if (m := _PAGE.fullmatch(p.name))]
    return [p for _, p in sorted(pages)]


def read_html_export(path: Path, local_tz: tzinfo | None = None) -> list[ExportChat]:
    """Read an HTML export: a chat folder (every page) or one page. Returns one chat (id unknown)."""
    path = Path(path)
    pages = html_pages(path) if path.is_dir() else [path]
    if not pages:
        raise InvalidInput(f"{path}: no messages.html in this folder")
    merged: ExportChat | None = None
    by_id: dict[int, ParsedPost] = {}
    for page in pages:
        if not page.exists():
            raise InvalidInput(f"{page}: no such file or folder")
        size = page.stat().st_size
        if size > MAX_PAGE_BYTES:
            raise InvalidInput(f"{page}: {size} bytes is over the {MAX_PAGE_BYTES}-byte limit for one page")
        try:
            body = page.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"{page}: cannot be read ({exc.strerror or exc})") from exc
        chat = parse_html_page(body, str(page), local_tz)
        if merged is None:
            merged = ExportChat(channel_id=None, name=chat.name, chat_type="html", file=str(page))
        merged.errors.extend(chat.errors)
        for parsed in chat.posts:
            by_id[parsed.message_id] = parsed
    assert merged is not None
    merged.posts = list(by_id.values())
    return [merged]


def open_any_export(path: Path, local_tz: tzinfo | None = None) -> list[ChatReader]:
    """The chats of a Telegram Desktop export in either format, told apart by its files: ``result.json`` (or
    any ``.json``) is the JSON format, whose messages are parsed as they are asked for, and ``messages.html``
    (and ``messagesN.html``) the HTML one, read whole."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() in (".html", ".htm"):
        return [ChatReader(chat) for chat in read_html_export(path, local_tz)]
    if path.is_dir() and not (path / "result.json").is_file() and html_pages(path):
        return [ChatReader(chat) for chat in read_html_export(path, local_tz)]
    if path.is_dir() and not any(path.glob("*.json")) and not any(path.glob("*/result.json")) \
            and (path / "export_results.html").is_file():
        raise InvalidInput(f"{path}: a whole-account HTML export names no chat's type or id: import each "
                           "channel's folder (chats/chat_NNN) with --source telegram:<channel id or handle>")
    return open_export(path, local_tz)


def read_any_export(path: Path, local_tz: tzinfo | None = None) -> list[ExportChat]:
    """Every chat of a Telegram Desktop export in either format, each with all its posts parsed."""
    return [reader.read() for reader in open_any_export(path, local_tz)]
