"""The `watchfloor kb` commands: browse, resolve, edit, import and export the knowledge base, and review
the candidate names the pipeline found."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from watchfloor.cli.common import JsonOpt, LimitOpt, State, engine, errors, out, print_json
from watchfloor.errors import InvalidInput

if TYPE_CHECKING:
    from watchfloor.models import Alias, Entity

__all__ = ["kb_app"]

kb_app = typer.Typer(no_args_is_help=True, help="The knowledge base of actors, outlets and places.")
TypeOpt = Annotated[str | None, typer.Option("--type", help="organization, person, place or outlet.")]


def _table(rows: list[tuple[Entity, int | None]]) -> None:
    from rich.table import Table

    table = Table("id", "type", "name", "aliases", "mentions")
    for entity, count in rows:
        others = [a.text for a in entity.aliases if a.text != entity.name]
        table.add_row(entity.id, entity.type, entity.name, ", ".join(others[:4]) + (" …" if len(others) > 4 else ""),
                      "" if count is None else str(count))
    out.print(table)


@kb_app.command("list")
def kb_list(kind: TypeOpt = None,
            status: Annotated[str, typer.Option(help="kb, candidate, rejected or all.")] = "kb",
            limit: LimitOpt = 100, offset: int = 0, json_out: JsonOpt = False) -> None:
    """Entries, most mentioned first."""
    from watchfloor.shapes import entity_json
    from watchfloor.store import kb as kb_store

    with errors(), engine().connect() as conn:
        rows = kb_store.list_entities(conn, kind, None if status == "all" else status, limit, offset)
    if json_out:
        print_json([entity_json(e, n) for e, n in rows])
    else:
        _table([(e, n) for e, n in rows])


@kb_app.command("show")
def kb_show(entity_id: str, json_out: JsonOpt = False) -> None:
    """One entry with every alias and fact."""
    from watchfloor.shapes import entity_json
    from watchfloor.store import kb as kb_store

    with errors(), engine().connect() as conn:
        entity = kb_store.get_entity(conn, entity_id)
    if json_out:
        print_json(entity_json(entity))
        return
    out.print(f"[bold]{entity.name}[/bold] ({entity.type}, {entity.id}, {entity.status})", highlight=False)
    if entity.description:
        out.print(entity.description, markup=False, highlight=False)
    for alias in entity.aliases:
        out.print(f"  {alias.lang or 'und'}: {alias.text}", markup=False, highlight=False)
    for key, value in entity.attrs.items():
        out.print(f"{key}: {json.dumps(value, ensure_ascii=False)}", markup=False, highlight=False)


@kb_app.command("search")
def kb_search(query: str, json_out: JsonOpt = False) -> None:
    """Entries whose name or an alias contains the words (any script, normalised)."""
    from watchfloor.kb.normalize import normalize
    from watchfloor.shapes import entity_json
    from watchfloor.store import kb as kb_store

    with errors(), engine().connect() as conn:
        found = kb_store.search_entities(conn, query, normalize)
    if json_out:
        print_json([entity_json(e) for e in found])
    else:
        _table([(e, None) for e in found])


@kb_app.command("resolve")
def kb_resolve(name: str, context: Annotated[str | None, typer.Option(help="Text around the name.")] = None,
               kind: TypeOpt = None, limit: LimitOpt = 10, json_out: JsonOpt = False) -> None:
    """Ranked entries a name may refer to, in any script or spelling, helped by its context."""
    from watchfloor.kb.gazetteer_cache import cached_gazetteer
    from watchfloor.settings import cache_dir
    from watchfloor.store import kb as kb_store

    with errors(), engine().connect() as conn:
        entities = kb_store.load_kb(conn)
    gazetteer = cached_gazetteer(entities, cache_dir(State.settings))  # the index of the last run, if the same
    ranked = gazetteer.resolve(name, context, limit, kind)
    if json_out:
        print_json([{"id": e.id, "name": e.name, "type": e.type, "aliases": [a.text for a in e.aliases],
                     "score": score} for e, score in ranked])
        return
    if not ranked:
        out.print(f"No entry matches {name!r}; `watchfloor kb add` creates one.", highlight=False)
    for entity, score in ranked:
        out.print(f"{score:.2f}  {entity.id}  {entity.name} ({entity.type})", markup=False, highlight=False)


def _aliases(values: list[str] | None) -> list[Alias]:
    from watchfloor.models import Alias

    found = []
    for value in values or []:
        lang, sep, text = value.partition(":")
        if not sep or not re.fullmatch(r"[a-z]{2,3}", lang) or not text.strip():
            raise InvalidInput(f"alias {value!r} must look like LANG:TEXT, e.g. ar:حزب الله or en:Hizbullah")
        found.append(Alias(text.strip(), lang))
    return found


AliasOpt = Annotated[list[str] | None, typer.Option("--alias", help="LANG:TEXT; repeat for more.")]


@kb_app.command("add")
def kb_add(entity_id: Annotated[str, typer.Option("--id", help="Stable id such as org:kataib-hezbollah.")],
           kind: Annotated[str, typer.Option("--type", help="organization, person, place or outlet.")],
           name: Annotated[str, typer.Option(help="Canonical English name.")],
           alias: AliasOpt = None, description: str | None = None, json_out: JsonOpt = False) -> None:
    """Add an entry."""
    from watchfloor.kb.loader import entity_from_dict
    from watchfloor.kb.normalize import normalize
    from watchfloor.shapes import entity_json
    from watchfloor.store import kb as kb_store

    with errors():
        entry = entity_from_dict({"id": entity_id, "type": kind, "name": name, "description": description,
                                  "sources": ["added by an analyst"]}, "--id")
        entry.aliases += [a for a in _aliases(alias) if a.text != entry.name]
        with engine().begin() as conn:
            if entity_id in kb_store.entities_by_id(conn, [entity_id]):
                raise InvalidInput(f"{entity_id} exists; use `watchfloor kb edit`")
            kb_store.upsert_entities(conn, [entry], normalize)
            stored = kb_store.get_entity(conn, entity_id)
    print_json(entity_json(stored)) if json_out else out.print(f"Added {entity_id}.", highlight=False)


@kb_app.command("edit")
def kb_edit(entity_id: str, name: str | None = None, description: str | None = None,
            add_alias: Annotated[list[str] | None, typer.Option("--add-alias", help="LANG:TEXT; repeat.")] = None,
            remove_alias: Annotated[list[str] | None, typer.Option(help="Alias text to drop.")] = None,
            json_out: JsonOpt = False) -> None:
    """Change an entry's name, description or aliases."""
    from watchfloor.kb.normalize import normalize
    from watchfloor.models import Alias
    from watchfloor.shapes import entity_json
    from watchfloor.store import kb as kb_store

    with errors(), engine().begin() as conn:
        entity = kb_store.get_entity(conn, entity_id)
        if name:
            entity.name = name
            if name not in {a.text for a in entity.aliases}:
                entity.aliases.insert(0, Alias(name, "en"))
        if description is not None:
            entity.description = description
        have = {a.text for a in entity.aliases}
        entity.aliases += [a for a in _aliases(add_alias) if a.text not in have]
        entity.aliases = [a for a in entity.aliases if a.text not in set(remove_alias or []) or a.text == entity.name]
        kb_store.upsert_entities(conn, [entity], normalize)
        stored = kb_store.get_entity(conn, entity_id)
    print_json(entity_json(stored)) if json_out else out.print(f"Saved {entity_id}.", highlight=False)


