"""Human translations outrank every machine and survive re-runs, and reach the API and exports; reports quote
posts in English with the translation's label and keep the original in the notes; a report quoting
untranslated text is not published without an audited override; the web form (CSRF), the pending marks and the
story's list of posts that need a human look. On SQLite and PostgreSQL, over real HTTP on loopback."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sqlalchemy.engine import Engine

from conftest import Cli, LiveServer, message, write_export
from libre import libre_settings
from watchfloor import runner
from watchfloor.models import Entity, Mention, Post, Quote, Role, Source, Story
from watchfloor.pipeline.translate import text_hash
from watchfloor.reports.draft import draft_report
from watchfloor.reports.guard import untranslated_passages
from watchfloor.store import posts as post_store
from watchfloor.store import queue as queue_store
from watchfloor.store import stories as story_store
from watchfloor.store import users as user_store
from watchfloor.store.human import save_machine
from watchfloor.translation_queue import Worker, needs_human_look
from watchfloor.web.auth import hash_password, new_api_key, token_hash
from webclient import Reader

TEXT = "وصل الوفد الرسمي إلى بغداد مساء أمس. بدأت المحادثات صباح اليوم."
ENGLISH = "The official delegation arrived in Baghdad yesterday evening. Talks began this morning."


def _one_post(store: Engine, tmp_path: Path, url: str, text: str = TEXT) -> int:
    export = write_export(tmp_path / "export", 1900000601, "Desk", [message(1, text, 1716458400)])
    runner.import_telegram_export(store, export)
    runner.process(store, libre_settings(url))
    with store.connect() as conn:
        return post_store.list_posts(conn, limit=1)[0].id


def test_a_human_translation_outranks_machines_and_survives_every_rerun(store: Engine, cli: Cli, tmp_path: Path,
                                                                        libre: str) -> None:
    post_id = _one_post(store, tmp_path, libre)
    settings = libre_settings(libre)
    Worker(store, settings).run(once=True)
    saved = cli.json("translate", "set", str(post_id), "--author", "analyst@example.org", "--text", ENGLISH)
    assert saved["translation"]["backend"] == "human" and saved["translation"]["author"] == "analyst@example.org"
    with store.connect() as conn:
        [post] = post_store.load_posts(conn, [post_id])
    assert post.text_en == ENGLISH and post.english() == ENGLISH
    assert post.translation is not None and post.translation["label"] == "human translation by analyst@example.org"
    assert not needs_human_look(post)
    # a better-ranked machine configured later, a full reprocess, the worker: none of them replaces it
    better = libre_settings(libre, translate_ranks="libretranslate=9")
    assert runner.process(store, better, reprocess=True).queued == 0
    assert Worker(store, better).run(once=True, retry_failed=True).done == 0
    # a worker that was translating the post when the analyst saved cannot write over it
    post.text_en, post.translation = "machine words", {"backend": "libretranslate", "model": "x"}
    with store.begin() as conn:
        assert save_machine(conn, [post]) == 0
    with store.connect() as conn:
        [kept] = post_store.load_posts(conn, [post_id])
        audit = [a for a in user_store.list_audit(conn) if a["action"] == "translation-set"]
    assert kept.text_en == ENGLISH and kept.translation["backend"] == "human"  # type: ignore[index]
    assert audit and audit[0]["target"] == f"post:{post_id}" and audit[0]["detail"]["replaced"] == "libretranslate"
    # from standard input, by SOURCE/MESSAGE_ID; the newest is the post's, the earlier kept as history
    cli("translate", "set", "telegram:1900000601/1", input="The delegation reached Baghdad last night.\n")
    exported = [json.loads(line) for line in cli("export", "jsonl", "posts").stdout.splitlines() if line.strip()]
    [row] = [r for r in exported if r["message_id"] == 1]
    translation = row["translation"] if isinstance(row["translation"], dict) else json.loads(row["translation"])
    assert row["text_en"] == "The delegation reached Baghdad last night." and translation["backend"] == "human"
    assert translation["author"] == "cli"
    # the source edits the post: the analyst's English stays, and the post needs a human look again
    runner.import_telegram_export(store, write_export(tmp_path / "edited", 1900000601, "Desk", [
        message(1, TEXT + " وانتهت مساء.", 1716458400, edited="2024-05-23T12:00:00",
                edited_unixtime="1716465600")]))
    runner.process(store, settings)
    with store.connect() as conn:
        [edited] = post_store.load_posts(conn, [post_id])
    assert edited.translation["backend"] == "human" and needs_human_look(edited)  # type: ignore[index]


def test_set_refuses_an_empty_text_or_an_unknown_post(store: Engine, cli: Cli, tmp_path: Path, libre: str) -> None:
    post_id = _one_post(store, tmp_path, libre)
    empty = cli("translate", "set", str(post_id), "--text", "   ", ok=False)
    assert empty.exit_code == 1 and "empty" in empty.stderr
    missing = cli("translate", "set", "telegram:1900000601/99", "--text", "x", ok=False)
    assert missing.exit_code == 1 and "no post 99" in missing.stderr


SALAMI = Entity(id="person:hossein-salami", type="person", name="Hossein Salami")
DESK = Source(key="telegram:sampledesk", handle="sampledesk", name="Sample Desk")


@pytest.mark.parametrize("translation", [
    {"backend": "libretranslate", "model": "libretranslate@127.0.0.1", "label": "machine translation: libretranslate"},
    {"backend": "llamacpp", "model": "qwen", "label": "machine gist (LLM): llamacpp, qwen"},
    {"backend": "human", "model": "analyst@example.org", "author": "analyst@example.org",
     "label": "human translation by analyst@example.org"},
])
def test_a_draft_quotes_english_with_its_label_and_keeps_the_original_in_the_notes(translation: dict[str, str],
                                                                                     ) -> None:
    text = "قال حسين سلامي إن «المحادثات تناولت الوضع في المنطقة» في طهران."
    quote = Quote("المحادثات تناولت الوضع في المنطقة", "حسين سلامي", "person:hossein-salami",
                  text_en="the talks covered the situation in the region")
    post = Post(id=1, source=DESK, message_id=5, posted_at=datetime(2024, 5, 23, 8, tzinfo=UTC), text=text, lang="ar",
                text_en="Hossein Salami said that the talks covered the situation in the region, in Tehran.",
                translation={**translation, "source_sha": text_hash(text)}, quotes=[quote],
                mentions=[Mention("person:hossein-salami", "حسين سلامي", 4, 14)])
    story = Story(id=3, title="Salami on the talks", first_seen=post.posted_at, last_seen=post.posted_at, posts=[post])
    draft = draft_report(story, {SALAMI.id: SALAMI})
    assert f"({translation['label']})" in draft.body.replace("\\", "")
    assert "It quoted Hossein Salami: “the talks covered the situation in the region”" in draft.body
    assert not re.search("[\u0600-\u06ff]", draft.body) and untranslated_passages(draft.body) == []
    assert draft.footnotes[0].text.startswith("Telegram, May 23, 2024. Original (Arabic): “قال حسين سلامي")
    # without English, the draft says so, quotes no untranslated speech, and the guard sees it
    post.text_en, post.translation, quote.text_en = None, None, None
    bare = draft_report(story, {SALAMI.id: SALAMI})
    assert "not yet translated" in bare.body and "It quoted" not in bare.body and untranslated_passages(bare.body)


@pytest.mark.parametrize("body", [
    "The channel reported: “وصل الوفد الرسمي إلى بغداد مساء أمس” (in Arabic; not yet translated)[1].",
    "It reported: “هیئت رسمی دیروز به بغداد رسید و گفتگوها آغاز شد”[2].",
    "It reported: “وصل الوفد [the delegation] إلى بغداد [Baghdad] مساء أمس”[1].",
    "A post read “وفد رسمی دیروز رسید” (original with English glosses of known names: none, glossary).",
    "Quoted: “سرکاری وفد کل رات بغداد پہنچ گیا”.",
    "Quoted: “המשלחת הרשמית הגיעה אתמול לבגדד”.",
])
def test_the_guard_finds_untranslated_passages(body: str) -> None:
    assert untranslated_passages(body)


@pytest.mark.parametrize("body", [
    "The Sample Desk channel reported: “The delegation arrived in Baghdad.” (machine translation)[1].",
    "Hezbollah (حزب الله) said the talks would resume; Esmail Qaani (اسماعیل قاآنی) attended[2].",
    "The funeral of Hossein Salami (حسين سلامي) was held in Tehran (تهران) on Thursday.",
    "",
])
def test_the_guard_lets_english_with_short_original_names_pass(body: str) -> None:
    assert untranslated_passages(body) == []


def _multichannel(store: Engine) -> int:
    with store.connect() as conn:
        stories = story_store.list_stories(conn, min_sources=2, limit=100)
        return max(stories, key=lambda s: (len(s.sources), s.id)).id


def test_publishing_untranslated_text_needs_an_override_the_audit_log_records(store: Engine, cli: Cli,
                                                                              libre: str) -> None:
    runner.import_sample(store)
    runner.process(store, libre_settings(libre))
    story_id = _multichannel(store)
    report_id = int(cli("report", "draft", str(story_id), "--save").stdout.strip())
    refused = cli("report", "publish", str(report_id), "--tier", "public", ok=False)
    assert refused.exit_code == 1 and "quotes text that is not in English" in refused.stderr
    assert "--allow-untranslated" in refused.stderr
    assert cli.json("report", "list")[0]["status"] == "draft"
    cli("report", "publish", str(report_id), "--allow-untranslated")
    with store.connect() as conn:
        [entry] = [a for a in user_store.list_audit(conn) if a["action"] == "report-publish"]
    assert entry["detail"]["override"] == "untranslated" and entry["detail"]["passages"]
    # once the story's posts are translated (the top of the queue), a new draft quotes only English
    with store.connect() as conn:
        ids = [p.id for p in story_store.get_story(conn, story_id).posts]
    Worker(store, libre_settings(libre)).run(once=True, only=ids)
    again = int(cli("report", "draft", str(story_id), "--save").stdout.strip())
    body = cli("report", "draft", str(story_id)).stdout
    assert "machine translation: libretranslate" in body and "not yet translated" not in body
    assert "Original (" in body  # the originals are in the notes
    assert cli.json("report", "publish", str(again), "--tier", "public")["status"] == "published"


PASSWORD = "a long enough password"


@pytest.fixture
def desk(store: Engine, libre: str) -> Iterator[tuple[LiveServer, Reader, str]]:
    runner.import_sample(store)
    runner.process(store, libre_settings(libre))
    key, prefix = new_api_key()
    with store.begin() as conn:
        admin = user_store.create_user(conn, "desk@example.org", hash_password(PASSWORD), Role.ADMIN)
        user_store.create_api_key(conn, admin.id, token_hash(key), prefix)
    server = LiveServer(store, translate_backend="libretranslate", libretranslate_url=libre)
    reader = Reader(server.url)
    reader.login("desk@example.org", PASSWORD)
    yield server, reader, key
    reader.close()
    server.stop()


def test_the_web_form_pending_marks_and_human_look(store: Engine, desk: tuple[LiveServer, Reader, str]) -> None:
    server, analyst, key = desk
    story_id = _multichannel(store)
    with store.connect() as conn:
        story = story_store.get_story(conn, story_id)
        pending = queue_store.pending_ids(conn, [p.id for p in story.posts])
    foreign = [p for p in story.posts if p.lang not in ("en", "und")]
    assert foreign and pending == {p.id for p in foreign}
    page = BeautifulSoup(analyst.get(f"/stories/{story_id}").text, "html.parser")
    marked = {int(a["id"].split("-")[1]) for a in page.select("article.post") if a.select_one(".pending")}
    assert marked == pending
    look = page.select_one("#human-look")
    assert look is not None and f"{len(foreign)} of {len(story.posts)} posts" in look.get_text()
    feed = BeautifulSoup(analyst.get("/posts").text, "html.parser")
    assert feed.select("article.post .pending") and feed.select("article.post a[href$='/translation']")
    target = foreign[0]
    form = BeautifulSoup(analyst.get(f"/posts/{target.id}/translation").text, "html.parser")
    original = form.select_one("#human-translation .original")
    assert original is not None and original["dir"] == "rtl" and form.select_one("#translation-pending")
    # without the form's CSRF token nothing is stored
    forged = analyst.http.post(f"/posts/{target.id}/translation", data={"text_en": "forged"})
    assert forged.status_code == 403
    saved = analyst.post_form(f"/posts/{target.id}/translation", {"text_en": ENGLISH},
                              form_page=f"/posts/{target.id}/translation")
    assert saved.status_code == 200 and "human translation by desk@example.org" in saved.text
    with store.connect() as conn:
        [post] = post_store.load_posts(conn, [target.id])
        actions = [(a["action"], a["actor"]) for a in user_store.list_audit(conn)]
    assert post.text_en == ENGLISH and post.translation["author"] == "desk@example.org"  # type: ignore[index]
    assert ("translation-set", "desk@example.org") in actions
    page = BeautifulSoup(analyst.get(f"/stories/{story_id}").text, "html.parser")
    card = page.select_one(f"#post-{target.id}")
    assert card is not None and not card.select_one(".pending") and not card.select_one(".need-look")
    assert f"{len(foreign) - 1} of {len(story.posts)} posts" in page.select_one("#human-look").get_text()
    api = Reader(server.url, api_key=key)
    shaped = [p for p in api.get(f"/api/v1/posts?source={target.source.key}&limit=200").json()["items"]
              if p["message_id"] == target.message_id]
    assert shaped[0]["text_en"] == ENGLISH and shaped[0]["translation"]["backend"] == "human"
    api.close()
    admin = BeautifulSoup(analyst.get("/admin").text, "html.parser").select_one("#translation-queue")
    assert admin is not None and f"Queued {len(_queued(store))}" in admin.get_text()


def _queued(store: Engine) -> list[dict[str, object]]:
    with store.connect() as conn:
        return [r for r in queue_store.upcoming(conn, 1000) if r["status"] == "queued"]


def test_the_editor_refuses_to_publish_untranslated_text_without_the_box(store: Engine,
                                                                        desk: tuple[LiveServer, Reader, str]) -> None:
    _, analyst, _ = desk
    story_id = _multichannel(store)
    editor = analyst.post_form(f"/stories/{story_id}/draft", {}, form_page=f"/stories/{story_id}")
    report_id = int(re.search(r"/reports/(\d+)/edit", str(editor.url)).group(1))  # type: ignore[union-attr]
    body = BeautifulSoup(editor.text, "html.parser").select_one("textarea[name=body]").get_text()
    fields = {"title": "Summit", "body": body, "tier": "public", "publish_at": "", "action": "publish"}
    refused = analyst.post_form(f"/reports/{report_id}/edit", fields, form_page=f"/reports/{report_id}/edit")
    assert refused.status_code == 400 and "quotes text that is not in English" in refused.text
    assert 'name="allow_untranslated"' in refused.text
    published = analyst.post_form(f"/reports/{report_id}/edit", {**fields, "allow_untranslated": "yes"},
                                  form_page=f"/reports/{report_id}/edit")
    assert published.status_code == 200
    with store.connect() as conn:
        entries = [a for a in user_store.list_audit(conn) if a["action"] == "report-publish"]
    assert len(entries) == 1 and entries[0]["detail"]["override"] == "untranslated"


def test_a_draft_leaves_out_the_sentences_a_machine_left_in_the_original() -> None:
    text = "وصل الوفد الرسمي إلى بغداد مساء أمس. بدأت المحادثات صباح اليوم."
    post = Post(id=1, source=DESK, message_id=6, posted_at=datetime(2024, 5, 23, 8, tzinfo=UTC), text=text, lang="ar",
                text_en="The delegation arrived in Baghdad yesterday evening. بدأت المحادثات [talks] صباح اليوم.",
                translation={"backend": "llamacpp", "model": "qwen", "label": "machine gist (LLM): llamacpp, qwen",
                             "flags": ["source-script"], "source_sha": text_hash(text)})
    story = Story(id=4, title="Delegation in Baghdad", first_seen=post.posted_at, last_seen=post.posted_at,
                  posts=[post])
    body = draft_report(story, {}).body
    assert "“The delegation arrived in Baghdad yesterday evening.”" in body
    assert "1 sentence(s) left untranslated" in body and untranslated_passages(body) == []


@pytest.mark.parametrize(("english", "count", "expected"), [
    ("He said that «the talks were fruitful» at the end.", 1, ["the talks were fruitful"]),
    ('He said that "the talks were fruitful" and "the delegation left".', 2,
     ["the talks were fruitful", "the delegation left"]),
    ("He said that “the talks were fruitful”.", 1, ["the talks were fruitful"]),
    ("He said that the talks were fruitful.", 1, [None]),  # the model dropped the quotation marks
    ('He said "fruitful talks" and more.', 2, [None, None]),  # one span for two quotations: no guessing
])
def test_a_quotation_is_the_quoted_span_of_its_translated_sentence(english: str, count: int,
                                                                   expected: list[str | None]) -> None:
    from watchfloor.translate.quoting import english_quote

    assert [english_quote(english, i, count) for i in range(count)] == expected


def test_quotations_are_found_in_the_sentences_that_hold_them() -> None:
    from watchfloor.pipeline.quotes import find_quotes
    from watchfloor.translate.quoting import quote_sentences

    text = "وصل الوفد مساء أمس. قال المتحدث إن «المحادثات كانت مثمرة وصريحة» و«الوفد سيعود قريبا جدا». وانتهى اللقاء."
    quotes = find_quotes(text, [], {})
    assert len(quotes) == 2
    [(sentence, indexes)] = quote_sentences(text, quotes)
    assert indexes == [0, 1] and sentence.startswith("قال المتحدث") and "وانتهى" not in sentence
