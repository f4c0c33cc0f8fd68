"""What every page and API route shares: the database, the reader, templates, access checks, forms."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.datastructures import FormData

from watchfloor.errors import InvalidInput, PermissionDenied
from watchfloor.models import Entity, Post, Role, User
from watchfloor.reports.draft import LANGUAGE_NAMES
from watchfloor.settings import Settings
from watchfloor.store.base import Connection, Engine
from watchfloor.web.auth import CSRF_COOKIE, access_of, csrf_matches
from watchfloor.web.forms import end_of_day, parse_day, parse_moment

__all__ = ["INLINE_IMAGES", "templates", "db", "reader", "access", "render", "check_csrf", "highlighted",
           "direction", "NeedsLogin", "parse_day", "end_of_day", "parse_moment", "Form", "read_form", "field",
           "safe_next",
           "refuse_bad_text", "Id", "PageNumber", "MAX_DB_INT", "BIDI_CONTROLS", "isolated", "isolated_plain",
           "shown_controls"]

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def _replace_page(params: Mapping[str, str], page: int) -> str:
    """The query string with another page number."""
    return urlencode({**{k: v for k, v in params.items() if v and k != "page"}, "page": page})


templates.env.filters["replace_page"] = _replace_page
# Characters that reorder the text around them (embeddings, overrides, isolates, marks): an untrusted string
# carrying one must not reverse the page's own words beside it.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def isolated(value: object) -> Markup:
    """An untrusted string, escaped, in a <bdi> element: its direction and any bidi controls in it stay inside."""
    return Markup("<bdi>{}</bdi>").format("" if value is None else value)


def isolated_plain(value: object) -> str:
    """An untrusted string isolated in plain text (tooltips, SVG titles), where no element can: between FSI and
    PDI, with the isolate controls inside it dropped so that it cannot close the isolate early."""
    text = "".join(c for c in str(value) if c not in "\u2066\u2067\u2068\u2069")
    return f"\u2068{text}\u2069"


def shown_controls(value: object) -> str:
    """A message that quotes untrusted text, with bidi controls written out (<U+202E>) instead of obeyed."""
    return "".join(f"<U+{ord(c):04X}>" if c in BIDI_CONTROLS else c for c in str(value))


templates.env.filters["bdi"] = isolated
templates.env.filters["shown_controls"] = shown_controls
templates.env.filters["isolated_plain"] = isolated_plain
# raster images a browser may show inline; any other file from a channel is only ever a download
INLINE_IMAGES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
RTL_LANGUAGES = {"ar", "fa", "ur", "ps", "he", "ckb", "sd", "ug", "yi", "dv"}


# Integers a request may carry: every id, page and offset is bounded so that no value reaches the database
# that it cannot hold (SQLite and PostgreSQL integers are at most 64 bits).
MAX_DB_INT = 2**63 - 1
Id = Annotated[int, PathParam(ge=0, le=MAX_DB_INT, description="A numeric id.")]
PageNumber = Annotated[int, Query(ge=1, le=10**9, description="The page, from 1.")]


def refuse_bad_text(value: str, what: str) -> None:
    """Refuse text no database stores as given: NUL characters and lone UTF-16 surrogates."""
    if "\x00" in value:
        raise InvalidInput(f"{what} contains a NUL character; remove it and retry")
    if any("\ud800" <= c <= "\udfff" for c in value):
        raise InvalidInput(f"{what} contains a lone surrogate (invalid Unicode); remove it and retry")


async def read_form(request: Request) -> FormData:
    """The submitted form, its text fields checked (read here so that the route itself can be a plain,
    thread-pooled function: nothing slow runs on the event loop)."""
    form = await request.form()
    for name, value in form.multi_items():
        if isinstance(value, str):
            refuse_bad_text(name, "a form field's name")
            refuse_bad_text(value, f"the form field {name!r}")
    return form


Form = Annotated[FormData, Depends(read_form)]


def field(form: FormData, name: str) -> str:
    """A text field of a form ('' when missing or a file)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


class NeedsLogin(PermissionDenied):
    """An anonymous reader asked for something that needs an account."""


def engine_of(request: Request) -> Engine:
    """The app's database engine."""
    engine: Engine = request.app.state.engine
    return engine


def settings_of(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def db(request: Request) -> Iterator[Connection]:
    """A connection in one transaction for the request (committed when the route returns)."""
    with engine_of(request).begin() as conn:
        yield conn


def reader(request: Request) -> User | None:
    """The logged-in user or API-key owner, or None."""
    user: User | None = getattr(request.state, "user", None)
    return user


def access(request: Request) -> Role:
    """What the reader may see now."""
    return access_of(reader(request))


def check_csrf(request: Request, form: Mapping[str, Any]) -> None:
    """Refuse a form that does not carry the reader's CSRF token."""
    submitted = form.get("csrf")
    if not csrf_matches(request.cookies.get(CSRF_COOKIE), submitted if isinstance(submitted, str) else None):
        raise PermissionDenied("the form has expired or did not come from this site; reload the page and retry")


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Any:
    """A page from a template, with the reader and CSRF token available to it."""
    context.update(request=request, user=reader(request), access=access(request), Role=Role,
                   csrf=getattr(request.state, "csrf", ""), org=settings_of(request).get("org_name"),
                   languages=LANGUAGE_NAMES, direction=direction)
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def direction(lang: str | None) -> str:
    """rtl for right-to-left languages, else auto (the browser decides from the text)."""
    return "rtl" if lang in RTL_LANGUAGES else "auto"


def highlighted(post: Post, entities: Mapping[str, Entity]) -> Markup:
    """The post's text, escaped, with each linked entity's span made a link to its page."""
    pieces: list[str] = []
    cursor = 0
    for mention in sorted(post.mentions, key=lambda m: (m.start, -m.end)):
        if mention.start < cursor or mention.end > len(post.text) or mention.start >= mention.end:
            continue
        entity = entities.get(mention.entity_id)
        kind = entity.type if entity else "entity"
        title = entity.name if entity else mention.entity_id
        pieces.append(str(escape(post.text[cursor:mention.start])))
        pieces.append(f'<a class="entity {escape(kind)}" href="/entities/{escape(mention.entity_id)}" '
                      f'title="{escape(title)}">{escape(post.text[mention.start:mention.end])}</a>')
        cursor = mention.end
    pieces.append(str(escape(post.text[cursor:])))
    return Markup("".join(pieces))


def safe_next(target: str | None, default: str = "/") -> str:
    """A same-site path to go to after a form (``default`` for anything else: a scheme, a host, ``//``, ``\\``)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
