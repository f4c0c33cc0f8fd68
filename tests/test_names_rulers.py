"""A president's, sheikh's or leader's title before a family name with the article and nothing more ("الرئيس
الأسد", "السيد الصدر"): the family name is the person, as after a king's title ("الملك الحسين"); an adjective
after the title ("الرئيس التنفيذي", "الرئيس الفرنسي") is none, and a given name after it keeps its family
name ("الرئيس إلهام علييف"). The sentences were written for these tests."""

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
