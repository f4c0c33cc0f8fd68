"""Iran's Supreme Leader is named by epithet more often than by name ("رهبر معظم انقلاب", "مقام معظم رهبری",
"المرشد الإيراني", "Iran's Supreme Leader"): the epithets link Ali Khamenei, those of the founder ("امام راحل",
"رهبر کبیر انقلاب") Ruhollah Khomeini, and neither the Leader's office nor another movement's guide links a
person. The sentences were written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.pipeline.entities import EntityStage

KHAMENEI, KHOMEINI = "person:ali-khamenei", "person:ruhollah-khomeini"


def _linked(text: str, lang: str | None, gazetteer: Gazetteer) -> set[str]:
    return {m.entity_id for m in EntityStage(gazetteer.find, gazetteer.entities).find(text, lang)}


@pytest.mark.parametrize(("text", "lang", "entity"), [
    ("رهبر معظم انقلاب در دیدار با فرماندهان نیروی هوایی سخنرانی کرد .", "fa", KHAMENEI),
    ("مقام معظم رهبری در پیامی درگذشت این عالم دینی را تسلیت گفت .", "fa", KHAMENEI),
    ("رهبر انقلاب اسلامی صبح امروز در مراسم دانش‌آموختگی شرکت کرد .", "fa", KHAMENEI),
    ("پیام رهبر جمهوری اسلامی ایران به کنگره حج قرائت شد .", "fa", KHAMENEI),
    ("رهبر انقلاب با اعضای مجلس خبرگان دیدار کرد .", "fa", KHAMENEI),
    ("وقال المرشد الإيراني في خطاب متلفز إن المفاوضات لن تستأنف.", "ar", KHAMENEI),
    ("واستقبل المرشد الأعلى في إيران الرئيس العراقي في طهران.", "ar", KHAMENEI),
    ("وأصدر قائد الثورة الإسلامية عفوا عن عدد من السجناء.", "ar", KHAMENEI),
    ("Iran's Supreme Leader addressed the commanders on Monday, state television said.", "en", KHAMENEI),
    ("در سالگرد رحلت امام راحل مراسمی در حرم مطهر برگزار شد .", "fa", KHOMEINI),
    ("رهبر کبیر انقلاب در خرداد ۱۳۶۸ درگذشت .", "fa", KHOMEINI),
    ("آرامگاه بنیانگذار جمهوری اسلامی در جنوب تهران است .", "fa", KHOMEINI),
])
def test_an_epithet_links_the_leader_it_names(text: str, lang: str, entity: str, gazetteer: Gazetteer) -> None:
    linked = _linked(text, lang, gazetteer)
    assert entity in linked
    assert ({KHAMENEI, KHOMEINI} - {entity}).isdisjoint(linked)  # the founder is not the leader, nor the reverse


@pytest.mark.parametrize(("text", "lang"), [
    ("دفتر رهبر انقلاب اعلام کرد که مراسم لغو شده است .", "fa"),  # the Leader's office, an organisation
    ("وقال المرشد العام لجماعة الإخوان المسلمين إن الجماعة ستشارك.", "ar"),  # another movement's guide
    ("North Korea's Supreme Leader inspected the launch, state media said.", "en"),  # Kim Jong Un's title
])
def test_no_epithet_links_a_leader_it_does_not_name(text: str, lang: str, gazetteer: Gazetteer) -> None:
    assert KHAMENEI not in _linked(text, lang, gazetteer)


@pytest.mark.parametrize(("text", "lang", "name"), [
    ("پیام آیت‌الله خامنه‌ای رهبر انقلاب به حجاج قرائت شد .", "fa", "خامنه‌ای"),
    ("وقال علي خامنئي، المرشد الإيراني، إن بلاده لن تتراجع.", "ar", "علي خامنئي"),
    ("Ali Khamenei, Iran's Supreme Leader, spoke on Monday.", "en", "Ali Khamenei"),
])
def test_an_epithet_beside_the_name_is_the_same_mention(text: str, lang: str, name: str,
                                                        gazetteer: Gazetteer) -> None:
    found = [m for m in EntityStage(gazetteer.find, gazetteer.entities).find(text, lang) if m.entity_id == KHAMENEI]
    assert [m.surface for m in found] == [name]  # the name, once: the epithet after it names no one else


def test_two_entities_side_by_side_both_stay(gazetteer: Gazetteer) -> None:
    linked = _linked("The strike hit a depot near Tehran, Iran, on Monday.", "en", gazetteer)
    assert {"place:tehran", "place:iran"} <= linked


@pytest.mark.parametrize(("text", "epithet"), [
    ("وقال المرشد الإيراني في خطاب متلفز إن المفاوضات لن تستأنف.", "المرشد الإيراني"),
    ("وقال المرشد الأعلى في إيران إن الرد قادم.", "المرشد الأعلى في إيران"),
    ("ودعا المرشد الأعلى للجمهورية الإسلامية إلى الوحدة.", "المرشد الأعلى للجمهورية الإسلامية"),
])
def test_an_epithet_keeps_its_title_word(text: str, epithet: str, gazetteer: Gazetteer) -> None:
    # a title comes off a name ("الملك سلمان" is Salman), not off an epithet: "الإيراني" alone is an adjective
    found = [m for m in EntityStage(gazetteer.find, gazetteer.entities).find(text, "ar") if m.entity_id == KHAMENEI]
    assert [m.surface for m in found] == [epithet]


@pytest.mark.parametrize(("text", "entity", "name"), [
    ("وقال الملك سلمان إن المملكة تدعم الحل.", "person:salman-bin-abdulaziz", "سلمان"),
    ("وقال العقيد القذافي في خطاب إن الثورة مستمرة.", "person:muammar-gaddafi", "القذافي"),
])
def test_a_title_still_comes_off_a_name(text: str, entity: str, name: str, gazetteer: Gazetteer) -> None:
    found = [m for m in EntityStage(gazetteer.find, gazetteer.entities).find(text, "ar") if m.entity_id == entity]
    assert [m.surface for m in found] == [name]


@pytest.mark.parametrize(("text", "lang"), [
    ("ألقى المرشد الإيراني علي خامنئي صباح الاثنين كلمة متلفزة.", "ar"),
    ("Iran's Supreme Leader Ali Khamenei addressed the commanders on Monday.", "en"),
])
def test_an_epithet_before_the_name_makes_no_candidate(text: str, lang: str, gazetteer: Gazetteer,
                                                       name_stage: Any) -> None:
    # the epithet and the name both stay linked: no "Ali Khamni", "Supreme" or "Iran" candidate beside them
    linked = EntityStage(gazetteer.find, gazetteer.entities).find(text, lang)
    assert {m.entity_id for m in linked} == {KHAMENEI}
    assert "Khamenei" in " ".join(m.surface for m in linked) or "خامنئي" in " ".join(m.surface for m in linked)
    assert not [e.id for _, e in name_stage.find(text, linked, lang)]
