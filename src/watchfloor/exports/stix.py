"""STIX 2.1 bundles of a story (and, through the same `Subject`, of a report once reports are stored).

Plain JSON dicts, no STIX library needed at run time. Every id is a UUIDv5 on Watchfloor's namespace and
a stable key (a channel's source key, a post's source key and message id, a knowledge-base id), so the
same story exported twice, or by two deployments holding the same posts, gives the same ids and an
importer such as OpenCTI merges rather than duplicates. The mapping is tabled in docs/exports.md.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from watchfloor.errors import InvalidInput
from watchfloor.ids import is_id
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.models import Entity, Post, Source, Story
from watchfloor.shapes import iso
from watchfloor.store import exports as export_store
from watchfloor.store import kb as kb_store
from watchfloor.store import stories as story_store
from watchfloor.store.base import Connection

__all__ = ["NAMESPACE", "TLP_LEVELS", "POST_EXTENSION_ID", "CHANNEL_EXTENSION_ID", "WATCHFLOOR_IDENTITY_ID",
           "Subject", "story_subject", "stix_id", "build_bundle", "story_bundle", "export_stix",
           "is_threat_actor", "affiliated_orgs"]

# Never change these: they make ids stable across versions and deployments.
NAMESPACE = uuid.UUID("89c21ca0-b5ff-4b22-931c-f47c9c7452c5")
POST_EXTENSION_ID = "extension-definition--b8cfa73c-bd11-535d-b58d-9227b4f2ef05"
CHANNEL_EXTENSION_ID = "extension-definition--0bcc4bc9-df88-5a04-bb60-ba555172f6aa"
WATCHFLOOR_IDENTITY_ID = "identity--3dbf5757-2a99-56c3-87d9-537cc595340b"
SCHEMA_URL = "https://github.com/watchfloor/watchfloor/blob/main/docs/exports.md"
# Watchfloor does not know when a knowledge-base entry, a channel or its operator came to be; such objects
# carry the Unix epoch as their creation time, the same in every bundle and never after their `modified`.
EPOCH = "1970-01-01T00:00:00.000Z"
# When the extension definitions and the Watchfloor identity were defined (they never change).
SCHEMA_DATE = "2026-11-25T00:00:00.000Z"

# TLP 1.0 marking definitions exactly as STIX 2.1 (and the stix2 library) fixes them; the stix2 library
# has no TLP 2.0 definitions, so TLP:CLEAR is exported as its TLP 1.0 equivalent TLP:WHITE and
# TLP:AMBER+STRICT cannot be expressed.
_TLP_IDS = {
    "white": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
    "green": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
    "amber": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
    "red": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
}
TLP_LEVELS = {"clear": "white", "white": "white", "green": "green", "amber": "amber", "red": "red"}

# Where a knowledge-base place has no country (seas, straits, regions), the UN M49 region (STIX region-ov).
_REGIONS = {
    "place:red-sea": "western-asia", "place:bab-al-mandab": "western-asia", "place:gulf-of-aden": "western-asia",
    "place:strait-of-hormuz": "western-asia", "place:persian-gulf": "western-asia",
    "place:kashmir": "southern-asia", "place:liptako-gourma": "western-africa",
    "place:lake-chad": "western-africa", "place:sahel": "western-africa",
}


def stix_id(kind: str, key: str) -> str:
    """A deterministic STIX id: ``kind--uuid5(NAMESPACE, "kind:key")``."""
    return f"{kind}--{uuid.uuid5(NAMESPACE, f'{kind}:{key}')}"


def _ts(moment: datetime) -> str:
    """STIX timestamps: UTC with milliseconds and a Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def marking_definition(tlp: str) -> dict[str, Any]:
    """The TLP 1.0 marking definition for a level (clear, green, amber, red)."""
    colour = TLP_LEVELS.get(tlp.lower())
    if colour is None:
        hint = " (TLP:AMBER+STRICT has no STIX 2.1 TLP 1.0 marking; use amber or red)" \
            if tlp.lower() == "amber+strict" else ""
        raise InvalidInput(f"unknown TLP level {tlp!r}; choose clear, green, amber or red{hint}")
    return {"type": "marking-definition", "spec_version": "2.1", "id": _TLP_IDS[colour],
            "created": "2017-01-20T00:00:00.000Z", "definition_type": "tlp", "name": f"TLP:{colour.upper()}",
            "definition": {"tlp": colour}}


