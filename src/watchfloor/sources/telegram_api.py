"""The Telegram API collector: Telethon with the analyst's own session.

Two halves, as for the other sources: ``parse_messages`` turns Telethon's message objects into
ParsedPosts (pure, tested on messages in Telegram's real TL wire format), and ``fetch_channel`` drives
any client with Telethon's interface (``get_entity``, ``iter_messages``), incrementally by message id,
honouring flood waits and turning private, invalid and renamed channels into a noted outcome.

Albums (messages sharing a ``grouped_id``) become one post keyed by the album's first message id, with
every item's media and the caption. Forwards keep the original channel id and post; replies, views,
signatures and edit times are kept; the raw message (``to_dict``) is stored beside the fields.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from watchfloor.errors import InvalidInput, NotConfigured
from watchfloor.ids import is_id
from watchfloor.models import Media, ParsedPost, Source
from watchfloor.sources.base import Collected, CollectOptions, Fetch, Stored, nothing_stored
from watchfloor.sources.limits import clean_text, storable

__all__ = ["parse_messages", "fetch_channel", "ChannelFetch", "TelegramClientLike", "open_client",
           "TelegramApiCollector"]


class TelegramClientLike(Protocol):
    """The part of Telethon's (sync) TelegramClient the collector uses."""

    def get_entity(self, entity: Any) -> Any: ...

    def iter_messages(self, entity: Any, **kwargs: Any) -> Iterable[Any]: ...


def _text(value: Any) -> str | None:
    return clean_text(value) if isinstance(value, str) and value else None


