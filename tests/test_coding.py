"""Coding stories: event types from the taxonomy, stances (report, claim, denial), actors and place.

The expected types of the bundled sample's events are what an analyst would code from EVENTS.md's
descriptions. The cue words were written against this sample, so this test guards the coder's
behaviour; it is not an independent measure of its accuracy (docs/coding.md)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import Engine

from conftest import Cli, import_sample
from watchfloor.pipeline.coding import EVENT_TYPES, code_post, code_story
from watchfloor.runner import sample_exports
from watchfloor.store import kb as kb_store
from watchfloor.store import stories as story_store

EXPECTED = {
    "Arab League summit": "meeting",
    "Reports that President Raisi": "death_accident",
    "Funeral procession": "funeral_commemoration",
    "Salami and Qaani meet": "meeting",
    "Nasrallah's televised speech": "speech",
    "Houthi military spokesman's claim": "attack_claim",
    "US and British strikes": "strike",
    "Houthi spokesman claims an attack": "attack_claim",
    "Islamic Resistance in Iraq claims": "attack_claim",
    "Khamenei's speech": "speech",
    "Acting foreign minister Bagheri Kani meets": "meeting",
    "Houthis and the Islamic Resistance in Iraq claim": "attack_claim",
    "Iran's Guardian Council approves": "election_political",
}


@pytest.mark.parametrize("text, stance, event_type", [
    ("نفت وزارة الدفاع الأنباء عن استهداف القافلة يوم الثلاثاء.", "denial", "attack_claim"),
    ("The ministry denied reports that its forces targeted the convoy.", "denial", "attack_claim"),
    ("أعلنت الجماعة تنفيذ هجوم بطائرة مسيرة على قاعدة عسكرية.", "claim", "attack_claim"),  # تنفيذ is no denial
    ("The group claimed responsibility for a drone attack on the base.", "claim", "attack_claim"),
    ("وزارت خارجه این گزارش را تکذیب کرد.", "denial", None),
    ("التقى وزير الخارجية نظيره العماني في مسقط وبحثا العلاقات الثنائية.", "report", "meeting"),
    ("The ministry issued a statement on Monday.", "report", "statement"),
    ("Weather in the capital was mild on Monday.", "report", None),
])
def test_post_stance_and_type(text: str, stance: str, event_type: str | None) -> None:
    coded = code_post(text)
    assert coded.stance == stance and coded.event_type == event_type


def test_clitics_attach_but_words_do_not_contain_cues() -> None:
    assert code_post("وبالانتخابات المقبلة").event_type == "election_political"  # و + ب + ال + cue
    assert code_post("تنفيذ المشروع").stance == "report" and code_post("تنفيذ المشروع").event_type is None


def test_every_sample_event_gets_its_type(store: Engine) -> None:
    import_sample(store)
    titles = [line[3:] for line in (sample_exports() / "EVENTS.md").read_text(encoding="utf-8").splitlines()
              if line.startswith("## ")]
    members: dict[str, set[tuple[str, int]]] = {}
    current = None
    for line in (sample_exports() / "EVENTS.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:]
            members[current] = set()
        match = re.match(r"\s*-\s*(\d+)/(\d+)\b", line)
        if match and current:
            members[current].add((f"telegram:{match.group(1)}", int(match.group(2))))
    assert len(titles) == len(EXPECTED)
    got: dict[str, str | None] = {}
    with store.connect() as conn:
        for summary in story_store.list_stories(conn, limit=500):
            story = story_store.get_story(conn, summary.id)
            keys = {(p.source.key, p.message_id) for p in story.posts}
            for title, posts in members.items():
                if posts and posts <= keys:
                    entities = kb_store.entities_by_id(conn, {m.entity_id for p in story.posts for m in p.mentions})
                    got[title] = code_story(story.posts, entities).event_type
    expected = {title: next(v for k, v in EXPECTED.items() if title.startswith(k)) for title in titles}
    assert got == expected
    assert set(expected.values()) <= set(EVENT_TYPES)


def test_story_json_carries_the_coding(store: Engine, cli: Cli) -> None:
    import_sample(store)
    stories = cli.json("stories", "list", "--min-sources", "2")
    shown = [cli.json("stories", "show", str(s["id"])) for s in stories]
    typed = [s for s in shown if s["event_type"] == "attack_claim"]
    assert typed and all(any(p["stance"] == "claim" for p in s["posts"]) for s in typed)
    assert all({p["stance"] for p in s["posts"]} <= {"report", "claim", "denial"} for s in shown)
    assert all(s["coding"]["place"] is None or s["coding"]["place"].startswith("place:") for s in shown)
