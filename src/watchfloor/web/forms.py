"""Dates and times typed into forms: the library's readers (watchfloor.date_input), shared with the CLI."""

from __future__ import annotations

from watchfloor.date_input import end_of_day, parse_day, parse_moment

__all__ = ["parse_day", "end_of_day", "parse_moment"]
