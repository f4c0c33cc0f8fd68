"""OCR with Tesseract (Debian's tesseract-ocr and language packs), run as a subprocess with a timeout on
an image that was already decoded under guard and is re-encoded as a plain PNG for it."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image

from watchfloor.errors import NotConfigured

__all__ = ["OcrResult", "DEFAULT_LANGS", "installed_languages", "ocr_image", "OCR_MAX_PIXELS", "tesseract_path"]

DEFAULT_LANGS = ("ara", "fas", "urd", "pus", "eng")
OCR_MAX_PIXELS = 12_000_000  # larger images are scaled down first: OCR time grows with the pixels
_INSTALL_HINT = ("Tesseract is not installed: apt-get install tesseract-ocr tesseract-ocr-ara tesseract-ocr-fas "
                 "tesseract-ocr-urd tesseract-ocr-pus (or run scripts/tesseract.sh)")


@dataclass
class OcrResult:
    """Text read from an image and the languages Tesseract was asked for."""

    text: str
    langs: list[str]


def tesseract_path() -> str:
    """The tesseract executable; NotConfigured with an install hint when it is missing."""
    path = shutil.which("tesseract")
    if path is None:
        raise NotConfigured(_INSTALL_HINT)
    return path


@lru_cache(maxsize=4)
def _list_langs(executable: str) -> tuple[str, ...]:
    done = subprocess.run([executable, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    lines = (done.stdout or done.stderr).splitlines()
    return tuple(line.strip() for line in lines[1:] if line.strip() and " " not in line.strip())


def installed_languages(wanted: tuple[str, ...] = DEFAULT_LANGS) -> list[str]:
    """The wanted languages that are installed, in the wanted order; NotConfigured when none is."""
    have = set(_list_langs(tesseract_path()))
    found = [lang for lang in wanted if lang in have]
    if not found:
        raise NotConfigured(f"none of the OCR languages {'+'.join(wanted)} is installed; {_INSTALL_HINT}")
    return found


def ocr_image(image: Image.Image, langs: tuple[str, ...] = DEFAULT_LANGS, timeout: float = 60.0,
              max_pixels: int = OCR_MAX_PIXELS) -> OcrResult:
    """Read the text in an image with the installed ones of ``langs``; the pixel cap scales large images
    down, the timeout stops a slow read (raising TimeoutError)."""
    executable = tesseract_path()
    use = installed_languages(langs)
    work = image.convert("RGB") if image.mode not in ("RGB", "L") else image.copy()
    pixels = work.width * work.height
    if pixels > max_pixels:
        scale = (max_pixels / pixels) ** 0.5
        work = work.resize((max(1, int(work.width * scale)), max(1, int(work.height * scale))))
    with tempfile.TemporaryDirectory(prefix="watchfloor-ocr-") as folder:
        source = Path(folder) / "image.png"
        work.save(source, format="PNG")
        try:
            done = subprocess.run([executable, str(source), "stdout", "-l", "+".join(use)], capture_output=True,
                                  timeout=timeout, check=False, env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
        except subprocess.TimeoutExpired as exc:
            raise TimeoutError(f"OCR took longer than {timeout:g} s") from exc
    if done.returncode != 0:
        raise RuntimeError(f"tesseract failed: {done.stderr.decode('utf-8', 'replace').strip()[:300]}")
    text = done.stdout.decode("utf-8", "replace").replace("\x0c", "").strip()
    return OcrResult(text="\n".join(line.strip() for line in text.splitlines() if line.strip()), langs=use)
