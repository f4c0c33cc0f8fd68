"""The errors Watchfloor raises; every one carries a message that says what to do."""

from __future__ import annotations

__all__ = [
    "WatchfloorError",
    "NotConfigured",
    "InvalidInput",
    "SourceUnavailable",
    "PermissionDenied",
    "NotFound",
    "ModelCrashed",
]


class WatchfloorError(Exception):
    """Base class for errors shown to users as a one-line message."""


class NotConfigured(WatchfloorError):
    """A component cannot run here (missing model, key or extra); it is skipped."""


class InvalidInput(WatchfloorError):
    """Input (a file, a message, an argument) is malformed; the message names where."""


class SourceUnavailable(WatchfloorError):
    """A source cannot be reached or no longer exists."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status, when a server answered


class PermissionDenied(WatchfloorError):
    """The caller's role does not allow this."""


class NotFound(WatchfloorError):
    """A requested record does not exist."""


class ModelCrashed(WatchfloorError):
    """A native model (llama.cpp) died in its child process; only the work it was doing is lost."""
