"""Alembic environment: runs migrations on the connection Watchfloor hands over."""

from __future__ import annotations

from alembic import context

from watchfloor.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # plain `alembic` command line use
    from sqlalchemy import create_engine

    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
