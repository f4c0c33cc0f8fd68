"""The outlets posts cite most link by the names they are cited with, never by the common words their names are
made of ("الجزيرة" the peninsula, "العربية" Arabic, "الشرق الأوسط" the Middle East). Sentences written for these
tests."""

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
])
def test_the_words_of_an_outlet_s_name_link_no_outlet(lang: str, text: str, gazetteer: Any) -> None:
    assert not any(e.startswith("outlet:") for e in _linked(gazetteer, text, lang))
