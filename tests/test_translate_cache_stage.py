"""The cache means no segment is translated twice; the stage skips English, glosses names, and a better
back-end configured later translates old posts again. The server back-end under test is a real HTTP
server on loopback that speaks LibreTranslate's API (the LibreTranslate server itself cannot be installed
offline): it "translates" by mapping each Arabic letter to a Latin one, which is enough to test plumbing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from conftest import message, write_export
from libre import LATIN, LibreHandler
from watchfloor import runner
from watchfloor.models import Mention, Post, Source
from watchfloor.pipeline.translate import TranslateStage
from watchfloor.settings import load_settings
from watchfloor.store import posts as post_store
from watchfloor.store import translations as translation_store
from watchfloor.translate.cache import MemoryCache
from watchfloor.translate.engine import translate_texts
from watchfloor.translate.libretranslate import LibreTranslateTranslator
from watchfloor.translation_queue import Worker


class CountingLibre(LibreTranslateTranslator):
    """The real back-end, counting the segments it is asked for."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.segments: list[str] = []

    def translate(self, segments: Sequence[str], source_lang: str, glossary: Any, strict: bool = False) -> list[str]:
        self.segments += list(segments)
        return super().translate(segments, source_lang, glossary, strict)


TEXTS = ["وصل الوفد إلى بغداد. بدأ الاجتماع صباحا. https://example.org/r #بغداد",
         "وصل الوفد إلى بغداد. انتهى الاجتماع مساء @news_desk"]


def test_libretranslate_batches_segments_and_keeps_protected_tokens(libre: str) -> None:
    translator = CountingLibre(libre)
    translator.max_batch = 2
    LibreHandler.requests.clear()
    results = translate_texts(translator, TEXTS, "ar")
    # three distinct sentences (the first is in both posts), sent two per request
    assert sorted(translator.segments) == sorted({"وصل الوفد إلى بغداد.", "بدأ الاجتماع صباحا.", "انتهى الاجتماع مساء"})
    assert [len(r) for r in LibreHandler.requests] == [2, 1]
    assert results[0].text.endswith("https://example.org/r #بغداد") and results[1].text.endswith("@news_desk")
    assert results[0].backend == "libretranslate" and results[0].model.startswith("libretranslate@127.0.0.1")
    assert results[0].flags == () and results[0].segments == 2


def test_the_cache_means_a_second_run_calls_the_backend_for_nothing(libre: str) -> None:
    cache = MemoryCache()
    first = CountingLibre(libre)
    translate_texts(first, TEXTS, "ar", cache=cache)
    assert len(first.segments) == 3 and len(cache.entries) == 3
    second = CountingLibre(libre)
    again = translate_texts(second, TEXTS, "ar", cache=cache)
    assert second.segments == []
    assert again[0].cached == again[0].segments == 2


def test_the_store_cache_keeps_translations_across_runs(store: Engine, libre: str) -> None:
    cache = translation_store.TranslationStore(store)
    translate_texts(CountingLibre(libre), TEXTS, "ar", cache=cache)
    translate_texts(CountingLibre(libre), TEXTS, "ar", cache=cache)  # nothing new, nothing duplicated
    with store.connect() as conn:
        assert translation_store.cache_size(conn) == 3
    later = CountingLibre(libre)
    translate_texts(later, TEXTS, "ar", cache=translation_store.TranslationStore(store))
    assert later.segments == []


NONE = load_settings({"translate_backend": "none"}, environ={})  # the gist model is the default where installed


def _post(text: str, lang: str, mentions: list[Mention] | None = None) -> Post:
    return Post(id=1, source=Source(key="telegram:1"), message_id=1, posted_at=datetime(2024, 5, 23, tzinfo=UTC),
                text=text, lang=lang, mentions=mentions or [])


def test_stage_skips_english_and_glosses_names_with_the_none_backend() -> None:
    stage = TranslateStage(NONE, {"org:hezbollah": "Hezbollah"})
    stage.setup()
    english = _post("Hezbollah said nothing.", "en")
    arabic = _post("قال حزب الله إن الوفد وصل", "ar", [Mention("org:hezbollah", "حزب الله", 4, 12)])
    stage.run([english, arabic])
    assert english.text_en is None and english.translation is None
    assert arabic.text_en == "قال حزب الله [Hezbollah] إن الوفد وصل"
    assert arabic.translation is not None and arabic.translation["backend"] == "none"
    assert arabic.english() is None  # glosses are not an English text for story titles and reports


def test_stage_redoes_a_translation_only_when_the_configured_backend_outranks_it(libre: str) -> None:
    post = _post("وصل الوفد إلى بغداد", "ar")
    TranslateStage(NONE).run([post])
    assert post.translation is not None and post.translation["backend"] == "none"
    better = CountingLibre(libre)
    stage = TranslateStage(NONE, translators={"*": better})
    stage.run([post])
    assert post.translation["backend"] == "libretranslate" and len(better.segments) == 1
    stage.run([post])  # same back-end, same model, same text: kept
    assert len(better.segments) == 1
    TranslateStage(NONE).run([post])  # a lower-ranked back-end does not overwrite it
    assert post.translation["backend"] == "libretranslate"


def test_configuring_a_better_backend_queues_processed_posts_again(store: Engine, tmp_path: Path,
                                                                   libre: str) -> None:
    export = write_export(tmp_path / "export", 1900000401, "Desk", [
        message(1, "وصل الوفد إلى بغداد. بدأ الاجتماع صباحا.", 1716458400),
        message(2, "The delegation arrived in Baghdad on Monday morning.", 1716458500)])
    runner.import_telegram_export(store, export)
    assert runner.process(store, NONE).queued == 0  # the glossed original is all `none` makes
    with store.connect() as conn:
        arabic, english = post_store.load_posts(conn, [1, 2])
    assert arabic.translation is not None and arabic.translation["backend"] == "none"
    assert english.translation is None
    LibreHandler.requests.clear()
    settings = load_settings({"translate_by_lang": "ar=libretranslate", "libretranslate_url": libre,
                              "translate_backend": "none"}, environ={})
    report = runner.process(store, settings)
    assert report.posts == 0 and report.queued == 1 and LibreHandler.requests == []  # queued, not waited for
    assert Worker(store, settings).run(once=True).done == 1
    with store.connect() as conn:
        arabic, english = post_store.load_posts(conn, [1, 2])
    assert arabic.translation is not None and arabic.translation["backend"] == "libretranslate"
    assert arabic.text_en == "وصل الوفد إلى بغداد. بدأ الاجتماع صباحا.".translate(LATIN)
    assert english.translation is None
    assert runner.process(store, settings).queued == 0
    assert Worker(store, settings).run(once=True).done == 0
    assert sum(len(r) for r in LibreHandler.requests) == 2  # each sentence once
