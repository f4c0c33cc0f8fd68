"""Dates that need the post's own moment to resolve: numeric dates in any digits (۱۴۰۳/۰۳/۰۲,
٢٢/٥/٢٠٢٤, 5/26/2024), a day and month without a year ("الأربعاء ٢٢ مايو", "On Monday, June 3"),
days written as ordinal words ("دوم خرداد", "الثاني والعشرين من مايو"), a day of the post's month ("22 من
الشهر الجاري"), a weekday alone ("on Wednesday") or with next or last ("الاثنين المقبل", "mardi dernier"),
relative words (yesterday, أمس, دیروز, dün, hier, پرون, last night, this morning) and counted days ("two days ago", "قبل
ثلاثة أيام", "دو روز پیش", "iki gün önce", "il y a deux jours"), in English, Arabic, Persian, Urdu, Pashto,
Turkish and French (``data/relative_dates.yaml``).

Each resolves against the post's date in its channel's time zone: a ``tz:Area/City`` tag on the source,
else the zone of its language (``data/relative_dates.yaml``). A numeric year of 13xx or 14xx is a Hijri
or Solar Hijri year: the calendar whose Gregorian date lies nearer the post wins. An ambiguous numeric
day and month (5/6/2024) reads month first in English and day first elsewhere. Measured against
``dateparser`` in eval/dates.py (docs/quality.md): these rules are kept where they do better.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from watchfloor.datafiles import read_yaml
from watchfloor.models import DateMention, Post, Source

__all__ = ["resolve_dates", "local_date", "event_date", "time_zone", "mention", "to_gregorian", "month_tables",
           "ORDINAL", "OF"]

_DATA = Path(__file__).parent / "data"
_DIGITS = str.maketrans({**{chr(0x0660 + d): str(d) for d in range(10)},
                         **{chr(0x06F0 + d): str(d) for d in range(10)}})
_NUMERIC = re.compile(r"(?<![\d/.\-])(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})(?![\d/]|\.\d)")
Add = Callable[[str, int, int, date], None]


@cache
def _tables() -> dict[str, Any]:
    loaded: dict[str, Any] = read_yaml(_DATA / "relative_dates.yaml")
    months: dict[str, dict[str, int]] = read_yaml(_DATA / "months.yaml")
    for calendar, more in read_yaml(_DATA / "months_dates_only.yaml").items():
        months[calendar] = {**months[calendar], **more}
    loaded["months"] = {k.casefold(): v for k, v in months["gregorian"].items()}
    loaded["calendars"] = {c: {k.casefold(): v for k, v in table.items()} for c, table in months.items()}
    return loaded


def month_tables() -> dict[str, dict[str, int]]:
    """Each calendar's month names (lower case) and numbers: ``data/months.yaml`` and the names that only date
    posts (``data/months_dates_only.yaml``)."""
    calendars: dict[str, dict[str, int]] = _tables()["calendars"]
    return calendars


def time_zone(source: Source | None, lang: str | None) -> ZoneInfo:
    """The channel's time zone: its ``tz:`` tag, else its language's, else UTC."""
    for tag in (source.tags if source else []) or []:
        if tag.startswith("tz:"):
            try:
                return ZoneInfo(tag[3:])
            except (ZoneInfoNotFoundError, ValueError):
                break
    zones: dict[str, str] = _tables()["time_zones"]
    return ZoneInfo(zones.get((source.lang if source else None) or lang or "", "UTC"))


def local_date(post: Post) -> date:
    """The post's date in its channel's time zone."""
    return post.posted_at.astimezone(time_zone(post.source, post.lang)).date()


def _words(table: dict[str, dict[str, int]], lang: str | None) -> list[tuple[str, int]]:
    chosen = {**table.get("en", {}), **table.get(lang or "", {})}
    return sorted(chosen.items(), key=lambda kv: -len(kv[0]))


def _pattern(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)


@cache
def _word_pattern(kind: str, lang: str | None) -> tuple[re.Pattern[str], dict[str, int]]:
    """The pattern of a table's words ("days", "weekdays") in English and ``lang``, and each word's number."""
    words = _words(_tables()[kind], lang)
    return _pattern([w for w, _ in words]), dict((w.casefold(), n) for w, n in words)


def _alternatives(words: Sequence[str]) -> str:
    """A regex alternation of the words, longest first, any run of spaces where a word has one."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


