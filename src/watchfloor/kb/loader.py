"""Reading the bundled knowledge base (YAML data files) into Entity records."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from watchfloor.datafiles import YAML_LOADER
from watchfloor.errors import InvalidInput
from watchfloor.models import Alias, Entity

__all__ = ["BUNDLED", "load_entities", "entity_from_dict", "read_entity_file", "ENTITY_TYPES", "STATUSES"]

BUNDLED = Path(__file__).parent / "data"
ENTITY_TYPES = ("organization", "person", "place", "outlet")
_CORE_KEYS = {"id", "type", "name", "aliases", "description", "status"}
STATUSES = ("kb", "candidate", "rejected")


def entity_from_dict(entry: dict[str, Any], origin: str = "<data>") -> Entity:
    """One Entity from a data-file entry; InvalidInput names the entry when it is malformed."""
    ident = entry.get("id")
    if not isinstance(ident, str) or ":" not in ident:
        raise InvalidInput(f"{origin}: entry {ident!r} needs an id like 'org:hezbollah'")
    kind = entry.get("type")
    if kind not in ENTITY_TYPES:
        raise InvalidInput(f"{origin}: {ident}: type must be one of {', '.join(ENTITY_TYPES)}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(f"{origin}: {ident}: a canonical English name is required")
    aliases: list[Alias] = [Alias(name, "en")]
    raw_aliases = entry.get("aliases") or {}
    if not isinstance(raw_aliases, dict):
        raise InvalidInput(f"{origin}: {ident}: aliases must map a language code to a list of names")
    for lang, names in raw_aliases.items():
        for alias in names or []:
            if isinstance(alias, str) and alias.strip() and alias.strip() not in {a.text for a in aliases}:
                aliases.append(Alias(alias.strip(), None if lang == "und" else str(lang)))
    attrs = {k: v for k, v in entry.items() if k not in _CORE_KEYS and v is not None}
    status = entry.get("status", "kb")
    if status not in STATUSES:
        raise InvalidInput(f"{origin}: {ident}: status must be one of {', '.join(STATUSES)}")
    description = entry.get("description")
    return Entity(id=ident, type=kind, name=name.strip(), aliases=aliases,
                  description=description if isinstance(description, str) else None, attrs=attrs, status=status)


_PARSED: dict[str, tuple[bytes, bytes]] = {}  # a file's path -> (a digest of its bytes, its entries pickled)


def _parsed(path: Path) -> Any:
    """A YAML file's entries, parsed once per process while its bytes are unchanged (a long-running process or a
    test run loads the bundled knowledge base many times; reading and hashing the file costs a fraction of parsing
    it); each call gets its own copy, so no caller shares a list."""
    raw = path.read_bytes()
    digest = hashlib.blake2b(raw, digest_size=16).digest()
    key = str(path.resolve())
    kept = _PARSED.get(key)
    if kept is None or kept[0] != digest:
        try:
            entries = yaml.load(raw.decode("utf-8"), Loader=YAML_LOADER) or []
        except yaml.YAMLError as exc:
            raise InvalidInput(f"{path}: not valid YAML: {exc}") from exc
        kept = _PARSED[key] = (digest, pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL))
    return pickle.loads(kept[1])  # noqa: S301 (bytes this process pickled itself)


def load_entities(paths: Iterable[Path] | None = None) -> list[Entity]:
    """Every entity in the given YAML files (default: the bundled knowledge base)."""
    files = sorted(paths) if paths is not None else sorted(BUNDLED.glob("*.yaml"))
    found: dict[str, Entity] = {}
    for path in files:
        entries = _parsed(path)
        if not isinstance(entries, list):
            raise InvalidInput(f"{path}: expected a list of entries")
        for entry in entries:
            if not isinstance(entry, dict):
                raise InvalidInput(f"{path}: every entry must be a mapping")
            entity = entity_from_dict(entry, str(path))
            if entity.id in found:
                raise InvalidInput(f"{path}: duplicate id {entity.id}")
            found[entity.id] = entity
    return list(found.values())


def read_entity_file(path: Path) -> list[Entity]:
    """Entries from a JSON Lines file (one entry per line, as `kb export` writes) or a YAML list."""
    import json

    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        return load_entities([path])
    found: list[Entity] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path}, line {number}: not JSON ({exc.msg})") from exc
        if not isinstance(entry, dict):
            raise InvalidInput(f"{path}, line {number}: expected an object")
        found.append(entity_from_dict(entry, f"{path}, line {number}"))
    return found
