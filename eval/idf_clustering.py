"""Story clustering on the English posts of a military Telegram channel (../shared/data/idf_telegram).

    python eval/idf_clustering.py [--limit 600]

The set has no event labels, so gold clusters are built "by date and place as far as they allow":
posts of the same day naming the same set of places are one event; posts naming no place are left out
of the scoring (they have no gold cluster). Watchfloor's whole pipeline runs on the posts (imported as
one channel's export, then processed) and its stories are scored with pairwise and B-cubed F1.
The gold is coarse in both directions (two separate strikes in "northern Gaza" on one day share a
cluster; one operation reported with and without a town name is split), so read the figure as an
agreement with a heuristic, not an accuracy.
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from _common import DATA, cluster_scores, need, save

from watchfloor import runner
from watchfloor.settings import load_settings
from watchfloor.store import stories as story_store

CSV = DATA / "idf_telegram" / "Labeled_IDFNews_Gaza war_till_23April.csv"
TIME = re.compile(r"^(\d{1,2}):(\d{2})")


def parse_day(value: str) -> datetime | None:
    """The set writes dates as 29/02/2024, sometimes 29/10/23, sometimes with a no-break space."""
    cleaned = value.replace("\xa0", " ").strip()
    for fmt in ("%d/%m/%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(cleaned, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


def read_posts(limit: int) -> list[dict[str, object]]:
    rows = []
    with need(CSV).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["Date"] or not row["Text"].strip():
                continue
            day = parse_day(row["Date"])
            if day is None:
                continue
            text = row["Text"].strip()
            clock = TIME.match(text)
            if clock:
                day = day.replace(hour=int(clock.group(1)) % 24, minute=int(clock.group(2)))
                text = text[clock.end():].strip()
            places = frozenset(p.strip().lower() for p in ast.literal_eval(row["Location"] or "[]") if p.strip())
            rows.append({"n": len(rows) + 1, "at": day, "text": text, "places": places})
    rows.sort(key=lambda r: r["at"])  # type: ignore[arg-type, return-value]
    return rows[:limit]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=600, help="the earliest N posts (embedding costs ~40 ms a post)")
    args = parser.parse_args()
    rows = read_posts(args.limit)
    messages = [{"id": r["n"], "type": "message", "date": r["at"].strftime("%Y-%m-%dT%H:%M:%S"),  # type: ignore
                 "date_unixtime": str(int(r["at"].timestamp())), "from": "Military channel",  # type: ignore
                 "from_id": "channel1999300001", "text": r["text"],
                 "text_entities": [{"type": "plain", "text": r["text"]}]} for r in rows]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "export"
        folder.mkdir()
        (folder / "result.json").write_text(json.dumps({"name": "Military channel", "type": "public_channel",
                                                        "id": 1999300001, "messages": messages}), encoding="utf-8")
        engine = runner.open_store(f"sqlite:///{Path(tmp) / 'eval.sqlite3'}", migrate=True)
        runner.init_store(engine)
        runner.import_telegram_export(engine, folder)
        runner.process(engine, load_settings({"translate_backend": "none"}))
        predicted_all: dict[int, int] = {}
        with engine.connect() as conn:
            for summary in story_store.list_stories(conn, limit=100_000):
                for post in story_store.get_story(conn, summary.id).posts:
                    predicted_all[post.message_id] = summary.id
        engine.dispose()
    scored = [r for r in rows if r["places"] and r["n"] in predicted_all]
    gold = {r["n"]: (r["at"].date(), r["places"]) for r in scored}  # type: ignore[union-attr]
    predicted = {r["n"]: predicted_all[r["n"]] for r in scored}
    save("idf_clustering", {"posts": len(rows), "scored_posts": len(scored), "gold_events": len(set(gold.values())),
                            "stories": len(set(predicted.values())), **cluster_scores(predicted, gold)})


if __name__ == "__main__":
    main()
