"""One JSON shape per object: the API (over real HTTP, with an analyst's key) and the CLI's --json give the same
objects, key for key, for stories (listed and whole), sources and knowledge-base entries. On the bundled
sample, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from conftest import Cli, LiveServer, import_sample
from watchfloor.models import Role
from watchfloor.store import users as user_store
from watchfloor.web.auth import hash_password, new_api_key, token_hash
from webclient import Reader


@pytest.fixture
def api(store: Engine) -> Iterator[Reader]:
    import_sample(store)
    key, prefix = new_api_key()
    with store.begin() as conn:
        owner = user_store.create_user(conn, "analyst@example.org", hash_password("a long enough password"),
                                       Role.ANALYST, None)
        user_store.create_api_key(conn, owner.id, token_hash(key), prefix)
    server = LiveServer(store)
    reader = Reader(server.url, api_key=key)
    yield reader
    reader.close()
    server.stop()


def _get(api: Reader, path: str) -> Any:
    response = api.get(f"/api/v1{path}")
    assert response.status_code == 200, response.text[:300]
    return response.json()


def test_stories_have_one_shape(api: Reader, cli: Cli) -> None:
    listed = _get(api, "/stories?limit=500")["items"]
    assert listed == cli.json("stories", "list", "--limit", "500")
    assert len(listed) > 10 and all(isinstance(s["post_count"], int) and "posts" not in s for s in listed)
    several = [s for s in listed if len(s["sources"]) >= 2][:4]
    assert several
    for summary in several:
        whole = _get(api, f"/stories/{summary['id']}")
        assert whole == cli.json("stories", "show", str(summary["id"]))
        assert len(whole["posts"]) == summary["post_count"] and whole["sources"] == summary["sources"]


def test_sources_and_entities_have_one_shape(api: Reader, cli: Cli) -> None:
    sources = _get(api, "/sources")["items"]
    assert sources == cli.json("sources", "list") and sources
    for source in sources[:3]:
        alone = {k: v for k, v in source.items() if k != "posts"}
        assert _get(api, f"/sources/{source['key']}") == alone
    entities = _get(api, "/entities?limit=20")["items"]
    assert entities == cli.json("kb", "list", "--limit", "20")
    for entity in entities[:5]:
        alone = {k: v for k, v in entity.items() if k != "mentions"}
        assert _get(api, f"/entities/{entity['id']}") == alone == cli.json("kb", "show", entity["id"])
