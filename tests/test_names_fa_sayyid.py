"""In Persian "سید" (a descendant of the Prophet) is part of a person's name, not a title before it: "سید محمدرضا
خاتمی" whether it opens the name or follows a title ("دکتر", "مهندس", "حجت‌الاسلام"). Ranks and honorifics stay
out ("آیت‌الله", "دکتر"). And a Persian name right before its office or role ("وحید طوفانی ، مدیرعامل", "...
بازیکن تیم ملی"). The sentences were written for these tests."""

from __future__ import annotations

import pytest

from watchfloor.pipeline.names import NameStage

SAYYID = [
    ("دکتر سید محمدرضا خاتمی دیروز در جمع خبرنگاران گفت .", "سید محمدرضا خاتمی"),
    ("مهندس سید مهدی حسینی در گفتگو با خبرنگار ما گفت .", "سید مهدی حسینی"),
    ("حجت‌الاسلام سید حسن موسوی‌نژاد امام جمعه شهر در خطبه‌ها گفت .", "سید حسن موسوی‌نژاد"),
    ("سید علی رضوی مدیرکل بنیاد شهید استان گفت .", "سید علی رضوی"),
    ("این کتاب با همکاری سید جواد طباطبایی نوشته شد .", "سید جواد طباطبایی"),
    ("سیده فاطمه حسینی نماینده مردم در مجلس گفت .", "سیده فاطمه حسینی"),
]


@pytest.mark.parametrize(("text", "person"), SAYYID)
def test_sayyid_is_part_of_a_persian_name(text: str, person: str, name_stage: NameStage) -> None:
    people = [text[s.start:s.end] for s in name_stage.spans(text, "fa") if s.type == "person"]
    assert person in people, people


@pytest.mark.parametrize(("text", "title"), [
    ("دکتر سید محمدرضا خاتمی دیروز در جمع خبرنگاران گفت .", "دکتر"),
    ("آیت‌الله محمدعلی موحدی‌کرمانی در خطبه‌های نماز جمعه گفت .", "آیت‌الله"),
])
def test_a_rank_stays_outside_the_name(text: str, title: str, name_stage: NameStage) -> None:
    people = [text[s.start:s.end] for s in name_stage.spans(text, "fa") if s.type == "person"]
    assert people and not any(title in name for name in people), people


@pytest.mark.parametrize(("text", "person"), [
    ("وحید طوفانی ، مدیرعامل شرکت گفت .", "وحید طوفانی"),
    ("علی کریمی ، سرمربی تیم گفت که بازیکنان آماده‌اند .", "علی کریمی"),
    ("مجید حسینی بازیکن تیم ملی گفت که مصدوم است .", "مجید حسینی"),
])
def test_a_persian_name_before_its_office_or_role(text: str, person: str, name_stage: NameStage) -> None:
    assert person in [text[s.start:s.end] for s in name_stage.spans(text, "fa") if s.type == "person"]


def test_an_office_after_a_common_phrase_makes_no_person(name_stage: NameStage) -> None:
    text = "جلسه هیئت مدیره مدیرعامل را برکنار کرد ."
    assert [text[s.start:s.end] for s in name_stage.spans(text, "fa") if s.type == "person"] == []
