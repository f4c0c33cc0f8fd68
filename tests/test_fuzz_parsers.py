"""Every parser of hostile input, fuzzed with hypothesis: the Telegram export (JSON and HTML), the t.me/s
preview, RSS/Atom, Telethon's objects and uploaded media. No exception escapes but the documented one
(InvalidInput; ValueError from load_image; none at all from inspect), and every post a parser hands on is
one the database can hold (the store's own check finds nothing to refuse)."""

from __future__ import annotations

import contextlib
import html
import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from make_preview import data_view
from make_preview import message as preview_message
from make_preview import page as preview_page
from watchfloor.errors import InvalidInput
from watchfloor.media.inspect import inspect, load_image
from watchfloor.models import ParsedPost
from watchfloor.sources.rss import extract_article, find_feed_link, parse_feed
from watchfloor.sources.telegram_html import parse_html_page, read_any_export
from watchfloor.sources.telegram_reader import parse_export_data, read_export
from watchfloor.sources.telegram_web import parse_page
from watchfloor.store.importing import storable_problem

# --- the classes of hostile values, with the examples as members of each ---------------------------

ANY_CHAR = st.characters(exclude_categories=())  # surrogates too: a JSON \ud800 escape gives one
ODD_DIGITS = st.sampled_from(["\u00b2", "\u00b3", "\u00b9", "\u2070", "\u2460", "\u0661", "\u06f3", "\u0967",
                              "\uff11", "\U0001d7ce", "\u0e51", "\u1040"])  # isdigit() but not always int()
HOSTILE_STRINGS = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.sampled_from(["", "\x00", "a\x00b", "\ud800", "\udfff", "\udc00\ud800", "\u202e", "\ufeff", "NaN",
                     "Infinity", "-0", "1e400", "9" * 25, "-" + "9" * 25, "0x10", " 12 ", "1_000", "+5"]),
    st.lists(ODD_DIGITS | st.sampled_from("0123456789-"), min_size=1, max_size=22).map("".join),
)
BIG_INTS = st.one_of(st.integers(), st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 2**64,
                                                     10**20, 10**30, 253402300799, 253402300800,
                                                     -62135596800, -62135596801]))
SCALARS = st.one_of(st.none(), st.booleans(), BIG_INTS, st.floats(allow_nan=True, allow_infinity=True),
                    HOSTILE_STRINGS)
JSONISH = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(HOSTILE_STRINGS, inner, max_size=4), max_leaves=12)
DATES = st.one_of(HOSTILE_STRINGS, st.sampled_from([
    "2024-05-23T10:00:00", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "0000-01-01T00:00:00",
    "2024-13-01T00:00:00", "2024-05-23T10:00:00+24:00", "2024-05-23", "2024-05-23T10:00:00Z"]))
MESSAGE_FIELDS = {
    "id": st.one_of(BIG_INTS, SCALARS), "type": st.sampled_from(["message", "service", "unsupported", "poll"]),
    "date": DATES, "date_unixtime": st.one_of(BIG_INTS.map(str), SCALARS), "edited": DATES,
    "edited_unixtime": st.one_of(BIG_INTS.map(str), SCALARS), "text": JSONISH, "text_entities": JSONISH,
    "author": SCALARS, "forwarded_from": SCALARS, "forwarded_from_id": SCALARS, "reply_to_message_id": SCALARS,
    "action": SCALARS, "title": SCALARS, "message_id": SCALARS, "photo": SCALARS, "file": SCALARS,
    "file_name": SCALARS, "mime_type": SCALARS, "media_type": SCALARS, "width": SCALARS, "height": SCALARS,
    "file_size": SCALARS, "duration_seconds": SCALARS, "extra": JSONISH,
}
MESSAGES = st.fixed_dictionaries({}, optional=MESSAGE_FIELDS) | JSONISH


def _assert_storable(posts: list[ParsedPost]) -> None:
    for post in posts:
        assert storable_problem(post) is None, (post.message_id, storable_problem(post))


# --- Telegram Desktop export, JSON ------------------------------------------------------------------------

