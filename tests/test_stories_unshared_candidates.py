"""A name the knowledge base does not know (a candidate) that only one of two posts names: in the same language,
where the other post's text does not hold it as written, it counts against the match, since the two posts
then tell of different people; across languages, or where the other post's text holds it but the recogniser
missed it there, it does not (the other may name it in a spelling not recognised)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from watchfloor.models import Mention, Post, Source
from watchfloor.pipeline.stories import StoryParams, pair_score

T0 = datetime(2024, 3, 4, 9, tzinfo=UTC)
TYPES = {"org:army": "organization", "org:ministry": "organization", "person:minister": "person",
         "candidate:person:one": "person", "candidate:person:two": "person", "candidate:organization:three":
         "organization"}


def _post(n: int, text: str, lang: str, names: list[tuple[str, str]], source: str) -> Post:
    vector = np.zeros(4, dtype=np.float32)
    vector[0] = 1.0
    return Post(id=n, source=Source(key=f"telegram:{source}", name=source), message_id=n,
                posted_at=T0 + timedelta(minutes=20 * n), text=text, lang=lang, embedding=vector,
                mentions=[Mention(i, surface, max(text.find(surface), 0), max(text.find(surface), 0) + len(surface))
                          for i, surface in names])


# (language, first post, its names, second post, its names): the second never names the first's candidate
SAME_LANGUAGE = [
    ("en", "The army said Captain Jonas Ferrel was wounded in the clash.",
     [("org:army", "army"), ("candidate:person:one", "Jonas Ferrel")],
     "The army said two soldiers were wounded in a clash in the north.", [("org:army", "army")]),
    ("ar", "أعلن الجيش أن النقيب سامر الخطيب أصيب في الاشتباك.",
     [("org:army", "الجيش"), ("candidate:person:one", "سامر الخطيب")],
     "أعلن الجيش إصابة جنديين في اشتباك في الشمال.", [("org:army", "الجيش")]),
    ("fa", "وزارت خارجه اعلام کرد که بهرام نوروزی با هیئت دیدار کرد.",
     [("org:ministry", "وزارت خارجه"), ("candidate:person:two", "بهرام نوروزی")],
     "وزارت خارجه اعلام کرد که وزیر با هیئت دیدار کرد.",
     [("org:ministry", "وزارت خارجه"), ("person:minister", "وزیر")]),
    ("en", "The minister told the ministry that the Coastal Relief Committee delivered aid on Monday.",
     [("person:minister", "minister"), ("org:ministry", "ministry"),
      ("candidate:organization:three", "Coastal Relief Committee")],
     "The minister told the ministry that aid was delivered on Monday.",
     [("person:minister", "minister"), ("org:ministry", "ministry")]),
]


@pytest.mark.parametrize(("lang", "first", "first_names", "second", "second_names"), SAME_LANGUAGE)
def test_a_candidate_one_post_names_counts_against_in_the_same_language(
        lang: str, first: str, first_names: list[tuple[str, str]], second: str,
        second_names: list[tuple[str, str]]) -> None:
    a = _post(1, first, lang, first_names, "one")
    b = _post(2, second, lang, second_names, "two")
    without = _post(1, first, lang, [n for n in first_names if not n[0].startswith("candidate:")], "one")
    assert pair_score(a, b, TYPES, StoryParams()) < pair_score(without, b, TYPES, StoryParams())
    # the same pair with the other post in another language: the candidate says nothing against the match
    other = _post(2, second, "xx", second_names, "two")
    assert pair_score(a, other, TYPES, StoryParams()) == pytest.approx(pair_score(without, other, TYPES, StoryParams()))


@pytest.mark.parametrize(("lang", "first", "first_names", "second", "second_names"), SAME_LANGUAGE)
def test_a_candidate_the_recogniser_missed_in_the_other_post_does_not_count_against(
        lang: str, first: str, first_names: list[tuple[str, str]], second: str,
        second_names: list[tuple[str, str]]) -> None:
    surface = next(s for i, s in first_names if i.startswith("candidate:"))
    a = _post(1, first, lang, first_names, "one")
    b = _post(2, f"{second} {surface}", lang, second_names, "two")  # holds the name, not recognised there
    without = _post(1, first, lang, [n for n in first_names if not n[0].startswith("candidate:")], "one")
    assert pair_score(a, b, TYPES, StoryParams()) == pytest.approx(pair_score(without, b, TYPES, StoryParams()))


@pytest.mark.parametrize(("lang", "first", "first_names", "second", "second_names"), SAME_LANGUAGE)
def test_a_candidate_both_posts_name_counts_for(
        lang: str, first: str, first_names: list[tuple[str, str]], second: str,
        second_names: list[tuple[str, str]]) -> None:
    candidate = next(n for n in first_names if n[0].startswith("candidate:"))
    a = _post(1, first, lang, first_names, "one")
    b = _post(2, f"{second} {candidate[1]}", lang, [*second_names, candidate], "two")
    apart = _post(2, second, lang, second_names, "two")
    assert pair_score(a, b, TYPES, StoryParams()) > pair_score(a, apart, TYPES, StoryParams())


@pytest.mark.parametrize(("lang", "first", "first_names", "second", "second_names"), SAME_LANGUAGE)
def test_a_candidate_found_only_in_the_translation_does_not_count_against(
        lang: str, first: str, first_names: list[tuple[str, str]], second: str,
        second_names: list[tuple[str, str]]) -> None:
    """A name the names stage found in a post's machine translation has no span in the post (start -1)."""
    a = _post(1, first, lang, first_names, "one")
    a.mentions = [Mention(m.entity_id, m.surface, -1, -1) if m.entity_id.startswith("candidate:") else m
                  for m in a.mentions]
    b = _post(2, second, lang, second_names, "two")
    without = _post(1, first, lang, [n for n in first_names if not n[0].startswith("candidate:")], "one")
    assert pair_score(a, b, TYPES, StoryParams()) == pytest.approx(pair_score(without, b, TYPES, StoryParams()))
