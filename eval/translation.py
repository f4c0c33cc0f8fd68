"""Translation quality per back-end available here: chrF and BLEU (sacrebleu), names, throughput.

    python eval/translation.py [--sample 200] [--backends none,llamacpp] [--threads 2] [--resume] [--report]

Sets (read in place from ../shared/data):
1. NTREX-128 news sentences, Arabic → English and Persian → English (human references).
2. UN Arabic sentences (un_conflict_ar_en) with their English versions as references; the same lines'
   Google and DeepL outputs, shipped with the set, are scored as commercial baselines (the DeepL file is
   read by line feeds only: see ``_common.tsv_column``).
A fixed-seed random sample of each set (UN: among sentences of 20-200 characters), in random order, so
that the first k sentences of a stopped run are a random sample too. The glossary is what the pipeline
gives: the knowledge base's entities linked in the source and the lexicon's terms.

Two name measures. "Names correct" is the share of the entities linked in the source whose English name
(or an English alias) is in the output: the glossary hands exactly these names to the back-end, so the
``none`` back-end (the original with each glossed name) scores 1.0 by construction. "Reference names" is
the share of the entities the linker finds in the human English reference that it also finds, written in
Latin letters, in the output (so the Arabic original in ``none``'s output does not count): it counts names
the source linker missed too, is not 1.0 for ``none``, and is 1.0 for the reference itself.

Slow back-ends go sentence by sentence, the sets taking turns; each output is appended to
results/translation_outputs.jsonl at once (``--resume`` goes on from there; ``--report`` only scores it).
Every row is scored on the lines that back-end translated; the baselines are also scored on exactly the
lines the slowest back-end reached, so the gist's row has comparable neighbours.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import platformdirs
import sacrebleu
from _common import DATA, RESULTS, lines, need, save, tsv_column

from watchfloor.errors import NotConfigured
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.loader import load_entities
from watchfloor.kb.normalize import has_arabic
from watchfloor.models import Post, Source
from watchfloor.pipeline.translate import glossary_for
from watchfloor.translate import bundled
from watchfloor.translate.base import Translator
from watchfloor.translate.engine import translate_texts
from watchfloor.translate.llamacpp import LlamaCppTranslator
from watchfloor.translate.none import NoneTranslator

LOG = RESULTS / "translation_outputs.jsonl"
SLOW = {"llamacpp", "openai"}


def sets(sample: int) -> dict[str, dict[str, Any]]:
    rng = random.Random(13)
    ntrex = DATA / "ntrex128"
    english = lines(ntrex / "newstest2019-src.eng.txt")
    found: dict[str, dict[str, Any]] = {}
    for lang, file in (("ar", "newstest2019-ref.arb.txt"), ("fa", "newstest2019-ref.fas.txt")):
        source = lines(ntrex / file)
        picked = rng.sample(range(len(source)), sample)
        found[f"ntrex128_{lang}_en"] = {"lang": lang, "source": [source[i] for i in picked],
                                        "reference": [english[i] for i in picked], "baselines": {}}
    un = DATA / "un_conflict_ar_en"
    arabic = [t for t, _ in tsv_column(un / "ar_binary.tsv")]
    english_un = [t for t, _ in tsv_column(un / "en_binary.tsv")]
    google = [t for t, _ in tsv_column(un / "ar_en_GOOGLE_binary.tsv")]
    deepl = [t for t, _ in tsv_column(un / "ar_en_DEEPL_binary.tsv")]
    assert len(arabic) == len(english_un) == len(google) == len(deepl), "the UN files are not line-aligned"
    short = [i for i, t in enumerate(arabic) if 20 <= len(t) <= 200]
    picked = rng.sample(short, sample)
    found["un_conflict_ar_en"] = {"lang": "ar", "source": [arabic[i] for i in picked],
                                  "reference": [english_un[i] for i in picked],
                                  "baselines": {"google": [google[i] for i in picked],
                                                "deepl": [deepl[i] for i in picked]}}
    return found


def share(outputs: list[str], expected: list[list[set[str]]]) -> tuple[float | None, int]:
    """Share of the expected names (each a set of accepted spellings) found in the outputs, and how many."""
    hits = total = 0
    for output, names in zip(outputs, expected, strict=True):
        folded = output.casefold()
        for spellings in names:
            total += 1
            hits += any(s.casefold() in folded for s in spellings)
    return (round(hits / total, 3) if total else None), total


def linked_share(outputs: list[str], expected: list[list[str]], gazetteer: Gazetteer) -> tuple[float | None, int]:
    """Share of the expected entities that the linker finds, written in Latin letters, in the outputs."""
    hits = total = 0
    for output, ids in zip(outputs, expected, strict=True):
        found = {m.entity_id for m in gazetteer.find(output) if not has_arabic(m.surface)}
        total += len(ids)
        hits += sum(i in found for i in ids)
    return (round(hits / total, 3) if total else None), total


def score(outputs: list[str], item: dict[str, Any], picked: list[int]) -> dict[str, Any]:
    reference = [item["reference"][i] for i in picked]
    correct, names = share(outputs, [item["names"][i] for i in picked])
    in_reference, reference_names = linked_share(outputs, [item["reference_names"][i] for i in picked],
                                                 item["gazetteer"])
    return {"n": len(outputs), "chrf": round(sacrebleu.corpus_chrf(outputs, [reference]).score, 1),
            "bleu": round(sacrebleu.corpus_bleu(outputs, [reference]).score, 1),
            "names_correct": correct, "names": names, "reference_names_correct": in_reference,
            "reference_names": reference_names}


def make(name: str, threads: int) -> Translator:
    if name == "none":
        return NoneTranslator()
    if name == "llamacpp":
        path = bundled.assemble(Path(platformdirs.user_cache_dir("watchfloor-tests")))
        return LlamaCppTranslator(path, threads=threads)
    raise SystemExit(f"this script runs none and llamacpp; {name} needs a configured server or model")


def prepare(sample: int) -> dict[str, dict[str, Any]]:
    """The sets with each sentence's glossary and expected names (source-linked and reference-linked)."""
    entities = load_entities()
    gazetteer = Gazetteer(entities)
    names = {e.id: e.name for e in entities}
    english_names = {e.id: {e.name} | {a.text for a in e.aliases if a.lang == "en"} for e in entities}
    data = sets(sample)
    for item in data.values():
        item["glossaries"], item["names"], item["reference_names"] = [], [], []
        for text, reference in zip(item["source"], item["reference"], strict=True):
            post = Post(id=0, source=Source(key="eval"), message_id=0, posted_at=None,  # type: ignore[arg-type]
                        text=text, lang=item["lang"], mentions=gazetteer.find(text))
            item["glossaries"].append(glossary_for(post, names))
            item["names"].append([english_names[i] for i in dict.fromkeys(m.entity_id for m in post.mentions)])
            item["reference_names"].append(list(dict.fromkeys(m.entity_id for m in gazetteer.find(reference))))
        item["gazetteer"] = gazetteer
    return data


