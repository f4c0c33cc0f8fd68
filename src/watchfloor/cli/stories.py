"""`watchfloor stories`: events reported across channels, each with its posts and the entities they name."""

from __future__ import annotations

from typing import Annotated

import typer

from watchfloor.cli.common import JsonOpt, LimitOpt, errors, out, print_json
from watchfloor.cli.common import engine as open_engine

__all__ = ["stories_app"]

stories_app = typer.Typer(no_args_is_help=True, help="Events reported across channels.")


@stories_app.command("list")
def stories_list(min_sources: Annotated[int, typer.Option(help="Only stories told by this many sources.")] = 1,
                 limit: LimitOpt = 50, offset: int = 0, json_out: JsonOpt = False) -> None:
    """Stories, most recent first."""
    from rich.table import Table

    from watchfloor.shapes import iso, story_summary_json
    from watchfloor.store import stories as story_store

    with errors(), open_engine().connect() as conn:
        found = story_store.list_stories(conn, min_sources, limit, offset)
    if json_out:
        print_json([story_summary_json(s.id, s.title, s.first_seen, s.last_seen, s.sources, s.post_count)
                    for s in found])
        return
    table = Table("id", "first seen (UTC)", "posts", "sources", "title")
    for story in found:
        table.add_row(str(story.id), iso(story.first_seen) or "", str(story.post_count),
                      str(len(story.sources)), story.title)
    out.print(table)


@stories_app.command("show")
def stories_show(story_id: int, json_out: JsonOpt = False) -> None:
    """One story: its posts across channels and the entities they name."""
    from watchfloor.shapes import story_json
    from watchfloor.store import kb as kb_store
    from watchfloor.store import stories as story_store

    with errors(), open_engine().connect() as conn:
        story = story_store.get_story(conn, story_id)
        entities = kb_store.entities_by_id(conn, {m.entity_id for p in story.posts for m in p.mentions})
    shape = story_json(story, entities)
    if json_out:
        print_json(shape)
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
