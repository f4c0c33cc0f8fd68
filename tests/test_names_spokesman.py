"""The spokesman's name after the body he speaks for ("المتحدث باسم وزارة الدفاع جون كيربي"): the body's
name ends at its last definite word, and the two or three words after it are the spokesman's name when the
first is a name part or the name ends cleanly (a verb of saying, "إن", a comma). A body's name still runs on
through a title and the name after it ("جامعة الملك سعود"). The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _spans(name_stage: NameStage, text: str, kind: str) -> list[str]:
    return [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == kind]


@pytest.mark.parametrize(("text", "body", "person"), [
    ("وقال المتحدث باسم وزارة الدفاع جون كيربي إن الولايات المتحدة سترسل مساعدات.", "وزارة الدفاع", "جون كيربي"),
    ("وأعلن الناطق باسم وزارة الداخلية خالد المحمد أن الشرطة اعتقلت ثلاثة أشخاص.", "وزارة الداخلية",
     "خالد المحمد"),
    ("وقالت المتحدثة باسم منظمة الصحة العالمية مارغريت هاريس إن الحالات تراجعت.", "منظمة الصحة العالمية",
     "مارغريت هاريس"),
    ("وقال المتحدث باسم هيئة الموانئ سامر الخطيب إن السفن عادت إلى الرصيف.", "هيئة الموانئ", "سامر الخطيب"),
    ("وصرح المتحدث باسم وزارة الزراعة تيري هولمان للصحفيين بأن المحصول تضرر.", "وزارة الزراعة",
     "تيري هولمان"),
    # the feminine and the official forms, a body with its adjective
    ("وقالت الناطقة باسم وزارة الخارجية ماريا زاخاروفا إن موسكو سترد.", "وزارة الخارجية", "ماريا زاخاروفا"),
    ("وقال المتحدث الرسمي باسم الهيئة العامة للطيران خالد العتيبي إن الرحلات استؤنفت.",
     "الهيئة العامة للطيران", "خالد العتيبي"),
    ("وأكد الناطق باسم الشرطة الكينية برونو شيوسو أن التحقيق مستمر.", "الشرطة الكينية", "برونو شيوسو"),
])
def test_the_spokesmans_name_after_the_body(text: str, body: str, person: str, name_stage: NameStage) -> None:
    assert body in _spans(name_stage, text, "organization")
    assert person in _spans(name_stage, text, "person")


@pytest.mark.parametrize("text", [
    "وقال المتحدث باسم الوزارة اليوم إن الاجتماع تأجل.",
    "وقال المتحدث باسم الحكومة أمس إن الوفد وصل.",
    "وقال المتحدث باسم وزارة الخارجية في بيان إن المحادثات مستمرة.",
    "وأكد المتحدث باسم وزارة الصحة صباح اليوم أن المستشفيات تعمل.",
])
def test_no_name_after_the_body_where_none_stands(text: str, name_stage: NameStage) -> None:
    assert _spans(name_stage, text, "person") == []


@pytest.mark.parametrize(("text", "body"), [
    ("وتخرج في جامعة الملك سعود عام ألفين.", "جامعة الملك سعود"),
    ("وقدمت مؤسسة محمد بن راشد منحا للطلاب.", "مؤسسة محمد بن راشد"),
])
def test_a_bodys_name_runs_on_through_a_title_and_a_name(text: str, body: str, name_stage: NameStage) -> None:
    assert body in _spans(name_stage, text, "organization") + _spans(name_stage, text, "place")
