"""Folding imported knowledge-base entries into the existing ones, without touching the store: the runner
loads the entries, calls ``merge_entries`` and writes what it returns."""

from __future__ import annotations

import copy
from collections.abc import Sequence

from watchfloor.kb.gazetteer import Gazetteer
from watchfloor.kb.normalize import tokenize
from watchfloor.models import Entity

__all__ = ["merge_entries"]


def merge_entries(existing: Sequence[Entity], found: Sequence[Entity],
                  merge_matching: bool = True) -> tuple[list[Entity], dict[str, int]]:
    """The entries to write, and counts of added, replaced and merged. An entry whose id exists replaces it;
    with ``merge_matching``, one that shares an alias with exactly one existing entry of its type is folded
    into that entry (its aliases, designations and sources join it) instead of becoming a duplicate. Neither
    input is changed."""
    counts = {"added": 0, "replaced": 0, "merged": 0}
    gazetteer = Gazetteer(existing)
    by_id = {e.id: e for e in existing}
    writes: dict[str, Entity] = {}
    for entry in found:
        if entry.id in by_id:
            writes[entry.id] = entry
            counts["replaced"] += 1
            continue
        matches: set[str] = set()
        if merge_matching:
            for alias in entry.aliases:
                key = tuple(t.norm for t in tokenize(alias.text) if t.norm)
                matches |= {i for i in gazetteer.index.get(key, []) if by_id[i].type == entry.type}
        if len(matches) == 1:
            match = next(iter(matches))
            target = writes.get(match) or copy.deepcopy(by_id[match])
            have = {a.text for a in target.aliases}
            target.aliases += [a for a in entry.aliases if a.text not in have]
            for field_name in ("sources", "designations"):
                merged = list(target.attrs.get(field_name) or []) + list(entry.attrs.get(field_name) or [])
                target.attrs[field_name] = [x for i, x in enumerate(merged) if x not in merged[:i]]
            writes[target.id] = target
            counts["merged"] += 1
        else:
            writes[entry.id] = entry
            counts["added"] += 1
    return list(writes.values()), counts
