"""Reading Telegram Desktop exports for an import: each export's messages parsed, gathered into batches and
made ready for the store's bulk writer, in the importing process or, for a large import, in a process of its
own.

Parsing a message is pure Python and so is most of writing one (the driver takes the GIL back for each row),
so in one process the two take turns however they are threaded: a million posts took the sum of both. In a
reading process of its own the parsing runs beside the writing, on another core; what crosses between them is
each batch's encoded rows (the post is rebuilt from its row where the writer needs it: an edit, a fault).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import queue as queues
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from watchfloor.errors import InvalidInput, WatchfloorError
from watchfloor.models import ParsedPost
from watchfloor.sources.telegram_export import MessageError
from watchfloor.sources.telegram_html import open_any_export
from watchfloor.sources.telegram_reader import ChatReader
from watchfloor.store.bulk_import import Prepared, prepare

__all__ = ["APART_FROM_BYTES", "Batch", "ChatHead", "Event", "ReadPart", "ReaderStopped", "read_apart",
           "read_exports", "reads_apart"]

APART_FROM_BYTES = 64 * 1024 * 1024  # smaller imports are read in the importing process: a process costs ~0.5 s
BATCHES_AHEAD = 2  # batches the reading process may have ready before the writer takes them
_POLL_SECONDS = 0.5


class ReaderStopped(WatchfloorError):
    """The process reading the exports ended without finishing (killed, or out of memory)."""


@dataclass
class ChatHead:
    """A chat as the writer needs it: where its source comes from and what its report names."""

    channel_id: int | None
    name: str | None
    file: str
    own_source: bool  # its source is looked up on its own, before its first part is written (--source, HTML)


@dataclass
class ReadPart:
    """Some of a chat's posts in one batch, prepared, with the messages the parser refused while reading them."""

    chat: int  # the chat's place in the import's order
    head: ChatHead | None  # with the chat's first part only
    prepared: Prepared
    posts: int
    errors: Sequence[MessageError]
    last: bool


Batch = list[ReadPart]
Event = int | Batch  # a new estimate of the posts of all the exports, or a batch to write


def _estimate(counted: int, read_bytes: int, left_bytes: int) -> int:
    """The posts of all the exports, from those counted so far and the share of the files' bytes read."""
    return counted + (round(counted * left_bytes / read_bytes) if read_bytes and left_bytes else 0)


@dataclass
class _Gathering:
    """Chats' posts gathered into batches of up to ``batch_size`` across exports."""

    batch_size: int
    dialect: str
    pending: list[tuple[int, ChatHead | None, list[ParsedPost], list[MessageError], bool]] = field(
        default_factory=list)
    size: int = 0  # posts pending
    read: int = 0  # posts read in all
    chats: int = 0

    def take(self) -> Batch:
        """The gathered parts, prepared for the writer (so on this side of a process boundary)."""
        taken, self.pending, self.size = self.pending, [], 0
        return [ReadPart(chat, head, prepare(posts, self.dialect), len(posts), errors, last)
                for chat, head, posts, errors, last in taken]

    def add(self, reader: ChatReader, own_source: bool) -> Iterator[Batch]:
        """Read a chat's posts into the parts, yielding each batch as it fills."""
        chat = reader.chat
        head: ChatHead | None = ChatHead(chat.channel_id, chat.name, chat.file, own_source)
        token, self.chats = self.chats, self.chats + 1
        if own_source and self.pending:  # its source is resolved after the chats before it are stored
            yield self.take()
        posts, errors_told = reader.posts(), 0
        coming = next(posts, None)  # one post ahead, so the chat's last part is known as such
        while True:
            piece: list[ParsedPost] = []
            while coming is not None and len(piece) < self.batch_size - self.size:
                piece.append(coming)
                coming = next(posts, None)
            self.pending.append((token, head, piece, chat.errors[errors_told:], coming is None))
            head, errors_told = None, len(chat.errors)
            self.size += len(piece)
            self.read += len(piece)
            if self.size >= self.batch_size:
                yield self.take()
            if coming is None:
                return


