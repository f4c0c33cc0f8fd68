"""Every route of the web app and the API declares who may call it (one RoleCheck dependency), the declaration
is the one pinned here, and the live app behaves as declared for every kind of reader. Walks the app's routes,
so a route added without a declared role, or with another one, fails here. Over real HTTP, SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import fastapi.routing
import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy.engine import Engine
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from conftest import LiveServer
from watchfloor.models import Role
from watchfloor.settings import load_settings
from watchfloor.store import users as user_store
from watchfloor.web.app import create_app
from watchfloor.web.auth import hash_password
from watchfloor.web.roles import ANALYST, ANYONE, RoleCheck, role_of
from webclient import Reader

PASSWORD = "a long enough password"
# the levels in order: each reader passes the checks at or below its own rank
RANKS = {"anyone": 0, "public": 1, "subscriber": 2, "analyst": 3, "admin": 4}
# who may call each route; a new route goes here with the role it declares
DECLARED = {
    ("GET", "/"): "anyone",
    ("GET", "/reports/{report_id}"): "anyone",
    ("GET", "/search"): "anyone",
    ("GET", "/feed.xml"): "anyone",
    ("GET", "/account"): "public",
    ("GET", "/media/{sha256}"): "anyone",
    ("GET", "/register"): "anyone",
    ("POST", "/register"): "anyone",
    ("GET", "/login"): "anyone",
    ("POST", "/login"): "anyone",
    ("POST", "/logout"): "anyone",
    ("GET", "/reset"): "anyone",
    ("POST", "/reset"): "anyone",
    ("GET", "/reset/{token}"): "anyone",
    ("POST", "/reset/{token}"): "anyone",
    ("POST", "/account/password"): "public",
    ("GET", "/posts"): "analyst",
    ("GET", "/stories"): "analyst",
    ("GET", "/stories/{story_id}"): "analyst",
    ("POST", "/stories/{story_id}/draft"): "analyst",
    ("GET", "/entities/{entity_id}"): "analyst",
    ("GET", "/sources/{key:path}"): "analyst",
    ("GET", "/drafts"): "analyst",
    ("GET", "/reports/{report_id}/edit"): "analyst",
    ("POST", "/reports/{report_id}/edit"): "analyst",
    ("POST", "/preview"): "analyst",
    ("GET", "/review"): "analyst",
    ("POST", "/review/{entity_id}"): "analyst",
    ("GET", "/alerts"): "analyst",
    ("GET", "/network"): "analyst",
    ("GET", "/posts/{post_id}/translation"): "analyst",
    ("POST", "/posts/{post_id}/translation"): "analyst",
    ("GET", "/admin"): "admin",
    ("POST", "/admin/users/{user_id}"): "admin",
    ("POST", "/admin/keys"): "admin",
    ("POST", "/admin/keys/{key_id}/revoke"): "admin",
    ("POST", "/admin/sources"): "admin",
    ("GET", "/api/v1/reports"): "anyone",
    ("GET", "/api/v1/reports/{report_id}"): "anyone",
    ("GET", "/api/v1/posts"): "analyst",
    ("GET", "/api/v1/stories"): "analyst",
    ("GET", "/api/v1/stories/{story_id}"): "analyst",
    ("GET", "/api/v1/entities"): "analyst",
    ("GET", "/api/v1/entities/{entity_id}"): "analyst",
    ("GET", "/api/v1/sources"): "analyst",
    ("GET", "/api/v1/sources/{key:path}"): "analyst",
}
# routes the framework adds, which carry no dependencies: the API's OpenAPI document and the static files
FRAMEWORK = {("GET", "/api/v1/openapi.json"), ("GET", "/static")}
# a value for each path parameter (any other name gets "x")
SAMPLE = {"key": "telegram:1", "entity_id": "org:none", "sha256": "0" * 64, "token": "not-a-token"}


def _contexts(routes: list[BaseRoute]) -> list[Any]:
    """The routes as FastAPI serves them (0.165 keeps an included router's routes behind one entry)."""
    expand = getattr(fastapi.routing, "iter_route_contexts", None)
    return list(expand(routes)) if expand is not None else list(routes)


def walk(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, str, list[RoleCheck] | None]]:
    """(method, path, the route's role checks) for every route, mounted apps included (None: no dependant)."""
    for context in _contexts(routes):
        route = getattr(context, "original_route", context)
        if isinstance(route, APIRoute):
            for method in sorted(context.methods):
                yield method, prefix + context.path, role_of(context.dependant)
        elif isinstance(route, Mount) and isinstance(route.app, FastAPI):
            yield from walk(route.app.routes, prefix + route.path)
        elif isinstance(route, Mount) and isinstance(route.app, StaticFiles):
            yield "GET", prefix + route.path, None
        else:
            for method in sorted(getattr(context, "methods", None) or {"GET"}):
                if method != "HEAD":
                    yield method, prefix + str(getattr(context, "path", "?")), None


