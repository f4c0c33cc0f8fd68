"""The analyst's workspace: the feed of posts, stories, entities, sources, the report editor, the review queue."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from watchfloor.errors import InvalidInput, NotFound
from watchfloor.kb.normalize import normalize
from watchfloor.models import Footnote, Post, StoryCoding, Tier
from watchfloor.reports.actions import publish_report, save_report, save_story_draft, unpublish_report
from watchfloor.reports.draft import long_date
from watchfloor.reports.edit import renumber_footnotes
from watchfloor.reports.render import markdown_to_safe_html
from watchfloor.store import activity
from watchfloor.store import alerts as alert_store
from watchfloor.store import kb as kb_store
from watchfloor.store import media as media_store
from watchfloor.store import posts as post_store
from watchfloor.store import reports as report_store
from watchfloor.store import search as search_store
from watchfloor.store import sources as source_store
from watchfloor.store import stories as story_store
from watchfloor.store import users as user_store
from watchfloor.store.base import Connection
from watchfloor.store.review import review_queue
from watchfloor.web.charts import daily_bars, network_svg
from watchfloor.web.common import (
    INLINE_IMAGES,
    Form,
    Id,
    PageNumber,
    check_csrf,
    db,
    highlighted,
    isolated_plain,
    parse_day,
    parse_moment,
    render,
)
from watchfloor.web.roles import ANALYST, AnalystUser
from watchfloor.web.translation import queue_marks

__all__ = ["router", "post_lookup"]

router = APIRouter(dependencies=[Depends(ANALYST)])
Conn = Annotated[Connection, Depends(db)]
PAGE = 50


def _media_of(conn: Connection, posts: list[Post]) -> dict[int, list[dict[str, Any]]]:
    """Each post's files: archived images to show (blurred until clicked), other files and notes to list."""
    links = media_store.links_of(conn, [p.id for p in posts])
    shown: dict[int, list[dict[str, Any]]] = {}
    for post_id, items in links.items():
        entries = []
        for item in items:
            archived = media_store.get_file(conn, item.sha256) if item.sha256 else None
            image = bool(archived and archived.status == "ok" and archived.mime in INLINE_IMAGES)
            entries.append({"link": item, "file": archived, "image": image})
        shown[post_id] = entries
    return shown


def _entities_of(conn: Connection, posts: list[Post]) -> dict[str, Any]:
    return kb_store.entities_by_id(conn, {m.entity_id for p in posts for m in p.mentions})


@router.get("/posts")
def feed(request: Request, conn: Conn, source: str = "", lang: str = "", entity: str = "", affiliation: str = "",
         tag: str = "", since: str = "", until: str = "", q: str = "", page: PageNumber = 1) -> Any:
    """Posts, newest first (or best match for a search), original beside translation, entities linked."""
    flt = post_store.PostFilter(source=source or None, lang=lang or None, entity=entity or None,
                                affiliation=affiliation or None, tags=[tag] if tag else [],
                                since=parse_day(since, "since"), until=parse_day(until, "until"))
    page = max(page, 1)
    if q.strip():
        found = search_store.search_posts(conn, q, flt, limit=PAGE, offset=(page - 1) * PAGE)
    else:
        found = post_store.list_posts(conn, flt, limit=PAGE, offset=(page - 1) * PAGE)
    entities = _entities_of(conn, found)
    return render(request, "posts.html", posts=found, marked={p.id: highlighted(p, entities) for p in found},
                  media=_media_of(conn, found),
                  filters={"source": source, "lang": lang, "entity": entity, "affiliation": affiliation,
                           "tag": tag, "since": since, "until": until, "q": q},
                  page=page, more=len(found) == PAGE, **queue_marks(conn, found),
                  sources=source_store.all_sources(conn),
                  entity_name=entities[entity].name if entity in entities else entity)


@router.get("/stories")
def stories(request: Request, conn: Conn, min_sources: Annotated[int, Query(ge=1, le=10**6)] = 2) -> Any:
    """Stories, most recent first."""
    return render(request, "stories.html", stories=story_store.list_stories(conn, max(min_sources, 1), limit=200),
                  min_sources=min_sources)


