"""create_app: one FastAPI app serving readers, analysts, admins and the JSON API from one database."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from watchfloor.errors import InvalidInput, NotFound, PermissionDenied
from watchfloor.models import User
from watchfloor.settings import Settings
from watchfloor.store import users as user_store
from watchfloor.web import admin, api, pages, translation, workspace
from watchfloor.web.auth import CSRF_COOKIE, SESSION_COOKIE, new_token, token_hash
from watchfloor.web.common import NeedsLogin, render

__all__ = ["create_app", "CSP"]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def _identify(engine: Engine, session: str | None, bearer: str | None) -> User | None:
    with engine.begin() as conn:
        if bearer:
            return user_store.user_for_api_key(conn, token_hash(bearer))
        if session:
            return user_store.user_for_session(conn, token_hash(session))
    return None


def create_app(engine: Engine, settings: Settings) -> FastAPI:
    """The web app over a migrated database."""
    app = FastAPI(title="Watchfloor", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = engine
    app.state.settings = settings

    @app.middleware("http")
    async def identify_and_harden(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        authorization = request.headers.get("authorization", "")
        bearer = authorization[7:].strip() if authorization.lower().startswith("bearer ") else None
        request.state.user = await run_in_threadpool(_identify, engine, request.cookies.get(SESSION_COOKIE), bearer)
        request.state.via_key = bearer is not None
        csrf = request.cookies.get(CSRF_COOKIE) or new_token()
        request.state.csrf = csrf
        response = await call_next(request)
        if CSRF_COOKIE not in request.cookies:
            response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict",
                                secure=request.url.scheme == "https")
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if request.state.user is not None:
            response.headers["Cache-Control"] = "private, no-store"
        return response

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.exception_handler(NeedsLogin)
    async def needs_login(request: Request, exc: NeedsLogin) -> Response:
        if wants_json(request):
            return JSONResponse({"error": "authentication required: send Authorization: Bearer KEY"},
                                status_code=401, headers={"WWW-Authenticate": "Bearer"})
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(PermissionDenied)
    async def denied(request: Request, exc: PermissionDenied) -> Response:
        if wants_json(request):
            return JSONResponse({"error": str(exc)}, status_code=403)
        return render(request, "message.html", 403, title="Not allowed", message=str(exc))  # type: ignore[no-any-return]

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        if wants_json(request):
            return JSONResponse({"error": str(exc)}, status_code=404)
        return render(request, "message.html", 404, title="Not found", message=str(exc))  # type: ignore[no-any-return]

    @app.exception_handler(InvalidInput)
    async def invalid(request: Request, exc: InvalidInput) -> Response:
        if wants_json(request):
            return JSONResponse({"error": str(exc)}, status_code=400)
        return render(request, "message.html", 400, title="Please check", message=str(exc))  # type: ignore[no-any-return]

    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    app.include_router(pages.router)
    app.include_router(workspace.router)
    app.include_router(translation.router)
    app.include_router(admin.router)
    app.mount("/api/v1", api.create_api(engine, settings))
    return app
