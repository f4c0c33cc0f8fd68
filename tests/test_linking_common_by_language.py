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
