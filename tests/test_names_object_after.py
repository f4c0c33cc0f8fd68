"""A person's name ends before a word with a pronoun on it ("فتابعها", "إبعادها", "بجهودهم": a verb or its object)
and before a plural in "ات" with a preposition written on it ("بمشروعات"), which no name of five letters or more
ends in; names the index knows that end so are kept. The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _people(stage: NameStage, text: str) -> list[str]:
    return [text[s.start:s.end] for s in stage.spans(text, "ar") if s.type == "person"]


@pytest.mark.parametrize(("text", "person"), [
    ("ومرر الكرة إلى اللاعب جونينيو فتابعها بسهولة داخل المرمى.", "جونينيو"),
    ("وتسلم الرسالة المبعوث يان كوبيتش فقرأها أمام الصحفيين.", "يان كوبيتش"),
    ("وحاول المدافع ماورو زاريتي إبعادها لكنه أخفق.", "ماورو زاريتي"),
    ("وأشاد الأمير سعود بن نايف بجهودهم في تنظيم المؤتمر.", "سعود بن نايف"),
    ("وبدأ الأمير طلال بن عبد العزيز آل سعود بمشروعات خيرية في المنطقة.", "طلال بن عبد العزيز آل سعود"),
    ("وتقدم المهاجم روبرتو فيرمينو بخطوات نحو المرمى.", "روبرتو فيرمينو"),
    ("وكتب المراسل توماس فريدمان مقالاته عن المنطقة.", "توماس فريدمان"),
])
def test_the_name_ends_before_an_object(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]


@pytest.mark.parametrize(("text", "person"), [
    ("وقال الرئيس المكسيكي أندريس مانويل لوبيز أوبرادور إن الوساطة مستمرة.", "أندريس مانويل لوبيز أوبرادور"),
    ("وقال المتحدث باسم الحركة فوزي برهوم إن الوفد وصل.", "فوزي برهوم"),
    ("والتقى الوزير بالنائب محمد بركات في مكتبه.", "محمد بركات"),
])
def test_names_ending_like_a_plural_stay_whole(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]


def test_the_name_ends_before_an_adjective_with_a_preposition(name_stage: NameStage) -> None:
    # "كأشهر" ("as the most famous") is no family name
    assert all("\u0643\u0623\u0634\u0647\u0631" not in p for p in _people(
        name_stage, "واختير باتشان كأشهر ممثل في استطلاع الرأي."))
