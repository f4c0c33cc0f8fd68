"""create_app: one FastAPI app serving readers, analysts, admins and the JSON API from one database."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from watchfloor.errors import InvalidInput, NotFound, PermissionDenied
from watchfloor.models import User
from watchfloor.network.view import NetworkCache
from watchfloor.settings import Settings
from watchfloor.store import users as user_store
from watchfloor.store.base import Engine
from watchfloor.web import accounts, admin, api, pages, translation, workspace
from watchfloor.web.auth import CSRF_COOKIE, SESSION_COOKIE, new_token, token_hash
from watchfloor.web.common import NeedsLogin, refuse_bad_text, render

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


def _bad_request_line(request: Request) -> str | None:
    """Why the path or query string cannot be served (a NUL or a lone surrogate in it), or None."""
    try:
        refuse_bad_text(request.url.path, "the address")
        for name, value in request.query_params.multi_items():
            refuse_bad_text(name, "a query parameter's name")
            refuse_bad_text(value, f"the query parameter {name!r}")
    except InvalidInput as exc:
        return str(exc)
    return None


def validation_message(exc: RequestValidationError) -> str:
    """A request's wrong parameters in words: 'page: Input should be less than or equal to 1000000000'."""
    parts = []
    for error in exc.errors():
        where = [str(p) for p in error.get("loc", ()) if p not in ("path", "query", "body")]
        parts.append(f"{'.'.join(where) or 'the request'}: {error.get('msg', 'is not valid')}")
    return "; ".join(parts) or "the request is not valid"


class HeadAsGet:
    """Answer HEAD wherever GET is answered: the app sees a GET, the client gets its headers without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def create_app(engine: Engine, settings: Settings) -> FastAPI:
    """The web app over a migrated database."""
    app = FastAPI(title="Watchfloor", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = engine
    app.state.settings = settings
    app.state.network = NetworkCache(engine)  # the network page's view, kept until the posts change

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    @app.middleware("http")
    async def identify_and_harden(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request.state.user = None
        problem = _bad_request_line(request)
        if problem is not None:  # refused before anything reads the request
            response: Response = (JSONResponse({"error": problem}, status_code=400) if wants_json(request) else
                                  render(request, "message.html", 400, title="Please check", message=problem))
        else:
            authorization = request.headers.get("authorization", "")
            bearer = authorization[7:].strip() if authorization.lower().startswith("bearer ") else None
            request.state.user = await run_in_threadpool(_identify, engine, request.cookies.get(SESSION_COOKIE),
                                                         bearer)
            request.state.via_key = bearer is not None
            request.state.csrf = request.cookies.get(CSRF_COOKIE) or new_token()
            response = await call_next(request)
        if CSRF_COOKIE not in request.cookies and getattr(request.state, "csrf", None):
            response.set_cookie(CSRF_COOKIE, request.state.csrf, httponly=True, samesite="strict",
                                secure=request.url.scheme == "https")
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if request.state.user is not None:
            response.headers["Cache-Control"] = "private, no-store"
        return response

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

    @app.exception_handler(RequestValidationError)
    async def wrong_parameters(request: Request, exc: RequestValidationError) -> Response:
        return render(request, "message.html", 400, title="Please check",  # type: ignore[no-any-return]
                      message=validation_message(exc))

    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    app.include_router(pages.router)
    app.include_router(accounts.router)
    app.include_router(workspace.router)
    app.include_router(translation.router)
    app.include_router(admin.router)
    app.mount("/api/v1", api.create_api(engine, settings))
    app.add_middleware(HeadAsGet)
    return app