ORDINAL = r"(?:st|nd|rd|th|er)?"  # "21st May", "May 21st", "le 1er mai"
OF = r"(?:\s+of|\s+من(?:\s+شهر)?)?"  # "the 21st of May", "٢٢ من مايو", "١٥ من شهر رمضان"


@cache
def _month_patterns(calendar: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A day and a calendar's month ("22 مايو"), and a month and a day ("June 3"), with no year after them."""
    names = "|".join(re.escape(n) for n in sorted(_tables()["calendars"][calendar], key=len, reverse=True))
    return (re.compile(rf"(?<![\w/])(\d{{1,2}}){ORDINAL}{OF}\s+({names})(?:\s*/\s*({names}))?(?![\w/])"
                       r"(?!\s*,?\s*\d)", re.I),
            re.compile(rf"(?<![\w/])({names})\s+(\d{{1,2}}){ORDINAL}(?![\w/])(?!\s*,?\s*\d)", re.I))


@cache
def _ago_patterns(lang: str | None) -> list[tuple[re.Pattern[str], dict[str, int], dict[str, int]]]:
    """The patterns of counted days ("two days ago") in English and ``lang``, with the numbers' and units'
    values (units that say their count, "يومين", are in the second map)."""
    found = []
    table: dict[str, dict[str, Any]] = _tables()["ago"]
    for code in dict.fromkeys(("en", lang or "en")):
        if code not in table:
            continue
        entry = table[code]
        numbers = {k.casefold(): int(v) for k, v in entry.get("numbers", {}).items()}
        units = {k.casefold(): int(v) for k, v in {**entry.get("units", {}), **entry.get("alone", {})}.items()}
        for template in entry["patterns"]:
            body = (template.replace(" ", r"\s+").replace("{n}", rf"(?P<n>\d{{1,3}}|{_alternatives(list(numbers))})")
                    .replace("{unit}", rf"(?P<unit>{_alternatives(list(entry.get('units', {})))})")
                    .replace("{alone}", rf"(?P<unit>{_alternatives(list(entry.get('alone', {})))})"))
            tail = rf"(?!{entry['not_after']})" if entry.get("not_after") else ""
            found.append((re.compile(rf"(?<!\w){body}(?!\w){tail}", re.IGNORECASE), numbers, units))
    return found


@cache
def _modifiers(lang: str | None) -> tuple[re.Pattern[str] | None, ...]:
    """Words before or after a weekday that make it the next one ("next Monday") or the last ("الثلاثاء
    الماضي"): patterns of (next before, next after, last before, last after), None where a language has none."""
    found: list[re.Pattern[str] | None] = []
    for kind in ("weekday_next", "weekday_last"):
        table: dict[str, dict[str, list[str]]] = _tables()[kind]
        for side in ("before", "after"):
            words = {w for code in ("en", lang or "en") for w in table.get(code, {}).get(side, [])}
            if not words:
                found.append(None)
                continue
            alternatives = _alternatives(list(words))
            found.append(re.compile(rf"(?<!\w)(?:{alternatives})\s+$" if side == "before" else
                                    rf"^\s+(?:{alternatives})(?!\w)", re.IGNORECASE))
    return tuple(found)


def _weekday_offset(text: str, start: int, end: int, base: date, weekday: int, lang: str | None) -> int:
    """Days from the post's date to the weekday at text[start:end]: the next one after it with "next", the last
    one before it with "last", else the latest on or before it."""
    next_before, next_after, last_before, last_after = _modifiers(lang)
    before, after = text[max(0, start - 24):start], text[end:end + 24]
    back = (base.isoweekday() - weekday) % 7
    if (next_before and next_before.search(before)) or (next_after and next_after.match(after)):
        return (weekday - base.isoweekday()) % 7 or 7
    if (last_before and last_before.search(before)) or (last_after and last_after.match(after)):
        return -(back or 7)
    return -back


@cache
def _dated() -> re.Pattern[str]:
    """A date that follows a weekday: digits or a month's name of any calendar."""
    every_month = [m for table in _tables()["calendars"].values() for m in table]
    return re.compile(r"\s*,?\s*(?:\d|[\u0660-\u0669\u06f0-\u06f9]|(?:"
                      + "|".join(re.escape(m) for m in every_month) + r")\b)", re.IGNORECASE)


def to_gregorian(calendar: str, year: int, month: int, day: int) -> date | None:
    """A day of the Gregorian, Hijri or Solar Hijri calendar as a Gregorian date (None if it does not exist)."""
    try:
        if calendar == "gregorian":
            return date(year, month, day)
        if calendar == "hijri":
            from hijridate import Hijri

            return Hijri(year, month, day).to_gregorian()
        import jdatetime

        return jdatetime.date(year, month, day).togregorian()  # type: ignore[no-any-return]
    except (ValueError, OverflowError):
        return None


def _numeric(plain: str, base: date | None, lang: str | None, add: Add) -> None:
    for match in _NUMERIC.finditer(plain):
        first, second, third = int(match.group(1)), int(match.group(3)), int(match.group(4))
        if len(match.group(1)) == 4:
            year, month, day = first, second, third
        elif len(match.group(4)) == 4:
            year = third
            if first > 12 or (second <= 12 and lang != "en"):
                day, month = first, second
            else:
                month, day = first, second
        else:
            continue
        if 1900 <= year <= 2100:
            options = [("gregorian", to_gregorian("gregorian", year, month, day))]
        elif 1300 <= year <= 1499:
            options = [(c, to_gregorian(c, year, month, day)) for c in ("solar_hijri", "hijri")]
            if base is not None:
                options.sort(key=lambda o: abs((o[1] - base).days) if o[1] else 10**6)
            elif lang not in ("fa", "ps"):
                options.reverse()
        else:
            continue
        calendar, converted = options[0]
        if converted is not None:
            add(calendar, match.start(), match.end(), converted)


def _year_of(calendar: str, moment: date) -> int:
    if calendar == "hijri":
        from hijridate import Gregorian

        return int(Gregorian(moment.year, moment.month, moment.day).to_hijri().year)
    if calendar == "solar_hijri":
        import jdatetime

        return int(jdatetime.date.fromgregorian(date=moment).year)
    return moment.year


def _nearest_year(base: date, month: int, day: int, calendar: str = "gregorian") -> date | None:
    """The day and month in the year that puts them nearest the post (reports look back more than ahead)."""
    year = _year_of(calendar, base)
    found = [d for y in (year - 1, year, year + 1) if (d := to_gregorian(calendar, y, month, day))]
    found = [d for d in found if (d - base).days <= 31]
    return min(found, key=lambda d: abs((d - base).days)) if found else None


def _yearless(plain: str, base: date, add: Add) -> None:
    for calendar, months in _tables()["calendars"].items():
        day_first, month_first = _month_patterns(calendar)
        for match in day_first.finditer(plain):
            month = months.get((match.group(3) or match.group(2)).casefold())
            if month and (resolved := _nearest_year(base, month, int(match.group(1)), calendar)):
                add(calendar, match.start(), match.end(), resolved)
        if calendar != "gregorian":
            continue
        for match in month_first.finditer(plain):
            month = months.get(match.group(1).casefold())
            if month and (resolved := _nearest_year(base, month, int(match.group(2)))):
                add("gregorian", match.start(), match.end(), resolved)


@cache
def _ordinal_words(lang: str | None) -> dict[str, int]:
    """The days of a month written as ordinal words in ``lang`` ("بیست و دوم", "الثاني والعشرين"), lower case
    and with single spaces, and their numbers."""
    table: dict[str, Any] | None = _tables()["ordinal_days"].get(lang or "")
    if not table:
        return {}
    words = {str(k): int(v) for part in ("units", "teens", "tens_alone") for k, v in table[part].items()}
    for ten_word, ten in table["tens"].items():
        for unit_word, unit in table["units"].items():
            if ten + unit <= 31:
                words[f"{ten_word}{table['and']}{unit_word}" if table["tens_first"] else
                      f"{unit_word}{table['and']}{ten_word}"] = ten + unit
    return {" ".join(k.casefold().split()): v for k, v in words.items()}


@cache
def _ordinal_patterns(lang: str | None) -> list[tuple[str, re.Pattern[str]]]:
    """An ordinal day in words before a calendar's month, a year after it or not ("دوم خرداد ۱۴۰۳")."""
    words = _ordinal_words(lang)
    if not words:
        return []
    found = []
    for calendar, months in _tables()["calendars"].items():
        found.append((calendar, re.compile(
            rf"(?<!\w)(?P<d>{_alternatives(list(words))}){OF}\s+(?P<m>{_alternatives(list(months))})(?:\s+ماه)?"
            r"(?:\s*,?\s+(?:سال\s+)?(?P<y>\d{4}))?(?!\w)", re.IGNORECASE)))
    return found


def _ordinal_days(plain: str, base: date | None, lang: str | None, add: Add) -> None:
    words = _ordinal_words(lang)
    for calendar, pattern in _ordinal_patterns(lang):
        months = _tables()["calendars"][calendar]
        for match in pattern.finditer(plain):
            day = words[" ".join(match["d"].casefold().split())]
            month = months.get(" ".join(match["m"].casefold().split()))
            if month is None:
                continue
            if match["y"]:
                resolved = to_gregorian(calendar, int(match["y"]), month, day)
            else:
                resolved = _nearest_year(base, month, day, calendar) if base is not None else None
            if resolved is not None:
                add(calendar, match.start(), match.end(), resolved)


@cache
def _month_of_post_patterns(lang: str | None) -> list[tuple[re.Pattern[str], int]]:
    """A day of the post's month or of a month before it ("22 من الشهر الجاري"), in English and ``lang``."""
    table: dict[str, dict[str, int]] = _tables()["month_of_post"]
    day = rf"(?P<d>\d{{1,2}}{ORDINAL}" + (f"|{_alternatives(list(_ordinal_words(lang)))}" if _ordinal_words(lang)
                                          else "") + ")"
    found = []
    for code in dict.fromkeys(("en", lang or "en")):
        for template, back in table.get(code, {}).items():
            body = re.escape(template).replace(r"\ ", r"\s+").replace(r"\{d\}", day)
            found.append((re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE), int(back)))
    return found


