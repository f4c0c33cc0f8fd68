"""A name the names stage found with a signal, found again where it recurs without one (issue 15): a
person's family name alone later in the same post (with a clitic or the article), an organisation's name
repeated, and names remembered from earlier posts (``pipeline/recurrence.py``); a family name that is a
common word or a title never stands alone. The sentences are invented, in the style of wire copy."""

from __future__ import annotations

from typing import Any

import pytest

from watchfloor.kb.normalize import normalize
from watchfloor.pipeline.entities import EntityStage
from watchfloor.pipeline.recognize import Span, words_of
from watchfloor.pipeline.recurrence import keys_of, name_memory, recurring

Found = set[tuple[str, str, int]]


def found(stage: Any, gazetteer: Any, text: str, lang: str) -> Found:
    """(surface, type, start) of every candidate the stage finds beside what the gazetteer links."""
    linked = EntityStage(gazetteer.find, gazetteer.entities).find(text)
    return {(m.surface, e.type, m.start) for m, e in stage.find(text, linked, lang)}


FULL_AR = "قال وزير الخارجية كارل فيبر إن المحادثات ستستمر. "
HOST_AR = "التقى رئيس الوزراء هانس بيرغر نظيره في العاصمة. "
MINISTER_AR = "قال وزير الزراعة سمير الحلواني إن الموسم جيد. "


@pytest.mark.parametrize(("lang", "text", "surface"), [
    # the family name alone after the full name, bare or with a clitic (و, ل) or the article
    ("ar", FULL_AR + "وكانت زيارة فيبر الأولى إلى المنطقة منذ عامين.", "فيبر"),
    ("ar", HOST_AR + "ووصل الوزراء وبيرغر إلى القاعة معا.", "وبيرغر"),
    ("ar", HOST_AR + "وقدم الوفد الشكر لبيرغر على استضافة الاجتماع.", "لبيرغر"),
    ("ar", MINISTER_AR + "وأكد مكتب الحلواني أن المحصول سيصل.", "الحلواني"),
    ("ar", MINISTER_AR + "ونقلت الصحف عن مساعد للحلواني أن المحصول سيصل.", "للحلواني"),
    # Persian writes the clitics apart: the family name alone after a title and a full name
    ("fa", "وزیر خارجه هانس برگر امروز با همتای خود دیدار کرد . سفر برگر دو روز طول کشید .", "برگر"),
    ("fa", "مهدی رستگاری سخنگوی وزارت بهداشت گفت که واکسن رسیده است . به گفته رستگاری توزیع از هفته آینده "
           "آغاز می‌شود .", "رستگاری"),
])
def test_a_family_name_alone_after_the_full_name_is_the_person(lang: str, text: str, surface: str,
                                                              name_stage: Any, gazetteer: Any) -> None:
    later = text.rindex(surface)
    assert (surface, "person", later) in found(name_stage, gazetteer, text, lang)


def test_the_family_name_alone_in_another_text_is_not_found_without_a_memory(name_stage: Any,
                                                                          gazetteer: Any) -> None:
    # the same words without the sentence that named him: no signal, no span (the rule is what finds it)
    assert not found(name_stage, gazetteer, "وكانت زيارة فيبر الأولى إلى المنطقة منذ عامين.", "ar")


def test_an_organisation_named_again_without_its_signal_is_found(name_stage: Any, gazetteer: Any) -> None:
    # "the spokesman for" found it first; the second time nothing announces it
    text = ("قال المتحدث باسم الرابطة الوطنية للمزارعين إن الموسم جيد. "
            "وطالبت الرابطة الوطنية للمزارعين بدعم إضافي.")
    spans = found(name_stage, gazetteer, text, "ar")
    name = "الرابطة الوطنية للمزارعين"
    assert {(name, "organization", text.index(name)), (name, "organization", text.rindex(name))} <= spans


def test_a_family_name_that_is_a_common_word_does_not_stand_alone() -> None:
    # "جديد" (new) ends a person's name here, but later it is an adjective
    text = "قال الوزير كمال جديد إن الخطة جاهزة. وأعلنت الوزارة عن برنامج جديد للري."
    tokens = words_of(text)
    person = Span("person", text.index("كمال"), text.index("كمال") + len("كمال جديد"), "title")
    assert recurring(text, tokens, [person], {}, "ar") == []
    assert keys_of("كمال جديد", "person") == {normalize("كمال جديد"): "person"}
    # the same shape with a family name that is no common word does recur: the test can fail
    other = text.replace("جديد", "فيبر")
    span = Span("person", person.start, person.end, "title")
    assert [other[s.start:s.end] for s in recurring(other, words_of(other), [span], {}, "ar")] == ["فيبر"]


