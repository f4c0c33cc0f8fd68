"""Telegram Desktop "Export chat history" (JSON): the pure parser of one message, and what a chat and its
media are (``telegram_reader`` reads the files: a single chat's ``result.json`` or a whole-account export).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from watchfloor.errors import InvalidInput
from watchfloor.models import Media, ParsedPost, Source, encode_raw
from watchfloor.sources.limits import INT64_MAX, MAX_DEPTH, clean_text, storable

__all__ = ["ExportChat", "MessageError", "parse_message", "channel_source", "message_url", "export_file",
           "MAX_TEXT_CHARS", "MAX_FILE_BYTES", "CHAT_TYPES", "clean_text", "storable", "EARLIEST", "LATEST",
           "INT64_MAX", "MAX_DEPTH", "int64", "message_key"]

CHAT_TYPES = frozenset({"public_channel", "private_channel", "public_supergroup", "private_supergroup",
                        "private_group"})
MAX_TEXT_CHARS = 1_000_000  # a longer message is quarantined, not stored cut
MAX_FILE_BYTES = 2 * 1024**3
_MEDIA_KINDS = frozenset({"sticker", "video_message", "voice_message", "animation", "video_file", "audio_file"})
EARLIEST = datetime(2013, 1, 1, tzinfo=UTC)  # Telegram did not exist before this
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
_ASCII_INT = re.compile(r"-?[0-9]{1,19}")  # str.isdigit() also accepts '²' and other digits int() refuses


@dataclass
class MessageError:
    """A message that could not be read, and why."""

    file: str
    message_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"message {self.message_id}" if self.message_id is not None else "a message without an id"
        return f"{self.file}, {where}: {self.reason}"


@dataclass
class ExportChat:
    """One channel or group read from an export."""

    channel_id: int | None  # None when the export does not say (the HTML format)
    name: str | None
    chat_type: str
    file: str
    posts: list[ParsedPost] = field(default_factory=list)
    errors: list[MessageError] = field(default_factory=list)


def int64(value: Any) -> int | None:
    """An integer the database can hold (64-bit), from a JSON number or a string of ASCII digits."""
    if value is None:
        return None
    if type(value) is int:  # the common case first (bool, a subclass, is refused below)
        return value if -INT64_MAX - 1 <= value <= INT64_MAX else None
    if isinstance(value, bool):
        return None
    if type(value) is str and value.isascii() and value.isdigit() and len(value) <= 18:  # unix time, as written
        return int(value)
    if isinstance(value, str) and _ASCII_INT.fullmatch(value.strip()):
        value = int(value.strip())
    if isinstance(value, int) and -INT64_MAX - 1 <= value <= INT64_MAX:
        return value
    return None


def _as_is(text: str) -> str:
    return text


def _text_of(value: Any, file: str, message_id: int, clean: Callable[[str], str] = clean_text,
             ) -> tuple[str, list[str]]:
    """The plain text and the link targets of a message's ``text`` field."""
    if value is None:
        return "", []
    if isinstance(value, str):
        return clean(value), []
    if not isinstance(value, list):
        raise InvalidInput(f"{file}, message {message_id}: text must be a string or a list, "
                           f"not {type(value).__name__}")
    parts: list[str] = []
    links: list[str] = []
    for part in value:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict):
            text = part.get("text", "")
            if not isinstance(text, str):
                raise InvalidInput(f"{file}, message {message_id}: an entity's text is not a string")
            parts.append(text)
            if part.get("type") == "text_link" and isinstance(part.get("href"), str):
                links.append(part["href"])
            elif part.get("type") == "link":
                links.append(text)
        else:
            raise InvalidInput(f"{file}, message {message_id}: unexpected {type(part).__name__} in text")
    return clean("".join(parts)), links


def _entity_links(entities: Any) -> list[str]:
    links: list[str] = []
    if isinstance(entities, list):
        for entity in entities:
            if isinstance(entity, dict):
                if entity.get("type") == "text_link" and isinstance(entity.get("href"), str):
                    links.append(entity["href"])
                elif entity.get("type") == "link" and isinstance(entity.get("text"), str):
                    links.append(entity["text"])
    return links


