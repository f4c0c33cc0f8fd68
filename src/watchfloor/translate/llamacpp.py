"""The ``llamacpp`` back-end: any local GGUF instruct model, through llama-cpp-python in a child process.

The model lives in one child process per (model, context, threads), started on first use and kept for the
life of the parent (loaded once, memory-mapped). If the native library crashes there (SIGILL from a build
for another CPU, SIGSEGV from a bad model), the translation that was running fails with ``ModelCrashed``
naming the signal, and the next call starts a fresh child.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections.abc import Mapping, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from watchfloor.errors import ModelCrashed, NotConfigured
from watchfloor.settings import Settings, data_dir
from watchfloor.translate import bundled

__all__ = ["LlamaCppTranslator", "ModelProcess", "model_process", "PORTABLE_CMAKE_ARGS", "INSTALL_HINT"]

# The build the Makefile uses: a conservative x86-64 level, never the build machine's own (-march=native
# builds crash with SIGILL on virtual machines that advertise AVX-512 FP16 or AMX they cannot run).
PORTABLE_CMAKE_ARGS = (
    "-DLLAMA_CURL=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON "
    "-DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF -DGGML_AVX_VNNI=OFF "
    "-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DGGML_BACKEND_DL=OFF -DGGML_CPU_ALL_VARIANTS=OFF")
INSTALL_HINT = (f"llama-cpp-python is not installed: `make setup`, or CMAKE_ARGS=\"{PORTABLE_CMAKE_ARGS}\" "
                "pip install --no-cache-dir 'watchfloor[llm]' (it builds llama.cpp from source, about 5 minutes "
                "on 2 cores)")
LOAD_TIMEOUT_S = 300.0


def _signal_name(exitcode: int | None) -> str:
    if exitcode is None or exitcode >= 0:
        return f"exit status {exitcode}"
    try:
        return signal.Signals(-exitcode).name
    except ValueError:
        return f"signal {-exitcode}"


class ModelProcess:
    """One llama.cpp model in a child process; requests from several threads are served one at a time."""

    def __init__(self, path: Path, n_ctx: int, threads: int | None) -> None:
        self.path, self.n_ctx, self.threads = path, n_ctx, threads
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        self._process: BaseProcess | None = None

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs."""
        return self._process.pid if self._process is not None and self._process.is_alive() else None

    def _start(self) -> None:
        from watchfloor.translate import llama_child

        context = multiprocessing.get_context("spawn")  # no fork: the parent may hold threads and sockets
        parent, child = context.Pipe()
        process = context.Process(target=llama_child.serve, args=(child, str(self.path), self.n_ctx, self.threads),
                                  daemon=True, name="watchfloor-llamacpp")
        process.start()
        child.close()
        self._conn, self._process = parent, process
        kind, detail = self._receive(LOAD_TIMEOUT_S, "loading the model")
        if kind != "ready":
            self.close()
            raise NotConfigured(f"llama.cpp could not load {self.path}: {detail}")

    def _receive(self, timeout: float, doing: str) -> tuple[str, Any]:
        assert self._conn is not None and self._process is not None
        deadline = time.monotonic() + timeout
        while not self._conn.poll(0.2):
            if not self._process.is_alive():
                raise self._crashed(doing)
            if time.monotonic() > deadline:
                self._drop()
                raise ModelCrashed(f"llama.cpp did not answer within {timeout:.0f} s while {doing}; "
                                   "it was stopped and starts again on the next call")
        try:
            received: tuple[str, Any] = self._conn.recv()
        except (EOFError, OSError):  # the child died: its end of the pipe closed
            raise self._crashed(doing) from None
        return received

    def _crashed(self, doing: str) -> ModelCrashed:
        """The error for a child that died, naming its signal (and dropping what is left of it)."""
        assert self._process is not None
        self._process.join(5)
        exitcode = self._process.exitcode
        self._drop()
        hint = ("Its build uses instructions this CPU cannot run: rebuild it portably with `make setup` "
                f"(CMAKE_ARGS=\"{PORTABLE_CMAKE_ARGS}\"). " if exitcode == -signal.SIGILL else "")
        return ModelCrashed(f"llama.cpp crashed ({_signal_name(exitcode)}) while {doing} with {self.path.name}. "
                            f"{hint}Only this work is lost; the next call starts a fresh model process.")

    def _drop(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        self._conn, self._process = None, None

    def ensure_started(self) -> None:
        """Start the child and load the model, unless it already runs."""
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._drop()
                self._start()

    def translate(self, segments: Sequence[str], source_lang: str, glossary: Mapping[str, str], strict: bool,
                  timeout: float = 3600.0) -> list[str]:
        """The child's translations of ``segments``; ``ModelCrashed`` if it dies on them."""
        self.ensure_started()
        with self._lock:
            if self._conn is None:
                raise ModelCrashed("llama.cpp stopped before the request was sent; try again")
            try:
                self._conn.send((list(segments), source_lang, dict(glossary), strict))
            except (BrokenPipeError, OSError) as exc:
                self._drop()
                raise ModelCrashed(f"llama.cpp went away before the request was sent: {exc}") from exc
            kind, detail = self._receive(timeout, f"translating {len(segments)} segment(s)")
        if kind != "ok":
            raise ModelCrashed(f"llama.cpp failed on the request: {detail}")
        return list(detail)

    def close(self) -> None:
        """Ask the child to exit (killing it if it does not)."""
        if self._conn is not None and self._process is not None and self._process.is_alive():
            try:
                self._conn.send(None)
                self._process.join(5)
            except (BrokenPipeError, OSError):
                pass
        self._drop()


_PROCESSES: dict[tuple[str, int, int | None], ModelProcess] = {}
_PROCESSES_LOCK = threading.Lock()


def model_process(path: Path, n_ctx: int = 2048, threads: int | None = None) -> ModelProcess:
    """The process-wide child for this model and settings (one load per parent process)."""
    key = (str(path), n_ctx, threads)
    with _PROCESSES_LOCK:
        if key not in _PROCESSES:
            _PROCESSES[key] = ModelProcess(path, n_ctx, threads)
        return _PROCESSES[key]


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
        self.llm: ModelProcess | None = None

    @classmethod
    def from_settings(cls, settings: Settings, source_lang: str | None = None) -> LlamaCppTranslator:
        """The configured GGUF file, or the bundled gist model."""
        path = settings.get("llamacpp_model")
        threads = settings.get("llamacpp_threads")
        return cls(Path(path).expanduser() if path else None, data_dir(settings), int(threads) if threads else None)

    def setup(self) -> None:
        """Start the model's child process (assembling and checking the bundled model the first time)."""
        if self.llm is not None:
            self.llm.ensure_started()
            return
        try:
            import llama_cpp  # noqa: F401 (only to say what to install; the model loads in the child)
        except ImportError as exc:
            raise NotConfigured(INSTALL_HINT) from exc
        path = self.model_path
        if path is None:
            if self.data_dir is None:
                raise NotConfigured("no data directory to assemble the bundled model in")
            path = bundled.assemble(self.data_dir)
        elif not path.is_file():
            raise NotConfigured(f"no GGUF model at {path}")
        process = model_process(path, self.n_ctx, self.threads)
        process.ensure_started()
        self.llm = process

    def translate(self, segments: Sequence[str], source_lang: str, glossary: Mapping[str, str],
                  strict: bool = False) -> list[str]:
        """One chat completion per segment in the model's process (see ``llama_child``)."""
        self.setup()
        assert self.llm is not None
        return self.llm.translate(segments, source_lang, glossary, strict)
