"""The suite's processed sample (``conftest.import_sample``): after the first real import of a test process, a
fresh store gets a copy of its rows. The copy must hold what a real import and run of the pipeline store, and a
store that is not fresh must get the real thing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

import conftest
from watchfloor import runner
from watchfloor.models import Source
from watchfloor.settings import load_settings
from watchfloor.store import sources as source_store
from watchfloor.store.tables import entities, metadata, posts, sources


def _fresh(path: Path) -> Engine:
    engine = runner.open_store(f"sqlite:///{path}", migrate=True)
    runner.init_store(engine)
    return engine


def _untimed(value: Any) -> Any:
    return {k: v for k, v in value.items() if k != "at"} if isinstance(value, dict) else value


def _content(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, without the times of writing (columns ending in _at, a translation's "at")."""
    with engine.connect() as conn:
        return {table.name: [tuple(_untimed(v) for v in row) for row in conn.execute(
            sa.select(*[c for c in table.columns if not c.name.endswith("_at")])
            .order_by(*table.primary_key.columns))] for table in metadata.sorted_tables}


def test_a_copied_sample_holds_what_a_real_import_holds(tmp_path: Path) -> None:
    conftest.import_sample(_fresh(tmp_path / "first.sqlite3"))  # real, or a copy when a test before made one
    copied = _fresh(tmp_path / "copied.sqlite3")
    conftest.import_sample(copied)  # a copy: the process has its sample now
    real = _fresh(tmp_path / "real.sqlite3")
    runner.import_sample(real)
    runner.process(real, load_settings(environ={}))
    want, got = _content(real), _content(copied)
    assert want["posts"] and want["stories"] and want["mentions"]
    assert got == want
    with copied.connect() as conn:  # the full-text index followed the copied posts
        found = conn.execute(sa.text("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'Manama'")).scalar_one()
    with real.connect() as conn:
        assert found == conn.execute(sa.text("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'Manama'"))\
            .scalar_one() > 0


def test_a_store_that_is_not_fresh_gets_a_real_import(store: Engine) -> None:
    fresh = conftest._fingerprint(store)
    with store.begin() as conn:
        conn.execute(entities.update().where(entities.c.id == "person:ebrahim-raisi").values(status="rejected"))
    assert fresh is not None and conftest._fingerprint(store) not in (None, fresh)
    conftest.import_sample(store)
    with store.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(posts)).scalar_one() > 0
        status = conn.execute(sa.select(entities.c.status).where(entities.c.id == "person:ebrahim-raisi")).scalar_one()
    assert status == "rejected"  # a copy would have brought the knowledge base back as it was


def test_after_a_copy_new_rows_take_new_ids(store: Engine, tmp_path: Path) -> None:
    conftest.import_sample(store)
    assert store.dialect.name in conftest._SAMPLE  # a fresh store's import is kept for the next ones
    if store.dialect.name == "sqlite":
        fresh = _fresh(tmp_path / "again.sqlite3")
    else:  # the same database emptied again, its sequences new, as the db_url fixture leaves it
        url = store.url.render_as_string(hide_password=False)
        store.dispose()
        conftest.empty_schema(url)
        fresh = runner.open_store(url, migrate=True)
        runner.init_store(fresh)
    conftest.import_sample(fresh)  # a copy
    with fresh.begin() as conn:
        highest = conn.execute(sa.select(sa.func.max(sources.c.id))).scalar_one()
        source_store.add_source(conn, Source(key="telegram:copied_desk_check"))
        added = conn.execute(sa.select(sources.c.id).where(sources.c.key == "telegram:copied_desk_check")).scalar_one()
    fresh.dispose()
    assert highest > 0 and added > highest
