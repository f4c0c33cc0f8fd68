"""In Persian a linked place's mention holds the place noun before it ("شهر تهران", the city of Tehran), as
the names stage's Persian places do ("استان کردستان"); a noun with the ezafe ("روستای"), "around" and "the
capital of" stay outside, and Arabic keeps the noun outside ("مدينة الموصل" links "الموصل"). A mention that
opens with its noun puts a place there for the story's coding. The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.pipeline.context import place_context
from watchfloor.pipeline.entities import EntityStage


def _surfaces(text: str, lang: str, entity: str, gazetteer: Gazetteer) -> list[str]:
    found = EntityStage(gazetteer.find, gazetteer.entities).find(text, lang)
    for mention in found:
        assert text[mention.start:mention.end] == mention.surface
    return [m.surface for m in found if m.entity_id == entity]


@pytest.mark.parametrize(("text", "entity", "surface"), [
    ("در نشست نمایندگان شهر تهران درباره بودجه گفتگو شد .", "place:tehran", "شهر تهران"),
    ("طرح فاضلاب شهر بندرعباس به بهره‌برداری رسید .", "place:bandar-abbas", "شهر بندرعباس"),
    ("زائران زیادی به شهر مشهد سفر کردند .", "place:mashhad", "شهر مشهد"),
    # two directions make one: north-west Iran, not "west Iran"
    ("بالگرد در شمال غرب ایران سقوط کرد .", "place:iran", "شمال غرب ایران"),
    ("زمین‌لرزه در جنوب شرق تهران احساس شد .", "place:tehran", "جنوب شرق تهران"),
    ("در جنوب غرب ایران باران شدیدی بارید .", "place:iran", "جنوب غرب ایران"),
    ("سیل در استان خوزستان خسارت زیادی به بار آورد .", "place:khuzestan", "استان خوزستان"),
])
def test_a_persian_place_holds_its_noun(text: str, entity: str, surface: str, gazetteer: Gazetteer) -> None:
    assert _surfaces(text, "fa", entity, gazetteer) == [surface]


@pytest.mark.parametrize(("text", "lang", "entity", "surface"), [
    ("مردم تهران به خیابان‌ها آمدند .", "fa", "place:tehran", "تهران"),
    ("مسابقه در دوحه پایتخت قطر برگزار شد .", "fa", "place:qatar", "قطر"),
    ("وصل الوفد إلى مدينة الموصل مساء أمس .", "ar", "place:mosul", "الموصل"),
])
def test_other_words_before_a_place_stay_outside(text: str, lang: str, entity: str, surface: str,
                                                 gazetteer: Gazetteer) -> None:
    assert _surfaces(text, lang, entity, gazetteer) == [surface]


def test_a_mention_that_opens_with_its_noun_puts_a_place_there(gazetteer: Gazetteer) -> None:
    text = "نمایندگان شهر تهران درباره بودجه گفتگو کردند ."
    (mention,) = [m for m in EntityStage(gazetteer.find, gazetteer.entities).find(text, "fa")
                  if m.entity_id == "place:tehran"]
    assert place_context(text, mention.start, mention.end)
    assert not place_context("نمایندگان تهران درباره بودجه گفتگو کردند .", 10, 15)
