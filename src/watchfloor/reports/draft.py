"""Drafting a footnoted report from a story, in the shape monitoring services publish."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime

from watchfloor.models import Entity, Footnote, Post, Quote, ReportDraft, Story
from watchfloor.pipeline.when import event_date

__all__ = ["draft_report", "md_escape", "long_date", "LANGUAGE_NAMES", "translation_label"]

LANGUAGE_NAMES = {"ar": "Arabic", "fa": "Persian", "ur": "Urdu", "ps": "Pashto", "tr": "Turkish",
                  "fr": "French", "en": "English"}
# post text is flattened to one line inside our own sentence, so only inline markup needs escaping
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#!|~&])")


def md_escape(text: str) -> str:
    """Text from a post made inert in Markdown: one line, every markup character escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def long_date(moment: datetime) -> str:
    """'May 23, 2024'."""
    return f"{moment:%B} {moment.day}, {moment.year}"


def _sentences(text: str, limit: int = 320) -> str:
    flat = " ".join(line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#"))
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    end = max(cut.rfind(". "), cut.rfind("؟ "), cut.rfind("! "))
    return cut[:end + 1] if end > limit // 3 else cut.rsplit(" ", 1)[0] + "…"


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _person_label(entity: Entity, entities: Mapping[str, Entity]) -> str:
    roles = [r for r in entity.attrs.get("roles") or [] if isinstance(r, dict) and r.get("title")]
    current = [r for r in roles if not r.get("to")] or roles
    if not current:
        return entity.name
    role = current[-1]
    org = entities.get(str(role.get("org")))
    return f"{entity.name} ({role['title']}{', ' + org.name if org else ''})"


def translation_label(post: Post) -> str:
    """What a reader is told about the English of a non-English post: a human's or a machine's, and which."""
    stored = post.translation or {}
    label = str(stored.get("label") or "")
    if stored.get("backend") == "human":
        return label or f"human translation by {stored.get('author') or 'an analyst'}"
    return label or f"machine translation: {stored.get('backend')}, {stored.get('model')}"


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?؟۔])\s+|\n+")


def _foreign(sentence: str) -> bool:
    """A sentence mostly in a non-Latin script: a segment the machine left in the original (flagged)."""
    letters = [ch for ch in sentence if ch.isalpha()]
    other = sum(1 for ch in letters if not ch.isascii() and "LATIN" not in unicodedata.name(ch, ""))
    return bool(letters) and other * 2 > len(letters)


def _english_only(text: str) -> tuple[str, int]:
    """The sentences of a translation that are in English, and how many were left in the original."""
    sentences = [s for s in _SENTENCE_SPLIT.split(text) if s.strip()]
    kept = [s for s in sentences if not _foreign(s)]
    return " ".join(kept), len(sentences) - len(kept)


def _what_it_said(post: Post) -> str:
    english = post.english()
    if english and post.lang != "en":
        english, left = _english_only(english)
        if english:
            label = translation_label(post) + (f"; {left} sentence(s) left untranslated, see the original in the "
                                               "note" if left else "")
            return f"“{md_escape(_sentences(english))}” ({md_escape(label)})"
    elif english:
        return f"“{md_escape(_sentences(english))}”"
    language = LANGUAGE_NAMES.get(post.lang or "", "the original language")
    return f"“{md_escape(_sentences(post.text))}” (in {language}; not yet translated)"


def _note_text(post: Post) -> str:
    """A post's footnote: where and when, and for a post not in English its original words (one click away
    from the English quoted in the body)."""
    note = f"Telegram, {long_date(post.posted_at)}."
    if post.lang and post.lang != "en" and post.text.strip():
        language = LANGUAGE_NAMES.get(post.lang, "the original language")
        note += f" Original ({language}): “{_sentences(post.text)}”"
    return note


def _speaker(quote: Quote, entities: Mapping[str, Entity]) -> str | None:
    """The speaker's English name: the knowledge base's, else the name as written when it is in Latin script."""
    known = entities.get(quote.speaker_id) if quote.speaker_id else None
    if known is not None:
        return known.name
    if quote.speaker and all(not ch.isalpha() or ch.isascii() or "LATIN" in unicodedata.name(ch, "")
                             for ch in quote.speaker):
        return quote.speaker
    return None


