"""Saving, publishing and unpublishing a report is one library action with its audit entry, whichever surface
calls it: the command line's trail matches the library's (which the web app's editor calls) step by step."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from conftest import Cli, import_sample
from watchfloor.errors import InvalidInput
from watchfloor.models import Tier
from watchfloor.reports import actions
from watchfloor.store import reports as report_store
from watchfloor.store import stories as story_store
from watchfloor.store import users as user_store


def _trail(store: Engine, actor: str) -> list[tuple[str, dict[str, Any]]]:
    with store.connect() as conn:
        entries = [a for a in reversed(user_store.list_audit(conn)) if a["actor"] == actor]
    return [(a["action"], {k: v for k, v in a["detail"].items() if k != "story"}) for a in entries]


def test_the_cli_and_the_library_leave_the_same_audit_trail(store: Engine, cli: Cli) -> None:
    import_sample(store)  # not translated: every multi-channel draft quotes the originals
    with store.connect() as conn:
        story_id = max(story_store.list_stories(conn, min_sources=2, limit=100), key=lambda s: len(s.sources)).id
    by_cli = int(cli("report", "draft", str(story_id), "--save").stdout.strip())
    refused = cli("report", "publish", str(by_cli), "--tier", "public", ok=False)
    assert refused.exit_code == 1 and "--allow-untranslated" in refused.stderr
    cli("report", "publish", str(by_cli), "--tier", "public", "--allow-untranslated")
    cli("report", "unpublish", str(by_cli))

    actor = "desk@example.org"
    with store.begin() as conn:
        by_library = actions.save_story_draft(conn, story_id, actor)
    with pytest.raises(InvalidInput, match="not in English"), store.begin() as conn:
        actions.publish_report(conn, by_library, Tier.PUBLIC, None, actor)
    with store.begin() as conn:
        assert report_store.get_report(conn, by_library).status == "draft"  # refused: nothing changed
        published = actions.publish_report(conn, by_library, Tier.PUBLIC, None, actor, allow_untranslated=True)
        assert published.status == "published" and published.tier is Tier.PUBLIC
        assert actions.unpublish_report(conn, by_library, actor).status == "draft"

    trail = _trail(store, "cli")
    assert [action for action, _ in trail] == ["report-draft", "report-publish", "report-unpublish"]
    assert trail[1][1]["override"] == "untranslated" and trail[1][1]["passages"]
    assert trail == _trail(store, actor)  # same steps, same details, the reports' own ids aside


def test_saving_an_edit_is_audited_unless_a_publish_follows(store: Engine) -> None:
    import_sample(store)
    with store.begin() as conn:
        story_id = story_store.list_stories(conn, limit=1)[0].id
        report_id = actions.save_story_draft(conn, story_id, "desk")
        actions.save_report(conn, report_id, "Talks resume", "The talks resumed.", [], Tier.SUBSCRIBER, None,
                            "desk")
        actions.save_report(conn, report_id, "Talks resume", "The talks resumed today.", [],
                            Tier.SUBSCRIBER, None, "desk", audited=False)
        actions.publish_report(conn, report_id, Tier.SUBSCRIBER, None, "desk")  # English only: no override
        assert report_store.get_report(conn, report_id).body == "The talks resumed today."
    assert [a for a, _ in _trail(store, "desk")] == ["report-draft", "report-save", "report-publish"]
    assert _trail(store, "desk")[2][1] == {"tier": "subscriber"}
