"""Telegram Desktop's default HTML export: the page parser on recorded-format pages, the same posts as the
JSON format of the same channel, and an import with the same guarantees (idempotent, bad messages alone)."""

from __future__ import annotations

import shutil
from dataclasses import asdict
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import Cli
from watchfloor import runner
from watchfloor.errors import InvalidInput
from watchfloor.models import ParsedPost
from watchfloor.sources.telegram_html import html_pages, parse_html_page, read_any_export, read_html_export
from watchfloor.store.tables import import_errors, post_revisions, posts, sources

DATA = Path(__file__).parent / "data" / "telegram_html"
HTML = DATA / "sample_channel"
JSON = DATA / "sample_channel_json"
CHANNEL = 1900000777


def _by_id(folder: Path) -> dict[int, ParsedPost]:
    [chat] = read_any_export(folder)
    assert chat.errors == []
    return {p.message_id: p for p in chat.posts}


def test_pages_are_read_in_order_and_date_separators_skipped() -> None:
    assert [p.name for p in html_pages(HTML)] == ["messages.html", "messages2.html"]
    [chat] = read_html_export(HTML)
    assert chat.channel_id is None and chat.name == "Sample Harbour Desk"
    assert sorted(p.message_id for p in chat.posts) == list(range(1, 15))


def test_html_fields() -> None:
    posts = _by_id(HTML)
    assert posts[2].text == "The port authority said two ships docked on Tuesday.\nDetails: statement"
    assert posts[2].links == ["https://example.org/port"] and posts[2].author == "Desk editor"
    assert posts[2].posted_at == datetime(2024, 5, 23, 7, 0, tzinfo=UTC)  # 10:00 at UTC+03:00
    # a joined message (no from_name); hashtags and @mentions are not links, a URL is
    assert posts[3].links == ["https://example.org/schedule"] and "#Aden" in posts[3].text
    assert posts[4].forwarded_from == "Sample Coast Guard" and posts[4].text.startswith("The coast guard")
    assert posts[5].reply_to == 2 and posts[5].text == "Officials & inspectors met at the pier <east> gate."
    assert [(m.kind, m.path) for m in posts[5].media] == [("photo", "photos/photo_1@23-05-2024_10-40-00.jpg")]
    assert posts[7].text == "" and posts[7].media[0].kind == "photo"  # an album's second item
    assert (posts[8].kind, posts[8].text, posts[8].action) == ("service", "Pinned message 5", "pin_message")
    video = posts[9].media[0]
    assert (video.kind, video.path, video.duration_seconds) == ("video_file", "video_files/port.mp4", 42)
    document = posts[10].media[0]
    assert (document.kind, document.path, document.file_name) == ("file", "files/port-schedule.pdf",
                                                                  "port-schedule.pdf")
    absent = posts[11].media[0]
    assert (absent.kind, absent.path, absent.width, absent.height) == ("photo", None, 1280, 720)
    assert posts[12].reply_to == 2  # a reply to a message on another page
    assert posts[13].text == "Title changed to: Sample Harbour Wire"
    assert posts[14].text == "وصل الوفد إلى ميناء عدن يوم الثلاثاء."
    assert posts[1].text == "Channel created: Sample Harbour Desk"


# what the HTML format does not carry: the forward's origin id, edit times, declared sizes and types
NOT_IN_HTML = {"edited_at", "forwarded_from_id", "raw", "raw_json"}  # raw_json: the encoding of raw
MEDIA_IN_HTML = ("kind", "path", "file_name", "duration_seconds")


def test_the_same_channel_as_json_and_as_html_gives_the_same_posts() -> None:
    from_html, from_json = _by_id(HTML), _by_id(JSON)
    assert sorted(from_html) == sorted(from_json)
    for message_id, expected in from_json.items():
        got = from_html[message_id]
        for name, value in asdict(expected).items():
            if name in NOT_IN_HTML or name == "media":
                continue
            assert asdict(got)[name] == value, f"message {message_id}: {name}"
        assert [tuple(getattr(m, f) for f in MEDIA_IN_HTML) for m in got.media] == \
            [tuple(getattr(m, f) for f in MEDIA_IN_HTML) for m in expected.media], f"message {message_id}: media"


