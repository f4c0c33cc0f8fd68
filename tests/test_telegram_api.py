"""The Telegram API collector on both sides of Telethon's client interface.

Messages are Telethon's own TL objects, passed through Telegram's binary wire format (serialised and
read back by Telethon), so the parser sees exactly what a live session would give it. The client is a
stand-in for Telegram's servers only: it answers ``get_entity`` and ``iter_messages`` from those
recorded messages and raises Telethon's real errors (flood wait, private, unknown channel)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from telethon import errors
from telethon.extensions import BinaryReader
from telethon.tl import types

from conftest import Cli, message, write_export
from watchfloor import runner
from watchfloor.models import Source
from watchfloor.sources.telegram_api import fetch_channel, parse_messages
from watchfloor.store import sources as source_store
from watchfloor.store.tables import posts, sources

CHANNEL_ID = 1999200001
T0 = datetime(2024, 6, 4, 9, 0, tzinfo=UTC)
PEER = types.PeerChannel(CHANNEL_ID)


def wire(obj: Any) -> Any:
    """A TL object as Telethon reads it back from Telegram's binary format."""
    return BinaryReader(bytes(obj)).tgread_object()


def channel(username: str = "harbour_wire") -> Any:
    return wire(types.Channel(id=CHANNEL_ID, title="Harbour Wire", photo=types.ChatPhotoEmpty(), date=T0,
                              broadcast=True, access_hash=42, username=username))


def msg(message_id: int, text: str, minutes: int, **extra: Any) -> Any:
    return wire(types.Message(id=message_id, peer_id=PEER, date=T0 + timedelta(minutes=minutes), message=text,
                              post=True, **extra))


def recorded() -> list[Any]:
    url_text = "🇾🇪 بيان الميناء https://example.org/port-statement اليوم"
    start = len("🇾🇪 بيان الميناء ".encode("utf-16-le")) // 2  # Telegram counts UTF-16 code units
    pdf = types.Document(id=9, access_hash=1, file_reference=b"", date=T0, mime_type="application/pdf", size=48213,
                         dc_id=2, attributes=[types.DocumentAttributeFilename('"><img src=x onerror=alert(1)>.pdf')])
    photo = types.MessageMediaPhoto(photo=types.PhotoEmpty(id=5))
    return [
        msg(1, url_text, 0, entities=[types.MessageEntityUrl(offset=start, length=len("https://example.org/port-statement"))]),
        msg(2, "The port authority said two ships docked on Tuesday.", 10, grouped_id=77, media=photo),
        msg(3, "", 10, grouped_id=77, media=photo),
        msg(4, "Statement forwarded from the coast guard channel.", 20,
            fwd_from=types.MessageFwdHeader(date=T0 - timedelta(hours=1), from_id=types.PeerChannel(1999200009),
                                            channel_post=55)),
        msg(5, "Officials added that inspections resumed.", 30, reply_to=types.MessageReplyHeader(reply_to_msg_id=1),
            views=1200, forwards=3, edit_date=T0 + timedelta(minutes=45), post_author="Desk",
            entities=[types.MessageEntityTextUrl(offset=0, length=9, url="https://example.org/officials")]),
        wire(types.MessageService(id=6, peer_id=PEER, date=T0 + timedelta(minutes=40),
                                  action=types.MessageActionPinMessage())),
        msg(7, "Port schedule attached.", 50, media=types.MessageMediaDocument(document=pdf)),
    ]


class RecordedClient:
    """Answers as Telegram would from recorded messages; raises Telethon's errors when told to."""

    def __init__(self, messages: list[Any], entity: Any, fail: list[BaseException] | None = None) -> None:
        self.messages, self.entity, self.fail = messages, entity, list(fail or [])
        self.calls: list[dict[str, Any]] = []

    def get_entity(self, entity: Any) -> Any:
        if self.fail:
            raise self.fail.pop(0)
        return self.entity

    def iter_messages(self, entity: Any, **kwargs: Any) -> Iterable[Any]:
        self.calls.append(kwargs)
        newer = [m for m in self.messages if m.id > kwargs.get("min_id", 0)]
        return sorted(newer, key=lambda m: m.id)[: kwargs.get("limit") or None]


def test_messages_become_posts() -> None:
    found = {p.message_id: p for p in parse_messages(recorded())}
    assert sorted(found) == [1, 2, 4, 5, 6, 7]  # the album's second item joined the first
    assert found[1].links == ["https://example.org/port-statement"]
    assert [m.kind for m in found[2].media] == ["photo", "photo"] and found[2].raw["grouped_id"] == 77
    assert (found[4].forwarded_from_id, found[4].raw["forwarded_post"]) == ("channel1999200009", 55)
    five = found[5]
    assert (five.reply_to, five.author, five.raw["views"]) == (1, "Desk", 1200)
    assert five.edited_at == T0 + timedelta(minutes=45) and five.links == ["https://example.org/officials"]
    assert (found[6].kind, found[6].action) == ("service", "PinMessage")
    document = found[7].media[0]
    assert (document.kind, document.mime_type, document.size) == ("file", "application/pdf", 48213)
    assert document.file_name == '"><img src=x onerror=alert(1)>.pdf'  # kept as data; the web app escapes it
    assert all(p.posted_at.tzinfo is UTC for p in found.values())


