"""The dates stage: dates written in a post, in the Gregorian, Hijri and Solar Hijri calendars, and (with
the post's date) numeric, year-less, weekday and relative dates (``pipeline/when.py``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import cache

from watchfloor.models import DateMention, Post
from watchfloor.pipeline.when import OF, ORDINAL, local_date, month_tables, resolve_dates, to_gregorian

__all__ = ["find_dates", "DateStage"]

_DIGITS = str.maketrans({**{chr(0x0660 + d): str(d) for d in range(10)},
                         **{chr(0x06F0 + d): str(d) for d in range(10)}})
_NUM = "[0-9\u0660-\u0669\u06f0-\u06f9]"


@cache
def _patterns() -> list[tuple[str, re.Pattern[str], dict[str, int], bool]]:
    tables = month_tables()
    built = []
    for calendar, months in tables.items():
        names = "|".join(re.escape(n) for n in sorted(months, key=len, reverse=True))
        # "23 May 2024", "23 أيار/مايو 2024", "15 ذو القعدة 1445هـ", "the 1st of June 2024"
        day_first = re.compile(rf"(?<![\w])({_NUM}{{1,2}}){ORDINAL}{OF}\s+((?:{names})(?:\s*/\s*(?:{names}))?)"
                               rf"\s*,?\s+({_NUM}{{4}})", re.IGNORECASE)
        built.append((calendar, day_first, {k.casefold(): v for k, v in months.items()}, True))
        if calendar == "gregorian":
            # "May 23, 2024", "May 23rd, 2024"
            month_first = re.compile(rf"(?<![\w])({names})\s+({_NUM}{{1,2}}){ORDINAL},?\s+({_NUM}{{4}})", re.IGNORECASE)
            built.append((calendar, month_first, {k.casefold(): v for k, v in months.items()}, False))
    return built


def find_dates(text: str, base: date | None = None, lang: str | None = None) -> list[DateMention]:
    """Every date written in the text, with its calendar and Gregorian equivalent, in text order;
    ``base`` (the post's date in its channel's time zone) resolves the forms that need it."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(calendar: str, start: int, end: int, year: int, month: int, day: int) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        converted = to_gregorian(calendar, year, month, day)
        if converted is not None:
            resolved(calendar, start, end, converted)

    def resolved(calendar: str, start: int, end: int, converted: date) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(DateMention(text[start:end], calendar, converted.isoformat(), start, end))

    for calendar, pattern, months, day_first in _patterns():
        for match in pattern.finditer(text):
            if day_first:
                day, month_name, year = match.group(1), match.group(2), match.group(3)
            else:
                month_name, day, year = match.group(1), match.group(2), match.group(3)
            month = months.get(re.split(r"\s*/\s*", month_name)[-1].casefold())
            if month is None:
                month = months.get(re.split(r"\s*/\s*", month_name)[0].casefold())
            if month is not None:
                add(calendar, match.start(), match.end(), int(year.translate(_DIGITS)), month,
                    int(day.translate(_DIGITS)))
    resolve_dates(text, base, lang, resolved)
    return sorted(found, key=lambda d: d.start)


class DateStage:
    """Sets ``dates`` on each post."""

    name = "dates"
    version = "3"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("dates",)

    def setup(self) -> None:
        """Compile the month tables."""
        _patterns()

    def run(self, batch: Sequence[Post]) -> None:
        """Find each post's dates."""
        for post in batch:
            post.dates = find_dates(post.text, local_date(post), post.lang)