def _month_of_post(plain: str, base: date, lang: str | None, add: Add) -> None:
    words = _ordinal_words(lang)
    for pattern, back in _month_of_post_patterns(lang):
        for match in pattern.finditer(plain):
            written = " ".join(match["d"].casefold().split())
            digits = re.match(r"\d+", written)
            day = int(digits.group()) if digits else words.get(written)
            month = base.month - back
            year = base.year - (1 if month < 1 else 0)
            if day is not None and (resolved := to_gregorian("gregorian", year, month if month >= 1 else month + 12,
                                                             day)):
                add("gregorian", match.start(), match.end(), resolved)


def resolve_dates(text: str, base: date | None, lang: str | None, add: Add) -> None:
    """Call ``add(calendar, start, end, date)`` for each date of the forms above (relative ones need ``base``)."""
    plain = text.translate(_DIGITS)  # ASCII digits, the same length: spans stay where they were
    _numeric(plain, base, lang, add)
    _ordinal_days(plain, base, lang, add)
    if base is None:
        return
    _month_of_post(plain, base, lang, add)
    _yearless(plain, base, add)
    for pattern, numbers, units in _ago_patterns(lang):
        for match in pattern.finditer(plain):
            count = match.groupdict().get("n")
            times = 1 if count is None else int(count) if count.isdigit() else numbers[count.casefold()]
            if 0 < times <= 60:
                back = times * units[match["unit"].casefold()]
                add("relative", match.start(), match.end(), base - timedelta(days=back))
    days, offsets = _word_pattern("days", lang)
    for match in days.finditer(text):
        offset = offsets[match.group(1).casefold()]
        add("relative", match.start(), match.end(), base + timedelta(days=offset))
    weekdays, numbers = _word_pattern("weekdays", lang)
    dated = _dated()
    for match in weekdays.finditer(text):
        if dated.match(text, match.end()):
            continue  # "الأربعاء ٢٢ مايو": the date after the weekday says it
        weekday = numbers[match.group(1).casefold()]
        offset = _weekday_offset(text, match.start(), match.end(), base, weekday, lang)
        add("relative", match.start(), match.end(), base + timedelta(days=offset))


def event_date(posts: Sequence[Post]) -> date | None:
    """The date most of the posts give for the event: each post's first date that is not after its own
    day; ties go to the earlier date. None when no post gives one."""
    votes: Counter[date] = Counter()
    for post in posts:
        own = local_date(post)
        for mention in sorted(post.dates, key=lambda d: d.start):
            given = date.fromisoformat(mention.date)
            if given <= own and (own - given).days <= 31:
                votes[given] += 1
                break
    if not votes:
        return None
    return max(votes, key=lambda d: (votes[d], -d.toordinal()))


def mention(text: str, calendar: str, start: int, end: int, when: date) -> DateMention:
    """A DateMention for a resolved span."""
    return DateMention(text[start:end], calendar, when.isoformat(), start, end)
