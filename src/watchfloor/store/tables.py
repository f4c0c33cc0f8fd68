"""SQLAlchemy Core tables: the one schema that SQLite and PostgreSQL share. The collected content's tables are
here; the web app's, alerts' and referrals' are in ``tables_web`` and re-exported, so every table is importable
from this module."""

from __future__ import annotations

import sqlalchemy as sa

from watchfloor.store.schema import UTCDateTime, metadata
from watchfloor.store.tables_web import (
    alert_deliveries,
    alert_events,
    alert_rules,
    api_keys,
    audit_log,
    password_resets,
    referral_items,
    referrals,
    report_media,
    reports,
    sessions,
    users,
)

__all__ = [
    "metadata", "UTCDateTime", "sources", "posts", "post_revisions", "import_errors",
    "entities", "aliases", "mentions", "entity_days", "entity_totals", "entity_sources", "entity_pairs",
    "source_vectors", "stories", "story_posts", "translations", "referrals", "referral_items",
    "users", "sessions", "api_keys", "password_resets", "reports", "report_media", "audit_log",
    "alert_rules", "alert_events", "alert_deliveries", "media", "post_media", "rate_events",
    "translation_queue", "human_translations", "translation_usage", "host_requests", "story_coding",
]

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
    sa.Column("state", sa.JSON),  # the last collection's outcome: {"status", "at", "note", "failures"}
    sa.Column("interval_minutes", sa.Integer),  # this source's collection interval (None: the default setting)
    sa.Column("next_collect_at", UTCDateTime, index=True),  # when the monitor collects it next (None: now)
    sa.Column("lease_owner", sa.String(200)),  # host:pid:token of the monitor collecting it (migration 0017)
    sa.Column("lease_until", UTCDateTime),  # after this another monitor may take it
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
    sa.Column("deleted_at", UTCDateTime),  # when a collector saw it gone at the source (the post is kept)
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

# Counts kept per knowledge-base entry as mentions are written (store/entity_counts.py, migration 0021), so that
# an entry's page costs what its rows cost, not the archive: posts naming it per UTC day (and its mentions),
# per source, and the posts it shares with each other entry.
entity_days = sa.Table(
    "entity_days", metadata,
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("posts", sa.Integer, nullable=False),
    sa.Column("mentions", sa.Integer, nullable=False),
)

entity_totals = sa.Table(  # the sums of entity_days per entry (migration 0023), for the list most mentioned first
    "entity_totals", metadata,
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("posts", sa.Integer, nullable=False),
    sa.Column("mentions", sa.Integer, nullable=False, index=True),
)

entity_sources = sa.Table(
    "entity_sources", metadata,
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("posts", sa.Integer, nullable=False),
)

