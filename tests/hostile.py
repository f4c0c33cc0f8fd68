"""Posts whose text, channel name, links and file names carry script payloads (as a hostile channel would)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from conftest import message, write_export
from watchfloor import runner
from watchfloor.settings import load_settings

PAYLOADS = [
    '<script>window.__pwned = "text"</script> statement on the Doha meeting',
    '<img src=x onerror="window.__pwned=\'img\'"> meeting in Doha on Tuesday',
    "[click](javascript:window.__pwned='md') the Doha meeting report",
    "<a href='javascript:window.__pwned=1'>link</a> `code` **bold** Doha talks",
    '<svg onload="window.__pwned=\'svg\'"></svg> Doha statement',
]
HOSTILE_CHANNEL = '<script>window.__pwned="channel"</script>Hostile Channel'


def import_hostile(engine: Engine, folder: Path) -> None:
    """A channel of hostile posts about one meeting (so they form a story), imported and processed."""
    messages = []
    for index, plain in enumerate(PAYLOADS, start=1):
        extra: dict[str, str] = {}
        text: object = plain
        if index == 1:
            text = [{"type": "text_link", "text": plain, "href": "javascript:window.__pwned=2"}]
        if index == 2:
            extra = {"file": 'files/"><img src=x onerror=alert(1)>.pdf',
                     "file_name": '"><img src=x onerror="window.__pwned=\'file\'">.pdf',
                     "mime_type": "application/pdf", "media_type": "file"}
        messages.append(message(index, text, 1716458400 + index * 60, **extra))
    write_export(folder, 1999000001, HOSTILE_CHANNEL, messages)
    runner.import_telegram_export(engine, folder)
    runner.process(engine, load_settings(environ={}))
