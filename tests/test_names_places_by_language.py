"""The CLDR's place names are read in the post's own spelling: a Persian or Urdu name is not looked for in an
Arabic post, nor an Arabic one in a Persian post, where the same letters are a common word ("کیف" is Kyiv in
Persian and "كيف" "how" in Arabic; "ماهي" is Mahé in Arabic and "ماهی" a fish in Persian). The sentences were
written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from watchfloor.pipeline.names import NameStage


def _places(stage: NameStage, text: str, lang: str) -> set[str]:
    return {text[s.start:s.end] for s in stage.spans(text, lang) if s.type == "place"}


@pytest.mark.parametrize(("lang", "text"), [
    ("ar", "ولم يشرح أحد كيف يمكن التوصل إلى اتفاق."),  # Persian کیف, Kyiv
    ("ar", "وأكد أن الحل سياسي وليس عسكريا."),  # Wallis
    ("ar", "قال إنه لا يعرف وين ذهب الوفد."),  # Persian وین, Vienna; dialect "where"
    ("fa", "حکم حلال بودن ماهی در این فتوا آمده است."),  # Arabic ماهي, Mahé
    ("fa", "او قصد ترک جلسه را داشت."),  # Arabic ترك
    ("fa", "پیرو گزارش دانشمندان، این طرح متوقف شد."),  # Arabic بيرو, Peru
])
def test_a_word_that_names_a_place_in_another_language_is_no_place(lang: str, text: str,
                                                                   name_stage: NameStage) -> None:
    assert _places(name_stage, text, lang) == set()


@pytest.mark.parametrize(("lang", "text", "place"), [
    ("ar", "وصل الوفد إلى كييف صباح اليوم.", "كييف"),
    ("fa", "هیئت دیروز وارد کیف شد.", "کیف"),
    ("ar", "عقد الاجتماع في ليما يوم الخميس.", "ليما"),
    ("fa", "این نشست در سئول برگزار شد.", "سئول"),
    ("ar", "وصل الوفد إلى فيينا صباح اليوم.", "فيينا"),
    ("fa", "هیئت ایرانی دیروز وارد وین شد.", "وین"),
    ("fa", "رئیس‌جمهور دیروز به رم سفر کرد.", "رم"),
])
def test_a_place_in_the_post_s_own_spelling_is_found(lang: str, text: str, place: str,
                                                     name_stage: NameStage) -> None:
    assert place in _places(name_stage, text, lang)


@pytest.mark.parametrize("text", ["وتمتد البادية من بلاد الشام إلى العراق.", "وانتقل بعدها إلى الشام."])
def test_the_levant_links(text: str, gazetteer: Any) -> None:
    """"الشام" was found only through the Persian list; the knowledge base now holds the Levant."""
    assert "place:levant" in {m.entity_id for m in gazetteer.find(text)}


@pytest.mark.parametrize(("lang", "text", "linked", "not_linked"), [
    # Persian writes "به" apart: "باراک" is Barak, not "in Arak"; "بتهران" in Arabic is "in Tehran"
    ("fa", "باراک در این دیدار گفت که مذاکرات ادامه دارد.", None, "place:arak"),
    ("fa", "این هیئت از اراک به تهران رفت.", "place:arak", None),
    ("ar", "وصل الوفد بطهران مساء أمس.", "place:tehran", None),
])
def test_persian_words_lose_no_arabic_clitic(lang: str, text: str, linked: str | None, not_linked: str | None,
                                            gazetteer: Any) -> None:
    from watchfloor.pipeline.entities import EntityStage

    found = {m.entity_id for m in EntityStage(gazetteer.find, gazetteer.entities).find(text, lang)}
    assert linked is None or linked in found
    assert not_linked is None or not_linked not in found
