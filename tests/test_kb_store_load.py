"""Loading the knowledge base into a store: the bulk writes of new and known entries, and the parsed files kept."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from watchfloor import runner
from watchfloor.kb.loader import load_entities
from watchfloor.store.tables import aliases, entities

ENTRY = """- id: person:{ident}
  type: person
  name: {name}
  aliases:
    ar: [{arabic}]
  role: {role}
  sources: [wire report, court record]
"""


def stored(engine: Engine) -> dict[str, tuple[Any, ...]]:
    """Every stored entity's columns but its time, with its aliases, by id."""
    with engine.connect() as conn:
        names: dict[str, list[tuple[str, str | None]]] = {}
        for row in conn.execute(sa.select(aliases.c.entity_id, aliases.c.text, aliases.c.lang)):
            names.setdefault(row.entity_id, []).append((row.text, row.lang))
        return {row.id: (row.type, row.name, row.description, row.attrs, row.status, sorted(names.get(row.id, []),
                                                                                              key=str))
                for row in conn.execute(sa.select(entities))}


def test_loading_the_bundled_base_twice_stores_the_same_entries(store: Engine) -> None:
    first = stored(store)
    assert len(first) == len(load_entities()) > 1000  # more than one chunk of ids per query
    assert runner.init_store(store) == len(first)  # every entry now known: the update path
    assert stored(store) == first


def test_a_changed_file_replaces_its_entries_and_adds_new_ones(store: Engine, tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text(ENTRY.format(ident="desk-one", name="Karim Haddad", arabic="كريم حداد", role="spokesman"),
                    encoding="utf-8")
    runner.init_store(store, [path])
    path.write_text(ENTRY.format(ident="desk-one", name="Karim al-Haddad", arabic="كريم الحداد", role="minister")
                    + ENTRY.format(ident="desk-two", name="Samir Nasr", arabic="سمير نصر", role="envoy"),
                    encoding="utf-8")
    assert runner.init_store(store, [path]) == 2
    rows = stored(store)
    assert rows["person:desk-one"][1] == "Karim al-Haddad"
    assert rows["person:desk-one"][3] == {"role": "minister", "sources": ["wire report", "court record"]}
    assert sorted(rows["person:desk-one"][5]) == [("Karim al-Haddad", "en"), ("كريم الحداد", "ar")]
    assert rows["person:desk-two"][1] == "Samir Nasr"


def test_each_load_gets_its_own_entries(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    path.write_text(ENTRY.format(ident="desk-one", name="Karim Haddad", arabic="كريم حداد", role="spokesman"),
                    encoding="utf-8")
    first = load_entities([path])
    first[0].aliases.clear()
    first[0].attrs["role"] = "changed by a caller"
    first[0].attrs["sources"].append("a caller's note")  # a list inside an entry: a shared one would change
    again = load_entities([path])
    assert [a.text for a in again[0].aliases] == ["Karim Haddad", "كريم حداد"]
    assert again[0].attrs == {"role": "spokesman", "sources": ["wire report", "court record"]}


def test_a_file_rewritten_at_once_with_as_many_bytes_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "desk.yaml"
    for name in ("Karim Haddad", "Karim Hadded", "Karim Hoddad"):  # the same size
        path.write_text(ENTRY.format(ident="desk-one", name=name, arabic="كريم حداد", role="spokesman"),
                        encoding="utf-8")
        os.utime(path, ns=(1_700_000_000_000_000_000,) * 2)  # and the same time, as a coarse clock would give
        assert load_entities([path])[0].name == name
