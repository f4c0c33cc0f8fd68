"""The region's towns and cities the knowledge base added on 2026-12-02 (Iran's border and provincial towns,
Iraq's, Syria's and Yemen's battlefields, the Gulf's, Egypt's, the Maghreb's and Sudan's cities) link where
the news names them, and the ones whose names are also words link only with a place-like context:
"لفترة وجيزة" (for a short while) is not Giza, and "موشک خرمشهر" is a missile, not the city. The sentences
were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.pipeline.entities import EntityStage


def _linked(text: str, lang: str, gazetteer: Gazetteer) -> set[str]:
    return {m.entity_id for m in EntityStage(gazetteer.find, gazetteer.entities).find(text, lang)}


@pytest.mark.parametrize(("text", "lang", "entity"), [
    ("دو مرزبان در درگیری مسلحانه نزدیک سراوان کشته شدند .", "fa", "place:saravan"),
    ("تجمع کارگران در مهاباد برای دومین روز ادامه یافت .", "fa", "place:mahabad"),
    ("زلزله‌ای به بزرگی پنج ریشتر سرپل‌ذهاب را لرزاند .", "fa", "place:sarpol-e-zahab"),
    ("نیروهای امنیتی در سقز و مریوان مستقر شدند .", "fa", "place:marivan"),
    ("پالایشگاه‌های عسلویه فعالیت خود را از سر گرفتند .", "fa", "place:asaluyeh"),
    ("قطار مسافربری تبریز به جلفا از ریل خارج شد .", "fa", "place:jolfa"),
    ("وقال مسؤولون إن الاشتباكات امتدت إلى طوزخورماتو وخانقين.", "ar", "place:khanaqin"),
    ("أفادت مصادر محلية بسقوط قذائف على أطراف عفرين.", "ar", "place:afrin"),
    ("وصلت قافلة مساعدات إلى الفاشر بعد أسابيع من الحصار.", "ar", "place:el-fasher"),
    ("وعقد الاجتماع في شرم الشيخ بحضور وفود عربية.", "ar", "place:sharm-el-sheikh"),
    ("وأعلنت السلطات فتح ميناء المخا أمام السفن التجارية.", "ar", "place:mokha"),
    ("افتتح الوزير مستشفى جديدا في الدمام أمس.", "ar", "place:dammam"),
])
def test_a_regional_town_links(text: str, lang: str, entity: str, gazetteer: Gazetteer) -> None:
    assert entity in gazetteer.entities
    assert entity in _linked(text, lang, gazetteer)


@pytest.mark.parametrize(("text", "lang", "entity"), [
    ("ارتفع المؤشر لفترة وجيزة قبل أن يتراجع.", "ar", "place:giza"),  # for a short while
    ("سپاه از آزمایش موفق موشک خرمشهر خبر داد .", "fa", "place:khorramshahr"),  # the missile
    ("وقالت وزارة الدفاع الإيرانية إنها اختبرت صاروخ خرمشهر.", "ar", "place:khorramshahr"),
    ("فاز نادي برسبوليس على منافسه في الدوري.", "ar", "place:persepolis"),  # the football club
])
def test_a_town_whose_name_is_another_thing_needs_its_context(text: str, lang: str, entity: str,
                                                              gazetteer: Gazetteer) -> None:
    assert entity in gazetteer.entities
    assert entity not in _linked(text, lang, gazetteer)


@pytest.mark.parametrize(("text", "lang", "entity"), [
    ("وافتتح المتحف الجديد في محافظة الجيزة بحضور الوزير.", "ar", "place:giza"),
    ("وهطلت أمطار غزيرة في الجيزة.", "ar", "place:giza"),
    ("مراسم سالگرد آزادسازی در شهر خرمشهر برگزار شد .", "fa", "place:khorramshahr"),
])
def test_with_its_context_it_links(text: str, lang: str, entity: str, gazetteer: Gazetteer) -> None:
    assert entity in _linked(text, lang, gazetteer)
