"""The `watchfloor posts` and `watchfloor stories` commands: read, filter and search posts; the stories they form."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from watchfloor.cli_common import JsonOpt, LimitOpt, out
from watchfloor.cli_common import engine as _engine
from watchfloor.cli_common import errors as _errors
from watchfloor.cli_common import print_json as _print_json
from watchfloor.shapes import iso, post_json, story_json
from watchfloor.store import kb as kb_store
from watchfloor.store import posts as post_store
from watchfloor.store import stories as story_store
from watchfloor.web.forms import parse_moment

__all__ = ["posts_app", "stories_app"]

posts_app = typer.Typer(no_args_is_help=True, help="Read and search posts.")
stories_app = typer.Typer(no_args_is_help=True, help="Events reported across channels.")


def _post_filter(source: str | None, lang: str | None, entity: str | None, since: str | None,
                 until: str | None, affiliation: str | None, tag: list[str] | None) -> post_store.PostFilter:
    return post_store.PostFilter(source=source, lang=lang, entity=entity, since=parse_moment(since, "--since"),
                                 until=parse_moment(until, "--until"), affiliation=affiliation, tags=list(tag or []))


def _show_posts(found: list[Any], json_out: bool) -> None:
    with _engine().connect() as conn:
        entities = kb_store.entities_by_id(conn, {m.entity_id for p in found for m in p.mentions})
    if json_out:
        _print_json([post_json(p, entities) for p in found])
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
    with _errors():
        flt = _post_filter(source, lang, entity, since, until, affiliation, tag)
        with _engine().connect() as conn:
            found = post_store.list_posts(conn, flt, limit, offset)
        _show_posts(found, json_out)


@posts_app.command("search")
def posts_search(query: Annotated[str, typer.Argument(help="Words that must all occur.")],
                 source: SourceOpt = None, lang: LangOpt = None, entity: EntityOpt = None,
                 since: SinceOpt = None, until: UntilOpt = None, affiliation: AffOpt = None,
                 tag: TagOpt = None, limit: LimitOpt = 50, json_out: JsonOpt = False) -> None:
    """Full-text search over original text and translation."""
    with _errors():
        flt = _post_filter(source, lang, entity, since, until, affiliation, tag)
        with _engine().connect() as conn:
            found = post_store.search_posts(conn, query, flt, limit)
        _show_posts(found, json_out)


@stories_app.command("list")
def stories_list(min_sources: Annotated[int, typer.Option(help="Only stories told by this many sources.")] = 1,
                 limit: LimitOpt = 50, offset: int = 0, json_out: JsonOpt = False) -> None:
    """Stories, most recent first."""
    with _errors(), _engine().connect() as conn:
        found = story_store.list_stories(conn, min_sources, limit, offset)
    if json_out:
        _print_json([{"id": s.id, "title": s.title, "first_seen": iso(s.first_seen), "last_seen": iso(s.last_seen),
                      "sources": s.sources, "post_count": s.post_count} for s in found])
        return
    table = Table("id", "first seen (UTC)", "posts", "sources", "title")
    for story in found:
        table.add_row(str(story.id), iso(story.first_seen) or "", str(story.post_count),
                      str(len(story.sources)), story.title)
    out.print(table)


@stories_app.command("show")
def stories_show(story_id: int, json_out: JsonOpt = False) -> None:
    """One story: its posts across channels and the entities they name."""
    with _errors(), _engine().connect() as conn:
        story = story_store.get_story(conn, story_id)
        entities = kb_store.entities_by_id(conn, {m.entity_id for p in story.posts for m in p.mentions})
    shape = story_json(story, entities)
    if json_out:
        _print_json(shape)
        return
    out.print(f"[bold]Story {story.id}[/bold]: {story.title}", highlight=False)
    out.print(f"{shape['first_seen']} – {shape['last_seen']}; sources: {', '.join(shape['sources'])}",
              highlight=False)
    for post in shape["posts"]:
        out.print(f"\n[{post['source_name'] or post['source']} #{post['message_id']}, {post['posted_at']}, "
                  f"{post['lang']}]", markup=False, highlight=False)
        out.print(post["text"], markup=False, highlight=False)
    out.print("\nEntities: " + ", ".join(f"{e['name']} ({e['type']}, {e['mentions']})"
                                         for e in shape["entities"]), highlight=False)
