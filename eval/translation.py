"""Translation quality per back-end available here: chrF and BLEU (sacrebleu), names-correct rate, throughput.

    python eval/translation.py [--sample 40] [--backends none,llamacpp] [--threads 2]

Sets (read in place from ../shared/data):
1. NTREX-128 news sentences, Arabic → English and Persian → English (human references).
2. UN Arabic sentences (un_conflict_ar_en) with their English originals as references; the same lines'
   Google and DeepL outputs, shipped with the set, are scored as commercial baselines.
A fixed-seed random sample of each set (UN: among sentences of at most 200 characters, so that the
2-core run stays short). The glossary is what the pipeline would give: the knowledge base's entities
linked in the source sentence. "Names correct" is the share of those linked entities whose canonical
English name (or an English alias) appears in the output.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path
from typing import Any

import platformdirs
import sacrebleu
from _common import DATA, lines, need, save, tsv_column

from watchfloor.errors import NotConfigured
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.loader import load_entities
from watchfloor.models import Post, Source
from watchfloor.pipeline.translate import glossary_for
from watchfloor.translate import bundled
from watchfloor.translate.base import Translator
from watchfloor.translate.engine import translate_texts
from watchfloor.translate.llamacpp import LlamaCppTranslator
from watchfloor.translate.none import NoneTranslator


def sets(sample: int) -> dict[str, dict[str, Any]]:
    rng = random.Random(13)
    ntrex = DATA / "ntrex128"
    english = lines(ntrex / "newstest2019-src.eng.txt")
    found: dict[str, dict[str, Any]] = {}
    for lang, file in (("ar", "newstest2019-ref.arb.txt"), ("fa", "newstest2019-ref.fas.txt")):
        source = lines(ntrex / file)
        picked = sorted(rng.sample(range(len(source)), sample))
        found[f"ntrex128_{lang}_en"] = {"lang": lang, "source": [source[i] for i in picked],
                                        "reference": [english[i] for i in picked], "baselines": {}}
    un = DATA / "un_conflict_ar_en"
    arabic = [t for t, _ in tsv_column(un / "ar_binary.tsv")]
    english_un = [t for t, _ in tsv_column(un / "en_binary.tsv")]
    google = [t for t, _ in tsv_column(un / "ar_en_GOOGLE_binary.tsv")]
    deepl = [t for t, _ in tsv_column(un / "ar_en_DEEPL_binary.tsv")]
    short = [i for i, t in enumerate(arabic) if 20 <= len(t) <= 200]
    picked = sorted(rng.sample(short, sample))
    found["un_conflict_ar_en"] = {"lang": "ar", "source": [arabic[i] for i in picked],
                                  "reference": [english_un[i] for i in picked],
                                  "baselines": {"google": [google[i] for i in picked],
                                                "deepl": [deepl[i] for i in picked]}}
    return found


def names_correct(outputs: list[str], expected: list[list[set[str]]]) -> tuple[int, int]:
    hits = total = 0
    for output, names in zip(outputs, expected, strict=True):
        folded = output.casefold()
        for spellings in names:
            total += 1
            hits += any(s.casefold() in folded for s in spellings)
    return hits, total


def score(outputs: list[str], reference: list[str], expected: list[list[set[str]]]) -> dict[str, Any]:
    hits, total = names_correct(outputs, expected)
    return {"chrf": round(sacrebleu.corpus_chrf(outputs, [reference]).score, 1),
            "bleu": round(sacrebleu.corpus_bleu(outputs, [reference]).score, 1),
            "names_correct": round(hits / total, 3) if total else None, "names": total}


def make(name: str, threads: int) -> Translator:
    if name == "none":
        return NoneTranslator()
    if name == "llamacpp":
        path = bundled.assemble(Path(platformdirs.user_cache_dir("watchfloor-tests")))
        return LlamaCppTranslator(path, threads=threads)
    raise SystemExit(f"this script runs none and llamacpp; {name} needs a configured server or model")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--backends", default="none,llamacpp")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    need(DATA / "ntrex128")
    entities = load_entities()
    gazetteer = Gazetteer(entities)
    names = {e.id: e.name for e in entities}
    english_names = {e.id: {e.name} | {a.text for a in e.aliases if a.lang == "en"} for e in entities}
    data = sets(args.sample)
    rows: list[dict[str, Any]] = []
    for set_name, item in data.items():
        glossaries, expected = [], []
        for text in item["source"]:
            post = Post(id=0, source=Source(key="eval"), message_id=0, posted_at=None,  # type: ignore[arg-type]
                        text=text, lang=item["lang"], mentions=gazetteer.find(text))
            glossaries.append(glossary_for(post, names))
            expected.append([english_names[i] for i in dict.fromkeys(m.entity_id for m in post.mentions)])
        for baseline, outputs in item["baselines"].items():
            rows.append({"set": set_name, "backend": f"{baseline} (commercial baseline)", "model": baseline,
                         "n": len(outputs), **score(outputs, item["reference"], expected)})
        rows.append({"set": set_name, "backend": "human reference", "model": "-", "n": len(item["reference"]),
                     **score(item["reference"], item["reference"], expected)})
        for backend in args.backends.split(","):
            try:
                translator = make(backend, args.threads)
                translator.setup()
            except NotConfigured as exc:
                rows.append({"set": set_name, "backend": backend, "skipped": str(exc)})
                continue
            started = time.perf_counter()
            results = translate_texts(translator, item["source"], item["lang"], glossaries)
            seconds = time.perf_counter() - started
            outputs = [r.text for r in results]
            rows.append({"set": set_name, "backend": backend, "model": translator.model, "n": len(outputs),
                         **score(outputs, item["reference"], expected),
                         "flagged": sum(bool(r.flags) for r in results),
                         "sentences_per_s": round(len(outputs) / seconds, 2)})
            print(rows[-1], flush=True)
    save("translation", {"sample": args.sample, "threads": args.threads, "rows": rows})


if __name__ == "__main__":
    main()
