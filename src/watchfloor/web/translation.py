"""An analyst's own English for a post: the form beside the right-to-left original, and saving it (CSRF-checked,
audited). The queue's state of each post is shown on the post cards (workspace.py passes ``pending``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from watchfloor.errors import InvalidInput, NotFound
from watchfloor.models import Post
from watchfloor.reports.draft import translation_label
from watchfloor.store import human as human_store
from watchfloor.store import kb as kb_store
from watchfloor.store import posts as post_store
from watchfloor.store import queue as queue_store
from watchfloor.store.base import Connection
from watchfloor.translation_queue import needs_human_look, save_human
from watchfloor.web.common import Form, Id, check_csrf, db, highlighted, render, safe_next
from watchfloor.web.roles import ANALYST, AnalystUser

__all__ = ["router", "queue_marks"]

router = APIRouter(dependencies=[Depends(ANALYST)])
Conn = Annotated[Connection, Depends(db)]


def queue_marks(conn: Connection, posts: list[Post]) -> dict[str, Any]:
    """What the post cards show about translation: posts waiting in the queue, posts no analyst has checked."""
    return {"pending": queue_store.pending_ids(conn, [p.id for p in posts]),
            "need_look": {p.id for p in posts if needs_human_look(p)}}


def _post(conn: Connection, post_id: int) -> Post:
    found = post_store.load_posts(conn, [post_id])
    if not found:
        raise NotFound(f"no post {post_id}")
    return found[0]


def _form(request: Request, conn: Connection, post: Post, draft: str | None, error: str | None,
          status: int = 200) -> Any:
    entities = kb_store.entities_by_id(conn, {m.entity_id for m in post.mentions})
    stored = post.translation or {}
    return render(request, "translation.html", status, post=post, marked={post.id: highlighted(post, entities)},
                  draft=draft if draft is not None else (post.text_en if post.english() else ""),
                  label=translation_label(post) if stored else None, human=stored.get("backend") == "human",
                  history=human_store.history(conn, post.id), error=error,
                  pending=queue_store.pending_ids(conn, [post.id]))


@router.get("/posts/{post_id}/translation")
def translation_form(request: Request, conn: Conn, post_id: Id) -> Any:
    """Write or correct a post's English beside its original."""
    return _form(request, conn, _post(conn, post_id), None, None)


@router.post("/posts/{post_id}/translation")
def save_translation(request: Request, post_id: Id, form: Form, user: AnalystUser) -> Any:
    """Keep the analyst's English as the post's human translation (never replaced by a machine's)."""
    check_csrf(request, form)
    text = str(form.get("text_en") or "")
    with request.app.state.engine.begin() as conn:
        post = _post(conn, post_id)
        try:
            save_human(conn, post_id, text, user.email, user.email)
        except InvalidInput as exc:
            return _form(request, conn, post, text, str(exc), 400)
    target = safe_next(str(form.get("next") or ""), f"/posts/{post_id}/translation")
    return RedirectResponse(target, status_code=303)
