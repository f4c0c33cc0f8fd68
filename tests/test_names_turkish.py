"""Names in Turkish posts (issue 15): the names stage reads lang "tr" text with the Turkish rules
(``pipeline/turkish.py``): a person after a title, an organisation by its head word or acronym, a place by its
case suffix, its place word or its head; case suffixes outside the span; a sentence's first word and calendar
words no names. The sentences are invented, wire-service style; the people in them are invented."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from watchfloor.models import Post, Source
from watchfloor.pipeline.names import NameStage
from watchfloor.pipeline.turkish import fold


def spans(stage: Any, text: str) -> set[tuple[str, str]]:
    """(surface, type) of every span the names stage finds in a Turkish text."""
    return {(text[s.start:s.end], s.type) for s in stage.spans(text, "tr")}


@pytest.mark.parametrize(("text", "expected"), [
    # a person after a title of two words, of one word, a lower-case role; the title is no part of the name
    ("Dışişleri Bakanı Selim Aydoğan mevkidaşı ile görüştü.", {("Selim Aydoğan", "person")}),
    ("Toplantıya Cumhurbaşkanı Yardımcısı Nevzat Kurtuluş da katıldı.", {("Nevzat Kurtuluş", "person")}),
    ("Bakanlık Sözcüsü Elif Karataş açıklamayı okudu.", {("Elif Karataş", "person")}),
    ("Milletvekili Ayşe Demirel soru önergesi verdi.", {("Ayşe Demirel", "person")}),
    ("Tuğgeneral Orhan Sezer birlikleri denetledi.", {("Orhan Sezer", "person")}),
    ("Heyete örgütün lideri Kerem Aksoylu başkanlık etti.", {("Kerem Aksoylu", "person")}),
    ("Açılışa Dr. Sevim Karaca katıldı.", {("Sevim Karaca", "person")}),
])
def test_a_person_after_a_title(text: str, expected: set[tuple[str, str]], name_stage: NameStage) -> None:
    assert spans(name_stage, text) == expected


def test_a_case_suffix_stays_out_of_a_persons_span(name_stage: NameStage) -> None:
    text = "Bakan Nuri Aydoğan'ın açıklaması, Sözcü Mert Kalkan'a iletildi."
    assert spans(name_stage, text) == {("Nuri Aydoğan", "person"), ("Mert Kalkan", "person")}


@pytest.mark.parametrize(("text", "expected"), [
    ("İçişleri Bakanlığı yeni bir genelge yayımladı.", {("İçişleri Bakanlığı", "organization")}),
    ("Açıklamayı Anadolu Çiftçiler Derneği yaptı.", {("Anadolu Çiftçiler Derneği", "organization")}),
    ("Seçimlere Halkların Demokratik Partisi de katılacak.", {("Halkların Demokratik Partisi", "organization")}),
    ("Karar, Yüksek Seçim Kurulu'nun toplantısında alındı.", {("Yüksek Seçim Kurulu", "organization")}),
    ("Haberi Doğu Haber Ajansı duyurdu.", {("Doğu Haber Ajansı", "organization")}),
    # a connector inside an organisation's name; its head inflected without an apostrophe
    ("Çevre ve İklim Bakanlığınca hazırlanan rapor yayımlandı.", {("Çevre ve İklim Bakanlığınca", "organization")}),
])
def test_an_organisation_by_its_head_word(text: str, expected: set[tuple[str, str]], name_stage: NameStage) -> None:
    assert spans(name_stage, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Saldırıyı PKK üstlendi.", {("PKK", "organization")}),
    ("Toplantıda HTŞ ve DEAŞ ele alındı.", {("HTŞ", "organization"), ("DEAŞ", "organization")}),
    ("Yardımlar AFAD'ın koordinasyonunda dağıtıldı.", {("AFAD", "organization")}),
])
def test_an_acronym_is_an_organisation(text: str, expected: set[tuple[str, str]], name_stage: NameStage) -> None:
    assert spans(name_stage, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # by its case suffix, wherever it stands, the suffix outside the span
    ("Heyet dün Yusufeli'ne ulaştı.", {("Yusufeli", "place")}),
    ("Görüşmeler Kilis'te yapıldı.", {("Kilis", "place")}),
    ("Konvoy Akçakale'den hareket etti.", {("Akçakale", "place")}),
    ("Kalecik'te sel uyarısı yapıldı.", {("Kalecik", "place")}),  # a sentence's first word with its apostrophe
    # by a place word after it (the lower-case word is not part of the name), or a capitalised head
    ("Sel nedeniyle Arhavi ilçesinde okullar tatil edildi.", {("Arhavi", "place")}),
    ("Yangın Dereli köyünde çıktı.", {("Dereli", "place")}),
    ("Zeytinli ili için yeni bir yol planlandı.", {("Zeytinli", "place")}),
    ("Ekipler Kandil Dağı eteklerinde arama yaptı.", {("Kandil Dağı", "place")}),
    # before a governor's title
    ("Yusufeli Kaymakamı Kenan Uysal açıklama yaptı.", {("Yusufeli", "place"), ("Kenan Uysal", "person")}),
])
def test_a_place_by_its_suffix_its_word_or_its_head(text: str, expected: set[tuple[str, str]],
                                                     name_stage: NameStage) -> None:
    assert spans(name_stage, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a sentence's first word, capitalised, is no name without its own evidence
    ("Toplantı Kilis'te yapıldı.", {("Kilis", "place")}),
    ("Açıklamada İçişleri Bakanlığı'nın kararı duyuruldu.", {("İçişleri Bakanlığı", "organization")}),
    ("Bugün Bakan Selim Aydoğan konuştu.", {("Selim Aydoğan", "person")}),
    ("Toplantı sona erdi ve heyet Kilis'e döndü.", {("Kilis", "place")}),
    ("Açıklamada, Arhavi ilçesi için yeni bir takvim duyuruldu.", {("Arhavi", "place")}),
    ("Bugün yapılan görüşmede PKK ele alındı.", {("PKK", "organization")}),
    # months and weekdays are no names, capitalised or with a suffix
    ("Görüşmeler Salı günü Kilis'te başlayacak.", {("Kilis", "place")}),
    ("Seçimler Haziran ayında, sonuçlar Temmuz'da Kilis'te açıklanacak.", {("Kilis", "place")}),
    ("Kurul Çarşamba günü Arhavi ilçesinde toplandı, Cuma'ya kadar sürecek.", {("Arhavi", "place")}),
    # a headline in capitals is no run of acronyms
    ("SON DAKİKA: Bakan Selim Aydoğan açıklama yaptı.", {("Selim Aydoğan", "person")}),
])
def test_common_and_calendar_words_are_no_names(text: str, expected: set[tuple[str, str]],
                                                name_stage: NameStage) -> None:
    assert spans(name_stage, text) == expected


def test_a_title_before_a_person_names_its_office(name_stage: NameStage) -> None:
    text = "Doğu Haber Ajansı Genel Müdürü Mert Kalkan, Zeytinli Valisi Sevim Karaca ile görüştü."
    assert spans(name_stage, text) == {("Doğu Haber Ajansı", "organization"), ("Mert Kalkan", "person"),
                                       ("Zeytinli", "place"), ("Sevim Karaca", "person")}


def test_a_place_after_a_person_is_cut_off(name_stage: NameStage) -> None:
    text = "Bakan Selim Aydoğan Kilis'te incelemelerde bulundu."
    assert spans(name_stage, text) == {("Selim Aydoğan", "person"), ("Kilis", "place")}


def test_a_family_name_found_again_is_the_person(name_stage: NameStage) -> None:
    text = "Bakan Selim Aydoğan konuştu. Aydoğan'ın açıklaması kısa sürdü."
    found = name_stage.spans(text, "tr")
    again = [s for s in found if text[s.start:s.end] == "Aydoğan" and s.start > text.index(".")]
    assert [(s.type, s.whole) for s in again] == [("person", "Selim Aydoğan")]


def test_turkish_fold_keeps_dotted_and_dotless_i() -> None:
    assert "İ".lower() != "i"  # why fold exists
    assert fold("İSTANBUL") == "istanbul"
    assert fold("IĞDIR") == "ığdır"
    assert fold("İçişleri") == "içişleri"
    assert fold("I\u0307zmir") == "izmir"  # a decomposed capital İ


def test_a_title_in_capitals_is_still_a_title(name_stage: NameStage) -> None:
    assert spans(name_stage, "DIŞİŞLERİ BAKANI Selim Aydoğan konuştu.") == {("Selim Aydoğan", "person")}


def test_the_stage_gives_turkish_posts_typed_candidates(name_stage: NameStage) -> None:
    text = ("Dışişleri Bakanı Selim Aydoğan, Kilis'te Anadolu Çiftçiler Derneği temsilcileriyle görüştü. "
            "Toplantıya PKK'nin saldırılarını kınayan Zeytinli Valisi de katıldı.")
    candidates = {(m.surface, e.type) for m, e in name_stage.find(text, [], "tr")
                  if e.id.startswith(f"candidate:{e.type}:") and e.status == "candidate"}
    assert candidates == {("Selim Aydoğan", "person"), ("Kilis", "place"),
                          ("Anadolu Çiftçiler Derneği", "organization"), ("PKK", "organization"),
                          ("Zeytinli", "place")}


def test_run_adds_candidates_to_a_turkish_post(name_stage: NameStage) -> None:
    post = Post(id=1, source=Source(key="telegram:x"), message_id=1, posted_at=datetime(2026, 6, 2, tzinfo=UTC),
                text="İçişleri Bakanlığı Sözcüsü Mert Kalkan, Arhavi ilçesinde incelemelerde bulundu.", lang="tr")
    name_stage.run([post])
    assert {(c.name, c.type) for c in post.candidates} == {
        ("İçişleri Bakanlığı", "organization"), ("Mert Kalkan", "person"), ("Arhavi", "place")}
    assert {m.surface for m in post.mentions} == {"İçişleri Bakanlığı", "Mert Kalkan", "Arhavi"}


@pytest.mark.parametrize(("text", "expected"), [
    ("KİLİS (AA) - Sınır kapısında yoğunluk yaşandı.", {("KİLİS", "place"), ("AA", "organization")}),
    ("ZEYTİNLİ - Sel sularının çekildiği bildirildi.", {("ZEYTİNLİ", "place")}),
    ("PKK - KCK yapılanmasına yönelik soruşturma genişledi.", {("PKK", "organization"), ("KCK", "organization")}),
])
def test_a_datelines_city_in_capitals_is_a_place(text: str, expected: set[tuple[str, str]],
                                                 name_stage: NameStage) -> None:
    assert spans(name_stage, text) == expected


def test_a_decomposed_dotted_capital_stays_inside_its_word(name_stage: NameStage) -> None:
    text = "Bakan Nuri I\u0307nceler I\u0307zmir'de konuştu."  # "İ" written as "I" and a combining dot
    assert spans(name_stage, text) == {("Nuri I\u0307nceler", "person"), ("I\u0307zmir", "place")}


@pytest.mark.parametrize(("text", "linked"), [
    ("Heyet dün Ankara'da bakanlarla görüştü.", {("Ankara", "place:ankara")}),
    ("Heyet Irak’ın kuzeyinde inceleme yaptı.", {("Irak", "place:iraq")}),
    ("İran'dan gelen heyet Hamas'ın temsilcileriyle görüştü.", {("İran", "place:iran"), ("Hamas", "org:hamas")}),
])
def test_a_known_name_with_a_case_suffix_links_and_is_no_candidate(text: str, linked: set[tuple[str, str]],
                                                                   gazetteer: Any, name_stage: NameStage) -> None:
    """"Ankara'da" is Ankara of the knowledge base: linked without its suffix, not a new candidate."""
    from watchfloor.pipeline.entities import EntityStage

    post = Post(id=1, source=Source(key="telegram:tr", lang="tr"), message_id=1,
                posted_at=datetime(2024, 5, 23, tzinfo=UTC), text=text, lang="tr")
    EntityStage(gazetteer.find, gazetteer.entities).run([post])
    assert {(m.surface, m.entity_id) for m in post.mentions} == linked
    name_stage.run([post])
    assert not any(c.name.casefold().startswith(surface.casefold()[:3]) for surface, _ in linked
                   for c in post.candidates), [c.name for c in post.candidates]


def test_an_apostrophe_in_a_name_of_another_language_stays_in_it(gazetteer: Any) -> None:
    from watchfloor.pipeline.entities import without_suffixes

    text = "The Shi'a parties met Sa'id al-Hakim."
    assert without_suffixes(text, "en") == text and without_suffixes(text, None) == text
    assert without_suffixes("Ankara'da ve Irak’ın", "tr") == "Ankara    ve Irak   "


@pytest.mark.parametrize(("name", "slug"), [
    ("Selim Aydoğan", "selim-aydogan"), ("Çelik", "celik"), ("İsmail Işık", "ismail-isik"),
    ("Amadou Keïta", "amadou-keita"), ("Ibrahim Sangaré", "ibrahim-sangare"),
])
def test_a_candidate_id_keeps_the_base_of_a_marked_letter(name: str, slug: str) -> None:
    from watchfloor.pipeline.names import candidate_id

    assert candidate_id(name) == f"candidate:person:{slug}"
