"""The DeepL and Google Cloud Translation back-ends against loopback stand-ins of their documented APIs: batch
limits, glossaries, retries with backoff (Retry-After honoured), errors that say what to do, and the
characters sent counted per back-end (on both databases)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from sqlalchemy.engine import Engine

from conftest import Cli
from translation_services import FakeDeepL, FakeGoogle, fake_english
from watchfloor import runner
from watchfloor.errors import NotConfigured, SourceUnavailable
from watchfloor.settings import load_settings
from watchfloor.store.usage import UsageStore, record_usage, usage_summary
from watchfloor.translate.deepl import FREE_URL, MAX_REQUEST_BYTES, PRO_URL, DeepLTranslator
from watchfloor.translate.engine import translate_texts
from watchfloor.translate.google import GoogleTranslator
from watchfloor.translate.select import make_translator
from watchfloor.translate.usage import MemoryUsage
from watchfloor.translate.webapi import QuotaExceeded, WebAPI, retry_after

KEY = "0f1e2d3c-aaaa-bbbb-cccc-000000000000:fx"
SENTENCES = [f"وصل الوفد رقم {n} إلى بغداد." for n in range(120)]


class Sleeps(list[float]):
    """Records the waits asked for instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def deepl() -> Iterator[FakeDeepL]:
    service = FakeDeepL(KEY)
    yield service
    service.close()


@pytest.fixture
def google() -> Iterator[FakeGoogle]:
    service = FakeGoogle(glossaries={"names": {"بغداد": "Baghdad"}})
    yield service
    service.close()


def _deepl(service: FakeDeepL, sleeps: Sleeps | None = None, entries: dict[str, str] | None = None,
           key: str = KEY) -> DeepLTranslator:
    from watchfloor.translate import deepl as module

    api = WebAPI("DeepL", explain=module._explain, retryable=module._retryable, backoff=0.5,
                 sleep=sleeps if sleeps is not None else Sleeps())
    return DeepLTranslator(key, service.url, (lambda lang: entries or {}) if entries is not None else None, api)


def _google(service: FakeGoogle, v3: bool = False, sleeps: Sleeps | None = None, **kwargs: str) -> GoogleTranslator:
    from watchfloor.translate import google as module

    api = WebAPI("Google Cloud Translation", explain=module._explain, retryable=module._retryable, backoff=0.5,
                 sleep=sleeps if sleeps is not None else Sleeps())
    if v3:
        return GoogleTranslator(project=service.project, access_token=service.token, url=service.url, api=api, **kwargs)
    return GoogleTranslator(api_key=service.key, url=service.url, api=api, **kwargs)


@pytest.mark.parametrize(("key", "host"), [("abc:fx", FREE_URL), ("abc-def:fx", FREE_URL), ("abc", PRO_URL),
                                           ("abc:fxx", PRO_URL), ("fx", PRO_URL)])
def test_deepl_picks_the_free_or_pro_host_by_the_key(key: str, host: str) -> None:
    translator = DeepLTranslator(key)
    assert translator.url == host and translator.model == f"deepl@{host.removeprefix('https://')}"


def test_deepl_sends_at_most_50_texts_a_request_in_order_and_counts_characters(deepl: FakeDeepL) -> None:
    usage = MemoryUsage()
    results = translate_texts(_deepl(deepl), SENTENCES, "ar", usage=usage)
    assert [r.text for r in results] == [fake_english(s) for s in SENTENCES]
    assert [len(r.json()["text"]) for r in deepl.translate_requests] == [50, 50, 20]
    assert all(r.json()["source_lang"] == "AR" and r.json()["target_lang"] == "EN-US" for r in deepl.translate_requests)
    assert results[0].backend == "deepl" and results[0].label == f"machine translation: deepl, {results[0].model}"
    model = results[0].model
    assert usage.counts == {("deepl", model): [sum(len(s) for s in SENTENCES), 120, 3]}


def test_deepl_keeps_each_request_under_128_kib(deepl: FakeDeepL) -> None:
    long = [("بيان " * 550).strip() + f" {n}." for n in range(50)]  # about 4.9 KB each, 247 KB in all
    results = _deepl(deepl).translate(long, "ar", {})
    assert results == [fake_english(s) for s in long]
    sizes = [len(r.body) for r in deepl.translate_requests]
    assert len(sizes) >= 2 and max(sizes) <= MAX_REQUEST_BYTES


