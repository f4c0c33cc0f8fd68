"""Dates written in posts, resolved against the post's date: the hand-written rules (watchfloor.pipeline.dates)
against `dateparser`'s search, per language and form, on the project's own set (eval/data/dates.tsv).

    python eval/dates.py

A row counts as found when the date the text gives is among the dates a method returns for it.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date, datetime

from _common import ROOT, save

from watchfloor.pipeline.dates import find_dates


def rows() -> list[tuple[str, str, date, str, str]]:
    found = []
    for line in (ROOT / "eval" / "data" / "dates.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lang, form, base, text, expected = line.split("\t")
            found.append((lang, form, date.fromisoformat(base), text, expected))
    return found


def by_rules(text: str, base: date, lang: str) -> set[str]:
    return {d.date for d in find_dates(text, base, lang)}


def by_dateparser(text: str, base: date, lang: str) -> set[str]:
    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": datetime(base.year, base.month, base.day, 12), "PREFER_DATES_FROM": "past",
                "DATE_ORDER": "MDY" if lang == "en" else "DMY"}
    found = search_dates(text, languages=[lang, "en"], settings=settings) or []  # type: ignore[arg-type]
    return {moment.date().isoformat() for _, moment in found}


def main() -> None:
    data = rows()
    result: dict[str, object] = {"rows": len(data)}
    for name, method in (("rules", by_rules), ("dateparser", by_dateparser)):
        hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        started = time.perf_counter()
        for lang, form, base, text, expected in data:
            ok = expected in method(text, base, lang)
            for key in (lang, f"{lang}/{form}", "all"):
                hits[key][0] += ok
                hits[key][1] += 1
        result[name] = {k: f"{v[0]}/{v[1]}" for k, v in sorted(hits.items())}
        result[f"{name}_ms_per_text"] = round((time.perf_counter() - started) * 1000 / len(data), 2)
    save("dates", result)


if __name__ == "__main__":
    main()
