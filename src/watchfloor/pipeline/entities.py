"""The entities stage: people, organisations, places and outlets named in a post, linked to the knowledge base."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from watchfloor.models import Entity, Mention, Post
from watchfloor.pipeline.context import keep_mentions

__all__ = ["EntityStage"]


class EntityStage:
    """Links mentions in the original text and, where there is one, the English translation."""

    name = "entities"
    version = "2"
    requires: tuple[str, ...] = ("text",)
    assigns: tuple[str, ...] = ("mentions",)

    def __init__(self, find: Callable[[str], list[Mention]], entities: Mapping[str, Entity] | None = None) -> None:
        self.link = find
        self.entities = dict(entities or {})

    def find(self, text: str) -> list[Mention]:
        """The linker's mentions that have the context their name needs (``pipeline/context.py``)."""
        return keep_mentions(text, self.link(text), self.entities)

    def setup(self) -> None:
        """Nothing to load: the linker is built from the knowledge base by the runner."""

    def run(self, batch: Sequence[Post]) -> None:
        """Fill ``mentions`` on each post (spans index the original text)."""
        for post in batch:
            post.mentions = self.find(post.text)
            if post.text_en:
                # mentions found only in the translation still count, without a span in the original
                seen = {m.entity_id for m in post.mentions}
                for mention in self.find(post.text_en):
                    if mention.entity_id not in seen:
                        seen.add(mention.entity_id)
                        post.mentions.append(Mention(mention.entity_id, mention.surface, -1, -1,
                                                     mention.score * 0.9))