def test_deepl_glossary_is_made_once_from_the_names_and_reused_by_id(deepl: FakeDeepL) -> None:
    entries = {"حزب الله": "Hezbollah", "بغداد": "Baghdad", "تشييع": "funeral", "same": "same"}
    first = _deepl(deepl, entries=entries)
    assert first.translate(["تشييع في بغداد"], "ar", {}) == [fake_english("funeral في Baghdad")]
    assert len(deepl.created) == 1
    made = deepl.glossaries[deepl.created[0]]
    assert made["entries"] == {"بغداد": "Baghdad", "تشييع": "funeral", "حزب الله": "Hezbollah"}
    assert made["source_lang"] == "ar" and made["target_lang"] == "en"
    second = _deepl(deepl, entries=entries)  # another process: finds the glossary by its name
    second.translate(["بغداد"], "ar", {})
    assert len(deepl.created) == 1
    assert {r.json().get("glossary_id") for r in deepl.translate_requests} == {deepl.created[0]}
    _deepl(deepl, entries={**entries, "دمشق": "Damascus"}).translate(["دمشق"], "ar", {})  # changed names: new one
    assert len(deepl.created) == 2


def test_deepl_glossary_comes_from_the_knowledge_base_and_the_lexicon(deepl: FakeDeepL) -> None:
    settings = load_settings({"deepl_api_key": KEY, "deepl_url": deepl.url}, environ={})
    translator = make_translator("deepl", settings)
    translator.setup()
    translator.translate(["حزب الله"], "ar", {})
    entries = deepl.glossaries[deepl.created[0]]["entries"]
    assert entries["حزب الله"] == "Hezbollah" and entries["تشييع"] == "funeral" and entries["أمس"] == "yesterday"
    off = load_settings({"deepl_api_key": KEY, "deepl_url": deepl.url, "deepl_glossary": "off"}, environ={})
    plain = make_translator("deepl", off)
    plain.translate(["حزب الله"], "ar", {})
    assert "glossary_id" not in deepl.translate_requests[-1].json() and len(deepl.created) == 1


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504, 529])
def test_deepl_retries_busy_answers_honouring_retry_after(deepl: FakeDeepL, status: int) -> None:
    sleeps = Sleeps()
    translator = _deepl(deepl, sleeps)
    translator.setup()
    deepl.failures = [(status, "application/json", '{"message": "busy"}', {"Retry-After": "3"}),
                      (status, "application/json", '{"message": "busy"}', {})]
    assert translator.translate(["بغداد"], "ar", {}) == [fake_english("بغداد")]
    assert sleeps[0] == 3.0 and 0.5 <= sleeps[1] <= 0.5 * 2 * 1.25  # Retry-After, then backoff (second try)


def test_deepl_gives_up_after_the_retries_and_never_sleeps_through_a_long_retry_after(deepl: FakeDeepL) -> None:
    sleeps = Sleeps()
    translator = _deepl(deepl, sleeps)
    translator.setup()
    deepl.failures = [(503, "application/json", "{}", {})] * 5
    with pytest.raises(SourceUnavailable, match="503 after 5 tries"):
        translator.translate(["بغداد"], "ar", {})
    assert len(sleeps) == 4 and sleeps == sorted(sleeps)  # doubling backoff
    deepl.failures = [(429, "application/json", "{}", {"Retry-After": "7200"})]
    with pytest.raises(SourceUnavailable, match="wait 7200 s"):
        translator.translate(["بغداد"], "ar", {})


@pytest.mark.parametrize(("status", "error", "advice"), [
    (403, NotConfigured, "WATCHFLOOR_DEEPL_API_KEY"), (456, QuotaExceeded, "quota is used up")])
def test_deepl_refusals_say_what_to_do(deepl: FakeDeepL, status: int, error: type[Exception], advice: str) -> None:
    translator = _deepl(deepl)
    translator.setup()
    deepl.failures = [(status, "application/json", '{"message": "refused"}', {})]
    with pytest.raises(error, match=advice):
        translator.translate(["بغداد"], "ar", {})
    assert [r.path for r in deepl.site.received].count("/v2/translate") == 1  # not retried


def test_deepl_with_a_wrong_key_or_no_key_is_not_configured(deepl: FakeDeepL) -> None:
    with pytest.raises(NotConfigured, match="403"):
        _deepl(deepl, key="wrong:fx").setup()
    with pytest.raises(NotConfigured, match="WATCHFLOOR_DEEPL_API_KEY"):
        make_translator("deepl", load_settings(environ={}))


def test_deepl_says_which_languages_it_cannot_translate(deepl: FakeDeepL) -> None:
    translator = _deepl(deepl)
    assert translator.supported() == ["ar", "de", "en"]
    with pytest.raises(NotConfigured, match="does not translate 'fa'.*TRANSLATE_BY_LANG"):
        translator.translate(["سلام"], "fa", {})