def _moment(msg: dict[str, Any], unix_key: str, local_key: str, local_tz: tzinfo | None,
            file: str, message_id: int) -> datetime | None:
    unix_value = msg.get(unix_key)
    if unix_value is None and local_key not in msg:
        return None
    unix = int64(unix_value)
    if unix_value is not None and unix is None:
        raise InvalidInput(f"{file}, message {message_id}: {unix_key} {_short(unix_value)} is not a number of seconds")
    try:
        if unix is not None:
            moment = datetime.fromtimestamp(unix, UTC)
        elif isinstance(msg.get(local_key), str):
            try:
                moment = datetime.fromisoformat(msg[local_key])
            except ValueError as exc:
                raise InvalidInput(f"{file}, message {message_id}: {local_key} {_short(msg[local_key])} "
                                   "is not a date") from exc
            # old exports: the exporting machine's local time, without offset; assume local_tz (UTC by default)
            moment = (moment.replace(tzinfo=local_tz or UTC) if moment.tzinfo is None else moment).astimezone(UTC)
        else:
            return None
    except (OverflowError, OSError, ValueError) as exc:  # beyond what a datetime holds (years 1 to 9999)
        raise InvalidInput(f"{file}, message {message_id}: {unix_key if unix is not None else local_key} "
                           "is out of range") from exc
    if not EARLIEST <= moment <= LATEST:
        raise InvalidInput(f"{file}, message {message_id}: date {moment.isoformat()} is out of range")
    return moment


def _short(value: Any) -> str:
    """A value for an error message: its repr (which escapes NUL and surrogates), cut short."""
    text = repr(value) if not isinstance(value, int) or abs(value) < 10**30 else f"of {len(str(abs(value)))} digits"
    return text if len(text) <= 80 else text[:77] + "..."


def _service_text(msg: dict[str, Any]) -> str:
    action = str(msg.get("action") or "service")
    title = msg.get("title")
    if action == "create_channel" and isinstance(title, str):
        return clean_text(f"Channel created: {title}")
    if action == "edit_group_title" and isinstance(title, str):
        return clean_text(f"Title changed to: {title}")
    if action == "pin_message" and int64(msg.get("message_id")) is not None:
        return f"Pinned message {int64(msg.get('message_id'))}"
    return clean_text(action.replace("_", " ").capitalize())


def _media(msg: dict[str, Any], clean: Callable[[str], str] = clean_text) -> list[Media]:
    found: list[Media] = []
    photo = msg.get("photo")
    if isinstance(photo, str):
        found.append(Media(kind="photo", path=None if photo.startswith("(") else clean(photo),
                           width=int64(msg.get("width")), height=int64(msg.get("height"))))
    file_value = msg.get("file")
    if isinstance(file_value, str):
        kind = msg.get("media_type") if msg.get("media_type") in _MEDIA_KINDS else "file"
        file_name = msg.get("file_name")
        mime = msg.get("mime_type")
        found.append(Media(kind=str(kind), path=None if file_value.startswith("(") else clean(file_value),
                           file_name=clean(file_name) if isinstance(file_name, str) else None,
                           mime_type=clean(mime) if isinstance(mime, str) else None,
                           size=int64(msg.get("file_size")),
                           width=int64(msg.get("width")), height=int64(msg.get("height")),
                           duration_seconds=int64(msg.get("duration_seconds"))))
    return found


