"""One JSON shape per object: the same stories, posts, entities and sources read through the CLI's --json
and through the JSON API come out with the same keys and values (both surfaces use watchfloor.shapes)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from conftest import Cli, LiveServer, import_sample
from watchfloor.store import stories as story_store
from webclient import Reader

PASSWORD = "a long enough password"


@pytest.fixture
def both(store: Engine, cli: Cli) -> Iterator[tuple[Cli, Reader, list[int]]]:
    """The sample channels processed, and an analyst's API key for the live web app on the same database."""
    import_sample(store)
    cli("users", "add", "desk@example.org", "--role", "analyst", input=PASSWORD + "\n")
    key = cli("apikey", "create", "desk@example.org").stdout.strip()
    with store.connect() as conn:
        story_ids = [s.id for s in story_store.list_stories(conn, limit=1000)]
    server = LiveServer(store)
    api = Reader(server.url, api_key=key)
    try:
        yield cli, api, story_ids
    finally:
        api.close()
        server.stop()


def _items(api: Reader, path: str) -> list[Any]:
    response = api.get(path)
    assert response.status_code == 200, response.text[:300]
    items = response.json()["items"]
    assert isinstance(items, list)
    return items


def test_every_listed_and_shown_object_has_one_shape(both: tuple[Cli, Reader, list[int]]) -> None:
    cli, api, story_ids = both
    assert len(story_ids) >= 3
    for min_sources in (1, 2, 3):
        listed = cli.json("stories", "list", "--min-sources", str(min_sources), "--limit", "200")
        assert listed == _items(api, f"/api/v1/stories?min_sources={min_sources}&limit=200")
        assert all(len(s["sources"]) >= min_sources for s in listed)
    assert {s["id"] for s in cli.json("stories", "list", "--limit", "1000")} == set(story_ids)
    for story_id in story_ids:  # every story, with its posts, entities and coding
        shown = cli.json("stories", "show", str(story_id))
        assert shown == api.get(f"/api/v1/stories/{story_id}").json()
        assert shown["posts"] and shown["id"] == story_id
    posts = cli.json("posts", "list", "--limit", "40")
    assert posts and posts == _items(api, "/api/v1/posts?limit=40")
    for lang in {p["lang"] for p in posts if p["lang"]}:
        assert cli.json("posts", "list", "--lang", lang) == _items(api, f"/api/v1/posts?lang={lang}")
    assert cli.json("sources", "list") == _items(api, "/api/v1/sources")
    entities = cli.json("kb", "list", "--limit", "30")
    assert entities == _items(api, "/api/v1/entities?limit=30")
    for entity in entities[:10]:
        assert cli.json("kb", "show", entity["id"]) == api.get(f"/api/v1/entities/{entity['id']}").json()
