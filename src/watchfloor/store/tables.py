"""SQLAlchemy Core tables: the one schema that SQLite and PostgreSQL share."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

__all__ = [
    "metadata", "UTCDateTime", "sources", "posts", "post_revisions", "import_errors",
    "entities", "aliases", "mentions", "stories", "story_posts", "translations",
]

metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


sources = sa.Table(
    "sources", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(300), nullable=False, unique=True),
    sa.Column("platform", sa.String(40), nullable=False),
    sa.Column("handle", sa.String(100)),
    sa.Column("channel_id", sa.BigInteger, unique=True),
    sa.Column("name", sa.Text),
    sa.Column("affiliation", sa.Text),
    sa.Column("lang", sa.String(16)),
    sa.Column("tags", sa.JSON, nullable=False, default=list),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("collector", sa.String(40)),  # telegram-web, ... (None: imported only)
    sa.Column("cursor", sa.BigInteger),  # the newest message id collected
    sa.Column("state", sa.JSON),  # the last collection's outcome: {"status", "at", "note"}
)

posts = sa.Table(
    "posts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    sa.Column("message_id", sa.BigInteger, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("posted_at", UTCDateTime, nullable=False, index=True),
    sa.Column("edited_at", UTCDateTime),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("author", sa.Text),
    sa.Column("forwarded_from", sa.Text),
    sa.Column("forwarded_from_id", sa.String(64)),
    sa.Column("reply_to", sa.BigInteger),
    sa.Column("links", sa.JSON, nullable=False),
    sa.Column("media", sa.JSON, nullable=False),
    sa.Column("raw", sa.JSON, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("imported_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    # analysis, filled by the pipeline; processed_at is NULL until the post is (re)processed
    sa.Column("lang", sa.String(16)),
    sa.Column("text_en", sa.Text),
    sa.Column("translation", sa.JSON),
    sa.Column("quotes", sa.JSON),
    sa.Column("dates", sa.JSON),
    sa.Column("indicators", sa.JSON),
    sa.Column("embedding", sa.LargeBinary),
    sa.Column("stages", sa.JSON),
    sa.Column("processed_at", UTCDateTime, index=True),
    sa.UniqueConstraint("source_id", "message_id", name="uq_posts_source_message"),
)

post_revisions = sa.Table(
    "post_revisions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("edited_at", UTCDateTime),
    sa.Column("raw", sa.JSON, nullable=False),
    sa.Column("replaced_at", UTCDateTime, nullable=False),
)

import_errors = sa.Table(
    "import_errors", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("file", sa.Text, nullable=False),
    sa.Column("message_id", sa.BigInteger),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
)

entities = sa.Table(
    "entities", metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("type", sa.String(40), nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("description", sa.Text),
    sa.Column("attrs", sa.JSON, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

aliases = sa.Table(
    "aliases", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("lang", sa.String(16)),
    sa.Column("norm", sa.Text, nullable=False, index=True),
    sa.UniqueConstraint("entity_id", "text", name="uq_aliases_entity_text"),
)

mentions = sa.Table(
    "mentions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("surface", sa.Text, nullable=False),
    sa.Column("span_start", sa.Integer, nullable=False),
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
)

stories = sa.Table(
    "stories", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("first_seen", UTCDateTime, nullable=False, index=True),
    sa.Column("last_seen", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

story_posts = sa.Table(
    "story_posts", metadata,
    sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id", ondelete="CASCADE"),
              nullable=False, index=True),
)


# Translated segments, so that the same segment is never translated twice by the same model (migration 0004).
translations = sa.Table(
    "translations", metadata,
    sa.Column("key", sa.String(64), primary_key=True),  # SHA-256 of back-end, model, language, glossary, segment
    sa.Column("backend", sa.String(40), nullable=False),
    sa.Column("model", sa.String(300), nullable=False),
    sa.Column("source_lang", sa.String(16), nullable=False),
    sa.Column("text_en", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)
