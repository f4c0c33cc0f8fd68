"""The rss collector against a real HTTP server on loopback: an RSS 2.0 feed and an Atom feed, two article
pages, an entry whose article is gone; a second collection stores nothing twice; a site that advertises
its feed; message ids derived stably from entry ids, with collisions resolved."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from conftest import Cli
from loopback import Site
from watchfloor.errors import InvalidInput
from watchfloor.models import ParsedPost
from watchfloor.sources.rss import entry_message_id, extract_article, find_feed_link, parse_feed
from watchfloor.store import posts as post_store
from watchfloor.store import sources as source_store
from watchfloor.store.tables import import_errors

ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Sample Wire</title></head>
<body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/about">About us</a></nav></header>
<main><article>
<h1>{title}</h1>
<p class="byline">By the Sample Wire desk, 23 May 2024</p>
{paragraphs}
</article></main>
<footer><p>Copyright 2024 Sample Wire. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""

TALKS = [
    "A delegation led by the deputy foreign minister arrived in Baghdad on Thursday for two days of talks "
    "on border security and the return of displaced families, officials said.",
    "The talks, the third round this year, are expected to cover the reopening of two crossings that have "
    "been closed since March, according to a statement from the ministry.",
    "A spokesman said a joint committee would report its findings within a month and that a further "
    "meeting was planned for June in Amman.",
]
FLIGHTS = [
    "Commercial flights between Basra and Dubai resumed on Wednesday after a suspension of nine days, the "
    "airport authority said in a statement.",
    "The suspension followed damage to the runway lighting system during a storm; repairs were completed "
    "on Tuesday and inspected by the civil aviation authority.",
    "Two carriers said they would add extra flights this week to clear the backlog of passengers.",
]


def article(title: str, paragraphs: list[str]) -> str:
    return ARTICLE.format(title=title, paragraphs="\n".join(f"<p>{p}</p>" for p in paragraphs))


def rss(base: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Sample Wire - World</title>
  <link>{base}/</link>
  <description>World news from the Sample Wire desk</description>
  <language>en</language>
  <atom:link href="{base}/feed.xml" rel="self" type="application/rss+xml"/>
  <lastBuildDate>Thu, 23 May 2024 12:00:00 +0000</lastBuildDate>
  <item>
    <title>Delegation arrives in Baghdad for border talks</title>
    <link>{base}/news/talks.html</link>
    <guid isPermaLink="false">sample-wire-2024-05-23-0001</guid>
    <pubDate>Thu, 23 May 2024 09:00:00 +0000</pubDate>
    <dc:creator>Sample Wire desk</dc:creator>
    <description><![CDATA[<p>A delegation arrived in Baghdad for talks on border security.</p>]]></description>
  </item>
  <item>
    <title>Flights between Basra and Dubai resume</title>
    <link>{base}/news/flights.html</link>
    <guid isPermaLink="true">{base}/news/flights.html</guid>
    <pubDate>Wed, 22 May 2024 15:30:00 +0000</pubDate>
    <description>Flights resumed after a suspension of nine days.</description>
  </item>
  <item>
    <title>Port authority publishes quarterly figures</title>
    <link>{base}/news/port.html</link>
    <guid isPermaLink="false">sample-wire-2024-05-21-0007</guid>
    <pubDate>Tue, 21 May 2024 08:00:00 +0000</pubDate>
    <description>Container traffic at Umm Qasr rose in the first quarter, the port authority said.</description>
  </item>
</channel>
</rss>"""


