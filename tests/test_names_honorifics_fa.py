"""After a Persian honorific ("آقای", "دکتر", "مهندس", "آیت‌الله") one word that is no common word is a family
name; after an office ("رئیس", "وزیر", "معاون") the word is the office's domain, not a name. The sentences were
written for these tests."""

from __future__ import annotations

import pytest

from conftest import people_found
from watchfloor.pipeline.names import NameStage


def _people(stage: NameStage, text: str) -> set[str]:
    return people_found(stage, text, "fa")


@pytest.mark.parametrize(("text", "person"), [
    ("مهندس کاظمیان در پایان این نشست گفت که طرح ادامه دارد.", "کاظمیان"),
    ("دکتر صدیقیان سپس درباره نتایج بررسی توضیح داد.", "صدیقیان"),
    ("آیت‌الله مشکاتیان در این مراسم سخنرانی کرد.", "مشکاتیان"),
])
def test_a_family_name_alone_after_an_honorific(text: str, person: str, name_stage: NameStage) -> None:
    assert person in _people(name_stage, text)


@pytest.mark.parametrize("text", [
    "رئیس دانشگاه در این نشست گفت که کلاس‌ها حضوری است.",  # an office and its domain
    "معاون وزیر در این جلسه حضور داشت.",
    "او آثار عدیده‌ای در زمینه مولوی‌پژوهی منتشر کرده است.",  # an honorific inside a longer word
])
def test_an_office_and_its_domain_are_no_name(text: str, name_stage: NameStage) -> None:
    assert _people(name_stage, text) == set()
