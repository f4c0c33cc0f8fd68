"""The bundled knowledge base: loads, unique ids, references resolve, every entry written in Arabic script."""

from __future__ import annotations

from collections import Counter

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.loader import load_entities
from watchfloor.kb.normalize import has_arabic


def test_bundled_entries_are_well_formed() -> None:
    entities = load_entities()
    ids = {e.id for e in entities}
    counts = Counter(e.type for e in entities)
    assert counts["organization"] >= 150 and counts["person"] >= 400 and counts["place"] >= 300
    curated_groups = [e for e in entities if e.type == "organization" and not e.id.startswith("org:un-")]
    assert sum(1 for e in curated_groups if e.attrs.get("movement")) >= 90
    for entity in entities:
        assert entity.id.split(":")[0] in {"org", "person", "place", "outlet"}
        assert entity.related_ids() <= ids, f"{entity.id} points at a missing entry"
        if not entity.id.startswith("outlet:sample-"):
            assert any(has_arabic(a.text) for a in entity.aliases), f"{entity.id} has no Arabic-script alias"
            assert entity.attrs.get("sources"), f"{entity.id} cites no source"


def test_spellings_in_every_script_resolve_to_one_entry() -> None:
    gazetteer = Gazetteer(load_entities())
    for name, expected in [("Hizbullah", "org:hezbollah"), ("حزب‌الله", "org:hezbollah"),
                           ("Ghaani", "person:esmail-qaani"), ("قاآنی", "person:esmail-qaani"),
                           ("اسماعيل قاآني", "person:esmail-qaani"), ("Umm al-Rashrash", "place:eilat"),
                           ("أم الرشراش", "place:eilat"), ("الضاحية الجنوبية", "place:dahiyeh"),
                           ("Sepah", "org:irgc"), ("سپاه پاسداران", "org:irgc"), ("Qods Force", "org:quds-force")]:
        assert gazetteer.resolve(name)[0][0].id == expected, name


def test_longest_alias_wins_and_proclitics_come_off() -> None:
    gazetteer = Gazetteer(load_entities())
    found = gazetteer.find("قال قائد فيلق القدس في الحرس الثوري الإيراني ولحزب الله بيان")
    assert [m.entity_id for m in found] == ["org:quds-force", "org:irgc", "org:hezbollah"]
    assert [m.surface for m in found] == ["فيلق القدس", "الحرس الثوري الإيراني", "ولحزب الله"]
    assert gazetteer.find("The homes in the city") == []  # no acronym or folded key catches plain words


def test_running_text_links_names_with_articles_and_leaves_plain_words_alone() -> None:
    gazetteer = Gazetteer(load_entities())
    text = ("Hadi al-Amiri met Khalil al-Hayya near Bab al-Mandab on Monday; it is what we say, let us see "
            "the week. The UN and the UAE said so. في مدينة كبيرة والمسيّرة")
    found = [(m.entity_id, m.surface) for m in gazetteer.find(text)]
    assert found == [("person:hadi-al-amiri", "Hadi al-Amiri"), ("person:khalil-al-hayya", "Khalil al-Hayya"),
                     ("place:bab-al-mandab", "Bab al-Mandab"), ("org:united-nations", "UN"),
                     ("place:united-arab-emirates", "UAE")]
