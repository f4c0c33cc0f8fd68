"""A place whose name is a common word in one language needs a place-like context in that language only:
"إيلام" is "inflicting pain" in Arabic, while Persian "ایلام" is only the city of Ilam. Each language's list
of common-word names (``data/common_word_names.yaml``) serves its own posts, with the English list; Urdu,
Pashto and translations take every list. The Persian list holds the Persian common words among the names:
"فتح" (conquest), "امان" (safety), "مزه" (taste), "بقاع" (shrines), "قائم" (standing), "سرت" (your head)."""

from __future__ import annotations

import pytest

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.pipeline.context import common_words
from watchfloor.pipeline.entities import EntityStage


def _linked(text: str, lang: str | None, gazetteer: Gazetteer) -> set[str]:
    return {m.entity_id for m in EntityStage(gazetteer.find, gazetteer.entities).find(text, lang)}


@pytest.mark.parametrize(("text", "entity"), [
    ("نماینده ایلام در مجلس خواستار بازسازی مدارس شد .", "place:ilam"),
    ("مردم ایلام هنوز منتظر بازسازی خانه‌های خود هستند .", "place:ilam"),
    ("استاندار میسان با هیئتی از بغداد دیدار کرد .", "place:maysan"),
    ("نیروهای دولتی کنترل حماه را به دست گرفتند .", "place:hama"),
    ("درگیری‌ها در تعز ادامه دارد .", "place:taiz"),
    ("گزارش‌ها از رقه حاکی از بازگشت آوارگان است .", "place:raqqa"),
    # China and India are names in Persian ("هند" is a woman's name in Arabic, "چین" a fold only inside a word)
    ("رسانه‌های رسمی چین روز دوشنبه از این توافق خبر دادند .", "place:china"),
    ("کشورهای آسیایی نظیر چین ، هند و پاکستان در این نشست شرکت کردند .", "place:china"),
    ("کشورهای آسیایی نظیر چین ، هند و پاکستان در این نشست شرکت کردند .", "place:india"),
    ("این زندانیان سال‌ها در هند اسیر بودند .", "place:india"),
    ("هند قصد ندارد این قرارداد را تمدید کند .", "place:india"),
])
def test_a_persian_place_that_is_a_common_word_only_in_arabic_links_in_persian(
        text: str, entity: str, gazetteer: Gazetteer) -> None:
    assert entity in gazetteer.entities
    assert entity in _linked(text, "fa", gazetteer)


@pytest.mark.parametrize(("text", "entity"), [
    ("ندد البيان بإيلام المدنيين في المنطقة.", "place:ilam"),  # inflicting pain
    ("وصف الشهود إيلام المعتقلين خلال التحقيق.", "place:ilam"),
    ("ظهر الفريق في حلة جديدة هذا الموسم.", "place:hillah"),  # a new guise
    ("وين كنت يوم الاجتماع؟ سأل الصحفي.", "place:vienna"),  # colloquial "where"
    ("وقالت هند إن الاجتماع تأجل إلى الأسبوع المقبل.", "place:india"),  # Hind, a woman's name
])
def test_an_arabic_common_word_still_needs_its_context_in_arabic(text: str, entity: str,
                                                                 gazetteer: Gazetteer) -> None:
    assert entity in gazetteer.entities
    assert entity not in _linked(text, "ar", gazetteer)


@pytest.mark.parametrize(("text", "entity"), [
    ("جشن سالروز فتح خرمشهر در شهر برگزار شد .", "org:fatah"),  # the conquest
    ("مردم منطقه در امان نیستند ، مقامات گفتند .", "place:amman"),  # safe
    ("آشپزها گفتند مزه غذا تغییر کرده است .", "place:mazzeh"),  # taste
    ("زائران به بقاع متبرکه سفر کردند .", "place:bekaa"),  # shrines
    ("قائم مقام وزیر در نشست حضور داشت .", "place:al-qaim"),  # deputy (standing in)
    ("سرت را بالا بگیر ، مربی به بازیکن گفت .", "place:sirte"),  # your head
])
def test_a_persian_common_word_does_not_link_by_itself_in_persian(text: str, entity: str,
                                                                   gazetteer: Gazetteer) -> None:
    assert entity in gazetteer.entities
    assert entity not in _linked(text, "fa", gazetteer)


def test_a_post_of_another_language_and_a_translation_take_every_list() -> None:
    every = common_words(None)
    assert common_words("ar") < every and common_words("fa") < every
    assert common_words("ur") == every and common_words("ps") == every
    assert common_words("en") <= common_words("fa") and common_words("en") <= common_words("ar")


@pytest.mark.parametrize(("text", "entity"), [
    ("چین‌خوردگی‌های زمین در این منطقه دیده می‌شود .", "place:china"),  # folds of the ground
    ("این پارچه چین‌دار در بازار فروخته می‌شود .", "place:china"),  # pleated
    ("کارخانه ایران‌خودرو تولید را متوقف کرد .", "place:iran"),  # a carmaker
])
def test_a_name_inside_a_longer_persian_word_does_not_link(text: str, entity: str, gazetteer: Gazetteer) -> None:
    assert entity not in _linked(text, "fa", gazetteer)


@pytest.mark.parametrize(("text", "entity"), [
    ("نماینده دولت در سیستان‌وبلوچستان گفت که جاده‌ها باز است .", "place:sistan-baluchestan"),
    ("هیئتی از امارات‌عربی‌متحده دوشنبه وارد تهران شد .", "place:united-arab-emirates"),
    ("هیئتی از امارات عربی متحده دوشنبه وارد تهران شد .", "place:united-arab-emirates"),
])
def test_a_persian_name_written_with_zero_width_non_joiners_links(text: str, entity: str,
                                                                  gazetteer: Gazetteer) -> None:
    assert entity in gazetteer.entities
    assert entity in _linked(text, "fa", gazetteer)