@router.get("/stories/{story_id}")
def story(request: Request, conn: Conn, story_id: Id) -> Any:
    """A story's posts across channels and languages on a timeline, with its entities and sources."""
    found = story_store.get_story(conn, story_id)
    entities = _entities_of(conn, found.posts)
    counts: dict[str, int] = {}
    for post in found.posts:
        for mention in {m.entity_id for m in post.mentions}:
            counts[mention] = counts.get(mention, 0) + 1
    named = [(entities[i], counts[i]) for i in sorted(counts, key=lambda i: (-counts[i], i)) if i in entities]
    sources = sorted({p.source.key: p.source for p in found.posts}.values(), key=lambda s: s.key)
    coded = found.coding or StoryCoding(None, {}, {}, [], None)  # stored when the story changed; not coded yet
    return render(request, "story.html", story=found, named=named, sources=sources, coded=coded,
                  media=_media_of(conn, found.posts),
                  place=entities.get(coded.place) if coded.place else None,
                  marked={p.id: highlighted(p, entities) for p in found.posts}, **queue_marks(conn, found.posts))


@router.post("/stories/{story_id}/draft")
def draft(request: Request, story_id: Id, form: Form, user: AnalystUser) -> Any:
    """Save the story's draft as a new report and open it in the editor."""
    check_csrf(request, form)
    with request.app.state.engine.begin() as conn:
        report_id = save_story_draft(conn, story_id, user.email, user.id)
    return RedirectResponse(f"/reports/{report_id}/edit", status_code=303)


@router.get("/entities/{entity_id}")
def entity(request: Request, conn: Conn, entity_id: str) -> Any:
    """An entity: mentions over time, co-occurring entities, the sources that name it."""
    found = kb_store.get_entity(conn, entity_id)
    timeline = activity.entity_timeline(conn, entity_id)
    chart = daily_bars(timeline, f"Posts naming {isolated_plain(found.name)}")
    return render(request, "entity.html", entity=found, chart=chart,
                  total=sum(n for _, n in timeline), together=activity.co_mentioned(conn, entity_id),
                  sources=activity.entity_sources(conn, entity_id))


@router.get("/sources/{key:path}")
def source(request: Request, conn: Conn, key: str) -> Any:
    """A source: affiliation, activity chart, top entities, latest posts."""
    found = source_store.get_source(conn, key)
    timeline = activity.source_timeline(conn, key)
    outlet = kb_store.outlet_for(conn, found.name, found.handle, normalize)
    affiliation = outlet.attrs.get("affiliation") if outlet else None
    affiliated = None
    if isinstance(affiliation, dict) and isinstance(affiliation.get("org"), str):
        affiliated = kb_store.entities_by_id(conn, [affiliation["org"]]).get(affiliation["org"])
    chart = daily_bars(timeline, f"Posts by {isolated_plain(found.name or key)}")
    return render(request, "source.html", source=found, chart=chart,
                  total=sum(n for _, n in timeline), top=activity.source_top_entities(conn, key), outlet=outlet,
                  evidence=affiliation if isinstance(affiliation, dict) else None, affiliated=affiliated)


@router.get("/drafts")
def drafts(request: Request, conn: Conn) -> Any:
    """Every report, drafts included."""
    return render(request, "drafts.html", reports=report_store.list_reports(conn, published_only=False, limit=500),
                  now=datetime.now(UTC))


def post_lookup(conn: Connection) -> Any:
    """A footnote for any stored post, for citations typed as [post:SOURCE/MESSAGE_ID]."""
    def lookup(key: str, message_id: int) -> Footnote | None:
        post = post_store.find_post(conn, key, message_id)
        if post is None:
            return None
        return Footnote(n=0, source=key, message_id=message_id, text=f"Telegram, {long_date(post.posted_at)}.",
                        url=post.url)
    return lookup


@router.get("/reports/{report_id}/edit")
def edit_form(request: Request, conn: Conn, report_id: Id) -> Any:
    """The report editor."""
    report = report_store.get_report(conn, report_id)
    story_posts = story_store.get_story(conn, report.story_id).posts if report.story_id else []
    return render(request, "edit.html", report=report, error=None, story_posts=story_posts,
                  media=_media_of(conn, story_posts), preview=markdown_to_safe_html(report.body),
                  public_part=markdown_to_safe_html(report.lede, auto_direction=True))


