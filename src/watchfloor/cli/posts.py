"""`watchfloor posts`: read, filter and search posts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from watchfloor.cli.common import JsonOpt, LimitOpt, errors, out, print_json
from watchfloor.cli.common import engine as open_engine

if TYPE_CHECKING:
    from watchfloor.models import Post
    from watchfloor.store.posts import PostFilter

__all__ = ["posts_app"]

posts_app = typer.Typer(no_args_is_help=True, help="Read and search posts.")


def _post_filter(source: str | None, lang: str | None, entity: str | None, since: str | None,
                 until: str | None, affiliation: str | None, tag: list[str] | None) -> PostFilter:
    from watchfloor.date_input import parse_moment
    from watchfloor.store.posts import PostFilter

    return PostFilter(source=source, lang=lang, entity=entity, since=parse_moment(since, "--since"),
                      until=parse_moment(until, "--until"), affiliation=affiliation, tags=list(tag or []))


def _show_posts(found: list[Post], json_out: bool) -> None:
    from rich.table import Table

    from watchfloor.shapes import iso, post_json
    from watchfloor.store import kb as kb_store

    with open_engine().connect() as conn:
        entities = kb_store.entities_by_id(conn, {m.entity_id for p in found for m in p.mentions})
    if json_out:
        print_json([post_json(p, entities) for p in found])
        return
    table = Table("source", "id", "posted (UTC)", "lang", "text", "entities")
    for post in found:
        names = ", ".join(dict.fromkeys(entities[m.entity_id].name for m in post.mentions if m.entity_id in entities))
        table.add_row(post.source.name or post.source.key, str(post.message_id), iso(post.posted_at) or "",
                      post.lang or "", post.text[:160], names)
    out.print(table)


SourceOpt = Annotated[str | None, typer.Option(help="Only this source key.")]
LangOpt = Annotated[str | None, typer.Option(help="Only this language.")]
EntityOpt = Annotated[str | None, typer.Option(help="Only posts naming this entity id.")]
SinceOpt = Annotated[str | None, typer.Option(help="From this date/time (ISO, UTC).")]
UntilOpt = Annotated[str | None, typer.Option(help="Before this date/time (ISO, UTC).")]
AffOpt = Annotated[str | None, typer.Option(help="Only sources with this affiliation.")]
TagOpt = Annotated[list[str] | None, typer.Option(help="Only sources with this tag.")]


@posts_app.command("list")
def posts_list(source: SourceOpt = None, lang: LangOpt = None, entity: EntityOpt = None,
               since: SinceOpt = None, until: UntilOpt = None, affiliation: AffOpt = None,
               tag: TagOpt = None, limit: LimitOpt = 50, offset: int = 0, json_out: JsonOpt = False) -> None:
    """Posts, newest first."""
    from watchfloor.store import posts as post_store

    with errors():
        flt = _post_filter(source, lang, entity, since, until, affiliation, tag)
        with open_engine().connect() as conn:
            found = post_store.list_posts(conn, flt, limit, offset)
        _show_posts(found, json_out)


@posts_app.command("search")
def posts_search(query: Annotated[str, typer.Argument(help="Words that must all occur.")],
                 source: SourceOpt = None, lang: LangOpt = None, entity: EntityOpt = None,
                 since: SinceOpt = None, until: UntilOpt = None, affiliation: AffOpt = None,
                 tag: TagOpt = None, limit: LimitOpt = 50, offset: int = 0, json_out: JsonOpt = False) -> None:
    """Full-text search over original text and translation."""
    from watchfloor.store import search as search_store

    with errors():
        flt = _post_filter(source, lang, entity, since, until, affiliation, tag)
        with open_engine().connect() as conn:
            found = search_store.search_posts(conn, query, flt, limit, offset)
        _show_posts(found, json_out)
