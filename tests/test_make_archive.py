"""bench/make_archive.py at a tiny size: Watchfloor imports its exports cleanly, stories span channels, and a
seed gives the same files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import sqlalchemy as sa

from watchfloor import importer, runner
from watchfloor.kb.loader import load_entities

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from make_archive import export_paths, make_archive  # noqa: E402


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_tiny_archive_imports_cleanly_and_stories_span_channels(tmp_path: Path) -> None:
    manifest = make_archive(tmp_path / "archive", posts=300, channels=10, seed=7)
    paths = export_paths(tmp_path / "archive")
    assert len(paths) == 10
    engine = runner.open_store(f"sqlite:///{tmp_path / 'watchfloor.sqlite3'}", migrate=True)
    report = importer.import_telegram_exports(engine, paths)
    assert report.errors == []
    assert report.counts.inserted == manifest["messages_written"] >= 300
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM posts WHERE kind = 'message'")).scalar_one() == 300
        assert conn.execute(sa.text("SELECT count(DISTINCT source_id) FROM posts")).scalar_one() == 10
    engine.dispose()
    assert set(manifest["languages"]) <= {"ar", "en", "fa"} and len(manifest["languages"]) >= 2
    # a story: one event reported by several channels within hours, each post naming its place
    posted: dict[tuple[int, int], tuple[int, str]] = {}
    for path in paths:
        chat = json.loads(path.read_text(encoding="utf-8"))
        for message in chat["messages"]:
            text = message["text"] if isinstance(message["text"], str) else "".join(
                p if isinstance(p, str) else p["text"] for p in message["text"])
            posted[(chat["id"], message["id"])] = (int(message["date_unixtime"]), text)
    places = {e.id: [a.text for a in e.aliases] for e in load_entities() if e.type == "place"}
    stories = [json.loads(line) for line in (tmp_path / "archive" / "stories.jsonl").read_text().splitlines()]
    assert sum(len(story["posts"]) for story in stories) == 300
    spread = [story for story in stories if len({channel for channel, _ in story["posts"]}) > 1]
    assert len(spread) == manifest["stories_over_several_channels"] > len(stories) // 3
    for story in stories:
        channels = [channel for channel, _ in story["posts"]]
        assert len(channels) == len(set(channels)) <= 10
        moments = [posted[(channel, message_id)][0] for channel, message_id in story["posts"]]
        assert max(moments) - min(moments) <= 6 * 3600
        place = next(ident for ident in story["entities"] if ident.startswith("place:"))
        assert all(any(alias in posted[(c, m)][1] for alias in places[place]) for c, m in story["posts"])


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    make_archive(tmp_path / "one", posts=300, channels=10, seed=3)
    make_archive(tmp_path / "two", posts=300, channels=10, seed=3)
    make_archive(tmp_path / "three", posts=300, channels=10, seed=4)
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    assert _files(tmp_path / "one") != _files(tmp_path / "three")