def declared_roles(app: FastAPI) -> dict[tuple[str, str], str]:
    """What each route declares; fails on a route with no role check, or more than one."""
    found: dict[tuple[str, str], str] = {}
    for method, path, checks in walk(app.routes):
        if checks is None:
            assert (method, path) in FRAMEWORK, f"{method} {path} is not a FastAPI route and cannot declare a role"
            continue
        assert len(checks) == 1, (f"{method} {path} declares {len(checks)} role checks {checks}; declare exactly "
                                  "one (dependencies=[Depends(ANALYST)] on the route or its router)")
        found[(method, path)] = checks[0].label
    return found


def _app(engine: Engine) -> FastAPI:
    return create_app(engine, load_settings({"public_url": "http://127.0.0.1"}, environ={}))


def test_every_route_declares_the_pinned_role(store: Engine) -> None:
    assert declared_roles(_app(store)) == DECLARED


def test_a_route_without_a_role_or_with_two_is_caught() -> None:
    from fastapi import APIRouter, Depends

    bare = FastAPI(openapi_url=None)
    bare.get("/new")(lambda: {})
    with pytest.raises(AssertionError, match="declares 0 role checks"):
        declared_roles(bare)
    twice = FastAPI(openapi_url=None)
    router = APIRouter(dependencies=[Depends(ANALYST)])
    router.get("/both", dependencies=[Depends(ANYONE)])(lambda: {})
    twice.include_router(router)
    with pytest.raises(AssertionError, match="declares 2 role checks"):
        declared_roles(twice)


def _path(template: str) -> str:
    out = template
    while "{" in out:
        start, end = out.index("{"), out.index("}")
        name = out[start + 1:end].split(":")[0]
        out = out[:start] + SAMPLE.get(name, "1" if name.endswith("_id") else "x") + out[end + 1:]
    return out


@pytest.fixture
def readers(store: Engine) -> Iterator[dict[str, httpx.Client | None]]:
    now = datetime.now(UTC)
    accounts = {"public": ("reader@example.org", Role.PUBLIC, None),
                "subscriber": ("sub@example.org", Role.SUBSCRIBER, now + timedelta(days=30)),
                "lapsed": ("lapsed@example.org", Role.SUBSCRIBER, now - timedelta(days=1)),
                "analyst": ("analyst@example.org", Role.ANALYST, None),
                "admin": ("admin@example.org", Role.ADMIN, None)}
    with store.begin() as conn:
        for email, role, until in accounts.values():
            user_store.create_user(conn, email, hash_password(PASSWORD), role, until)
    server = LiveServer(store)
    made: list[Reader] = []
    clients: dict[str, httpx.Client | None] = {}
    for who in ("anyone", *accounts):
        reader = Reader(server.url)
        made.append(reader)
        if who != "anyone":
            reader.login(accounts[who][0], PASSWORD)
        clients[who] = reader.http
    yield clients
    for reader in made:
        reader.close()
    server.stop()


def _denied(response: httpx.Response, path: str) -> str | None:
    """How a response refuses the reader for their role ('login' or 'role'), or None when it does not."""
    if path.startswith("/api/") and response.status_code == 401:
        return "login"
    if response.status_code == 303 and response.headers.get("location", "").startswith("/login?next="):
        return "login"
    if response.status_code == 403 and "needs the" in response.text:
        return "role"
    return None


def test_every_route_lets_in_exactly_the_readers_its_role_allows(
        store: Engine, readers: dict[str, httpx.Client]) -> None:
    rank = dict(RANKS, lapsed=RANKS["public"])  # an expired subscription reads as a public account
    wrong = []
    for (method, template), level in sorted(DECLARED.items()):
        path = _path(template)
        for who, client in readers.items():
            response = client.request(method, path, data={} if method == "POST" else None, follow_redirects=False)
            assert response.status_code < 500, f"{who} {method} {path}: {response.status_code}"
            denied = _denied(response, path)
            below = rank[who] < RANKS[level]
            expected = None if not below else "login" if who == "anyone" else "role"
            if denied != expected:
                wrong.append(f"{who} {method} {path}: {denied or 'let in'} ({response.status_code}), "
                             f"expected {expected or 'let in'}")
    assert not wrong, "\n".join(wrong)
