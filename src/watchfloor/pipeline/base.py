"""The stage interface: a stage is a named, versioned function over a batch of posts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from watchfloor.models import Post

__all__ = ["Stage", "GIVEN_FIELDS"]

# The Post fields a stage finds filled in by the store, before any stage runs
GIVEN_FIELDS = frozenset({"text", "links", "posted_at", "source"})


class Stage(Protocol):
    """One analysis step over a batch of posts.

    A stage declares the ``Post`` fields it ``requires`` and the ones it ``assigns``, so the runner
    can check the order of a pipeline before any data flows. ``setup`` loads models once and raises
    ``NotConfigured`` when the stage cannot run here; ``run`` fills the assigned fields of every post
    in the batch in place. A stage never opens the database: the runner loads and stores. A stage may also set
    ``overlaps = True`` when its work lets go of the GIL (a model in C): if it reads only ``GIVEN_FIELDS`` and no
    other stage reads what it assigns, the local engine runs it in a thread beside the others.
    """

    name: str
    version: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def setup(self) -> None:
        """Load models or data once; raise NotConfigured when this stage cannot run."""

    def run(self, batch: Sequence[Post]) -> None:
        """Fill this stage's fields on every post of the batch."""
