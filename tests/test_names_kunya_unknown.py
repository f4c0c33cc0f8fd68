"""A kunya ("أبو" and a word) names a person even when the index does not know the word: noms de guerre and
nicknames ("أبو دجانة", "أبو هريرة"), but not "أبو" before a common or frequent word, a word with the article or a
verb. The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _people(stage: NameStage, text: str) -> list[str]:
    return [text[s.start:s.end] for s in stage.spans(text, "ar") if s.type == "person"]


@pytest.mark.parametrize(("text", "person"), [
    ("وفرجع أبو هريرة إلى المدينة بعد أيام.", "أبو هريرة"),
    ("وارتمى أبو خوصة على الكرة بفرح.", "أبو خوصة"),
    ("وظهر أبو دجانة في تسجيل مصور نشر أمس.", "أبو دجانة"),
    ("وكان أبو قتادة ينتقل بين المدن متخفيا.", "أبو قتادة"),
])
def test_a_kunya_with_an_unknown_word(text: str, person: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == [person]


@pytest.mark.parametrize("text", [
    "وقال أبو كان يعمل في المصنع.",  # "أبو" (the father) and a verb
    "وتسلم أبو ظبي الجائزة.",  # a place
])
def test_no_kunya_before_a_verb_or_a_place(text: str, name_stage: NameStage) -> None:
    assert [s for s in name_stage.spans(text, "ar") if s.signal == "kunya"] == []
