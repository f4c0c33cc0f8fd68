"""The `watchfloor kb` commands on a real database: resolve, search, add, edit, merge, import, export,
and the review queue of candidate names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Cli, message, write_export
from watchfloor import runner
from watchfloor.errors import InvalidInput
from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.un_sanctions import parse_un_sanctions
from watchfloor.store import kb as kb_store

DATA = Path(__file__).parent / "data" / "kb"
T0 = 1716458400


def test_resolve_ranks_entries_across_scripts_and_context(cli: Cli) -> None:
    cli("init")
    for name, expected in [("Hizballah", "org:hezbollah"), ("قاآنی", "person:esmail-qaani"),
                           ("Esmaeel Qaani", "person:esmail-qaani"), ("Nasrulla", "person:hassan-nasrallah")]:
        ranked = cli.json("kb", "resolve", name)
        assert ranked[0]["id"] == expected, (name, ranked[:2])
        assert set(ranked[0]) == {"id", "name", "type", "aliases", "score"} and 0 < ranked[0]["score"] <= 1.1
    # two people share "Ismail": the spelling decides, and the score says how sure
    ranked = cli.json("kb", "resolve", "Ismail Haniya")
    assert ranked[0]["id"] == "person:ismail-haniyeh" and ranked[0]["score"] == 1.0
    assert cli.json("kb", "resolve", "Completely Unknown Person") == []


def test_context_decides_between_entries_sharing_a_name(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    entries = [
        {"id": "person:test-abu-ali-a", "type": "person", "name": "Abu Ali (Hezbollah)",
         "aliases": {"en": ["Abu Ali al-Test"]}, "roles": [{"org": "org:hezbollah", "title": "Commander"}]},
        {"id": "person:test-abu-ali-b", "type": "person", "name": "Abu Ali (Houthis)",
         "aliases": {"en": ["Abu Ali al-Test"]}, "roles": [{"org": "org:ansar-allah", "title": "Commander"}]},
    ]
    path = tmp_path / "two.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    assert cli.json("kb", "import", str(path), "--no-merge")["added"] == 2
    houthi = cli.json("kb", "resolve", "Abu Ali al-Test", "--context", "a statement by Ansar Allah in Sanaa")
    assert houthi[0]["id"] == "person:test-abu-ali-b" and houthi[0]["score"] > houthi[1]["score"]
    lebanon = cli.json("kb", "resolve", "Abu Ali al-Test", "--context", "حزب الله في بيروت")
    assert lebanon[0]["id"] == "person:test-abu-ali-a"


def test_add_edit_search_merge_and_export_round_trip(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    cli("kb", "add", "--id", "org:test-front", "--type", "organization", "--name", "Test Front",
        "--alias", "ar:جبهة الاختبار", "--alias", "en:TF")
    assert cli("kb", "add", "--id", "org:test-front", "--type", "organization", "--name", "X", ok=False).exit_code == 1
    assert cli("kb", "add", "--id", "org:x-y", "--type", "organization", "--name", "X", "--alias", "bad",
               ok=False).exit_code == 1
    edited = cli.json("kb", "edit", "org:test-front", "--add-alias", "fa:جبهه آزمایش", "--remove-alias", "TF",
                      "--description", "A test entry.")
    assert {a["text"] for a in edited["aliases"]} == {"Test Front", "جبهة الاختبار", "جبهه آزمایش"}
    assert [e["id"] for e in cli.json("kb", "search", "الاختبار")] == ["org:test-front"]
    cli("kb", "add", "--id", "org:test-front-2", "--type", "organization", "--name", "Test Front Two")
    merged = cli.json("kb", "merge", "org:test-front-2", "org:test-front")
    assert "Test Front Two" in {a["text"] for a in merged["aliases"]}
    assert cli("kb", "show", "org:test-front-2", ok=False).exit_code == 1
    exported = tmp_path / "kb.jsonl"
    cli("kb", "export", str(exported))
    lines = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert len(lines) > 90 and any(line["id"] == "org:test-front" for line in lines)
    # the export reads back as the same entries
    other = Cli(cli.db_url.replace("watchfloor.sqlite3", "other.sqlite3")) if "sqlite" in cli.db_url else None
    if other is not None:
        other("init")
        assert other.json("kb", "import", str(exported))["replaced"] == len(lines) - 1
        assert other.json("kb", "show", "org:test-front")["description"] == "A test entry."


def test_un_sanctions_list_import_merges_into_known_entries(db_url: str, tmp_path: Path) -> None:
    curated = tmp_path / "curated.yaml"
    curated.write_text("- id: org:hts\n  type: organization\n  name: Hayat Tahrir al-Sham\n"
                       "  aliases: {ar: [هيئة تحرير الشام]}\n", encoding="utf-8")
    engine = runner.open_store(db_url, migrate=True)
    runner.init_store(engine, [curated])  # a knowledge base of one entry, so the counts are exact
    parsed = parse_un_sanctions((DATA / "un_list_sample.xml").read_bytes())
    assert [e.id for e in parsed] == ["person:un-qdi-299", "person:un-kpi-033", "org:un-qde-137"]
    assert parsed[0].name == "Ibrahim Awwad Ibrahim Ali al-Badri al-Samarrai"
    assert parsed[1].name == "Ri Won Ho"
    assert {"Abu Bakr al-Baghdadi", "أبو بكر البغدادي", "ابراهيم عواد ابراهيم علي البدري السامرائي"} <= {
        a.text for a in parsed[0].aliases}
    assert parsed[0].attrs["designations"][0] == {"by": "UN Security Council (Al-Qaida list)",
                                                  "date": "2011-10-05", "reference": "QDi.299"}
    al_qaida = parse_un_sanctions((DATA / "un_list_sample.xml").read_bytes(), ("Al-Qaida",))
    assert runner.import_entities(engine, al_qaida) == {"added": 1, "merged": 1, "replaced": 0}
    with engine.connect() as conn:
        hts = kb_store.get_entity(conn, "org:hts")  # the list's "Hay'et Tahrir al-Sham" alias matched it
        assert "Jabhat al-Nusrah" in {a.text for a in hts.aliases}
        assert any("QDe.137" in s for s in hts.attrs["sources"])
        gazetteer = Gazetteer(kb_store.load_kb(conn))
    assert gazetteer.resolve("أبو بكر البغدادي")[0][0].id == "person:un-qdi-299"
    # the next edition of the list updates the same entries
    assert runner.import_entities(engine, al_qaida[:1]) == {"added": 0, "merged": 0, "replaced": 1}
    engine.dispose()


def test_hostile_xml_is_refused() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b"<CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>")
    with pytest.raises(InvalidInput):
        parse_un_sanctions(bomb)
    with pytest.raises(InvalidInput, match="root element"):
        parse_un_sanctions(b"<OTHER/>")


def test_candidate_review_queue(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    write_export(tmp_path / "x", 1900000501, "Sample Wire", [
        message(1, "التقى وزير الخارجية العراقي فؤاد حسين بنظيره في بغداد يوم الثلاثاء.", T0),
        message(2, "وصل فؤاد حسين إلى طهران يوم الأربعاء.", T0 + 86400)])
    cli("import", "telegram-export", str(tmp_path / "x"))
    cli("process")
    queue = cli.json("kb", "candidates")
    assert [(c["id"], c["mentions"]) for c in queue] == [("candidate:person:fouad-hussein", 2)]
    accepted = cli.json("kb", "accept", "candidate:person:fouad-hussein")
    assert accepted["id"] == "person:fouad-hussein" and accepted["status"] == "kb"
    assert cli.json("kb", "candidates") == []
    posts = cli.json("posts", "list", "--entity", "person:fouad-hussein")
    assert len(posts) == 2
    # once accepted, the name is linked from the knowledge base on the next run
    cli("process", "--reprocess")
    assert {e["id"] for e in cli.json("posts", "list")[0]["entities"]} >= {"person:fouad-hussein"}


def test_rejected_candidates_never_come_back(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    write_export(tmp_path / "x", 1900000502, "Sample Wire", [
        message(1, "التقى وزير الخارجية العراقي فؤاد حسين بنظيره في بغداد.", T0)])
    cli("import", "telegram-export", str(tmp_path / "x"))
    cli("process")
    cli("kb", "reject", "candidate:person:fouad-hussein")
    cli("process", "--reprocess")
    assert cli.json("kb", "candidates") == []
    assert "candidate:person:fouad-hussein" not in {e["id"] for e in cli.json("posts", "list")[0]["entities"]}
    assert cli.json("kb", "list", "--status", "rejected")[0]["id"] == "candidate:person:fouad-hussein"
