"""Which archived files a report shows is kept with every save (migration 0019), so the media route answers
from an index; report search narrows in the database. Both on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from watchfloor.models import ReportDraft, Tier
from watchfloor.store import reports as report_store

A = "a" * 63 + "1"
B = "B" * 63 + "2"  # written upper-case in the body
C = "c" * 63 + "3"
PUBLIC = {Tier.PUBLIC}
EVERY = {Tier.PUBLIC, Tier.SUBSCRIBER}


def _draft(body: str, title: str = "Delegations meet in Beirut") -> ReportDraft:
    return ReportDraft(title=title, date="2026-11-30", body=body)


def _body(*shas: str) -> str:
    images = "\n\n".join(f"![photo](/media/{sha})" for sha in shas)
    return f"Officials met on Monday, according to three channels.\n\n{images}\n\nMore detail follows."


def test_a_file_is_shown_only_while_a_readable_report_shows_it(store: Engine) -> None:
    with store.begin() as conn:
        report_id = report_store.save_draft(conn, _draft(_body(A, B)))
        assert not report_store.media_shown(conn, A, EVERY)  # a draft shows nothing to readers
        report_store.publish(conn, report_id, Tier.PUBLIC)
        assert report_store.media_shown(conn, A, PUBLIC) and report_store.media_shown(conn, B.lower(), PUBLIC)
        assert report_store.media_shown(conn, B, PUBLIC)  # the route lower-cases; either case is one file
        assert not report_store.media_shown(conn, C, EVERY)
        report = report_store.get_report(conn, report_id)
        report_store.update_report(conn, report_id, report.title, _body(B, C), report.footnotes, Tier.PUBLIC, None)
        assert not report_store.media_shown(conn, A, EVERY)  # edited out
        assert report_store.media_shown(conn, C, PUBLIC)
        report_store.update_report(conn, report_id, report.title, _body(B, C), report.footnotes,
                                   Tier.SUBSCRIBER, None)
        report_store.publish(conn, report_id, Tier.SUBSCRIBER)
        assert not report_store.media_shown(conn, C, PUBLIC) and report_store.media_shown(conn, C, EVERY)
        report_store.publish(conn, report_id, Tier.PUBLIC, datetime.now(UTC) + timedelta(days=1))
        assert not report_store.media_shown(conn, C, EVERY)  # embargoed
        report_store.publish(conn, report_id, Tier.PUBLIC, datetime.now(UTC) - timedelta(minutes=1))
        assert report_store.media_shown(conn, C, PUBLIC)
        report_store.unpublish(conn, report_id)
        assert not report_store.media_shown(conn, C, EVERY)


def test_a_file_shown_by_two_reports_stays_shown_while_one_does(store: Engine) -> None:
    with store.begin() as conn:
        first = report_store.save_draft(conn, _draft(_body(A)))
        second = report_store.save_draft(conn, _draft(_body(A, C)))
        for report_id in (first, second):
            report_store.publish(conn, report_id, Tier.PUBLIC)
        report_store.unpublish(conn, second)
        assert report_store.media_shown(conn, A, PUBLIC) and not report_store.media_shown(conn, C, PUBLIC)


def test_the_migration_records_the_files_of_reports_saved_before_it(store: Engine) -> None:
    from alembic import command

    from watchfloor.store import db

    with store.begin() as conn:
        report_id = report_store.save_draft(conn, _draft(_body(A, B)))
        report_store.publish(conn, report_id, Tier.PUBLIC)
    config = db._config()
    with store.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0018")
    assert "report_media" not in sa.inspect(store).get_table_names()
    db.migrate(store)
    with store.connect() as conn:
        assert report_store.media_shown(conn, A, PUBLIC) and report_store.media_shown(conn, B, PUBLIC)
        assert not report_store.media_shown(conn, C, EVERY)


def test_report_search_narrows_in_the_database_and_keeps_the_tier_rule(store: Engine) -> None:
    with store.begin() as conn:
        ids = {}
        for name, title, body, tier in [
            ("open", "Delegations meet in Beirut", "A ceasefire was discussed.\n\nThe talks ran late.", Tier.PUBLIC),
            ("closed", "Talks in Doha", "Mediators met.\n\nA ceasefire draft was shared with Éric Dupont.",
             Tier.SUBSCRIBER),
            ("arabic", "اجتماع في بيروت", "عقد الاجتماع أمس بحضور الوفود.\n\nوتابعت القنوات.", Tier.PUBLIC),
            ("wild", "Rates of 100% and under_scores", "Figures only.\n\nNothing else.", Tier.PUBLIC),
            ("draft", "Beirut draft never published", "ceasefire", Tier.PUBLIC),
        ]:
            ids[name] = report_store.save_draft(conn, _draft(body, title))
            if name != "draft":
                report_store.publish(conn, ids[name], tier)

        def found(text: str, tiers: set[Tier]) -> set[int]:
            return {r.id for r in report_store.search_reports(conn, text, tiers)}

        assert found("BEIRUT", PUBLIC) == {ids["open"]}  # case folded; the draft is never found
        assert found("ceasefire", PUBLIC) == {ids["open"]}  # in the closed body, but a public reader
        assert found("ceasefire", EVERY) == {ids["open"], ids["closed"]}
        assert found("doha", PUBLIC) == {ids["closed"]}  # titles are searched for everyone
        assert found("éric dupont", EVERY) == {ids["closed"]}
        assert found("ÉRIC", EVERY) == {ids["closed"]}  # non-ASCII case, which SQLite's lower() keeps
        assert found("بيروت الاجتماع", PUBLIC) == {ids["arabic"]}
        assert found("100%", PUBLIC) == {ids["wild"]} and found("under_scores", PUBLIC) == {ids["wild"]}
        assert found("%", PUBLIC) == {ids["wild"]} and found("_", PUBLIC) == {ids["wild"]}
        assert found("10_% beirut", EVERY) == set()  # no wildcard in a word
        assert len(report_store.search_reports(conn, "ceasefire", EVERY, limit=1)) == 1
