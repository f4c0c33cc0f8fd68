"""`forwarded_from` in a post's JSON is an object naming the origin as far as the source told it: the
preview's link gives a handle and the original post's id, an export may give the channel's id."""

from __future__ import annotations

from pathlib import Path

from conftest import Cli, message, write_export
from watchfloor.shapes import forward_json


def test_forward_json_reads_what_each_source_captures() -> None:
    assert forward_json(None, None) is None
    assert forward_json("Sample Levant Wire", None) == {"name": "Sample Levant Wire", "handle": None,
                                                        "channel_id": None, "message_id": None}
    assert forward_json("Other Wire", "https://t.me/Other_Wire/512") == {
        "name": "Other Wire", "handle": "other_wire", "channel_id": None, "message_id": 512}
    assert forward_json("Closed Desk", "https://t.me/c/1900000123/77")["channel_id"] == 1900000123
    assert forward_json("Desk", "channel1900000123")["channel_id"] == 1900000123
    assert forward_json("A reader", "user4242") == {"name": "A reader", "handle": None, "channel_id": None,
                                                    "message_id": None}  # people are not named by id
    assert forward_json(None, "https://evil.example/x/1")["handle"] is None  # only Telegram's own links


def test_posts_list_json_shows_the_forward_object(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    export = write_export(tmp_path / "x", 1900000901, "Sample Gulf Desk", [
        message(1, "Talks in Baghdad continued.", 1716372000, forwarded_from="Sample Levant Wire",
                forwarded_from_id="channel1900000123"),
        message(2, "Flights to Basra resumed.", 1716375600)])
    cli("import", "telegram-export", str(export))
    posts = {p["message_id"]: p for p in cli.json("posts", "list")}
    assert posts[1]["forwarded_from"] == {"name": "Sample Levant Wire", "handle": None, "channel_id": 1900000123,
                                          "message_id": None}
    assert posts[2]["forwarded_from"] is None and posts[2]["deleted_at"] is None