entity_pairs = sa.Table(
    "entity_pairs", metadata,
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("other_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("posts", sa.Integer, nullable=False),
)

# Each source's posts' embeddings summed (float64, little-endian) and counted, kept as posts are analysed
# (store/source_vectors.py, migration 0022): the network's "same voice" centroids without reading every embedding.
source_vectors = sa.Table(
    "source_vectors", metadata,
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("total", sa.LargeBinary, nullable=False),
    sa.Column("posts", sa.Integer, nullable=False),
)

stories = sa.Table(
    "stories", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("first_seen", UTCDateTime, nullable=False, index=True),
    sa.Column("last_seen", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Index("ix_stories_last_seen", "last_seen", "id"),  # the story list, newest first (migration 0020)
)

story_posts = sa.Table(
    "story_posts", metadata,
    sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id", ondelete="CASCADE"),
              nullable=False, index=True),
)

# A story's coding (pipeline/coding.py), written when the story changes so that reading a story codes nothing.
story_coding = sa.Table(
    "story_coding", metadata,
    sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("coder", sa.String(64), nullable=False),  # CODER_VERSION: other cues mean code again
    sa.Column("event_type", sa.String(40)),
    sa.Column("votes", sa.JSON, nullable=False),  # event type -> posts voting for it
    sa.Column("stances", sa.JSON, nullable=False),  # post id (as text) -> report | claim | denial
    sa.Column("actors", sa.JSON, nullable=False),  # entity ids, most named first
    sa.Column("place", sa.String(200)),  # entity id
    sa.Column("coded_at", UTCDateTime, nullable=False),
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

# Characters sent to each translation back-end, per UTC day: the paid services bill by them (migration 0013).
translation_usage = sa.Table(
    "translation_usage", metadata,
    sa.Column("backend", sa.String(40), primary_key=True),
    sa.Column("model", sa.String(300), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("characters", sa.BigInteger, nullable=False),
    sa.Column("segments", sa.BigInteger, nullable=False),
    sa.Column("calls", sa.BigInteger, nullable=False),
)

# Archived media, content-addressed (migration 0008); the files live in <data_dir>/media/ab/cd/<sha256>.
media = sa.Table(
    "media", metadata,
    sa.Column("sha256", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),  # image | video | audio | file, from the sniffed type
    sa.Column("mime", sa.String(100), nullable=False),  # sniffed from the bytes, never the declared type
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("width", sa.Integer),
    sa.Column("height", sa.Integer),
    sa.Column("pdq", sa.String(64)),  # PDQ hash, 64 hex digits
    sa.Column("pdq_quality", sa.Integer),
    sa.Column("ocr_text", sa.Text),
    sa.Column("ocr_langs", sa.JSON(none_as_null=True)),  # SQL NULL until OCR has read the image
    sa.Column("status", sa.String(20), nullable=False),  # ok | rejected
    sa.Column("reason", sa.Text),  # why it was rejected
    sa.Column("first_seen", UTCDateTime, nullable=False),
)

# Which post carried which file, as the source described it; sha256 is NULL when the file could not be
# read at all (missing from the export, refused path, over the size limit, fetch failed): note says why.
post_media = sa.Table(
    "post_media", metadata,
    sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("sha256", sa.String(64), sa.ForeignKey("media.sha256", ondelete="SET NULL"), index=True),
    sa.Column("declared_kind", sa.String(40), nullable=False),
    sa.Column("declared_name", sa.Text),
    sa.Column("declared_mime", sa.String(200)),
    sa.Column("origin", sa.Text),  # the export's relative path or the page's URL
    sa.Column("note", sa.Text),
    sa.Column("stored_at", UTCDateTime, nullable=False),
)

# Attempts that cost the server work or reveal something (log-in failures, registrations, reset requests),
# per address and per client, for the web app's limits; rows older than a day are swept.
rate_events = sa.Table(
    "rate_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("key", sa.String(400), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False, index=True),
    sa.Index("ix_rate_events_action_key", "action", "key"),
)

# The translation queue (migration 0014): one row per post that needs a better English text than it has.
# Highest priority first, then newest; a worker claims rows with a lease (owner, expiry) so that a row whose
# worker died is claimed again; done and failed rows stay for `translate status` (rate, errors).
translation_queue = sa.Table(
    "translation_queue", metadata,
    sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("lang", sa.String(16), nullable=False),
    sa.Column("backend", sa.String(40), nullable=False),  # the back-end configured for the language when queued
    sa.Column("priority", sa.Integer, nullable=False),  # higher first (translation_queue.py says how)
    sa.Column("reason", sa.String(20), nullable=False),  # report | story | watched | recent
    sa.Column("posted_at", UTCDateTime, nullable=False),  # the post's, for newest-first within a priority
    sa.Column("status", sa.String(20), nullable=False),  # queued | running | done | failed
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("not_before", UTCDateTime),  # a failed attempt waits until then
    sa.Column("lease_owner", sa.String(200)),  # host:pid:token of the worker holding it
    sa.Column("lease_until", UTCDateTime),  # after this another worker may take it
    sa.Column("last_error", sa.Text),
    sa.Column("segments", sa.Integer),  # segments of the finished translation
    sa.Column("enqueued_at", UTCDateTime, nullable=False),
    sa.Column("started_at", UTCDateTime),
    sa.Column("done_at", UTCDateTime),
    sa.Index("ix_translation_queue_order", "status", "priority", "posted_at"),
)

# Every English text an analyst wrote for a post, with its author (the newest is the post's translation).
human_translations = sa.Table(
    "human_translations", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("text_en", sa.Text, nullable=False),
    sa.Column("author", sa.String(320), nullable=False),
    sa.Column("source_sha", sa.String(64), nullable=False),  # text_hash of the original it translates
    sa.Column("created_at", UTCDateTime, nullable=False),
)

# Politeness shared by every monitor on the database (migration 0017): per host, the time (seconds since the
# epoch) of the latest request granted; a monitor reserves the next slot atomically, then waits for it.
host_requests = sa.Table(
    "host_requests", metadata,
    sa.Column("host", sa.String(255), primary_key=True),
    sa.Column("last_request_at", sa.Float, nullable=False),
)