@kb_app.command("merge")
def kb_merge(source_id: str, into: str, json_out: JsonOpt = False) -> None:
    """Fold one entry (or candidate) into another: aliases and mentions move, the first goes."""
    from watchfloor.kb.normalize import normalize
    from watchfloor.shapes import entity_json
    from watchfloor.store import kb as kb_store

    with errors(), engine().begin() as conn:
        merged = kb_store.merge_entities(conn, source_id, into, normalize)
    print_json(entity_json(merged)) if json_out else out.print(f"Merged {source_id} into {into}.", highlight=False)


@kb_app.command("candidates")
def kb_candidates(limit: LimitOpt = 100, json_out: JsonOpt = False,
                  kind: Annotated[str | None, typer.Option("--type", help="person, organization or place.")] = None,
                  ) -> None:
    """The review queue: names the pipeline found that the knowledge base does not know, those seen in
    most channels first."""
    from watchfloor.shapes import entity_json
    from watchfloor.store.review import review_queue

    with errors(), engine().connect() as conn:
        items = review_queue(conn, kind, limit)
    if json_out:
        print_json([{**entity_json(i.entity, i.mentions), "channels": i.channels} for i in items])
    else:
        _table([(i.entity, i.mentions) for i in items])
        out.print("Review with `watchfloor kb accept ID`, `kb merge ID INTO_ID` or `kb reject ID`.", highlight=False)


