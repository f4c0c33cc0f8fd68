"""The embedding stage's threads: where the model has several OpenMP threads, each text is embedded on its own
on a pool of single-threaded threads; the vectors are the batch call's, bit for bit."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest

from watchfloor import runner
from watchfloor.models import Post, Source
from watchfloor.pipeline.embed import MAX_CHARS, EmbedStage, model_threads
from watchfloor.sources.telegram_export import parse_message


def sample_texts() -> list[str]:
    """Every text of the bundled sample channels (Arabic, Persian, English, French...), as the export's parser
    reads them and the stage cuts them."""
    texts = []
    for export in sorted(runner.sample_exports().glob("*/result.json")):
        for message in json.loads(export.read_text(encoding="utf-8"))["messages"]:
            text = parse_message(message, str(export)).text
            if text.strip():
                texts.append(text[:MAX_CHARS])
    return texts


@pytest.fixture(scope="module")
def stage() -> EmbedStage:
    made = EmbedStage()
    made.setup()
    return made


def _two_threads(stage: EmbedStage, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stage as on a machine where its model computes with two OpenMP threads (whatever this one has)."""
    monkeypatch.setattr(stage, "_threads", (2, stage._threads[1]))
    assert stage._threads[1] is not None, "the bundled model's library has OpenMP"


@pytest.mark.parametrize("extra", [[], ["one more: " + "a long post that spills into windows. " * 400],
                                   ["", "x", "🙂" * 50, "\u200f\u202eمرحبا\u202c"]])
def test_the_pool_gives_the_batch_call_s_vectors_bit_for_bit(stage: EmbedStage, extra: list[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    texts = sample_texts()[:16] + extra
    _two_threads(stage, monkeypatch)
    pooled = stage.embed_texts(texts)
    assert stage._pool is not None
    batch = np.asarray(stage.model.passage(texts), dtype=np.float32)
    assert pooled.dtype == np.float32 and pooled.shape == (len(texts), stage.model.dim)
    assert np.array_equal(pooled, batch)


def test_each_pool_thread_computes_on_one_openmp_thread(stage: EmbedStage, monkeypatch: pytest.MonkeyPatch) -> None:
    _two_threads(stage, monkeypatch)
    stage.embed_texts(sample_texts()[:4])
    assert stage._pool is not None
    get = stage.model._lib.omp_get_max_threads
    in_pool = {stage._pool.submit(get).result() for _ in range(8)}
    assert in_pool == {1}
    assert get() == model_threads(stage.model)[0]  # the calling thread's own count is untouched


def test_a_model_on_one_thread_is_called_once_per_batch(stage: EmbedStage, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = EmbedStage()
    fresh.setup()
    monkeypatch.setattr(fresh, "_threads", (1, fresh._threads[1]))
    calls: list[Any] = []
    passage = fresh.model.passage
    monkeypatch.setattr(fresh.model, "passage", lambda texts: calls.append(texts) or passage(texts))
    source = Source(key="telegram:sample")
    posts = [Post(id=i, source=source, message_id=i, posted_at=datetime(2026, 5, 22, tzinfo=UTC), text=t)
             for i, t in enumerate(sample_texts()[:6] + ["  "])]
    fresh.run(posts)
    assert len(calls) == 1 and len(calls[0]) == 6 and fresh._pool is None
    assert posts[-1].embedding is None and all(p.embedding is not None for p in posts[:6])


def test_a_model_without_openmp_is_called_in_one_thread() -> None:
    class Plain:
        dim = 3

        def passage(self, texts: list[str]) -> Any:
            return np.ones((len(texts), 3))

    assert model_threads(Plain()) == (1, None)
    stage = EmbedStage()
    stage.model = Plain()
    assert stage.embed_texts(["a", "b", "c"]).shape == (3, 3) and stage._pool is None
    assert stage.embed_texts([]).shape == (0, 3)
