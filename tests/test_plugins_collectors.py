"""Collectors and stages as plug-ins: a third-party collector and stage from an installed distribution's entry
points actually run; the CLI and the admin page check a new source the same way; RSS posts get their files
archived through the typed options; the pipeline's order comes from requires/assigns, with clear errors."""

from __future__ import annotations

import random
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from conftest import Cli, LiveServer
from loopback import Site
from media_images import encode, unrelated_image
from test_media_web import Server
from watchfloor import registry, runner
from watchfloor.errors import WatchfloorError
from watchfloor.models import Role, Source
from watchfloor.pipeline.order import stage_order
from watchfloor.settings import load_settings
from watchfloor.sources.rss import entry_message_id
from watchfloor.store import media as media_store
from watchfloor.store import posts as post_store
from watchfloor.store import sources as source_store
from watchfloor.store import users as user_store
from watchfloor.store.tables import posts as posts_table
from watchfloor.web.auth import hash_password
from webclient import Reader

PLUGIN = '''
"""A third-party plug-in: a collector of a site's JSON bulletin list, and a stage that tags hashtags."""
from datetime import datetime

from watchfloor.errors import InvalidInput
from watchfloor.models import Indicator, ParsedPost
from watchfloor.sources.base import Collected


class BulletinCollector:
    name = "bulletin"
    version = "0.1"
    platforms = ("web",)
    settings = ("collect_timeout_seconds",)

    def check(self, source):
        if source.platform != "web" or not source.key.endswith(".json"):
            raise InvalidInput("the bulletin collector reads web:<URL of a .json bulletin list>")

    def read(self, source, fetch, options, stored=None):
        import json
        from urllib.parse import urlsplit

        url = source.key.partition(":")[2]
        _status, body, _moved = fetch(url, options.policy({urlsplit(url).hostname}))
        items = json.loads(body)["bulletins"]
        return Collected(pages=1, ordered_ids=True, posts=[
            ParsedPost(message_id=item["id"], posted_at=datetime.fromisoformat(item["date"]), text=item["text"],
                       raw={"source": "bulletin", **item}) for item in items])


class HashtagStage:
    name = "hashtags"
    version = "0.1"
    requires = ("indicators",)
    assigns = ("indicators",)

    def setup(self):
        return None

    def run(self, batch):
        for post in batch:
            post.indicators = post.indicators + [Indicator("hashtag", word.lstrip("#").lower())
                                                 for word in post.text.split() if word.startswith("#")]
'''


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An installed distribution (a dist-info with entry points, on sys.path) holding the plug-in."""
    root = tmp_path / "site-packages"
    info = root / "watchfloor_bulletin-0.1.dist-info"
    info.mkdir(parents=True)
    (root / "watchfloor_bulletin.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: watchfloor-bulletin\nVersion: 0.1\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[watchfloor.collectors]\nbulletin = watchfloor_bulletin:BulletinCollector\n\n"
        "[watchfloor.stages]\nhashtags = watchfloor_bulletin:HashtagStage\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(root))
    yield "bulletin"
    sys.modules.pop("watchfloor_bulletin", None)


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()
    yield served
    served.close()


def test_a_collector_and_a_stage_from_entry_points_run(plugin: str, cli: Cli, site: Site, db_url: str) -> None:
    assert registry.available("collectors")["bulletin"] == "watchfloor_bulletin:BulletinCollector"
    site.pages["/bulletins.json"] = (200, "application/json", """{"bulletins": [
        {"id": 1, "date": "2024-05-23T09:00:00+00:00", "text": "The council met in Doha on Thursday. #council"},
        {"id": 2, "date": "2024-05-23T11:00:00+00:00", "text": "A joint statement was issued. #statement"}]}""", {})
    cli("init")
    key = f"web:{site.url}/bulletins.json"
    refused = cli("sources", "add", f"web:{site.url}/", "--collector", "bulletin", ok=False)
    assert refused.exit_code == 1 and "bulletin list" in refused.output  # the plug-in's own check
    assert cli.json("sources", "add", key, "--collector", "bulletin")["collector"] == "bulletin"
    [report] = cli.json("collect", "--allow-loopback")
    assert (report["source"], report["status"], report["inserted"]) == (key, "ok", 2)
    engine = runner.open_store(db_url)
    try:
        report_process = runner.process(engine, load_settings({}, environ={}))
        assert report_process.stages["hashtags"] == "0.1"
        with engine.connect() as conn:
            stored = post_store.find_post(conn, key, 1)
            versions = conn.execute(sa.select(posts_table.c.stages).where(posts_table.c.message_id == 1)).scalar_one()
        assert stored is not None and ("hashtag", "council") in {(i.kind, i.value) for i in stored.indicators}
        assert versions["hashtags"] == "0.1" and versions["indicators"]
        with engine.connect() as conn:
            assert source_store.get_source(conn, key).cursor == 2
    finally:
        engine.dispose()
    order = [s.name for s in runner.build_stages(_gazetteer_of(db_url), names=list(registry.available("stages")))]
    assert order.index("hashtags") > order.index("indicators")


def _gazetteer_of(db_url: str) -> Any:
    from watchfloor.kb.gazetteer import Gazetteer
    from watchfloor.store import kb as kb_store

    engine = runner.open_store(db_url)
    try:
        with engine.connect() as conn:
            return Gazetteer(kb_store.load_kb(conn))
    finally:
        engine.dispose()


# (key, collector, a fragment of the refusal, or None when the source is accepted)
NEW_SOURCES = [
    ("telegram:sample_wire", "telegram-web", None),
    ("telegram:@Sample_Wire", "telegram-api", None),
    ("telegram:1350118745", "telegram-api", None),
    ("rss:https://wire.example/feed.xml", "rss", None),
    ("web:https://wire.example/", "rss", None),
    ("telegram:1350118746", "telegram-web", "by its handle"),
    ("rss:https://wire.example/a.xml", "telegram-web", "by its handle"),
    ("telegram:sample_desk", "rss", "reads a feed"),
    ("web:https://wire.example/b", "telegram-api", "reads Telegram channels"),
    ("telegram:sample_room", "carrier-pigeon", "unknown collector"),
    ("rss:file:///etc/passwd", "rss", "must look like"),
    ("telegram:ab", "telegram-web", "is not a Telegram handle"),
]


def test_the_cli_and_the_admin_page_check_a_new_source_the_same_way(cli: Cli, db_url: str) -> None:
    cli("init")
    engine = runner.open_store(db_url)
    with engine.begin() as conn:
        user_store.create_user(conn, "admin@example.org", hash_password("a long enough password"), Role.ADMIN)
    server = LiveServer(engine)
    admin = Reader(server.url)
    try:
        admin.login("admin@example.org", "a long enough password")
        form = admin.get("/admin").text
        assert all(f'<option value="{name}">' in form for name in registry.available("collectors"))
        for key, collector, refusal in NEW_SOURCES:
            by_cli = cli("sources", "add", key, "--collector", collector, ok=False)
            by_web = admin.post_form("/admin/sources", {"key": key, "collector": collector}, form_page="/admin")
            if refusal is None:
                assert by_cli.exit_code == 0 and by_web.status_code == 200, (key, collector, by_cli.output)
                with engine.connect() as conn:
                    stored = source_store.get_source(conn, source_store.parse_key(key).key)
                assert stored.collector == collector and stored.platform == key.partition(":")[0]
            else:
                assert by_cli.exit_code == 1 and refusal in by_cli.output, (key, collector, by_cli.output)
                assert by_web.status_code == 400 and refusal in by_web.text, (key, collector)
    finally:
        admin.close()
        server.stop()
        engine.dispose()


def test_rss_posts_get_their_files_archived(store: Engine, tmp_path: Path) -> None:
    server = Server()
    try:
        photo = encode(unrelated_image(), "PNG")
        server.files["/img/talks.png"] = ("image/png", photo)
        feed = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Sample Wire</title>
<item><title>Talks resume</title><guid>wire-1</guid><description>Talks resumed in Doha on Thursday.</description>
<pubDate>Thu, 23 May 2024 09:00:00 GMT</pubDate>
<enclosure url="{server.url}/img/talks.png" type="image/png" length="{len(photo)}"/></item>
<item><title>Statement issued</title><guid>wire-2</guid><description>A statement was issued.</description>
<pubDate>Thu, 23 May 2024 10:00:00 GMT</pubDate>
<media:content url="https://elsewhere.example/img/x.jpg" medium="image" type="image/jpeg"/></item>
</channel></rss>"""
        server.files["/feed.xml"] = ("application/rss+xml", feed.encode())
        key = f"rss:{server.url}/feed.xml"
        with store.begin() as conn:
            source_store.add_source(conn, Source(key=key, platform="rss", collector="rss"))
        settings = load_settings({"data_dir": str(tmp_path / "data")}, environ={})
        options = runner.CollectOptions(allow_private=True, settings=settings)
        report = runner.collect_source(store, key, options)
        assert (report.counts.inserted, report.media.archived, report.media.unavailable) == (2, 1, 1)
        with store.connect() as conn:
            first = post_store.find_post(conn, key, entry_message_id("wire-1"))
            second = post_store.find_post(conn, key, entry_message_id("wire-2"))
            assert first is not None and second is not None
            links = media_store.links_of(conn, [first.id, second.id])
        [archived] = links[first.id]
        assert archived.sha256 and archived.declared_kind == "photo" and archived.origin.endswith("/img/talks.png")
        [refused] = links[second.id]
        assert refused.sha256 is None and "not among the hosts" in (refused.note or "")
        assert not any(path.startswith("/img/x") for path in server.requests)
        again = runner.collect_source(store, key, options)
        assert (again.counts.inserted, again.media.archived) == (0, 0)
    finally:
        server.close()


