"""A listed person's alias that is one given name ("Abdul Rahman", "عبد الرحمن", "Abdul Samad") named no one in
particular, yet linked every post that mentions a man of that name to an entry of the UN sanctions list. The parser
(used by the bundled knowledge base's build and by `watchfloor kb import-un`) now keeps such a name only as the
entry's own name. The XML is in the list's shape, with names made up for the test."""

from __future__ import annotations

from typing import Any

import pytest

from watchfloor.kb.un_sanctions import name_words, parse_un_sanctions

LIST = """<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2020-03-20T19:09:21.822-04:00"><INDIVIDUALS>
<INDIVIDUAL><FIRST_NAME>SALEM</FIRST_NAME><SECOND_NAME>HAMAD AL-TESTI</SECOND_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
<REFERENCE_NUMBER>QDi.901</REFERENCE_NUMBER><LISTED_ON>2012-01-01</LISTED_ON>
<NAME_ORIGINAL_SCRIPT>سالم حمد التستي</NAME_ORIGINAL_SCRIPT>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abdul Rahman</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>عبد الرحمن</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abd al-Samad</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Salim</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abdul Rahman al-Testi</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>أبو حمد التستي</ALIAS_NAME></INDIVIDUAL_ALIAS>
</INDIVIDUAL>
<INDIVIDUAL><FIRST_NAME>ABDUL</FIRST_NAME><SECOND_NAME>QADIR</SECOND_NAME><UN_LIST_TYPE>Taliban</UN_LIST_TYPE>
<REFERENCE_NUMBER>TAi.902</REFERENCE_NUMBER><LISTED_ON>2001-01-01</LISTED_ON>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abdul Qadir Testwal</ALIAS_NAME></INDIVIDUAL_ALIAS>
</INDIVIDUAL></INDIVIDUALS>
<ENTITIES><ENTITY><FIRST_NAME>AL-TEST FOUNDATION</FIRST_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
<REFERENCE_NUMBER>QDe.903</REFERENCE_NUMBER><LISTED_ON>2012-01-01</LISTED_ON>
<ENTITY_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Al-Waqf</ALIAS_NAME></ENTITY_ALIAS>
</ENTITY></ENTITIES></CONSOLIDATED_LIST>"""


@pytest.mark.parametrize(("name", "words"), [
    ("عبد الرحمن", 1), ("Abdul Rahman", 1), ("Abd al-Samad", 1), ("Abdur Rehman", 1), ("عبدالله", 1),
    ("Abdul Rahman al-Testi", 2), ("أبو حمد التستي", 3), ("سالم حمد", 2),
])
def test_a_compound_given_name_counts_as_one_word(name: str, words: int) -> None:
    assert name_words(name) == words


def test_a_listed_persons_bare_given_names_are_no_aliases() -> None:
    person, short, body = parse_un_sanctions(LIST.encode())
    assert [a.text for a in person.aliases] == ["Salem Hamad al-Testi", "سالم حمد التستي", "Abdul Rahman al-Testi",
                                                "أبو حمد التستي"]
    # the entry's own name stays, however short; an organisation's aliases are not touched
    assert short.name == "Abdul Qadir" and "Abdul Qadir Testwal" in {a.text for a in short.aliases}
    assert "Al-Waqf" in {a.text for a in body.aliases}


@pytest.mark.parametrize(("lang", "text"), [
    ("ar", "وأوضح عبد الرحمن الشمراني عضو اللجنة أن التقرير صدر."),
    ("ar", "وقال عبد الرحمن للصحفيين إن الاجتماع انتهى."),
    ("en", "Abdul Rahman told reporters the meeting had ended."),
    ("en", "Abdul Samad, a shopkeeper in the town, said the market reopened."),
    ("en", "The council's chairman, Abdul Qadir, opened the session."),
    ("en", "Abdul Manan and Abdul Baqi were elected to the board."),
    ("en", "Abdul Salam spoke at the ceremony, as did Abdul Basir."),
])
def test_a_bare_given_name_links_no_listed_person(lang: str, text: str, gazetteer: Any) -> None:
    linked = {m.entity_id for m in gazetteer.find(text, lang)}
    assert not any(ident.startswith("person:un-") for ident in linked), linked
