"""The gist model's parts are joined into one file only when the whole matches its pinned SHA-256."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

from watchfloor.errors import NotConfigured
from watchfloor.translate import bundled
from watchfloor.translate.llamacpp import PORTABLE_CMAKE_ARGS

ROOT = Path(__file__).resolve().parent.parent


def _parts(folder: Path, chunks: list[bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, chunk in enumerate(chunks, 1):
        path = folder / f"part{n:02d}.bin"
        path.write_bytes(chunk)
        paths.append(path)
    return paths


CHUNKS = [b"GGUF" + bytes(range(256)) * 3, b"\x00" * 1000, b"tail of the model" * 40]
WHOLE = b"".join(CHUNKS)
PIN = {"size": len(WHOLE), "sha256": hashlib.sha256(WHOLE).hexdigest()}


def test_matching_parts_are_joined_once(tmp_path: Path) -> None:
    parts = _parts(tmp_path / "parts", CHUNKS)
    target = bundled.assemble(tmp_path / "data", parts, **PIN)
    assert target.read_bytes() == WHOLE
    first = target.stat().st_mtime_ns
    assert bundled.assemble(tmp_path / "data", parts, **PIN) == target
    assert target.stat().st_mtime_ns == first  # verified by its stamp, not joined again


@pytest.mark.parametrize("damage", ["flip a byte", "truncate", "append", "swap parts", "drop a part",
                                    "another version"])
def test_damaged_or_substituted_parts_are_refused(tmp_path: Path, damage: str) -> None:
    chunks = list(CHUNKS)
    if damage == "flip a byte":
        chunks[1] = chunks[1][:500] + b"\x01" + chunks[1][501:]
    elif damage == "truncate":
        chunks[2] = chunks[2][:-1]
    elif damage == "append":
        chunks[2] += b"\x00"
    elif damage == "swap parts":
        chunks[1], chunks[2] = chunks[2], chunks[1]
    elif damage == "drop a part":
        chunks = chunks[:2]
    else:
        chunks[0] = b"GGUF" + bytes(reversed(range(256))) * 3
    parts = _parts(tmp_path / "parts", chunks)
    with pytest.raises(NotConfigured, match="SHA-256") as refused:
        bundled.assemble(tmp_path / "data", parts, **PIN)
    assert "reinstall" in str(refused.value)
    assert not bundled.bundled_path(tmp_path / "data").exists()  # nothing half-checked left for llama.cpp
    assert not list((tmp_path / "data" / "models").glob("*.part"))


def test_a_model_changed_after_joining_is_checked_again_and_rejoined(tmp_path: Path) -> None:
    parts = _parts(tmp_path / "parts", CHUNKS)
    target = bundled.assemble(tmp_path / "data", parts, **PIN)
    damaged = bytearray(WHOLE)
    damaged[10] ^= 0xFF
    target.write_bytes(bytes(damaged))  # same size, another mtime: the stamp no longer matches
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 10**9))
    assert bundled.assemble(tmp_path / "data", parts, **PIN).read_bytes() == WHOLE
    target.write_bytes(bytes(damaged))
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 2 * 10**9))
    with pytest.raises(NotConfigured, match="SHA-256"):  # and with damaged parts it is refused, not used
        bundled.assemble(tmp_path / "data", _parts(tmp_path / "bad", [bytes(damaged)]), **PIN)


def test_the_pin_is_a_sha256() -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", bundled.SHA256)


def test_the_makefile_builds_llama_cpp_with_the_portable_flags() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    match = re.search(r"^LLAMA_CMAKE_ARGS := (.+)$", makefile, re.M)
    assert match is not None
    assert match.group(1).split() == PORTABLE_CMAKE_ARGS.split()
    assert "-DGGML_NATIVE=OFF" in PORTABLE_CMAKE_ARGS and "-DGGML_AVX512=OFF" in PORTABLE_CMAKE_ARGS
    assert re.search(r'CMAKE_ARGS="\$\(LLAMA_CMAKE_ARGS\)".*--no-cache-dir', makefile)