def test_an_older_export_without_an_offset_uses_the_stated_zone(tmp_path: Path) -> None:
    page = (HTML / "messages.html").read_text(encoding="utf-8").replace(" UTC+03:00", "")
    chat = parse_html_page(page, "messages.html", local_tz=timezone(timedelta(hours=3)))
    assert {p.message_id: p for p in chat.posts}[2].posted_at == datetime(2024, 5, 23, 7, 0, tzinfo=UTC)


def _page(messages: str) -> str:
    return ('<html><body><div class="page_header"><div class="text bold">\nSample Wire\n</div></div>'
            f'<div class="history">{messages}</div></body></html>')


def _message(ident: str, title: str = "23.05.2024 10:00:00 UTC+03:00", text: str = "A statement.") -> str:
    return (f'<div class="message default clearfix" id="{ident}"><div class="body">'
            f'<div class="pull_right date details" title="{title}">10:00</div>'
            f'<div class="text">\n{text}\n</div></div></div>')


BAD_MESSAGES = {
    "id beyond 64 bits": _message("message9223372036854775808"),
    "id superscript": _message("message\u00b2"),
    "id arabic-indic digits": _message("message\u0661\u0662"),
    "id empty": _message("message"),
    "id zero": _message("message0"),
    "date year 10000": _message("message101", title="01.01.10000 00:00:00 UTC+03:00"),
    "date year 1 east": _message("message102", title="01.01.0001 00:00:00 UTC+05:00"),
    "date year 9999 west": _message("message103", title="31.12.9999 23:59:59 UTC-05:00"),
    "date day 32": _message("message104", title="32.05.2024 10:00:00 UTC+03:00"),
    "date superscript": _message("message105", title="2\u00b3.05.2024 10:00:00 UTC+03:00"),
    "date offset 99 hours": _message("message106", title="23.05.2024 10:00:00 UTC+99:00"),
    "no date": '<div class="message default clearfix" id="message107"><div class="body">x</div></div>',
    "no body": '<div class="message default clearfix" id="message108"></div>',
}


def test_bad_html_messages_are_named_and_the_rest_read() -> None:
    good = [_message(f"message{i}", text=f"Statement {i}.") for i in range(1, 6)]
    mixed = "".join(g + b for g, b in zip(good, list(BAD_MESSAGES.values())[:5], strict=True))
    chat = parse_html_page(_page(mixed), "messages.html")
    assert sorted(p.message_id for p in chat.posts) == [1, 2, 3, 4, 5]
    assert len(chat.errors) == 5 and all(e.reason for e in chat.errors)
    rest = parse_html_page(_page("".join(BAD_MESSAGES.values())), "messages2.html")
    assert rest.posts == [] and len(rest.errors) == len(BAD_MESSAGES)
    assert all(e.message_id is None or 0 < e.message_id < 2**63 for e in rest.errors)


def test_text_a_database_cannot_hold_is_cleaned() -> None:
    chat = parse_html_page(_page(_message("message1", text="a\x00b \ud800 c &#0; d")), "m.html")
    [post] = chat.posts
    assert post.text == "ab \ufffd c \ufffd d"


