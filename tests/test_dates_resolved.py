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


# every language Watchfloor translates from, and the forms news uses beyond the first table: counted days,
# next and last weekdays, ordinal days, relative words in Turkish, French, Pashto and Urdu (post on Thursday
# 2024-05-23)
@pytest.mark.parametrize(("lang", "text", "surface", "expected"), [
    ("en", "The talks took place two days ago in Geneva.", "two days ago", "2024-05-21"),
    ("en", "The ministers met 3 days ago.", "3 days ago", "2024-05-20"),
    ("en", "The envoy left a week ago.", "a week ago", "2024-05-16"),
    ("en", "The delegation arrived last Tuesday.", "Tuesday", "2024-05-21"),
    ("en", "The vote is due next Monday.", "Monday", "2024-05-27"),
    ("en", "The meeting was held on 21st May.", "21st May", "2024-05-21"),
    ("en", "The meeting was held on May 21st, 2024.", "May 21st, 2024", "2024-05-21"),
    ("en", "The ceasefire began on the 1st of May.", "1st of May", "2024-05-01"),
    ("ar", "عقد الاجتماع قبل يومين في بغداد.", "قبل يومين", "2024-05-21"),
    ("ar", "وصل الوفد قبل ثلاثة أيام.", "قبل ثلاثة أيام", "2024-05-20"),
    ("ar", "بدأت المحادثات منذ ٤ أيام.", "منذ ٤ أيام", "2024-05-19"),
    ("ar", "غادر المبعوث قبل أسبوع.", "قبل أسبوع", "2024-05-16"),
    ("ar", "سيعقد الاجتماع الاثنين المقبل.", "الاثنين", "2024-05-27"),
    ("ar", "سيعقد الاجتماع يوم الأحد القادم.", "الأحد", "2024-05-26"),
    ("fa", "این نشست دو روز پیش برگزار شد.", "دو روز پیش", "2024-05-21"),
    ("fa", "این دیدار ۳ روز قبل انجام شد.", "۳ روز قبل", "2024-05-20"),
    ("fa", "نشست دوشنبه آینده برگزار می‌شود.", "دوشنبه", "2024-05-27"),
    ("fa", "نشست سه‌شنبه گذشته برگزار شد.", "سه‌شنبه", "2024-05-21"),
    ("fa", "این نشست روز گذشته برگزار شد.", "روز گذشته", "2024-05-22"),
    ("ur", "اجلاس دو دن پہلے منعقد ہوا۔", "دو دن پہلے", "2024-05-21"),
    ("ur", "اجلاس 21 مئی کو منعقد ہوا۔", "21 مئی", "2024-05-21"),
    ("ur", "اجلاس گزشتہ شب منعقد ہوا۔", "گزشتہ شب", "2024-05-22"),
    ("ur", "اجلاس گزشتہ منگل کو منعقد ہوا۔", "منگل", "2024-05-21"),
    ("ps", "غونډه پرون جوړه شوه.", "پرون", "2024-05-22"),
    ("ps", "غونډه نن جوړه شوه.", "نن", "2024-05-23"),
    ("ps", "غونډه دوه ورځې وړاندې جوړه شوه.", "دوه ورځې وړاندې", "2024-05-21"),
    ("ps", "غونډه د سه شنبې په ورځ جوړه شوه.", "سه شنبې", "2024-05-21"),
    ("tr", "Toplantı dün Ankara'da yapıldı.", "dün", "2024-05-22"),
    ("tr", "Toplantı dün akşam yapıldı.", "dün akşam", "2024-05-22"),
    ("tr", "Toplantı iki gün önce yapıldı.", "iki gün önce", "2024-05-21"),
    ("tr", "Toplantı on gün önce yapıldı.", "on gün önce", "2024-05-13"),
    ("tr", "Toplantı Salı günü yapıldı.", "Salı", "2024-05-21"),
    ("tr", "Toplantı gelecek pazartesi yapılacak.", "pazartesi", "2024-05-27"),
    ("tr", "Toplantı 21 Mayıs'ta yapıldı.", "21 Mayıs", "2024-05-21"),
    ("fr", "La réunion s'est tenue hier à Paris.", "hier", "2024-05-22"),
    ("fr", "La réunion s'est tenue avant-hier.", "avant-hier", "2024-05-21"),
    ("fr", "La réunion s'est tenue mardi dernier.", "mardi", "2024-05-21"),
    ("fr", "La réunion aura lieu lundi prochain.", "lundi", "2024-05-27"),
    ("fr", "La réunion s'est tenue il y a deux jours.", "il y a deux jours", "2024-05-21"),
    ("fr", "La réunion s'est tenue le 1er mai.", "1er mai", "2024-05-01"),
    ("fr", "La réunion s'est tenue aujourd'hui.", "aujourd'hui", "2024-05-23"),
])
def test_more_languages_and_forms_resolve_against_the_post(lang: str, text: str, surface: str, expected: str) -> None:
    found = {(d.surface, d.date) for d in find_dates(text, BASE, lang)}
    assert (surface, expected) in found


