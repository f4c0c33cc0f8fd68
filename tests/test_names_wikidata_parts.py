"""Wikidata's name parts in the rules (issue 15): in Arabic text the rules read the name parts of Wikidata's
people (``pipeline/data/ner_wikidata_names.txt``, CC0 1.0) as name parts, beside the romaniser's index, so a
foreign name after a title, a foreign family name after a given name and a family name with the article after a
lineage are found whole. Words of four letters or more only, and no common word, stop word or place that
Wikidata's names also hold ("لو", if; "قبرص", Cyprus). The tagger's features keep the index alone, as in its
training; Persian, Urdu and Pashto text keep the index alone. The sentences were written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import people_found
from watchfloor.kb.normalize import normalize
from watchfloor.pipeline import tagger
from watchfloor.pipeline.recognize import cues


@pytest.mark.parametrize(("text", "name"), [
    # a title and one foreign name (the index knows none of them)
    ("وقال المدرب شنايدر إن الفريق سيعود إلى التدريبات يوم الأحد", "شنايدر"),
    ("وأكد الحارس فاغنر أن الإصابة لن تمنعه من المشاركة في المباراة", "فاغنر"),
    ("وسجل المهاجم كانافارو هدف التعادل في الدقيقة الأخيرة", "كانافارو"),
    ("وقال اللاعب جونينيو إن الفريق يستحق الفوز", "جونينيو"),
    # a given name and a foreign family name
    ("وحضر المؤتمر جيمس بيكي ممثلا عن المنظمة الدولية", "جيمس بيكي"),
    ("وفاز خوان بالاسيوس بالانتخابات البلدية بفارق ضئيل", "خوان بالاسيوس"),
    # a lineage and a family name with the article
    ("وقال سالم بن عبد الله الخطابي إن اللجنة أنهت عملها", "سالم بن عبد الله الخطابي"),
    # a known name part ends the name before a word the index took for one ("روايته", his novel)
    ("وأصدر الكاتب غراهام روايته الجديدة في لندن", "غراهام"),
])
def test_a_name_wikidata_knows_is_found_whole_in_arabic(name_stage: Any, text: str, name: str) -> None:
    assert name in people_found(name_stage, text, "ar")


@pytest.mark.parametrize("text", [
    "وقال الرئيس لو كان الاتفاق ممكنا لوقعناه",
    "وأضاف الناطق أن المفاوضات في قبرص ستستأنف الأسبوع المقبل",
])
def test_short_words_and_places_of_wikidata_names_stay_no_people(name_stage: Any, text: str) -> None:
    assert people_found(name_stage, text, "ar") == set()


def test_the_parts_leave_out_short_common_and_place_words(name_stage: Any) -> None:
    wikidata = tagger.wikidata_names()
    for word in ("لو", "بات", "قبرص", "روسيا"):  # held by Wikidata's names, kept out of the rules' parts
        assert normalize(word) in wikidata, word
        assert normalize(word) not in name_stage.arabic_words, word
    for word in ("شنايدر", "بالاسيوس", "الخطابي"):
        assert normalize(word) in name_stage.arabic_words and normalize(word) not in name_stage.name_words, word
    plain = frozenset({normalize("شنايدر")})
    assert normalize("شنايدر") not in tagger.name_parts(plain)
    assert all(len(w) >= tagger.NAME_PART_LETTERS for w in tagger.name_parts(frozenset()))
    assert not (name_stage.arabic_words - name_stage.name_words) & (cues().common | cues().stop_words)


def test_the_tagger_and_persian_text_keep_the_index_alone(name_stage: Any) -> None:
    # the name parts the Persian rules read are the index's: "شنايدر" is no name part there
    assert not name_stage.is_name_word(normalize("شنايدر"))
    # the tagger is given the index's test, as in its training, whatever the text's language
    seen: list[Any] = []
    original = name_stage.model.tag

    def tag(text: str, tokens: Any, name_word: Any, lang: str | None = None) -> Any:
        seen.append(name_word)
        return original(text, tokens, name_word, lang)

    name_stage.model.tag = tag
    try:
        name_stage.spans("وقال المدرب شنايدر إن الفريق سيعود", "ar")
    finally:
        del name_stage.model.tag
    assert seen and not seen[0](normalize("شنايدر")) and seen[0](normalize("محمد"))
