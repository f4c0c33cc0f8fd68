"""The outlets posts cite most link by the names they are cited with, never by the common words their names are
made of ("الجزيرة" the peninsula, "العربية" Arabic, "الشرق الأوسط" the Middle East), which link an outlet only
after its noun or its reporter ("فضائية الجزيرة", "مراسل الجزيرة"). Sentences written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from watchfloor.pipeline.entities import EntityStage


def _linked(gazetteer: Any, text: str, lang: str) -> set[str]:
    return {m.entity_id for m in EntityStage(gazetteer.find, gazetteer.entities).find(text, lang)}


@pytest.mark.parametrize(("lang", "text", "outlet"), [
    ("ar", "وذكرت صحيفة الشرق الأوسط أن المبعوث سيزور بيروت الأسبوع المقبل.", "outlet:asharq-al-awsat"),
    ("ar", "ونقلت قناة الجزيرة عن مصدر محلي أن الاشتباكات توقفت.", "outlet:al-jazeera"),
    ("ar", "وبحسب قناة العربية فإن الوفد غادر مساء أمس.", "outlet:al-arabiya"),
    ("ar", "ونقلت صحيفة الأخبار اللبنانية عن مصدر مطلع أن الاجتماع تأجل.", "outlet:al-akhbar-lebanon"),
    ("fa", "به گزارش خبرگزاری مهر، این نشست روز دوشنبه برگزار شد.", "outlet:mehr"),
    ("fa", "به گزارش ایسنا، نتایج انتخابات اعلام شد.", "outlet:isna"),
    ("en", "Al Jazeera reported that the crossing had reopened.", "outlet:al-jazeera"),
])
def test_a_cited_outlet_links(lang: str, text: str, outlet: str, gazetteer: Any) -> None:
    assert outlet in _linked(gazetteer, text, lang)


@pytest.mark.parametrize(("lang", "text"), [
    ("ar", "تقع المدينة في شمال شبه الجزيرة العربية."),
    ("ar", "وتحدث الوزير باللغة العربية أمام الصحفيين."),
    ("ar", "وتشهد منطقة الشرق الأوسط توترا متصاعدا."),
    ("ar", "وتابع المواطنون الأخبار العاجلة طوال الليل."),
    ("ar", "وعمل النهار كله في الحقل."),
    ("ar", "ووصل الوفد إلى الجزيرة صباح اليوم على متن قارب."),
    ("ar", "وقال إن العربية لغة رسمية في البلاد."),
])
def test_the_words_of_an_outlet_s_name_link_no_outlet(lang: str, text: str, gazetteer: Any) -> None:
    assert not any(e.startswith("outlet:") for e in _linked(gazetteer, text, lang))


@pytest.mark.parametrize(("text", "outlet"), [
    ("وقال مراسل الجزيرة في موسكو إن الاجتماع انتهى.", "outlet:al-jazeera"),
    ("وأكد في حديث عبر فضائية الجزيرة أن الهدنة صامدة.", "outlet:al-jazeera"),
    ("وقالت مراسلة العربية إن القصف توقف.", "outlet:al-arabiya"),
])
def test_an_outlet_s_bare_name_links_after_its_noun_or_reporter(text: str, outlet: str, gazetteer: Any) -> None:
    assert outlet in _linked(gazetteer, text, "ar")



@pytest.mark.parametrize(("lang", "text", "outlet"), [
    ("ar", "وقال مسؤول أمني لرويترز إن الطريق أعيد فتحه.", "outlet:reuters"),
    ("ar", "وذكرت فرانس برس أن الوفد وصل إلى الدوحة.", "outlet:afp"),
    ("ar", "ونقلت وكالة أسوشيتد برس عن شهود أن الانفجار وقع فجرا.", "outlet:ap"),
    ("ar", "وأفادت شينخوا بأن المحادثات ستستأنف الأسبوع المقبل.", "outlet:xinhua"),
    ("ar", "وقالت وكالة الأناضول إن السفينة رست في ميناء مرسين.", "outlet:anadolu"),
    ("fa", "به گزارش رویترز، این نشست بدون نتیجه پایان یافت.", "outlet:reuters"),
    ("fa", "به گزارش خبرگزاری فرانسه از بیروت، گذرگاه بسته شد.", "outlet:afp"),
    ("fa", "به گزارش آسوشیتدپرس، هیئت دو کشور دیدار کردند.", "outlet:ap"),
    ("fa", "به گزارش کیودو، وزیر خارجه ژاپن به تهران سفر می‌کند.", "outlet:kyodo"),
    ("fa", "به گزارش شینهوا ، این نشست دیروز برگزار شد .", "outlet:xinhua"),
    ("fa", "بی‌بی‌سی گزارش داد که انتخابات به تعویق افتاد.", "outlet:bbc"),
    ("en", "Reuters reported that the talks had stalled.", "outlet:reuters"),
])
def test_a_wire_agency_or_broadcaster_links(lang: str, text: str, outlet: str, gazetteer: Any) -> None:
    """The international agencies a report cites: the agency's own name, with or without its noun."""
    assert outlet in _linked(gazetteer, text, lang)


@pytest.mark.parametrize(("lang", "text"), [
    ("ar", "وعبر الجيش هضبة الأناضول نحو الشرق."),
    ("fa", "دولت فرانسه از این طرح حمایت کرد."),
])
def test_a_place_in_an_agency_s_name_links_no_agency(lang: str, text: str, gazetteer: Any) -> None:
    assert not any(e.startswith("outlet:") for e in _linked(gazetteer, text, lang))
