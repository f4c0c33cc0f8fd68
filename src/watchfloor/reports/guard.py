"""The publish guard: a report whose body still quotes a passage that is not in English is not published
unless someone says so explicitly (the override is written to the audit log by the caller).

A passage counts as untranslated when the draft marked it so ("not yet translated"), when it is labelled as
the ``none`` back-end's glossed original, or when the body holds a run of four or more words written wholly
in a non-Latin script (glosses in square brackets set aside): a name in Arabic script beside its English is
one to three words and passes; a quoted sentence does not.
"""

from __future__ import annotations

import re
import unicodedata

from watchfloor.errors import InvalidInput
from watchfloor.models import Report
from watchfloor.translate.base import LABELS

__all__ = ["untranslated_passages", "check_publishable", "RUN_WORDS", "OVERRIDE_HINT"]

RUN_WORDS = 4
OVERRIDE_HINT = "--allow-untranslated"
_MARKERS = ("not yet translated", LABELS["none"])
_GLOSS = re.compile(r"\\?\[[^\[\]\n]{0,200}?\\?\]")
_SENTENCE = re.compile(r"[^.!?\n]*(?:not yet translated|" + re.escape(LABELS["none"]) + r")[^.!?\n]*")


def _foreign(token: str) -> bool | None:
    """True: a word in a non-Latin script; False: a Latin-script word; None: no letters (punctuation, digits)."""
    letters = [ch for ch in token if ch.isalpha()]
    if not letters:
        return None
    return all(not ch.isascii() and "LATIN" not in unicodedata.name(ch, "") for ch in letters)


def untranslated_passages(body: str) -> list[str]:
    """The passages of a report body that are not in English (each at most 120 characters, for a message)."""
    found = [m.group(0).strip()[:120] for m in _SENTENCE.finditer(body)]
    run: list[str] = []
    for token in [*_GLOSS.sub(" ", body).split(), "."]:
        kind = _foreign(token)
        if kind is None and token != ".":
            continue
        if kind:
            run.append(token)
            continue
        if len(run) >= RUN_WORDS:
            found.append(" ".join(run)[:120])
        run = []
    return list(dict.fromkeys(found))


def check_publishable(report: Report, allow_untranslated: bool = False) -> list[str]:
    """Refuse (InvalidInput) a report that quotes untranslated text unless allowed; returns the passages."""
    passages = untranslated_passages(report.body)
    if passages and not allow_untranslated:
        shown = "; ".join(f"“{p}”" for p in passages[:3]) + (f" and {len(passages) - 3} more" if len(passages) > 3
                                                            else "")
        raise InvalidInput(
            f"report {report.id} quotes text that is not in English: {shown}. Translate the posts "
            f"(`watchfloor translate run`, or write the English on the post's page or with `watchfloor translate "
            f"set`), draft again or edit the body; or publish anyway with {OVERRIDE_HINT} (the web editor's "
            "\"publish although untranslated\" box), which the audit log records")
    return passages