@given(st.lists(MESSAGES, max_size=8), SCALARS, JSONISH)
def test_json_export_messages(messages: list[Any], chat_id: Any, name: Any) -> None:
    data = {"name": name, "type": "public_channel", "id": chat_id, "messages": messages}
    try:
        chats = parse_export_data(data, "result.json")
    except InvalidInput:
        return
    for chat in chats:
        _assert_storable(chat.posts)
        assert all(e.message_id is None or 0 < e.message_id < 2**63 for e in chat.errors)
        assert len(chat.posts) + len(chat.errors) <= len(messages)


@given(JSONISH)
def test_json_export_any_document(data: Any) -> None:
    try:
        for chat in parse_export_data(data, "result.json"):
            _assert_storable(chat.posts)
    except InvalidInput:
        pass


def _read_bytes(body: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / name
        target.write_bytes(body)
        try:
            for chat in read_any_export(target):
                _assert_storable(chat.posts)
        except InvalidInput:
            pass


JSON_TEXT = st.recursive(SCALARS.map(lambda v: json.dumps(v) if not isinstance(v, str) else json.dumps(v)),
                         lambda inner: st.lists(inner, max_size=4).map(lambda xs: "[" + ",".join(xs) + "]"),
                         max_leaves=10)


@given(st.one_of(
    st.binary(max_size=300),
    st.tuples(st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe"]), JSON_TEXT.map(str.encode)).map(b"".join),
    st.tuples(st.just('{"name": "x", "type": "public_channel", "id": 5, "messages": ['),
              st.lists(st.sampled_from(['{"id": 1, "date_unixtime": "1716458400", "text": "a"}', "NaN", "1e999",
                                        "9" * 5000, '{"id": ' + "9" * 5000 + "}", '"\\ud800"', '"\\u0000"',
                                        "[" * 50 + "]" * 50, "{", "]"]), max_size=5).map(",".join),
              st.sampled_from(["]}", "", "]"])).map(lambda parts: "".join(parts).encode()),
))
def test_json_export_any_file(body: bytes) -> None:
    _read_bytes(body, "result.json")


def test_json_export_nested_past_the_parser_limit_is_a_clear_error() -> None:
    body = '{"name": "x", "type": "public_channel", "id": 5, "messages": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "result.json").write_text(body, encoding="utf-8")
        with pytest.raises(InvalidInput, match="nested too deeply"):
            read_export(Path(folder))


# --- Telegram Desktop export, HTML ------------------------------------------------------------------------

ATTRIBUTE = HOSTILE_STRINGS.map(lambda s: html.escape(s, quote=True))


@st.composite
def html_messages(draw: st.DrawFn) -> str:
    ident = draw(st.one_of(BIG_INTS.map(lambda n: f"message{n}"), HOSTILE_STRINGS.map(lambda s: "message" + s)))
    title = draw(st.one_of(st.sampled_from(["23.05.2024 10:00:00 UTC+03:00", "01.01.0001 00:00:00 UTC+05:00",
                                            "31.12.9999 23:59:59 UTC-05:00", "23.05.2024 10:00:00",
                                            "23.05.2024 10:00:00 UTC+99:99"]), HOSTILE_STRINGS))
    service = draw(st.booleans())
    body = draw(st.lists(st.sampled_from([
        '<div class="text">{t}</div>', '<div class="signature details">{t}</div>',
        '<div class="forwarded body"><div class="from_name">{t}<span class="date details" title="{a}">x</span>'
        "</div></div>",
        '<div class="reply_to details">In reply to <a href="#go_to_message{a}" onclick="return GoToMessage({a})">'
        "this message</a></div>",
        '<div class="media_wrap clearfix"><a class="photo_wrap clearfix pull_left" href="{a}"></a></div>',
        '<div class="media_wrap clearfix"><a class="media clearfix pull_left block_link media_file" href="{a}">'
        '<div class="body"><div class="title bold">{t}</div><div class="status details">{t}</div></div></a></div>',
        '<div class="media_wrap clearfix"><div class="media clearfix pull_left media_video"><div class="body">'
        '<div class="title bold">{t}</div><div class="status details">{t}</div></div></div></div>',
        '<div class="media_wrap clearfix"><a class="video_file_wrap" href="{a}"><div class="video_duration">{t}'
        "</div></a></div>",
        '<div class="text"><a href="{a}">{t}</a><br>{t}<strong>{t}</strong></div>',
        "<div><div><div><div>{t}</div></div></div></div>",
    ]), max_size=5))
    parts = "".join(p.format(t=html.escape(draw(HOSTILE_STRINGS)), a=draw(ATTRIBUTE)) for p in body)
    kind = "service" if service else "default clearfix"
    return (f'<div class="message {kind}" id="{html.escape(ident, quote=True)}"><div class="body">'
            f'<div class="pull_right date details" title="{html.escape(title, quote=True)}">10:00</div>{parts}'
            "</div></div>")


@given(st.lists(html_messages(), max_size=6), HOSTILE_STRINGS)
def test_html_export_messages(messages: list[str], name: str) -> None:
    page = (f'<html><body><div class="page_header"><div class="text bold">{html.escape(name)}</div></div>'
            f'<div class="history">{"".join(messages)}</div></body></html>')
    try:
        chat = parse_html_page(page, "messages.html")
    except InvalidInput:
        return
    _assert_storable(chat.posts)
    assert all(e.message_id is None or 0 < e.message_id < 2**63 for e in chat.errors)
    assert len(chat.posts) + len(chat.errors) <= len(messages)


@given(st.one_of(st.text(ANY_CHAR, max_size=400), st.binary(max_size=300)))
@example("\ud800")  # found in the preview parser: BeautifulSoup cannot look at a lone surrogate
@example("http:")
@example("<?xml version='1.0'?><rss/>")
def test_html_export_any_page(page: str | bytes) -> None:
    with contextlib.suppress(InvalidInput):
        _assert_storable(parse_html_page(page, "messages.html").posts)


# --- the t.me/s preview -----------------------------------------------------------------------------------

@st.composite
def preview_messages(draw: st.DrawFn) -> str:
    number = draw(st.one_of(BIG_INTS.map(str), HOSTILE_STRINGS))
    when = draw(DATES)
    text = html.escape(draw(HOSTILE_STRINGS)) + draw(st.sampled_from(["", '<a href="https://x.example/\x00">l</a>',
                                                                     "<br/>", "<b>", "</div>"]))
    built = preview_message(1, "2024-05-23T09:00:00+00:00", text, views=html.escape(draw(HOSTILE_STRINGS)),
                            forwarded=draw(st.none() | st.sampled_from(["other_wire", "x\x00"])),
                            reply=draw(st.none() | st.integers(1, 10)), author=draw(st.none() | HOSTILE_STRINGS),
                            photo=draw(st.booleans()))
    album = draw(st.one_of(st.none(), BIG_INTS.map(str), HOSTILE_STRINGS))
    if album is not None:  # an album's other item, linked as the preview links it
        built = built.replace('<div class="tgme_widget_message_text', '<div class="tgme_widget_message_grouped_wrap">'
                              f'<a href="https://t.me/sample_wire/{html.escape(album, quote=True)}?single"></a></div>'
                              '<div class="tgme_widget_message_text', 1)
    view = draw(st.one_of(st.just(data_view(1)), ATTRIBUTE, JSONISH.map(
        lambda v: __import__("base64").urlsafe_b64encode(json.dumps({"c": v}).encode()).decode())))
    return (built.replace('data-post="sample_wire/1"', f'data-post="sample_wire/{html.escape(number, quote=True)}"')
            .replace('datetime="2024-05-23T09:00:00+00:00"', f'datetime="{html.escape(when, quote=True)}"')
            .replace(f'data-view="{data_view(1)}"', f'data-view="{view}"'))


@given(st.lists(preview_messages(), max_size=4), st.one_of(st.none(), BIG_INTS, HOSTILE_STRINGS), HOSTILE_STRINGS)
def test_preview_pages(messages: list[str], before: Any, title: str) -> None:
    page = preview_page(messages, title=title)
    if before is not None:
        page = page.replace("<section", f'<a class="tme_messages_more" data-before="{html.escape(str(before))}">'
                            "</a><section")
    try:
        parsed = parse_page(page)
    except InvalidInput:
        return
    _assert_storable(parsed.posts)
    assert parsed.before is None or 0 <= parsed.before < 2**63
    assert all(0 <= shown < 2**63 for shown in parsed.spans())


@given(st.one_of(st.text(ANY_CHAR, max_size=400), st.binary(max_size=300)))
@example("\ud800")  # found: BeautifulSoup cannot look at a lone surrogate
@example("http:")  # found in find_feed_link: a page that looks like a URL raised bs4's warning
@example("<?xml version='1.0'?><rss/>")
def test_preview_any_page(page: str | bytes) -> None:
    with contextlib.suppress(InvalidInput):
        _assert_storable(parse_page(page).posts)


# --- RSS and Atom -----------------------------------------------------------------------------------------

def _xml(value: str) -> str:
    return html.escape("".join(c for c in value if c in "\t\n\r" or " " <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd"))


@given(st.lists(st.tuples(HOSTILE_STRINGS, HOSTILE_STRINGS, HOSTILE_STRINGS, DATES), max_size=4),
       HOSTILE_STRINGS, st.booleans())
def test_feeds(entries: list[tuple[str, str, str, str]], title: str, atom: bool) -> None:
    if atom:
        items = "".join(f"<entry><id>{_xml(i)}</id><title>{_xml(t)}</title><link href=\"{_xml(link)}\"/>"
                        f"<updated>{_xml(d)}</updated><summary>{_xml(t)}</summary></entry>"
                        for i, t, link, d in entries)
        body = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{_xml(title)}</title>{items}</feed>'
    else:
        items = "".join(f"<item><guid>{_xml(i)}</guid><title>{_xml(t)}</title><link>{_xml(link)}</link>"
                        f"<pubDate>{_xml(d)}</pubDate><description>{_xml(t)}</description></item>"
                        for i, t, link, d in entries)
        body = f'<rss version="2.0"><channel><title>{_xml(title)}</title>{items}</channel></rss>'
    try:
        feed = parse_feed(body, "https://news.example/feed")
    except InvalidInput:
        return
    for entry in feed.entries:
        for value in (entry.entry_id, entry.title, entry.summary, entry.link or "", json.dumps(entry.raw)):
            assert "\x00" not in value and not any("\ud800" <= c <= "\udfff" for c in value)


@given(st.one_of(st.binary(max_size=400), st.text(ANY_CHAR, max_size=300).map(
    lambda t: t.encode("utf-8", "surrogatepass"))))
def test_feeds_any_bytes(body: bytes) -> None:
    with contextlib.suppress(InvalidInput):
        parse_feed(body, "https://news.example/feed")


@given(st.one_of(st.text(ANY_CHAR, max_size=300), st.sampled_from(["\ud800", "<html>\x00</html>", "<p>\udfff</p>"])))
@example("http:")  # found: a page that looks like a URL raised bs4's warning
def test_article_and_feed_link_any_page(page: str) -> None:
    article = extract_article(page, "https://news.example/a")
    assert article is None or ("\x00" not in article and not any("\ud800" <= c <= "\udfff" for c in article))
    link = find_feed_link(page, "https://news.example/")
    assert link is None or link.startswith(("http://", "https://"))


# --- Telethon's objects (through Telegram's binary format, as a live session gives them) ----------------------

TL_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
INT32 = st.integers(-(2**31), 2**31 - 1)
TL_DATES = st.datetimes(datetime(1970, 1, 2), datetime(2038, 1, 1), timezones=st.just(UTC))


@st.composite
def telethon_messages(draw: st.DrawFn) -> Any:
    from telethon.tl import types

    from test_telegram_api import wire

    peer = types.PeerChannel(draw(st.integers(1, 2**40)))
    if draw(st.integers(0, 5)) == 0:
        action = draw(st.sampled_from([types.MessageActionPinMessage(), types.MessageActionChatEditTitle("t\x00"),
                                       types.MessageActionChannelCreate(title=draw(TL_TEXT))]))
        return wire(types.MessageService(id=draw(INT32), peer_id=peer, date=draw(TL_DATES), action=action))
    text = draw(TL_TEXT | st.sampled_from(["\x00", "a\x00b", "\u202e", ""]))
    entities = draw(st.lists(st.one_of(
        st.builds(types.MessageEntityUrl, offset=INT32, length=INT32),
        st.builds(types.MessageEntityTextUrl, offset=INT32, length=INT32, url=TL_TEXT)), max_size=3))
    media = draw(st.one_of(st.none(), st.just(types.MessageMediaPhoto(photo=types.PhotoEmpty(id=5))),
                           st.builds(lambda name, mime, size, duration, w, h: types.MessageMediaDocument(
                               document=types.Document(id=9, access_hash=1, file_reference=b"",
                                                       date=datetime(2024, 1, 1), mime_type=mime, size=size,
                                                       dc_id=2, attributes=[
                                                           types.DocumentAttributeFilename(name),
                                                           types.DocumentAttributeVideo(duration=duration, w=w, h=h)])),
                               TL_TEXT, TL_TEXT, st.integers(0, 2**62),
                               st.floats(0, 1e6, allow_nan=False), INT32, INT32)))
    fwd = draw(st.one_of(st.none(), st.builds(lambda d, cid, post, name: types.MessageFwdHeader(
        date=d, from_id=types.PeerChannel(cid), channel_post=post, from_name=name),
        TL_DATES, st.integers(1, 2**40), st.none() | INT32, st.none() | TL_TEXT)))
    return wire(types.Message(
        id=draw(INT32), peer_id=peer, date=draw(TL_DATES), message=text, entities=entities or None,
        media=media, fwd_from=fwd, post_author=draw(st.none() | TL_TEXT), edit_date=draw(st.none() | TL_DATES),
        **draw(INT32.map(lambda v: {"views": v, "forwards": 0}) | st.just({})),
        grouped_id=draw(st.none() | st.integers(1, 3)),
        reply_to=draw(st.none() | st.builds(lambda r: types.MessageReplyHeader(reply_to_msg_id=r), INT32))))


@given(st.lists(telethon_messages(), max_size=5))
def test_telethon_messages(messages: list[Any]) -> None:
    from watchfloor.sources.telegram_api import parse_messages

    posts = parse_messages(messages)
    assert len(posts) <= len(messages)
    _assert_storable(posts)


# --- uploaded media ---------------------------------------------------------------------------------------

MAGIC = [b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"GIF87a", b"RIFF\x00\x00\x00\x00WEBP", b"%PDF-",
         b"PK\x03\x04", b"\x1f\x8b", b"\x00\x00\x00\x18ftyp", b"OggS", b"<svg", b"<!doctype html", b"\xef\xbb\xbf",
         b"MZ", b"\x7fELF", b""]
KINDS = ["photo", "video_file", "voice_message", "sticker", "animation", "audio_file", "file", "video_message", ""]


def _real_image_prefix(fmt: str, cut: int) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (9, 7), (200, 30, 30)).save(buffer, fmt)
    data = buffer.getvalue()
    return data[:cut] if cut else data


FILES = st.one_of(
    st.binary(max_size=600),
    st.tuples(st.sampled_from(MAGIC), st.binary(max_size=600)).map(b"".join),
    st.builds(_real_image_prefix, st.sampled_from(["PNG", "JPEG", "GIF", "WEBP"]), st.integers(0, 400)),
    st.builds(lambda data, at, junk: data[:at] + junk + data[at + len(junk):],
              st.builds(_real_image_prefix, st.sampled_from(["PNG", "JPEG", "GIF"]), st.just(0)),
              st.integers(0, 300), st.binary(min_size=1, max_size=8)),
)


@given(FILES, st.sampled_from(KINDS), st.one_of(st.none(), st.sampled_from(
    ["image/jpeg", "image/png", "video/mp4", "application/pdf", "application/zip", "text/html"]), TL_TEXT))
@example(b"\xff\xd8\xff", "file", "application/pdf")  # found: a "document" of image bytes was then decoded
def test_uploaded_media(data: bytes, kind: str, declared: str | None) -> None:
    verdict = inspect(data, kind, declared)  # never raises: a refusal is a verdict with a reason
    assert verdict.ok or verdict.reason
    assert not verdict.is_image or (verdict.width and verdict.height)
    with contextlib.suppress(ValueError):
        load_image(data, max_pixels=10_000)


def test_fuzzing_reached_the_store_check() -> None:
    """The property above is not vacuous: the store's check refuses what no parser may hand on."""
    post = ParsedPost(message_id=1, posted_at=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(0), text="a\x00")
    assert storable_problem(post) == "text holds a NUL character"
