"""RSS and Atom feeds, and the articles they link to: pure parsers (feedparser, trafilatura).

A feed entry becomes a post whose message id is derived from the entry's id (its ``id``/``guid``,
else its link), so the same entry read again is the same post. The article is fetched by the
collector through the guarded fetcher; here its HTML is only read (trafilatura keeps the main text,
never runs anything). Feed and article markup is hostile input: the text is taken as data.
"""

from __future__ import annotations

import hashlib
import io
import re
from calendar import timegm
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from watchfloor.errors import InvalidInput
from watchfloor.sources.limits import clean_text

__all__ = ["FeedEntry", "Feed", "parse_feed", "extract_article", "entry_message_id", "find_feed_link",
           "MAX_FEED_BYTES"]

MAX_FEED_BYTES = 5 * 1024 * 1024
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+xml", "application/xml",
               "text/xml")


@dataclass
class FeedEntry:
    """One entry of a feed, as the feed describes it."""

    entry_id: str
    title: str
    link: str | None
    published: datetime | None
    summary: str
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class Feed:
    """A parsed feed: its title and entries (in the feed's order)."""

    title: str | None
    entries: list[FeedEntry] = field(default_factory=list)


def entry_message_id(entry_id: str, attempt: int = 0) -> int:
    """A stable positive 63-bit id from an entry id: the first 8 bytes of its SHA-256 (with a
    counter appended after a collision)."""
    text = entry_id if attempt == 0 else f"{entry_id}#{attempt}"
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big") & 0x7FFF_FFFF_FFFF_FFFF


def _text(html: str) -> str:
    import warnings

    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

    with warnings.catch_warnings():  # a title that looks like a URL or a file name is still just text
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return " ".join(BeautifulSoup(clean_text(html), "html.parser").get_text(" ").split())


def _when(parsed: Any) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(timegm(parsed), UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _http_link(value: Any, base: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        link = clean_text(urljoin(base, value.strip()))
        return link if urlsplit(link).scheme in ("http", "https") else None
    except ValueError:  # e.g. a malformed IPv6 host ("http://[x/")
        return None


def parse_feed(body: str | bytes, url: str) -> Feed:
    """The entries of an RSS or Atom document; raise InvalidInput when it is not a feed."""
    import feedparser

    data = body.encode("utf-8") if isinstance(body, str) else body
    if len(data) > MAX_FEED_BYTES:
        raise InvalidInput(f"{url}: a feed of {len(data)} bytes is over the {MAX_FEED_BYTES}-byte limit")
    # a stream, never a string: feedparser opens a string that looks like a URL or a file name
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=False)
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise InvalidInput(f"{url}: not an RSS or Atom feed" + (f" ({reason})" if reason else ""))
    entries: list[FeedEntry] = []
    for item in parsed.entries:
        link = _http_link(item.get("link"), url)
        entry_id = clean_text(str(item.get("id") or link or "").strip())
        title = _text(str(item.get("title") or ""))
        if not entry_id:
            if not title:
                continue  # nothing to know the entry by again
            entry_id = "title:" + title
        summary = _text(str(item.get("summary") or ""))
        # dict.get: feedparser's own get maps a missing "updated" to "published" with a DeprecationWarning
        published = _when(dict.get(item, "published_parsed")) or _when(dict.get(item, "updated_parsed"))
        raw = {"source": "rss", "feed": url, "entry_id": entry_id, "title": title, "link": link,
               "published": clean_text(str(dict.get(item, "published") or dict.get(item, "updated") or "")) or None,
               "summary": summary}
        entries.append(FeedEntry(entry_id=entry_id, title=title, link=link, published=published,
                                 summary=summary, raw=raw))
    feed_title = parsed.feed.get("title") if isinstance(parsed.get("feed"), dict) else None
    return Feed(title=_text(str(feed_title)) if feed_title else None, entries=entries)


def extract_article(html: str, url: str) -> str | None:
    """The main text of an article page (trafilatura), or None when it finds none."""
    import trafilatura

    text = trafilatura.extract(clean_text(html), url=url, include_comments=False, include_tables=False,
                               favor_precision=True)
    return clean_text(text or "").strip() or None


def find_feed_link(html: str, url: str) -> str | None:
    """The feed a web page advertises (``<link rel="alternate" type="application/rss+xml">``), if any."""
    import warnings

    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
    from bs4.element import Tag

    if re.match(r"\s*(<\?xml|<rss[\s>]|<feed[\s>])", html):
        return None  # a feed itself, not a page that names one
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)  # a page of "http:" is still a page
        soup = BeautifulSoup(clean_text(html), "html.parser")
    for node in soup.find_all("link", href=True):
        if not isinstance(node, Tag):
            continue
        rel = node.get("rel")
        rels = [r.lower() for r in rel] if isinstance(rel, list) else re.split(r"\s+", str(rel or "").lower())
        if "alternate" in rels and str(node.get("type") or "").lower() in _FEED_TYPES:
            return _http_link(node.get("href"), url)
    return None