@pytest.mark.parametrize(("text", "expected"), [
    ("The council met on Thursday.", "2024-05-23"),  # a weekday alone: the latest on or before the post
    ("The council met last Thursday.", "2024-05-16"),  # last: before the post's own day
    ("The council meets next Thursday.", "2024-05-30"),  # next: after it
    ("The council met on Friday.", "2024-05-17"),
    ("The council meets this coming Friday.", "2024-05-24"),
])
def test_next_and_last_move_a_weekday_relative_to_the_post(text: str, expected: str) -> None:
    assert [d.date for d in find_dates(text, BASE, "en")] == [expected]


@pytest.mark.parametrize(("lang", "text"), [
    ("ar", "أجريت الانتخابات قبل يومين من موعدها."),  # two days before another event, not before the post
    ("fa", "انتخابات دو روز قبل از موعد برگزار شد."),
    ("ur", "کل تعداد 25 بتائی گئی۔"),  # "کل" is a total here
    ("tr", "Pazar yerinde bir toplantı yapıldı."),  # a market place, not Sunday
    ("en", "A decade ago the ministry was founded; eighty days ago is too far to tell."),
    ("ar", "قال المتحدث إن الوفد وصل قبل أيام."),  # some days ago: no one day
])
def test_forms_that_name_no_day_of_their_own_give_no_date(lang: str, text: str) -> None:
    assert find_dates(text, BASE, lang) == []


@pytest.mark.parametrize(("lang", "text", "surface", "expected"), [
    # a day of the month written as an ordinal word, with or without a year
    ("fa", "این نشست دوم خرداد برگزار شد.", "دوم خرداد", "2024-05-22"),
    ("fa", "راهپیمایی بیست و دوم بهمن ۱۴۰۲ برگزار شد.", "بیست و دوم بهمن ۱۴۰۲", "2024-02-11"),
    ("fa", "این نشست سی و یکم اردیبهشت برگزار شد.", "سی و یکم اردیبهشت", "2024-05-20"),
    ("ar", "عقد الاجتماع في الثاني والعشرين من مايو.", "الثاني والعشرين من مايو", "2024-05-22"),
    ("ar", "عقد الاجتماع في الخامس عشر من أيار ٢٠٢٤.", "الخامس عشر من أيار ٢٠٢٤", "2024-05-15"),
    ("ar", "بدأ الصيام في الأول من رمضان.", "الأول من رمضان", "2024-03-11"),
    # a day with "من" between it and its month
    ("ar", "وصل الوفد في ١٨ من مايو.", "١٨ من مايو", "2024-05-18"),
    # a day of the post's month, or the month before
    ("ar", "عقد الاجتماع يوم 22 من الشهر الجاري.", "22 من الشهر الجاري", "2024-05-22"),
    ("ar", "عقد الاجتماع في العاشر من الشهر الماضي.", "العاشر من الشهر الماضي", "2024-04-10"),
    ("fa", "این نشست ۱۵ ماه جاری برگزار شد.", "۱۵ ماه جاری", "2024-05-15"),
    ("en", "The council met on the 9th of this month.", "the 9th of this month", "2024-05-09"),
])
def test_days_written_as_words_or_of_the_posts_month(lang: str, text: str, surface: str, expected: str) -> None:
    found = {(d.surface, d.date) for d in find_dates(text, BASE, lang)}
    assert (surface, expected) in found


def test_an_ordinal_day_with_a_year_needs_no_post_date() -> None:
    assert [(d.surface, d.date) for d in find_dates("راهپیمایی بیست و دوم بهمن ۱۴۰۲ برگزار شد.", None, "fa")] == [
        ("بیست و دوم بهمن ۱۴۰۲", "2024-02-11")]
    assert find_dates("این نشست دوم خرداد برگزار شد.", None, "fa") == []  # no year, no post: no date