def read_exports(paths: Sequence[Path], sizes: Sequence[int], batch_size: int, dialect: str,
                 source_key: str | None) -> Generator[Event, None, None]:
    """The batches of several exports read one after another, with estimates of the total between them;
    ``sizes``: the exports' sizes in bytes (for the estimate; zeros where unknown). An export that cannot be
    read is raised after the batch of what was read before it."""
    gathering = _Gathering(max(1, batch_size), dialect)
    try:
        for index, path in enumerate(paths):
            chats = open_any_export(Path(path))
            if source_key is not None and len(chats) > 1:
                raise InvalidInput(f"--source names one channel, and {path} holds {len(chats)}: "
                                   "import it without --source")
            read = sum(sizes[:index + 1]), sum(sizes[index + 1:])
            yield _estimate(gathering.read + sum(chat.count for chat in chats), *read)
            for reader in chats:
                yield from gathering.add(reader, source_key is not None or reader.chat.channel_id is None)
            yield _estimate(gathering.read, *read)  # refused and repeated messages are no posts: exact at the end
            del chats  # the next export replaces this one in memory
    except Exception:
        if gathering.pending:
            yield gathering.take()
        raise
    if gathering.pending:
        yield gathering.take()


def reads_apart(sizes: Sequence[int], cores: int | None = None) -> bool:
    """Whether an import of exports of these sizes is read in a process of its own: a large one, with a core
    to spare."""
    return sum(sizes) >= APART_FROM_BYTES and (cores if cores is not None else os.cpu_count() or 1) > 1


def read_apart(paths: Sequence[Path], sizes: Sequence[int], batch_size: int, dialect: str,
               source_key: str | None) -> Generator[Event, None, None]:
    """``read_exports`` run in a process of its own; its events in order, its error raised here. The process
    is stopped when the import stops early, and stops itself if the importing process dies."""
    context = multiprocessing.get_context("spawn")  # no copy of the importer's connections and threads
    channel = context.Queue(maxsize=BATCHES_AHEAD)
    reader = context.Process(target=_read_into, name="watchfloor-import-reader", daemon=True,
                             args=(channel, [str(p) for p in paths], list(sizes), batch_size, dialect, source_key))
    reader.start()
    try:
        yield from _received(channel, reader)
    finally:
        if reader.is_alive():
            reader.kill()
        reader.join()
        channel.close()


def _received(channel: Any, reader: BaseProcess) -> Iterator[Event]:
    while True:
        try:
            kind, payload = channel.get(timeout=_POLL_SECONDS)
        except queues.Empty:
            if reader.is_alive():
                continue
            try:  # its last words may have come in between
                kind, payload = channel.get(timeout=_POLL_SECONDS)
            except queues.Empty:
                raise ReaderStopped(f"the process reading the exports ended without finishing (exit code "
                                    f"{reader.exitcode}): import again; what was written so far is kept "
                                    "and is not written twice") from None
        if kind == "end":
            return
        if kind == "error":
            raise pickle.loads(payload)
        yield pickle.loads(payload)


def _read_into(channel: Any, paths: list[str], sizes: list[int], batch_size: int, dialect: str,
               source_key: str | None) -> None:
    """The reading process: each event pickled here (so a failure to pickle is this side's error)."""
    gc.disable()  # parsing makes millions of small objects and no cycles
    try:
        for event in read_exports([Path(p) for p in paths], sizes, batch_size, dialect, source_key):
            _put(channel, ("event", pickle.dumps(event, pickle.HIGHEST_PROTOCOL)))
    except BaseException as exc:  # noqa: BLE001 - every error is the importer's to raise
        try:
            payload = pickle.dumps(exc)
            pickle.loads(payload)
        except Exception:  # noqa: BLE001 - an error that will not cross is sent as its words
            payload = pickle.dumps(InvalidInput(f"{type(exc).__name__}: {exc}"))
        _put(channel, ("error", payload))
    else:
        _put(channel, ("end", b""))
    channel.close()
    channel.join_thread()


def _put(channel: Any, item: tuple[str, bytes]) -> None:
    parent = multiprocessing.parent_process()
    while True:
        try:
            channel.put(item, timeout=_POLL_SECONDS)
            return
        except queues.Full:
            if parent is not None and not parent.is_alive():
                os._exit(1)  # nobody is left to write what is read
