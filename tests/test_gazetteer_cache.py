"""The gazetteer's index kept between runs: read only for exactly the entries it was built from, rebuilt
from anything else (an edited entry, a damaged or hostile file), and answering as a freshly built one."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from watchfloor.kb import gazetteer_cache
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.gazetteer_cache import cached_gazetteer, fingerprint
from watchfloor.kb.loader import load_entities
from watchfloor.models import Alias, Entity

NAMES = ["Qaani", "قاآني", "Hezbollah", "حزب الله", "Kataib Hezbollah", "Harakat Hamas", "UN", "Tehran",
         "Beirut", "Nasrallah", "Houthis", "أنصار الله", "Esmail Ghaani", "IRGC", "سپاه"]
TEXT = ("قال المتحدث باسم حزب الله إن الاجتماع في بيروت حضره قائد فيلق القدس إسماعيل قاآني، "
        "and the IRGC and Hamas sent delegations to Tehran.")


@pytest.fixture(scope="module")
def entities() -> list[Entity]:
    return load_entities()


def _answers(gazetteer: Gazetteer) -> Any:
    resolved = {name: [(e.id, score) for e, score in gazetteer.resolve(name, TEXT)] for name in NAMES}
    return resolved, [(m.entity_id, m.start, m.end, m.score) for m in gazetteer.find(TEXT)]


def test_a_kept_index_answers_as_a_built_one(entities: list[Entity], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    built = Gazetteer(entities)
    first = cached_gazetteer(entities, tmp_path)
    files = list(tmp_path.glob("gazetteer-*.json"))
    assert len(files) == 1
    builds: list[int] = []
    original = Gazetteer._build
    monkeypatch.setattr(Gazetteer, "_build", lambda self, found: (builds.append(1), original(self, found)))
    second = cached_gazetteer(entities, tmp_path)
    assert builds == []  # read, not built
    assert _answers(second) == _answers(first) == _answers(built)
    assert any(_answers(built)[0].values())  # the names resolve at all
    assert second.index_data() == built.index_data()


def _with_alias(entities: list[Entity], ident: str, text: str) -> list[Entity]:
    return [replace(e, aliases=[*e.aliases, Alias(text, "en")]) if e.id == ident else e for e in entities]


def test_an_edited_entry_is_a_new_index(entities: list[Entity], tmp_path: Path) -> None:
    target = next(e for e in entities if e.type == "person")
    cached_gazetteer(entities, tmp_path)
    edited = _with_alias(entities, target.id, "Zorvandel Quistarbek")
    assert fingerprint(edited) != fingerprint(entities)
    again = cached_gazetteer(edited, tmp_path)
    assert [e.id for e, _ in again.resolve("Zorvandel Quistarbek")][:1] == [target.id]
    assert len(list(tmp_path.glob("gazetteer-*.json"))) == 1  # the stale index is removed
    assert cached_gazetteer(entities, tmp_path).resolve("Zorvandel Quistarbek") == []


def test_related_entries_are_part_of_the_fingerprint(entities: list[Entity]) -> None:
    person = next(e for e in entities if e.type == "person" and not e.related_ids())
    org = next(e for e in entities if e.type == "organization")
    moved = [replace(e, attrs={**e.attrs, "parent": org.id}) if e.id == person.id else e for e in entities]
    assert fingerprint(moved) != fingerprint(entities)
    assert org.id in Gazetteer(moved).related[person.id]


@pytest.mark.parametrize("content", [
    "",  # truncated
    "{not json",
    "[]",  # JSON of another shape
    json.dumps({"index": [[["a"], "not a list"]], "related": {}, "written": [], "acronyms": [], "words": [],
                "cores": []}),
    json.dumps({"index": [[[1, 2], ["x"]]], "related": {}, "written": [], "acronyms": [], "words": [], "cores": []}),
    json.dumps({"index": []}),  # keys missing
    '{"__class__": "os.system", "args": ["echo pwned"]}',
    "\x00\xff\xfe garbage",
])
def test_a_damaged_or_hostile_file_is_rebuilt(entities: list[Entity], tmp_path: Path, content: str) -> None:
    good = _answers(Gazetteer(entities))
    path = tmp_path / f"gazetteer-{fingerprint(entities)[:40]}.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape") if content.isprintable() or not content
                     else content.encode("latin-1"))
    assert _answers(cached_gazetteer(entities, tmp_path)) == good
    assert json.loads(path.read_text(encoding="utf-8"))["index"]  # rewritten whole


def test_a_folder_that_cannot_be_written_only_costs_time(entities: list[Entity], tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    assert _answers(cached_gazetteer(entities, blocked)) == _answers(Gazetteer(entities))


def test_the_code_is_part_of_the_fingerprint(entities: list[Entity], monkeypatch: pytest.MonkeyPatch) -> None:
    before = fingerprint(entities)
    monkeypatch.setattr(gazetteer_cache, "_code", lambda: b"other normalising rules")
    assert fingerprint(entities) != before


def test_kb_resolve_keeps_its_index_in_the_data_folder(cli: Any, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHFLOOR_DATA_DIR", str(tmp_path / "data"))
    cli("init")
    first = cli.json("kb", "resolve", "Qaani")
    assert first and first[0]["id"].startswith("person:")
    assert len(list((tmp_path / "data" / "cache").glob("gazetteer-*.json"))) == 1
    assert cli.json("kb", "resolve", "Qaani") == first
    cli("kb", "add", "--id", "person:zorvandel-quistarbek", "--type", "person", "--name", "Zorvandel Quistarbek",
        "--alias", "ar:زورفاندل")
    assert cli.json("kb", "resolve", "Zorvandel Quistarbek")[0]["name"] == "Zorvandel Quistarbek"
