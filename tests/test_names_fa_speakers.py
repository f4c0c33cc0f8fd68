"""Persian speakers the index may not know: a subject before a verb of saying after "که", "ولی" or "اما", or with
an adverb between it and the verb ("سپس", "نیز"); a title before the name, which is not part of it; a given name
of two parts joined by a zero-width non-joiner; verbs of hope, concern and denial; a headline's speaker before its
colon; and a family name shaped as one ("...یان", "...زاده", "...پور", "...نژاد") before a phrase that opens a
report, though no plural of a people or a faith. A common word alone before a verb of saying ("راننده") and a word
with a prefix written apart ("بی‌اعتمادی") are no names. The sentences and names were written for these tests."""

from __future__ import annotations

import pytest

from conftest import people_found
from watchfloor.kb.normalize import normalize
from watchfloor.pipeline.names import NameStage
from watchfloor.pipeline.recognize_fa_bounds import family_shaped


def _people(name_stage: NameStage, text: str) -> set[str]:
    return people_found(name_stage, text, "fa")


@pytest.mark.parametrize(("text", "name"), [
    ("خبرنگاران درباره حادثه پرسیدند كه رحمانی اظهار داشت : تحقیقات ادامه دارد", "رحمانی"),
    ("خبرنگاران پرسیدند که فرهادمهر گفت جلسه لغو شده است", "فرهادمهر"),
    ("در این نشست بحث شد اما گلپایگانی افزود که تصمیمی گرفته نشده است", "گلپایگانی"),
    ("فرهادمهر سپس افزود : این طرح تا پایان سال اجرا می‌شود", "فرهادمهر"),
    ("در ادامه نشست ، گلپایگانی نیز گفت که جلسه بعدی هفته آینده است", "گلپایگانی"),
    ("به گزارش ایرنا ، قاضی مرادخانی تصریح کرد که پرونده به دادگاه رفته است", "مرادخانی"),
    ("نظام‌الدین کرمانشاهی افزود : گزارش کامل منتشر خواهد شد", "نظام‌الدین کرمانشاهی"),
    ("طاهرخانی اظهار امیدواری کرد که مذاکرات ادامه یابد", "طاهرخانی"),
    ("فرهادمهر ابراز نگرانی کرد که قیمت‌ها بالا برود", "فرهادمهر"),
    ("در همین حال ، گلپایگانی تکذیب کرد که استعفا داده است", "گلپایگانی"),
])
def test_a_speaker_before_a_persian_verb_of_saying(name_stage: NameStage, text: str, name: str) -> None:
    assert name in _people(name_stage, text)


@pytest.mark.parametrize(("text", "name"), [
    ("ربیعی : نشست امروز بدون نتیجه پایان یافت", "ربیعی"),
    ("کاظمی : گزارش کامل هفته آینده منتشر می‌شود", "کاظمی"),
    ("صالحیان با اشاره به گزارش وزارت نیرو گفت که کمبود آب جدی است", "صالحیان"),
    ("رستم‌پور با بیان اینکه طرح آماده است افزود", "رستم‌پور"),
    ("غفارزاده در پاسخ به پرسشی درباره بودجه گفت", "غفارزاده"),
    ("ملک‌نژاد در ادامه با اشاره به سفر هیئت گفت", "ملک‌نژاد"),
])
def test_a_family_name_or_a_headlines_speaker_opens_a_report(name_stage: NameStage, text: str, name: str) -> None:
    assert name in _people(name_stage, text)


@pytest.mark.parametrize("text", [
    "ایرانیان با اشاره به این گزارش خواستار توضیح شدند",
    "دانشجویان با بیان اینکه خوابگاه کافی نیست تجمع کردند",
    "روستائیان با اشاره به خشکسالی گفتند که کمک نرسیده است",
    "مسیحیان با اشاره به کریسمس جشن گرفتند",
    "شیعیان در پاسخ به این حمله تجمع کردند",
    "کارشناسان : بازار نفت آرام می‌شود",
    "تهران : نشست وزیران امروز برگزار شد",
    "وی سپس افزود که گزارش منتشر می‌شود",
    "مسئولان نیز گفتند که طرح اجرا می‌شود",
    "راننده گفت که جاده از صبح بسته بود",
    "کارگر گفت که دستمزدها پرداخت نشده است",
    # a prefix written apart with a zero-width non-joiner opens no name ("بی‌" without, "نا‌" un-)
    "بی‌اعتمادی مردم به بازار افزایش یافته است",
    "سرمایه‌گذاران از بی‌نظمی بازار ارز گلایه دارند",
    "کارشناسان این وضع را نشانه ناکارآمدی مدیریت دانستند",
])
def test_no_person_in_a_common_subject(name_stage: NameStage, text: str) -> None:
    assert not _people(name_stage, text)


@pytest.mark.parametrize(("word", "shaped"), [
    ("خضریان", True), ("علیزاده", True), ("رستمپور", True), ("اسدینژاد", True), ("امینینیا", True),
    ("ایرانیان", False), ("روستائیان", False), ("دانشجویان", False), ("آمریکاییان", False), ("کارگران", False),
    ("تهران", False), ("نیا", False),
])
def test_a_word_shaped_as_a_persian_family_name(word: str, shaped: bool) -> None:
    assert family_shaped(normalize(word)) is shaped


def test_the_tagger_takes_no_common_word_for_a_name(name_stage: NameStage) -> None:
    """The statistical tagger's span whose first word is a common word is no name ("اتحادیه", a union)."""
    text = "در این نشست دبیرکل سازمان ملل ، رئیس اتحادیه بین‌المجالس و برخی وزیران حضور داشتند ."
    assert not _people(name_stage, text)