def _stage(name: str, requires: tuple[str, ...], assigns: tuple[str, ...]) -> Any:
    return SimpleNamespace(name=name, version="1", requires=requires, assigns=assigns)


BUILTIN_DECLARED = [("language", ("text",), ("lang",)), ("entities", ("text",), ("mentions",)),
                    ("names", ("mentions", "lang"), ("mentions", "candidates")),
                    ("translate", ("lang", "mentions"), ("text_en", "translation")),
                    ("translation_names", ("mentions", "candidates"), ("mentions", "candidates")),
                    ("quotes", ("mentions",), ("quotes",)), ("dates", ("text",), ("dates",)),
                    ("indicators", ("text", "links"), ("indicators",)), ("embed", ("text",), ("embedding",))]


def test_the_builtin_declarations_give_the_pipeline_order() -> None:
    ordered = stage_order([_stage(*d) for d in BUILTIN_DECLARED])
    assert tuple(s.name for s in ordered) == runner.PIPELINE_ORDER
    for name, requires, assigns in BUILTIN_DECLARED:  # the declarations above are the stages' own
        stage = registry.resolve("stages", name)
        assert (tuple(stage.requires), tuple(stage.assigns)) == (requires, assigns), name


@pytest.mark.parametrize("seed", range(16))
def test_any_registration_order_puts_producers_first_and_is_stable(seed: int) -> None:
    declared = list(BUILTIN_DECLARED)
    random.Random(seed).shuffle(declared)
    ordered = [s.name for s in stage_order([_stage(*d) for d in declared])]
    assert sorted(ordered) == sorted(d[0] for d in declared)
    position = {name: i for i, name in enumerate(ordered)}
    requires = {d[0]: d[1] for d in declared}
    for name, needs, _ in declared:
        for other, _, makes in declared:
            produced = [f for f in needs if f in makes and f not in requires[other]]
            if other != name and produced:
                assert position[other] < position[name], (other, name, produced, ordered)
    assert ordered == [s.name for s in stage_order([_stage(*d) for d in declared])]  # the same every time


