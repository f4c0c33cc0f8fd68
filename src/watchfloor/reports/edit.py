"""Keeping a report's footnotes in step with its body as an analyst edits it.

The body cites notes as ``[n]``; a new citation of any stored post is written ``[post:SOURCE_KEY/MESSAGE_ID]``.
On every save the notes are renumbered in the order the body first cites them, notes no longer
cited are dropped, and new post citations become notes. A citation of a note that does not exist is
an error the editor shows, never a silent dangling number.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from watchfloor.errors import InvalidInput
from watchfloor.models import Footnote

__all__ = ["renumber_footnotes", "CITATION"]

# [12] or [post:telegram:levant_wire/431]; not an escaped \[12\], not a Markdown link [text](url)
CITATION = re.compile(r"(?<!\\)\[(?:(\d{1,4})|post:([^\s\]/]+)/(\d{1,19}))\](?!\()")

PostLookup = Callable[[str, int], Footnote | None]


def renumber_footnotes(body: str, footnotes: list[Footnote], lookup: PostLookup) -> tuple[str, list[Footnote]]:
    """The body with citations renumbered 1..n in order of first use, and the matching notes."""
    by_number = {f.n: f for f in footnotes}
    by_post = {(f.source, f.message_id): f for f in footnotes}
    numbering: dict[tuple[str, int], int] = {}
    kept: list[Footnote] = []
    problems: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            note = by_number.get(int(match.group(1)))
            if note is None:
                problems.append(f"[{match.group(1)}] cites no footnote")
                return match.group(0)
        else:
            key, message_id = match.group(2), int(match.group(3))
            note = by_post.get((key, message_id)) or lookup(key, message_id)
            if note is None:
                problems.append(f"[post:{key}/{message_id}] names no stored post")
                return match.group(0)
        identity = (note.source, note.message_id)
        if identity not in numbering:
            numbering[identity] = len(kept) + 1
            kept.append(Footnote(n=numbering[identity], source=note.source, message_id=note.message_id,
                                 text=note.text, url=note.url))
        return f"[{numbering[identity]}]"

    new_body = CITATION.sub(replace, body)
    if problems:
        raise InvalidInput("; ".join(problems) + ". Cite a note by its number or a post as [post:SOURCE/MESSAGE_ID].")
    return new_body, kept
