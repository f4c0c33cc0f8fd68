"""What an analyst does to a report, the same from the web app and the command line: draft one from a story,
save an edit, publish, unpublish; each writes its entry in the audit log in the same transaction."""

from __future__ import annotations

from datetime import datetime

from watchfloor.models import Footnote, Report, ReportDraft, Tier
from watchfloor.reports.draft import draft_report
from watchfloor.reports.guard import check_publishable
from watchfloor.store import kb as kb_store
from watchfloor.store import reports as report_store
from watchfloor.store import stories as story_store
from watchfloor.store import users as user_store
from watchfloor.store.base import Connection

__all__ = ["story_draft", "save_story_draft", "save_report", "publish_report", "unpublish_report"]


def story_draft(conn: Connection, story_id: int) -> ReportDraft:
    """A footnoted draft of a story (not stored)."""
    story = story_store.get_story(conn, story_id)
    entities = kb_store.entities_with_related(conn, {m.entity_id for p in story.posts for m in p.mentions})
    return draft_report(story, entities)


def save_story_draft(conn: Connection, story_id: int, actor: str, user_id: int | None = None) -> int:
    """Store a story's draft as a new report (audited as report-draft); returns its id."""
    report_id = report_store.save_draft(conn, story_draft(conn, story_id), user_id)
    user_store.audit(conn, actor, "report-draft", f"report:{report_id}", {"story": story_id})
    return report_id


def save_report(conn: Connection, report_id: int, title: str, body: str, footnotes: list[Footnote], tier: Tier,
                publish_at: datetime | None, actor: str | None, audited: bool = True) -> Report:
    """Save an edit of a report (audited as report-save unless the caller publishes or unpublishes next, which
    writes its own entry)."""
    report = report_store.update_report(conn, report_id, title, body, footnotes, tier, publish_at)
    if audited:
        user_store.audit(conn, actor, "report-save", f"report:{report_id}", {"tier": tier.value})
    return report


def publish_report(conn: Connection, report_id: int, tier: Tier, publish_at: datetime | None, actor: str | None,
                   allow_untranslated: bool = False) -> Report:
    """Publish a report for a tier, now or from an embargo time; refuses (InvalidInput) while it quotes text
    not in English unless ``allow_untranslated``, and then records the override with the passages."""
    passages = check_publishable(report_store.get_report(conn, report_id), allow_untranslated)
    report = report_store.publish(conn, report_id, tier, publish_at)
    user_store.audit(conn, actor, "report-publish", f"report:{report_id}", {"tier": tier.value}
                     | ({"override": "untranslated", "passages": passages} if passages else {}))
    return report


def unpublish_report(conn: Connection, report_id: int, actor: str | None) -> Report:
    """Take a published report back to draft."""
    report = report_store.unpublish(conn, report_id)
    user_store.audit(conn, actor, "report-unpublish", f"report:{report_id}", {"tier": report.tier.value})
    return report