@router.post("/reports/{report_id}/edit")
def edit(request: Request, report_id: Id, form: Form, user: AnalystUser) -> Any:
    """Save, publish or unpublish; citations are renumbered and new post citations become notes."""
    check_csrf(request, form)
    action = str(form.get("action") or "save")
    with request.app.state.engine.begin() as conn:
        report = report_store.get_report(conn, report_id)
        try:
            tier = Tier(str(form.get("tier") or report.tier.value))
            body, notes = renumber_footnotes(str(form.get("body") or "").replace("\r\n", "\n"), report.footnotes,
                                             post_lookup(conn))
            embargo = parse_moment(str(form.get("publish_at") or ""), "the embargo")
            report = save_report(conn, report_id, str(form.get("title") or ""), body, notes, tier, embargo,
                                 user.email, audited=action not in ("publish", "unpublish"))
        except (InvalidInput, ValueError) as exc:
            report.body, report.title = str(form.get("body") or ""), str(form.get("title") or report.title)
            return render(request, "edit.html", 400, report=report, error=str(exc), story_posts=[],
                          preview=markdown_to_safe_html(report.body),
                          public_part=markdown_to_safe_html(report.lede, auto_direction=True))
        if action == "publish":
            try:
                report = publish_report(conn, report_id, tier, embargo, user.email,
                                        form.get("allow_untranslated") == "yes")
            except InvalidInput as exc:  # the edit is saved; publishing waits for English or an explicit override
                return render(request, "edit.html", 400, report=report, error=str(exc), story_posts=[],
                              preview=markdown_to_safe_html(report.body), untranslated=True)
        elif action == "unpublish":
            report = unpublish_report(conn, report_id, user.email)
    return RedirectResponse(f"/reports/{report_id}/edit", status_code=303)


@router.post("/preview")
def preview(request: Request, form: Form) -> HTMLResponse:
    """Sanitised HTML of Markdown, for the editor's live preview."""
    check_csrf(request, form)
    return HTMLResponse(markdown_to_safe_html(str(form.get("body") or "")[:200_000]))


@router.get("/review")
def review(request: Request, conn: Conn) -> Any:
    """Names the pipeline found that the knowledge base does not know (people, organisations, places),
    those seen in most channels first, to accept or reject."""
    kind = request.query_params.get("type") or None
    items = review_queue(conn, kind if kind in ("person", "organization", "place") else None, 200)
    return render(request, "review.html", items=items, kind=kind)


@router.post("/review/{entity_id}")
def review_decide(request: Request, entity_id: str, form: Form, user: AnalystUser) -> Any:
    """Accept or reject one candidate."""
    check_csrf(request, form)
    decision = str(form.get("decision") or "")
    with request.app.state.engine.begin() as conn:
        if decision == "accept":
            kb_store.accept_candidate(conn, entity_id, None, normalize)
        elif decision == "reject":
            kb_store.get_entity(conn, entity_id)
            kb_store.set_status(conn, entity_id, "rejected")
        else:
            raise NotFound(f"no decision {decision!r}; accept or reject")
        user_store.audit(conn, user.email, f"kb-{decision}", entity_id)
    return RedirectResponse("/review", status_code=303)


@router.get("/alerts")
def alerts(request: Request, conn: Conn) -> Any:
    """The newest alert matches and the rules behind them."""
    return render(request, "alerts.html", events=alert_store.list_events(conn, 200),
                  rules=alert_store.list_rules(conn))


@router.get("/network")
def network(request: Request, conn: Conn) -> Any:
    """The network of channels, its communities, possible returning channels, and activity by affiliation
    (computed once and kept until the posts change, then computed again in the background:
    `network/view.py`); while the first view is computed, a page that says so and reloads itself."""
    view = request.app.state.network.view(conn)
    if view is None:  # the first view is still being computed (`watchfloor serve` starts it as it starts)
        return render(request, "network.html", computing=True)
    charts = [(name, daily_bars(days, f"Posts per day by channels affiliated with {isolated_plain(name)}"))
              for name, days in sorted(view.activity.items())]
    return render(request, "network.html", drawing=network_svg(view.graph, view.positions), groups=view.groups,
                  returns=view.returns, charts=charts, edges=view.edges, drawn=len(view.positions),
                  left_out=view.left_out, nodes=view.graph.number_of_nodes(), updating=view.updating)