def atom(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Sample Wire</title>
  <id>tag:sample-wire.example,2024:world</id>
  <updated>2024-05-23T12:00:00Z</updated>
  <link rel="self" href="{base}/atom.xml"/>
  <link rel="alternate" href="{base}/"/>
  <author><name>Sample Wire desk</name></author>
  <entry>
    <title>Delegation arrives in Baghdad for border talks</title>
    <id>tag:sample-wire.example,2024-05-23:0001</id>
    <link rel="alternate" type="text/html" href="{base}/news/talks.html"/>
    <published>2024-05-23T09:00:00Z</published>
    <updated>2024-05-23T09:10:00Z</updated>
    <summary>A delegation arrived in Baghdad for talks on border security.</summary>
  </entry>
  <entry>
    <title>Flights between Basra and Dubai resume</title>
    <id>tag:sample-wire.example,2024-05-22:0004</id>
    <link rel="alternate" type="text/html" href="/news/flights.html"/>
    <updated>2024-05-22T15:30:00Z</updated>
    <summary type="html">&lt;p&gt;Flights resumed after a suspension of nine days.&lt;/p&gt;</summary>
  </entry>
</feed>"""


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site()
    server.pages["/feed.xml"] = (200, "application/rss+xml; charset=utf-8", rss(server.url), {})
    server.pages["/atom.xml"] = (200, "application/atom+xml; charset=utf-8", atom(server.url), {})
    server.pages["/news/talks.html"] = article("Delegation arrives in Baghdad for border talks", TALKS)
    server.pages["/news/flights.html"] = article("Flights between Basra and Dubai resume", FLIGHTS)
    server.pages["/"] = ('<html><head><link rel="alternate" type="application/rss+xml" title="World" '
                         'href="/feed.xml"></head><body><h1>Sample Wire</h1></body></html>')
    yield server
    server.close()


def test_an_rss_feed_is_collected_with_its_articles_and_nothing_twice(cli: Cli, site: Site, db_url: str) -> None:
    cli("init")
    key = f"rss:{site.url}/feed.xml"
    added = cli.json("sources", "add", key, "--collector", "rss", "--affiliation", "Sample")
    assert (added["platform"], added["collector"]) == ("rss", "rss")
    [first] = cli.json("collect", "--allow-loopback")
    assert (first["source"], first["status"], first["inserted"]) == (key, "ok", 3)
    assert len(first["errors"]) == 1 and "port.html" in first["errors"][0] and "404" in first["errors"][0]
    posts = {p["message_id"]: p for p in cli.json("posts", "list", "--source", key)}
    talks = posts[entry_message_id("sample-wire-2024-05-23-0001")]
    assert talks["text"].startswith("Delegation arrives in Baghdad for border talks\n\n")
    assert TALKS[1] in talks["text"] and "Privacy policy" not in talks["text"] and "About us" not in talks["text"]
    assert talks["url"] == f"{site.url}/news/talks.html" and talks["posted_at"] == "2024-05-23T09:00:00Z"
    flights = posts[entry_message_id(f"{site.url}/news/flights.html")]
    assert FLIGHTS[0] in flights["text"] and flights["forwarded_from"] is None and flights["deleted_at"] is None
    port = posts[entry_message_id("sample-wire-2024-05-21-0007")]  # the article is gone: the feed's summary
    assert port["text"] == ("Port authority publishes quarterly figures\n\nContainer traffic at Umm Qasr rose in "
                            "the first quarter, the port authority said.")
    assert all(0 < m < 2 ** 63 for m in posts)
    source = next(s for s in cli.json("sources", "list") if s["key"] == key)
    assert source["name"] == "Sample Wire - World" and source["state"]["status"] == "ok"
    # again: nothing is stored twice and only the missing article is asked for again
    site.requests.clear()
    [second] = cli.json("collect", "--allow-loopback")
    assert (second["inserted"], second["updated"], len(second["errors"])) == (0, 0, 1)
    assert site.requests == ["/feed.xml", "/news/port.html"]
    assert len(cli.json("posts", "list", "--source", key)) == 3
    # the article comes back: the entry gets its text, the summary kept as the earlier revision
    site.pages["/news/port.html"] = article("Port authority publishes quarterly figures", [
        "Container traffic at Umm Qasr rose by eight per cent in the first quarter compared with the same "
        "period last year, the port authority said in its quarterly report on Tuesday.",
        "The authority said two new berths had opened in February and that dredging of the approach channel "
        "would be completed by the end of the year.", "Grain imports were unchanged, it said."])
    [third] = cli.json("collect", "--allow-loopback")
    assert (third["inserted"], third["updated"], third["revisions"], third["errors"]) == (0, 1, 1, [])
    from watchfloor import runner

    engine = runner.open_store(db_url)
    with engine.connect() as conn:
        errors = conn.execute(sa.select(import_errors.c.file, import_errors.c.reason)).all()
    engine.dispose()
    assert len(errors) == 2 and all(f.endswith("/news/port.html") and "404" in r for f, r in errors)


def test_an_atom_feed_and_a_site_that_advertises_its_feed(cli: Cli, site: Site) -> None:
    cli("init")
    cli("sources", "add", f"rss:{site.url}/atom.xml", "--collector", "rss")
    cli("sources", "add", f"web:{site.url}/", "--collector", "rss", "--interval-minutes", "60")
    reports = {r["source"]: r for r in cli.json("collect", "--allow-loopback")}
    assert reports[f"rss:{site.url}/atom.xml"]["inserted"] == 2 and reports[f"web:{site.url}/"]["inserted"] == 3
    assert reports[f"web:{site.url}/"]["pages"] == 2  # the page, then the feed it names
    atom_posts = {p["message_id"]: p for p in cli.json("posts", "list", "--source", f"rss:{site.url}/atom.xml")}
    flights = atom_posts[entry_message_id("tag:sample-wire.example,2024-05-22:0004")]
    assert flights["url"] == f"{site.url}/news/flights.html"  # the relative link, resolved
    assert flights["posted_at"] == "2024-05-22T15:30:00Z" and FLIGHTS[2] in flights["text"]
    web = next(s for s in cli.json("sources", "list") if s["key"] == f"web:{site.url}/")
    assert web["interval_minutes"] == 60 and web["platform"] == "web"
    again = cli.json("collect", "--allow-loopback")
    assert sum(r["inserted"] + r["updated"] for r in again) == 0


def test_feeds_refuse_other_hosts_private_addresses_and_bad_keys(cli: Cli, site: Site) -> None:
    cli("init")
    site.pages["/offsite.xml"] = (200, "application/rss+xml", rss("http://localhost:9"), {})  # articles elsewhere
    cli("sources", "add", f"rss:{site.url}/offsite.xml", "--collector", "rss")
    [report] = cli.json("collect", "--allow-loopback")
    assert report["inserted"] == 3 and all("not among the hosts" in e for e in report["errors"])
    [guarded] = cli.json("collect")  # without --allow-loopback the feed itself is refused
    assert guarded["status"] == "error" and "private address" in guarded["note"]
    bad = cli("sources", "add", "rss:file:///etc/passwd", "--collector", "rss", ok=False)
    assert bad.exit_code == 1 and "rss:https://host/path" in bad.output
    wrong = cli("sources", "add", f"rss:{site.url}/feed.xml", "--collector", "telegram-web", ok=False)
    assert wrong.exit_code == 1


def test_the_parsers_on_their_own() -> None:
    feed = parse_feed(rss("https://wire.example"), "https://wire.example/feed.xml")
    assert feed.title == "Sample Wire - World"
    assert [e.entry_id for e in feed.entries][0] == "sample-wire-2024-05-23-0001"
    assert feed.entries[0].summary == "A delegation arrived in Baghdad for talks on border security."
    linked = parse_feed(rss("https://wire.example").replace("Flights resumed after a suspension of nine days.",
                                                            "https://wire.example/news/flights.html"), "https://w/f")
    assert linked.entries[1].summary == "https://wire.example/news/flights.html"  # text, not a locator
    with pytest.raises(InvalidInput, match="not an RSS or Atom feed"):
        parse_feed("/etc/passwd", "https://wire.example/feed.xml")  # read as a document, never opened as a file
    with pytest.raises(InvalidInput, match="not an RSS or Atom feed"):
        parse_feed("<html><body>nothing here</body></html>", "https://wire.example/")
    assert extract_article(article("Flights resume", FLIGHTS), "https://wire.example/a") is not None
    assert extract_article("<html><body></body></html>", "https://wire.example/a") is None
    assert find_feed_link('<link rel="alternate" type="application/atom+xml" href="/a.xml">',
                          "https://wire.example/x/") == "https://wire.example/a.xml"
    assert find_feed_link('<link rel="alternate" type="application/rss+xml" href="javascript:x">',
                          "https://wire.example/") is None
    assert entry_message_id("a") == entry_message_id("a") != entry_message_id("a", 1)


def test_a_message_id_collision_takes_the_next_id(store: sa.engine.Engine, site: Site) -> None:
    from datetime import UTC, datetime

    from watchfloor import runner
    from watchfloor.models import Source

    key = f"rss:{site.url}/feed.xml"
    taken = entry_message_id("sample-wire-2024-05-23-0001")
    with store.begin() as conn:
        source_store.add_source(conn, Source(key=key, platform="rss", collector="rss"))
        row_id = source_store.source_row_id(conn, key)
        post_store.store_parsed(conn, row_id, [ParsedPost(
            message_id=taken, posted_at=datetime(2024, 5, 1, tzinfo=UTC), text="Another entry.",
            raw={"source": "rss", "entry_id": "another-entry-with-the-same-hash"})])
    report = runner.collect_rss(store, key, allow_private=True)
    assert report.counts.inserted == 3
    with store.connect() as conn:
        moved = post_store.find_post(conn, key, entry_message_id("sample-wire-2024-05-23-0001", 1))
        kept = post_store.find_post(conn, key, taken)
    assert moved is not None and moved.text.startswith("Delegation arrives in Baghdad")
    assert kept is not None and kept.text == "Another entry."
    assert runner.collect_rss(store, key, allow_private=True).counts.inserted == 0


def test_the_monitor_collects_feeds_on_their_schedule(store: sa.engine.Engine, site: Site) -> None:
    from datetime import UTC, datetime

    from watchfloor import runner
    from watchfloor.models import Source
    from watchfloor.monitor import Monitor
    from watchfloor.settings import load_settings

    with store.begin() as conn:
        source_store.add_source(conn, Source(key=f"web:{site.url}/", platform="web", collector="rss"))
        source_store.add_source(conn, Source(key=f"web:{site.url}/atom.xml", platform="web", collector="rss"))
    now = datetime(2024, 5, 23, 12, tzinfo=UTC)
    monitor = Monitor(store, load_settings({"collect_host_delay_seconds": "0"}, environ={}),
                      runner.CollectOptions(allow_private=True), clock=lambda: now, sleep=lambda s: None,
                      process=False)
    [first] = monitor.run(once=True)
    assert sorted((r.source, r.status, r.counts.inserted) for r in first.collected) == [
        (f"web:{site.url}/", "ok", 3), (f"web:{site.url}/atom.xml", "ok", 2)]
    assert monitor.run(once=True)[0].collected == []  # not due again within the interval
    site.pages["/"] = "<html><head><title>Sample Wire</title></head><body>No feed here.</body></html>"
    now = datetime(2024, 5, 24, 12, tzinfo=UTC)
    [later] = monitor.run(once=True)
    failed = next(r for r in later.collected if r.source == f"web:{site.url}/")
    assert failed.status == "error" and "not an RSS or Atom feed" in (failed.note or "")