@dataclass
class Subject:
    """What a STIX `report` describes: a story today, an analyst's report later."""

    key: str  # stable across deployments and reprocessing
    name: str
    published: datetime
    created: datetime
    modified: datetime
    posts: list[Post]
    description: str | None = None
    report_types: list[str] = field(default_factory=lambda: ["threat-report"])
    labels: list[str] = field(default_factory=list)


def story_subject(story: Story) -> Subject:
    """A story as a report subject, keyed by its earliest post (story ids differ between databases and
    change on --reprocess; the earliest post of an event does not)."""
    if not story.posts:
        raise InvalidInput(f"story {story.id} has no posts to export")
    first = min(story.posts, key=lambda p: (p.posted_at, p.source.key, p.message_id))
    channels = sorted({p.source.name or p.source.key for p in story.posts})
    return Subject(
        key=f"story:{first.source.key}/{first.message_id}",
        name=story.title or f"Story {story.id}",
        published=story.last_seen, created=story.first_seen, modified=story.last_seen, posts=list(story.posts),
        description=(f"{len(story.posts)} post(s) from {len(channels)} channel(s) ({', '.join(channels)}) "
                     f"between {iso(story.first_seen)} and {iso(story.last_seen)}, grouped by Watchfloor as "
                     "reports of one event."),
        labels=["watchfloor-story"])


def is_threat_actor(entity: Entity, entities: Mapping[str, Entity]) -> bool:
    """Organisations with a movement or a designation are threat actors, and so are people who hold a role
    in one; governments, courts, armies and UN bodies are identities."""
    if entity.type == "organization":
        return bool(entity.attrs.get("movement") or entity.attrs.get("designations"))
    if entity.type == "person":
        if entity.attrs.get("designations"):
            return True
        for role in entity.attrs.get("roles") or []:
            org = entities.get(str(role.get("org"))) if isinstance(role, dict) else None
            if org is not None and is_threat_actor(org, entities):
                return True
    return False


def affiliated_orgs(sources: Iterable[Source], gazetteer: Gazetteer) -> dict[str, list[str]]:
    """For each source key, the knowledge-base organisations its affiliation text names."""
    found: dict[str, list[str]] = {}
    for source in sources:
        if source.affiliation:
            types = gazetteer.types()
            ids = [m.entity_id for m in gazetteer.find(source.affiliation)]
            found[source.key] = list(dict.fromkeys(i for i in ids if types.get(i) == "organization"))
    return found


def _external(entity: Entity) -> list[dict[str, Any]]:
    refs: list[dict[str, Any]] = [{"source_name": "watchfloor-kb", "external_id": entity.id}]
    wikidata = entity.attrs.get("wikidata")
    if isinstance(wikidata, str) and wikidata:
        refs.append({"source_name": "wikidata", "external_id": wikidata,
                     "url": f"https://www.wikidata.org/wiki/{wikidata}"})
    return refs


def _aliases(entity: Entity) -> list[str]:
    return list(dict.fromkeys(a.text for a in entity.aliases if a.text != entity.name))


class _Builder:
    """Collects the objects of one bundle, each once, in a stable order."""

    def __init__(self, marking_id: str, creator_id: str, as_of: str) -> None:
        self.objects: dict[str, dict[str, Any]] = {}
        self.marking_id = marking_id
        self.creator_id = creator_id
        self.as_of = as_of

    def add(self, obj: dict[str, Any], *, created: str | None = None, modified: str | None = None,
            marking: str | None = None, creator: bool = True) -> str:
        if obj["id"] in self.objects:
            return str(obj["id"])
        base: dict[str, Any] = {"type": obj["id"].split("--")[0], "spec_version": "2.1", "id": obj["id"],
                                "created": created or EPOCH, "modified": modified or created or EPOCH}
        if creator:
            base["created_by_ref"] = self.creator_id
        base.update({k: v for k, v in obj.items() if v is not None and v != [] and k != "id"})
        base["object_marking_refs"] = [marking or self.marking_id]
        self.objects[obj["id"]] = base
        return str(obj["id"])


def _extension_definitions(clear_id: str) -> list[dict[str, Any]]:
    """The two new-SDO extension definitions, identical in every bundle (public schema: TLP:CLEAR)."""
    common = {"type": "extension-definition", "spec_version": "2.1", "created_by_ref": WATCHFLOOR_IDENTITY_ID,
              "created": SCHEMA_DATE, "modified": SCHEMA_DATE, "version": "1.0", "extension_types": ["new-sdo"],
              "object_marking_refs": [clear_id]}
    return [
        {**common, "id": POST_EXTENSION_ID, "name": "Watchfloor post",
         "description": "A message published by a monitored channel, as Watchfloor collected it: original text, "
                        "language, public URL and the SHA-256 of the message as read.",
         "schema": f"{SCHEMA_URL}#x-watchfloor-post"},
        {**common, "id": CHANNEL_EXTENSION_ID, "name": "Watchfloor channel",
         "description": "A channel or site Watchfloor monitors, with the affiliation an analyst recorded.",
         "schema": f"{SCHEMA_URL}#x-watchfloor-channel"},
    ]


