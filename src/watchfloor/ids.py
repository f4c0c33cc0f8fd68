"""Numeric ids typed by people or read from hostile input: ASCII digits that a 64-bit integer holds.

``str.isdigit()`` also accepts '²', Arabic-Indic and fullwidth digits, which ``int()`` refuses or reads
into numbers no database column holds; every id check goes through here instead."""

from __future__ import annotations

import re

__all__ = ["INT64_MAX", "is_id"]

INT64_MAX = 2**63 - 1
_ID = re.compile(r"[0-9]{1,19}")


def is_id(text: str) -> bool:
    """True when ``text`` is a non-negative id of ASCII digits within 64 bits."""
    return _ID.fullmatch(text) is not None and int(text) <= INT64_MAX
