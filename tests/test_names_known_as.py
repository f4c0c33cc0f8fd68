"""A person introduced by "known as", "nicknamed" or "his nom de guerre" ("المعروف باسم", "يعرف باسم", "الملقب بـ",
"اسمه الحركي"): the name after the phrase is the person's, "باسم" (by the name) is the preposition there and not
the given name Basim, and a kunya keeps its nisba ("أبو دجانة الخراساني", "بأبي محمد العدناني") and loses the
preposition written on it ("أبي محمد العدناني"). Basim himself and the spokesman's "باسم" keep their readings.
After "called" ("يدعى", "تدعى", "المدعو") one word is a name ("فتاة تدعى جنجر"); the so-called ("ما يسمى") and a
place named so ("البلدة المسماة") are no person.
The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _people(stage: NameStage, text: str) -> list[str]:
    return [text[s.start:s.end] for s in stage.spans(text, "ar") if s.type == "person"]


@pytest.mark.parametrize(("text", "person"), [
    ("وقال القيادي المعروف باسم أبو دجانة إن التنظيم أعاد انتشاره.", "أبو دجانة"),
    ("ويعرف باسم أبو دجانة الخراساني في بيانات الجماعة.", "أبو دجانة الخراساني"),
    ("ويُعرف أيضاً باسم أبو مصعب الزرقاوي في التقارير الأمنية.", "أبو مصعب الزرقاوي"),
    ("وصل القائد الميداني المعروف باسم أبو خالد الحمصي إلى المدينة.", "أبو خالد الحمصي"),
    ("وأعلنت الجماعة مقتل قائدها المعروف بلقب أبو حمزة في غارة.", "أبو حمزة"),
    ("وظهر المعروف بـ أبو علي الأنباري في تسجيل مصور.", "أبو علي الأنباري"),
    ("وقتل القيادي الملقب بأبي محمد العدناني في غارة جوية.", "أبي محمد العدناني"),
    ("والقيادي الذي يكنى بأبي خالد لم يظهر منذ عام.", "أبي خالد"),
    ("وكان القائد واسمه الحركي أبو سياف يدير المعبر.", "أبو سياف"),
    ("وذكرت الوكالة أن الرجل الذي عرف باسم أبو قتادة غادر البلاد.", "أبو قتادة"),
    ("وأفادت التقارير بأن المرأة المعروفة باسم أم هاجر اعتقلت أمس.", "أم هاجر"),
])
def test_the_name_after_known_as(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]


@pytest.mark.parametrize("text", [
    "وقال القيادي المعروف باسم أبو دجانة إن التنظيم أعاد انتشاره.",
    "ويُعرف أيضاً باسم أبو مصعب الزرقاوي في التقارير الأمنية.",
    "وصل القائد الميداني المعروف باسم أبو خالد الحمصي إلى المدينة.",
])
def test_by_the_name_is_no_given_name(text: str, name_stage: NameStage) -> None:
    assert not any(person.startswith("باسم") for person in _people(name_stage, text))


@pytest.mark.parametrize(("text", "person"), [
    ("والتقى باسم يوسف بالوزير في القاهرة أمس.", "باسم يوسف"),  # the given name Basim stays a name
    ("وقال المتحدث باسم الحكومة الألمانية أولريتش فيلهلم إن المحادثات جرت.", "أولريتش فيلهلم"),
])
def test_basim_and_the_spokesman_keep_their_readings(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]


@pytest.mark.parametrize(("text", "person"), [
    ("وقال لأبي مازن إن الوفد وصل إلى العاصمة.", "أبي مازن"),
    ("واستشهد الكاتب بابن خلدون في مقاله عن الدولة.", "ابن خلدون"),
    ("والتقى بلال حسن بالوفد في المطار.", "بلال حسن"),  # Bilal: the letter is the name's
    ("والتقى الوزير بيوسف الخطيب أمس في مكتبه.", "يوسف الخطيب"),  # any name the index knows without "ب"
    ("ووجه الوفد الشكر لمحمد بن سلمان على الاستقبال.", "محمد بن سلمان"),
    ("وقال بشار الأسد إن المحادثات مستمرة.", "بشار الأسد"),  # the index knows "بشار" as written
])
def test_a_name_loses_its_preposition(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]


@pytest.mark.parametrize(("text", "person"), [
    ("واعتقلت الشرطة رجلا يدعى مارتن كولينز في المطار.", "مارتن كولينز"),
    ("وكانت هناك فتاة تدعى جنجر في المنزل.", "جنجر"),
    ("واعتقلت الشرطة المدعو كاستيلو في المطار.", "كاستيلو"),
])
def test_the_name_after_called(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]


@pytest.mark.parametrize("text", ["وهو ما يسمى الربيع العربي.", "وتقع البلدة المسماة كفرنبل شمالا."])
def test_a_thing_so_called_is_no_person(text: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == []
