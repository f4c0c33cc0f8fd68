"""A name may end before a number (a score, a year, a tally: "أرينا سابالينكا 4 - 6", "إرلينغ هالاند 27 هدفا")
and before a word with "و", which opens the next name or clause ("الزوجي الهولندي كوولهوف وسكوبسكي": two
players, not one, each a person). The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


@pytest.mark.parametrize(("text", "people"), [
    ("وخسرت الأمريكية كوكو غوف أمام البيلاروسية أرينا سابالينكا 4 - 6 .", ["كوكو غوف", "أرينا سابالينكا"]),
    ("وسجل النرويجي إرلينغ هالاند 27 هدفا هذا الموسم.", ["إرلينغ هالاند"]),
    ("وتغلب الزوجي الألماني كروغر وبيكمان على الزوجي الإسباني في المباراة.", ["كروغر", "بيكمان"]),
    ("وتغلب الزوجي الهولندي كوولهوف وسكوبسكي على منافسيهما.", ["كوولهوف", "سكوبسكي"]),
])
def test_a_name_ends_before_a_number_or_and(text: str, people: list[str], name_stage: NameStage) -> None:
    assert [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "person"] == people


@pytest.mark.parametrize(("text", "person"), [
    ("وقال الوزير محمد وليد إن الطريق فتح.", "محمد وليد"),  # "وليد" is a name part, not "و" + a word
    ("وولد الروائي البرتغالي جوزيه ساراماغو 1922 في قرية صغيرة.", "جوزيه ساراماغو"),
])
def test_a_name_part_that_begins_with_and_stays_in_the_name(text: str, person: str, name_stage: NameStage) -> None:
    assert [text[s.start:s.end] for s in name_stage.spans(text, "ar") if s.type == "person"] == [person]
