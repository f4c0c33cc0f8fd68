"""A Persian place noun with an adjective that says what kind of place it is ("میدان نفتی", an oil field; "گذرگاه
مرزی", a border crossing) names no place by itself: the place's name follows the adjective and belongs to the
span ("میدان گازی زیره"). The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage


def _places(name_stage: NameStage, text: str) -> set[str]:
    return {text[s.start:s.end] for s in name_stage.spans(text, "fa") if s.type == "place"}


@pytest.mark.parametrize(("text", "place"), [
    ("عملیات توسعه میدان نفتی دارخوین از هفته آینده آغاز می‌شود", "میدان نفتی دارخوین"),
    ("تولید گاز از میدان گازی کیسکان افزایش یافت", "میدان گازی کیسکان"),
    ("گذرگاه مرزی باشماق دوباره باز شد", "گذرگاه مرزی باشماق"),
    ("بهره‌برداری از میدان نفتی یادآوران آغاز شد", "میدان نفتی یادآوران"),
])
def test_the_name_after_a_kind_of_place(name_stage: NameStage, text: str, place: str) -> None:
    assert place in _places(name_stage, text)


@pytest.mark.parametrize("text", [
    "این میدان نفتی در سال گذشته کشف شد",
    "مسئولان گفتند که این میدان گازی تا پایان سال به بهره‌برداری می‌رسد",
    "این گذرگاه مرزی از فردا بسته می‌شود",
])
def test_a_kind_of_place_names_none_by_itself(name_stage: NameStage, text: str) -> None:
    assert not _places(name_stage, text)
