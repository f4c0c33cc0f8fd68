"""SQLAlchemy Core tables of the web app's people and sessions, published reports, the audit log, alerts and
takedown referrals (re-exported by ``store.tables``, which holds the collected content's tables)."""

from __future__ import annotations

import sqlalchemy as sa

from watchfloor.store.schema import UTCDateTime, metadata

__all__ = [
    "users", "sessions", "api_keys", "password_resets", "reports", "report_media", "audit_log", "alert_rules",
    "alert_events",
    "alert_deliveries", "referrals", "referral_items",
]

# --- the web app: people, their sessions and keys, published reports, and what everyone did ---

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.String(20), nullable=False),  # public | subscriber | analyst | admin
    sa.Column("subscription_until", UTCDateTime),  # a subscriber reads subscriber reports until then
    sa.Column("created_at", UTCDateTime, nullable=False),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),  # SHA-256 of the cookie's value
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
)

api_keys = sa.Table(
    "api_keys", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("key_hash", sa.String(64), nullable=False, unique=True),  # SHA-256 of the key
    sa.Column("prefix", sa.String(16), nullable=False),  # shown in listings to tell keys apart
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_used_at", UTCDateTime),
    sa.Column("revoked_at", UTCDateTime),
)

password_resets = sa.Table(
    "password_resets", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
    sa.Column("used_at", UTCDateTime),
)

reports = sa.Table(
    "reports", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id", ondelete="SET NULL")),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),  # Markdown; the lede is its first paragraph
    sa.Column("footnotes", sa.JSON, nullable=False),
    sa.Column("tier", sa.String(20), nullable=False),  # public | subscriber
    sa.Column("status", sa.String(20), nullable=False),  # draft | published
    sa.Column("publish_at", UTCDateTime),  # embargo: published reports appear from then on
    sa.Column("published_at", UTCDateTime),
    sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
)

# The archived files a report's body shows (/media/<sha256>), kept with every save (migration 0019), so the
# media route asks whether a reader may see a file without reading every report.
report_media = sa.Table(
    "report_media", metadata,
    sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("sha256", sa.String(64), primary_key=True, index=True),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False, index=True),
    sa.Column("actor", sa.String(320)),  # the user's e-mail, or "cli" for the command line
    sa.Column("action", sa.String(60), nullable=False),
    sa.Column("target", sa.Text),
    sa.Column("detail", sa.JSON, nullable=False),
)


# --- alerts: rules, what matched them (once per rule and post or story), and each delivery attempt ---

alert_rules = sa.Table(
    "alert_rules", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # entity | keyword | source | affiliation | story
    sa.Column("value", sa.Text, nullable=False),  # the entity id, keyword, source key, affiliation, or N sources
    sa.Column("channels", sa.JSON, nullable=False),  # ["app", "email:desk@example.org", "webhook:https://..."]
    sa.Column("mode", sa.String(20), nullable=False),  # immediate | digest
    sa.Column("cursor", sa.Integer, nullable=False),  # posts with a larger id have not been matched yet
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

alert_events = sa.Table(
    "alert_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("rule_id", sa.Integer, sa.ForeignKey("alert_rules.id", ondelete="CASCADE"), nullable=False),
    sa.Column("subject", sa.String(40), nullable=False),  # post:<id> or story:<id>; unique per rule
    sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id", ondelete="SET NULL")),
    sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id", ondelete="SET NULL")),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False, index=True),
    sa.UniqueConstraint("rule_id", "subject", name="uq_alert_events_rule_subject"),
)

alert_deliveries = sa.Table(
    "alert_deliveries", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("event_id", sa.Integer, sa.ForeignKey("alert_events.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("channel", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # pending | sent | failed (given up)
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", UTCDateTime, nullable=False),
    sa.Column("last_error", sa.Text),
    sa.Column("sent_at", UTCDateTime),
    sa.UniqueConstraint("event_id", "channel", name="uq_alert_deliveries_event_channel"),
)

referrals = sa.Table(
    "referrals", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("platform", sa.String(40), nullable=False),
    sa.Column("subject", sa.Text, nullable=False),  # story:<id> or source:<key>
    sa.Column("created_at", UTCDateTime, nullable=False),
)

referral_items = sa.Table(
    "referral_items", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id", ondelete="CASCADE"),
              nullable=False, index=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    sa.Column("post_id", sa.Integer, sa.ForeignKey("posts.id", ondelete="CASCADE")),  # NULL: the channel itself
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("content_hash", sa.String(64)),  # of the post as captured when the referral was made
    sa.Column("captured_at", UTCDateTime),  # when Watchfloor first stored the post
    sa.Column("status", sa.String(20), nullable=False),  # pending | up | removed | error
    sa.Column("http_status", sa.Integer),
    sa.Column("note", sa.Text),
    sa.Column("checked_at", UTCDateTime),
    sa.Column("removed_at", UTCDateTime),  # the first check that found it gone
    sa.Column("checks", sa.JSON, nullable=False),  # every check: [{"at", "status", "http_status", "note"}]
)
