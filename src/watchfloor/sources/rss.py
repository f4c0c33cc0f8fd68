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

from watchfloor.errors import InvalidInput, SourceUnavailable
from watchfloor.models import Media, ParsedPost, Source
from watchfloor.sources.base import Collected, CollectOptions, Fetch, Stored, nothing_stored
from watchfloor.sources.limits import clean_text

__all__ = ["FeedEntry", "Feed", "parse_feed", "extract_article", "entry_message_id", "find_feed_link",
           "MAX_FEED_BYTES", "RssCollector"]

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
    media: list[Media] = field(default_factory=list)  # enclosures and media:content, by URL


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


def _media_kind(mime: str, medium: str) -> str:
    kind = (medium or mime.partition("/")[0]).lower()
    return {"image": "photo", "video": "video_file", "audio": "audio_file"}.get(kind, "file")


def _entry_media(item: Any, base: str) -> list[Media]:
    """The files an entry attaches (RSS ``<enclosure>``, Media RSS ``<media:content>``), each once."""
    found: dict[str, Media] = {}
    declared = [(e.get("href"), e.get("type"), e.get("length"), None) for e in dict.get(item, "links") or []
                if isinstance(e, dict) and e.get("rel") == "enclosure"]
    declared += [(m.get("url"), m.get("type"), m.get("fileSize"), m.get("medium"))
                 for m in dict.get(item, "media_content") or [] if isinstance(m, dict)]
    for href, mime, length, medium in declared:
        link = _http_link(href, base)
        if link is None or link in found:
            continue
        mime_text = clean_text(str(mime or ""))[:200]
        size = str(length or "").strip()
        found[link] = Media(kind=_media_kind(mime_text, str(medium or "")), path=link, mime_type=mime_text or None,
                            size=int(size) if size.isascii() and size.isdigit() and len(size) <= 15 else None)
    return list(found.values())


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
                                 summary=summary, raw=raw, media=_entry_media(item, url)))
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


def _host_set(url: str) -> set[str]:
    host = (urlsplit(url).hostname or "").lower()
    return {host, host.removeprefix("www."), "www." + host.removeprefix("www.")}


class RssCollector:
    """An RSS/Atom feed (``rss:<feed URL>``) or a site that advertises one (``web:<site URL>``): each new entry
    becomes a post of its title and its article's text, with the files it attaches."""

    name = "rss"
    version = "1"
    platforms: tuple[str, ...] = ("rss", "web")
    settings: tuple[str, ...] = ("collect_timeout_seconds", "collect_host_delay_seconds", "media_download")

    def check(self, source: Source) -> None:
        """Only feed and site keys."""
        if source.platform not in self.platforms or not source.key.startswith(("rss:", "web:")):
            raise InvalidInput("the rss collector reads a feed: add rss:<feed URL> or web:<site URL>")

    def read(self, source: Source, fetch: Fetch, options: CollectOptions,
             stored: Stored = nothing_stored) -> Collected:
        """Read the feed (through the page that names it, for a site) and the article of each entry not yet
        stored with one. An article that cannot be read leaves its entry with the feed's summary, noted,
        and is tried again at the next collection."""
        from datetime import UTC, datetime

        self.check(source)
        platform, _, url = source.key.partition(":")
        hosts = _host_set(url)
        policy = options.policy(hosts)
        found = Collected(media_kinds=frozenset({"photo", "video_file", "audio_file", "file"}), ordered_ids=False)
        try:
            feed_url = url
            _status, body, location = fetch(feed_url, policy)
            if location is not None:
                raise SourceUnavailable(f"{feed_url} redirects to {location}; add the new address as the source")
            found.pages = 1
            named = find_feed_link(body, feed_url) if platform == "web" else None
            if named is not None:  # a site's page naming its feed (a feed itself is read as it is)
                feed_url = named
                _status, body, location = fetch(feed_url, policy)
                if location is not None:
                    raise SourceUnavailable(f"{feed_url} redirects to {location}")
                found.pages += 1
            feed = parse_feed(body, feed_url)
            found.title = feed.title
            entries = feed.entries[:options.max_entries]
            candidates = {e.entry_id: [entry_message_id(e.entry_id, n) for n in range(4)] for e in entries}
            held = stored([i for ids in candidates.values() for i in ids])
            taken: set[int] = set()
            for entry in entries:
                message_id = None
                for candidate in candidates[entry.entry_id]:  # another entry's id there: a collision, try the next
                    holder = held.get(candidate, {}).get("entry_id")
                    if candidate not in taken and holder in (None, entry.entry_id):
                        message_id = candidate
                        break
                if message_id is None:
                    found.errors.append(f"{entry.entry_id}: no free message id")
                    continue
                taken.add(message_id)
                previous = held.get(message_id)
                if previous is not None and previous.get("article") == "ok":
                    continue  # stored before with its article: nothing to fetch again
                article, outcome = None, "no link"
                if entry.link:
                    try:
                        _, page, moved = fetch(entry.link, policy)
                        if moved is not None:
                            raise SourceUnavailable(f"{entry.link} redirects to {moved}")
                        article = extract_article(page, entry.link)
                        outcome = "ok" if article else "no article text found"
                    except (SourceUnavailable, InvalidInput) as exc:
                        outcome = f"unreachable: {exc}"
                if outcome != "ok":
                    found.incomplete.append((entry.link or feed_url, message_id, outcome))
                    found.errors.append(f"{entry.link or entry.entry_id}: {outcome}")
                    if previous is not None:
                        continue  # already stored with its summary; tried again next time
                text = "\n\n".join(part for part in (entry.title, article or entry.summary) if part)
                found.posts.append(ParsedPost(message_id=message_id, posted_at=entry.published or datetime.now(UTC),
                                              text=text, links=[entry.link] if entry.link else [],
                                              media=list(entry.media), raw={**entry.raw, "article": outcome}))
        except SourceUnavailable as exc:
            found.status = "unavailable" if exc.status in (404, 410) else "error"
            found.note = str(exc)
        except InvalidInput as exc:
            found.status, found.note = "error", str(exc)
        if found.incomplete and found.note is None:
            found.note = f"{len(found.incomplete)} article(s) could not be read; their entries keep the feed's summary"
        # files come from the feed's site or its subdomains (a feed is hostile input: nowhere else)
        site = url and (urlsplit(url).hostname or "").lower().removeprefix("www.")
        found.media_hosts = frozenset(hosts | {host for post in found.posts for media in post.media
                                               if (host := (urlsplit(media.path or "").hostname or "").lower())
                                               and host.endswith("." + site)})
        return found
