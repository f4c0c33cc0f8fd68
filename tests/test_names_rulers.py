"""A president's, sheikh's or leader's title before a family name with the article and nothing more ("الرئيس
الأسد", "السيد الصدر"): the family name is the person, as after a king's title ("الملك الحسين"); an adjective
after the title ("الرئيس التنفيذي", "الرئيس الفرنسي") is none, and a given name after it keeps its family
name ("الرئيس إلهام علييف"); the title may have a preposition written on it ("بالرئيس الأسد"). After "الإمام" an
Imam's epithet is his name ("الإمام الرضا"), though it is a common word or an adjective after any other title
("القائد العسكري"). The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _people(stage: NameStage, text: str) -> list[str]:
    return [text[s.start:s.end] for s in stage.spans(text, "ar") if s.type == "person"]


@pytest.mark.parametrize(("text", "person"), [
    ("وأضاف الرئيس الأسد أن الحوار مستمر.", "الأسد"),
    ("وأكد الرئيس البشير أن الاتفاق سيوقع قريبا.", "البشير"),
    ("وقال السيد الصدر إن التيار سيشارك في الانتخابات.", "الصدر"),
    ("وقال الرئيس إلهام علييف إن المحادثات مثمرة.", "إلهام علييف"),
    ("وأشاد بالرئيس الأسد في كلمته.", "الأسد"),
    ("وأكد الزعيم الأسد أن الحوار مستمر.", "الأسد"),
])
def test_a_rulers_family_name_alone(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]


@pytest.mark.parametrize("text", [
    "وقال الرئيس التنفيذي إن الشركة تتوسع.",
    "وأكد الرئيس السابق أن الانتخابات ستجري في موعدها.",
    "وقال الرئيس الفرنسي إن بلاده ستشارك.",
    "وقال الوزير المختص إن الخطة جاهزة.",
    "وقال القائد الميداني إن القوات تقدمت.",
    "وأكد الرئيس الجديد أن الحكومة ستشكل قريبا.",
])
def test_an_adjective_after_the_title_is_no_name(text: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == []


@pytest.mark.parametrize(("text", "person"), [
    ("وزار الوفد مقام الإمام الرضا في مشهد.", "الرضا"),
    ("تمت البيعة للإمام الرضا بولاية العهد.", "الرضا"),
    ("وأحيا الزوار ذكرى استشهاد الإمام الكاظم أمس.", "الكاظم"),
    ("وقال الإمام الصادق في حديث له إن العلم نور.", "الصادق"),
])
def test_an_imams_epithet_is_his_name(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]


@pytest.mark.parametrize("text", [
    "وقال القائد العسكري إن القوات تقدمت.",
    "وقال الناطق العسكري إن الهجوم صد.",
    "والتقى بالقائد الميداني أمس.",
])
def test_an_epithet_is_no_name_after_another_title(text: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == []


@pytest.mark.parametrize(("text", "person"), [
    ("وقال آية الله السيستاني إن الانتخابات واجب.", "آية الله السيستاني"),
    ("وقال مساعد آية الله طبسي في الأمور الثقافية إن المؤتمر ناجح.", "آية الله طبسي"),
    ("عندما تدخل آية الله الطبسي رئيس العلماء.", "آية الله الطبسي"),
    ("وأكد حجة الإسلام والمسلمين الخطيب أن الحوار مستمر.", "حجة الإسلام والمسلمين الخطيب"),
])
def test_a_clerics_family_name_alone_with_his_rank(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]


@pytest.mark.parametrize("text", ["وقال آية الله إن الفتوى صدرت.", "وتلا الخطيب آية من القرآن الكريم."])
def test_no_clerics_name_without_one(text: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == []
