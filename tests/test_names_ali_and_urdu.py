"""Ali, the commonest name part of all, is no stop word where it is a name: normalising folds the preposition
"على" into "علي", so "سردار علی فدوی" and "العميد علي الحسني" found nobody. Persian and Urdu write Ali with
their own ye and never mean "on" by it; Arabic "علي" is Ali before a name part, or after one at the end of
the clause. Urdu titles and offices, and Urdu names to the postposition that ends them ("گوہر علی خان نے").
The sentences were written for these tests."""

from __future__ import annotations

import pytest

from conftest import people_found
from watchfloor.pipeline.names import NameStage


def _people(stage: NameStage, text: str, lang: str) -> set[str]:
    return people_found(stage, text, lang)


@pytest.mark.parametrize(("lang", "text", "person"), [
    ("fa", "سردار علی فدوی در این مراسم گفت که رزمایش ادامه دارد.", "علی فدوی"),
    ("ar", "وقال العميد علي الحسني إن القوات أنهت مهمتها.", "علي الحسني"),
    ("ar", "وقال محمد علي إن الاجتماع تأجل.", "محمد علي"),
    ("ar", "وقال اللواء علي الجبوري إن القوات تقدمت.", "علي الجبوري"),
    ("fa", "دکتر علی لاریجانی در این دیدار گفت که مذاکرات ادامه دارد.", "علی لاریجانی"),
    ("fa", "حجت‌الاسلام علی اکبری در خطبه‌ها گفت که نماز برگزار شد.", "علی اکبری"),
    ("ur", "صدر آصف علی زرداری نے اجلاس کی صدارت کی۔", "آصف علی زرداری"),
    ("ur", "پارٹی کے رہنما بیرسٹر گوہر علی خان نے پریس کانفرنس سے خطاب کیا۔", "گوہر علی خان"),
    ("ur", "وزیر داخلہ محسن نقوی نے کہا کہ کارروائی مکمل ہو گئی۔", "محسن نقوی"),
    ("ur", "وزیراعلیٰ مریم نواز نے اسپتال کا دورہ کیا۔", "مریم نواز"),
])
def test_ali_and_urdu_names_are_whole(lang: str, text: str, person: str, name_stage: NameStage) -> None:
    assert person in _people(name_stage, text, lang)


@pytest.mark.parametrize("text", [
    "ويبقى الأمر محتملا بناء علي توقعات البنك المركزي.",  # "on" written with ya, before no name
    "وأكد المتحدث علي أن المفاوضات مستمرة.",
])
def test_the_preposition_written_with_ya_is_no_name(text: str, name_stage: NameStage) -> None:
    assert not any("علي" in person for person in _people(name_stage, text, "ar"))
