"""Quotes with speakers, dates in three calendars, and indicators, on news-like text and hostile input."""

from __future__ import annotations

import time

import pytest

from watchfloor.models import Mention
from watchfloor.pipeline.dates import find_dates
from watchfloor.pipeline.indicators import base58check_ok, find_indicators
from watchfloor.pipeline.quotes import find_quotes

TYPES = {"person:esmail-qaani": "person", "place:tehran": "place"}


def _mention(text: str, surface: str, entity: str = "person:esmail-qaani") -> Mention:
    start = text.index(surface)
    return Mention(entity, surface, start, start + len(surface))


@pytest.mark.parametrize("text", [
    "قال إسماعيل قاآني إن «المحادثات تناولت الأوضاع في المنطقة» خلال اللقاء.",
    "اسماعیل قاآنی گفت: «این نشست درباره وضعیت منطقه بود».",
    'Esmail Qaani said: "the talks covered the regional situation" in Tehran.',
    '"The talks covered the regional situation," said Esmail Qaani on Wednesday.',
])
def test_quote_and_its_speaker(text: str) -> None:
    surface = next(s for s in ("إسماعيل قاآني", "اسماعیل قاآنی", "Esmail Qaani") if s in text)
    [quote] = find_quotes(text, [_mention(text, surface)], TYPES)
    assert quote.speaker_id == "person:esmail-qaani" and quote.speaker == surface
    assert len(quote.text.split()) >= 4 and text[quote.start:quote.end].startswith(quote.text[:5])


def test_quotes_without_a_speaker_or_too_short() -> None:
    text = 'The statement described the meeting as "productive" and said "talks will continue next week".'
    quotes = find_quotes(text, [], TYPES)
    assert [q.text for q in quotes] == ["talks will continue next week"] and quotes[0].speaker is None
    # a place is never a speaker
    text = 'In Tehran, officials said "the meeting ended late at night".'
    assert find_quotes(text, [_mention(text, "Tehran", "place:tehran")], TYPES)[0].speaker is None


@pytest.mark.parametrize(("text", "expected"), [
    ("The meeting on 23 May 2024 ended.", [("gregorian", "2024-05-23")]),
    ("Reported on May 22, 2024 and 2024-05-24.", [("gregorian", "2024-05-22"), ("gregorian", "2024-05-24")]),
    ("في 23 أيار/مايو 2024 الموافق 15 ذو القعدة 1445هـ", [("gregorian", "2024-05-23"), ("hijri", "2024-05-23")]),
    ("في ١٥ ذي القعدة ١٤٤٥", [("hijri", "2024-05-23")]),
    ("روز ۲ خرداد ۱۴۰۳ برگزار شد", [("solar_hijri", "2024-05-22")]),
    ("on 2 Khordad 1403", [("solar_hijri", "2024-05-22")]),
    ("le 23 mai 2024", [("gregorian", "2024-05-23")]),
    ("23 Mayıs 2024 tarihinde", [("gregorian", "2024-05-23")]),
    ("on 26/5/2024", [("gregorian", "2024-05-26")]),
    ("31 February 2024 and 2024-13-01 are not dates", []),
])
def test_dates_in_three_calendars(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(d.calendar, d.date) for d in find_dates(text)] == expected


def test_indicators() -> None:
    text = ("Statement at https://t.me/sample_wire/12, follow @sample_desk #غزة #Red_Sea "
            "donate 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa 0x52908400098527886E0F7030069857D2E4169EE7 "
            "mail press@example.org")
    found = [(i.kind, i.value) for i in find_indicators(text, ["https://example.org/statement"])]
    assert found == [("url", "https://t.me/sample_wire/12"), ("telegram_handle", "@sample_wire"),
                     ("url", "https://example.org/statement"), ("telegram_handle", "@sample_desk"),
                     ("hashtag", "#غزة"), ("hashtag", "#Red_Sea"),
                     ("btc", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
                     ("eth", "0x52908400098527886E0F7030069857D2E4169EE7")]


def test_wallet_checksums() -> None:
    assert base58check_ok("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
    assert not base58check_ok("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")
    assert find_indicators("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb") == []


def test_hostile_input_is_fast_and_harmless() -> None:
    unit = "\x00\u202e" + "a" * 1000 + " @" + "x" * 5000 + ' "' + "word " * 2000 + "#" * 3000

    def seconds(copies: int) -> float:
        start = time.perf_counter()
        find_indicators(unit * copies)
        find_dates(unit * copies)
        find_quotes(unit * copies, [], TYPES)
        return time.perf_counter() - start

    # the time grows with the text, not with its square (a pattern that backtracks would): four times the text
    # in under ten times the time, which holds on a loaded machine, where a bound in seconds did not
    quarter, whole = seconds(25), seconds(100)
    assert whole < 10 * quarter + 0.5, (quarter, whole)
    assert whole < 60  # nor anything like the minutes a runaway pattern takes on 1.1 MB
    assert find_indicators("") == [] and find_dates("") == [] and find_quotes("", [], {}) == []
