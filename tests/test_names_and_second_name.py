"""A tagger's person span that runs over "و" and a name part the romaniser's index knows is two people ("ريد وموساوي":
Reid and Moussaoui), as it already was before a common given name; a word the index knows with its "و" ("وليد", "وسام",
"وديع") is a name of its own and splits nothing, nor does a word the index does not know ("ويلفريد"). The names
stage's own test (``NameStage._opens_second``) is the one checked. The sentences were written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from watchfloor.pipeline.recognize import Span, words_of
from watchfloor.pipeline.recognize_runs import split_at_and


def _split(stage: Any, surface: str) -> list[str]:
    text = f"وحضر الاجتماع {surface} أمس في المقر."
    start = text.index(surface)
    spans = split_at_and(text, Span("person", start, start + len(surface), "tagger"), words_of(text),
                         stage._opens_second)
    return [text[s.start:s.end] for s in spans]


@pytest.mark.parametrize(("surface", "parts"), [
    ("ريد وموساوي", ["ريد", "موساوي"]),
    ("شادية وتحية كاريوكا", ["شادية", "تحية كاريوكا"]),
    ("توماس وحداد", ["توماس", "حداد"]),
    ("بيتر هاينز وجرادات", ["بيتر هاينز", "جرادات"]),
    ("ماريا وزايد", ["ماريا", "زايد"]),
    ("مارك ستيوارت ونصار", ["مارك ستيوارت", "نصار"]),  # a common given name, as before
])
def test_and_before_a_known_name_part_opens_a_second_person(surface: str, parts: list[str], name_stage: Any) -> None:
    assert _split(name_stage, surface) == parts


@pytest.mark.parametrize("surface", [
    "رامي وليد الحلبي",  # "وليد" is a given name with its "و"
    "رامي وسام الحلبي",
    "سامر وديع الخوري",
    "بونغي ويلفريد",  # a word the index does not know
    "جورج ميلر وهانسن",
])
def test_a_name_with_its_own_waw_or_an_unknown_word_splits_nothing(surface: str, name_stage: Any) -> None:
    assert _split(name_stage, surface) == [surface]