def run(data: dict[str, dict[str, Any]], backends: list[str], threads: int, done: set[tuple[str, str, int]]) -> None:
    RESULTS.mkdir(exist_ok=True)
    for backend in backends:
        try:
            translator = make(backend, threads)
            translator.setup()
        except NotConfigured as exc:
            print(f"{backend}: not usable here: {exc}")
            continue
        order = ([(s, i) for i in range(len(next(iter(data.values()))["source"])) for s in data] if backend in SLOW
                 else [(s, i) for s in data for i in range(len(data[s]["source"]))])
        for set_name, i in order:
            if (set_name, backend, i) in done:
                continue
            item = data[set_name]
            started = time.perf_counter()
            result = translate_texts(translator, [item["source"][i]], item["lang"], [item["glossaries"][i]])[0]
            row = {"set": set_name, "backend": backend, "model": translator.model, "index": i, "output": result.text,
                   "flags": list(result.flags), "seconds": round(time.perf_counter() - started, 3)}
            with LOG.open("a", encoding="utf-8") as out:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            if backend in SLOW:
                print(set_name, i, row["seconds"], result.text[:100], flush=True)


def report(data: dict[str, dict[str, Any]], sample: int, threads: int) -> None:
    kept = [json.loads(line) for line in LOG.read_text(encoding="utf-8").splitlines() if line.strip()]
    outputs: dict[tuple[str, str], dict[int, dict[str, Any]]] = {}
    for row in kept:
        outputs.setdefault((row["set"], row["backend"]), {})[row["index"]] = row
    rows: list[dict[str, Any]] = []
    for set_name, item in data.items():
        done = {b: o for (s, b), o in outputs.items() if s == set_name}
        slowest = min((sorted(o) for o in done.values()), key=len, default=[])
        picks = {"all": list(range(sample))}
        if slowest and len(slowest) < sample:
            picks["gist lines"] = slowest
        for lines_name, picked in picks.items():
            fixed = {"human reference": [item["reference"][i] for i in picked],
                     **{f"{b} (commercial baseline)": [item["baselines"][b][i] for i in picked]
                        for b in item["baselines"]}}
            for name, texts in fixed.items():
                rows.append({"set": set_name, "lines": lines_name, "backend": name, "model": "-",
                             **score(texts, item, picked)})
            for backend, got in done.items():
                if set(picked) <= set(got) and (lines_name == "gist lines" or len(got) >= sample):
                    texts = [got[i]["output"] for i in picked]
                    seconds = sum(got[i]["seconds"] for i in picked)
                    rows.append({"set": set_name, "lines": lines_name, "backend": backend,
                                 "model": got[picked[0]]["model"], **score(texts, item, picked),
                                 "flagged": sum(bool(got[i]["flags"]) for i in picked),
                                 "sentences_per_s": round(len(picked) / seconds, 3) if seconds else None})
    save("translation", {"sample": sample, "threads": threads, "rows": rows})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--backends", default="none,llamacpp")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--resume", action="store_true", help="go on from results/translation_outputs.jsonl")
    parser.add_argument("--report", action="store_true", help="only score results/translation_outputs.jsonl")
    args = parser.parse_args()
    need(DATA / "ntrex128")
    data = prepare(args.sample)
    if not args.report:
        done: set[tuple[str, str, int]] = set()
        if args.resume and LOG.exists():
            done = {(r["set"], r["backend"], r["index"]) for r in map(json.loads, LOG.read_text("utf-8").splitlines())}
        elif LOG.exists():
            LOG.unlink()
        run(data, args.backends.split(","), args.threads, done)
    report(data, args.sample, args.threads)


if __name__ == "__main__":
    main()
