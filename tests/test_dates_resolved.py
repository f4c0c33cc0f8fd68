"""Dates that resolve against the post's moment in its channel's time zone: numeric forms in any digits,
a day and month without a year, weekdays and relative words; a story's event date and the report's lede."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from watchfloor.models import DateMention, Entity, Post, Source, Story
from watchfloor.pipeline.dates import DateStage, find_dates
from watchfloor.pipeline.when import event_date, local_date
from watchfloor.reports.draft import draft_report

BASE = date(2024, 5, 23)  # a Thursday


@pytest.mark.parametrize(("lang", "text", "surface", "expected"), [
    # numeric forms, Persian and Arabic digits
    ("fa", "نشست در تاریخ ۱۴۰۳/۰۳/۰۲ برگزار شد.", "۱۴۰۳/۰۳/۰۲", "2024-05-22"),
    ("fa", "این دیدار در ۱۴۰۳/۲/۳۱ انجام شد.", "۱۴۰۳/۲/۳۱", "2024-05-20"),
    ("ar", "عقد الاجتماع بتاريخ ٢٢/٥/٢٠٢٤ في بغداد.", "٢٢/٥/٢٠٢٤", "2024-05-22"),
    ("ar", "صدر البيان في 21/05/2024 مساء.", "21/05/2024", "2024-05-21"),
    ("ar", "بتاريخ ١٤٤٥/١١/١٤ هـ", "١٤٤٥/١١/١٤", "2024-05-22"),
    ("en", "The statement is dated 5/26/2024.", "5/26/2024", "2024-05-26"),
    ("en", "Talks began on 5/6/2024.", "5/6/2024", "2024-05-06"),
    ("en", "Filed 2024-05-21 by the ministry.", "2024-05-21", "2024-05-21"),
    # a day and month without a year
    ("ar", "التقى الوفدان الأربعاء ٢٢ مايو في طهران.", "٢٢ مايو", "2024-05-22"),
    ("ar", "وصل الوفد يوم ٢٠ أيار إلى بيروت.", "٢٠ أيار", "2024-05-20"),
    ("en", "On Monday, May 20 the two sides met.", "May 20", "2024-05-20"),
    ("en", "The council met on 21 May in Geneva.", "21 May", "2024-05-21"),
    # relative words and weekdays
    ("ar", "عقد الاجتماع أمس في طهران.", "أمس", "2024-05-22"),
    ("ar", "وصل الوفد صباح اليوم إلى بغداد.", "صباح اليوم", "2024-05-23"),
    ("ar", "عقدت الجلسة يوم الثلاثاء الماضي.", "الثلاثاء", "2024-05-21"),
    ("fa", "این نشست دیروز در تهران برگزار شد.", "دیروز", "2024-05-22"),
    ("fa", "دیشب هیئت به بغداد رسید.", "دیشب", "2024-05-22"),
    ("en", "The delegation arrived last night.", "last night", "2024-05-22"),
    ("en", "Ministers met this morning in Doha.", "this morning", "2024-05-23"),
    ("en", "The talks ended yesterday.", "yesterday", "2024-05-22"),
    ("en", "The two sides met on Wednesday.", "Wednesday", "2024-05-22"),
])
def test_dates_resolve_against_the_post(lang: str, text: str, surface: str, expected: str) -> None:
    found = {(d.surface, d.date) for d in find_dates(text, BASE, lang)}
    assert (surface, expected) in found


def test_a_weekday_before_a_date_is_the_same_date() -> None:
    found = find_dates("التقى الوفدان الأربعاء ٢٢ مايو", BASE, "ar")
    assert [(d.surface, d.date) for d in found] == [("٢٢ مايو", "2024-05-22")]


def test_relative_words_need_the_post_and_numbers_that_are_not_dates_are_left() -> None:
    assert find_dates("عقد الاجتماع أمس", None, "ar") == []
    assert find_dates("Resolution 1267/1999 and 3/4 of members; version 1.2.3", BASE, "en") == []


def test_the_channel_time_zone_decides_the_post_date() -> None:
    # 22:30 UTC on May 22 is already May 23 in Tehran: "yesterday" there is May 22
    late = datetime(2024, 5, 22, 22, 30, tzinfo=UTC)
    post = Post(id=1, source=Source(key="telegram:x", lang="fa"), message_id=1, posted_at=late,
                text="این نشست دیروز برگزار شد.", lang="fa")
    assert local_date(post) == date(2024, 5, 23)
    DateStage().run([post])
    assert [d.date for d in post.dates] == ["2024-05-22"]
    tagged = Post(id=2, source=Source(key="telegram:y", lang="fa", tags=["tz:UTC"]), message_id=2, posted_at=late,
                  text="این نشست دیروز برگزار شد.", lang="fa")
    DateStage().run([tagged])
    assert [d.date for d in tagged.dates] == ["2024-05-21"]


def _post(n: int, source: str, text: str, posted: datetime, dates: list[str]) -> Post:
    post = Post(id=n, source=Source(key=f"telegram:{source}", name=source), message_id=n, posted_at=posted,
                text=text, lang="en")
    post.dates = [DateMention(d, "gregorian", d, i, i + 1) for i, d in enumerate(dates)]
    return post


def test_a_story_takes_the_date_most_of_its_posts_give_and_the_lede_uses_it() -> None:
    posted = datetime(2024, 5, 23, 9, tzinfo=UTC)
    posts = [_post(1, "a", "Officials met in Tehran on May 22.", posted, ["2024-05-22"]),
             _post(2, "b", "The meeting in Tehran took place yesterday.", posted, ["2024-05-22"]),
             _post(3, "c", "Officials met in Tehran; talks resume on May 20.", posted, ["2024-05-20", "2024-05-22"]),
             _post(4, "d", "No date is given here.", posted, [])]
    assert event_date(posts) == date(2024, 5, 22)
    tehran = Entity(id="place:tehran", type="place", name="Tehran")
    for post in posts:
        post.mentions = []
    from watchfloor.models import Mention

    posts[0].mentions = [Mention("place:tehran", "Tehran", 21, 27)]
    story = Story(id=1, title="Officials met in Tehran", first_seen=posted, last_seen=posted, posts=posts)
    draft = draft_report(story, {"place:tehran": tehran})
    assert "places the event in Tehran on May 22." in draft.body.split("\n\n")[0]


def test_no_event_date_when_the_posts_give_none() -> None:
    posted = datetime(2024, 5, 23, 9, tzinfo=UTC)
    posts = [_post(1, "a", "Officials met.", posted, []), _post(2, "b", "A later plan.", posted, ["2024-07-01"])]
    assert event_date(posts) is None
