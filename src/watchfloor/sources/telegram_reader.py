"""Reading Telegram Desktop JSON export files: a single chat's ``result.json``, a whole-account export
(``chats.list`` and ``left_chats.list``), or a folder of them. Only channels and groups are read; personal
chats, bot chats and saved messages are skipped, since Watchfloor watches outlets, not people's private
conversations.

A file is read and checked whole (its JSON, and each chat's id and list of messages) before anything is
returned, so a file that cannot be read stores nothing; the messages are then parsed one by one as they are
asked for (``ChatReader.posts``), so an importer writes one batch while the next is parsed.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from datetime import tzinfo
from pathlib import Path
from typing import Any

from watchfloor.errors import InvalidInput
from watchfloor.models import ParsedPost
from watchfloor.sources.telegram_export import (
    CHAT_TYPES,
    MAX_FILE_BYTES,
    ExportChat,
    MessageError,
    clean_text,
    int64,
    message_key,
    parse_message,
)

__all__ = ["ChatReader", "loads", "open_chats", "open_export", "parse_export_data", "read_export"]


class ChatReader:
    """One chat of an export, its messages parsed as they are asked for. ``chat`` holds the chat's id, name,
    type and file; the messages it refuses are added to ``chat.errors`` as they are met. A chat another reader
    parsed whole (the HTML format) is read back as it is."""

    def __init__(self, chat: ExportChat, messages: Sequence[Any] | None = None, local_tz: tzinfo | None = None,
                 strings_clean: bool = False) -> None:
        self.chat = chat
        self._messages = messages
        self._local_tz = local_tz
        self._strings_clean = strings_clean

    @property
    def count(self) -> int:
        """How many messages the chat holds (before any is refused)."""
        return len(self.chat.posts) if self._messages is None else len(self._messages)

    def posts(self) -> Iterator[ParsedPost]:
        """The chat's posts in the export's order. An id written twice is one post: the last copy that parses,
        given where the last copy stands (an earlier copy is held until then)."""
        if self._messages is None:
            yield from self.chat.posts
            return
        keys = [message_key(msg) for msg in self._messages]
        last = {key: index for index, key in enumerate(keys) if key is not None}
        held: dict[int, ParsedPost] = {}
        file = self.chat.file
        for index, (msg, key) in enumerate(zip(self._messages, keys, strict=True)):
            try:
                parsed: ParsedPost | None = parse_message(msg, file, self._local_tz, self._strings_clean)
            except InvalidInput as exc:
                reason = str(exc).split(": ", 1)[-1] if str(exc).startswith(file) else str(exc)
                self.chat.errors.append(MessageError(file, key if key and key > 0 else None, reason))
                parsed = None
            if key is None:  # no id: refused above
                continue
            if last[key] != index:
                if parsed is not None:
                    held[key] = parsed
                continue
            earlier = held.pop(key, None)
            found = parsed if parsed is not None else earlier
            if found is not None:
                yield found

    def read(self) -> ExportChat:
        """The chat with every post parsed."""
        if self._messages is not None:
            self.chat.posts = list(self.posts())
            self._messages = None
        return self.chat


def _chat_reader(chat: dict[str, Any], file: str, local_tz: tzinfo | None, strings_clean: bool) -> ChatReader:
    channel_id = int64(chat.get("id"))
    if channel_id is None:
        raise InvalidInput(f"{file}: the chat has no numeric 64-bit id")
    name = chat.get("name")
    messages = chat.get("messages")
    if not isinstance(messages, list):
        raise InvalidInput(f"{file}: chat {channel_id} has no list of messages")
    head = ExportChat(channel_id=channel_id, name=clean_text(name) if isinstance(name, str) else None,
                      chat_type=str(chat.get("type", "")), file=file)
    return ChatReader(head, messages, local_tz, strings_clean)


def open_chats(data: Any, file: str, local_tz: tzinfo | None = None, strings_clean: bool = False
               ) -> list[ChatReader]:
    """Every channel and group in a parsed export (single chat or whole account), checked and ready to read;
    ``strings_clean`` when ``loads`` found no NUL or surrogate in the file (its strings then need no cleaning)."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{file}: not a Telegram export (the root is not an object)")
    if "messages" in data:
        if data.get("type") and data.get("type") not in CHAT_TYPES:
            raise InvalidInput(f"{file}: chat type {data.get('type')!r} is not a channel or group")
        return [_chat_reader(data, file, local_tz, strings_clean)]
    chats: list[ChatReader] = []
    found_lists = False
    for section in ("chats", "left_chats"):
        listing = data.get(section)
        if isinstance(listing, dict) and isinstance(listing.get("list"), list):
            found_lists = True
            for chat in listing["list"]:
                if isinstance(chat, dict) and chat.get("type") in CHAT_TYPES and chat.get("messages"):
                    chats.append(_chat_reader(chat, file, local_tz, strings_clean))
    if not found_lists:
        raise InvalidInput(f"{file}: not a Telegram Desktop JSON export (no 'messages' and no 'chats' list)")
    return chats


