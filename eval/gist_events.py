"""Does the gist get the event word and the date word right? Before and after the lexicon.

    python eval/gist_events.py [--conditions before,prompt,lexicon] [--threads 2] [--backend llamacpp]

The set (eval/data/gist_events.yaml, written for this: 30 short news-like sentences each in Arabic and
Persian) gives each sentence's event words and its date word, with accepted alternatives. Conditions:
``before``: the prompt as it was (names in the system message) and a glossary of names only; ``prompt``:
today's prompt (glossary in the last message), names only; ``lexicon``: today's prompt, names and the
lexicon's terms (kb/lexicon/terms.yaml), which is what the pipeline now gives every back-end. A date is
"wrong" when the English holds another date word (a weekday, yesterday, today...) and none accepted: in
this field a wrong date is worse than none; "shown" counts those the engine's guard lets through (it
retries, then replaces, an output naming another day than the glossary gave). Each output is appended
to results/gist_events.jsonl as it comes, so a stopped run still counts.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path
from typing import Any

import _legacy_prompt
import platformdirs
import yaml
from _common import RESULTS, save

import watchfloor.translate.llamacpp as llamacpp_module
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.loader import load_entities
from watchfloor.models import Post, Source
from watchfloor.pipeline.translate import glossary_for
from watchfloor.translate import bundled, prompt
from watchfloor.translate.engine import translate_texts
from watchfloor.translate.guard import wrong_date
from watchfloor.translate.llamacpp import LlamaCppTranslator
from watchfloor.translate.none import NoneTranslator

SET = Path(__file__).parent / "data" / "gist_events.yaml"
DATE_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "yesterday", "today",
              "tomorrow", "tonight", "last night", "last week", "next week", "last month", "last year",
              "this morning", "this evening")


def found(english: str, alternatives: list[str]) -> bool:
    """True when one alternative starts a word of the English (casefolded)."""
    folded = english.casefold()
    return any(re.search(r"(?<![a-z])" + re.escape(a.casefold()), folded) for a in alternatives)


def judge(english: str, item: dict[str, Any]) -> dict[str, Any]:
    """Event words found, and the date: right, missing or wrong."""
    events = [found(english, alternatives) for alternatives in item["events"]]
    right = found(english, item["date"])
    other = [w for w in DATE_WORDS if found(english, [w]) and not found(w, item["date"])]
    return {"events_right": sum(events), "events": len(events), "date_right": right,
            "date_wrong": bool(not right and other)}


def summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Scores per condition and language, on the sentences every condition translated (a fair comparison)."""
    conditions = {r["condition"] for r in rows}
    done = [{(r["lang"], r["text"]) for r in rows if r["condition"] == c} for c in conditions]
    common = set.intersection(*done) if done else set()
    rows = [r for r in rows if (r["lang"], r["text"]) in common]
    table = []
    for key in sorted({(r["condition"], r["lang"]) for r in rows}):
        mine = [r for r in rows if (r["condition"], r["lang"]) == key]
        events = sum(r["events"] for r in mine)
        table.append({"condition": key[0], "lang": key[1], "sentences": len(mine),
                      "event_words_right": round(sum(r["events_right"] for r in mine) / events, 3),
                      "event_words": events,
                      "dates_right": round(sum(r["date_right"] for r in mine) / len(mine), 3),
                      "dates_wrong": round(sum(r["date_wrong"] for r in mine) / len(mine), 3),
                      # what a reader sees: the engine's guard retries, then replaces, an output naming another
                      # day than the glossary gave (translate/guard.py wrong_date), so those wrong dates go
                      "dates_wrong_shown": round(sum(r["date_wrong"] and not wrong_date(r["english"],
                                                                                        r["glossary"].values())
                                                     for r in mine) / len(mine), 3),
                      "seconds_per_sentence": round(sum(r["seconds"] for r in mine) / len(mine), 2)})
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conditions", default="before,prompt,lexicon")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--backend", default="llamacpp", help="llamacpp, or none (a check of the set)")
    parser.add_argument("--report", action="store_true", help="only summarise results/gist_events.jsonl")
    parser.add_argument("--resume", action="store_true", help="keep results/gist_events.jsonl and go on")
    args = parser.parse_args()
    log = RESULTS / "gist_events.jsonl"
    if not args.report:
        data: dict[str, list[dict[str, Any]]] = yaml.safe_load(SET.read_text(encoding="utf-8"))
        entities = load_entities()
        gazetteer = Gazetteer(entities)
        names = {e.id: e.name for e in entities}
        conditions = args.conditions.split(",")
        translators: dict[str, Any] = {}
        for n, condition in enumerate(conditions):
            if args.backend == "none":
                translators[condition] = NoneTranslator()
            else:  # one model context per condition (n_ctx differs), so each keeps its own prompt prefix
                path = bundled.assemble(Path(platformdirs.user_cache_dir("watchfloor-tests")))
                translators[condition] = LlamaCppTranslator(path, threads=args.threads, n_ctx=2048 - 256 * n)
                translators[condition].setup()
        RESULTS.mkdir(exist_ok=True)
        if not (args.resume and log.exists()):
            log.write_text("", encoding="utf-8")
        done = {(r["condition"], r["lang"], r["text"]) for r in map(json.loads, log.read_text("utf-8").splitlines())}
        # the languages and the conditions take turns, so a stopped run still compares them on the same sentences
        order = [(lang, data[lang][i]) for i in range(max(map(len, data.values()))) for lang in data
                 if i < len(data[lang])]
        for lang, item in order:
            for condition in conditions:
                if (condition, lang, item["text"]) in done:
                    continue
                llamacpp_module.messages = _legacy_prompt.messages if condition == "before" else prompt.messages
                post = Post(id=0, source=Source(key="eval"), message_id=0, posted_at=None,  # type: ignore[arg-type]
                            text=item["text"], lang=lang, mentions=gazetteer.find(item["text"]))
                glossary = glossary_for(post, names, terms=condition == "lexicon")
                started = time.perf_counter()
                english = translate_texts(translators[condition], [item["text"]], lang, [glossary])[0].text
                row = {"condition": condition, "lang": lang, "text": item["text"], "english": english,
                       "glossary": glossary, "seconds": round(time.perf_counter() - started, 2),
                       **judge(english, item)}
                with log.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
                print(condition, lang, row["date_right"], row["events_right"], "/", row["events"], english,
                      flush=True)
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    save("gist_events", {"backend": args.backend, "model": bundled.MODEL_ID, "threads": args.threads,
                         "rows": summary(rows)})


if __name__ == "__main__":
    main()
