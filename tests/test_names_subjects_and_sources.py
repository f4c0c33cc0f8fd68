"""More of the places an Arabic report names a person the knowledge base does not list: after a nationality
("الروسي مارات سافين"), as the source a report quotes ("نقلت الوكالة عن زيباري قوله"), as the subject of a
verb with its object after it ("وتوقع فارس تزايد الأضرار"), with a compound name's second half ("نصر الله"),
after "according to" at the end of a sentence; and where such a name ends (before an accusative noun,
"مستشارا", or a verb, "سعت"). Each rule's negatives are the words that stand in the same place without
naming anyone. The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _people(name_stage: NameStage, text: str) -> list[str]:
    return [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "person"]


@pytest.mark.parametrize(("text", "person"), [
    ("وفاز الروسي مارات سافين على منافسه في الدور الثاني.", "مارات سافين"),
    ("وتأهل الألماني سكيري إلى الدور النهائي.", "سكيري"),
    ("وخسر الكازاخستاني جيرل في الدور الأول.", "جيرل"),
    ("وحل العداء الكيني ميلودزي مبولاني ثانيا في السباق.", "ميلودزي مبولاني"),
    ("وقال الصحفي البريطاني توبياس ويلكنز إن الرحلة تأجلت.", "توبياس ويلكنز"),
    ("وأوقفت السلطات الناشط الفرنسي ماتيو دوبرا في المطار.", "ماتيو دوبرا"),
    ("وأفرجت الجماعة عن الرهينة الياباني كينجي تاكادا بعد وساطة.", "كينجي تاكادا"),
])
def test_a_name_the_index_does_not_know_after_a_nationality(text: str, person: str, name_stage: NameStage) -> None:
    assert person in _people(name_stage, text)


@pytest.mark.parametrize(("text", "word"), [
    ("وأكد البيان التزام الجانب الفلسطيني بتنفيذ كل القرارات.", "بتنفيذ"),
    ("وتحدث عن أبناء الشعب العراقي ومرورا بحكومة الوحدة.", "ومرورا"),
    ("وقال إن ذلك في مصلحة الشعب اللبناني ويصب في الاتجاه نفسه.", "ويصب"),
    ("وانسحب الجيش الإسرائيلي قرب الحدود.", "قرب"),
    ("ونما الاقتصاد الأمريكي سريعا في الربع الثالث.", "سريعا"),
    ("وأعلن الجيش السوري سيطرته على البلدة.", "سيطرته"),
])
def test_what_follows_a_nationality_without_naming_anyone(text: str, word: str, name_stage: NameStage) -> None:
    people = _people(name_stage, text)
    assert not any(word in person.split() for person in people), people


@pytest.mark.parametrize(("text", "person"), [
    ("ونقلت الوكالة عن زيباري قوله إن الحكومة ستجتمع الأحد.", "زيباري"),
    ("ونقل عن البارزاني قوله في المؤتمر إن الإقليم مستعد للحوار.", "البارزاني"),
    ("ونقلت صحيفة محلية عن وزير الدفاع جوونو سودارسونو قوله إن القوات جاهزة.", "جوونو سودارسونو"),
    ("ونقلت الإذاعة عن ستانيشيف قوله في أعقاب الاجتماع إن الاتفاق قريب.", "ستانيشيف"),
    ("ونقلت الوكالة عن المتحدثة ماريا زاخاروفا قولها إن موسكو لن ترد.", "ماريا زاخاروفا"),
    ("ونقل التلفزيون عن سالم الحربي قوله إن الطريق أغلق.", "سالم الحربي"),
])
def test_the_source_a_report_quotes(text: str, person: str, name_stage: NameStage) -> None:
    assert person in _people(name_stage, text)


@pytest.mark.parametrize(("text", "word"), [
    ("ونقل عن مصادر استخباراتية إسرائيلية مطلعة قولها إن الهجوم وشيك.", "مطلعة"),
    ("ونقلت الوكالة عن مصدر مسؤول قوله إن الوفد وصل.", "مسؤول"),
    ("ونقلت الإذاعة عن المتحدث باسم الجيش قوله إن القصف توقف.", "الجيش"),
    ("ونقلت الصحيفة عن شهود عيان قولهم إن الانفجار كان قويا.", "عيان"),
    ("وأكد في قوله إن الأمر محسوم.", "في"),
])
def test_a_source_named_by_no_name(text: str, word: str, name_stage: NameStage) -> None:
    people = _people(name_stage, text)
    assert not any(word in person.split() for person in people), people


@pytest.mark.parametrize(("text", "person"), [
    ("وتوقع فارس تزايد الأضرار في المنطقة.", "فارس"),
    ("وأضاف راوول الهدف الثاني في الدقيقة الأخيرة.", "راوول"),
    ("وأعلن سامر الحلبي استقالته من منصبه.", "سامر الحلبي"),
    ("ونفى يوسف خبر انسحابه من السباق.", "يوسف"),
    ("ودعا حسان الحكومة إلى فتح تحقيق.", "حسان"),
    ("وطالب مروان الوزارة بنشر النتائج.", "مروان"),
    ("وقال نصر الله إن الحزب سيواصل عمله.", "نصر الله"),
    ("وأكد فتح الله أن الوفد سيعود غدا.", "فتح الله"),
    ("وكان ذلك على حد قول رامي.", "رامي"),
    ("وكان ذلك على حد قول رامي\nوفي سياق آخر وصل الوفد إلى المدينة", "رامي"),  # a line break ends it too
    ("ونجحت الخطة بحسب يوسف.", "يوسف"),
])
def test_the_subject_of_a_verb_with_its_object_after_it(text: str, person: str, name_stage: NameStage) -> None:
    assert person in _people(name_stage, text)


@pytest.mark.parametrize(("text", "word"), [
    ("واستقبل سعادة الشيخ الوفد الزائر.", "سعادة"),
    ("وقال إنه لن يضيف لي جديدا.", "لي"),
    ("وزار الوفد قبر الملك الحسين طيب الله ثراه.", "ثراه"),
    ("وذكر الخطيب أبا بكر رضي الله عنه في خطبته.", "عنه"),
])
def test_no_subject_where_a_title_or_a_blessing_stands(text: str, word: str, name_stage: NameStage) -> None:
    people = _people(name_stage, text)
    assert not any(word in person.split() for person in people), people


@pytest.mark.parametrize(("text", "person"), [
    ("وقرر النادي تعيين المدرب صالح زكريا مستشارا فنيا للفريق.", "صالح زكريا"),
    ("وعين المجلس السفير كمال الخطيب مندوبا دائما.", "كمال الخطيب"),
    ("وفي عهد الرئيس هوجو شافيز سعت فنزويلا إلى تعزيز علاقاتها.", "هوجو شافيز"),
])
def test_where_a_name_ends(text: str, person: str, name_stage: NameStage) -> None:
    assert person in _people(name_stage, text)


@pytest.mark.parametrize(("text", "person"), [
    # the subject of a clause after "أن"/"إن" or "كان", before an auxiliary or a verb of saying
    ("وذكر التقرير أن أدريانز كان يعتقد أن الباب مغلق.", "أدريانز"),
    ("وأعلن النادي أن مارتينيز لن يشارك في المباراة.", "مارتينيز"),
    ("وذكرت الصحيفة أن ايبرمان أكد أن الاتفاق قريب.", "ايبرمان"),
    ("وكان تيفيز أعلن رحيله عن الفريق.", "تيفيز"),
    ("وأوضح المدرب أن نيستلروي يجب أن يبقى.", "نيستلروي"),
    ("وأكد المتحدث أن غونزاليس لم يغادر البلاد.", "غونزاليس"),
    ("وذكر البيان أن فيلاسكيز قد غادر البلاد.", "فيلاسكيز"),
    ("وأعلن المنظمون أن هانسن لن يشارك في السباق.", "هانسن"),
    ("وكان بيترسون قد فاز باللقب العام الماضي.", "بيترسون"),
])
def test_the_subject_of_a_clause_after_that(text: str, person: str, name_stage: NameStage) -> None:
    assert person in _people(name_stage, text)


@pytest.mark.parametrize("text", [
    "وقال إن غارات قد استهدفت المنطقة.",  # a plural
    "وأفاد أن قتلى قد سقطوا في القصف.",
    "وأكد أن صاروخا قد أصاب المبنى.",  # an accusative noun
    "وقال إن وفدا قد وصل إلى المدينة.",
    "وأضاف أن بلاده لن تتراجع.",  # a pronoun ending
    "وكان المؤتمر قد انعقد في العاصمة.",  # the article
    "وأكد أن هذا لم يحدث.",
    "وقال إن اشتباكات قد اندلعت في المدينة.",
    "وقال إن مسيرات لم تصل إلى الهدف.",
])
def test_no_subject_where_a_common_noun_stands_after_that(text: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == []
