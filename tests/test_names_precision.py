"""Words the recogniser or the tagger took for names, each a class: a lone adjective of origin after a title or a
team ("الرئيس السوداني", the Sudanese president; "الفريق المصري", the Egyptian team), an honorific that refers
back to someone ("جلالته", his majesty), a month with its "next" ("كانون الثاني القادم"), and a verb or a verbal
noun run on into a name ("... قيديد سيطروا", "... إيتو بتمزق"). The sentences were written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from watchfloor.pipeline.names import NameStage


@pytest.mark.parametrize(("text", "word"), [
    ("وقال الخليفة مستشار الرئيس السوداني ـ في تصريح صحفي ـ إن المحادثات مستمرة.", "السوداني"),
    ("ويأمل المدرب أن يحسمها الفريق المصري لمصلحته ويتصدر المجموعة.", "المصري"),
    ("وأكد جلالته خلال اللقاء أن العلاقات متينة.", "جلالته"),
    ("واستقبل سموه الوفد في الديوان مساء أمس.", "سموه"),
    ("وتبدأ العروض في كانون الثاني القادم في العاصمة.", "كانون"),
    ("وتنطلق الدورة في شهر آب المقبل بمشاركة عشرين دولة.", "آب"),
])
def test_a_word_that_names_no_one_is_no_name(text: str, word: str, name_stage: NameStage) -> None:
    names = [text[s.start:s.end] for s in name_stage.spans(text, "ar")]
    assert not any(word in name.split() for name in names), names


@pytest.mark.parametrize(("text", "person"), [
    ("وذكر الشهود أن أنصار القائد عبدي حسن أوالي قيديد سيطروا على البلدة.", "عبدي حسن أوالي قيديد"),
    ("وأصيب مهاجمه الدولي الكاميروني صامويل إيتو بتمزق في الركبة.", "صامويل إيتو"),
])
def test_a_verb_after_a_name_stays_out_of_it(text: str, person: str, name_stage: NameStage) -> None:
    people = [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "person"]
    assert person in people, people


def test_a_persian_word_that_spells_a_cldr_city_is_no_place(name_stage: NameStage, gazetteer: Any) -> None:
    text = "در سه ماهه چهارم این سال صادرات افزایش یافت ."  # "ماهه" (-month), the CLDR's Persian Mahé
    linked = gazetteer.find(text, "fa")
    assert not any(m.surface == "ماهه" for m, _ in name_stage.find(text, linked, "fa"))



@pytest.mark.parametrize(("text", "word"), [
    ("إنها حقا منطقة مهمة للتبادل التجاري بين البلدين.", "مهمة"),
    ("ووصلت السفينة إلى ميناء دولي على البحر الأحمر.", "دولي"),
    ("ووقعت الدولتان اتفاق منطقة التجارة الحرة أمس.", "التجارة"),
])
def test_a_common_word_after_a_place_noun_is_no_place(text: str, word: str, name_stage: NameStage) -> None:
    places = [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "place"]
    assert not any(word in place.split() for place in places), places


@pytest.mark.parametrize(("text", "place"), [
    ("ورقة أينشتاين العلمية الثالثة غيرت الفيزياء.", "place:raqqa"),  # "ورقة" a sheet of paper, "و" + "رقة"
    ("وارتدى العريس البدلة البيضاء في الحفل.", "place:al-bayda"),  # the white
])
def test_a_common_word_with_a_clitic_or_an_article_is_no_place(text: str, place: str, gazetteer: Any) -> None:
    from watchfloor.pipeline.context import keep_mentions

    assert place not in {m.entity_id for m in keep_mentions(text, gazetteer.find(text, "ar"), gazetteer.entities)}


@pytest.mark.parametrize(("text", "place"), [
    ("وسيطر التنظيم على الرقة ودير الزور عام 2014.", "place:raqqa"),
    ("وقتل ثلاثة في غارة على محافظة البيضاء اليمنية.", "place:al-bayda-governorate"),
    ("ووصل الوفد إلى مدينة البيضاء صباح اليوم.", "place:al-bayda"),
])
def test_such_places_still_link_with_a_place_like_context(text: str, place: str, gazetteer: Any) -> None:
    from watchfloor.pipeline.context import keep_mentions

    assert place in {m.entity_id for m in keep_mentions(text, gazetteer.find(text, "ar"), gazetteer.entities)}
