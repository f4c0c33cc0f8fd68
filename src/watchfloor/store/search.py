"""Full-text search over posts: the original, its translation and the OCR text of its images, ranked within
bounded windows of the newest matches so a search costs what the index costs, whatever the word."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watchfloor.models import Post
from watchfloor.store.media import media_post_ids_matching
from watchfloor.store.posts import PostFilter, apply_filter, materialise, select_posts
from watchfloor.store.tables import posts, sources

__all__ = ["SEARCH_WINDOW", "search_posts"]


def _fts_query(text: str) -> str:
    """An FTS5 query where every word of the user's text must occur (quoted, so no operator injection)."""
    words = [w.replace('"', '""') for w in text.split() if w.strip()]
    return " ".join(f'"{w}"' for w in words)


SEARCH_WINDOW = 1000
"""How many matches a search ranks at a time. When more posts than this match the words and pass the
filters, the matches are taken in windows of this many, newest (highest id) first, and ranked best-first
within each window: the first page holds the best matches among the newest ``SEARCH_WINDOW``. Finding a
window walks the index in id order without ranking, so a search costs about the same whatever the word;
a word in no more posts than this is ranked in full, as one window."""


def _fts_table() -> sa.TableClause:
    return sa.table("posts_fts", sa.column("rowid"), sa.column("rank"))


def _fts_match(text: str) -> sa.TextClause:
    return sa.text("posts_fts MATCH :q").bindparams(q=_fts_query(text))


def _tsquery(text: str) -> sa.ColumnElement[Any]:
    return sa.func.plainto_tsquery(sa.literal_column("'simple'"), text)


_DOCUMENT: sa.ColumnElement[Any] = sa.literal_column("posts.fts_vector")  # stored, GIN-indexed (0018)


def _window_ids(conn: Connection, text: str, flt: PostFilter, start: int, size: int) -> sa.Select[Any]:
    """The ids of the text matches that pass the filters, newest first, from the ``start``-th, at most
    ``size``: found in the index's id order, nothing ranked."""
    if conn.dialect.name == "sqlite":
        fts = _fts_table()
        query = sa.select(fts.c.rowid.label("id")).select_from(fts).where(_fts_match(text))
        if flt != PostFilter():  # the index alone, unless a filter reads the post
            query = query.join(posts, posts.c.id == fts.c.rowid)
        query = query.order_by(fts.c.rowid.desc())
    else:
        query = (sa.select(posts.c.id).select_from(posts)
                 .where(_DOCUMENT.op("@@")(_tsquery(text))).order_by(posts.c.id.desc()))
    if flt.source or flt.affiliation:  # the only filters on the source's own columns
        query = query.join(sources, sources.c.id == posts.c.source_id)
    return apply_filter(conn, query, flt).limit(size).offset(start)


def _ranked_window(conn: Connection, text: str, flt: PostFilter, start: int, size: int,
                   skip: int, take: int) -> list[Any]:
    """Rows of the window of text matches from the ``start``-th (at most ``size``), best match first,
    ``take`` of them after the first ``skip``."""
    if conn.dialect.name == "sqlite":
        # FTS5 bounds its walk by a rowid range (a list of rowids costs a seek each), so the window is
        # passed as its lowest and highest id and the filters, applied again, drop what lies between.
        window = _window_ids(conn, text, flt, start, size).cte("search_window")
        fts = _fts_table()
        ranked = (sa.select(fts.c.rowid.label("hit_id"), fts.c.rank.label("hit_rank"))
                  .where(_fts_match(text), fts.c.rowid >= sa.select(sa.func.min(window.c.id)).scalar_subquery(),
                         fts.c.rowid <= sa.select(sa.func.max(window.c.id)).scalar_subquery()).subquery())
        query = (apply_filter(conn, select_posts(), flt).join(ranked, ranked.c.hit_id == posts.c.id)
                 .order_by(ranked.c.hit_rank, posts.c.id))
    else:
        query = (select_posts().where(posts.c.id.in_(_window_ids(conn, text, flt, start, size).scalar_subquery()))
                 .order_by(sa.func.ts_rank(_DOCUMENT, _tsquery(text)).desc(), posts.c.id))
    return list(conn.execute(query.limit(take).offset(skip)).all())


def search_posts(conn: Connection, text: str, flt: PostFilter | None = None, limit: int = 50,
                 offset: int = 0) -> list[Post]:
    """Full-text search over the original text, its translation and the OCR text of its images; posts that
    match in their own text come first, best match first within each window of ``SEARCH_WINDOW`` matches
    (newest window first), then those that match only in an image, by id.

    Every filter applies before a window is cut, so a post that matches and passes them is on some page.
    The index yields the matches in id order and each post is then looked up by id, so the cost follows the
    window (or the matches, for a rarer word), not the size of the archive; image-only matches are asked for
    only when the text matches do not fill the page."""
    if not text.strip() or limit <= 0:
        return []
    flt = flt or PostFilter()
    if conn.dialect.name == "postgresql":
        # The window's plan depends on how common the word is (walk the primary key backwards for a common
        # one, the GIN index for a rare one); psycopg prepares a statement run five times, and a generic plan
        # chosen then would serve every later word alike. Plan each search for its word (this transaction).
        conn.execute(sa.text("SET LOCAL plan_cache_mode = force_custom_plan"))
    size = max(SEARCH_WINDOW, 1)
    rows: list[Any] = []
    position = offset
    while True:
        start = position - position % size
        found = _ranked_window(conn, text, flt, start, size, position - start, limit - len(rows))
        rows += found
        if len(rows) == limit:
            return materialise(conn, rows)
        if position - start + len(found) < size:  # this window was the last: no more text matches
            break
        position = start + size
    # every text match is before or on this page: posts that match only in an image follow them
    if found or position > offset or offset == 0:
        text_matches = position + len(found)
    else:  # the page starts past the text matches: count them
        matches = _window_ids(conn, text, flt, 0, offset).subquery()
        text_matches = conn.execute(sa.select(sa.func.count()).select_from(matches)).scalar_one()
    # rows hold every text match when the page starts at the first; otherwise leave out every text match
    text_ids: Any = ([row.id for row in rows] if offset == 0
                     else _window_ids(conn, text, flt, 0, text_matches).scalar_subquery())
    only_images = (apply_filter(conn, select_posts(), flt)
                   .where(posts.c.id.in_(media_post_ids_matching(conn, text)), posts.c.id.not_in(text_ids))
                   .order_by(posts.c.id).limit(limit - len(rows)).offset(max(0, offset - text_matches)))
    rows += conn.execute(only_images).all()
    return materialise(conn, rows)