def build_bundle(subject: Subject, entities: Mapping[str, Entity], hashes: Mapping[int, str],
                 affiliations: Mapping[str, Sequence[str]], tlp: str = "amber",
                 organisation: str = "Watchfloor user") -> dict[str, Any]:
    """A STIX 2.1 bundle (a plain dict) of a subject's posts, channels, the actors and places they name, and
    the translations; every object but the marking definitions carries the TLP marking (the schema objects,
    public by nature, TLP:CLEAR)."""
    marking = marking_definition(tlp)
    clear = marking_definition("clear")
    as_of = _ts(subject.modified)
    org_id = stix_id("identity", f"organisation:{organisation}")
    b = _Builder(marking["id"], org_id, as_of)
    b.add({"id": WATCHFLOOR_IDENTITY_ID, "name": "Watchfloor", "identity_class": "system",
           "description": "The open-source threat-media monitor that defines the x-watchfloor-* objects."},
          created=SCHEMA_DATE, marking=clear["id"], creator=False)
    b.add({"id": org_id, "name": organisation, "identity_class": "organization"}, creator=False)

    def entity_object(entity: Entity) -> str:
        """The STIX object of a knowledge-base entry: threat-actor, location or identity."""
        if entity.type == "place":
            region = entity.attrs.get("region") or _REGIONS.get(entity.id)
            country = entity.attrs.get("country")
            if not country and not region:
                region = "unknown"
            return b.add({"id": stix_id("location", entity.id), "name": entity.name,
                          "description": entity.description, "country": country, "region": region,
                          "external_references": _external(entity)}, modified=as_of)
        if is_threat_actor(entity, entities):
            return b.add({"id": stix_id("threat-actor", entity.id), "name": entity.name,
                          "description": entity.description, "aliases": _aliases(entity),
                          "labels": [entity.type], "external_references": _external(entity)}, modified=as_of)
        identity_class = {"person": "individual", "outlet": "organization"}.get(entity.type, "organization")
        return b.add({"id": stix_id("identity", entity.id), "name": entity.name, "description": entity.description,
                      "identity_class": identity_class, "external_references": _external(entity)},
                     modified=as_of)

    def relationship(kind: str, source_ref: str, target_ref: str, description: str | None = None) -> None:
        b.add({"id": stix_id("relationship", f"{source_ref}|{kind}|{target_ref}"), "relationship_type": kind,
               "source_ref": source_ref, "target_ref": target_ref, "description": description}, modified=as_of)

    # knowledge-base entries the posts name, and the organisations the channels are affiliated with
    named = dict.fromkeys(m.entity_id for p in subject.posts for m in p.mentions)
    named.update(dict.fromkeys(i for p in subject.posts for i in affiliations.get(p.source.key, [])))
    refs: dict[str, str] = {}
    for entity_id in named:
        entity = entities.get(entity_id)
        if entity is not None and entity.status == "kb":  # unreviewed candidates stay out of shared intelligence
            refs[entity_id] = entity_object(entity)
    for entity_id, ref in refs.items():  # roles and parents between the actors in the bundle
        entity = entities[entity_id]
        for role in entity.attrs.get("roles") or []:
            if isinstance(role, dict) and role.get("org") in refs:
                title = role.get("title") or "member"
                relationship("related-to", ref, refs[role["org"]],
                             f"{title} of {entities[role['org']].name}" + (f" (from {role['from']})"
                                                                          if role.get("from") else ""))
        parent = entity.attrs.get("parent")
        if isinstance(parent, str) and parent in refs:
            relationship("related-to", ref, refs[parent], f"part of {entities[parent].name}")

    channels: dict[str, str] = {}
    for post in subject.posts:
        source = post.source
        if source.key not in channels:
            operator = b.add({"id": stix_id("identity", f"operator:{source.key}"),
                              "name": f"Operator of {source.name or source.key}", "identity_class": "unknown",
                              "description": f"Whoever runs the channel {source.name or source.key}"
                                             + (f"; affiliation recorded by an analyst: {source.affiliation}"
                                                if source.affiliation else "") + "."}, modified=as_of)
            for org_id_kb in affiliations.get(source.key, []):
                if org_id_kb in refs:
                    relationship("attributed-to", operator, refs[org_id_kb],
                                 f"Channel affiliation recorded by an analyst: {source.affiliation}")
            url = f"https://t.me/{source.handle}" if source.platform == "telegram" and source.handle else None
            channels[source.key] = b.add({
                "id": stix_id("x-watchfloor-channel", source.key), "name": source.name or source.key,
                "source_key": source.key, "platform": source.platform, "handle": source.handle,
                "channel_id": source.channel_id, "url": url, "affiliation": source.affiliation,
                "lang": source.lang, "operator_ref": operator,
                "extensions": {CHANNEL_EXTENSION_ID: {"extension_type": "new-sdo"}}}, modified=as_of)
        post_ref = b.add({
            "id": stix_id("x-watchfloor-post", f"{source.key}/{post.message_id}"),
            "name": f"{source.name or source.key} #{post.message_id}", "channel_ref": channels[source.key],
            "message_id": post.message_id, "posted_at": _ts(post.posted_at),
            "edited_at": _ts(post.edited_at) if post.edited_at else None, "url": post.url,
            "content_hash": {"SHA-256": hashes[post.id]} if post.id in hashes else None,
            "lang": post.lang, "text": post.text, "forwarded_from": post.forwarded_from,
            "mention_refs": list(dict.fromkeys(refs[m.entity_id] for m in post.mentions if m.entity_id in refs)),
            "extensions": {POST_EXTENSION_ID: {"extension_type": "new-sdo"}}},
            created=_ts(post.posted_at), modified=_ts(post.edited_at or post.posted_at))
        if post.lang != "en" and post.english():  # a real translation (not the none back-end's glosses)
            backend = str((post.translation or {}).get("backend") or "unknown")
            model = (post.translation or {}).get("model")
            b.add({"id": stix_id("note", f"translation:{source.key}/{post.message_id}"),
                   "abstract": f"English translation ({backend}" + (f", {model}" if model else "") + ")",
                   "content": post.text_en, "authors": [f"watchfloor translation back-end: {backend}"],
                   "labels": ["translation", f"backend:{backend}"], "object_refs": [post_ref]},
                  created=_ts(post.posted_at), modified=as_of)

    report_refs = [i for i in b.objects if i not in (WATCHFLOOR_IDENTITY_ID,)]
    report_id = stix_id("report", subject.key)
    b.add({"id": report_id, "name": subject.name, "description": subject.description,
           "report_types": subject.report_types, "published": _ts(subject.published), "labels": subject.labels,
           "object_refs": report_refs}, created=_ts(subject.created), modified=as_of)
    objects = [clear, marking] if marking["id"] != clear["id"] else [marking]
    objects += _extension_definitions(clear["id"])
    objects += list(b.objects.values())
    return {"type": "bundle", "id": stix_id("bundle", f"{subject.key}@{as_of}/{marking['id']}/{organisation}"),
            "objects": objects}


