"""Report drafts: footnote per post, affiliation per source, and hostile post text made inert."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html.parser import HTMLParser

from watchfloor.models import Entity, Mention, Post, Quote, Source, Story
from watchfloor.reports.draft import draft_report
from watchfloor.reports.render import render_html, render_json, render_markdown

WIRE = Source(key="telegram:1900000201", channel_id=1900000201, name="Sample Iraq Wire",
              affiliation="Iran-backed militias in Iraq")
DESK = Source(key="telegram:sampledesk", handle="sampledesk", name="Sample Desk")
SALAMI = Entity(id="person:hossein-salami", type="person", name="Hossein Salami",
                attrs={"roles": [{"org": "org:irgc", "title": "Commander-in-Chief"}]})
IRGC = Entity(id="org:irgc", type="organization", name="Islamic Revolutionary Guard Corps")
TEHRAN = Entity(id="place:tehran", type="place", name="Tehran")
ENTITIES = {e.id: e for e in (SALAMI, IRGC, TEHRAN)}


def _story(texts: list[tuple[Source, str, str]]) -> Story:
    posts = []
    for i, (source, lang, text) in enumerate(texts, start=1):
        posts.append(Post(id=i, source=source, message_id=100 + i, lang=lang, text=text,
                          posted_at=datetime(2024, 5, 23, 8 + i, tzinfo=UTC),
                          url=f"https://t.me/c/{source.channel_id}/{100 + i}" if source.channel_id else
                          f"https://t.me/{source.handle}/{100 + i}",
                          mentions=[Mention("person:hossein-salami", "Hossein Salami", 0, 14),
                                    Mention("place:tehran", "Tehran", 30, 36)]))
    posts[0].quotes = [Quote("the talks covered the situation in the region", "Hossein Salami",
                             "person:hossein-salami")]
    return Story(id=9, title="Hossein Salami met faction representatives in Tehran",
                 first_seen=posts[0].posted_at, last_seen=posts[-1].posted_at, posts=posts)


def test_draft_cites_every_post_with_platform_and_date() -> None:
    story = _story([(WIRE, "en", "Hossein Salami met representatives in Tehran on Wednesday."),
                    (DESK, "ar", "التقى حسين سلامي ممثلين في طهران."),
                    (WIRE, "en", "Photographs of the meeting in Tehran were published.")])
    draft = draft_report(story, ENTITIES)
    assert [(f.n, f.source, f.message_id) for f in draft.footnotes] == [
        (1, "telegram:1900000201", 101), (2, "telegram:sampledesk", 102), (3, "telegram:1900000201", 103)]
    assert draft.footnotes[0].text == "Telegram, May 23, 2024."
    assert draft.footnotes[1].url == "https://t.me/sampledesk/102"
    assert draft.date == "May 23, 2024"
    for n in (1, 2, 3):
        assert f"[{n}]" in draft.body
    assert "Sample Iraq Wire Telegram channel, which is affiliated with Iran-backed militias in Iraq" in draft.body
    assert "Hossein Salami (Commander-in-Chief, Islamic Revolutionary Guard Corps)" in draft.body
    assert "Tehran" in draft.body
    assert "not yet translated" in draft.body  # the Arabic post has no translation and says so
    assert "It quoted Hossein Salami" in draft.body
    shape = json.loads(render_json(draft))
    assert set(shape) >= {"title", "date", "body", "footnotes"}
    assert shape["footnotes"][2] == {"n": 3, "source": "telegram:1900000201", "message_id": 103,
                                     "text": "Telegram, May 23, 2024.", "url": "https://t.me/c/1900000201/103"}


def _elements(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every element a browser would build from the page, with its attributes."""
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collector().feed(page)
    return found


HOSTILE = [
    '<script>alert("x")</script> statement',
    '<img src=x onerror="alert(1)"> meeting',
    "[click](javascript:alert(1)) and ![p](javascript:alert(2))",
    "[1]: javascript:alert(3)\n\n[1]",
    "<a href='javascript:alert(4)'>link</a> `code` **bold** # heading",
]


def test_hostile_post_text_cannot_inject_markup() -> None:
    evil = Source(key="telegram:1900000299", channel_id=1900000299, name='<svg onload="alert(5)">Wire',
                  affiliation="<b onmouseover=alert(6)>x</b>")
    story = _story([(evil, "en", text) for text in HOSTILE])
    story.title = '<script>alert("title")</script>'
    draft = draft_report(story, ENTITIES)
    page = render_html(draft)
    elements = _elements(page)
    assert "script" not in {tag for tag, _ in elements}
    for tag, attrs in elements:
        for name, value in attrs:
            assert not name.startswith("on"), f"<{tag} {name}=...> carries an event handler"
            if name in ("href", "src"):
                assert (value or "").strip().lower().startswith(("https:", "http:", "mailto:")), value
    assert {tag for tag, _ in elements} <= {"html", "head", "meta", "title", "body", "h1", "p", "em", "hr", "a"}
    assert "&lt;script&gt;" in page  # shown as text, not run
    markdown = render_markdown(draft)
    assert "\n[1]: javascript" not in markdown  # a link definition from a post stays text


def test_an_unreviewed_name_reaches_the_lede_only_when_several_channels_give_it() -> None:
    lone = Entity(id="candidate:place:doshanbeh", type="place", name="Doshanbeh", status="candidate")
    shared = Entity(id="candidate:person:fouad-hussein", type="person", name="Fouad Hussein", status="candidate")
    story = _story([(WIRE, "en", "Hossein Salami met representatives in Tehran on Monday."),
                    (DESK, "en", "Hossein Salami met Fouad Hussein in Tehran."),
                    (WIRE, "en", "Photographs of the meeting in Tehran were published.")])
    story.posts[0].mentions += [Mention(lone.id, "Doshanbeh", 40, 48), Mention(shared.id, "Fouad Hussein", 0, 5)]
    story.posts[2].mentions += [Mention(lone.id, "Doshanbeh", 40, 48)]  # twice, but by one channel
    story.posts[1].mentions += [Mention(shared.id, "Fouad Hussein", 20, 33)]
    lede = draft_report(story, {**ENTITIES, lone.id: lone, shared.id: shared}).body.split("\n\n")[0]
    assert "Fouad Hussein" in lede and "Doshanbeh" not in lede
