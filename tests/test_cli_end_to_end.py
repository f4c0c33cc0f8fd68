"""The CLI on a real database: init, sources, import, process, posts, stories, report drafts."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli, message, write_export

T0 = 1716458400  # 2024-05-23T10:00:00Z


def _setup(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    cli("sources", "add", "telegram:1900000301", "--name", "Sample Levant Wire",
        "--affiliation", "Hezbollah", "--lang", "ar", "--tag", "levant")
    write_export(tmp_path / "wire", 1900000301, "Sample Levant Wire", [
        message(1, "التقى قائد فيلق القدس إسماعيل قاآني بالأمين العام لحزب الله في بيروت يوم الأربعاء.", T0),
        message(2, ["The meeting in Beirut was reported by ", {"type": "hashtag", "text": "#Lebanon"},
                    " outlets."], T0 + 600),
    ])
    write_export(tmp_path / "desk", 1900000302, "Sample Persian Desk", [
        message(5, "اسماعیل قاآنی فرمانده نیروی قدس روز چهارشنبه در بیروت با دبیرکل حزب‌الله دیدار کرد.", T0 + 1200),
    ])
    cli("import", "telegram-export", str(tmp_path / "wire"))
    cli("import", "telegram-export", str(tmp_path / "desk"))
    cli("process")


def test_sources_posts_and_search_as_json(cli: Cli, tmp_path: Path) -> None:
    _setup(cli, tmp_path)
    listed = {s["key"]: s for s in cli.json("sources", "list")}
    assert listed["telegram:1900000301"]["affiliation"] == "Hezbollah"
    assert listed["telegram:1900000301"]["posts"] == 2
    assert listed["telegram:1900000302"]["name"] == "Sample Persian Desk"  # created by the import
    posts = cli.json("posts", "list", "--source", "telegram:1900000301")
    assert [p["message_id"] for p in posts] == [2, 1]
    arabic = posts[1]
    assert arabic["lang"] == "ar" and arabic["posted_at"] == "2024-05-23T10:00:00Z"
    assert arabic["url"] == "https://t.me/c/1900000301/1"
    assert set(arabic) >= {"source", "message_id", "posted_at", "lang", "text", "text_en", "entities", "quotes", "url"}
    linked = {e["id"] for e in arabic["entities"]}
    assert {"person:esmail-qaani", "place:beirut", "org:hezbollah"} <= linked
    assert cli.json("posts", "list", "--lang", "fa")[0]["source"] == "telegram:1900000302"
    by_entity = cli.json("posts", "list", "--entity", "person:esmail-qaani")
    assert {p["source"] for p in by_entity} == {"telegram:1900000301", "telegram:1900000302"}
    found = cli.json("posts", "search", "Beirut")
    # the Arabic and Persian posts match too, through the English gloss of their names (none back-end)
    assert sorted(p["message_id"] for p in found) == [1, 2, 5]
    glossed = next(p for p in found if p["message_id"] == 1)
    assert "[Beirut]" in glossed["text_en"] and glossed["translation"]["backend"] == "none"
    assert cli.json("posts", "search", "بيروت")[0]["message_id"] == 1
    assert cli.json("posts", "search", "nothing-like-this") == []


def test_story_across_languages_and_its_report_draft(cli: Cli, tmp_path: Path) -> None:
    _setup(cli, tmp_path)
    stories = cli.json("stories", "list", "--min-sources", "2")
    assert len(stories) == 1
    story = cli.json("stories", "show", str(stories[0]["id"]))
    assert story["sources"] == ["telegram:1900000301", "telegram:1900000302"]
    assert {(p["source"], p["message_id"]) for p in story["posts"]} >= {
        ("telegram:1900000301", 1), ("telegram:1900000302", 5)}
    qaani = next(e for e in story["entities"] if e["id"] == "person:esmail-qaani")
    assert qaani["type"] == "person" and qaani["mentions"] >= 2 and qaani["name"] == "Esmail Qaani"
    draft = json.loads(cli("report", "draft", str(story["id"]), "--format", "json").stdout)
    cited = {(f["source"], f["message_id"]) for f in draft["footnotes"]}
    assert cited == {(p["source"], p["message_id"]) for p in story["posts"]}
    assert all(f["text"].startswith("Telegram, May 23, 2024.") for f in draft["footnotes"])
    langs = {(p["source"], p["message_id"]): p["lang"] for p in story["posts"]}
    for note in draft["footnotes"]:  # the original of a post not in English is in its note, not the body
        assert ("Original (" in note["text"]) == (langs[(note["source"], note["message_id"])] != "en")
    assert "Sample Levant Wire Telegram channel, which is affiliated with Hezbollah" in draft["body"]
    markdown = cli("report", "draft", str(story["id"])).stdout
    assert markdown.startswith("# ") and "[1]" in markdown
    page = cli("report", "draft", str(story["id"]), "--format", "html").stdout
    assert page.startswith("<!doctype html>") and "<script" not in page


def test_errors_are_one_clear_line(cli: Cli, tmp_path: Path) -> None:
    result = cli("posts", "list", ok=False)
    assert result.exit_code == 1 and "watchfloor init" in result.output
    cli("init")
    result = cli("stories", "show", "999", ok=False)
    assert result.exit_code == 1 and "no story 999" in result.output
    result = cli("sources", "add", "twitter:someone", ok=False)
    assert result.exit_code == 1 and "telegram:<handle>" in result.output
    result = cli("import", "telegram-export", str(tmp_path / "missing"), ok=False)
    assert result.exit_code == 1 and "missing" in result.output
    result = cli("report", "draft", "1", "--format", "pdf", ok=False)
    assert result.exit_code == 1 and "md, html, json" in result.output


def test_demo_loads_the_samples_with_their_affiliations(cli: Cli) -> None:
    stories = cli.json("demo")
    assert len(stories) >= 5 and all(len(s["sources"]) >= 2 for s in stories)
    sources = {s["key"]: s for s in cli.json("sources", "list")}
    assert sources["telegram:1900000002"]["affiliation"] == "Iran-backed militias in Iraq"
    assert sources["telegram:1900000002"]["posts"] > 0


def test_unknown_arabic_script_names_become_romanised_candidates(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    write_export(tmp_path / "x", 1900000401, "Sample Wire", [
        message(1, "التقى وزير الخارجية العراقي فؤاد حسين بنظيره في بغداد يوم الثلاثاء.", T0)])
    cli("import", "telegram-export", str(tmp_path / "x"))
    cli("process")
    [post] = cli.json("posts", "list")
    names = {e["id"]: e for e in post["entities"]}
    assert "place:baghdad" in names
    candidate = names["candidate:person:fouad-hussein"]
    assert candidate == {"id": "candidate:person:fouad-hussein", "name": "Fouad Hussein", "type": "person"}
    # processing again finds the same candidate and stores it once
    cli("process", "--reprocess")
    assert [e["id"] for e in cli.json("posts", "list")[0]["entities"]].count("candidate:person:fouad-hussein") == 1


def test_process_says_where_its_time_went(cli: Cli, tmp_path: Path) -> None:
    from watchfloor.engine.driver import DRIVER_STEPS

    cli("init")
    write_export(tmp_path / "x", 1900000402, "Sample Wire", [
        message(i, f"Officials met in Baghdad on Tuesday to discuss the border crossing, bulletin {i}.", T0)
        for i in range(1, 6)])
    cli("import", "telegram-export", str(tmp_path / "x"))
    result = cli.json("process")
    seconds = result["seconds"]
    assert set(seconds) == set(result["stages"]) | set(DRIVER_STEPS)  # every stage run and every driver step
    assert all(value >= 0 for value in seconds.values()) and seconds["embed"] > 0
    # the table output names the stages with their share
    shown = cli("process", "--reprocess").output
    assert "Time: " in shown and "embed " in shown and "%)" in shown
    nothing = cli("process").output  # no post to process: no time line
    assert "Time: " not in nothing
