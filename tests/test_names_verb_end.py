"""A verb's shape ends an Arabic name of two words or more when the index does not know the word
(``pipeline/word_shapes.verb_after_name``): the future ("ستزور", "سيلتقي"), a present ("يدافع", "يخطط"), a past
of the eighth form ("اتفق", "انتقد") or a feminine past of four letters ("لفتت"). Names that only look like
verbs stay whole ("يودويونو", "يسري"), and so do the index's names that have a verb's shape ("ياسين",
"ستيفن"). The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage
from watchfloor.pipeline.word_shapes import verb_after_name


@pytest.mark.parametrize(("text", "person"), [
    ("وذكرت الصحيفة أن الوزيرة كاترين فونتاني ستزور المنطقة الأسبوع المقبل.", "كاترين فونتاني"),
    ("وأكد مكتبه أن المستشار أولاف شولتس سيلتقي الوفد غدا.", "أولاف شولتس"),
    ("وأعلن أن رئيس الحكومة الإيطالي ماريو دراغي اتفق مع نظيره على خطة.", "ماريو دراغي"),
    ("وقالت الصحيفة إن السفير هانز ميلر انتقد القرار.", "هانز ميلر"),
    ("وكان المخرج ألبرتو فيراني يدافع عن فيلمه الجديد.", "ألبرتو فيراني"),
    ("وأعلن النادي أن المدرب يواكيم لوف يخطط لتغييرات في التشكيلة.", "يواكيم لوف"),
    ("وكانت الوزيرة ماريا ليندبرغ لفتت إلى أهمية الحوار.", "ماريا ليندبرغ"),
])
def test_a_verb_ends_the_name(text: str, person: str, name_stage: NameStage) -> None:
    people = [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "person"]
    assert people == [person]


@pytest.mark.parametrize(("text", "person"), [
    ("واستقبل الرئيس الإندونيسي سوسيلو بامبانغ يودويونو الوفد في جاكرتا.", "سوسيلو بامبانغ يودويونو"),
    ("وقال المهاجم محمد حسن يسري إن الفريق جاهز.", "محمد حسن يسري"),
    # the index knows these names, which have a verb's shape
    ("وقال الوزير محمد علي ياسين إن الاتفاق نهائي.", "محمد علي ياسين"),
    ("وقال المدرب ريتشارد جون ستيفن إن الفريق جاهز.", "ريتشارد جون ستيفن"),
])
def test_a_name_shaped_like_a_verb_stays_whole(text: str, person: str, name_stage: NameStage) -> None:
    people = [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "person"]
    assert people == [person]


@pytest.mark.parametrize(("word", "verb"), [
    ("ستزور", True), ("سيلتقيان", True), ("سنعمل", True), ("يهاجم", True), ("يدافع", True), ("اتفق", True),
    ("انتقد", True), ("اعتبر", True), ("لفتت", True),
    ("يودويونو", False), ("يسري", False), ("ينزي", False), ("سمير", False), ("سالم", False), ("رامي", False),
])
def test_the_shapes_of_verbs(word: str, verb: bool) -> None:
    from watchfloor.kb.normalize import normalize

    assert verb_after_name(normalize(word)) is verb
