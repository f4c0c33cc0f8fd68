"""A person named after the nouns that a person follows in construct: led or chaired by ("بقيادة", "برئاسة"), the
statements, writings or speech of ("تصريحات", "مؤلفات", "خطاب"), the killing, assassination, arrest or execution
of ("مقتل", "اغتيال", "اعتقال", "إعدام"), the late ("الراحل") and the family of ("أسرة الدويك"). A place, a body
or a number after the same nouns is no person. The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _people(stage: NameStage, text: str) -> list[str]:
    return [text[s.start:s.end] for s in stage.spans(text, "ar") if s.type == "person"]


@pytest.mark.parametrize(("text", "person"), [
    ("وانطلقت القافلة بقيادة هارتمان نحو الحدود.", "هارتمان"),
    ("وتقدم الفريق بقيادة ماتيس نحو الحدود.", "ماتيس"),
    ("وقالت أسرة الطحان إن ابنها اعتقل.", "الطحان"),
    ("وعقدت اللجنة اجتماعها برئاسة فيلدمان أمس.", "فيلدمان"),
    ("وأثارت تصريحات بوريل جدلا واسعا.", "بوريل"),
    ("وصدرت مؤلفات أغاثا كريستي في طبعة جديدة.", "أغاثا كريستي"),
    ("وتحيي المدينة ذكرى اغتيال رابين كل عام.", "رابين"),
    ("وطالبت المنظمة بالإفراج عنه بعد اعتقال كاستيلو الأسبوع الماضي.", "كاستيلو"),
    ("ودعت أسرة الدويك إلى الإفراج عنه.", "الدويك"),
    ("وشارك في تأبين الراحل نجيب محفوظ عدد من الأدباء.", "نجيب محفوظ"),
])
def test_the_person_after_the_noun(text: str, person: str, name_stage: NameStage) -> None:
    assert person in _people(name_stage, text)


@pytest.mark.parametrize("text", [
    "وتقدمت القوات بقيادة الولايات المتحدة نحو المدينة.",
    "وأثارت تصريحات الحكومة جدلا واسعا.",
    "وأكدت الشرطة مقتل شخصين في الحادث.",
    "وأعلنت السلطات اعتقال عشرات المشتبه بهم.",
    "وعقدت اللجنة اجتماعها برئاسة الوزير أمس.",
    "وقالت أسرة التحرير إن العدد تأخر.",
])
def test_no_person_after_the_noun(text: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == []


@pytest.mark.parametrize(("text", "person"), [
    ("وأفاد الكابتن أنطونيو ريبيرو بأن الناقلة وصلت.", "أنطونيو ريبيرو"),
    ("وكلفت الحكومة اللورد ستيفنز بالتحقيق.", "ستيفنز"),
    ("وقال السير جون سويرز إن الاستخبارات تتابع الملف.", "جون سويرز"),
    ("وفازت على مواطنتها أناستازيا روديونوفا.", "أناستازيا روديونوفا"),
])
def test_a_captain_a_lord_a_knight_a_compatriot(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]


@pytest.mark.parametrize("text", ["وسيقام السير في الشارع الرئيسي.", "وتوقف السير على الطريق السريع."])
def test_traffic_is_no_knight(text: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == []
