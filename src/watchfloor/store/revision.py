"""The schema revision without Alembic: the newest revision read from the migration files' own
``revision``/``down_revision`` lines, and the database's from its ``alembic_version`` table. Checking a
database is current costs a command a few milliseconds instead of importing Alembic (a tenth of a second)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import sqlalchemy as sa

__all__ = ["head_revision", "current_revision"]

VERSIONS = Path(__file__).parent / "migrations" / "versions"


def _assigned(tree: ast.Module, name: str) -> object:
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == name:
            return ast.literal_eval(value)
    return None


@cache
def head_revision() -> str:
    """The revision no other migration revises (the one `alembic upgrade head` reaches)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        revision = _assigned(tree, "revision")
        if not isinstance(revision, str):
            continue
        revisions.add(revision)
        down = _assigned(tree, "down_revision")
        revised.update([down] if isinstance(down, str) else list(down) if isinstance(down, tuple | list) else [])
    heads = revisions - revised
    if len(heads) != 1:
        raise RuntimeError(f"the migrations have {len(heads)} heads ({', '.join(sorted(heads))}); they must have one")
    return heads.pop()


def current_revision(conn: sa.Connection) -> str | None:
    """The revision the database is at, or None when it has no schema yet."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
