"""The child process that holds a llama.cpp model for ``LlamaCppTranslator``.

llama.cpp is native code: built for another CPU it dies with SIGILL, and a bad model can crash it. Run in
this child, such a crash ends one translation with a clear error instead of the pytest run, the monitor or
the web app that asked for it. The parent sends ``(segments, source_lang, glossary, strict)`` tuples over a
pipe and gets ``("ok", texts)`` or ``("error", message)`` back; ``None`` asks the child to exit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from multiprocessing.connection import Connection
from typing import Any

from watchfloor.translate.guard import clean_llm_output
from watchfloor.translate.prompt import messages, sentence_count

__all__ = ["serve", "translate_segments"]


def translate_segments(llm: Any, n_ctx: int, segments: Sequence[str], source_lang: str,
                       glossary: Mapping[str, str], strict: bool) -> list[str]:
    """One chat completion per segment, at temperature 0, stopped at the first line break."""
    found = []
    for segment in segments:
        budget = 2 * len(llm.tokenize(segment.encode("utf-8"), add_bos=False)) + 24
        reply = llm.create_chat_completion(messages=messages(segment, source_lang, glossary, strict),
                                           temperature=0.0, max_tokens=min(budget, n_ctx // 2),
                                           stop=["\n", "</source>"])
        found.append(clean_llm_output(str(reply["choices"][0]["message"]["content"] or ""),
                                      sentence_count(segment)))
    return found


def serve(conn: Connection, model_path: str, n_ctx: int, threads: int | None) -> None:
    """Load the model, say ``ready`` (or why not), then answer requests until told to stop."""
    try:
        from llama_cpp import Llama

        llm = Llama(model_path=model_path, n_ctx=n_ctx, n_threads=threads, seed=0, verbose=False)
    except Exception as exc:  # noqa: BLE001 (any load failure goes back to the parent as a message)
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except EOFError:  # the parent went away
            return
        if request is None:
            return
        segments, source_lang, glossary, strict = request
        try:
            conn.send(("ok", translate_segments(llm, n_ctx, segments, source_lang, glossary, strict)))
        except Exception as exc:  # noqa: BLE001
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
