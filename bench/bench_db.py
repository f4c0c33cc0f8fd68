"""What the bench scripts share about their databases."""

from __future__ import annotations

import sqlalchemy as sa


def empty_postgres(url: str) -> str:
    """``url`` after its database's public schema is dropped and made again: every table, index and
    migration record gone. Only for a database kept for benchmarks: the scripts say so in their --postgres help."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url
