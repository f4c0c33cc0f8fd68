"""Counting what each back-end was sent: the paid services bill by the character.

The engine tells a meter, after each call to a back-end, how many characters and segments it sent
(cache hits and the ``none`` back-end send nothing); ``MemoryUsage`` keeps the counts in a dict (tests,
the command line) and the store's ``UsageStore`` adds them to the ``translation_usage`` table, per day.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

__all__ = ["UsageMeter", "MemoryUsage", "characters"]


def characters(segments: Sequence[str]) -> int:
    """What a service bills for these segments: their characters (code points), spaces included."""
    return sum(len(s) for s in segments)


class UsageMeter(Protocol):
    """Where the characters sent to back-ends are counted."""

    def add(self, backend: str, model: str, characters: int, segments: int) -> None:
        """Count one call's characters and segments."""


class MemoryUsage:
    """Counts in a dict, for one process: (back-end, model) -> [characters, segments, calls]."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], list[int]] = {}

    def add(self, backend: str, model: str, characters: int, segments: int) -> None:
        """Count one call."""
        row = self.counts.setdefault((backend, model), [0, 0, 0])
        row[0] += characters
        row[1] += segments
        row[2] += 1
