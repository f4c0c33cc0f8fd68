"""Organisations named after a date keep the whole date: "جبهه دوم خرداد" (the 2nd of Khordad Front), "حركة السادس
من أبريل", "تيار الرابع عشر من آذار". The month is a stop word everywhere else, so these names stopped at the
ordinal before it. A date after no organisation stays a date. The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage

DATED = [
    ("fa", "نشست عصر سه‌شنبه فراکسیون جبهه دوم خرداد به صحنه کشیده شد .", "فراکسیون جبهه دوم خرداد"),
    ("fa", "جنبش پانزدهم خرداد بیانیه‌ای صادر کرد .", "جنبش پانزدهم خرداد"),
    ("fa", "اعضای حزب دوم خرداد در تهران جمع شدند .", "حزب دوم خرداد"),
    ("ar", "وأعلنت حركة السادس من أبريل عن تنظيم وقفة احتجاجية.", "حركة السادس من أبريل"),
    ("ar", "وقال المتحدث باسم تيار الرابع عشر من آذار إن الاجتماع انتهى.", "تيار الرابع عشر من آذار"),
    ("ar", "وعقدت قوى الثامن من آذار اجتماعا في بيروت.", "قوى الثامن من آذار"),
]


@pytest.mark.parametrize(("lang", "text", "name"), DATED)
def test_an_organisation_named_after_a_date_keeps_it(lang: str, text: str, name: str, name_stage: NameStage) -> None:
    organisations = [text[s.start:s.end] for s in name_stage.spans(text, lang) if s.type == "organization"]
    assert organisations == [name]


@pytest.mark.parametrize(("lang", "text"), [
    ("fa", "روز دوم خرداد انتخابات برگزار شد ."),
    ("ar", "وعقد الاجتماع في السادس من أبريل في القاهرة."),
    ("ar", "وتسلم الوزير منصبه في الرابع عشر من آذار الماضي."),
])
def test_a_date_alone_is_no_name(lang: str, text: str, name_stage: NameStage) -> None:
    assert [text[s.start:s.end] for s in name_stage.spans(text, lang)] == [] or all(
        s.type == "place" for s in name_stage.spans(text, lang))
