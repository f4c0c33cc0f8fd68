"""A name part the index knows before a family name it holds as a whole name is that person's given name, though
no list of given names has it ("أندري أغاسي", "دان حالوتس"); a word before a name that opens with a given name or
a particle is no part of it ("رحيل أحمد مظهر", "بيت عبد الكريم الخطابي"), nor is a verb whose subject it is
("وواصل فيدرر"). The sentences were written for these
tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _people(stage: NameStage, text: str) -> list[str]:
    return [text[s.start:s.end] for s in stage.spans(text, "ar") if s.type == "person"]


@pytest.mark.parametrize(("text", "person"), [
    ("واصل الأميركي المخضرم أندري أغاسي تشبثه بالبقاء.", "أندري أغاسي"),
    ("وزار المدينة أمس أندري أغاسي برفقة عائلته.", "أندري أغاسي"),
    ("وقال رئيس الأركان دان حالوتس إن الجيش مستعد.", "دان حالوتس"),
    ("وشارك في الجنازة رحيل أحمد مظهر.", "أحمد مظهر"),
    ("وشرب الشاي في بيت عبد الكريم الخطابي.", "عبد الكريم الخطابي"),
    ("وواصل فيدرر التقدم في البطولة.", "فيدرر"),
])
def test_the_given_name_before_a_known_name(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]


@pytest.mark.parametrize(("text", "person"), [
    ("او بر صداقت خاتمی در این دیدار تأکید کرد.", "خاتمی"),
    ("گانتس به جای نتانیاهو در نشست شرکت کرد.", "نتانیاهو"),
])
def test_persian_takes_no_word_before_a_known_name(text: str, person: str, name_stage: NameStage) -> None:
    # Persian writes no given name so: "جای" (the place of), "صداقت" (honesty) are name parts the index knows
    assert [text[s.start:s.end] for s in name_stage.spans(text, "fa") if s.type == "person"] == [person]