def test_google_v2_sends_128_texts_or_5000_characters_a_request(google: FakeGoogle) -> None:
    texts = SENTENCES * 2 + [("خبر " * 97).strip() + f" {n}" for n in range(30)]  # and 30 of about 390 characters
    assert _google(google).translate(texts, "ar", {}) == [fake_english(t) for t in texts]
    sent = [r.json()["q"] for r in google.translate_requests]
    assert all(len(q) <= 128 and sum(len(t) for t in q) <= 5000 for q in sent) and sum(map(len, sent)) == 270
    assert max(len(q) for q in sent) == 128
    assert all(r.json()["format"] == "text" and r.json()["source"] == "ar" for r in google.translate_requests)


def test_google_output_is_labelled_and_its_characters_counted(google: FakeGoogle) -> None:
    usage = MemoryUsage()
    results = translate_texts(_google(google), SENTENCES, "ar", usage=usage)
    assert [r.text for r in results] == [fake_english(t) for t in SENTENCES]
    assert results[0].backend == "google" and results[0].model == "google-translate-v2"
    assert results[0].label == "machine translation: google, google-translate-v2"
    assert usage.counts == {("google", "google-translate-v2"): [sum(len(t) for t in SENTENCES), 120, 1]}


def test_google_v3_uses_the_token_and_the_glossary(google: FakeGoogle) -> None:
    translator = _google(google, v3=True, location="us-central1", glossary="names")
    assert translator.translate(["وصل إلى بغداد"], "ar", {}) == [fake_english("وصل إلى Baghdad")]
    request = google.translate_requests[-1]
    headers = {name.lower(): value for name, value in request.headers.items()}
    assert headers["authorization"] == f"Bearer {google.token}" and headers["x-goog-user-project"] == google.project
    assert request.json()["glossaryConfig"]["glossary"] == \
        f"projects/{google.project}/locations/us-central1/glossaries/names"
    assert translator.model == "google-translate-v3"
    plain = _google(google, v3=True)
    assert plain.translate(["بغداد"], "ar", {}) == [fake_english("بغداد")]
    assert "glossaryConfig" not in google.translate_requests[-1].json()


def _google_error(status: int, reason: str) -> tuple[int, str, str, dict[str, str]]:
    return (status, "application/json",
            f'{{"error": {{"code": {status}, "message": "{reason}", "errors": [{{"reason": "{reason}"}}]}}}}', {})


@pytest.mark.parametrize(("failure", "error", "advice"), [
    (_google_error(403, "dailyLimitExceeded"), QuotaExceeded, "quota is used up"),
    (_google_error(403, "quotaExceeded"), QuotaExceeded, "quota is used up"),
    (_google_error(403, "accessNotConfigured"), NotConfigured, "enable the Cloud Translation API"),
    (_google_error(400, "keyInvalid"), NotConfigured, "WATCHFLOOR_GOOGLE_API_KEY"),
])
def test_google_refusals_say_what_to_do(google: FakeGoogle, failure: tuple[int, str, str, dict[str, str]],
                                        error: type[Exception], advice: str) -> None:
    translator = _google(google)
    translator.setup()
    google.failures = [failure]
    with pytest.raises(error, match=advice):
        translator.translate(["بغداد"], "ar", {})


@pytest.mark.parametrize("failure", [_google_error(403, "userRateLimitExceeded"),
                                     _google_error(403, "rateLimitExceeded"),
                                     _google_error(429, "rateLimitExceeded"), _google_error(500, "backendError"),
                                     _google_error(503, "backendError")])
def test_google_retries_rate_limits_and_server_errors(google: FakeGoogle,
                                                      failure: tuple[int, str, str, dict[str, str]]) -> None:
    sleeps = Sleeps()
    translator = _google(google, sleeps=sleeps)
    translator.setup()
    google.failures = [failure]
    assert translator.translate(["بغداد"], "ar", {}) == [fake_english("بغداد")]
    assert len(sleeps) == 1


def test_google_v3_expired_token_and_wrong_key_are_not_configured(google: FakeGoogle) -> None:
    with pytest.raises(NotConfigured, match="access token"):
        GoogleTranslator(project=google.project, access_token="expired", url=google.url).setup()
    with pytest.raises(NotConfigured, match="API key"):
        GoogleTranslator(api_key="wrong", url=google.url).setup()
    with pytest.raises(NotConfigured, match="WATCHFLOOR_GOOGLE_API_KEY"):
        make_translator("google", load_settings(environ={}))


