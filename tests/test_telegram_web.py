"""The t.me/s collector: the page parser on the preview's markup, and collection from a real HTTP
server on loopback (paging back to the cursor, an edit between two collections, a vanished channel,
a merge with an export), with fetches refused outside the configured host and to private addresses."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from conftest import Cli, message, write_export
from loopback import Page, Site
from make_preview import CHANNEL_ID, HANDLE, page
from make_preview import message as post
from watchfloor.errors import InvalidInput
from watchfloor.sources.telegram_web import parse_page, parse_views
from watchfloor.sources.web_fetch import FetchPolicy, fetch

NEWEST = [post(21, "2024-05-23T09:00:00+00:00",
               "The delegation arrived in Baghdad on Thursday.<br/>Talks begin today."),
          post(22, "2024-05-23T10:00:00+00:00", "Talks in Baghdad continued.", forwarded="other_wire",
               author="Desk editor"),
          post(23, "2024-05-23T11:00:00+00:00", "Photographs from the talks.", reply=21, photo=True)]
OLDER = [post(19, "2024-05-22T09:00:00+00:00", "A statement was issued in Beirut."),
         post(20, "2024-05-22T10:00:00+00:00", "The spokesman said a meeting would follow.", views="12.5K")]


def test_parse_page_reads_the_markup() -> None:
    parsed = parse_page(page(NEWEST, before=21))
    assert (parsed.handle, parsed.channel_id, parsed.title, parsed.before) == (HANDLE, CHANNEL_ID, "Sample Wire", 21)
    first, forward, reply = parsed.posts
    assert first.message_id == 21 and first.text == "The delegation arrived in Baghdad on Thursday.\nTalks begin today."
    assert first.posted_at == datetime(2024, 5, 23, 9, tzinfo=UTC) and first.raw["views"] == 1200
    assert (forward.forwarded_from, forward.author) == ("other_wire", "Desk editor")
    assert reply.reply_to == 21 and reply.text == "Photographs from the talks."  # not the quoted reply text
    assert [(m.kind, m.path) for m in reply.media] == [("photo", "https://cdn.example/photo.jpg")]
    assert parse_views("1.2M") == 1_200_000 and parse_views("845") == 845 and parse_views("x") is None


def test_hostile_markup_is_kept_as_text() -> None:
    hostile = html.escape('<script>alert(1)</script><img src=x onerror=alert(2)>')
    parsed = parse_page(page([post(5, "2024-05-23T09:00:00+00:00", hostile + ' <a href="javascript:alert(3)">x</a>')]))
    [only] = parsed.posts
    assert only.text.startswith("<script>alert(1)</script>")  # decoded text, rendered escaped later
    assert only.links == []  # javascript: links are not collected
    with pytest.raises(InvalidInput, match="over the"):
        parse_page("x" * (6 * 1024 * 1024))
    assert parse_page("<html><body>nothing</body></html>").posts == []


def _preview_gone(path: str) -> Page | None:
    """t.me's answer for a channel without a public preview: a redirect to its plain page."""
    if path.startswith("/s/") and "?" not in path:
        return 302, "text/html; charset=utf-8", "", {"Location": "https://t.me/" + path[3:]}
    return None


@pytest.fixture
def site() -> Iterator[Site]:
    """A preview server on loopback whose pages a test can change between collections."""
    server = Site(fallback=_preview_gone)
    yield server
    server.close()


def test_collect_pages_back_then_resumes_from_the_cursor_and_keeps_edits(cli: Cli, site: Site) -> None:
    cli("init")
    cli("sources", "add", f"telegram:{HANDLE}", "--collector", "telegram-web", "--affiliation", "Sample")
    site.pages[f"/s/{HANDLE}"] = page(NEWEST, before=21)
    site.pages[f"/s/{HANDLE}?before=21"] = page(OLDER)
    [first] = cli.json("collect", "--base-url", site.url, "--allow-loopback")
    assert (first["status"], first["pages"], first["inserted"]) == ("ok", 2, 5)
    source = cli.json("sources", "list")[0]
    assert (source["channel_id"], source["cursor"], source["state"]["status"]) == (CHANNEL_ID, 23, "ok")
    # a new post and an edit: the next collection reads one page, stops at the cursor, keeps the old text
    site.pages[f"/s/{HANDLE}"] = page([post(21, "2024-05-23T09:00:00+00:00", "The delegation arrived in Baghdad "
                                            "on Thursday evening.", edited=True), *NEWEST[1:],
                                       post(24, "2024-05-23T12:00:00+00:00", "The talks ended.")], before=21)
    site.requests.clear()
    [second] = cli.json("collect", "--base-url", site.url, "--allow-loopback")
    assert (second["pages"], second["inserted"], second["revisions"]) == (1, 1, 1)
    assert site.requests == [f"/s/{HANDLE}"]
    texts = {p["message_id"]: p["text"] for p in cli.json("posts", "list")}
    assert texts[21] == "The delegation arrived in Baghdad on Thursday evening." and texts[24] == "The talks ended."
    assert cli.json("posts", "list", "--source", f"telegram:{HANDLE}")[0]["url"] == f"https://t.me/{HANDLE}/24"


