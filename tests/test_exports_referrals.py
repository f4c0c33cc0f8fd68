"""Takedown referrals: a story's or a channel's URLs with their evidence, checked against a real HTTP
server on loopback (a post that answers 200, then 404), and exported as CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import Cli, message, write_export
from loopback import Page, Site
from watchfloor.exports.referrals import ITEM_FIELDS
from watchfloor.store import db
from watchfloor.store.tables import posts

T0 = 1716458400  # 2024-05-23T10:00:00Z
CHANNEL = 1900000701


class Platform(Site):
    """A stand-in for t.me on loopback: every path answers 200 unless the test has taken it down."""

    def __init__(self) -> None:
        self.removed: set[str] = set()
        self.redirected: dict[str, str] = {}
        super().__init__(fallback=self._answer)

    def _answer(self, path: str) -> Page | None:
        if path in self.redirected:
            return 302, "text/html; charset=utf-8", "", {"Location": self.redirected[path]}
        return None if path in self.removed else "<html><body>post</body></html>"


@pytest.fixture
def platform() -> Iterator[Platform]:
    server = Platform()
    yield server
    server.close()


def _load(cli: Cli, tmp_path: Path) -> int:
    """Two channels reporting one event; returns the id of its story."""
    cli("init")
    cli("sources", "add", "telegram:sample_wire", "--channel-id", str(CHANNEL), "--name", "Sample Wire")
    write_export(tmp_path / "a", CHANNEL, "Sample Wire", [
        message(1, "Hezbollah said on Thursday that it had fired rockets at a military position near Metula.", T0),
        message(2, "The weather in Beirut was mild on Thursday.", T0 + 7200)])
    write_export(tmp_path / "b", 1900000702, "Sample Desk", [
        message(9, "Hezbollah said it fired rockets at a military position near Metula on Thursday.", T0 + 600)])
    cli("import", "telegram-export", str(tmp_path / "a"))
    cli("import", "telegram-export", str(tmp_path / "b"))
    cli("process")
    [story] = [s for s in cli.json("stories", "list", "--min-sources", "2")]
    return int(story["id"])


def test_referral_check_records_removal_and_exports_evidence(cli: Cli, tmp_path: Path, platform: Platform,
                                                             db_url: str) -> None:
    story_id = _load(cli, tmp_path)
    created = cli.json("referrals", "create", "--story", str(story_id))
    assert created["urls"] == 2
    [listed] = cli.json("referrals", "list")
    assert (listed["id"], listed["subject"], listed["urls"], listed["pending"]) == (
        created["id"], f"story:{story_id}", 2, 2)

    first = cli.json("referrals", "check", "--base-url", platform.url, "--allow-loopback", "--delay", "0")
    assert (first["checked"], first["up"], first["removed"], first["newly_removed"]) == (2, 2, 0, [])
    assert sorted(platform.requests) == ["/c/1900000702/9", "/sample_wire/1"]

    platform.removed.add("/sample_wire/1")
    second = cli.json("referrals", "check", "--base-url", platform.url, "--allow-loopback", "--delay", "0")
    assert (second["up"], second["removed"], second["newly_removed"]) == (1, 1, ["https://t.me/sample_wire/1"])
    third = cli.json("referrals", "check", "--base-url", platform.url, "--allow-loopback", "--delay", "0")
    assert third["removed"] == 1 and third["newly_removed"] == []  # removed once, not again
    [listed] = cli.json("referrals", "list")
    assert (listed["up"], listed["removed"], listed["pending"]) == (1, 1, 0) and listed["last_checked"]

    engine = db.connect(db_url, pooled=False)
    with engine.connect() as conn:
        stored = {row.message_id: row for row in conn.execute(
            sa.select(posts.c.id, posts.c.message_id, posts.c.content_hash, posts.c.imported_at))}
    engine.dispose()
    rows = list(csv.reader(io.StringIO(cli("referrals", "export").stdout, newline="")))
    assert tuple(rows[0]) == ITEM_FIELDS and len(rows) == 3
    by_url = {row[ITEM_FIELDS.index("url")]: dict(zip(ITEM_FIELDS, row, strict=True)) for row in rows[1:]}
    removed = by_url["https://t.me/sample_wire/1"]
    assert (removed["status"], removed["http_status"], removed["message_id"]) == ("removed", "404", "1")
    assert removed["content_hash"] == stored[1].content_hash and removed["post_id"] == str(stored[1].id)
    assert removed["captured_at"].startswith(stored[1].imported_at.strftime("%Y-%m-%dT%H:%M"))
    assert removed["removed_at"] and removed["removed_at"] <= removed["checked_at"]
    assert by_url["https://t.me/c/1900000702/9"]["status"] == "up"
    assert by_url["https://t.me/c/1900000702/9"]["removed_at"] == ""

    target = tmp_path / "evidence.json"
    cli("referrals", "export", "--referral", str(created["id"]), "--format", "json", "--out", str(target))
    items = json.loads(target.read_text(encoding="utf-8"))
    gone = next(i for i in items if i["url"] == "https://t.me/sample_wire/1")
    assert [c["status"] for c in gone["checks"]] == ["up", "removed", "removed"]
    assert gone["removed_at"] == gone["checks"][1]["at"]


def test_a_channel_referral_holds_the_channel_and_its_posts(cli: Cli, tmp_path: Path, platform: Platform) -> None:
    _load(cli, tmp_path)
    created = cli.json("referrals", "create", "--source", "telegram:sample_wire")
    assert created["urls"] == 3  # the channel and its two posts
    platform.redirected["/sample_wire"] = "https://t.me/"
    started = time.monotonic()
    report = cli.json("referrals", "check", "--referral", str(created["id"]), "--base-url", platform.url,
                      "--allow-loopback", "--delay", "0.2")
    assert time.monotonic() - started >= 0.4  # three requests, two pauses
    assert (report["up"], report["removed"]) == (2, 1)
    items = json.loads(cli("referrals", "export", "--format", "json").stdout)
    channel = next(i for i in items if i["url"] == "https://t.me/sample_wire")
    assert channel["post_id"] is None and channel["status"] == "removed" and "redirects" in channel["note"]


def test_referral_errors(cli: Cli, tmp_path: Path) -> None:
    _load(cli, tmp_path)
    result = cli("referrals", "create", "--story", "999", ok=False)
    assert result.exit_code == 1 and "no story 999" in result.output
    result = cli("referrals", "create", ok=False)
    assert result.exit_code == 1 and "--story ID or --source KEY" in result.output
    result = cli("referrals", "create", "--source", "telegram:sample_wire", "--platform", "x", ok=False)
    assert result.exit_code == 1 and "telegram only" in result.output
    result = cli("referrals", "export", "--referral", "5", ok=False)
    assert result.exit_code == 1 and "no referral 5" in result.output
    # loopback is refused unless allowed: the URL is recorded as not checked, never fetched
    cli("referrals", "create", "--source", "telegram:sample_wire")
    report = cli.json("referrals", "check", "--base-url", "http://127.0.0.1:9", "--delay", "0")
    assert report["error"] == 3 and report["up"] == 0
    [item, *_] = json.loads(cli("referrals", "export", "--format", "json").stdout)
    assert "private address" in item["note"]