@kb_app.command("accept")
def kb_accept(entity_id: str,
              new_id: Annotated[str | None, typer.Option("--id", help="Id for the new entry.")] = None,
              json_out: JsonOpt = False) -> None:
    """Accept a candidate as a new entry (by default person:<slug>)."""
    from watchfloor.kb.normalize import normalize
    from watchfloor.shapes import entity_json
    from watchfloor.store import kb as kb_store
    from watchfloor.store import users as user_store

    with errors(), engine().begin() as conn:
        accepted = kb_store.accept_candidate(conn, entity_id, new_id, normalize)
        user_store.audit(conn, "cli", "kb-accept", entity_id)  # as the web app's review queue does
    print_json(entity_json(accepted)) if json_out else out.print(f"Accepted as {accepted.id}.", highlight=False)


@kb_app.command("reject")
def kb_reject(entity_id: str) -> None:
    """Reject a candidate: its mentions go and it is never suggested again."""
    from watchfloor.store import kb as kb_store
    from watchfloor.store import users as user_store

    with errors(), engine().begin() as conn:
        kb_store.get_entity(conn, entity_id)
        kb_store.set_status(conn, entity_id, "rejected")
        user_store.audit(conn, "cli", "kb-reject", entity_id)
    out.print(f"Rejected {entity_id}.", highlight=False)


@kb_app.command("import")
def kb_import(path: Path,
              fmt: Annotated[str, typer.Option("--format", help="auto, jsonl, yaml or un-sanctions.")] = "auto",
              un_list: Annotated[list[str] | None, typer.Option("--list", help="UN list types to keep "
                                                                 "(Al-Qaida, Taliban, ...).")] = None,
              merge: Annotated[bool, typer.Option(help="Fold entries that share an alias into the match.")] = True,
              json_out: JsonOpt = False) -> None:
    """Import entries from JSON Lines, YAML or the UN Security Council consolidated list (XML)."""
    from watchfloor import runner
    from watchfloor.kb.loader import read_entity_file
    from watchfloor.kb.un_sanctions import parse_un_sanctions

    with errors():
        if not path.is_file():
            raise InvalidInput(f"{path}: no such file")
        kind = fmt if fmt != "auto" else ("un-sanctions" if path.suffix == ".xml" else "file")
        if kind == "un-sanctions":
            found = parse_un_sanctions(path.read_bytes(), tuple(un_list or ()))
        elif kind in ("file", "jsonl", "yaml"):
            found = read_entity_file(path)
        else:
            raise InvalidInput("--format must be auto, jsonl, yaml or un-sanctions")
        counts = runner.import_entities(engine(), found, merge_matching=merge)
    if json_out:
        print_json({"read": len(found), **counts})
    else:
        out.print(f"{len(found)} entries read: {counts['added']} added, {counts['merged']} merged into existing "
                  f"entries, {counts['replaced']} replaced.", highlight=False)


@kb_app.command("export")
def kb_export(path: Annotated[Path | None, typer.Argument(help="File to write (default: standard output).")] = None,
              status: Annotated[str, typer.Option(help="kb, candidate, rejected or all.")] = "kb") -> None:
    """Write entries as JSON Lines, in the data-file format `kb import` reads."""
    from watchfloor.shapes import entity_record
    from watchfloor.store import kb as kb_store

    with errors(), engine().connect() as conn:
        rows = kb_store.list_entities(conn, None, None if status == "all" else status, limit=10_000_000)
    lines = "".join(json.dumps(entity_record(e), ensure_ascii=False) + "\n"
                    for e, _ in sorted(rows, key=lambda r: r[0].id))
    if path is None:
        sys.stdout.write(lines)
    else:
        path.write_text(lines, encoding="utf-8")
        out.print(f"{len(rows)} entries written to {path}.", highlight=False)


