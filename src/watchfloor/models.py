"""Plain dataclasses that every layer shares: sources, posts, entities, mentions, stories, reports."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = [
    "Source",
    "Media",
    "MediaFile",
    "ParsedPost",
    "encode_raw",
    "Post",
    "Entity",
    "Alias",
    "Mention",
    "Quote",
    "DateMention",
    "Indicator",
    "StoryCoding",
    "Story",
    "Footnote",
    "ReportDraft",
    "Tier",
    "Role",
    "User",
    "Report",
]


class Tier(enum.StrEnum):
    """Who may read a published report."""

    PUBLIC = "public"
    SUBSCRIBER = "subscriber"


class Role(enum.IntEnum):
    """Cumulative access: each role may do everything the roles below it may."""

    PUBLIC = 0
    SUBSCRIBER = 1
    ANALYST = 2
    ADMIN = 3

    @classmethod
    def named(cls, name: str) -> Role:
        """The role of a name such as "analyst"."""
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown role {name!r}; one of {', '.join(r.label for r in cls)}") from None

    @property
    def label(self) -> str:
        """The role's name in lower case."""
        return self.name.lower()


@dataclass
class Source:
    """A channel or site Watchfloor watches, keyed like ``telegram:1350118745`` or ``telegram:handle``."""

    key: str
    platform: str = "telegram"
    handle: str | None = None
    channel_id: int | None = None
    name: str | None = None
    affiliation: str | None = None
    lang: str | None = None
    tags: list[str] = field(default_factory=list)
    collector: str | None = None  # how it is collected live (telegram-web), None when only imported
    cursor: int | None = None  # newest message id collected
    state: dict[str, Any] | None = None  # last collection outcome: status, at, note, failures
    interval_minutes: int | None = None  # the monitor's interval for this source (None: the default setting)
    next_collect_at: datetime | None = None  # when the monitor collects it next (None: at once)


@dataclass
class Media:
    """A file attached to a post, as the export or page describes it (never executed)."""

    kind: str  # photo | video_file | voice_message | sticker | animation | audio_file | file | ...
    path: str | None = None  # relative path inside the export, when the file was included
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None
    width: int | None = None
    height: int | None = None
    duration_seconds: int | None = None


@dataclass
class MediaFile:
    """A file archived by content (SHA-256): what its bytes are, its PDQ hash and OCR text, or why it was refused."""

    sha256: str
    kind: str  # image | video | audio | file, from the sniffed type
    mime: str  # sniffed from the bytes, never the declared type
    size: int
    status: str  # ok | rejected
    reason: str | None = None
    width: int | None = None
    height: int | None = None
    pdq: str | None = None  # 64 hex digits
    pdq_quality: int | None = None
    ocr_text: str | None = None
    ocr_langs: list[str] | None = None  # None until OCR has read it
    first_seen: datetime | None = None
    notes: list[str] = field(default_factory=list)  # what could not be done this time (not stored)


_RAW_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False)  # json.dumps with these arguments


def encode_raw(raw: Any) -> str:
    """The one serialisation of a message's raw payload: what the store keeps and what its content hash is of."""
    return _RAW_ENCODER.encode(raw)


@dataclass
class ParsedPost:
    """One message as a source parser produced it, before storage."""

    message_id: int
    posted_at: datetime  # timezone-aware, UTC
    text: str
    kind: str = "message"  # message | service
    edited_at: datetime | None = None
    author: str | None = None  # post signature
    forwarded_from: str | None = None  # the name shown for the origin of a forward
    forwarded_from_id: str | None = None  # e.g. "channel123" when the export names it
    reply_to: int | None = None
    action: str | None = None  # service action (create_channel, pin_message, ...)
    links: list[str] = field(default_factory=list)  # text_link hrefs and link entities
    media: list[Media] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)  # the message exactly as read
    # ``encode_raw(raw)`` when the parser already made it (it checks nesting with it), so the store encodes
    # each message once; None: the store encodes ``raw`` itself. A parser that sets it never changes ``raw`` after
    raw_json: str | None = field(default=None, repr=False, compare=False)


@dataclass
class Alias:
    """One written form of an entity's name."""

    text: str
    lang: str | None = None  # ar, fa, ur, ps, en, fr, tr, ... or None


@dataclass
class Entity:
    """A knowledge-base entry: organisation, person, place or outlet."""

    id: str  # stable id such as "org:hezbollah"
    type: str  # organization | person | place | outlet
    name: str  # canonical English name
    aliases: list[Alias] = field(default_factory=list)
    description: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)  # roles, parent, affiliation, wikidata, sources
    status: str = "kb"  # kb | candidate

    def related_ids(self) -> set[str]:
        """Ids this entry points at: parent organisation, organisations of its roles, an outlet's affiliation."""
        found: set[str] = set()
        if isinstance(self.attrs.get("parent"), str):
            found.add(self.attrs["parent"])
        for role in self.attrs.get("roles") or []:
            if isinstance(role, dict) and isinstance(role.get("org"), str):
                found.add(role["org"])
        affiliation = self.attrs.get("affiliation")
        if isinstance(affiliation, dict) and isinstance(affiliation.get("org"), str):
            found.add(affiliation["org"])
        return found


