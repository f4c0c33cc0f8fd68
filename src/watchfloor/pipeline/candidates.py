"""What a candidate the names stage found is called and shown with (its stable id and the words around it), and
which linked names a found name replaces."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from watchfloor.kb.normalize import ARTICLE, has_arabic, normalize
from watchfloor.models import Mention
from watchfloor.pipeline.recognize import CLUB, FACILITY, LISTED, MEDIA, Span, cues
from watchfloor.pipeline.recognize_cues import at_line_start

__all__ = ["candidate_id", "context_of", "CONTEXT_CHARS", "before_linked_place", "may_hold", "bracketed", "BRACKETED",
           "datelined", "DATELINE", "holds_namesake"]

CONTEXT_CHARS = 60

_ASCII_OF = str.maketrans({"ı": "i", "İ": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
                           "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d"})


def candidate_id(latin: str, kind: str = "person") -> str:
    """A stable id for a candidate from its type and first romanisation; Latin letters with marks keep their
    base letter ("Aydoğan" is aydogan, "Keïta" keita), so names apart by a letter do not fold together."""
    plain = unicodedata.normalize("NFKD", latin.translate(_ASCII_OF))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", plain.casefold()).strip("-")
    return f"candidate:{kind}:{slug or 'unnamed'}"


def context_of(text: str, start: int, end: int) -> str:
    """The words around a span, cut at word boundaries, on one line."""
    left = text[max(0, start - CONTEXT_CHARS):start]
    right = text[end:end + CONTEXT_CHARS]
    if start > CONTEXT_CHARS and " " in left:
        left = "…" + left.split(" ", 1)[1]
    if len(text) - end > CONTEXT_CHARS and " " in right:
        right = right.rsplit(" ", 1)[0] + "…"
    return " ".join((left + text[start:end] + right).split())


def before_linked_place(text: str, span: Span, known: Sequence[Mention]) -> Span | None:
    """A site's name cut before a linked place after it: "فرودگاه شهید هاشمی نژاد" in Mashhad, not "... نژاد
    مشهد" (the recogniser knows the CLDR's places, not the knowledge base's). None where only the site's noun
    would be left: "سجن أبو غريب" and "مطار بغداد" are named after the place, which stays linked."""
    if span.signal != FACILITY:
        return span
    ends = [m.start for m in known if m.entity_id.startswith("place:") and span.start < m.start < span.end]
    end = len(text[:min(ends)].rstrip()) if ends else span.end
    if end == span.end:
        return span
    return Span(span.type, span.start, end, span.signal, span.whole) if len(text[span.start:end].split()) > 1 \
        else None


def _holds(span: Span, taken: Sequence[tuple[int, int]]) -> bool:
    """Whether a name holds every linked name it overlaps, each shorter than it and after its noun:
    "خبرگزاری فرانسه" (Agence France-Presse) is no mention of France, "وزارت دفاع روسیه" names the
    ministry; a linked name where the organisation's begins is its name ("شورای نگهبان" before the words after it)."""
    return all(span.start < s and e <= span.end for s, e in taken if s < span.end and span.start < e)


def may_hold(span: Span, taken: Sequence[tuple[int, int]], lang: str | None) -> bool:
    """Whether a name found here replaces the linked names it holds: a building named after someone ("مطار رفيق
    الحريري" is no mention of Hariri), or a Persian organisation ("خبرگزاری فرانسه" is no mention of France). An
    Arabic organisation noun runs on into the names after it ("إدارة بوش"), and an Arabic organisation keeps its
    country linked ("وزارة الخارجية الروسية" links Russia): the linked name stays, the organisation is no candidate.
    An outlet or a listed organisation named after a city holds the city ("صحيفة واشنطن بوست", "ريال مدريد"), and a
    club after its noun holds it whole ("فريق برشلونة")."""
    held = [(s, e) for s, e in taken if s < span.end and span.start < e]
    if span.signal in (CLUB, DATELINE):  # "فريق برشلونة" is the club, "الدوحة - قنا :" the agency: no city
        return all(span.start <= s and e <= span.end for s, e in held)
    if span.signal in (MEDIA, LISTED):  # "واشنطن بوست", "ريال مدريد": no mention of the city, a longer name
        return all(span.start <= s and e <= span.end and e - s < span.end - span.start for s, e in held)
    if not _holds(span, taken):
        return False
    return span.signal == FACILITY or (span.type == "organization" and lang == "fa")


