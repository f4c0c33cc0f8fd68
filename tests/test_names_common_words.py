"""A common word ends a person's name (issue 15): ``data/ner_common_words.txt``, words seen often and almost
never as a name in the silver corpora (built by scripts/build_common_words.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from watchfloor.pipeline.recognize import cues

FoundNames = Callable[[str, str], set[tuple[str, str]]]


def test_the_list_holds_common_words_and_no_names() -> None:
    common = cues().common
    assert len(common) > 5_000
    assert {"عقد", "فريق", "اجتماعا"} <= common
    assert not {"بوتين", "محمد", "ترامب"} & common


@pytest.mark.parametrize(("lang", "text", "surface"), [
    # after an origin adjective, a name runs up to the verb or noun after it
    ("ar", "وكان وزير الخارجية العراقي ناجي صبري عقد اجتماعا مع نظيره أمس.", "ناجي صبري"),
    ("ar", "وحل البريطاني جينسون باتون سائق فريق هوندا ثانيا.", "جينسون باتون"),
    ("ar", "وسجل المهاجم الكاميروني صامويل إيتو هدفا في الدقيقة العاشرة.", "صامويل إيتو"),
    # a Persian title before a name and a common word
    ("fa", "سرهنگ کامران یزدانی دستور حمله را صادر کرد .", "کامران یزدانی"),
])
def test_a_common_word_ends_a_name(lang: str, text: str, surface: str, found_names: FoundNames) -> None:
    assert (surface, "person") in found_names(text, lang)


@pytest.mark.parametrize(("lang", "text", "words"), [
    # the tagger's people hold no title and no common subject
    ("ar", "وقالت الطبيبة ليلى حداد إن المستشفى استقبل ثلاثين مصابا.", ("الطبيبة", "ثلاثين", "استقبل")),
    ("ar", "وأعلن الدكتور سامي عبيد أن المركز استقبل عشرين جريحا.", ("الدكتور", "عشرين", "استقبل")),
    ("fa", "معاون اول وزیر در نشست دیروز حضور داشت .", ("اول",)),
])
def test_people_hold_no_title_or_common_subject(lang: str, text: str, words: tuple[str, ...],
                                                found_names: FoundNames) -> None:
    people = [surface for surface, kind in found_names(text, lang) if kind == "person"]
    assert not any(word in surface.split() for surface in people for word in words)
