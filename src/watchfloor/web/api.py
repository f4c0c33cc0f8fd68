"""The JSON API under /api/v1: reports by tier for everyone, posts, stories, entities and sources for analysts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse

from watchfloor.errors import InvalidInput, NotFound, PermissionDenied
from watchfloor.models import Report, Role
from watchfloor.settings import Settings
from watchfloor.shapes import entity_json, iso, post_json, source_json, story_json, story_summary_json
from watchfloor.store import kb as kb_store
from watchfloor.store import posts as post_store
from watchfloor.store import reports as report_store
from watchfloor.store import search as search_store
from watchfloor.store import sources as source_store
from watchfloor.store import stories as story_store
from watchfloor.store.base import Connection, Engine
from watchfloor.web.common import MAX_DB_INT, Id, NeedsLogin, access, db, parse_day
from watchfloor.web.pages import may_read_full, visible_report
from watchfloor.web.roles import ANALYST, ANYONE

__all__ = ["create_api", "report_shape"]

Conn = Annotated[Connection, Depends(db)]
Limit = Annotated[int, Query(ge=1, le=500, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_DB_INT, description="Items to skip.")]


def report_shape(report: Report, level: Role) -> dict[str, Any]:
    """A report as JSON: body and footnotes only for those allowed to read them."""
    shape: dict[str, Any] = {"id": report.id, "title": report.title, "date": iso(report.date),
                             "tier": report.tier.value, "lede": report.lede, "story_id": report.story_id}
    if level >= Role.ANALYST:
        shape["status"] = report.status
    if may_read_full(report, level):
        shape["body"] = report.body
        shape["footnotes"] = [{"n": f.n, "source": f.source, "message_id": f.message_id, "text": f.text,
                               "url": f.url} for f in report.footnotes]
    return shape


def _page(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    return {"items": items, "limit": limit, "offset": offset,
            "next_offset": offset + limit if len(items) == limit else None}


def create_api(engine: Engine, settings: Settings) -> FastAPI:
    """The API app (mounted at /api/v1 by create_app; its OpenAPI document is /api/v1/openapi.json)."""
    api = FastAPI(title="Watchfloor API", version="1", docs_url=None, redoc_url=None,
                  description="Send `Authorization: Bearer KEY` (see `watchfloor apikey create`). Reports follow "
                              "their tier exactly as on the pages; everything else needs the analyst role.")
    api.state.engine = engine
    api.state.settings = settings

    for error, status in ((NeedsLogin, 401), (PermissionDenied, 403), (NotFound, 404), (InvalidInput, 400)):
        def handler(request: Request, exc: Exception, status: int = status) -> JSONResponse:
            headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
            return JSONResponse({"error": str(exc)}, status_code=status, headers=headers)
        api.add_exception_handler(error, handler)
    readers = APIRouter(dependencies=[Depends(ANYONE)])  # reports follow their tier inside the routes
    analysts = APIRouter(dependencies=[Depends(ANALYST)])

    @readers.get("/reports", summary="Published reports, newest first")
    def reports(request: Request, conn: Conn, limit: Limit = 20, offset: Offset = 0) -> dict[str, Any]:
        level = access(request)
        found = report_store.list_reports(conn, limit=limit, offset=offset)
        return _page([report_shape(r, level) for r in found], limit, offset)

    @readers.get("/reports/{report_id}", summary="One report (body and footnotes when your tier allows)")
    def report(request: Request, conn: Conn, report_id: Id) -> dict[str, Any]:
        return report_shape(visible_report(conn, request, report_id), access(request))

    @analysts.get("/posts", summary="Posts, newest first, filtered")
    def posts(request: Request, conn: Conn, limit: Limit = 50, offset: Offset = 0, source: str | None = None,
              lang: str | None = None, entity: str | None = None, affiliation: str | None = None,
              since: str | None = None, until: str | None = None, q: str | None = None) -> dict[str, Any]:
        flt = post_store.PostFilter(source=source, lang=lang, entity=entity, affiliation=affiliation,
                                    since=parse_day(since, "since"), until=parse_day(until, "until"))
        found = (search_store.search_posts(conn, q, flt, limit=limit, offset=offset) if q
                 else post_store.list_posts(conn, flt, limit=limit, offset=offset))
        entities = kb_store.entities_by_id(conn, {m.entity_id for p in found for m in p.mentions})
        return _page([post_json(p, entities) for p in found], limit, offset)

    @analysts.get("/stories", summary="Stories, most recent first")
    def stories(request: Request, conn: Conn, limit: Limit = 50, offset: Offset = 0,
                min_sources: Annotated[int, Query(ge=1, le=10**6)] = 1) -> dict[str, Any]:
        found = story_store.list_stories(conn, min_sources, limit=limit, offset=offset)
        return _page([story_summary_json(s.id, s.title, s.first_seen, s.last_seen, s.sources, s.post_count)
                      for s in found], limit, offset)

    @analysts.get("/stories/{story_id}", summary="One story with its posts and entities")
    def story(request: Request, conn: Conn, story_id: Id) -> dict[str, Any]:
        found = story_store.get_story(conn, story_id)
        return story_json(found, kb_store.entities_by_id(conn, {m.entity_id for p in found.posts
                                                                for m in p.mentions}))

    @analysts.get("/entities", summary="Knowledge-base entries, most mentioned first")
    def entities(request: Request, conn: Conn, limit: Limit = 50, offset: Offset = 0,
                 type: str | None = None) -> dict[str, Any]:
        found = kb_store.list_entities(conn, type, "kb", limit, offset)
        return _page([entity_json(e, n) for e, n in found], limit, offset)

    @analysts.get("/entities/{entity_id}", summary="One knowledge-base entry")
    def entity(request: Request, conn: Conn, entity_id: str) -> dict[str, Any]:
        return entity_json(kb_store.get_entity(conn, entity_id))

    @analysts.get("/sources", summary="Sources with their post counts")
    def sources(request: Request, conn: Conn) -> dict[str, Any]:
        found = source_store.list_sources(conn)
        return _page([source_json(s, n) for s, n in found], len(found) or 1, 0)

    @analysts.get("/sources/{key:path}", summary="One source")
    def source(request: Request, conn: Conn, key: str) -> dict[str, Any]:
        return source_json(source_store.get_source(conn, key))

    api.include_router(readers)
    api.include_router(analysts)
    return api
