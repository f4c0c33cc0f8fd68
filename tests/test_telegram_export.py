"""The Telegram Desktop export parser on recorded-format files, including malformed and hostile ones."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from watchfloor.errors import InvalidInput
from watchfloor.sources.telegram_export import channel_source, message_url
from watchfloor.sources.telegram_reader import parse_export_data, read_export

DATA = Path(__file__).parent / "data" / "telegram_export"


def test_single_chat_fields() -> None:
    [chat] = read_export(DATA / "single_chat.json")
    assert (chat.channel_id, chat.name, chat.chat_type) == (1900000901, "Sample Gulf Desk", "public_channel")
    posts = {p.message_id: p for p in chat.posts}
    assert sorted(posts) == [1, 2, 3, 4, 5, 6, 9]
    assert posts[1].kind == "service" and posts[1].text == "Channel created: Sample Gulf Desk"
    assert posts[2].posted_at == datetime(2024, 5, 22, 10, 0, tzinfo=UTC)
    assert posts[3].text == "Full statement here #Baghdad"
    assert posts[3].links == ["https://example.org/statement"]
    assert posts[3].edited_at == datetime(2024, 5, 22, 11, 0, tzinfo=UTC) and posts[3].author == "Desk editor"
    assert posts[4].forwarded_from == "Sample Levant Wire" and posts[4].reply_to == 2
    assert [(m.kind, m.path, m.width) for m in posts[4].media] == [("photo", None, 1280)]
    video = posts[5].media[0]
    assert (video.kind, video.path, video.size, video.mime_type, video.duration_seconds) == (
        "video_file", "files/statement.mp4", 1048576, "video/mp4", 42)
    assert posts[6].kind == "unsupported" and posts[6].text == ""
    assert posts[2].raw["from_id"] == "channel1900000901"  # the message is kept exactly as read


def test_bad_messages_are_named_and_the_rest_parsed() -> None:
    [chat] = read_export(DATA / "single_chat.json")
    errors = [str(e) for e in chat.errors]
    assert len(errors) == 2
    assert "single_chat.json" in errors[0] and "'seven'" in errors[0]
    assert "message 8" in errors[1] and "text" in errors[1]


def test_old_export_dates_use_the_stated_local_zone() -> None:
    [chat] = read_export(DATA / "single_chat.json", local_tz=timezone(timedelta(hours=3)))
    old = next(p for p in chat.posts if p.message_id == 9)
    assert old.posted_at == datetime(2024, 5, 22, 13, 35, tzinfo=UTC)
    [chat] = read_export(DATA / "single_chat.json")
    assert next(p for p in chat.posts if p.message_id == 9).posted_at == datetime(2024, 5, 22, 16, 35, tzinfo=UTC)


def test_full_account_export_reads_channels_and_left_channels_only() -> None:
    chats = read_export(DATA / "full_account")
    assert [(c.channel_id, c.name) for c in chats] == [(1900000902, "Sample Persian Desk"),
                                                       (1900000903, "Sample Old Wire")]
    assert channel_source(chats[0]).key == "telegram:1900000902"


def test_unreadable_inputs_are_clear_errors(tmp_path: Path) -> None:
    broken = tmp_path / "result.json"
    broken.write_text('{"name": "x", "messages": [', encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"result.json: not valid JSON \(.* line 1"):
        read_export(tmp_path)
    with pytest.raises(InvalidInput, match="no such file"):
        read_export(tmp_path / "missing")
    with pytest.raises(InvalidInput, match="not a Telegram Desktop JSON export"):
        parse_export_data({"hello": 1}, "x.json")
    with pytest.raises(InvalidInput, match="not a channel or group"):
        parse_export_data({"type": "personal_chat", "id": 1, "messages": []}, "x.json")
    big = tmp_path / "big.json"
    big.write_text("{}", encoding="utf-8")
    with pytest.raises(InvalidInput, match="over the 1-byte limit"):
        read_export(big, max_bytes=1)
    latin1 = tmp_path / "latin1" / "result.json"
    latin1.parent.mkdir()
    latin1.write_bytes(b'{"name": "\xe9"}')
    with pytest.raises(InvalidInput, match="not UTF-8"):
        read_export(latin1)


def test_hostile_messages() -> None:
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    messages = [
        {"id": 1, "type": "message", "date_unixtime": "1716372000", "text": "a\x00b " + script},
        {"id": 2, "type": "message", "date_unixtime": "1716372000", "text": ["x"] * 10_000},
        {"id": 3, "type": "message", "date_unixtime": "1716372000", "text": "y" * 2_000_000},
        {"id": True, "type": "message", "date_unixtime": "1716372000", "text": "bool id"},
        {"id": 5, "type": "message", "date_unixtime": "99999999999", "text": "far future"},
        {"id": 6, "type": "message", "date_unixtime": "1716372000", "text": [{"type": "bold", "text": 7}]},
    ]
    [chat] = parse_export_data({"name": script, "type": "public_channel", "id": 42, "messages": messages}, "h.json")
    assert chat.name == script  # kept verbatim: escaping is the renderer's job
    kept = {p.message_id: p for p in chat.posts}
    assert sorted(kept) == [1, 2]
    assert kept[1].text == "ab " + script and len(kept[2].text) == 10_000
    assert {e.message_id for e in chat.errors} == {3, None, 5, 6}
    assert any("quarantined" in e.reason for e in chat.errors)


def test_message_urls() -> None:
    assert message_url("sampledesk", 1, 7) == "https://t.me/sampledesk/7"
    assert message_url(None, 1900000901, 7) == "https://t.me/c/1900000901/7"
    json.dumps([message_url(None, 1, 1)])