def test_a_channel_without_a_preview_is_noted_not_fatal(cli: Cli, site: Site) -> None:
    cli("init")
    cli("sources", "add", "telegram:gone_channel", "--collector", "telegram-web")
    [report] = cli.json("collect", "--base-url", site.url, "--allow-loopback")
    assert report["status"] == "unavailable" and "no public preview" in report["note"]
    assert cli.json("sources", "list")[0]["state"]["status"] == "unavailable"


def test_collected_posts_merge_with_an_export_of_the_same_channel(cli: Cli, site: Site, tmp_path: object) -> None:
    from pathlib import Path

    cli("init")
    export = write_export(Path(str(tmp_path)) / "x", CHANNEL_ID, "Sample Wire",
                          [message(20, "The spokesman said a meeting would follow.", 1716372000)])
    cli("import", "telegram-export", str(export))
    cli("sources", "add", f"telegram:{HANDLE}", "--collector", "telegram-web")
    site.pages[f"/s/{HANDLE}"] = page(NEWEST, before=21)
    site.pages[f"/s/{HANDLE}?before=21"] = page(OLDER)
    [report] = cli.json("collect", "--base-url", site.url, "--allow-loopback")
    assert report["source"] == f"telegram:{CHANNEL_ID}" and report["inserted"] == 4  # post 20 came from the export
    ids = sorted(p["message_id"] for p in cli.json("posts", "list", "--source", f"telegram:{CHANNEL_ID}"))
    assert ids == [19, 20, 21, 22, 23]


def test_fetches_are_refused_off_the_configured_host_and_to_private_addresses(site: Site) -> None:
    site.pages["/s/x"] = "ok"
    with pytest.raises(InvalidInput, match="private address"):
        fetch(site.url + "/s/x", FetchPolicy(hosts=frozenset({"127.0.0.1"})))
    with pytest.raises(InvalidInput, match="not among the hosts"):
        fetch(site.url + "/s/x", FetchPolicy(hosts=frozenset({"t.me"}), allow_private=True))
    with pytest.raises(InvalidInput, match="only http"):
        fetch("file:///etc/passwd", FetchPolicy(hosts=frozenset({""}), allow_private=True))
    assert fetch(site.url + "/s/x", FetchPolicy(hosts=frozenset({"127.0.0.1"}), allow_private=True))[:2] == (200, "ok")
    loopback = FetchPolicy(hosts=frozenset({"127.0.0.1"}), allow_private=True)
    status, _, location = fetch(site.url + "/s/elsewhere", loopback)
    assert status == 302 and location == "https://t.me/elsewhere"  # reported, not followed


BAD_DATES = ["not a date", "99999-01-01T00:00:00+00:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
             "", "2024-13-45T00:00:00+00:00", "２０２４-05-23T09:00:00+00:00"]


@pytest.mark.parametrize("bad", BAD_DATES)
def test_one_bad_post_costs_only_itself(bad: str) -> None:
    broken = post(22, bad, "Talks in Baghdad continued.")
    unnumbered = post(24, "2024-05-23T12:00:00+00:00", "No number.").replace(f"{HANDLE}/24\"", f"{HANDLE}/²\"", 1)
    parsed = parse_page(page([NEWEST[0], broken, NEWEST[2], unnumbered]))
    assert [p.message_id for p in parsed.posts] == [21, 23]
    assert [known for known, _ in parsed.errors] == [22, None]
    assert "22" in parsed.errors[0][1] and 22 in parsed.spans()  # still shown: never taken for deleted


def test_a_collected_page_with_a_bad_post_stores_the_rest_and_records_it(cli: Cli, site: Site) -> None:
    import sqlalchemy as sa

    cli("init")
    cli("sources", "add", f"telegram:{HANDLE}", "--collector", "telegram-web")
    site.pages[f"/s/{HANDLE}"] = page(NEWEST)
    cli.json("collect", "--base-url", site.url, "--allow-loopback")
    site.pages[f"/s/{HANDLE}"] = page([post(21, "2024-05-23T09:00:00+00:00", "The delegation arrived.",
                                            edited=True), post(22, "99999-01-01T00:00:00+00:00", "x"),
                                       NEWEST[2], post(24, "2024-05-23T12:00:00+00:00", "The talks ended.")])
    [report] = cli.json("collect", "--base-url", site.url, "--allow-loopback")
    assert (report["status"], report["inserted"], report["revisions"]) == ("ok", 1, 1)
    listed = {p["message_id"]: p for p in cli.json("posts", "list")}
    assert set(listed) == {21, 22, 23, 24} and listed[22]["text"] == "Talks in Baghdad continued."
    assert not listed[22].get("deleted_at")  # unreadable this time, not gone
    cli.json("collect", "--base-url", site.url, "--allow-loopback")  # the same page again: recorded once
    engine = sa.create_engine(cli.db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT message_id, reason FROM import_errors")).all()
    engine.dispose()
    assert [row.message_id for row in rows] == [22] and "99999" in rows[0].reason
