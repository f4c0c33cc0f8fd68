"""kb.merge.merge_entries: the alias merge of `watchfloor kb import`, a pure function over entries."""

from __future__ import annotations

import copy

import pytest

from watchfloor.kb.merge import merge_entries
from watchfloor.models import Alias, Entity


def _entity(id: str, type: str, *aliases: str, **attrs: object) -> Entity:
    return Entity(id=id, type=type, name=aliases[0], aliases=[Alias(a) for a in aliases], attrs=dict(attrs))


EXISTING = [
    _entity("org:hezbollah", "organization", "Hezbollah", "حزب الله", sources=["https://example.org/a"]),
    _entity("person:naim-qassem", "person", "Naim Qassem", "نعيم قاسم"),
    _entity("place:tehran", "place", "Tehran", "طهران"),
    _entity("org:one", "organization", "Shared Name Front"),
    _entity("org:two", "organization", "Shared Name Front", "Second Front"),
]


@pytest.mark.parametrize(("entry", "merge", "expected", "written_id"), [
    # an id that exists replaces the entry
    (_entity("org:hezbollah", "organization", "Hezbollah"), True, {"added": 0, "replaced": 1, "merged": 0},
     "org:hezbollah"),
    # one alias shared with exactly one entry of the type, in any spelling the normaliser folds, merges
    (_entity("org:hizbullah", "organization", "Hizbullah"), True, {"added": 0, "replaced": 0, "merged": 1},
     "org:hezbollah"),
    (_entity("org:hizb", "organization", "حزب اللّه"), True, {"added": 0, "replaced": 0, "merged": 1}, "org:hezbollah"),
    (_entity("person:qasem", "person", "Naim Qasem", "نعيم قاسم"), True, {"added": 0, "replaced": 0, "merged": 1},
     "person:naim-qassem"),
    # the same alias on an entry of another type is a different thing
    (_entity("org:tehran-times", "organization", "Tehran"), True, {"added": 1, "replaced": 0, "merged": 0},
     "org:tehran-times"),
    # an alias two entries share is not enough to choose one
    (_entity("org:front", "organization", "Shared Name Front"), True, {"added": 1, "replaced": 0, "merged": 0},
     "org:front"),
    # nothing in common, or merging switched off
    (_entity("org:new", "organization", "New Committee"), True, {"added": 1, "replaced": 0, "merged": 0}, "org:new"),
    (_entity("org:hizbullah", "organization", "Hizbullah"), False, {"added": 1, "replaced": 0, "merged": 0},
     "org:hizbullah"),
])
def test_each_entry_is_added_replaced_or_merged(entry: Entity, merge: bool, expected: dict[str, int],
                                                written_id: str) -> None:
    before = copy.deepcopy(EXISTING)
    writes, counts = merge_entries(EXISTING, [entry], merge)
    assert counts == expected
    assert [w.id for w in writes] == [written_id]
    assert before == EXISTING  # a pure function: the loaded entries are not changed


def test_a_merge_brings_new_aliases_and_sources_once() -> None:
    entry = _entity("org:hizbullah", "organization", "Hizbullah", "Hezbollah",
                    sources=["https://example.org/a", "https://example.org/b"], designations=["listed"])
    (target,), _ = merge_entries(EXISTING, [entry])
    assert [a.text for a in target.aliases] == ["Hezbollah", "حزب الله", "Hizbullah"]
    assert target.attrs["sources"] == ["https://example.org/a", "https://example.org/b"]
    assert target.attrs["designations"] == ["listed"]


def test_two_imported_entries_merging_into_one_entry_both_land_on_it() -> None:
    writes, counts = merge_entries(EXISTING, [_entity("org:a", "organization", "Hizbullah"),
                                              _entity("org:b", "organization", "Hizballah", "Hezbollah")])
    assert counts == {"added": 0, "replaced": 0, "merged": 2}
    assert [w.id for w in writes] == ["org:hezbollah"]
    assert {a.text for a in writes[0].aliases} >= {"Hizbullah", "Hizballah"}
