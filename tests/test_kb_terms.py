"""The lexicon of the channels' vocabulary: found through Arabic proclitics, letter variants and Persian endings,
never inside a linked name, and handed to every back-end that takes a glossary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import pytest
import yaml

from watchfloor.kb.terms import TERMS, find_terms, lexicon_entries, term_glossary
from watchfloor.models import Mention, Post, Source
from watchfloor.pipeline.translate import glossary_for
from watchfloor.translate.engine import translate_texts
from watchfloor.translate.guard import wrong_date
from watchfloor.translate.none import NoneTranslator
from watchfloor.translate.prompt import messages


def _english(text: str, lang: str) -> list[str]:
    return [t.english for t in find_terms(text, lang)]


@pytest.mark.parametrize("entry", lexicon_entries(), ids=lambda e: str(e["en"]))
def test_every_written_form_is_found_as_itself(entry: dict[str, object]) -> None:
    assert entry["kind"] in {"event", "casualty", "weapon", "actor", "media", "title", "date"}
    for lang in ("ar", "fa"):
        for form in entry.get(lang) or ():  # type: ignore[attr-defined]
            found = find_terms(f"قال {form} جديد", lang)  # a word before and after
            assert [t.english for t in found] == [entry["en"]], (lang, form)
            assert found[0].surface == form


def test_the_data_file_records_its_source_and_review() -> None:
    header = TERMS.read_text(encoding="utf-8").split("terms:")[0]
    assert "Source:" in header and "Review:" in header and "Licence" in header
    assert isinstance(yaml.safe_load(TERMS.read_text(encoding="utf-8"))["terms"], list)


@pytest.mark.parametrize(("text", "english"), [
    ("وأمس", "yesterday"), ("فأمس", "yesterday"), ("بالأمس", "yesterday"), ("والبارحة", "yesterday"),
    ("للشهيد", "martyr"), ("بالشهيد", "martyr"), ("والشهيد", "martyr"), ("الشهيد", "martyr"), ("شهيد", "martyr"),
    ("وتشييع", "funeral"), ("بتشييع", "funeral"), ("كبيان", "statement"), ("لبيان", "statement"),
    ("بصاروخ", "missile"), ("والصواريخ", "missiles"), ("فالمقاومة", "the resistance"),
    ("واليوم", "today"), ("ويوم الثلاثاء", "Tuesday"), ("والأحد", "Sunday"),
    ("بيانًا", "statement"), ("صاروخا", "missile"), ("مؤتمرًا صحفيًا", "press conference"),  # accusative alef
])
def test_arabic_terms_are_found_behind_conjunctions_prepositions_and_the_article(text: str, english: str) -> None:
    assert _english(f"وقال المصدر {text} في بيان", "ar")[0] == english


@pytest.mark.parametrize(("text", "english"), [
    ("يوم", None), ("أحد", None), ("مقاومة", None), ("اثنين", None),  # bare words the article disambiguates
    ("أمسية", None), ("بيانات", None), ("صاروخية", None),  # longer words that start like a term
])
def test_a_term_written_with_its_article_needs_it_and_words_are_whole(text: str, english: str | None) -> None:
    assert _english(text, "ar") == ([english] if english else [])


@pytest.mark.parametrize(("text", "english"), [
    ("غارة جوية", "air strike"), ("غاره جويه", "air strike"), ("غارة جويّة", "air strike"),  # ة / ه, shadda
    ("الشّهيد", "martyr"), ("الشَّهِيدُ", "martyr"), ("ـالشهيـد", "martyr"),  # tashkeel and tatweel
    ("الأمين العام", "Secretary-General"), ("الامين العام", "Secretary-General"), ("الإمين العام", "Secretary-General"),
    ("مسيرة انقضاضية", "drone"), ("طائرة مسيّرة", "drone"), ("طائره مسيره", "drone"),
    ("وزير الخارجية", "foreign minister"), ("وزير الخارجيه", "foreign minister"),
])
def test_arabic_letter_variants_and_marks_fold_away(text: str, english: str) -> None:
    assert _english(text, "ar") == [english]


@pytest.mark.parametrize(("text", "english"), [
    ("شهید", "martyr"), ("شهيد", "martyr"), ("شهدای", "martyrs"),  # Persian ی or Arabic ي; ezafe
    ("پهپاد", "drone"), ("پهپادها", "drones"), ("پهپاد‌ها", "drone"), ("پهپادی", "drone"),
    ("سخنگوی", "spokesman"), ("سخنگو", "spokesman"), ("بیانیه‌ای", "statement"), ("بيانيه", "statement"),
    ("سه‌شنبه", "Tuesday"), ("سه شنبه", "Tuesday"), ("شنبه", "Saturday"), ("یک‌شنبه", "Sunday"),
    ("پنج‌شنبه", "Thursday"), ("پنجشنبه", "Thursday"), ("دیروز", "yesterday"), ("روز گذشته", "yesterday"),
    ("موشک‌های بالستیک", "ballistic missile"), ("موشکهای بالستیک", "ballistic missile"),
    ("گروه‌های مقاومت", "resistance factions"), ("کمين", "ambush"), ("آتش‌بس", "ceasefire"),
    ("رهبر معظم انقلاب", "Supreme Leader"), ("سرلشكر", "Major General"),  # Arabic ك for Persian ک
])
def test_persian_terms_with_ezafe_plural_zwnj_and_letter_variants(text: str, english: str) -> None:
    assert _english(text, "fa") == [english]


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("ليلة أمس", "ar", ["last night"]), ("صباح أمس", "ar", ["yesterday morning"]),
    ("أمس الأول", "ar", ["the day before yesterday"]), ("وقف إطلاق النار", "ar", ["ceasefire"]),
    ("الليلة الماضية", "ar", ["last night"]), ("الليلة", "ar", ["tonight"]),
    ("فصائل المقاومة", "ar", ["resistance factions"]), ("الناطق العسكري", "ar", ["military spokesman"]),
    ("صبح امروز", "fa", ["this morning"]), ("امروز", "fa", ["today"]), ("هفته گذشته", "fa", ["last week"]),
])
def test_the_longest_term_wins(text: str, lang: str, expected: list[str]) -> None:
    assert _english(text, lang) == expected


def test_languages_without_a_lexicon_and_empty_texts_find_nothing() -> None:
    assert find_terms("أمس", "ur") == find_terms("أمس", None) == find_terms("", "ar") == []
    assert find_terms("yesterday's funeral", "ar") == []


def _post(text: str, lang: str, mentions: list[Mention] | None = None) -> Post:
    return Post(id=1, source=Source(key="telegram:1"), message_id=1, posted_at=datetime(2024, 5, 23, tzinfo=UTC),
                text=text, lang=lang, mentions=mentions or [])


def test_the_pipeline_glossary_holds_names_then_terms_and_leaves_names_alone() -> None:
    text = "شارك المئات في تشييع الشهيد أمس، وأصدرت المقاومة الإسلامية في لبنان بيانا."
    start = text.index("المقاومة الإسلامية في لبنان")
    mention = Mention("org:islamic-resistance", "المقاومة الإسلامية في لبنان", start,
                      start + len("المقاومة الإسلامية في لبنان"))
    post = _post(text, "ar", [mention])
    glossary = glossary_for(post, {"org:islamic-resistance": "Islamic Resistance in Lebanon"})
    assert glossary == {"المقاومة الإسلامية في لبنان": "Islamic Resistance in Lebanon", "تشييع": "funeral",
                        "الشهيد": "martyr", "أمس": "yesterday", "بيانا": "statement"}
    assert list(glossary)[0] == "المقاومة الإسلامية في لبنان"  # names first; the term inside the name is left out
    assert glossary_for(post, {"org:islamic-resistance": "Islamic Resistance in Lebanon"}, terms=False) == {
        "المقاومة الإسلامية في لبنان": "Islamic Resistance in Lebanon"}


def test_the_none_backend_glosses_the_terms_too() -> None:
    text = "عقد الاجتماع أمس في بيروت"
    post = _post(text, "ar")
    result = translate_texts(NoneTranslator(), [text], "ar", [glossary_for(post, {})])[0]
    assert result.text == "عقد الاجتماع [meeting] أمس [yesterday] في بيروت"


def test_the_prompt_gives_the_glossary_last_so_the_start_is_shared() -> None:
    first = messages("عقد الاجتماع أمس", "ar", term_glossary("عقد الاجتماع أمس", "ar"))
    second = messages("شارك المئات في تشييع الشهيد", "ar", {"تشييع": "funeral"})
    assert first[:-1] == second[:-1]  # system message and example: the same for every segment
    assert first[-1]["content"] == "Glossary: الاجتماع = meeting; أمس = yesterday\n<source>عقد الاجتماع أمس</source>"
    assert messages("نص", "ar", {})[-1]["content"] == "<source>نص</source>"


@pytest.mark.parametrize(("output", "given", "wrong"), [
    ("The meeting was held on Monday.", ["yesterday"], True),
    ("The meeting was held yesterday.", ["yesterday"], False),
    ("The meeting was held last night.", ["yesterday"], False),
    ("The meeting was held.", ["yesterday"], False),  # missing, not misleading
    ("Hundreds attended the funeral this morning.", ["at dawn today"], False),
    ("Hundreds attended the funeral yesterday.", ["this morning"], True),
    ("It was held the day before yesterday.", ["the day before yesterday"], False),
    ("It was held yesterday.", ["the day before yesterday"], True),
    ("It was held on Tuesday.", ["Tuesday"], False),
    ("It was held on Tuesday.", ["yesterday", "Monday"], True),
    ("It was held yesterday, Monday.", ["yesterday", "Monday"], False),
    ("It was held on Friday.", ["funeral", "Beirut"], False),  # the glossary gave no day
])
def test_a_day_other_than_the_glossary_gave_is_a_wrong_date(output: str, given: list[str], wrong: bool) -> None:
    assert wrong_date(output, given) is wrong


class _SaysMonday:
    """A back-end that writes the wrong day, and (when ``learns``) the right one when asked strictly."""

    name, model, uses_glossary, max_batch = "fake-llm", "fake", True, 8

    def __init__(self, learns: bool) -> None:
        self.learns = learns
        self.calls: list[bool] = []

    def setup(self) -> None:
        """Nothing to load."""

    def translate(self, segments: Sequence[str], source_lang: str, glossary: Mapping[str, str],
                  strict: bool = False) -> list[str]:
        self.calls.append(strict)
        return ["The meeting was held yesterday." if strict and self.learns else "The meeting was held on Monday."
                for _ in segments]


def test_a_wrong_date_is_retried_strictly_then_never_shown() -> None:
    text = "عقد الاجتماع أمس"
    glossary = glossary_for(_post(text, "ar"), {})
    learns = _SaysMonday(learns=True)
    fixed = translate_texts(learns, [text], "ar", [glossary])[0]
    assert learns.calls == [False, True] and fixed.text == "The meeting was held yesterday." and fixed.flags == ()
    stubborn = translate_texts(_SaysMonday(learns=False), [text], "ar", [glossary])[0]
    assert stubborn.flags == ("wrong_date",) and "Monday" not in stubborn.text
    assert stubborn.text == "عقد الاجتماع [meeting] أمس [yesterday]"  # the original, glossed