def parse_export_data(data: Any, file: str, local_tz: tzinfo | None = None,
                      strings_clean: bool = False) -> list[ExportChat]:
    """Every channel and group in a parsed export, each with all its posts parsed."""
    return [reader.read() for reader in open_chats(data, file, local_tz, strings_clean)]


def _export_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        if (path / "result.json").is_file():
            return [path / "result.json"]
        candidates = sorted(path.glob("*.json")) or sorted(path.glob("*/result.json"))  # or a folder of exports
        if candidates:
            return candidates
        raise InvalidInput(f"{path}: no result.json, other .json export, messages.html, or export folders "
                           "in this folder")
    raise InvalidInput(f"{path}: no such file or folder")


def _number(text: str) -> int | str:
    return int(text) if len(text) <= 40 else text  # a longer one is kept as written (int() refuses 4,300+ digits)


def _decimal(text: str) -> float | str:
    value = float(text)
    return value if math.isfinite(value) else text


_UNSTORABLE_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")  # NUL, and any surrogate half


def loads(data: bytes) -> tuple[Any, bool]:
    """JSON from an export file's bytes: UTF-8 with or without a byte-order mark; numbers too long or too
    large for Python are kept as their text, NaN and Infinity as theirs (so the message can be judged alone).
    Also whether no string in it can hold NUL or a lone surrogate (the only way in is an escape)."""
    text = data.decode("utf-8-sig")
    data_read = json.loads(text, parse_int=_number, parse_float=_decimal, parse_constant=str)
    return data_read, _UNSTORABLE_ESCAPE.search(text) is None


def open_export(path: Path, local_tz: tzinfo | None = None, max_bytes: int = MAX_FILE_BYTES) -> list[ChatReader]:
    """The chats of an export file or folder, every file read and checked first; their messages are parsed
    as they are asked for."""
    chats: list[ChatReader] = []
    for file in _export_files(Path(path)):
        size = file.stat().st_size if file.exists() else 0
        if size > max_bytes:
            raise InvalidInput(f"{file}: {size} bytes is over the {max_bytes}-byte limit for one export file")
        try:
            # json.load reads it whole; a streaming parser (ijson) is the way to larger exports
            data, strings_clean = loads(file.read_bytes())
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{file}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
        except RecursionError as exc:
            raise InvalidInput(f"{file}: JSON nested too deeply") from exc
        except OSError as exc:
            raise InvalidInput(f"{file}: cannot be read ({exc.strerror or exc})") from exc
        chats.extend(open_chats(data, str(file), local_tz, strings_clean))
    return chats


def read_export(path: Path, local_tz: tzinfo | None = None, max_bytes: int = MAX_FILE_BYTES) -> list[ExportChat]:
    """Read an export file or folder, every post parsed before anything is returned."""
    return [reader.read() for reader in open_export(path, local_tz, max_bytes)]
