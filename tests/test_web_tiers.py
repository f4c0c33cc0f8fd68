"""No subscriber-only text reaches a non-subscriber by any route: page, API, feed or search; drafts and
embargoed reports stay hidden from readers. Over real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from conftest import LiveServer
from watchfloor.models import Footnote, ReportDraft, Role, Tier
from watchfloor.store import reports as report_store
from watchfloor.store import users as user_store
from watchfloor.web.auth import hash_password
from webclient import Reader

PASSWORD = "a long enough password"
SECRET = "Zanzibarquartz"  # a word that appears only in the subscriber report's body and notes
DRAFT_WORD = "Plumbagodraft"
EMBARGO_WORD = "Heliotropelater"


def _draft(title: str, lede: str, rest: str, note: str = "Telegram, May 23, 2024.") -> ReportDraft:
    return ReportDraft(title=title, date="May 23, 2024", body=f"{lede}\n\n{rest}",
                       footnotes=[Footnote(n=1, source="telegram:1", message_id=7, text=note,
                                           url="https://t.me/example/7")])


@pytest.fixture
def readers() -> Iterator[list[Reader]]:
    made: list[Reader] = []
    yield made
    for reader in made:
        reader.close()


@pytest.fixture
def site(store: Engine) -> Iterator[tuple[LiveServer, dict[str, int]]]:
    now = datetime.now(UTC)
    with store.begin() as conn:
        for email, role, until in (("admin@example.org", Role.ADMIN, None),
                                   ("analyst@example.org", Role.ANALYST, None),
                                   ("sub@example.org", Role.SUBSCRIBER, now + timedelta(days=30)),
                                   ("lapsed@example.org", Role.SUBSCRIBER, now - timedelta(days=1)),
                                   ("reader@example.org", Role.PUBLIC, None)):
            user_store.create_user(conn, email, hash_password(PASSWORD), role, until)
        ids = {
            "public": report_store.save_draft(conn, _draft(
                "Delegations met in Doha", "Two delegations met in Doha on Tuesday, a channel reported.",
                "Open detail: the meeting lasted three hours.")),
            "subscriber": report_store.save_draft(conn, _draft(
                "Council statement on the border", "A council issued a statement on the border on Monday.",
                f"Subscriber detail: the statement named {SECRET} as the venue.", note=f"{SECRET} notes.")),
            "draft": report_store.save_draft(conn, _draft(
                "Unpublished analysis", f"An unpublished lede mentioning {DRAFT_WORD}.", "More.")),
            "embargoed": report_store.save_draft(conn, _draft(
                "Embargoed analysis", f"An embargoed lede mentioning {EMBARGO_WORD}.", "More.")),
        }
        report_store.publish(conn, ids["public"], Tier.PUBLIC)
        report_store.publish(conn, ids["subscriber"], Tier.SUBSCRIBER)
        report_store.publish(conn, ids["embargoed"], Tier.PUBLIC, publish_at=now + timedelta(days=2))
    server = LiveServer(store)
    yield server, ids
    server.stop()


def _everything_a_reader_can_fetch(reader: Reader, ids: dict[str, int]) -> str:
    texts = []
    for path in ("/", "/feed.xml", "/search?q=council", "/api/v1/reports",
                 *(f"/reports/{i}" for i in ids.values()), *(f"/api/v1/reports/{i}" for i in ids.values())):
        texts.append(reader.get(path).text)
    return "\n".join(texts)


@pytest.mark.parametrize("who", [None, "reader@example.org", "lapsed@example.org"])
def test_non_subscribers_never_receive_subscriber_text(site: tuple[LiveServer, dict[str, int]],
        readers: list[Reader],
                                                       who: str | None) -> None:
    server, ids = site
    reader = Reader(server.url)
    readers.append(reader)
    if who:
        reader.login(who, PASSWORD)
    seen = _everything_a_reader_can_fetch(reader, ids)
    assert "Delegations met in Doha" in seen and "Open detail" in seen  # the public report, in full
    assert "Council statement on the border" in seen  # the subscriber report's title and lede are public
    assert "A council issued a statement" in seen
    assert "available to subscribers" in reader.get(f"/reports/{ids['subscriber']}").text
    assert SECRET not in seen and "Subscriber detail" not in seen
    # searching for a word of the subscriber-only body finds nothing (the page only echoes the query)
    assert "0 report(s) match" in reader.get(f"/search?q={SECRET}").text
    assert DRAFT_WORD not in seen and EMBARGO_WORD not in seen
    shape = reader.get(f"/api/v1/reports/{ids['subscriber']}").json()
    assert set(shape) == {"id", "title", "date", "tier", "lede", "story_id"}
    assert reader.get(f"/api/v1/reports/{ids['draft']}").status_code == 404
    assert reader.get(f"/reports/{ids['embargoed']}").status_code == 404


def test_subscribers_read_the_whole_report_everywhere(site: tuple[LiveServer, dict[str, int]],
        readers: list[Reader]) -> None:
    server, ids = site
    reader = Reader(server.url)
    readers.append(reader)
    reader.login("sub@example.org", PASSWORD)
    page = reader.get(f"/reports/{ids['subscriber']}").text
    assert SECRET in page and "available to subscribers" not in page
    shape = reader.get(f"/api/v1/reports/{ids['subscriber']}").json()
    assert SECRET in shape["body"] and shape["footnotes"][0]["url"] == "https://t.me/example/7"
    assert f"/reports/{ids['subscriber']}" in reader.get(f"/search?q={SECRET}").text
    # the feed is public: even a subscriber's feed reader gets only the lede of subscriber reports
    assert SECRET not in reader.get("/feed.xml").text
    assert DRAFT_WORD not in _everything_a_reader_can_fetch(reader, ids)


def test_analysts_see_drafts_and_embargoed_reports(site: tuple[LiveServer, dict[str, int]],
        readers: list[Reader]) -> None:
    server, ids = site
    reader = Reader(server.url)
    readers.append(reader)
    reader.login("analyst@example.org", PASSWORD)
    drafts = reader.get("/drafts").text
    assert "Unpublished analysis" in drafts and "embargoed until" in drafts
    assert DRAFT_WORD in reader.get(f"/reports/{ids['draft']}").text
    assert reader.get(f"/api/v1/reports/{ids['draft']}").json()["status"] == "draft"


def test_the_feed_is_valid_atom_with_published_reports_only(site: tuple[LiveServer, dict[str, int]],
        readers: list[Reader]) -> None:
    from defusedxml import ElementTree

    server, ids = site
    reader = Reader(server.url)
    readers.append(reader)
    response = reader.get("/feed.xml")
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    titles = sorted(e.findtext(f"{atom}title") for e in root.findall(f"{atom}entry"))
    assert titles == ["Council statement on the border", "Delegations met in Doha"]