@pytest.mark.parametrize(("header", "seconds"), [("0", 0.0), ("12", 12.0), (None, None), ("soon", None)])
def test_retry_after_reads_seconds(header: str | None, seconds: float | None) -> None:
    assert retry_after(header) == seconds


def test_retry_after_reads_an_http_date() -> None:
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90.0
    assert retry_after(format_datetime(now - timedelta(seconds=90), usegmt=True), now) == 0.0


def test_usage_is_counted_per_backend_model_and_day(store: Engine) -> None:
    meter = UsageStore(store)
    meter.add("deepl", "deepl@api-free.deepl.com", 1200, 10)
    meter.add("deepl", "deepl@api-free.deepl.com", 300, 2)
    meter.add("google", "google-translate-v2", 50, 1)
    last_month = datetime.now(UTC).date().replace(day=1) - timedelta(days=1)
    with store.begin() as conn:
        record_usage(conn, "deepl", "deepl@api-free.deepl.com", 7000, 40, day=last_month)
    with store.connect() as conn:
        summary = {row["backend"]: row for row in usage_summary(conn)}
        recent = {row["backend"]: row for row in usage_summary(conn, since=datetime.now(UTC).date())}
    assert summary["deepl"]["characters"] == 8500 and summary["deepl"]["segments"] == 52
    assert summary["deepl"]["calls"] == 3 and summary["deepl"]["characters_this_month"] == 1500
    assert summary["deepl"]["first_day"] == last_month.isoformat()
    assert recent["deepl"]["characters"] == 1500 and summary["google"]["characters"] == 50


def test_the_pipeline_counts_what_it_sends_to_deepl(store: Engine, deepl: FakeDeepL) -> None:
    from test_translate_cache_stage import _post
    from watchfloor.pipeline.translate import TranslateStage
    from watchfloor.store.translations import TranslationStore

    settings = load_settings({"translate_backend": "deepl", "deepl_api_key": KEY, "deepl_url": deepl.url,
                              "deepl_glossary": "off"}, environ={})
    stage = TranslateStage(settings, {}, TranslationStore(store), usage=UsageStore(store))
    posts = [_post("وصل الوفد إلى بغداد.", "ar"), _post("وصل الوفد إلى بغداد.", "ar")]
    stage.run(posts)
    stage.run([_post("وصل الوفد إلى بغداد. انتهى الاجتماع.", "ar")])  # one sentence cached, one new
    assert posts[0].translation is not None and posts[0].translation["backend"] == "deepl"
    with store.connect() as conn:
        (row,) = usage_summary(conn)
    assert row["backend"] == "deepl" and row["segments"] == 2
    assert row["characters"] == len("وصل الوفد إلى بغداد.") + len("انتهى الاجتماع.")


def test_translate_usage_command_lists_characters_per_backend(cli: Cli) -> None:
    cli("init")
    assert cli.json("translate", "usage") == []
    assert "Nothing has been sent" in cli("translate", "usage").stdout
    store = runner.open_store(cli.db_url, pooled=False)
    UsageStore(store).add("deepl", "deepl@api.deepl.com", 4321, 7)
    store.dispose()
    (row,) = cli.json("translate", "usage")
    assert row["backend"] == "deepl" and row["characters"] == 4321 and row["characters_this_month"] == 4321
    assert "4,321" in cli("translate", "usage").stdout
    assert cli.json("translate", "usage", "--since", "2999-01-01") == []
    bad = cli("translate", "usage", "--since", "last week", ok=False)
    assert bad.exit_code == 1 and "--since must be a date like 2024-05-23" in bad.stderr
    assert "حزب الله [Hezbollah]" in cli.json("translate", "قال حزب الله إن الوفد وصل", "--backend", "none")["text_en"]


def test_deepl_counts_json_escapes_against_the_request_limit(deepl: FakeDeepL) -> None:
    hostile = ['"\\' * 1500 + "\x01" * 2000 + f" {n}" for n in range(12)]  # 5 KB of text, 18 KB of JSON each
    assert _deepl(deepl).translate(hostile, "ar", {}) == [fake_english(t) for t in hostile]
    sizes = [len(r.body) for r in deepl.translate_requests]
    assert len(sizes) >= 2 and max(sizes) <= MAX_REQUEST_BYTES


def test_a_service_that_is_down_is_not_configured_after_one_retry() -> None:
    import socket

    from watchfloor.translate import deepl as module

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    sleeps = Sleeps()
    api = WebAPI("DeepL", explain=module._explain, retryable=module._retryable, backoff=0.5, sleep=sleeps)
    with pytest.raises(NotConfigured, match="DeepL does not answer"):
        DeepLTranslator(KEY, url, None, api).setup()
    assert len(sleeps) == 1
