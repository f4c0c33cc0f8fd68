"""The analyst's workspace over real HTTP on the bundled sample, on SQLite and PostgreSQL: the feed with
right-to-left originals and linked entities, story, entity and source pages, and a story turned into a
published report through the editor; plus the command-line side (accounts, keys, publishing)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from sqlalchemy.engine import Engine

from conftest import Cli, LiveServer, import_sample
from watchfloor.models import Role
from watchfloor.store import posts as post_store
from watchfloor.store import stories as story_store
from watchfloor.store import users as user_store
from watchfloor.web.auth import hash_password
from webclient import Reader

PASSWORD = "a long enough password"
MANAMA = ("telegram:1900000001", 30)  # a post of the two-channel Manama summit story (samples EVENTS.md)


@pytest.fixture
def desk(store: Engine) -> Iterator[tuple[LiveServer, Reader]]:
    import_sample(store)
    with store.begin() as conn:
        user_store.create_user(conn, "analyst@example.org", hash_password(PASSWORD), Role.ANALYST)
    server = LiveServer(store)
    analyst = Reader(server.url)
    analyst.login("analyst@example.org", PASSWORD)
    yield server, analyst
    analyst.close()
    server.stop()


def _story_with(store: Engine, key: str, message_id: int) -> int:
    with store.connect() as conn:
        for summary in story_store.list_stories(conn, min_sources=2, limit=100):
            story = story_store.get_story(conn, summary.id)
            if any((p.source.key, p.message_id) == (key, message_id) for p in story.posts):
                return story.id
    raise AssertionError(f"no multi-channel story holds {key}/{message_id}")


def test_the_feed_shows_rtl_originals_with_linked_entities_and_filters(desk: tuple[LiveServer, Reader]) -> None:
    _, analyst = desk
    soup = BeautifulSoup(analyst.get("/posts?lang=fa").text, "html.parser")
    originals = soup.select("article.post .original")
    assert originals and all(o["dir"] == "rtl" and o["lang"] == "fa" for o in originals)
    assert {s.get_text() for s in soup.select("article.post .lang")} == {"Persian"}
    linked = soup.select("article.post .original a.entity")
    assert linked and all(a["href"].startswith("/entities/") for a in linked)
    # the linked span is the post's own text for that entity, e.g. a Persian spelling
    assert any(re.search("[\u0600-\u06ff]", a.get_text()) for a in linked)
    english = BeautifulSoup(analyst.get("/posts?lang=en").text, "html.parser")
    assert all(o["dir"] == "auto" for o in english.select("article.post .original"))
    assert not english.select("article.post .translation")  # English needs none
    by_source = BeautifulSoup(analyst.get("/posts?source=telegram:1900000004").text, "html.parser")
    assert {a.get_text() for a in by_source.select("article.post .meta a[href^='/sources/']")} == {
        "Sample Regional Monitor"}
    found = BeautifulSoup(analyst.get("/posts?q=Manama").text, "html.parser").select("article.post")
    assert found and all("manama" in p.get_text().lower() or "المنامة" in p.get_text() for p in found)


def test_story_entity_and_source_pages(store: Engine, desk: tuple[LiveServer, Reader]) -> None:
    _, analyst = desk
    story_id = _story_with(store, *MANAMA)
    story = BeautifulSoup(analyst.get(f"/stories/{story_id}").text, "html.parser")
    assert len(story.select(".timeline article.post")) >= 2
    assert {a.get_text() for a in story.select("aside a[href^='/sources/']")} >= {"Sample Levant Wire"}
    entity_link = story.select_one("aside a.entity")
    assert entity_link is not None
    entity = BeautifulSoup(analyst.get(entity_link["href"]).text, "html.parser")
    assert entity.select("svg.chart rect.bar") and entity.select("svg.chart title")
    source = BeautifulSoup(analyst.get("/sources/telegram:1900000001").text, "html.parser")
    facts = source.select_one("dl.facts").get_text()
    assert "Hezbollah" in facts
    # the knowledge base's outlet entry of the same name brings the affiliation's evidence and confidence
    evidence = source.select_one("dd.evidence")
    assert evidence is not None and "confidence low" in evidence.get_text()
    assert evidence.select_one("a.entity")["href"] == "/entities/org:hezbollah"
    bars = source.select("svg.chart rect.bar title")
    with store.connect() as conn:
        stored = post_store.list_posts(conn, post_store.PostFilter(source="telegram:1900000001"), limit=1000)
    expected = sum(p.kind == "message" for p in stored)  # service posts (pins, renames) are not activity
    assert sum(int(t.get_text().split(": ")[1]) for t in bars) == expected  # a bar per day, every post counted
    assert analyst.get("/sources/telegram:404").status_code == 404


def test_a_story_becomes_a_published_report(store: Engine, desk: tuple[LiveServer, Reader]) -> None:
    server, analyst = desk
    story_id = _story_with(store, *MANAMA)
    editor = analyst.post_form(f"/stories/{story_id}/draft", {}, form_page=f"/stories/{story_id}")
    report_id = int(re.search(r"/reports/(\d+)/edit", str(editor.url)).group(1))  # type: ignore[union-attr]
    page = BeautifulSoup(editor.text, "html.parser")
    body = page.select_one("textarea[name=body]").get_text()
    assert "[1]" in body and "[2]" in body
    citations = [c.get_text() for c in page.select("ul.cite code")]
    assert f"[post:{MANAMA[0]}/{MANAMA[1]}]" in citations
    # keep only the second note, and cite a post of the story by reference
    edited = "Summit report[2]. Second source[" + citations[-1][1:-1] + "]."
    saved = analyst.post_form(f"/reports/{report_id}/edit",
                              {"title": "Summit in Manama", "body": edited, "tier": "public",
                               "publish_at": "", "action": "publish"}, form_page=f"/reports/{report_id}/edit")
    assert saved.status_code == 200
    anonymous = Reader(server.url)
    home = anonymous.get("/").text
    assert f'href="/reports/{report_id}"' in home and "Summit in Manama" in home
    shape = anonymous.get(f"/api/v1/reports/{report_id}").json()
    assert shape["tier"] == "public" and shape["body"].startswith("Summit report[1].")
    assert [n["n"] for n in shape["footnotes"]] == list(range(1, len(shape["footnotes"]) + 1))
    assert all(n["url"].startswith("https://t.me/") for n in shape["footnotes"])
    anonymous.close()
    with store.connect() as conn:
        actions = [a["action"] for a in user_store.list_audit(conn)]
    assert "report-draft" in actions and "report-publish" in actions
    broken = analyst.post_form(f"/reports/{report_id}/edit", {"title": "x", "body": "Nothing[7].", "tier": "public",
                                                              "action": "save"}, form_page=f"/reports/{report_id}/edit")
    assert broken.status_code == 400 and "[7] cites no footnote" in broken.text


def test_the_command_line_side(store: Engine, cli: Cli) -> None:
    import_sample(store)
    story_id = _story_with(store, *MANAMA)
    assert cli("users", "add", "desk@example.org", "--role", "analyst", input="short\n", ok=False).exit_code == 1
    added = cli("users", "add", "desk@example.org", "--role", "analyst", "--json", input=PASSWORD + "\n")
    assert '"role": "analyst"' in added.stdout
    key = cli("apikey", "create", "desk@example.org").stdout.strip()
    assert key.startswith("wf_")
    report_id = int(cli("report", "draft", str(story_id), "--save").stdout.strip())
    assert [r["id"] for r in cli.json("report", "list")] == [report_id]
    server = LiveServer(store)
    try:
        public = Reader(server.url)
        assert public.get(f"/api/v1/reports/{report_id}").status_code == 404  # a draft is nobody's business
        # the sample is not translated here (no worker ran): publishing needs the audited override
        cli("report", "publish", str(report_id), "--tier", "subscriber", "--allow-untranslated")
        assert "body" not in public.get(f"/api/v1/reports/{report_id}").json()
        with_key = Reader(server.url, api_key=key)
        assert "body" in with_key.get(f"/api/v1/reports/{report_id}").json()  # analysts read every tier
        assert with_key.get("/api/v1/stories?min_sources=2").json()["items"]
        cli("users", "add", "reader@example.org", input=PASSWORD + "\n")
        cli("users", "role", "reader@example.org", "--role", "subscriber", "--until", "2099-01-31")
        assert [u["subscription_until"] for u in cli.json("users", "list") if u["email"] == "reader@example.org"] == [
            "2099-01-31T23:59:59Z"]
        for client in (public, with_key):
            client.close()
    finally:
        server.stop()
    missing = cli("report", "publish", "999", ok=False)
    assert missing.exit_code == 1 and "no report 999" in missing.output
