"""Every registered part through its interface: each collector reads recorded real-format input served on
loopback (the Telegram API from messages in Telegram's wire format), each stage runs on a batch and writes
only the fields it declares, each exporter writes what it counts, each translator translates or says why
it cannot run here. A part registered without a recorded input here fails the test: add one."""

from __future__ import annotations

import copy
import io
from collections.abc import Callable, Iterator
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from sqlalchemy.engine import Engine

from loopback import Site
from make_preview import HANDLE, page
from make_preview import message as preview_post
from test_rss import FLIGHTS, TALKS, article, rss
from watchfloor import registry, runner
from watchfloor.errors import InvalidInput, NotConfigured
from watchfloor.models import ParsedPost, Post, Source
from watchfloor.settings import SETTINGS, Settings, load_settings
from watchfloor.sources.base import Collected, CollectOptions
from watchfloor.sources.web_fetch import fetch

Recorded = Callable[[Site], tuple[Source, CollectOptions]]


def _telegram_web(site: Site) -> tuple[Source, CollectOptions]:
    site.pages[f"/s/{HANDLE}"] = page([
        preview_post(31, "2024-05-23T09:00:00+00:00", "Foreign ministers met in Doha on Thursday."),
        preview_post(32, "2024-05-23T10:00:00+00:00", "A joint statement followed the meeting.")])
    return (Source(key=f"telegram:{HANDLE}", handle=HANDLE, collector="telegram-web"),
            CollectOptions(base_url=site.url, allow_private=True))


def _rss(site: Site) -> tuple[Source, CollectOptions]:
    site.pages["/feed.xml"] = (200, "application/rss+xml", rss(site.url), {})
    site.pages["/news/talks.html"] = article("Delegation arrives in Baghdad for border talks", TALKS)
    site.pages["/news/flights.html"] = article("Flights resume", FLIGHTS)
    return (Source(key=f"rss:{site.url}/feed.xml", platform="rss", collector="rss"),
            CollectOptions(allow_private=True))


def _telegram_api(site: Site) -> tuple[Source, CollectOptions]:
    from test_telegram_api import RecordedClient, channel, recorded

    return (Source(key="telegram:harbour_wire", handle="harbour_wire", collector="telegram-api"),
            CollectOptions(telegram_client=RecordedClient(recorded(), channel())))


RECORDED: dict[str, Recorded] = {"telegram-web": _telegram_web, "rss": _rss, "telegram-api": _telegram_api}


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()
    yield served
    served.close()


@pytest.mark.parametrize("name", sorted(registry.available("collectors")))
def test_every_collector_reads_recorded_input_without_the_store(name: str, site: Site) -> None:
    assert name in RECORDED, f"collector {name} has no recorded input in this test: add one to RECORDED"
    made = registry.resolve("collectors", name)()
    assert made.name == name and isinstance(made.version, str) and made.version
    assert made.platforms and all(isinstance(p, str) for p in made.platforms)
    known = {s.name for s in SETTINGS}
    assert set(made.settings) <= known, f"{name} names settings that do not exist: {set(made.settings) - known}"
    source, options = RECORDED[name](site)
    made.check(source)
    for platform in ("telegram", "rss", "web"):
        if platform not in made.platforms:
            with pytest.raises(InvalidInput, match=name):  # the message names the collector and what to add
                made.check(Source(key=f"{platform}:https://wire.example/", platform=platform))
    asked: list[int] = []

    def stored(ids: Any) -> dict[int, dict[str, Any]]:
        asked.extend(ids)
        return {}

    found = made.read(source, fetch, options, stored)  # no database exists in this test: the read is storage-free
    assert isinstance(found, Collected) and found.status == "ok", found.note
    assert len(found.posts) >= 2 and all(isinstance(p, ParsedPost) for p in found.posts)
    assert len({p.message_id for p in found.posts}) == len(found.posts)
    for post in found.posts:
        assert 0 < post.message_id < 2 ** 63 and post.posted_at.tzinfo is not None and isinstance(post.raw, dict)
    again = made.read(source, fetch, options, stored)
    assert [p.message_id for p in again.posts] == [p.message_id for p in found.posts]  # the same ids each time