def _json_safe(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _slice_utf16(text: str, offset: int, length: int) -> str:
    """Telegram counts entity offsets in UTF-16 code units."""
    encoded = text.encode("utf-16-le")
    return encoded[offset * 2:(offset + length) * 2].decode("utf-16-le", errors="replace")


def _links(message: Any) -> list[str]:
    found: list[str] = []
    text = message.message or ""
    for entity in message.entities or []:
        kind = type(entity).__name__
        if kind == "MessageEntityTextUrl":
            found.append(clean_text(entity.url))
        elif kind == "MessageEntityUrl" and entity.offset >= 0 and entity.length > 0:
            found.append(clean_text(_slice_utf16(text, entity.offset, entity.length)))
    return [link for link in dict.fromkeys(found) if link]


def _media(message: Any) -> list[Media]:
    media = message.media
    if media is None:
        return []
    kind = type(media).__name__
    if kind == "MessageMediaPhoto":
        return [Media(kind="photo")]
    if kind == "MessageMediaDocument" and media.document is not None and hasattr(media.document, "mime_type"):
        document = media.document
        name = next((a.file_name for a in document.attributes if type(a).__name__ == "DocumentAttributeFilename"),
                    None)
        video = next((a for a in document.attributes if type(a).__name__ == "DocumentAttributeVideo"), None)
        audio = next((a for a in document.attributes if type(a).__name__ == "DocumentAttributeAudio"), None)
        sort = "video_file" if video else ("voice_message" if audio and audio.voice else
                                           "audio_file" if audio else "file")
        return [Media(kind=sort, file_name=_text(name), mime_type=_text(document.mime_type), size=document.size,
                      width=getattr(video, "w", None), height=getattr(video, "h", None),
                      duration_seconds=int(video.duration) if video and video.duration else None)]
    if kind == "MessageMediaWebPage":
        return []
    return [Media(kind=kind.removeprefix("MessageMedia").lower())]


def _forward(message: Any) -> tuple[str | None, str | None, int | None]:
    header = message.fwd_from
    if header is None:
        return None, None, None
    origin = header.from_id
    origin_id = None
    if origin is not None and type(origin).__name__ == "PeerChannel":
        origin_id = f"channel{origin.channel_id}"
    elif origin is not None and type(origin).__name__ == "PeerUser":
        origin_id = f"user{origin.user_id}"
    return _text(header.from_name) or origin_id, origin_id, header.channel_post


def _one(message: Any) -> ParsedPost:
    posted = _utc(message.date)
    assert posted is not None
    forwarded_from, forwarded_from_id, original_post = _forward(message)
    raw = storable(_json_safe(message.to_dict()), "telegram-api", message.id)
    if type(message).__name__ == "MessageService":
        action = type(message.action).__name__.removeprefix("MessageAction")
        return ParsedPost(message_id=message.id, posted_at=posted, text="", kind="service",
                          action=action, raw=raw)
    reply = message.reply_to
    return ParsedPost(
        message_id=message.id, posted_at=posted, text=_text(message.message) or "", edited_at=_utc(message.edit_date),
        author=_text(message.post_author), forwarded_from=forwarded_from, forwarded_from_id=forwarded_from_id,
        reply_to=getattr(reply, "reply_to_msg_id", None), links=_links(message), media=_media(message),
        raw={**raw, "views": message.views, "forwarded_post": original_post})


def parse_messages(messages: Iterable[Any]) -> list[ParsedPost]:
    """Telethon messages to posts, oldest first; an album's items become one post."""
    posts: list[ParsedPost] = []
    albums: dict[int, ParsedPost] = {}
    for message in sorted(messages, key=lambda m: m.id):
        if type(message).__name__ == "MessageEmpty":
            continue
        parsed = _one(message)
        group = getattr(message, "grouped_id", None)
        if group is None:
            posts.append(parsed)
            continue
        album = albums.get(group)
        if album is None:
            parsed.raw = {"album": [parsed.raw], "grouped_id": group}
            albums[group] = parsed
            posts.append(parsed)
            continue
        album.media.extend(parsed.media)
        album.links = list(dict.fromkeys(album.links + parsed.links))
        album.raw["album"].append(parsed.raw)
        if parsed.text and parsed.text not in album.text:
            album.text = (album.text + "\n\n" + parsed.text).strip()
        if parsed.edited_at and (album.edited_at is None or parsed.edited_at > album.edited_at):
            album.edited_at = parsed.edited_at
    return posts


@dataclass
class ChannelFetch:
    """What one fetch found: the posts, the channel as it is now, and the outcome."""

    status: str  # ok | private | invalid | renamed | error
    posts: list[ParsedPost] = field(default_factory=list)
    channel_id: int | None = None
    handle: str | None = None
    title: str | None = None
    note: str | None = None
    waited: float = 0.0


def fetch_channel(client: TelegramClientLike, handle_or_id: str | int, after_id: int = 0, limit: int = 5000,
                  sleep: Callable[[float], None] | None = None, max_waits: int = 3) -> ChannelFetch:
    """Messages newer than ``after_id``, oldest first. Flood waits are slept through (up to ``max_waits``
    times); a private, unknown or renamed channel is reported in the outcome, never raised."""
    import time

    from telethon import errors

    pause = sleep or time.sleep
    result = ChannelFetch(status="ok")
    for attempt in range(max_waits + 1):
        try:
            entity = client.get_entity(handle_or_id)
            result.channel_id = getattr(entity, "id", None)
            result.title = getattr(entity, "title", None)
            result.handle = (getattr(entity, "username", None) or "").lower() or None
            messages = list(client.iter_messages(entity, min_id=after_id, reverse=True, limit=limit))
            result.posts = parse_messages(messages)
            break
        except errors.FloodWaitError as exc:
            if attempt == max_waits:
                result.status, result.note = "error", f"flood wait of {exc.seconds} s after {max_waits} waits"
                return result
            result.waited += exc.seconds
            pause(float(exc.seconds))
        except (errors.ChannelPrivateError, errors.ChannelInvalidError) as exc:
            result.status, result.note = "private", f"the channel is private or closed to this account ({exc})"
            return result
        except (errors.UsernameInvalidError, errors.UsernameNotOccupiedError, ValueError) as exc:
            result.status, result.note = "invalid", f"no channel {handle_or_id!r} ({exc})"
            return result
    asked = str(handle_or_id).lstrip("@").lower()
    if not is_id(asked.lstrip("-")) and result.handle and result.handle != asked:
        result.status, result.note = "renamed", f"@{asked} is now @{result.handle}"
    return result


def open_client(session: str | None, api_id: str | None, api_hash: str | None) -> TelegramClientLike:
    """A started, synchronous Telethon client on the analyst's own session (log in once interactively)."""
    if not (session and api_id and api_hash):
        raise NotConfigured("the telegram-api collector needs WATCHFLOOR_TELEGRAM_API_ID, "
                            "WATCHFLOOR_TELEGRAM_API_HASH (from my.telegram.org) and WATCHFLOOR_TELEGRAM_SESSION "
                            "(a session file path); run `watchfloor collect` once in a terminal to log in")
    from telethon.sync import TelegramClient

    client = TelegramClient(session, int(api_id), api_hash)
    client.start()
    return client  # type: ignore[no-any-return]


class TelegramApiCollector:
    """A channel through the Telegram API (Telethon, the analyst's own session): every message after the cursor."""

    name = "telegram-api"
    version = "1"
    platforms: tuple[str, ...] = ("telegram",)
    settings: tuple[str, ...] = ("telegram_session", "telegram_api_id", "telegram_api_hash")

    def check(self, source: Source) -> None:
        """Telegram channels, by handle or numeric id."""
        if source.platform not in self.platforms or not (source.handle or source.channel_id is not None):
            raise InvalidInput("the telegram-api collector reads Telegram channels: add telegram:<handle or id>")

    def read(self, source: Source, fetch: Fetch, options: CollectOptions,
             stored: Stored = nothing_stored) -> Collected:
        """Messages newer than the cursor through the options' client (or one opened from the settings);
        ``fetch`` is not used: Telethon speaks MTProto."""
        self.check(source)
        client = options.telegram_client
        if client is None:
            settings = options.settings
            client = open_client(*(settings.get(n) if settings else None for n in self.settings))
        target: str | int = source.handle or (source.channel_id if source.channel_id is not None else source.key)
        fetched = fetch_channel(client, target, after_id=source.cursor or 0, limit=options.api_limit,
                                sleep=options.sleep)
        return Collected(status=fetched.status, note=fetched.note, pages=1, posts=fetched.posts,
                         channel_id=fetched.channel_id, handle=fetched.handle, title=fetched.title)
