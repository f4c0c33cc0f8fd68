"""Footnotes stay in step with the body as an analyst edits a report."""

from __future__ import annotations

import pytest

from watchfloor.errors import InvalidInput
from watchfloor.models import Footnote
from watchfloor.reports.edit import renumber_footnotes


def _note(n: int, message_id: int) -> Footnote:
    return Footnote(n=n, source="telegram:1", message_id=message_id, text=f"Telegram, note {n}.",
                    url=f"https://t.me/c/1/{message_id}")


NOTES = [_note(1, 11), _note(2, 12), _note(3, 13)]


def _no_posts(key: str, message_id: int) -> Footnote | None:
    return None


def test_notes_follow_the_order_of_first_citation_and_unused_ones_go() -> None:
    body, notes = renumber_footnotes("Third first[3]. Then one[1], again[3].", NOTES, _no_posts)
    assert body == "Third first[1]. Then one[2], again[1]."
    assert [(n.n, n.message_id) for n in notes] == [(1, 13), (2, 11)]


def test_a_post_citation_becomes_a_note() -> None:
    def lookup(key: str, message_id: int) -> Footnote | None:
        return Footnote(n=0, source=key, message_id=message_id, text="Telegram, May 24, 2024.",
                        url=f"https://t.me/c/2/{message_id}") if key == "telegram:2" else None

    body, notes = renumber_footnotes("A[1] and B[post:telegram:2/77] and A again[1].", NOTES, lookup)
    assert body == "A[1] and B[2] and A again[1]."
    assert [(n.n, n.source, n.message_id) for n in notes] == [(1, "telegram:1", 11), (2, "telegram:2", 77)]


def test_citing_an_existing_note_by_post_reuses_its_number() -> None:
    body, notes = renumber_footnotes("X[2] and Y[post:telegram:1/12].", NOTES, _no_posts)
    assert body == "X[1] and Y[1]." and len(notes) == 1


def test_links_and_escaped_brackets_are_not_citations() -> None:
    text = "See [2](https://example.org) and \\[3\\] and [1]."
    body, notes = renumber_footnotes(text, NOTES, _no_posts)
    assert body == text and [n.message_id for n in notes] == [11]


@pytest.mark.parametrize("text, problem", [("Dangling[9].", "[9] cites no footnote"),
                                           ("Unknown[post:telegram:5/1].", "names no stored post")])
def test_citations_of_nothing_are_refused(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem.replace("[", r"\[").replace("]", r"\]")):
        renumber_footnotes(text, NOTES, _no_posts)