def _batch() -> list[Post]:
    source = Source(key="telegram:contract_wire", handle="contract_wire")
    when = datetime(2024, 5, 23, 9, tzinfo=UTC)
    texts = ["Hezbollah said on Thursday that talks in Beirut would resume on 2 June; details at "
             "https://example.org/statement.",
             "قال حزب الله يوم الخميس إن المحادثات في بيروت ستستأنف."]
    return [Post(id=i + 1, source=source, message_id=i + 1, posted_at=when, text=text,
                 links=["https://example.org/statement"] if i == 0 else []) for i, text in enumerate(texts)]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.array_equal(a, b)
    return bool(a == b)


def test_every_stage_runs_in_order_and_writes_only_what_it_assigns(gazetteer: Any) -> None:
    settings = load_settings({}, environ={})
    stages = runner.build_stages(gazetteer, settings=settings)
    assert [s.name for s in stages] == list(runner.PIPELINE_ORDER)  # the built-ins sort into the known order
    assert set(registry.available("stages")) == {s.name for s in stages}
    names = {f.name for f in fields(Post)}
    batch = _batch()
    for stage in stages:
        assert isinstance(stage.version, str) and stage.version
        assert set(stage.requires) <= names and set(stage.assigns) <= names, stage.name
        before = [{f: copy.deepcopy(getattr(p, f)) for f in names} for p in batch]
        stage.run(batch)
        for post, earlier in zip(batch, before, strict=True):
            changed = {f for f in names if not _same(getattr(post, f), earlier[f])}
            assert changed <= set(stage.assigns), f"stage {stage.name} wrote {changed - set(stage.assigns)}"
    first = batch[0]
    assert first.lang == "en" and any(m.entity_id for m in first.mentions) and first.embedding is not None
    assert first.indicators and first.dates


def test_every_exporter_writes_what_it_counts(store: Engine) -> None:
    from conftest import import_sample
    from watchfloor.store import stories as story_store

    import_sample(store)  # once for every exporter: the sample takes a while to process
    with store.connect() as conn:
        story = story_store.list_stories(conn, limit=1)[0]
        subjects = ["posts", "sources", "network", f"story:{story.id}"]
        for name in sorted(registry.available("exporters")):
            exporter = registry.resolve("exporters", name)
            written = {}
            for subject in subjects:
                out = io.StringIO()
                try:
                    written[subject] = (int(exporter(conn, subject, out)), out.getvalue())
                except InvalidInput as exc:  # a subject this exporter does not take: said, not half-written
                    assert str(exc) and out.getvalue() == "", name
            with pytest.raises(InvalidInput):
                exporter(conn, "no-such-subject", io.StringIO())
            assert written, f"exporter {name} took none of {subjects}"
            for subject, (count, text) in written.items():
                assert count > 0 and text.strip(), f"{name} {subject}: counted {count}"


def _translator_settings(name: str, services: dict[str, Any]) -> Settings:
    return load_settings({**services.get(name, {}), "translate_backend": name}, environ={})


@pytest.fixture
def services(libre: str, tmp_path: Any) -> Iterator[dict[str, dict[str, str]]]:
    from translation_services import FakeDeepL, FakeGoogle

    deepl, google = FakeDeepL("contract-key:fx"), FakeGoogle()
    yield {"libretranslate": {"libretranslate_url": libre},
           "deepl": {"deepl_api_key": "contract-key:fx", "deepl_url": deepl.url},
           "google": {"google_api_key": google.key, "google_url": google.url},
           # no model or server can run here: the back-end must say so at setup, with what to do
           "llamacpp": {"llamacpp_model": str(tmp_path / "absent.gguf")},
           "openai": {"openai_url": "http://127.0.0.1:9/v1"}}
    deepl.close()
    google.close()


@pytest.mark.parametrize("name", sorted(registry.available("translators")))
def test_every_translator_translates_or_says_why_not(name: str, services: dict[str, dict[str, str]]) -> None:
    from watchfloor.translate.select import make_translator

    settings = _translator_settings(name, services)
    try:
        translator = make_translator(name, settings, "ar")
        translator.setup()
    except NotConfigured as exc:
        assert name in ("ctranslate2", "llamacpp", "openai"), f"{name} should run against its loopback stand-in"
        assert len(str(exc)) > 20  # says what to set or install
        return
    assert translator.name == name and isinstance(translator.model, str) and translator.max_batch > 0
    english = translator.translate(["بيان صادر عن وزارة الخارجية", "عقد الاجتماع في بغداد"], "ar",
                                   {"بغداد": "Baghdad"})
    assert len(english) == 2 and all(isinstance(t, str) and t for t in english)