def test_a_refiner_registered_first_runs_first_unless_it_needs_the_reader() -> None:
    make = ("make", ("text",), ("mentions",))
    tidy = ("tidy", ("mentions",), ("mentions",))
    read = ("read", ("mentions",), ("quotes",))
    assert [s.name for s in stage_order([_stage(*d) for d in (make, tidy, read)])] == ["make", "tidy", "read"]
    assert [s.name for s in stage_order([_stage(*d) for d in (make, read, tidy)])] == ["make", "read", "tidy"]
    needy = ("tidy", ("mentions", "quotes"), ("mentions",))  # needs what the reader makes: it comes after
    assert [s.name for s in stage_order([_stage(*d) for d in (make, needy, read)])] == ["make", "read", "tidy"]


@pytest.mark.parametrize(("stages", "message"), [
    ([("a", ("x",), ("y",)), ("b", ("y",), ("x",))], r"cycle: 'a' needs 'x' from 'b', 'b' needs 'y' from 'a'"),
    ([("a", ("text",), ("y",)), ("b", ("y", "z"), ("w",)), ("c", ("w",), ("z",))], r"cycle: 'b' needs 'z' from 'c'"),
    ([("summary", ("gist",), ("quotes",))], r"'summary' requires 'gist', which no stage produces"),
    ([("a", ("mentions",), ("mentions",))], r"'a' requires 'mentions', which no stage produces \(stages that only "
                                            r"refine it: a\)"),
])
def test_a_cycle_or_a_missing_producer_is_named(stages: list[Any], message: str) -> None:
    with pytest.raises(WatchfloorError, match=message):
        stage_order([_stage(*s) for s in stages])


