"""Names written in Latin letters inside Arabic-script posts: an outlet or company quoted in its own spelling
("شبكة CNN", "وLenovo", "بـBBC"), or a whole English sentence quoted in the post. Before, the names stage read
only the Arabic-script words of such a post, and these names were lost. The sentences were written for these
tests."""

from __future__ import annotations

from typing import Any

import pytest

from watchfloor.pipeline.english import latin_segments
from watchfloor.pipeline.names import NameStage

QUOTED = [
    ("ar", "وقالت شبكة CNN الأميركية إن المحادثات ستستأنف الأسبوع المقبل.", "CNN", "organization"),
    ("ar", "ونقلت وكالة Reuters عن مصدر أمني قوله إن الانفجار وقع فجرا.", "Reuters", "organization"),
    ("ar", "وأعلنت شركة IBM ومنافستها وLenovo عن اتفاق جديد للتعاون.", "Lenovo", "organization"),
    ("ar", "وبثت قناة BBC تقريرا عن الاجتماع مساء الخميس.", "BBC", "organization"),
    ("ar", "كما ذكرت صحيفة New York Times أن الوفد وصل إلى القاهرة.", "New York Times", "organization"),
    ("ar", "ونشر المتحدث بيانا جاء فيه: \"Secretary Antony Blinken met the delegation in Doha\" دون تفاصيل.",
     "Antony Blinken", "person"),
    ("fa", "خبرگزاری Reuters گزارش داد که مذاکرات هفته آینده ادامه می‌یابد.", "Reuters", "organization"),
    ("ur", "امریکی نشریاتی ادارے CNN نے بتایا کہ وفد اسلام آباد پہنچ گیا۔", "CNN", "organization"),
]


@pytest.mark.parametrize(("lang", "text", "name", "kind"), QUOTED)
def test_a_latin_script_name_in_an_arabic_script_post_is_found(lang: str, text: str, name: str, kind: str,
                                                                name_stage: NameStage) -> None:
    found = {(text[s.start:s.end], s.type) for s in name_stage.spans(text, lang)}
    assert (name, kind) in found, found


@pytest.mark.parametrize("text", [
    "يمكن تحميل التقرير بصيغة PDF من الموقع الرسمي.",
    "وتم نقل الملفات عبر USB وتحديد الموقع بواسطة GPS.",
    "وبث الحفل بتقنية HD على التلفزيون الرسمي.",
])
def test_abbreviations_of_things_are_no_names(text: str, name_stage: NameStage) -> None:
    latin = [text[s.start:s.end] for s in name_stage.spans(text, "ar") if text[s.start].isascii()]
    assert latin == []


def test_the_clitic_stays_outside_and_each_word_is_its_own_stretch() -> None:
    text = "وأعلنت شركة IBM وDell ولـReuters و(BBC) عن اتفاق."
    assert [text[a:b] for a, b in latin_segments(text)] == ["IBM", "Dell", "Reuters", "BBC"]
    quoted = "وقال: \"We met in Doha today.\" ثم غادر"
    assert [quoted[a:b] for a, b in latin_segments(quoted)] == ["We met in Doha today"]


def test_a_latin_name_becomes_a_candidate_for_review(gazetteer: Any, name_stage: NameStage) -> None:
    text = "وذكر مركز IntelCenter المتخصص في رصد الجماعات أن التسجيل جديد."
    candidates = name_stage.find(text, gazetteer.find(text), "ar")
    assert [(m.surface, e.type, e.status) for m, e in candidates
            if m.surface.isascii()] == [("IntelCenter", "organization", "candidate")]
