"""Outlets and bodies named inside Arabic posts.

* An outlet's name after its noun ("صحيفة فاينانشال تايمز", "تلفزيون سمانيولو", "لقناة فوكس"), the noun left
  out; a common word or an adjective after the noun is no name ("صحيفة بريطانية").
* An outlet or a well-known organisation named after a city is the organisation, not a mention of the city
  ("صحيفة واشنطن بوست", "ريال مدريد").
* The name of an international body inside the name of a national one does not link it: Iran's or Saudi
  Arabia's national security council is not the UN Security Council.

The sentences were written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from watchfloor.pipeline.context import keep_mentions
from watchfloor.pipeline.names import NameStage, outside

OUTLETS = [
    ("وقالت صحيفة فاينانشال تايمز إن المعلومات جديدة.", "فاينانشال تايمز"),
    ("وأضاف في مقابلة مع تلفزيون سمانيولو الخاص أن الحزب سيشارك.", "سمانيولو"),
    ("وكشفت صحيفة تايمز البريطانية الصادرة اليوم أن الوفد وصل.", "تايمز"),
    ("وقال في حديث لقناة فوكس الأحد إن الوفد سيعود.", "فوكس"),
    ("وذكرت مجلة مشكاة في عددها الأخير أن المعرض افتتح.", "مشكاة"),
    ("وذكرت صحيفة يديعوت أحرونوت أن الجيش انسحب.", "يديعوت أحرونوت"),
    ("ونقلت صحيفة واشنطن بوست عن مسؤولين أن الاتفاق قريب.", "واشنطن بوست"),
    ("ونقلت صحيفة لوس أنجلوس تايمز عن شهود أن الحريق امتد.", "لوس أنجلوس تايمز"),
    # a paper's or a channel's name with the article, a city's name among them
    ("وذكرت صحيفة الراية أن المنتخب سيغادر غدا.", "الراية"),
    ("وقال في مقابلة مع فضائية الشرقية إن الانتخابات ستجرى في موعدها.", "الشرقية"),
    ("ونشرت صحيفة الجمهورية مقالا عن الأزمة.", "الجمهورية"),
    ("وقال رئيس تحرير جريدة الوفاق إن الصحيفة ستصدر غدا.", "الوفاق"),
    ("وكشفت صحيفة الغارديان البريطانية عن الوثائق.", "الغارديان"),
    ("وقالت صحيفة القدس إن المفاوضات توقفت.", "القدس"),
    ("وبثت إذاعة البلد مقابلة مع الوزير.", "البلد"),
    ("ونشرت مجلة الثقافة الجديدة ملفا عن الشاعر.", "الثقافة"),
]


def _candidates(text: str, gazetteer: Any, name_stage: NameStage) -> tuple[set[tuple[str, str]], set[str]]:
    linked = keep_mentions(text, gazetteer.find(text, "ar"), gazetteer.entities)
    found = name_stage.find(text, linked, "ar")
    kept = outside(linked, [m for m, _ in found])
    return {(m.surface, e.type) for m, e in found}, {m.entity_id for m in kept}


@pytest.mark.parametrize(("text", "outlet"), OUTLETS)
def test_an_outlet_after_its_noun_is_an_organisation(text: str, outlet: str, gazetteer: Any,
                                                     name_stage: NameStage) -> None:
    found, linked = _candidates(text, gazetteer, name_stage)
    assert (outlet, "organization") in found, found
    assert not any(ident.startswith("place:") for ident in linked), linked


def test_a_listed_club_named_after_its_city_is_the_club(gazetteer: Any, name_stage: NameStage) -> None:
    found, linked = _candidates("وفاز ريال مدريد على ضيفه بهدفين مساء السبت.", gazetteer, name_stage)
    assert ("ريال مدريد", "organization") in found
    assert "place:madrid" not in linked


@pytest.mark.parametrize("text", [
    "وقالت صحيفة بريطانية إن الوزير استقال.",
    "وقالت وكالة تابعة للأمم المتحدة إن المساعدات وصلت.",
    "وبث تلفزيون رسمي صورا من موقع الانفجار.",
    "وذكرت صحيفة الحكومة أن الوزير وصل.",
    "وبثت قناة التلفزيون الرسمي الخطاب.",
    "وقالت وكالة الطاقة الذرية إن المفتشين وصلوا.",
    "وتحدث عبر قناة الاتصال المباشر مع الوزير.",
])
def test_a_common_word_after_an_outlet_noun_is_no_name(text: str, name_stage: NameStage) -> None:
    organisations = [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "organization"]
    assert organisations == []


@pytest.mark.parametrize(("lang", "text"), [
    ("ar", "وقال رئيس مجلس الأمن القومي السعودي إن المحادثات مستمرة."),
    ("ar", "وقال مجلس الأمن الوطني العراقي إن الحدود آمنة."),
    ("ar", "وعقد مجلس الأمن القومي اجتماعا طارئا."),
    ("ar", "وقال مجلس الأمن الوطني الأفغاني إن الوضع مستقر."),
    ("en", "Iraq's National Security Council met on Sunday."),
    ("en", "The US National Security Council said on Monday that talks would resume."),
    ("en", "Iran's Supreme National Security Council met on Sunday."),
])
def test_a_national_body_is_not_the_international_one(lang: str, text: str, gazetteer: Any) -> None:
    kept = keep_mentions(text, gazetteer.find(text, lang), gazetteer.entities)
    assert "org:un-security-council" not in {m.entity_id for m in kept}


@pytest.mark.parametrize(("lang", "text"), [
    ("ar", "ودعا مجلس الأمن الدولي إلى وقف فوري لإطلاق النار."),
    ("ar", "ودعا مجلس الأمن إلى وقف فوري لإطلاق النار."),
    ("en", "The UN Security Council met on Monday."),
    ("en", "The Security Council met on Monday."),
])
def test_the_international_body_still_links(lang: str, text: str, gazetteer: Any) -> None:
    kept = keep_mentions(text, gazetteer.find(text, lang), gazetteer.entities)
    assert "org:un-security-council" in {m.entity_id for m in kept}


@pytest.mark.parametrize(("text", "club"), [
    ("وتعرض فريق برشلونة لخسارة قاسية مساء السبت.", "برشلونة"),
    ("وانضم اللاعب إلى نادي الغرافة القطري الموسم الماضي.", "الغرافة"),
    ("وانتقل المهاجم لنادي سيلتك الاسكتلندي في منتصف الموسم.", "سيلتك"),
    ("وحقق فريق العربي بداية جيدة في الدوري.", "العربي"),
])
def test_a_club_after_its_noun_is_an_organisation(text: str, club: str, gazetteer: Any,
                                                  name_stage: NameStage) -> None:
    found, linked = _candidates(text, gazetteer, name_stage)
    assert (club, "organization") in found, found
    assert not any(ident.startswith("place:") for ident in linked), linked


@pytest.mark.parametrize("text", [
    "وشارك فريق عمل من الوزارة في الاجتماع.",
    "وتوجه فريق طبي إلى المدينة صباح اليوم.",
    "وقال الفريق أول ركن خالد الحسيني إن القوات انسحبت.",
])
def test_a_team_of_people_is_no_club(text: str, name_stage: NameStage) -> None:
    assert [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "organization"] == []


@pytest.mark.parametrize(("text", "body", "country"), [
    ("سخنگوی وزارت امور خارجه آمریکا امروز گفت که مذاکرات ادامه دارد .", "org:iran-ministry-of-foreign-affairs",
     "place:united-states"),
    ("وزارت کشور پاکستان اعلام کرد که مرزها باز است .", "org:iran-ministry-of-interior", "place:pakistan"),
    ("سخنگوی وزارت امور خارجه روسیه گفت که هیئت فردا می‌رسد .", "org:iran-ministry-of-foreign-affairs",
     "place:russia"),
    # Iran's forces whose names are plain nouns: "the Russian army" is not Iran's Artesh
    ("ارتش روسیه در این منطقه مستقر شد .", "org:artesh", "place:russia"),
    ("سپاه عراق در این عملیات شرکت نداشت .", "org:irgc", "place:iraq"),
    ("بسیج پاکستان این طرح را رد کرد .", "org:basij", "place:pakistan"),
])
def test_a_state_body_followed_by_another_country_is_not_its_namesake(text: str, body: str, country: str,
                                                                      gazetteer: Any) -> None:
    kept = {m.entity_id for m in keep_mentions(text, gazetteer.find(text, "fa"), gazetteer.entities)}
    assert body not in kept and country in kept


@pytest.mark.parametrize(("text", "body", "named"), [
    ("ارتش ژاپن در این رزمایش دریایی شرکت کرد .", "org:artesh", "ارتش ژاپن"),
    ("ارتش ونزوئلا در مرز مستقر شد .", "org:artesh", "ارتش ونزوئلا"),
    ("سپاه نیجریه این گزارش را رد کرد .", "org:irgc", "سپاه نیجریه"),
])
def test_a_state_body_followed_by_a_country_the_kb_does_not_list_is_another_body(
        text: str, body: str, named: str, gazetteer: Any, name_stage: NameStage) -> None:
    """The country is known by its CLDR name; the body is then a candidate of its own."""
    kept = keep_mentions(text, gazetteer.find(text, "fa"), gazetteer.entities)
    assert body not in {m.entity_id for m in kept}
    found = {(m.surface, e.type) for m, e in name_stage.find(text, kept, "fa")}
    assert (named, "organization") in found, found


@pytest.mark.parametrize(("text", "body"), [
    ("وزارت امور خارجه اعلام کرد که سفیر احضار شد .", "org:iran-ministry-of-foreign-affairs"),
    ("وزارت امور خارجه ایران اعلام کرد که سفیر احضار شد .", "org:iran-ministry-of-foreign-affairs"),
    ("وزارت کشور عراق اعلام کرد که مرزها باز است .", "org:iraq-ministry-of-interior"),
    ("وزارت کشور افغانستان اعلام کرد که مرزها بسته است .", "org:afghanistan-ministry-of-interior"),
    ("وزارت نفت عراق اعلام کرد که صادرات افزایش یافت .", "org:iraq-ministry-of-oil"),
    ("ارتش ایران در رزمایش شرکت کرد .", "org:artesh"),
    ("فرمانده ارتش گفت که رزمایش سه روز طول می‌کشد .", "org:artesh"),
    ("سپاه در این رزمایش شرکت کرد .", "org:irgc"),
])
def test_a_state_body_alone_or_with_its_own_country_still_links(text: str, body: str, gazetteer: Any) -> None:
    assert body in {m.entity_id for m in keep_mentions(text, gazetteer.find(text, "fa"), gazetteer.entities)}


def test_a_national_body_at_the_start_of_a_post_is_checked_too(gazetteer: Any) -> None:
    text = "مجلس الأمن القومي يعقد اجتماعا طارئا."
    assert "org:un-security-council" not in {m.entity_id for m in keep_mentions(text, gazetteer.find(text, "ar"),
                                                                                 gazetteer.entities)}


@pytest.mark.parametrize(("text", "outlet"), [
    ("وقال في مقابلة مع تلفزيون \" سمانيولو \" الخاص إن الحزب سيشارك.", "سمانيولو"),
    ("ونقلت مجلة \"لورالي أيرو-أتلنتيك\" أن الطائرة هبطت.", "لورالي أيرو-أتلنتيك"),
    ("وذكرت صحيفة «الوفاق» الإيرانية أن الوفد غادر.", "الوفاق"),
    ("وانتقل اللاعب إلى نادي «الترسانة» الموسم الماضي.", "الترسانة"),
])
def test_a_quoted_name_after_an_outlet_or_club_noun(text: str, outlet: str, name_stage: NameStage) -> None:
    assert (outlet, "organization") in {(text[s.start:s.end], s.type) for s in name_stage.spans(text, "ar")}


def test_a_long_quotation_after_an_outlet_noun_is_no_name(name_stage: NameStage) -> None:
    text = "وكتب في صحيفة \"هذا خبر طويل جدا لا ينتهي هنا\" مقالا عن الاجتماع."
    assert [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "organization"] == []


@pytest.mark.parametrize(("text", "outlet"), [
    ("الدوحة - قنا : عقد مجلس الوزراء اجتماعه الأسبوعي.", "قنا"),
    ("بيروت - الأخبار: قال مصدر أمني إن الانفجار وقع فجرا.", "الأخبار"),
    ("خبر أول.\nعمان – بترا: أعلنت الحكومة عن خطة جديدة.", "بترا"),
    ("القاهرة - الأهرام: افتتح الوزير المعرض صباح اليوم.", "الأهرام"),
    ("الرياض - واس: وصل الوفد إلى المطار.", "واس"),
])
def test_a_datelines_outlet_is_an_organisation(text: str, outlet: str, gazetteer: Any,
                                               name_stage: NameStage) -> None:
    found, _ = _candidates(text, gazetteer, name_stage)
    assert (outlet, "organization") in found, found
    assert sum(surface == outlet for surface, _ in found) == 1


@pytest.mark.parametrize("text", [
    "عاجل - اليمن: غارات على صنعاء.",  # "breaking - Yemen:" is no dateline
    "غادر الوفد الدوحة - وهي عاصمة قطر - صباح اليوم.",  # a place inside the sentence
])
def test_a_dash_after_a_place_is_no_dateline_by_itself(text: str, gazetteer: Any, name_stage: NameStage) -> None:
    found, _ = _candidates(text, gazetteer, name_stage)
    assert not any(kind == "organization" for _, kind in found), found


def test_the_egyptian_news_agency_is_not_the_middle_east(gazetteer: Any) -> None:
    text = "القاهرة – وكالة أنباء الشرق الأوسط: أعلن الوزير أن الطريق افتتح."
    linked = {m.entity_id for m in keep_mentions(text, gazetteer.find(text, "ar"), gazetteer.entities)}
    assert "outlet:mena" in linked and "place:middle-east" not in linked


@pytest.mark.parametrize(("text", "name"), [
    ("به گزارش روزنامه همدلی ، جلسه دیروز برگزار شد .", "همدلی"),
    ("مجله فیلم در شماره تازه خود نوشت .", "فیلم"),
    ("هفته‌نامه صدا در گزارشی نوشت که جلسه لغو شد .", "صدا"),
    ("نشریه آوا در شماره تازه نوشت .", "آوا"),
    ("ماهنامه نگاه در شماره تازه خود نوشت .", "نگاه"),
])
def test_a_persian_papers_name_leaves_its_noun_out(text: str, name: str, name_stage: NameStage) -> None:
    assert (name, "organization") in {(text[s.start:s.end], s.type) for s in name_stage.spans(text, "fa")}


def test_a_persian_news_agency_keeps_its_noun(name_stage: NameStage) -> None:
    text = "خبرگزاری فرانسه گزارش داد که مذاکرات ادامه دارد ."
    assert ("خبرگزاری فرانسه", "organization") in {(text[s.start:s.end], s.type)
                                                   for s in name_stage.spans(text, "fa")}


@pytest.mark.parametrize("text", [
    "جامعه مدنی باید تقویت شود .",
    "نقش جامعه جهانی در این بحران روشن است .",
    "مطالبات جنبش دانشجویی افزایش یافت .",
    "او از جنبش دانشجوئی دفاع کرد .",
    "این پدیده در جامعه دینی دیده می‌شود .",
])
def test_a_persian_society_or_movement_with_one_adjective_is_no_body(text: str, name_stage: NameStage) -> None:
    """"جامعه مدنی" is civil society and "جنبش دانشجویی" the student movement, no organisation."""
    assert not [s for s in name_stage.spans(text, "fa") if s.type == "organization"]


@pytest.mark.parametrize(("text", "body"), [
    ("نشست سران جنبش عدم تعهد در تهران برگزار شد .", "جنبش عدم تعهد"),
    ("جامعه مدرسین حوزه علمیه قم بیانیه داد .", "جامعه مدرسین حوزه علمیه قم"),
    ("جامعه اسلامی مهندسین بیانیه داد .", "جامعه اسلامی مهندسین"),
])
def test_a_persian_society_or_movement_with_a_name_is_a_body(text: str, body: str, name_stage: NameStage) -> None:
    assert (body, "organization") in {(text[s.start:s.end], s.type) for s in name_stage.spans(text, "fa")}
