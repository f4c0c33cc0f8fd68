"""The translation section of docs/quality.md (eval/report.py calls it): back-ends on public sets, the event and
date words of the gist before and after the lexicon, and the gist model's settings."""

from __future__ import annotations

from typing import Any


def run_line(result: dict[str, Any]) -> str:
    return f"Command: `{result['command']}` (from the repository root, `PYTHONPATH=src`); run {result['date']}."


def _names(value: float | None, count: int) -> str:
    return "–" if value is None else f"{value:.3f} ({count})"


def backends(tr: dict[str, Any]) -> list[str]:
    parts = ["## Translation", "",
             f"A fixed-seed random sample of {tr['sample']} sentences per set (UN: among sentences of 20–200",
             "characters), in random order; chrF and BLEU from sacrebleu (corpus level, default settings) against",
             "the human reference. The glossary is what the pipeline gives every back-end: the knowledge base's",
             "entities linked in the source and the lexicon's terms (`docs/translation.md`). The commercial",
             "baselines are the Google and DeepL outputs shipped with the UN set, on the same lines. Throughput",
             f"on {tr['threads']} CPU thread(s), no GPU, one sentence at a time, on a 2-core VM shared with other",
             "work (load 5–15 during the run): read sentences/s as a floor.", "",
             "Two name measures. **Names correct** is the share of the entities linked in the *source* whose",
             "English name (or an English alias) is in the output, spelt exactly; the glossary hands exactly",
             "these names to the back-end, so for `none` (the original with each linked name glossed) it is",
             "1.0 by construction and says nothing. **Reference names** is the share of the entities the",
             "linker finds in the human *English reference* that it also finds, in Latin letters, in the",
             "output: it counts the names the source linker missed, is not 1.0 for `none`, and is 1.0 for the",
             "reference itself.", "",
             '"Lines": `all` is the whole sample; `gist lines` is the part of it the gist model reached in the',
             "time it had, with every other row scored again on exactly those lines.", "",
             "| set | lines | back-end | model | sentences | chrF | BLEU | names correct (of) | reference names (of) "
             "| flagged | sentences/s |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in tr["rows"]:
        parts.append(f"| {r['set']} | {r['lines']} | {r['backend']} | {r['model']} | {r['n']} | {r['chrf']:.1f} | "
                     f"{r['bleu']:.1f} | {_names(r['names_correct'], r['names'])} | "
                     f"{_names(r['reference_names_correct'], r['reference_names'])} | {r.get('flagged', '')} | "
                     f"{r.get('sentences_per_s') or ''} |")
    gist = {r["set"]: r["n"] for r in tr["rows"] if r["backend"] == "llamacpp"}
    if gist and min(gist.values()) < tr["sample"]:
        done = ", ".join(f"{n} of {tr['sample']} ({name})" for name, n in gist.items())
        parts += ["", f"**The gist model translated {sum(gist.values())} sentences in all: {done}**, short of",
                  f"the {tr['sample']} per set planned: the run shared the VM's 2 cores with other workers, so its",
                  f"sentences/s measure the contention. With {min(gist.values())}–{max(gist.values())} "
                  "sentences a set, its chrF is a rough level, not a comparison."]
    elif gist:
        parts += ["", f"The gist model translated all {sum(gist.values())} sentences ({tr['sample']} per set). The",
                  "run shared the VM's 2 cores with other workers (load 5–15) for most of its hours, so its",
                  "sentences/s measure the contention: the model alone does about 0.13 sentences/s on these",
                  "2 cores."]
    parts += ["", "The outputs were made by",
              "`nice -n 5 python eval/translation.py --backends none,llamacpp --sample 200 --threads 2 --resume`,",
              "stopped and resumed across sessions (`--resume` keeps every output already written; the sets",
              "take turns sentence by sentence), and",
              "scored by the command below. The run began before two changes made during it: the accusative-alef",
              "rule of the lexicon and the `wrong_date` guard; its glossaries and prompt are otherwise today's.",
              "For scale, the previous run of this script (2026-11-25: 30 sentences per set, names-only glossary,",
              "the old prompt, 2 threads on a quieter machine) gave the gist chrF 32.6 (NTREX ar), 23.9 (NTREX fa)",
              "and 42.3 (UN) at 0.12–0.15 sentences/s.",
              "", "**The DeepL column of the UN set, realigned.** The earlier table scored DeepL at 18.5 chrF",
              "against 67 for Google. The shipped `ar_en_DEEPL_binary.tsv` has the same 11,327 lines as the",
              "others, but its row 2,552 holds five NEL characters (U+0085), which Python's `str.splitlines`",
              "takes for line ends: read that way the file has 11,331 rows and every DeepL row after 2,551 is",
              "paired with the reference five lines earlier. Median sentence chrF of DeepL against the reference,",
              "every 20th line: 76–77 in each block of 1,000 lines when the file is split at line feeds only, at",
              "offset 0, and 10–22 at every offset from −3 to +3 from line 2,500 on when split by `splitlines`",
              "(the DEEP column: 63–76 throughout). `_common.tsv_column` now splits at line feeds, so the column",
              "is aligned and kept.",
              "",
              "Back-ends not in the table could not run here: `deepl` and `google` need keys and a network (the",
              "UN set's shipped outputs stand in for them), `ctranslate2` has no Arabic or Persian model on PyPI",
              "or Debian, and `openai`/`libretranslate` need a server (the `openai` test runs the same gist model",
              "behind llama.cpp's server, so it would score as `llamacpp`). `none` is the original with glosses:",
              "its chrF is the floor. The gist model is far below the commercial systems; treat its output as a",
              "gist, as the label says.", "", run_line(tr), ""]
    return parts


def events(ev: dict[str, Any]) -> list[str]:
    parts = ["### Event and date words of the gist, before and after the lexicon", "",
             "`eval/data/gist_events.yaml`: 30 short news-like sentences each in Arabic and Persian, written for",
             "this, each with its event words (funeral, martyr, air strike, ceasefire...) and its date word",
             "(yesterday, last night, a weekday...), with accepted alternatives. `before`: the prompt as it was",
             "(names in the system message) with a glossary of names only; `lexicon`: today's prompt with the",
             "names and the lexicon's terms. A date is *wrong* when the English has another date word and not",
             'the right one ("held on Monday" for أمس). The lexicon and the set were written by the same',
             "people on the same day, so the set shows what the gist does with a term it is given, not how",
             "many of a channel's terms the lexicon covers. The two conditions take turns sentence by",
             "sentence, so a stopped run compares them on the same sentences.", "",
             "\"Wrong, shown\" is what a reader would still see: the engine's guard (`wrong_date`, added with",
             "the lexicon) retries an output that names another day than the glossary gave and then shows the",
             "glossed original instead; it can only catch a date the glossary gave, so it changes nothing",
             "`before`. Seconds per sentence were measured under a load of 5–15 on 2 cores: only roughly",
             "comparable.", "",
             "| condition | language | sentences | event words right (of) | dates right | dates wrong | "
             "dates wrong, shown | s/sentence |",
             "|---|---|---|---|---|---|---|---|"]
    for r in ev["rows"]:
        parts.append(f"| {r['condition']} | {r['lang']} | {r['sentences']} | {r['event_words_right']:.3f} "
                     f"({r['event_words']}) | {r['dates_right']:.3f} | {r['dates_wrong']:.3f} | "
                     f"{r.get('dates_wrong_shown', r['dates_wrong']):.3f} | {r['seconds_per_sentence']} |")
    parts += ["", run_line(ev), ""]
    return parts


def settings(gs: dict[str, Any]) -> list[str]:
    parts = ["### The gist model's settings on 2 cores", "",
             f"{gs['sample']} NTREX Arabic sentences (the translation sample's first ones, with their glossaries),",
             "one llama.cpp setting changed at a time from the base; chrF × sentences/s is the figure to",
             "maximise (quality per unit of time).", "",
             "| setting | threads | n_batch | n_ctx | prompt | sentences | chrF | seconds | sentences/s "
             "| chrF × sentences/s |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in gs["rows"]:
        parts.append(f"| {r['setting']} | {r['threads']} | {r['n_batch']} | {r['n_ctx']} | {r['prompt']} | "
                     f"{r['sentences']} | {r['chrf']:.1f} | {r['seconds']} | {r['sentences_per_s']} | "
                     f"{r['chrf_per_s']} |")
    parts += ["", run_line(gs), ""]
    return parts


def tokens(pt: dict[str, Any]) -> list[str]:
    cur, old = pt["current"], pt["legacy"]
    return ["### The prompt: what llama.cpp evaluates per sentence", "",
            f"On {pt['sample']} NTREX Arabic sentences in a row, with their glossaries, tokenised by the gist model's",
            "own chat template: llama-cpp-python keeps the last prompt and reuses the prefix the next one shares,",
            "so only the rest is evaluated. Counted, not timed, so the machine's load does not enter.", "",
            "| prompt | tokens per prompt | tokens evaluated per sentence |", "|---|---|---|",
            f"| glossary in the last message (now) | {cur['prompt_tokens']} | {cur['evaluated_tokens']} |",
            f"| names in the system message (before) | {old['prompt_tokens']} | {old['evaluated_tokens']} |", "",
            "The new prompt is longer (a line on the glossary, the example's own glossary) but evaluates less",
            "per sentence: the system message and the example are the same for every segment and stay in",
            "llama.cpp's context; the old one put the names first and so started over at the glossary.",
            "", run_line(pt), ""]


def translation_section(tr: dict[str, Any] | None, ev: dict[str, Any] | None,
                        gs: dict[str, Any] | None, pt: dict[str, Any] | None = None) -> list[str]:
    """The section's lines (a note when a result is missing)."""
    parts = backends(tr) if tr else ["## Translation", "", "Not measured yet: run `eval/translation.py`.", ""]
    if ev:
        parts += events(ev)
    if pt:
        parts += tokens(pt)
    if gs:
        parts += settings(gs)
    else:
        parts += ["### The gist model's settings on 2 cores", "",
                  "Not measured yet: `nice -n 10 python eval/gist_settings.py --sample 20` times one llama.cpp",
                  "setting changed at a time (threads 1 or 2, n_batch 64 or 512, n_ctx 1024 or 2048, the old or the",
                  "new prompt) and reports chrF × sentences/s. It was not run for this report: the VM's two cores",
                  "carried a load of 10–15 from other work the whole time, so timings would measure the neighbours,",
                  "not the settings. The load-independent part, the prompt, is counted above.", ""]
    return parts