def test_a_title_or_a_particle_is_no_family_name() -> None:
    assert keys_of("حسن الرئيس", "person") == {normalize("حسن الرئيس"): "person"}
    assert keys_of("عبد الله", "person") == {normalize("عبد الله"): "person"}
    assert keys_of("رضا نظام", "person") == {normalize("رضا نظام"): "person"}  # "نظام" is a system
    assert keys_of("هانس بيرغر", "person") == {normalize("هانس بيرغر"): "person", normalize("بيرغر"): "person"}


# ---- across posts: the memory of names found before ------------------------------------------------------

def rows(*posts: tuple[int, int, str, str]) -> list[tuple[str, str, int, int]]:
    """(surface, type, post, source) rows as the store gives them, from (post, source, surface, type)."""
    return [(surface, kind, post, source) for post, source, surface, kind in posts]


def test_the_memory_keeps_names_seen_in_enough_posts_of_one_type() -> None:
    once = name_memory(rows((1, 1, "كارل فيبر", "person")))
    assert once == {}
    twice = name_memory(rows((1, 1, "كارل فيبر", "person"), (2, 1, "كارل فيبر", "person")))
    assert twice == {normalize("كارل فيبر"): ("person", ""), normalize("فيبر"): ("person", "كارل فيبر")}
    # two posts of one source are not enough when two sources are asked for
    assert name_memory(rows((1, 1, "كارل فيبر", "person"), (2, 1, "كارل فيبر", "person")), min_sources=2) == {}
    # the same words as a person and as an organisation: not remembered
    mixed = name_memory(rows((1, 1, "بيرغر", "person"), (2, 1, "بيرغر", "organization"),
                             (3, 1, "بيرغر", "person")))
    assert normalize("بيرغر") not in mixed
    # a family name that is a common word is not remembered by itself
    common = name_memory(rows((1, 1, "كمال جديد", "person"), (2, 2, "كمال جديد", "person")))
    assert common == {normalize("كمال جديد"): ("person", "")}


LATER_AR = "وكانت زيارة فيبر الأولى إلى المنطقة منذ عامين."
LATER_FA = "سفر برگر به منطقه دو روز طول کشید ."


@pytest.mark.parametrize(("lang", "earlier", "later", "surface"), [
    ("ar", "كارل فيبر", LATER_AR, "فيبر"),
    ("ar", "كارل فيبر", "وقدم الوفد الشكر لفيبر على استضافة الاجتماع.", "لفيبر"),
    ("fa", "هانس برگر", LATER_FA, "برگر"),
])
def test_a_name_remembered_from_earlier_posts_is_found_alone(lang: str, earlier: str, later: str, surface: str,
                                                            name_stage: Any, gazetteer: Any) -> None:
    memory = name_memory(rows((1, 1, earlier, "person"), (2, 2, earlier, "person")))
    assert (surface, "person", later.index(surface)) in found(name_stage.with_memory(memory), gazetteer, later, lang)
    assert not found(name_stage, gazetteer, later, lang)  # the stage without the memory finds nothing there


def test_a_remembered_name_is_a_weaker_mention_than_one_found_with_a_signal(name_stage: Any,
                                                                           gazetteer: Any) -> None:
    memory = name_memory(rows((1, 1, "كارل فيبر", "person"), (2, 2, "كارل فيبر", "person")))
    linked = EntityStage(gazetteer.find, gazetteer.entities).find(LATER_AR)
    (mention, entity), = name_stage.with_memory(memory).find(LATER_AR, linked, "ar")
    assert mention.score < 0.5 and entity.status == "candidate" and "memory" in entity.attrs["sources"][0]


def test_a_family_name_from_memory_is_the_whole_name_s_candidate(name_stage: Any, gazetteer: Any) -> None:
    earlier = "التقى وزير الخارجية كارل فيبر نظيره في بغداد."
    linked = EntityStage(gazetteer.find, gazetteer.entities).find(earlier)
    (_, first), = [(m, e) for m, e in name_stage.find(earlier, linked, "ar") if e.type == "person"]
    memory = name_memory(rows((1, 1, "كارل فيبر", "person"), (2, 2, "كارل فيبر", "person")))
    linked = EntityStage(gazetteer.find, gazetteer.entities).find(LATER_AR)
    (mention, entity), = name_stage.with_memory(memory).find(LATER_AR, linked, "ar")
    assert mention.surface == "فيبر" and mention.score < 0.5
    assert entity.id == first.id  # one candidate for review, not one for "فيبر" beside one for "كارل فيبر"