def test_flood_waits_are_slept_through_and_outcomes_noted() -> None:
    slept: list[float] = []
    client = RecordedClient(recorded(), channel(), fail=[errors.FloodWaitError(request=None, capture=7)])
    fetched = fetch_channel(client, "harbour_wire", sleep=slept.append)
    assert slept == [7.0] and fetched.status == "ok" and len(fetched.posts) == 6
    endless = RecordedClient(recorded(), channel(), fail=[errors.FloodWaitError(request=None, capture=1)] * 9)
    assert fetch_channel(endless, "harbour_wire", sleep=slept.append, max_waits=2).status == "error"
    private = fetch_channel(RecordedClient([], channel(), fail=[errors.ChannelPrivateError(request=None)]), "x_x_x")
    assert private.status == "private" and private.posts == []
    unknown = fetch_channel(RecordedClient([], channel(), fail=[errors.UsernameNotOccupiedError(request=None)]),
                            "nobody_here")
    assert unknown.status == "invalid" and "nobody_here" in (unknown.note or "")
    renamed = fetch_channel(RecordedClient(recorded(), channel("harbour_wire_2")), "harbour_wire")
    assert renamed.status == "renamed" and renamed.note == "@harbour_wire is now @harbour_wire_2"
    assert len(renamed.posts) == 6  # still collected


def _stored(engine: Engine) -> dict[int, Any]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(posts.c.message_id, posts.c.text, sources.c.key)
                            .join(sources, sources.c.id == posts.c.source_id)).all()
    return {row.message_id: row for row in rows}


def test_collection_is_incremental_and_merges_with_an_export(store: Engine, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "export", CHANNEL_ID, "Harbour Wire",
                          [message(1, "An older copy of the first post.", int(T0.timestamp()))]).parent
    runner.import_telegram_export(store, folder)
    with store.begin() as conn:
        source_store.add_source(conn, Source(key="telegram:harbour_wire", handle="harbour_wire",
                                             collector="telegram-api"))
    messages = recorded()
    client = RecordedClient(messages, channel())
    first = runner.collect_telegram_api(store, "telegram:harbour_wire", client)
    assert first.source == f"telegram:{CHANNEL_ID}"  # the export's source absorbed the live one
    assert first.counts.inserted == 5 and first.counts.updated == 1  # message 1 now carries the live text
    stored = _stored(store)
    assert sorted(stored) == [1, 2, 4, 5, 6, 7] and {r.key for r in stored.values()} == {f"telegram:{CHANNEL_ID}"}
    messages.append(msg(8, "A new statement on Wednesday.", 24 * 60))
    second = runner.collect_telegram_api(store, f"telegram:{CHANNEL_ID}", client)
    assert client.calls[-1]["min_id"] == 7 and second.counts.inserted == 1 and second.counts.updated == 0
    with store.connect() as conn:
        state = source_store.get_source(conn, f"telegram:{CHANNEL_ID}")
    assert state.cursor == 8 and state.state and state.state["status"] == "ok"


def test_a_private_channel_is_noted_not_fatal(store: Engine) -> None:
    with store.begin() as conn:
        source_store.add_source(conn, Source(key="telegram:closed_desk", handle="closed_desk",
                                             collector="telegram-api"))
    client = RecordedClient([], channel(), fail=[errors.ChannelPrivateError(request=None)])
    report = runner.collect_telegram_api(store, "telegram:closed_desk", client)
    assert report.status == "private"
    with store.connect() as conn:
        noted = source_store.get_source(conn, "telegram:closed_desk").state
    assert noted and noted["status"] == "private" and "private" in noted["note"]


def test_a_rename_updates_the_handle(store: Engine) -> None:
    handle = "harbour_wire"
    with store.begin() as conn:
        source_store.add_source(conn, Source(key=f"telegram:{handle}", handle=handle, collector="telegram-api"))
    report = runner.collect_telegram_api(store, f"telegram:{handle}", RecordedClient(recorded(), channel("harbour_2")))
    assert report.status == "renamed" and report.counts.inserted == 6
    with store.connect() as conn:
        assert source_store.get_source(conn, f"telegram:{handle}").handle == "harbour_2"


def test_collect_without_credentials_says_what_to_set(cli: Cli) -> None:
    cli("init")
    cli("sources", "add", "telegram:harbour_wire", "--collector", "telegram-api")
    result = cli("collect", "--source", "telegram:harbour_wire", ok=False)
    assert result.exit_code == 1 and "WATCHFLOOR_TELEGRAM_API_ID" in result.output
    refused = cli("sources", "add", "rss:https://example.org/feed.xml", "--collector", "telegram-api", ok=False)
    assert refused.exit_code == 1 and "telegram-api collector reads Telegram channels" in refused.output
