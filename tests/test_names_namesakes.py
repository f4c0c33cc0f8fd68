"""A known person's family name after another given name is someone else of that family: "Ayşe Demirel" is not
Süleyman Demirel, "Jeb Bush" not George W. Bush, "كلود شيراك" not Jacques Chirac. The name found there becomes a
candidate and the link to the known person is dropped; the family name alone, or the known person's own full
name, still links. The sentences were written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from watchfloor.pipeline.context import keep_mentions
from watchfloor.pipeline.names import NameStage, outside


def _result(text: str, lang: str, gazetteer: Any, name_stage: NameStage) -> tuple[set[str], set[str]]:
    linked = keep_mentions(text, gazetteer.find(text, lang), gazetteer.entities)
    found = name_stage.find(text, linked, lang)
    kept = outside(linked, [m for m, _ in found])
    return {m.surface for m, e in found if e.type == "person"}, {m.entity_id for m in kept}


@pytest.mark.parametrize(("lang", "text", "namesake", "known"), [
    ("tr", "Milletvekili Ayşe Demirel , Meclis Dışişleri Komisyonu toplantısında konuştu .", "Ayşe Demirel",
     "person:suleyman-demirel"),
    ("en", "Jeb Bush told reporters in Miami that he would not run again.", "Jeb Bush", "person:george-w-bush"),
    ("ar", "وقالت كلود شيراك للصحفيين إن والدها بخير.", "كلود شيراك", "person:jacques-chirac"),
    ("en", "Hillary Putin, a teacher from Ohio, won the award.", "Hillary Putin", "person:vladimir-putin"),
    ("ar", "وقال مارك ماكرون إن المعرض افتتح.", "مارك ماكرون", "person:emmanuel-macron"),
    ("ar", "وفاز سامي أردوغان بالسباق.", "سامي أردوغان", "person:recep-tayyip-erdogan"),
    ("fa", "علی پوتین در این مسابقه برنده شد .", "علی پوتین", "person:vladimir-putin"),
])
def test_a_namesake_is_not_the_known_person(lang: str, text: str, namesake: str, known: str, gazetteer: Any,
                                            name_stage: NameStage) -> None:
    if known not in gazetteer.entities:
        pytest.fail(f"{known} is no longer in the knowledge base: the test must change")
    people, linked = _result(text, lang, gazetteer, name_stage)
    assert namesake in people and known not in linked


@pytest.mark.parametrize(("lang", "text", "known"), [
    ("ar", "وقال شيراك في مؤتمر صحفي إن فرنسا ترفض الحرب.", "person:jacques-chirac"),
    ("ar", "وقال الرئيس الفرنسي جاك شيراك إن فرنسا ترفض الحرب.", "person:jacques-chirac"),
    ("ar", "وقال الرئيس بوش إن المحادثات ستستأنف الأسبوع المقبل.", "person:george-w-bush"),
])
def test_the_known_person_still_links(lang: str, text: str, known: str, gazetteer: Any,
                                      name_stage: NameStage) -> None:
    assert known in _result(text, lang, gazetteer, name_stage)[1]
