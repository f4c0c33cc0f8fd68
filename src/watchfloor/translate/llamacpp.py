"""The ``llamacpp`` back-end: any local GGUF instruct model, in-process through llama-cpp-python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from watchfloor.errors import NotConfigured
from watchfloor.settings import Settings, data_dir
from watchfloor.translate import bundled
from watchfloor.translate.guard import clean_llm_output
from watchfloor.translate.prompt import messages, sentence_count

__all__ = ["LlamaCppTranslator", "load_model"]

INSTALL_HINT = ("llama-cpp-python is not installed: CMAKE_ARGS=\"-DLLAMA_CURL=OFF\" pip install 'watchfloor[llm]' "
                "(it builds llama.cpp from source, about 5 minutes on 2 cores)")
_LOADED: dict[tuple[str, int, int | None], Any] = {}


def load_model(path: Path, n_ctx: int = 2048, threads: int | None = None) -> Any:
    """A llama.cpp model, loaded once per process (memory-mapped)."""
    key = (str(path), n_ctx, threads)
    if key not in _LOADED:
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise NotConfigured(INSTALL_HINT) from exc
        if not path.is_file():
            raise NotConfigured(f"no GGUF model at {path}")
        _LOADED[key] = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=threads, seed=0, verbose=False)
    return _LOADED[key]


class LlamaCppTranslator:
    """Gist translation by a local instruct model, with the post's names given as a glossary."""

    name = "llamacpp"
    uses_glossary = True
    max_batch = 8

    def __init__(self, model_path: Path | None = None, data_dir: Path | None = None, threads: int | None = None,
                 n_ctx: int = 2048) -> None:
        self.model_path = model_path
        self.data_dir = data_dir
        self.threads = threads
        self.n_ctx = n_ctx
        self.model = model_path.stem if model_path else bundled.MODEL_ID
        self.llm: Any = None

    @classmethod
    def from_settings(cls, settings: Settings, source_lang: str | None = None) -> LlamaCppTranslator:
        """The configured GGUF file, or the bundled gist model."""
        path = settings.get("llamacpp_model")
        threads = settings.get("llamacpp_threads")
        return cls(Path(path).expanduser() if path else None, data_dir(settings), int(threads) if threads else None)

    def setup(self) -> None:
        """Load the model (assembling the bundled one the first time)."""
        if self.llm is not None:
            return
        try:
            import llama_cpp  # noqa: F401
        except ImportError as exc:
            raise NotConfigured(INSTALL_HINT) from exc
        path = self.model_path
        if path is None:
            if self.data_dir is None:
                raise NotConfigured("no data directory to assemble the bundled model in")
            path = bundled.assemble(self.data_dir)
        self.llm = load_model(path, self.n_ctx, self.threads)

    def translate(self, segments: Sequence[str], source_lang: str, glossary: Mapping[str, str],
                  strict: bool = False) -> list[str]:
        """One chat completion per segment, at temperature 0, stopped at the first line break."""
        self.setup()
        found = []
        for segment in segments:
            budget = 2 * len(self.llm.tokenize(segment.encode("utf-8"), add_bos=False)) + 24
            reply = self.llm.create_chat_completion(messages=messages(segment, source_lang, glossary, strict),
                                                    temperature=0.0, max_tokens=min(budget, self.n_ctx // 2),
                                                    stop=["\n", "</source>"])
            found.append(clean_llm_output(str(reply["choices"][0]["message"]["content"] or ""),
                                          sentence_count(segment)))
        return found