def test_a_family_name_two_remembered_people_share_stands_for_neither(name_stage: Any, gazetteer: Any) -> None:
    memory = name_memory(rows((1, 1, "كارل فيبر", "person"), (2, 2, "كارل فيبر", "person"),
                              (3, 1, "هانس فيبر", "person"), (4, 2, "هانس فيبر", "person")))
    assert memory[normalize("فيبر")] == ("person", "")
    linked = EntityStage(gazetteer.find, gazetteer.entities).find(LATER_AR)
    (mention, entity), = name_stage.with_memory(memory).find(LATER_AR, linked, "ar")
    assert mention.surface == "فيبر" and entity.aliases[0].text == "فيبر"


def test_a_memory_leaves_a_post_unchanged_where_the_word_is_a_common_word(name_stage: Any, gazetteer: Any) -> None:
    text = "وأعلنت الوزارة عن برنامج جديد للري في المحافظة."
    # even a memory that holds the common word (the store never gives one) does not make it a name
    remembering = name_stage.with_memory({normalize("جديد"): ("person", ""), normalize("كمال جديد"): ("person", "")})
    assert found(remembering, gazetteer, text, "ar") == found(name_stage, gazetteer, text, "ar")


def test_a_stage_with_a_memory_is_a_copy(name_stage: Any) -> None:
    remembering = name_stage.with_memory({normalize("فيبر"): ("person", "")})
    assert remembering is not name_stage and remembering.model is name_stage.model
    assert name_stage.memory == {} and remembering.memory == {normalize("فيبر"): ("person", "")}


@pytest.mark.parametrize(("lang", "text", "whole", "bare"), [
    ("ar", FULL_AR + "وكانت زيارة فيبر الأولى إلى المنطقة منذ عامين.", "كارل فيبر", "فيبر"),
    ("ar", MINISTER_AR + "وأكد مكتب الحلواني أن المحصول سيصل.", "سمير الحلواني", "الحلواني"),
    ("fa", "وزیر خارجه هانس برگر امروز با همتای خود دیدار کرد . سفر برگر دو روز طول کشید .", "هانس برگر", "برگر"),
])
def test_a_family_name_found_again_is_the_same_candidate_as_the_whole_name(lang: str, text: str, whole: str,
                                                                           bare: str, name_stage: Any) -> None:
    """"Weber" after "Karl Weber" is Karl Weber: one candidate for review, both mentions on it, the bare
    mention keeping its own words."""
    from datetime import UTC, datetime

    from watchfloor.models import Post, Source

    post = Post(id=1, source=Source(key="telegram:desk", lang=lang), message_id=1,
                posted_at=datetime(2024, 5, 23, tzinfo=UTC), text=text, lang=lang)
    post.mentions = []
    name_stage.run([post])
    people = [m for m in post.mentions if m.surface in (whole, bare)]
    assert sorted(m.surface for m in people) == sorted([whole, bare])
    assert len({m.entity_id for m in people}) == 1
    [candidate] = [c for c in post.candidates if c.id == people[0].entity_id]
    assert any(a.text == whole for a in candidate.aliases)
    assert len([c for c in post.candidates if c.id == candidate.id]) == 1


@pytest.mark.parametrize(("text", "word"), [
    # the article added to a family name that is no name of origin makes another word
    ("وقال المغني يوسف اسلام إنه سعيد. وكان قد اعتنق الاسلام قبل سنوات.", "الاسلام"),
    ("وقال الوزير كمال نصر إن الوفد وصل. وتحدث عن النصر في المعركة الأخيرة.", "النصر"),
    ("قال وزير الخارجية سامي أمل إن المحادثات ستستمر. وعبر عن الأمل في التوصل إلى اتفاق.", "الأمل"),
])
def test_a_family_name_with_the_article_added_is_another_word(text: str, word: str, name_stage: Any,
                                                              gazetteer: Any) -> None:
    assert word not in {surface for surface, _, _ in found(name_stage, gazetteer, text, "ar")}


@pytest.mark.parametrize(("text", "surface"), [
    # a family name of origin takes the article or leaves it
    ("وقال مسعود بارزاني إن الإقليم مستعد. وأضاف البارزاني أن المحادثات مستمرة.", "البارزاني"),
    ("قال وزير الزراعة سمير حلواني إن الموسم جيد. وأكد مكتب الحلواني أن المحصول سيصل.", "الحلواني"),
])
def test_a_family_name_of_origin_recurs_with_the_article(text: str, surface: str, name_stage: Any,
                                                         gazetteer: Any) -> None:
    assert surface in {s for s, kind, _ in found(name_stage, gazetteer, text, "ar") if kind == "person"}
