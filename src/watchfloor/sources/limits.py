"""What every parser hands on must be something any database holds: text without NUL (PostgreSQL refuses
it) or lone surrogates (not encodable as UTF-8), integers within 64 bits, JSON without NaN and without
absurd nesting. Parsers clean what can be cleaned and refuse the rest with InvalidInput."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from watchfloor.errors import InvalidInput

__all__ = ["INT64_MAX", "MAX_DEPTH", "clean_text", "storable"]

INT64_MAX = 2**63 - 1  # what the database's BIGINT holds
MAX_DEPTH = 64  # tdesktop nests a message four levels deep; far deeper is hostile, and quarantined
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text any database holds: NUL dropped, lone surrogates replaced by U+FFFD."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _already_storable(value: Any) -> bool:
    """A quick look that spares most messages the walk: it serialises, holds no NUL or lone surrogate, and
    has too few brackets to be nested deeper than MAX_DEPTH."""
    try:
        dumped = json.dumps(value, ensure_ascii=False, allow_nan=False)
        dumped.encode("utf-8")  # a lone surrogate cannot be encoded
    except (ValueError, TypeError, RecursionError):  # UnicodeEncodeError is a ValueError
        return False
    return "\\u0000" not in dumped and dumped.count("[") + dumped.count("{") <= MAX_DEPTH


def storable(value: Any, file: str, message_id: int | None, depth: int = 0) -> Any:
    """A message's raw payload made storable as JSON in any database: every string (keys too) cleaned,
    numbers that are not finite kept as their text; more than MAX_DEPTH levels of nested objects and lists
    (the message itself is the first) are refused. ``depth``: how many enclose ``value``."""
    if depth == 0 and isinstance(value, dict) and _already_storable(value):
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (dict, list, tuple)) and depth >= MAX_DEPTH:
        where = f"message {message_id}" if message_id is not None else "a message"
        raise InvalidInput(f"{file}, {where}: nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, dict):
        return {clean_text(str(k)): storable(v, file, message_id, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [storable(v, file, message_id, depth + 1) for v in value]
    return value