@dataclass
class Mention:
    """An entity named in a post: the surface form and its character span in the post text."""

    entity_id: str
    surface: str
    start: int
    end: int
    score: float = 1.0


@dataclass
class Quote:
    """Words a post attributes to a speaker (the speaker's entity id when known)."""

    text: str
    speaker: str | None = None  # surface form of the speaker
    speaker_id: str | None = None
    start: int = 0
    end: int = 0
    text_en: str | None = None  # the quotation in English, translated with its post (translation queue)


@dataclass
class DateMention:
    """A date written in a post, in any calendar, with its Gregorian equivalent."""

    surface: str
    calendar: str  # gregorian | hijri | solar_hijri
    date: str  # ISO 8601 Gregorian date (YYYY-MM-DD)
    start: int = 0
    end: int = 0


@dataclass
class Indicator:
    """Something a platform or analyst can act on: a URL, handle, hashtag or wallet."""

    kind: str  # url | telegram_handle | hashtag | btc | eth | trx | ...
    value: str


@dataclass
class Post:
    """A stored post with its analysis, as read back from the store."""

    id: int
    source: Source
    message_id: int
    posted_at: datetime
    text: str
    kind: str = "message"
    edited_at: datetime | None = None
    forwarded_from: str | None = None  # the name shown for the origin of a forward
    forwarded_from_id: str | None = None  # "channel123" (export) or "https://t.me/<handle>/<id>" (preview)
    reply_to: int | None = None
    url: str | None = None
    links: list[str] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    lang: str | None = None
    text_en: str | None = None
    translation: dict[str, Any] | None = None  # {"backend", "model", "at", "label", "flags", ...}
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    embedding: Any = None  # numpy float32 vector or None
    story_id: int | None = None
    deleted_at: datetime | None = None  # when a collector saw it gone at the source (the text is kept)
    candidates: list[Entity] = field(default_factory=list)  # unknown names found, for the review queue

    def english(self) -> str | None:
        """The post in English: its text when written in English, else a machine translation (not the
        ``none`` back-end's original-with-glosses), else None."""
        if self.lang == "en":
            return self.text
        if self.text_en and (self.translation or {}).get("backend") not in (None, "none"):
            return self.text_en
        return None


@dataclass
class StoryCoding:
    """A story's coding (pipeline/coding.py): its event type, how its posts stand, its actors and its place."""

    event_type: str | None
    type_votes: dict[str, int]
    stances: dict[int, str]  # post id -> report | claim | denial
    actors: list[str]  # entity ids of organisations and people, most named first
    place: str | None  # entity id of the most named place


@dataclass
class Story:
    """Posts from one or more sources that report the same event."""

    id: int
    title: str
    first_seen: datetime
    last_seen: datetime
    posts: list[Post] = field(default_factory=list)
    coding: StoryCoding | None = None  # stored when the story changes; None until coded


@dataclass
class Footnote:
    """A numbered citation of one post."""

    n: int
    source: str
    message_id: int
    text: str
    url: str | None


@dataclass
class ReportDraft:
    """A report drafted from a story: Markdown body with numbered footnotes."""

    title: str
    date: str
    body: str
    footnotes: list[Footnote] = field(default_factory=list)
    story_id: int | None = None


@dataclass
class User:
    """Someone with an account on the web app."""

    id: int
    email: str
    role: Role
    subscription_until: datetime | None = None
    created_at: datetime | None = None

    def access(self, now: datetime) -> Role:
        """What the user may read now: a lapsed subscription reads as public."""
        if self.role == Role.SUBSCRIBER and self.subscription_until is not None and self.subscription_until <= now:
            return Role.PUBLIC
        return self.role


@dataclass
class Report:
    """A saved report: Markdown body whose first paragraph is the lede, footnotes, tier and publication state."""

    id: int
    title: str
    body: str
    footnotes: list[Footnote]
    tier: Tier
    status: str  # draft | published
    created_at: datetime
    updated_at: datetime
    story_id: int | None = None
    publish_at: datetime | None = None  # embargo
    published_at: datetime | None = None

    @property
    def lede(self) -> str:
        """The public part: the body's first paragraph as the Markdown parser reads it (see public_part)."""
        from watchfloor.public_part import first_paragraph

        return first_paragraph(self.body)

    @property
    def date(self) -> datetime:
        """The date a reader sees: when it went (or goes) public, else when it was written."""
        return self.publish_at or self.published_at or self.created_at

    def visible(self, now: datetime) -> bool:
        """Published and past any embargo."""
        return self.status == "published" and (self.publish_at is None or self.publish_at <= now)