BRACKETED = "in brackets after a name"
_BRACKETS = re.compile(r"[ \t]*\([ \t]*([^()\n]{2,40}?)[ \t]*\)")
_KINDS = {"person:": "person", "org:": "organization"}


def bracketed(text: str, spans: Sequence[Span], known: Sequence[Mention],
              given_name: Callable[[str], bool]) -> list[Span]:
    """Another name of a person or an organisation, in brackets right after the name (found or linked): "محمود
    عباس (أبو مازن)", "يوسف إسلام (كات ستيفنز)"; one to three Arabic-script words, no number, no common word.
    After an organisation, a name that begins with a given name is no other name of it (its spokesman's, say)."""
    ends = [(s.end, s.type) for s in spans if s.type in ("person", "organization")]
    ends += [(m.end, kind) for m in known if m.start >= 0
             for prefix, kind in _KINDS.items() if m.entity_id.startswith(prefix)]
    table = cues()
    found: list[Span] = []
    for end, kind in ends:
        match = _BRACKETS.match(text, end)
        words = normalize(match.group(1)).split() if match else []
        if match and 1 <= len(words) <= 3 and has_arabic(match.group(1)) \
                and not any(c.isdigit() for c in match.group(1)) \
                and not any(w in table.common or w in table.stop_words for w in words) \
                and not any(s.start < match.end(1) and match.start(1) < s.end for s in spans) \
                and not (kind == "organization" and not words[0].startswith(ARTICLE) and given_name(words[0])):
            found.append(Span(kind, match.start(1), match.end(1), BRACKETED))
    return found


DATELINE = "dateline"
_DATELINE = re.compile(r"[ \t]*[-–—][ \t]*([^\s:\-–—()][^:\n\-–—()]{0,40}?)[ \t]*:")


def datelined(text: str, spans: Sequence[Span], known: Sequence[Mention]) -> list[Span]:
    """The outlet of a news dateline: a place at the start of a line, found or linked, a dash, and one to three
    words before a colon: "الدوحة - قنا :", "بيروت – الأخبار:". "عاجل - اليمن:" (breaking: Yemen) has none."""
    starts = [(s.start, s.end) for s in spans if s.type == "place"]
    starts += [(m.start, m.end) for m in known if m.start >= 0 and m.entity_id.startswith("place:")]
    found: list[Span] = []
    for start, end in sorted(set(starts)):
        if not at_line_start(text, start):
            continue
        match = _DATELINE.match(text, end)
        if match and 1 <= len(match.group(1).split()) <= 3 and has_arabic(match.group(1)) \
                and not any(f.start == match.start(1) for f in found) \
                and not any(s.start < match.end(1) and match.start(1) < s.end for s in spans if s.type != "place"):
            found.append(Span("organization", match.start(1), match.end(1), DATELINE))
    return found


def holds_namesake(text: str, span: Span, known: Sequence[Mention]) -> bool:
    """Whether a person's name found here holds a linked person's bare family name after another given name:
    "Ayşe Demirel" is not Süleyman Demirel, "Jeb Bush" not George W. Bush. The found name replaces the link."""
    if span.type != "person":
        return False
    inside = [m for m in known if m.start >= 0 and m.start < span.end and span.start < m.end]
    if len(inside) != 1 or not inside[0].entity_id.startswith("person:"):
        return False
    mention = inside[0]
    before = text[span.start:mention.start].split()
    return mention.end == span.end and span.start < mention.start and len(mention.surface.split()) == 1 \
        and 1 <= len(before) <= 2