def test_not_an_html_export_is_a_clear_error(tmp_path: Path) -> None:
    page = tmp_path / "messages.html"
    page.write_text("<html><body><p>hello</p></body></html>", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not a page of a Telegram Desktop HTML chat export"):
        read_any_export(tmp_path)
    page.write_bytes(b"<html>\xff\xfe</html>")
    with pytest.raises(InvalidInput, match="not UTF-8"):
        read_any_export(page)


def _count(engine: Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_import_detects_the_format_and_is_idempotent(store: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "ChatExport_2024-05-24"
    shutil.copytree(HTML, folder)
    (folder / "messages.html").write_bytes(b"\xef\xbb\xbf" + (folder / "messages.html").read_bytes())  # a BOM
    first = runner.import_telegram_export(store, folder, source_key=f"telegram:{CHANNEL}", batch_size=4)
    assert first.counts.inserted == 14 and first.errors == []
    again = runner.import_telegram_export(store, folder, source_key=f"telegram:{CHANNEL}", batch_size=4)
    assert (again.counts.inserted, again.counts.unchanged) == (0, 14)
    # the JSON export of the same channel then finds the same posts: nothing new, no revision
    from_json = runner.import_telegram_export(store, JSON)
    assert from_json.counts.inserted == 0 and from_json.counts.revisions == 0
    assert _count(store, posts) == 14 and _count(store, post_revisions) == 0
    with store.connect() as conn:
        assert conn.execute(sa.select(sources.c.key)).scalars().all() == [f"telegram:{CHANNEL}"]


def test_html_import_finds_its_source_by_name_or_asks_for_one(cli: Cli, store: Engine, tmp_path: Path) -> None:
    refused = cli("import", "telegram-export", str(HTML), ok=False)
    assert refused.exit_code == 1 and "--source telegram:" in refused.stderr and "Traceback" not in refused.output
    cli("sources", "add", f"telegram:{CHANNEL}", "--name", "Sample Harbour Desk")
    data = cli.json("import", "telegram-export", str(HTML))
    assert data["chats"][0]["source"] == f"telegram:{CHANNEL}" and data["chats"][0]["inserted"] == 14


def test_html_import_keeps_good_messages_beside_bad_ones(store: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    good = [_message(f"message{i}", text=f"Statement {i} on the talks.") for i in range(1, 21)]
    bad = list(BAD_MESSAGES.values())
    body = "".join(g + (bad[i] if i < len(bad) else "") for i, g in enumerate(good))
    (folder / "messages.html").write_text(_page(body), encoding="utf-8")
    report = runner.import_telegram_export(store, folder, source_key="telegram:harbour_wire", batch_size=3)
    assert report.counts.inserted == 20
    assert len(report.errors) == len(BAD_MESSAGES) == _count(store, import_errors)
    runner.import_telegram_export(store, folder, source_key="telegram:harbour_wire", batch_size=3)
    assert _count(store, import_errors) == len(BAD_MESSAGES) and _count(store, posts) == 20


def test_source_must_agree_with_the_export(store: Engine) -> None:
    with pytest.raises(InvalidInput, match="export is of channel 1900000777"):
        runner.import_telegram_export(store, JSON, source_key="telegram:1900000999")
    full_account = Path(__file__).parent / "data" / "telegram_export" / "full_account"
    with pytest.raises(InvalidInput, match="--source names one channel"):
        runner.import_telegram_export(store, full_account, source_key="telegram:1900000902")
    assert _count(store, posts) == 0


def test_a_joined_forward_takes_the_origin_named_before_it() -> None:
    def forwarded(ident: int, named: bool) -> str:
        name = ('<div class="from_name">\nPort Authority<span class="date details" title="22.05.2024 09:00:00 '
                'UTC+03:00"> 22.05.2024 09:00:00</span>\n</div>') if named else ""
        return (f'<div class="message default clearfix{"" if named else " joined"}" id="message{ident}">'
                '<div class="body"><div class="pull_right date details" title="23.05.2024 10:00:00 UTC+03:00">'
                f'10:00</div><div class="forwarded body">{name}<div class="text">\nNotice {ident}.\n</div>'
                "</div></div></div>")

    chat = parse_html_page(_page(forwarded(1, True) + forwarded(2, False) + _message("message3")), "m.html")
    origin = {p.message_id: p.forwarded_from for p in chat.posts}
    assert origin == {1: "Port Authority", 2: "Port Authority", 3: None}