def draft_report(story: Story, entities: Mapping[str, Entity]) -> ReportDraft:
    """A draft: headline, date, a lede naming the event, participants and place, a paragraph per
    source with its affiliation, what it reported and its key quote, and a footnote per post."""
    posts = sorted((p for p in story.posts if p.kind == "message"), key=lambda p: (p.posted_at, p.id))
    footnotes: list[Footnote] = []
    numbers: dict[int, int] = {}
    for post in posts:
        numbers[post.id] = len(footnotes) + 1
        footnotes.append(Footnote(n=numbers[post.id], source=post.source.key, message_id=post.message_id,
                                  text=_note_text(post), url=post.url))

    by_source: dict[str, list[Post]] = {}
    for post in posts:
        by_source.setdefault(post.source.key, []).append(post)
    affiliations = sorted({p.source.affiliation for p in posts if p.source.affiliation})
    counts: dict[str, int] = {}
    channels_naming: dict[str, set[str]] = {}
    for post in posts:
        for mention in post.mentions:
            counts[mention.entity_id] = counts.get(mention.entity_id, 0) + 1
            channels_naming.setdefault(mention.entity_id, set()).add(post.source.key)
    # a name the knowledge base does not list yet (an unreviewed candidate) reaches the lede only when
    # several channels give it: one channel's odd word ("Monday" read as Dushanbe) must not headline a report
    ranked = [entities[i] for i in sorted(counts, key=lambda i: (-counts[i], i))
              if i in entities and (not i.startswith("candidate:") or len(channels_naming[i]) >= 2)]
    people = [_person_label(e, entities) for e in ranked if e.type == "person"][:6]
    groups = [e.name for e in ranked if e.type == "organization"][:5]
    places = [e.name for e in ranked if e.type == "place"][:2]

    first = posts[0].posted_at if posts else story.first_seen
    channels = "channel" if len(by_source) == 1 else "channels"
    lede = f"On {long_date(first)}, {len(by_source)} Telegram {channels}"
    if affiliations:
        every = all(p.source.affiliation for p in posts)
        lede += (" affiliated with " if every else ", among them channels affiliated with ")
        lede += _join([md_escape(a) for a in affiliations]) + ("" if every else ",")
    lede += f" reported on the following: {md_escape(story.title)}"
    lede = lede.rstrip(".") + ("" if lede.endswith("…") else ".") + "".join(f"[{numbers[p.id]}]" for p in posts[:1])
    details: list[str] = []
    if people:
        details.append("names " + _join([md_escape(p) for p in people]))
    if groups:
        details.append("mentions " + _join([md_escape(g) for g in groups]))
    when = event_date(posts)  # the date the posts give for the event, not the date they were posted
    on = "" if when is None else f" on {when:%B} {when.day}" + ("" if when.year == first.year else f", {when.year}")
    if places:
        details.append("places the event in " + _join([md_escape(p) for p in places]) + on)
    elif on:
        details.append("dates the event" + on)
    if details:
        lede += " The reporting " + "; ".join(details) + "."

    paragraphs = [lede, "The following are details from these reports:"]
    for key, source_posts in by_source.items():
        source = source_posts[0].source
        name = md_escape(source.name or key)
        intro = f"The {name} Telegram channel"
        if source.affiliation:
            intro += f", which is affiliated with {md_escape(source.affiliation)},"
        sentences = []
        for index, post in enumerate(source_posts):
            verb = "reported" if index == 0 else "added"
            sentences.append(f"{verb} on {long_date(post.posted_at)}: {_what_it_said(post)}[{numbers[post.id]}]")
        paragraph = intro + " " + "; it ".join(sentences) + "."
        # the key quotation, in English: an English post's own words, else the quote translated with its post
        said = next(((q, q.text if p.lang == "en" else q.text_en) for p in source_posts for q in p.quotes
                     if q.text.strip() and (p.lang == "en" or (q.text_en or "").strip())), None)
        if said is not None:
            quote, words = said
            speaker = _speaker(quote, entities)
            who = f"quoted {md_escape(speaker)}" if speaker else "carried the quotation"
            paragraph += f" It {who}: “{md_escape(words or '')}”."
        paragraphs.append(paragraph)
    return ReportDraft(title=story.title, date=long_date(first), body="\n\n".join(paragraphs),
                       footnotes=footnotes, story_id=story.id)
