"""Speed of the gist model under the installed llama-cpp-python build: prompt and generation tokens/s.

    python bench/gist_speed.py [--threads 2] [--repeat 3] [--model PATH]

Runs the same short news-like sentences through the gist prompt in-process, at temperature 0, and prints
one JSON object with the build's compiled-in CPU features, so two builds (portable and native) can be
compared on one machine by running this script in each one's environment.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import platformdirs

from watchfloor.translate import bundled
from watchfloor.translate.prompt import messages

SENTENCES = [  # short wire-style sentences (Arabic and Persian), written for the project
    ("ar", "التقى وزير الخارجية الإيراني بنظيره العماني في مسقط يوم الثلاثاء"),
    ("ar", "أعلن المتحدث باسم الجيش عن اجتماع في بغداد لبحث الوضع الأمني"),
    ("fa", "وزیر امور خارجه ایران روز سه شنبه با همتای عمانی خود در مسقط دیدار کرد"),
    ("fa", "سخنگوی دولت گفت نشست بعدی هفته آینده در تهران برگزار می شود"),
]


def main() -> None:
    """Time prompt reading and generation over the sentences and print the rates."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    import llama_cpp

    path = args.model or bundled.assemble(Path(platformdirs.user_cache_dir("watchfloor-tests")))
    llm = llama_cpp.Llama(model_path=str(path), n_ctx=2048, n_threads=args.threads, seed=0, verbose=False)

    def run(max_tokens: int) -> tuple[float, int, int]:
        prompt_tokens = completion_tokens = 0
        started = time.perf_counter()
        for _ in range(args.repeat):
            for lang, sentence in SENTENCES:
                llm.reset()  # no prompt cache between runs: every run reads its whole prompt
                usage = llm.create_chat_completion(messages=messages(sentence, lang, {}, False), temperature=0.0,
                                                   max_tokens=max_tokens, stop=["\n"])["usage"]
                prompt_tokens += int(usage["prompt_tokens"])
                completion_tokens += int(usage["completion_tokens"])
        return time.perf_counter() - started, prompt_tokens, completion_tokens

    run(1)  # warm the page cache and the allocator
    prompt_s, prompt_tokens, first_tokens = run(1)
    whole_s, _, generated = run(48)
    runs = args.repeat * len(SENTENCES)
    print(json.dumps({
        "build": llama_cpp.llama_print_system_info().decode().strip(),
        "llama_cpp_python": llama_cpp.__version__, "machine": platform.machine(), "threads": args.threads,
        "sentences": runs, "prompt_tokens_per_s": round(prompt_tokens / prompt_s, 1),
        "generated_tokens_per_s": round((generated - first_tokens) / max(whole_s - prompt_s, 1e-9), 1),
        "seconds_per_sentence": round(whole_s / runs, 2),
    }, indent=2))


if __name__ == "__main__":
    main()
