"""STIX 2.1 export of a story from the bundled sample: it parses with the stix2 library (also with the
x-watchfloor-* objects registered against their extension definitions), holds one post object per post
with its URL and content hash, the actors and places the posts name, the channels' affiliations, the
translations as notes, the TLP marking on every object, and the same ids when exported again."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import stix2
from stix2.properties import (
    DictionaryProperty,
    IntegerProperty,
    ListProperty,
    ReferenceProperty,
    StringProperty,
    TimestampProperty,
)
from stix2validator import ValidationOptions, validate_instance

from conftest import Cli
from watchfloor.exports.stix import CHANNEL_EXTENSION_ID, POST_EXTENSION_ID, stix_id
from watchfloor.store import db
from watchfloor.store.tables import posts, sources


def _ref() -> ReferenceProperty:
    return ReferenceProperty(invalid_types=["marking-definition"], spec_version="2.1")


@stix2.v21.CustomObject("x-watchfloor-post", [
    ("name", StringProperty()), ("channel_ref", _ref()), ("message_id", IntegerProperty(required=True)),
    ("posted_at", TimestampProperty(required=True)), ("edited_at", TimestampProperty()), ("url", StringProperty()),
    ("content_hash", DictionaryProperty(required=True)), ("lang", StringProperty()),
    ("text", StringProperty(required=True)), ("forwarded_from", StringProperty()),
    ("mention_refs", ListProperty(_ref())),
], extension_name=POST_EXTENSION_ID)
class WatchfloorPost:
    """The post object as docs/exports.md declares it."""


@stix2.v21.CustomObject("x-watchfloor-channel", [
    ("name", StringProperty(required=True)), ("source_key", StringProperty(required=True)),
    ("platform", StringProperty(required=True)), ("handle", StringProperty()), ("channel_id", IntegerProperty()),
    ("url", StringProperty()), ("affiliation", StringProperty()), ("lang", StringProperty()),
    ("operator_ref", _ref()),
], extension_name=CHANNEL_EXTENSION_ID)
class WatchfloorChannel:
    """The channel object as docs/exports.md declares it."""


AMBER = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"
RED = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"
WHITE = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"


def _meeting_story(cli: Cli) -> dict[str, Any]:
    """The four-channel story of the Salami–Qaani meeting (samples/telegram/EVENTS.md)."""
    cli.json("demo")
    for listed in cli.json("stories", "list", "--min-sources", "2"):
        story = cli.json("stories", "show", str(listed["id"]))
        if any(e["id"] == "person:esmail-qaani" for e in story["entities"]) and len(story["sources"]) == 4:
            return story
    raise AssertionError("the sample has no four-channel story naming Esmail Qaani")


def _bundle(cli: Cli, *args: str) -> dict[str, Any]:
    result = cli("export", "stix", *args)
    bundle: dict[str, Any] = json.loads(result.stdout)
    return bundle


def _of_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [o for o in bundle["objects"] if o["type"] == kind]


def test_story_bundle_parses_and_holds_every_post_actor_and_channel(cli: Cli, db_url: str) -> None:
    story = _meeting_story(cli)
    bundle = _bundle(cli, "--story", str(story["id"]))
    parsed = stix2.parse(bundle, allow_custom=True)
    assert len(parsed.objects) == len(bundle["objects"])
    by_class = Counter(type(o).__name__ for o in parsed.objects)
    assert by_class["WatchfloorPost"] == len(story["posts"]) and by_class["WatchfloorChannel"] == 4
    assert all(isinstance(o, WatchfloorPost) for o in parsed.objects if o["type"] == "x-watchfloor-post")

    engine = db.connect(db_url, pooled=False)
    with engine.connect() as conn:
        hashes = {(row.key, row.message_id): row.content_hash for row in conn.execute(
            sa.select(sources.c.key, posts.c.message_id, posts.c.content_hash)
            .join(sources, sources.c.id == posts.c.source_id))}
    engine.dispose()
    post_objects = {(o["channel_ref"], o["message_id"]): o for o in _of_type(bundle, "x-watchfloor-post")}
    assert len(post_objects) == len(story["posts"])
    for post in story["posts"]:
        stixed = post_objects[(stix_id("x-watchfloor-channel", post["source"]), post["message_id"])]
        assert stixed["url"] == post["url"] and stixed["text"] == post["text"]
        assert stixed["content_hash"] == {"SHA-256": hashes[(post["source"], post["message_id"])]}
        assert stixed["id"] == stix_id("x-watchfloor-post", f"{post['source']}/{post['message_id']}")
        assert stixed["extensions"] == {POST_EXTENSION_ID: {"extension_type": "new-sdo"}}

    [report] = _of_type(bundle, "report")
    listed = {o["id"] for o in bundle["objects"]} - {o["id"] for o in _of_type(bundle, "marking-definition")}
    assert set(post_objects[k]["id"] for k in post_objects) <= set(report["object_refs"]) <= listed
    assert report["name"] == story["title"]

    actors = {ref["external_id"]: o for o in _of_type(bundle, "threat-actor") for ref in o["external_references"]
              if ref["source_name"] == "watchfloor-kb"}
    assert "person:esmail-qaani" in actors and "org:quds-force" in actors and "org:hezbollah" in actors
    assert {"قاآنی", "Esmail Ghaani"} <= set(actors["person:esmail-qaani"]["aliases"])
    places = {ref["external_id"] for o in _of_type(bundle, "location") for ref in o["external_references"]}
    named_places = {e["id"] for e in story["entities"] if e["type"] == "place"}
    assert named_places and named_places <= places
    relationships = {(o["source_ref"], o["relationship_type"], o["target_ref"])
                     for o in _of_type(bundle, "relationship")}
    assert (actors["person:esmail-qaani"]["id"], "related-to", actors["org:quds-force"]["id"]) in relationships
    # the Levant Wire's operator is attributed to Hezbollah, the affiliation recorded for the channel
    operator = stix_id("identity", "operator:telegram:1900000001")
    assert (operator, "attributed-to", actors["org:hezbollah"]["id"]) in relationships
    channel = next(o for o in _of_type(bundle, "x-watchfloor-channel") if o["source_key"] == "telegram:1900000001")
    assert channel["affiliation"] == "Hezbollah" and channel["operator_ref"] == operator
    # the OASIS validator finds no error; its only advice is what docs/exports.md explains: UUIDv5 ids
    # {103}, Wikidata links without a page hash {302}, and attributed-to from an operator's identity {202}
    validated = validate_instance(bundle, ValidationOptions(version="2.1"))
    assert validated.is_valid and not validated.errors
    assert {str(w).split("{")[1][:3] for w in validated.warnings} <= {"103", "302", "202"}
    # governments and UN bodies are not threat actors
    assert not any(ref["external_id"].startswith("org:un") for o in _of_type(bundle, "threat-actor")
                   for ref in o["external_references"])


def test_every_object_carries_the_tlp_marking_and_ids_are_stable(cli: Cli) -> None:
    story = _meeting_story(cli)
    amber = _bundle(cli, "--story", str(story["id"]))
    again = _bundle(cli, "--story", str(story["id"]))
    assert again == amber  # same story, same bundle: ids, timestamps and all
    red = _bundle(cli, "--story", str(story["id"]), "--tlp", "red", "--org", "Example Research Desk")
    assert sorted(o["id"] for o in red["objects"] if o["type"] != "identity") == sorted(
        o["id"].replace(AMBER, RED) for o in amber["objects"] if o["type"] != "identity")
    for bundle, level in ((amber, AMBER), (red, RED)):
        for obj in bundle["objects"]:
            if obj["type"] == "marking-definition":
                continue
            schema = obj["type"] == "extension-definition" or obj["id"] == stix_id("identity", "watchfloor-project")
            assert obj["object_marking_refs"] == [WHITE if schema else level], obj["id"]
    for obj in amber["objects"]:  # STIX: an object is never modified before it was created
        assert obj.get("modified", obj["created"]) >= obj["created"], obj["id"]
    org = next(o for o in red["objects"] if o["type"] == "identity" and o["name"] == "Example Research Desk")
    assert all(o.get("created_by_ref") == org["id"] for o in _of_type(red, "threat-actor") + _of_type(red, "report"))
    stix2.parse(red, allow_custom=True)


def test_a_translation_becomes_a_note_labelled_with_its_backend(cli: Cli, db_url: str) -> None:
    story = _meeting_story(cli)
    first = story["posts"][0]
    engine = db.connect(db_url, pooled=False)
    with engine.begin() as conn:
        source_id = conn.execute(sa.select(sources.c.id).where(sources.c.key == first["source"])).scalar_one()
        conn.execute(posts.update().where(posts.c.source_id == source_id, posts.c.message_id == first["message_id"])
                     .values(text_en="The commanders met in Tehran on Tuesday, the agency said.",
                             translation={"backend": "llamacpp", "model": "qwen2.5-coder-1.5b", "at": "2024-05-23"}))
    engine.dispose()
    bundle = _bundle(cli, "--story", str(story["id"]))
    [note] = _of_type(bundle, "note")
    assert note["content"] == "The commanders met in Tehran on Tuesday, the agency said."
    assert "backend:llamacpp" in note["labels"] and "llamacpp" in note["abstract"]
    assert note["object_refs"] == [stix_id("x-watchfloor-post", f"{first['source']}/{first['message_id']}")]
    stix2.parse(bundle, allow_custom=True)


def test_unknown_story_and_level_fail_with_one_line_and_no_file(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    target = tmp_path / "bundle.json"
    result = cli("export", "stix", "--story", "999", "--out", str(target), ok=False)
    assert result.exit_code == 1 and "no story 999" in result.output
    assert not target.exists() and not list(tmp_path.glob("*.partial"))
    result = cli("export", "stix", "--story", "1", "--tlp", "amber+strict", ok=False)
    assert result.exit_code == 1 and "amber+strict" in result.output.lower()
    result = cli("export", "stix", "--story", "1", "--tlp", "purple", ok=False)
    assert result.exit_code == 1 and "clear, green, amber or red" in result.output


def test_out_file_holds_the_bundle(cli: Cli, tmp_path: Path) -> None:
    story = _meeting_story(cli)
    target = tmp_path / "bundle.json"
    result = cli("export", "stix", "--story", str(story["id"]), "--tlp", "clear", "--out", str(target))
    bundle = json.loads(target.read_text(encoding="utf-8"))
    assert f"{len(bundle['objects'])} STIX objects written" in result.stdout
    assert {o["id"] for o in _of_type(bundle, "marking-definition")} == {WHITE}
