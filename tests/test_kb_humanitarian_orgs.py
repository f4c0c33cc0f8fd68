"""The UN agencies and the humanitarian and rights organisations that conflict reporting cites all the time
(the IAEA on Iran's nuclear sites, the WHO, UNICEF, UNHCR, the WFP and OCHA on Gaza, Yemen and Sudan, Amnesty,
Human Rights Watch, MSF, RSF, the Red Crescent societies) link in Arabic, Persian and English, and their
abbreviations only as written in capitals. The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.pipeline.entities import EntityStage


def _linked(text: str, lang: str | None, gazetteer: Gazetteer) -> set[str]:
    return {m.entity_id for m in EntityStage(gazetteer.find, gazetteer.entities).find(text, lang)}


@pytest.mark.parametrize(("text", "lang", "entity"), [
    ("وقالت الوكالة الدولية للطاقة الذرية إن مفتشيها زاروا موقع فوردو.", "ar", "org:iaea"),
    ("آژانس بین‌المللی انرژی اتمی گزارش تازه‌ای درباره ذخایر اورانیوم منتشر کرد .", "fa", "org:iaea"),
    ("The IAEA said its inspectors had visited the site on Monday.", "en", "org:iaea"),
    ("حذرت منظمة الصحة العالمية من انتشار الكوليرا في المخيمات.", "ar", "org:who"),
    ("سازمان بهداشت جهانی از کمبود دارو در بیمارستان‌ها خبر داد .", "fa", "org:who"),
    ("وقالت اليونيسف إن آلاف الأطفال فقدوا مدارسهم.", "ar", "org:unicef"),
    ("وأعلن برنامج الأغذية العالمي تعليق توزيع المساعدات في الشمال.", "ar", "org:wfp"),
    ("The WFP suspended deliveries after the convoy was hit.", "en", "org:wfp"),
    ("وقالت المفوضية السامية للأمم المتحدة لشؤون اللاجئين إن عدد النازحين ارتفع.", "ar", "org:unhcr"),
    ("وأفاد مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية بأن الطرق مغلقة.", "ar", "org:ocha"),
    ("طالبت منظمة العفو الدولية بالإفراج عن الصحفيين المعتقلين.", "ar", "org:amnesty-international"),
    ("عفو بین‌الملل خواستار آزادی روزنامه‌نگاران بازداشت‌شده شد .", "fa", "org:amnesty-international"),
    ("وقالت هيومن رايتس ووتش إن الغارة أصابت مدرسة.", "ar", "org:human-rights-watch"),
    ("وأعلنت منظمة أطباء بلا حدود إجلاء طاقمها من المستشفى.", "ar", "org:msf"),
    ("پزشکان بدون مرز از تعطیلی دو درمانگاه خبر داد .", "fa", "org:msf"),
    ("ونددت منظمة مراسلون بلا حدود باعتقال المصور.", "ar", "org:rsf"),
    ("جمعیت هلال احمر از اعزام تیم‌های امدادی به مناطق زلزله‌زده خبر داد .", "fa", "org:iranian-red-crescent"),
    ("وقالت جمعية الهلال الأحمر الفلسطيني إن طواقمها لم تتمكن من الوصول.", "ar", "org:palestine-red-crescent"),
])
def test_a_humanitarian_or_un_body_links(text: str, lang: str, entity: str, gazetteer: Gazetteer) -> None:
    assert entity in gazetteer.entities
    assert entity in _linked(text, lang, gazetteer)


@pytest.mark.parametrize(("text", "entity"), [
    ("Who ordered the strike is not known, officials said.", "org:who"),  # the pronoun, not the WHO
    ("The msf figures were not confirmed.", "org:msf"),  # lower case: no name
])
def test_a_word_that_looks_like_an_abbreviation_does_not_link(text: str, entity: str,
                                                              gazetteer: Gazetteer) -> None:
    assert entity not in _linked(text, "en", gazetteer)
