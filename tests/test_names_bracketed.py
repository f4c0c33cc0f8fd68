"""Another name of a person or an organisation in brackets right after it, found or linked: "يوسف إسلام (كات
ستيفنز)", "سامي الحلبي (أبو يحيى)", "جمعية الإحسان الخيرية (الإحسان)". Words that are no name stay out (a photo
caption, an age). The sentences were written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from watchfloor.pipeline.context import keep_mentions
from watchfloor.pipeline.names import NameStage


def _found(text: str, gazetteer: Any, name_stage: NameStage) -> set[tuple[str, str]]:
    linked = keep_mentions(text, gazetteer.find(text, "ar"), gazetteer.entities)
    return {(m.surface, e.type) for m, e in name_stage.find(text, linked, "ar")}


@pytest.mark.parametrize(("text", "other", "kind"), [
    ("وكان المغني يوسف إسلام (كات ستيفنز) قد زار المدينة.", "كات ستيفنز", "person"),
    ("وقال المتحدث العسكري سامي الحلبي (أبو يحيى) إن القوات انسحبت.", "أبو يحيى", "person"),
    ("وقالت جمعية الإحسان الخيرية (الإحسان) إنها وزعت المساعدات على الأسر.", "الإحسان", "organization"),
])
def test_a_name_in_brackets_after_a_name_is_another_name(text: str, other: str, kind: str, gazetteer: Any,
                                                          name_stage: NameStage) -> None:
    found = _found(text, gazetteer, name_stage)
    assert (other, kind) in found, found
    assert sum(surface == other for surface, _ in found) == 1


def test_a_persons_name_after_an_organisation_is_not_the_organisations(gazetteer: Any,
                                                                        name_stage: NameStage) -> None:
    text = "وأكد المتحدث باسم جمعية الإحسان الخيرية (خالد الحسيني) أن الوفد غادر."
    assert ("خالد الحسيني", "organization") not in _found(text, gazetteer, name_stage)


@pytest.mark.parametrize("text", [
    "وقال الوزير خالد الحسيني (في الصورة) إن الاجتماع انتهى.",
    "وقال الوزير خالد الحسيني (65 عاما) إن الاجتماع انتهى.",
    "وقال الوزير خالد الحسيني (الصورة) إن الاجتماع انتهى.",
])
def test_words_in_brackets_that_name_no_one_stay_out(text: str, gazetteer: Any, name_stage: NameStage) -> None:
    assert {surface for surface, _ in _found(text, gazetteer, name_stage)} == {"خالد الحسيني"}
