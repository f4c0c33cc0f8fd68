"""The ``ctranslate2`` back-end: an OPUS-MT (Marian) or NLLB model converted for CTranslate2, from a local folder.

A Marian folder holds ``model.bin`` with ``source.spm`` and ``target.spm`` (what ``ct2-opus-mt-converter``
writes beside the original's SentencePiece files); an NLLB folder holds ``model.bin`` and
``sentencepiece.bpe.model`` and gets language tokens (``arb_Arab`` ... → ``eng_Latn``); a folder with
one ``spm.model`` is read as Marian with a shared vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from watchfloor.errors import NotConfigured
from watchfloor.settings import Settings, pairs

__all__ = ["CTranslate2Translator", "NLLB_CODES"]

INSTALL_HINT = "CTranslate2 needs its runtime: pip install 'watchfloor[nmt]' (ctranslate2, sentencepiece)"
NLLB_CODES = {"ar": "arb_Arab", "fa": "pes_Arab", "ur": "urd_Arab", "ps": "pbt_Arab", "tr": "tur_Latn",
              "fr": "fra_Latn", "ru": "rus_Cyrl", "he": "heb_Hebr", "ku": "ckb_Arab", "es": "spa_Latn",
              "de": "deu_Latn", "en": "eng_Latn"}


class CTranslate2Translator:
    """Neural machine translation in batches on CPU (or GPU where there is one)."""

    name = "ctranslate2"
    uses_glossary = False

    def __init__(self, model_dir: Path, device: str = "cpu", threads: int = 0, beam_size: int = 2,
                 max_batch: int = 32) -> None:
        self.model_dir = model_dir
        self.device = device
        self.threads = threads
        self.beam_size = beam_size
        self.max_batch = max_batch
        self.model = model_dir.name
        self.kind = ""
        self.translator: Any = None
        self.source_sp: Any = None
        self.target_sp: Any = None
        self.batches: list[int] = []  # the size of every batch sent to the model, for tests and logs

    @classmethod
    def from_settings(cls, settings: Settings, source_lang: str | None = None) -> CTranslate2Translator:
        """The model folder the ``ctranslate2_models`` setting gives for the language (or for ``*``)."""
        models = pairs(settings.get("ctranslate2_models"))
        path = models.get(source_lang or "") or models.get("*")
        if not path:
            raise NotConfigured(f"no CTranslate2 model for {source_lang or 'this language'}: set "
                                "WATCHFLOOR_CTRANSLATE2_MODELS, e.g. ar=/models/opus-mt-ar-en")
        return cls(Path(path).expanduser())

    def setup(self) -> None:
        """Load the model and its SentencePiece vocabularies."""
        if self.translator is not None:
            return
        try:
            import ctranslate2
            import sentencepiece
        except ImportError as exc:
            raise NotConfigured(INSTALL_HINT) from exc
        if not (self.model_dir / "model.bin").is_file():
            raise NotConfigured(f"no CTranslate2 model (model.bin) in {self.model_dir}")
        if (self.model_dir / "source.spm").is_file():
            self.kind = "marian"
            source, target = self.model_dir / "source.spm", self.model_dir / "target.spm"
        elif (self.model_dir / "sentencepiece.bpe.model").is_file():
            self.kind = "nllb"
            source = target = self.model_dir / "sentencepiece.bpe.model"
        elif (self.model_dir / "spm.model").is_file():
            self.kind = "marian"
            source = target = self.model_dir / "spm.model"
        else:
            raise NotConfigured(f"no SentencePiece model (source.spm, sentencepiece.bpe.model) in {self.model_dir}")
        self.source_sp = sentencepiece.SentencePieceProcessor(model_file=str(source))
        self.target_sp = sentencepiece.SentencePieceProcessor(model_file=str(target))
        self.translator = ctranslate2.Translator(str(self.model_dir), device=self.device,
                                                 intra_threads=self.threads, inter_threads=1)

    def tokenize(self, text: str, source_lang: str) -> list[str]:
        """The source pieces the model reads."""
        pieces: list[str] = self.source_sp.encode(text, out_type=str)
        if self.kind == "nllb":
            return [NLLB_CODES.get(source_lang, source_lang), *pieces, "</s>"]
        return pieces

    def detokenize(self, pieces: Sequence[str]) -> str:
        """Text from target pieces (language tokens dropped)."""
        kept = [p for p in pieces if p not in NLLB_CODES.values()]
        return str(self.target_sp.decode(kept))

    def translate(self, segments: Sequence[str], source_lang: str, glossary: Mapping[str, str],
                  strict: bool = False) -> list[str]:
        """All segments in one batched call."""
        self.setup()
        if self.kind == "nllb" and source_lang not in NLLB_CODES:
            raise NotConfigured(f"no NLLB language code known for {source_lang}")
        tokens = [self.tokenize(segment, source_lang) for segment in segments]
        prefix = [[NLLB_CODES["en"]] for _ in tokens] if self.kind == "nllb" else None
        self.batches.append(len(tokens))
        results = self.translator.translate_batch(
            tokens, target_prefix=prefix, beam_size=self.beam_size, max_batch_size=self.max_batch,
            max_decoding_length=min(512, 2 * max((len(t) for t in tokens), default=1) + 10))
        return [self.detokenize(result.hypotheses[0]) for result in results]
