"""The translation cache table, and finding posts whose translation a better back-end should redo."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from watchfloor.store.tables import translations

__all__ = ["TranslationStore", "cached", "keep", "cache_size"]


def cached(conn: Connection, keys: Sequence[str]) -> dict[str, str]:
    """The English text kept for each of these keys."""
    found: dict[str, str] = {}
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), 500):
        rows = conn.execute(sa.select(translations.c.key, translations.c.text_en)
                            .where(translations.c.key.in_(unique[start:start + 500])))
        found.update({row.key: row.text_en for row in rows})
    return found


def keep(conn: Connection, entries: Sequence[Any]) -> int:
    """Add cache entries (objects with key, backend, model, source_lang, text_en) not kept yet; returns how many."""
    fresh = {e.key: e for e in entries}
    for key in cached(conn, list(fresh)):
        fresh.pop(key)
    if fresh:
        now = datetime.now(UTC)
        conn.execute(translations.insert(), [
            {"key": e.key, "backend": e.backend, "model": e.model, "source_lang": e.source_lang,
             "text_en": e.text_en, "created_at": now} for e in fresh.values()])
    return len(fresh)


def cache_size(conn: Connection) -> int:
    """How many segments the cache holds."""
    return int(conn.execute(sa.select(sa.func.count()).select_from(translations)).scalar_one())


class TranslationStore:
    """The cache in the database, for the pipeline's translate stage (one short transaction per call)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        """Cached English texts by key."""
        with self.engine.connect() as conn:
            return cached(conn, keys)

    def put_many(self, entries: Sequence[Any]) -> None:
        """Keep new translations; a key another worker kept meanwhile is left as it is."""
        if not entries:
            return
        try:
            with self.engine.begin() as conn:
                keep(conn, entries)
        except sa.exc.IntegrityError:
            for entry in entries:  # a concurrent writer won a race: keep the rest one by one
                try:
                    with self.engine.begin() as conn:
                        keep(conn, [entry])
                except sa.exc.IntegrityError:
                    continue
