"""A Persian name before its verb of saying in the perfect, the present or a verb of writing ("اعلام کرده است",
"تاکید می‌کند", "می‌نویسد", "نوشت"), as well as the simple past; and a conjunction or an adverb that opens the
clause ("سپس گفت", "بلکه تاکید کرد") or a common subject is no one. The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _people(name_stage: NameStage, text: str) -> list[str]:
    return [text[s.start:s.end] for s in name_stage.spans(text, "fa") if s.type == "person"]


@pytest.mark.parametrize(("text", "person"), [
    ("فرهاد مبینی اعلام کرده است که نشست لغو شد .", "فرهاد مبینی"),
    ("کدیور می‌نویسد که قانون اصلاح می‌شود .", "کدیور"),
    ("لیلاز نوشته است که تورم کاهش نمی‌یابد .", "لیلاز"),
    ("طاهایی تصریح کرده است که کار ادامه دارد .", "طاهایی"),
    ("صفوی هشدار داده است که وضعیت منطقه نگران‌کننده است .", "صفوی"),
    ("نوروزی تاکید می‌کند که مذاکرات ادامه دارد .", "نوروزی"),
    ("قنبری توضیح می‌دهد که طرح در دو مرحله اجرا می‌شود .", "قنبری"),
])
def test_a_name_before_its_verb_of_saying_in_any_form(text: str, person: str, name_stage: NameStage) -> None:
    assert person in _people(name_stage, text)


@pytest.mark.parametrize(("text", "word"), [
    ("سپس گفت که نشست لغو شد .", "سپس"),
    ("لیکن افزوده است که طرح اجرا می‌شود .", "لیکن"),
    ("بلکه تاکید کرد که مذاکرات ادامه دارد .", "بلکه"),
    ("همچنین اعلام کرد که نشست فردا برگزار می‌شود .", "همچنین"),
    ("این گزارش می‌افزاید که دو نفر کشته شدند .", "گزارش"),
    ("کارشناسان تاکید می‌کنند که قیمت‌ها افزایش می‌یابد .", "کارشناسان"),
])
def test_what_opens_the_clause_without_being_anyone(text: str, word: str, name_stage: NameStage) -> None:
    people = _people(name_stage, text)
    assert not any(word in person.split() for person in people), people


@pytest.mark.parametrize(("text", "person"), [
    ("گمانم که آقای خاتمی حرفهای بسیاری برای گفتن دارد .", "خاتمی"),
    ("دکتر نوروزی کتابها را به کتابخانه اهدا کرد .", "نوروزی"),
    ("مهندس کریمی طرحهای تازه را ارائه داد .", "کریمی"),
])
def test_a_plural_after_an_honorific_and_a_name_is_no_part_of_it(text: str, person: str,
                                                                  name_stage: NameStage) -> None:
    """A plural written without its zero-width non-joiner ("حرفهای", "کتابها") ends the name."""
    assert person in _people(name_stage, text)


@pytest.mark.parametrize(("text", "person"), [
    ("یونسی در پاسخ به پرسش خبرنگاران گفت که پرونده بسته شد .", "یونسی"),
    ("کروبی با اشاره به انتخابات آینده افزود که مشارکت مهم است .", "کروبی"),
    ("ابطحی در مورد سفر هیئت توضیح داد .", "ابطحی"),
    ("ربیعی در ادامه افزود که مذاکرات ادامه دارد .", "ربیعی"),
    ("در این نشست ، شافعی با بیان اینکه طرح آماده است ، خواستار حمایت شد .", "شافعی"),
    ("موسوی‌نژاد در سخنان خود گفت که بودجه کافی نیست .", "موسوی‌نژاد"),
])
def test_a_family_name_that_opens_a_report(text: str, person: str, name_stage: NameStage) -> None:
    """The family name alone at the start of a clause, before "در پاسخ", "با اشاره", "در ادامه"; the verb of
    saying comes later in the sentence."""
    assert person in _people(name_stage, text)


@pytest.mark.parametrize(("text", "word"), [
    ("زمان در این مورد اهمیت زیادی دارد .", "زمان"),
    ("دولت در پاسخ به انتقادها بیانیه داد .", "دولت"),
    ("تهران در این باره موضعی نگرفت .", "تهران"),
    ("رئیس‌جمهور در این دیدار گفت که روابط خوب است .", "رئیس‌جمهور"),
    ("کارشناسان در مورد این طرح نظر دادند .", "کارشناسان"),
])
def test_no_report_opener_where_the_word_is_no_family_name(text: str, word: str, name_stage: NameStage) -> None:
    people = _people(name_stage, text)
    assert not any(word in person.split() for person in people), people


@pytest.mark.parametrize("text", [
    # "جان باختند" (were killed): a compound verb's noun is no name, though "جان" is John too
    "ابراهیم کریمی و همراهانش در سقوط بالگرد جان باختند .",
    "در این حادثه سه نفر جان باختند .",
    "دو سرباز در این حمله جان باختند و پنج نفر زخمی شدند .",
])
def test_a_compound_verbs_noun_is_no_name(text: str, name_stage: NameStage) -> None:
    people = {text[s.start:s.end] for s in name_stage.spans(text, "fa") if s.type == "person"}
    assert not any("جان" in person for person in people)
