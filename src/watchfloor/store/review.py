"""The review queue: candidate entities ranked by how many channels name them, then how often."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.models import Entity
from watchfloor.store.kb import entities_by_id
from watchfloor.store.tables import entities, mentions, posts

__all__ = ["ReviewItem", "review_queue"]


@dataclass
class ReviewItem:
    """A candidate with its number of mentions and of channels that name it."""

    entity: Entity
    mentions: int
    channels: int


def review_queue(conn: Connection, kind: str | None = None, limit: int = 200) -> list[ReviewItem]:
    """Candidates of every type (or one), those seen in most channels first, then most mentioned, then by id."""
    channels = sa.func.count(sa.distinct(posts.c.source_id)).label("channels")
    count = sa.func.count(mentions.c.id).label("mention_count")
    query = (sa.select(entities.c.id, count, channels)
             .select_from(entities.outerjoin(mentions, mentions.c.entity_id == entities.c.id)
                          .outerjoin(posts, posts.c.id == mentions.c.post_id))
             .where(entities.c.status == "candidate"))
    if kind:
        query = query.where(entities.c.type == kind)
    rows = conn.execute(query.group_by(entities.c.id)
                        .order_by(sa.desc("channels"), sa.desc("mention_count"), entities.c.id).limit(limit)).all()
    found = entities_by_id(conn, [row.id for row in rows])
    return [ReviewItem(found[row.id], int(row.mention_count), int(row.channels)) for row in rows]
