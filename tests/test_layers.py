"""The shape of the code, checked over `ast` (no import runs): imports flow down the layers that
docs/architecture.md draws, only `store/` speaks SQL, and no module grows past 400 lines."""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "watchfloor"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
MAX_LINES = 400

# What may still import SQLAlchemy or the tables outside store/ while it is being moved (empty: everything has
# moved; a module added here must leave again, the stale-entry test below says when).
NOT_YET_MOVED: set[str] = set()
# The database's own libraries and its schema: imported only inside store/
DATABASE_MODULES = ("sqlalchemy", "alembic", "psycopg", "sqlite3", "watchfloor.store.tables",
                    "watchfloor.store.tables_web", "watchfloor.store.schema")
# Not Watchfloor's database: the read-only name index that the arabic-name-romanizer wheel ships (kb reads it)
READS_A_PACKAGED_INDEX = {"watchfloor.kb.name_index": ("sqlite3",)}


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC.parent).with_suffix("")
        parts = rel.parts[:-1] if rel.parts[-1] == "__init__" else rel.parts
        yield ".".join(parts), path


def _imports(path: Path) -> Iterator[tuple[str, int]]:
    """Every absolute module a file imports (inside functions too), with its line; `from watchfloor import x`
    names the module watchfloor.x."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno
            if node.module == "watchfloor":
                yield from (("watchfloor." + alias.name, node.lineno) for alias in node.names)


def _layers() -> tuple[list[list[str]], list[tuple[str, str]], dict[str, list[str]]]:
    """The ```layers block of docs/architecture.md: layers top to bottom (`|` between independent siblings),
    `never: A -> B` lines, and `unit = pattern, pattern` lines that say which modules a unit holds."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    found = re.search(r"```layers\n(.*?)```", text, re.S)
    assert found, "docs/architecture.md has no ```layers block"
    layers: list[list[str]] = []
    never: list[tuple[str, str]] = []
    members: dict[str, list[str]] = {}
    for line in found.group(1).splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("never:"):
            low, _, high = line[len("never:"):].partition("->")
            never += [(a.strip(), b.strip()) for a in low.split(",") for b in high.split(",")]
        elif "=" in line:
            unit, _, patterns = line.partition("=")
            members[unit.strip()] = [p.strip() for p in patterns.split(",")]
        else:
            layers.append([unit.strip() for unit in line.split("|")])
    return layers, never, members


def _unit(module: str, members: dict[str, list[str]]) -> str | None:
    """The unit of the layers a watchfloor module belongs to (its top-level name, unless the block groups it)."""
    top = module.split(".")[1] if module.count(".") else None
    if top is None:
        return None
    for unit, patterns in members.items():
        if any(fnmatch.fnmatchcase(top, p) for p in patterns):
            return unit
    return top


def test_every_module_has_a_layer() -> None:
    layers, _, members = _layers()
    placed = {unit for layer in layers for unit in layer}
    missing = sorted({u for m, _ in _modules() if (u := _unit(m, members)) and u not in placed})
    assert missing == [], f"add {missing} to the ```layers block of docs/architecture.md"


def _edges() -> Iterator[tuple[str, str, str, int]]:
    _, _, members = _layers()
    for module, path in _modules():
        if ".store.migrations" in module:
            continue
        for target, line in _imports(path):
            if target.startswith("watchfloor."):
                a, b = _unit(module, members), _unit(target, members)
                if a and b and a != b:
                    yield a, b, f"{path.relative_to(ROOT)}:{line} imports {target}", line


def test_imports_flow_down_the_layers() -> None:
    layers, never, _ = _layers()
    rank = {unit: (n, i) for n, layer in enumerate(layers) for i, unit in enumerate(layer)}
    wrong = []
    for a, b, where, _ in _edges():
        if a not in rank or b not in rank:
            continue  # test_every_module_has_a_layer names it
        if rank[b][0] < rank[a][0]:
            wrong.append(f"{where}: {b} is above {a}")
        elif rank[b][0] == rank[a][0]:
            wrong.append(f"{where}: {a} and {b} are siblings, which never import each other")
        if (a, b) in never:
            wrong.append(f"{where}: {a} never imports {b}")
    assert wrong == []


def _allowed(module: str) -> bool:
    return any(fnmatch.fnmatchcase(module, pattern) for pattern in NOT_YET_MOVED)


def test_only_the_store_speaks_sql() -> None:
    wrong = []
    for module, path in _modules():
        if module == "watchfloor.store" or module.startswith("watchfloor.store.") or _allowed(module):
            continue
        for target, line in _imports(path):
            if any(target == d or target.startswith(d + ".") for d in DATABASE_MODULES) \
                    and target not in READS_A_PACKAGED_INDEX.get(module, ()):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert wrong == [], "queries belong in a store/ module; outside it, take Engine and Connection from store.base"


def test_the_allow_list_holds_only_modules_that_still_need_it() -> None:
    """An entry that no longer imports the database is stale: delete it, so the list only shrinks."""
    for pattern in NOT_YET_MOVED:
        matched = [(m, p) for m, p in _modules() if fnmatch.fnmatchcase(m, pattern)]
        still = [m for m, p in matched if any(any(t == d or t.startswith(d + ".") for d in DATABASE_MODULES)
                                              for t, _ in _imports(p))]
        assert still or not matched, f"{pattern} no longer imports the database: remove it from NOT_YET_MOVED"


@pytest.mark.parametrize(("module", "path"), list(_modules()), ids=lambda v: v if isinstance(v, str) else "")
def test_no_module_is_over_400_lines(module: str, path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it by concern"


def test_the_checks_see_the_imports_they_police(tmp_path: Path) -> None:
    """The parser finds imports at module level, inside functions, and of the `from watchfloor import x` form."""
    sample = tmp_path / "sample.py"
    sample.write_text("import sqlalchemy as sa\n\ndef f():\n    from watchfloor.store.tables import posts\n"
                      "    from watchfloor import runner\n", encoding="utf-8")
    found = {m for m, _ in _imports(sample)}
    assert {"sqlalchemy", "watchfloor.store.tables", "watchfloor.runner"} <= found