def story_bundle(conn: Connection, story_id: int, tlp: str = "amber",
                 organisation: str = "Watchfloor user") -> dict[str, Any]:
    """The STIX 2.1 bundle of a stored story."""
    marking_definition(tlp)  # a bad level fails before any query
    story = story_store.get_story(conn, story_id)
    mentioned = {m.entity_id for p in story.posts for m in p.mentions}
    gazetteer = Gazetteer([e for e in kb_store.load_kb(conn) if e.type == "organization"])
    sources = {p.source.key: p.source for p in story.posts}
    affiliations = affiliated_orgs(sources.values(), gazetteer)
    wanted = mentioned | {i for ids in affiliations.values() for i in ids}
    entities = kb_store.entities_with_related(conn, wanted)
    hashes = export_store.content_hashes(conn, [p.id for p in story.posts])
    return build_bundle(story_subject(story), entities, hashes, affiliations, tlp, organisation)


def export_stix(conn: Connection, subject: str, out: TextIO, **options: Any) -> int:
    """Exporter `stix`: the STIX 2.1 bundle of ``story:ID`` (options: tlp, organisation); returns the
    number of objects written."""
    kind, _, ident = subject.partition(":")
    if kind != "story" or not is_id(ident):
        raise InvalidInput(f"the stix exporter takes story:ID (got {subject!r})")
    bundle = story_bundle(conn, int(ident), str(options.get("tlp", "amber")),
                          str(options.get("organisation") or "Watchfloor user"))
    out.write(json.dumps(bundle, ensure_ascii=False, indent=2) + "\n")
    return len(bundle["objects"])
