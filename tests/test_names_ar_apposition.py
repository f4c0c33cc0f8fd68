"""An Arabic name followed by its holder's office or role in apposition ("يورغن كلوب مدرب نادي ليفربول"): the
office, in construct (no article), ends the name after a verb of saying and after "أن"/"إن" as a verb would; the
construct forms of the roles ("مدير", "محامي", "قائد", "ممثلة") are roles, so they end a name and are no name
themselves; a family name with the article that no list knows ends the name before an office or before "إن"/"أن"
("صلاح البردويل ، المتحدث باسم", "محمد الصيهود إن"). The sentences and names were written for these tests."""

from __future__ import annotations

import pytest

from conftest import people_found
from watchfloor.pipeline.names import NameStage


def _people(name_stage: NameStage, text: str) -> set[str]:
    return people_found(name_stage, text, "ar")


@pytest.mark.parametrize(("text", "name"), [
    # after a verb of saying
    ("وأكد يورغن كلوب مدرب نادي ليفربول أن الفريق سيلعب بتشكيلته الكاملة", "يورغن كلوب"),
    ("وقال هانسي فليك مدرب المنتخب إن الاستعدادات تسير وفق الخطة", "هانسي فليك"),
    ("وأوضح ماركوس فيرنر سفير ألمانيا لدى الأردن أن بلاده ستزيد مساعداتها", "ماركوس فيرنر"),
    ("وقالت أنيتا سوبرا مستشارة الرئيس إن الحكومة تدرس المقترح", "أنيتا سوبرا"),
    ("وكشف كريستوف مولر محامي المتهمين أن المحكمة أجلت الجلسة", "كريستوف مولر"),
    ("وأكد بيير لوران أمين عام الحزب أن الحزب سيشارك في الانتخابات", "بيير لوران"),
    # after "أن" or "إن", one word the index does not know
    ("وقالت مصادر إن كوبلر مبعوث الأمم المتحدة سيصل غدا", "كوبلر"),
    ("وأفاد البيان بأن هالفورسن سفير النرويج التقى بالوزير", "هالفورسن"),
    ("وأكدت الوزارة أن دوبرين مدير المستشفى نقل إلى العاصمة", "دوبرين"),
    ("وذكرت الوكالة أن ليندكفيست محافظ الإقليم زار المنطقة", "ليندكفيست"),
])
def test_a_name_before_its_office_in_apposition(name_stage: NameStage, text: str, name: str) -> None:
    assert name in _people(name_stage, text)


@pytest.mark.parametrize("text", [
    "وقال مدير الشركة إن الإنتاج سيستأنف الأسبوع المقبل",
    "وقال محامي الدفاع إن موكله بريء",
    "وقال قائد الشرطة إن التحقيق مستمر",
    "وذكر نائب المحافظ أن الطرق أغلقت",
    "وقالت ممثلة المنظمة إن المساعدات وصلت",
    "وقال مصدر مسؤول مدير الشركة إن الإنتاج توقف",
    "وذكرت الصحيفة أن الحكومة وزير المالية",
    "وأكد سعادة السفير أن العلاقات متينة",
])
def test_an_office_alone_or_after_a_common_word_is_no_person(name_stage: NameStage, text: str) -> None:
    assert _people(name_stage, text) == set()


def test_an_office_with_the_article_after_a_word_does_not_end_a_name(name_stage: NameStage) -> None:
    # "الخليفة" is also a family name: after a verb of saying it may go on the name, so it does not end it there
    assert "مجذوب" not in _people(name_stage, "وأكد مجذوب الخليفة مستشار الرئيس أن المفاوضات ستستأنف")


@pytest.mark.parametrize(("text", "name"), [
    # a family name with the article that no list knows, before the holder's office, at once or after a comma
    ("وكان السيد أحمد يوسف الجفيري رئيس قسم الملكية الصناعية قد حضر الاجتماع", "أحمد يوسف الجفيري"),
    ("غير أن الدكتور صلاح البردويل ، المتحدث باسم الحركة ، قال إن المحادثات توقفت", "صلاح البردويل"),
    ("وقال الفريق الركن محمد ماجد العيطان مدير الأمن العام إن الطرق فتحت", "محمد ماجد العيطان"),
    ("واستقبل المحافظ أمس الدكتور ناصر سعيد القحطاني مدير الجامعة", "ناصر سعيد القحطاني"),
    # or before the clause the name is the subject of
    ("وقال النائب محمد الصيهود إن البرلمان سيصوت على القانون", "محمد الصيهود"),
    ("وقال محمد الصيهود إن البرلمان سيصوت الأسبوع المقبل", "محمد الصيهود"),
    ("وأكد أحمد البردويل أن المحادثات توقفت", "أحمد البردويل"),
])
def test_a_family_name_with_the_article_before_an_office_ends_the_name(name_stage: NameStage, text: str,
                                                                       name: str) -> None:
    assert name in _people(name_stage, text)


@pytest.mark.parametrize(("text", "name"), [
    # a plural object or a weekday before an office is no family name
    ("وأبلغ سعيد جليلي الحاضرين مدير الوكالة بأن المحادثات ستستأنف", "سعيد جليلي"),
    ("وأعلن خالد مشعل الأربعاء ، رئيس المكتب السياسي للحركة ، أن الوفد سيزور القاهرة", "خالد مشعل"),
    ("والتقى محمد علي الاثنين رئيس الوزراء في مكتبه", "محمد علي"),
    # a day or a common word before "إن" is no family name either
    ("وأعلن خالد الأربعاء أن الوفد سيصل إلى القاهرة", "خالد"),
    ("وأكد محمد اليوم أن الحكومة مستعدة للحوار", "محمد"),
    ("وقال حسن الجديد إن الخطة جاهزة", "حسن"),
])
def test_a_plural_or_a_day_before_an_office_stays_outside_the_name(name_stage: NameStage, text: str,
                                                                   name: str) -> None:
    assert name in _people(name_stage, text)


@pytest.mark.parametrize(("text", "name"), [
    # a king or a colleague in construct after the name ends it, and is no name of its own
    ("وهنأ الرئيس حمد بن عيسى آل خليفة ملك البحرين الفائزين بالجائزة.", "حمد بن عيسى آل خليفة"),
    ("وقال خوان كارلوس ملك إسبانيا السابق إنه سيعود إلى مدريد.", "خوان كارلوس"),
    ("واصطدم البرازيلي روبنز باريكيلو زميل مايكل شوماخر في الفريق بالحاجز.", "روبنز باريكيلو"),
])
def test_a_king_or_a_colleague_after_a_name_ends_it(name_stage: NameStage, text: str, name: str) -> None:
    found = _people(name_stage, text)
    assert name in found
    assert not any("\u0645\u0644\u0643" in f.split() or "\u0632\u0645\u064a\u0644" in f.split() for f in found)


def test_a_king_alone_is_no_person(name_stage: NameStage) -> None:
    assert not _people(name_stage, "واستقبل ملك المغرب الوفد في الرباط.")