def _within_depth(value: Any, file: str, message_id: int, depth: int = 0) -> None:
    """Refuse more than MAX_DEPTH levels of objects and lists, as ``storable`` does."""
    if depth >= MAX_DEPTH:
        raise InvalidInput(f"{file}, message {message_id}: nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, dict):
        value = value.values()
    elif not isinstance(value, list):
        return
    for item in value:
        if isinstance(item, (dict, list)):
            _within_depth(item, file, message_id, depth + 1)


def _encoded_within_depth(msg: dict[str, Any], file: str, message_id: int) -> str:
    """The message's ``encode_raw``, made once: fewer brackets in it than MAX_DEPTH proves the nesting shallow
    enough without walking it (brackets inside strings only overcount; then the walk decides)."""
    try:
        encoded = encode_raw(msg)
    except RecursionError:
        encoded = ""  # deeper than the encoder goes: the walk refuses it
    if not encoded or encoded.count("{") + encoded.count("[") > MAX_DEPTH:
        _within_depth(msg, file, message_id)
    return encoded


def parse_message(msg: Any, file: str, local_tz: tzinfo | None = None, strings_clean: bool = False) -> ParsedPost:
    """One export message as a ParsedPost; InvalidInput names the file and message when it is malformed.
    ``strings_clean``: the file holds no NUL or surrogate (``loads`` says), so strings need no cleaning."""
    if not isinstance(msg, dict):
        raise InvalidInput(f"{file}: a message is a {type(msg).__name__}, not an object")
    written_id = msg.get("id")
    message_id = int64(written_id)
    if message_id is None or message_id <= 0 or isinstance(written_id, str):
        raise InvalidInput(f"{file}: message id {_short(written_id)} is not a positive 64-bit integer")
    kind = msg.get("type", "message")
    if kind not in ("message", "service", "unsupported"):
        raise InvalidInput(f"{file}, message {message_id}: unknown message type {_short(kind)}")
    raw_json: str | None = None
    if strings_clean:  # only the nesting needs a look, and the encoding the store needs shows it
        raw_json = _encoded_within_depth(msg, file, message_id) or None
        raw = msg
        clean: Callable[[str], str] = _as_is
    else:
        raw = storable(msg, file, message_id)
        clean = clean_text
    posted_at = _moment(msg, "date_unixtime", "date", local_tz, file, message_id)
    if posted_at is None:
        raise InvalidInput(f"{file}, message {message_id}: no date")
    text, links = _text_of(msg.get("text"), file, message_id, clean)
    if len(text) > MAX_TEXT_CHARS:
        raise InvalidInput(f"{file}, message {message_id}: text of {len(text)} characters exceeds "
                           f"{MAX_TEXT_CHARS}; quarantined")
    links += _entity_links(msg.get("text_entities"))
    if links:
        links = list(dict.fromkeys(clean(link) for link in links))
    if kind == "service" and not text:
        text = _service_text(msg)

    return ParsedPost(
        message_id=message_id, posted_at=posted_at, text=text, kind=kind,
        edited_at=_moment(msg, "edited_unixtime", "edited", local_tz, file, message_id),
        author=_optional(msg.get("author"), clean), forwarded_from=_optional(msg.get("forwarded_from"), clean),
        forwarded_from_id=_optional(msg.get("forwarded_from_id"), clean, 64),
        reply_to=int64(msg.get("reply_to_message_id")), action=_optional(msg.get("action"), clean), links=links,
        media=_media(msg, clean), raw=raw, raw_json=raw_json,
    )


def _optional(value: Any, clean: Callable[[str], str], longest: int = MAX_TEXT_CHARS) -> str | None:
    """A string field the message may leave out: None when absent, empty, not text or longer than ``longest``."""
    return clean(value) if type(value) is str and value and len(value) <= longest else None


def channel_source(chat: ExportChat) -> Source:
    """The source an exported chat belongs to: ``telegram:<channel id>``."""
    return Source(key=f"telegram:{chat.channel_id}", channel_id=chat.channel_id, name=chat.name)


def message_url(handle: str | None, channel_id: int, message_id: int) -> str:
    """The public link to a message: by handle when known, else the t.me/c form."""
    return f"https://t.me/{handle}/{message_id}" if handle else f"https://t.me/c/{channel_id}/{message_id}"


def export_file(folder: Path, relative: str) -> Path:
    """The file an export names by relative path, resolved safely: absolute paths, ``..`` and links that
    lead outside the export folder are refused (InvalidInput), as is anything but a regular file."""
    if not relative or "\x00" in relative:
        raise InvalidInput(f"refused media path {relative!r}: empty or not a path")
    candidate = Path(relative.replace("\\", "/"))
    if candidate.is_absolute() or relative.startswith(("/", "\\")) or (len(relative) > 1 and relative[1] == ":"):
        raise InvalidInput(f"refused media path {relative!r}: absolute paths are not read")
    if ".." in candidate.parts:
        raise InvalidInput(f"refused media path {relative!r}: it climbs out of the export folder")
    base = Path(folder).resolve()
    target = (base / candidate).resolve()
    if not target.is_relative_to(base):
        raise InvalidInput(f"refused media path {relative!r}: it leads outside the export folder")
    if not target.exists():
        raise InvalidInput(f"media file {relative!r} is not in the export folder")
    if not target.is_file():
        raise InvalidInput(f"refused media path {relative!r}: not a regular file")
    return target


def message_key(msg: Any) -> int | None:
    """The id a raw export message is written with, as far as it reads as a 64-bit integer (None otherwise)."""
    return int64(msg.get("id")) if isinstance(msg, dict) else None
