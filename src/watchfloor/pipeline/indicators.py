"""The indicators stage: URLs, Telegram handles, hashtags and cryptocurrency wallet addresses."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from watchfloor.models import Indicator, Post

__all__ = ["find_indicators", "IndicatorStage", "base58check_ok"]

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_URL = re.compile(r"(?:https?://|(?<![\w.])t\.me/)[^\s<>\"'«»]{1,2000}", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z][A-Za-z0-9_]{4,31})(?![\w@])")
_HASHTAG = re.compile(r"(?<![\w#])#([^\W\d][\w\u200c]{0,99})")
_BTC = re.compile(r"(?<![A-Za-z0-9])([13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[02-9ac-hj-np-z]{11,71})(?![A-Za-z0-9])")
_ETH = re.compile(r"(?<![A-Za-z0-9])(0x[0-9a-fA-F]{40})(?![A-Za-z0-9])")
_TRX = re.compile(r"(?<![A-Za-z0-9])(T[1-9A-HJ-NP-Za-km-z]{33})(?![A-Za-z0-9])")
_TME_PATH = re.compile(r"^(?:https?://)?t\.me/(?:s/)?([A-Za-z][A-Za-z0-9_]{4,31})(?:[/?#]|$)", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»”’'\"،؛"


def base58check_ok(address: str) -> bool:
    """True when a base58 address carries a valid double-SHA-256 checksum."""
    number = 0
    for char in address:
        index = _B58.find(char)
        if index < 0:
            return False
        number = number * 58 + index
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    raw = b"\x00" * (len(address) - len(address.lstrip("1"))) + raw
    if len(raw) < 5:
        return False
    payload, checksum = raw[:-4], raw[-4:]
    return hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] == checksum


def find_indicators(text: str, links: Sequence[str] = ()) -> list[Indicator]:
    """Indicators in a post's text and link targets, de-duplicated, in order of first appearance."""
    found: dict[tuple[str, str], Indicator] = {}

    def add(kind: str, value: str) -> None:
        found.setdefault((kind, value), Indicator(kind, value))

    for source in (text, *links):
        for match in _URL.finditer(source):
            url = match.group().rstrip(_TRAILING)
            add("url", url if "://" in url else "https://" + url)
            channel = _TME_PATH.match(url)
            if channel and channel.group(1).lower() not in {"joinchat", "addstickers", "share", "proxy", "iv"}:
                add("telegram_handle", "@" + channel.group(1))
    for match in _HANDLE.finditer(text):
        add("telegram_handle", "@" + match.group(1))
    for match in _HASHTAG.finditer(text):
        add("hashtag", "#" + match.group(1).rstrip("_"))
    for match in _BTC.finditer(text):
        value = match.group(1)
        if value.startswith("bc1") or base58check_ok(value):
            add("btc", value)
    for match in _ETH.finditer(text):
        add("eth", match.group(1))
    for match in _TRX.finditer(text):
        if base58check_ok(match.group(1)):
            add("trx", match.group(1))
    return list(found.values())


class IndicatorStage:
    """Sets ``indicators`` from the text and the post's link targets."""

    name = "indicators"
    version = "1"
    requires: tuple[str, ...] = ("text", "links")
    assigns: tuple[str, ...] = ("indicators",)

    def setup(self) -> None:
        """Nothing to load."""

    def run(self, batch: Sequence[Post]) -> None:
        """Find each post's indicators."""
        for post in batch:
            post.indicators = find_indicators(post.text, post.links)
