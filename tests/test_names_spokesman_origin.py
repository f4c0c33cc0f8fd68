"""A spokesman's name after the body he speaks for, and a woman's name after her nationality, in Arabic.

"متحدث باسم" (a spokesman for, without the article) and "المتحدث باسم" before a body that is no name ("الحكومة
الألمانية", "الجيش") announce the spokesman's name after the body: it is found when one of its words is a name
part, and the body is not taken for an organisation's name. A feminine adjective of origin ("الروسية") opens a
woman's name of two words or more, but qualifies a noun before a verb ("القوات الأميركية اقتحمت") or a single word.
The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _found(stage: NameStage, text: str, kind: str) -> list[str]:
    return [text[s.start:s.end] for s in stage.spans(text, "ar") if s.type == kind]


@pytest.mark.parametrize(("text", "person"), [
    ("وقال ناطق باسم الخارجية الأميركية شون ماكورماك إن الوفد سيصل غدا.", "شون ماكورماك"),
    ("وقال المتحدث باسم الحكومة الألمانية أولريتش فيلهلم أمس إن المحادثات ستستمر.", "أولريتش فيلهلم"),
    ("وأعلن متحدث باسم الجيش الفرنسي تييري بوركار أن القوات انسحبت.", "تييري بوركار"),
    ("وقالت متحدثة باسم الشرطة الكندية سارة ميلر إن التحقيق مستمر.", "سارة ميلر"),
    ("وصرح الناطق باسم الرئاسة هاني دياب بأن القمة أرجئت.", "هاني دياب"),
    ("وقال المتحدث باسم المفوضية الأوروبية إريك مامر إن القرار نهائي.", "إريك مامر"),
])
def test_a_spokesman_is_named_after_the_body(text: str, person: str, name_stage: NameStage) -> None:
    assert _found(name_stage, text, "person") == [person]


@pytest.mark.parametrize(("text", "body"), [
    ("وقال ناطق باسم الخارجية الأميركية شون ماكورماك إن الوفد سيصل غدا.", "الخارجية الأميركية"),
    ("وقال متحدث باسم الشرطة الإثيوبية إن الطريق أغلق.", "الشرطة الإثيوبية"),
    ("وقالت متحدثة باسم القطاع المصرفي إن الأسواق هدأت.", "القطاع المصرفي"),
])
def test_a_spokesman_for_a_body_names_no_organisation(text: str, body: str, name_stage: NameStage) -> None:
    assert not any(body in name for name in _found(name_stage, text, "organization"))


@pytest.mark.parametrize("text", [
    "وقال متحدث باسم الجيش إن القوات عادت إلى ثكناتها.",
    "وقال متحدث باسم الشرطة المحلية للصحفيين إن الطريق أغلق.",
    "وقال ناطق باسم الوزارة اليوم إن الاجتماع أرجئ.",
    "وقال المتحدث باسم الحكومة مساء الأحد إن الأسعار ستنخفض.",
])
def test_no_spokesman_where_no_name_follows(text: str, name_stage: NameStage) -> None:
    assert _found(name_stage, text, "person") == []


@pytest.mark.parametrize(("text", "people"), [
    ("وتغلبت الصربية يلينا يانكوفيتش على الأمريكية فينوس وليامز في الدور الثاني.",
     ["يلينا يانكوفيتش", "فينوس وليامز"]),
    ("وحلت الكينية بياتريس شيبكوش ثانية في السباق.", ["بياتريس شيبكوش"]),
    ("وفازت البولندية إيغا شفيونتيك باللقب للمرة الثالثة.", ["إيغا شفيونتيك"]),
    ("وكذلك الروسية سفيتلانا كوزنيتسوفا المصنفة سادسة.", ["سفيتلانا كوزنيتسوفا"]),
])
def test_a_womans_name_after_her_nationality(text: str, people: list[str], name_stage: NameStage) -> None:
    assert _found(name_stage, text, "person") == people


@pytest.mark.parametrize("text", [
    "وقالت مصادر إن القوات الأميركية اقتحمت منزلا في المدينة.",
    "وأعلن أن القيادة الفلسطينية ستقدم مقترحا جديدا.",
    "وانطلقت المركبة الروسية سويوز من القاعدة فجر اليوم.",
    "وأكد أن الأطراف اللبنانية ستبذل جهودها لإنجاح الحوار.",
    "وأقرت الحكومة الأردنية تمرير القانون الجديد.",
])
def test_a_feminine_adjective_before_a_verb_or_one_word_names_no_one(text: str, name_stage: NameStage) -> None:
    assert _found(name_stage, text, "person") == []


@pytest.mark.parametrize(("text", "person"), [
    ("وذهبت الميدالية الفضية للكيني كيبلاغات كيبكورير", "كيبلاغات كيبكورير"),
    ("وذهبت الجائزة للإيطالي ماركو سيدلاتشيك", "ماركو سيدلاتشيك"),
    ("وكانت المرتبة الثانية للإثيوبي تاديسي ميكونين في السباق", "تاديسي ميكونين"),
])
def test_a_name_after_for_the_nationality(text: str, person: str, name_stage: NameStage) -> None:
    """"ل" takes the article's alif ("للكيني": for the Kenyan): the adjective of origin is still one."""
    assert [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "person"] == [person]


@pytest.mark.parametrize("norm", ["للكيني", "للإيطالي", "للبنانية", "الكيني", "الإيطالي"])
def test_an_adjective_of_origin_after_lam(norm: str) -> None:
    from watchfloor.kb.normalize import normalize
    from watchfloor.pipeline.recognize import cues
    from watchfloor.pipeline.recognize_cues import is_place_adjective

    assert is_place_adjective(normalize(norm), cues())
