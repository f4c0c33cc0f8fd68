"""Which llama.cpp settings and prompt give the gist model the best chrF per second on this machine?

    nice -n 10 python eval/gist_settings.py [--sample 20] [--settings base,threads1,batch64,ctx1024,legacy]
    python eval/gist_settings.py --tokens [--sample 20]

One setting changed at a time from the base (2 threads, n_batch 512, n_ctx 2048, today's prompt with the
glossary last): ``threads1`` one thread; ``batch64`` n_batch 64; ``ctx1024`` n_ctx 1024; ``legacy`` the
earlier prompt (glossary in the system message, so no prompt prefix is shared between sentences). The
same fixed-seed NTREX Arabic sentences (``eval/translation.py``'s sample order) with the pipeline's
glossary, one at a time as the back-end translates them. Outputs go to results/gist_settings.jsonl as they
come; a setting's model is loaded before its clock starts.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import _legacy_prompt
import platformdirs
import sacrebleu
from _common import RESULTS, save
from translation import prepare

from watchfloor.translate import bundled, prompt
from watchfloor.translate.engine import translate_texts
from watchfloor.translate.guard import clean_llm_output
from watchfloor.translate.prompt import sentence_count

SETTINGS: dict[str, dict[str, Any]] = {
    "base": {"threads": 2, "n_batch": 512, "n_ctx": 2048, "prompt": "current"},
    "threads1": {"threads": 1, "n_batch": 512, "n_ctx": 2048, "prompt": "current"},
    "batch64": {"threads": 2, "n_batch": 64, "n_ctx": 2048, "prompt": "current"},
    "ctx1024": {"threads": 2, "n_batch": 512, "n_ctx": 1024, "prompt": "current"},
    "legacy": {"threads": 2, "n_batch": 512, "n_ctx": 2048, "prompt": "legacy"},
}


class Gist:
    """The llamacpp back-end's translate step with every llama.cpp setting open (for this measurement only)."""

    name = "llamacpp"
    uses_glossary = True
    max_batch = 8

    def __init__(self, path: Path, threads: int, n_batch: int, n_ctx: int,
                 chat: Callable[[str, str, Mapping[str, str], bool], list[dict[str, str]]]) -> None:
        from llama_cpp import Llama

        self.model = bundled.MODEL_ID
        self.n_ctx = n_ctx
        self.chat = chat
        self.llm = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=threads, n_threads_batch=threads,
                         n_batch=n_batch, seed=0, verbose=False)

    def setup(self) -> None:
        """Loaded in the constructor."""

    def translate(self, segments: Sequence[str], source_lang: str, glossary: Mapping[str, str],
                  strict: bool = False) -> list[str]:
        found = []
        for segment in segments:
            budget = 2 * len(self.llm.tokenize(segment.encode("utf-8"), add_bos=False)) + 24
            reply: Any = self.llm.create_chat_completion(messages=self.chat(segment, source_lang, glossary, strict),
                                                         temperature=0.0, max_tokens=min(budget, self.n_ctx // 2),
                                                         stop=["\n", "</source>"])
            found.append(clean_llm_output(str(reply["choices"][0]["message"]["content"] or ""),
                                          sentence_count(segment)))
        return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=20)
    parser.add_argument("--settings", default=",".join(SETTINGS))
    parser.add_argument("--tokens", action="store_true", help="only count the prompt tokens each prompt evaluates")
    args = parser.parse_args()
    if args.tokens:
        save("gist_prompt_tokens", prompt_tokens(args.sample))
        return
    item = prepare(max(args.sample, 200))["ntrex128_ar_en"]
    sources, references = item["source"][:args.sample], item["reference"][:args.sample]
    glossaries = item["glossaries"][:args.sample]
    path = bundled.assemble(Path(platformdirs.user_cache_dir("watchfloor-tests")))
    log = RESULTS / "gist_settings.jsonl"
    rows = []
    for name in args.settings.split(","):
        setting = SETTINGS[name]
        chat = _legacy_prompt.messages if setting["prompt"] == "legacy" else prompt.messages
        gist = Gist(path, setting["threads"], setting["n_batch"], setting["n_ctx"], chat)
        outputs, seconds = [], 0.0
        for source, glossary in zip(sources, glossaries, strict=True):
            started = time.perf_counter()
            outputs.append(translate_texts(gist, [source], "ar", [glossary])[0].text)  # type: ignore[arg-type]
            seconds += time.perf_counter() - started
            with log.open("a", encoding="utf-8") as out:
                out.write(json.dumps({"setting": name, "output": outputs[-1]}, ensure_ascii=False) + "\n")
        chrf = sacrebleu.corpus_chrf(outputs, [references]).score
        rows.append({"setting": name, **setting, "sentences": len(outputs), "chrf": round(chrf, 1),
                     "seconds": round(seconds, 1), "sentences_per_s": round(len(outputs) / seconds, 3),
                     "chrf_per_s": round(chrf * len(outputs) / seconds, 2)})
        print(rows[-1], flush=True)
        del gist
    save("gist_settings", {"sample": args.sample, "rows": rows})


def prompt_tokens(sample: int) -> dict[str, Any]:
    """Tokens llama.cpp must evaluate per sentence with each prompt: the prompt minus the prefix it shares with
    the previous sentence's prompt (llama-cpp-python keeps and reuses that prefix). Counted, not timed, so
    the figure does not depend on the machine's load."""
    from llama_cpp import Llama
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    item = prepare(max(sample, 200))["ntrex128_ar_en"]
    path = bundled.assemble(Path(platformdirs.user_cache_dir("watchfloor-tests")))
    vocab = Llama(model_path=str(path), vocab_only=True, verbose=False)
    template = str(vocab.metadata["tokenizer.chat_template"])
    formatter = Jinja2ChatFormatter(template, eos_token="<|im_end|>", bos_token="", add_generation_prompt=True)
    found: dict[str, Any] = {}
    for name, chat in (("current", prompt.messages), ("legacy", _legacy_prompt.messages)):
        previous: list[int] = []
        total = fresh = 0
        for source, glossary in zip(item["source"][:sample], item["glossaries"][:sample], strict=True):
            text = formatter(messages=chat(source, "ar", glossary, False)).prompt  # type: ignore[arg-type]
            tokens = vocab.tokenize(text.encode("utf-8"), add_bos=False, special=True)
            shared = next((i for i, (a, b) in enumerate(zip(previous, tokens, strict=False)) if a != b),
                          min(len(previous), len(tokens)))
            total += len(tokens)
            fresh += len(tokens) - shared
            previous = tokens
        found[name] = {"prompt_tokens": round(total / sample, 1), "evaluated_tokens": round(fresh / sample, 1)}
    return {"sample": sample, **found}
if __name__ == "__main__":
    main()