def test_the_monitor_hands_over_the_source_it_holds(store: Engine, site: Site,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime

    from test_rss import TALKS, article, rss
    from watchfloor.monitor import Monitor

    site.pages["/feed.xml"] = (200, "application/rss+xml", rss(site.url), {})
    site.pages["/news/talks.html"] = article("Delegation arrives in Baghdad for border talks", TALKS)
    key = f"rss:{site.url}/feed.xml"
    with store.begin() as conn:
        source_store.add_source(conn, Source(key=key, platform="rss", collector="rss"))
    loaded: list[str] = []
    original = source_store.get_source

    def counting(conn: Any, wanted: str) -> Source:
        loaded.append(wanted)
        return original(conn, wanted)

    monkeypatch.setattr(source_store, "get_source", counting)
    monitor = Monitor(store, load_settings({"collect_host_delay_seconds": "0"}, environ={}),
                      runner.CollectOptions(allow_private=True), clock=lambda: datetime(2024, 5, 23, tzinfo=UTC),
                      sleep=lambda seconds: None, process=False)
    [report] = monitor.run(once=True)
    assert [(r.source, r.status, r.counts.inserted) for r in report.collected] == [(key, "ok", 3)]
    assert loaded == []  # the source the monitor found due is the one collected: not loaded again by key


@pytest.mark.parametrize(("attributes", "expected"), [
    ('url="/img/a.png" type="image/png" length="1200"', ("photo", "https://wire.example/img/a.png", 1200)),
    ('url="https://cdn.wire.example/v.mp4" type="video/mp4" length="x"', ("video_file",
                                                                         "https://cdn.wire.example/v.mp4", None)),
    ('url="https://wire.example/a.mp3" type="audio/mpeg" length="99999999999999999999"',
     ("audio_file", "https://wire.example/a.mp3", None)),
    ('url="https://wire.example/r.pdf" type="application/pdf"', ("file", "https://wire.example/r.pdf", None)),
    ('url="javascript:alert(1)" type="image/png"', None),
    ('url="file:///etc/passwd" type="image/png"', None),
    ('url="" type="image/png"', None),
    ('type="image/png" length="12"', None),
])
def test_an_entrys_attached_files_are_read_as_data(attributes: str, expected: Any) -> None:
    from watchfloor.sources.rss import parse_feed

    feed = parse_feed(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Talks resume</title><guid>wire-1</guid><enclosure {attributes}/>
<enclosure {attributes}/></item></channel></rss>""", "https://wire.example/feed.xml")
    media = feed.entries[0].media
    if expected is None:
        assert media == []
    else:
        assert [(m.kind, m.path, m.size) for m in media] == [expected]  # the same file twice is one file
