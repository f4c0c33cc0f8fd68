"""The gazetteer's index kept between runs, so that a short command (`watchfloor kb resolve`) does not
tokenise every alias of the knowledge base each time it starts.

The index is written as JSON (never pickle: the file is data, and reading it runs no code) under a name
made from a fingerprint of what it was built from: every entry's id, aliases and related entries, and the
code and word lists that normalise them. An edited knowledge base or a new release gives another
fingerprint, so a stale index is never read; a file that cannot be read or has another shape is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from watchfloor.kb import gazetteer, normalize
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.models import Entity

__all__ = ["fingerprint", "cached_gazetteer"]

log = logging.getLogger("watchfloor")

FORMAT = 1  # of the file: raise it when index_data changes shape


@cache
def _code() -> bytes:
    """What the index depends on besides the entries: the normalising code and the designator words."""
    parts = [Path(module.__file__ or "").read_bytes() for module in (gazetteer, normalize)]
    return b"\0".join([*parts, gazetteer.DESIGNATORS_FILE.read_bytes()])


def fingerprint(entities: Sequence[Entity]) -> str:
    """A hash of everything the index is built from."""
    digest = hashlib.sha256(f"{FORMAT}\0".encode())
    digest.update(_code())
    for entity in entities:
        digest.update(json.dumps([entity.id, [[a.text, a.lang] for a in entity.aliases],
                                  sorted(entity.related_ids())], ensure_ascii=False).encode())
    return digest.hexdigest()


def cached_gazetteer(entities: Sequence[Entity], folder: Path) -> Gazetteer:
    """The gazetteer of these entities, its index read from ``folder`` when one was written for exactly
    them, else built and written there (one file is kept; a folder that cannot be written only costs time)."""
    name = f"gazetteer-{fingerprint(entities)[:40]}.json"
    path = folder / name
    try:
        return Gazetteer(entities, built=json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        log.info("rebuilding the gazetteer's index (%s: %s)", type(exc).__name__, exc)
    built = Gazetteer(entities)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{name}.{os.getpid()}"
        partial.write_text(json.dumps(built.index_data(), ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)  # readers see the whole file or none
        for old in folder.glob("gazetteer-*.json"):
            if old.name != name:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.info("could not keep the gazetteer's index in %s: %s", folder, exc)
    return built
