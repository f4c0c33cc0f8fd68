"""Shared fixtures: a real SQLite file per test and, in the same tests, a real PostgreSQL server."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from watchfloor import runner
from watchfloor.cli import app

PG_URL = os.environ.get("WATCHFLOOR_TEST_PG")

try:  # the fuzz tests' budget: enough examples to find a class of fault, few enough to keep the suite quick
    from hypothesis import HealthCheck
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("watchfloor", max_examples=150, deadline=None,
                                         suppress_health_check=[HealthCheck.too_slow])
    hypothesis_settings.register_profile("thorough", max_examples=3000, deadline=None,
                                         suppress_health_check=[HealthCheck.too_slow])
    hypothesis_settings.load_profile(os.environ.get("WATCHFLOOR_HYPOTHESIS_PROFILE", "watchfloor"))
except ImportError:  # hypothesis is in the dev extra; only the fuzz tests need it
    pass
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def no_host_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """Collectors wait between requests to one host; the loopback test servers need no such politeness."""
    monkeypatch.setenv("WATCHFLOOR_COLLECT_HOST_DELAY_SECONDS", "0")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: an SQLite file in tmp_path, or the test PostgreSQL database emptied."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'watchfloor.sqlite3'}"
        return
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI needs PostgreSQL: run the suite through `make test`, which starts it")
        pytest.skip("no PostgreSQL: set WATCHFLOOR_TEST_PG or run `make test`")
    empty_schema(PG_URL)
    yield PG_URL


def empty_schema(url: str) -> None:
    """Drop every table of a PostgreSQL database (its ``public`` schema made anew, its sequences with it)."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture
def store(db_url: str) -> Iterator[Engine]:
    """A migrated database holding the bundled knowledge base."""
    engine = runner.open_store(db_url, migrate=True)
    runner.init_store(engine)
    yield engine
    engine.dispose()


class Cli:
    """The `watchfloor` command run in-process against one database."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True, input: str | None = None) -> Any:
        result = self.runner.invoke(app, ["--db", self.db_url, *args], input=input, catch_exceptions=False)
        if ok and result.exit_code != 0:
            raise AssertionError(f"watchfloor {' '.join(args)} exited {result.exit_code}:\n{result.output}")
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json").stdout)


@pytest.fixture
def cli(db_url: str) -> Cli:
    """Run CLI commands against the test database (call `cli('init')` first)."""
    return Cli(db_url)


def write_export(path: Path, chat_id: int, name: str, messages: list[dict[str, Any]]) -> Path:
    """Write a single-chat Telegram Desktop export and return its path."""
    path.mkdir(parents=True, exist_ok=True)
    target = path / "result.json"
    target.write_text(json.dumps({"name": name, "type": "public_channel", "id": chat_id, "messages": messages},
                                 ensure_ascii=False), encoding="utf-8")
    return target


def message(message_id: int, text: Any, unixtime: int, **extra: Any) -> dict[str, Any]:
    """One export message in tdesktop's shape."""
    entities = [{"type": "plain", "text": text}] if isinstance(text, str) else [
        part if isinstance(part, dict) else {"type": "plain", "text": part} for part in text]
    return {"id": message_id, "type": "message", "date": "2024-05-23T10:00:00", "date_unixtime": str(unixtime),
            "from": "Channel", "from_id": "channel1", "text": text, "text_entities": entities, **extra}


class LiveServer:
    """The web app served by uvicorn on a free loopback port, in a thread, for real HTTP."""

    def __init__(self, engine: Engine, **overrides: str) -> None:
        import socket
        import threading

        import uvicorn

        from watchfloor.settings import load_settings
        from watchfloor.web.app import create_app

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        settings = load_settings({"public_url": self.url, **overrides}, environ={})
        config = uvicorn.Config(create_app(engine, settings), host="127.0.0.1", port=port, log_level="warning",
                                lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        import time
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the web app did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


# The processed sample, once per kind of database and test process: (the fingerprint of the store it was imported
# into, every table's rows after). Importing and processing the sample takes seconds; copying its rows takes a
# tenth of that, and many tests only need the sample there (the engine, CLI and import tests run the real import
# and pipeline themselves).
_SAMPLE: dict[str, tuple[str, dict[str, list[dict[str, Any]]]]] = {}


def _fingerprint(engine: Engine) -> str | None:
    """A digest of the store's knowledge base when it holds nothing else (as the ``store`` fixture leaves it),
    else None."""
    import hashlib

    from watchfloor.store.tables import aliases, entities, metadata

    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table not in (entities, aliases) and conn.execute(sa.select(table).limit(1)).first() is not None:
                return None
        for table in (entities, aliases):
            columns = [c for c in table.columns if not c.name.endswith("_at")]
            for row in conn.execute(sa.select(*columns).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _copy_rows(engine: Engine, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Make every table of the store hold ``rows`` (the full-text index follows the posts through its triggers or
    generated column); on PostgreSQL each id sequence goes on after the highest id copied."""
    from watchfloor.store.tables import metadata

    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
        for table in metadata.sorted_tables:
            if rows[table.name]:
                conn.execute(table.insert(), rows[table.name])
        if engine.dialect.name == "postgresql":
            for table in metadata.sorted_tables:
                for column in table.primary_key.columns:
                    if column.autoincrement is True or (column.autoincrement == "auto" and isinstance(
                            column.type, sa.Integer) and len(table.primary_key.columns) == 1):
                        conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'),"
                                             f" coalesce(max({column.name}), 1), max({column.name}) IS NOT NULL)"
                                             f" FROM {table.name}"))


def people_found(stage: Any, text: str, lang: str) -> set[str]:
    """The people the names stage finds in a text, as written."""
    return {text[s.start:s.end] for s in stage.spans(text, lang) if s.type == "person"}


def import_sample(engine: Engine) -> None:
    """Import and process the bundled sample channels into a migrated store (as `watchfloor demo` does). The first
    call of a test process on each kind of database does it; a later call into a store that holds what that one's
    held before (the same knowledge base and nothing else, as the ``store`` fixture leaves it) gets a copy of the
    rows it ended with."""
    from watchfloor.settings import load_settings
    from watchfloor.store.tables import metadata

    before = _fingerprint(engine)
    kept = _SAMPLE.get(engine.dialect.name)
    if before is not None and kept is not None and kept[0] == before:
        _copy_rows(engine, kept[1])
        return
    runner.import_sample(engine)
    runner.process(engine, load_settings(environ={}))
    if before is not None and kept is None:
        with engine.connect() as conn:
            _SAMPLE[engine.dialect.name] = (before, {t.name: [dict(r._mapping) for r in conn.execute(sa.select(t))]
                                                     for t in metadata.sorted_tables})


class Inbox:
    """A real SMTP server (aiosmtpd) on a free loopback port; ``messages`` holds what it received."""

    def __init__(self) -> None:
        import socket

        from aiosmtpd.controller import Controller

        self.messages: list[bytes] = []
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append(envelope.content)
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 10) -> list[bytes]:
        """The messages once at least ``count`` arrived (mail may leave after the web page has answered)."""
        import time

        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages

    def parsed(self) -> list[Any]:
        from email import message_from_bytes

        return [message_from_bytes(m) for m in self.messages]


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    """An SMTP server on loopback for the test."""
    box = Inbox()
    box.controller.start()
    yield box
    box.controller.stop()


@pytest.fixture
def libre() -> Iterator[str]:
    """A LibreTranslate API on loopback (tests/libre.py) for the translation queue's tests; its URL."""
    from libre import LibreHandler, libre_server

    LibreHandler.requests, LibreHandler.delay = [], 0.0
    with libre_server() as url:
        yield url


@pytest.fixture(scope="session")
def gazetteer() -> Any:
    """The bundled knowledge base's gazetteer (read once for the run)."""
    from watchfloor.kb.gazetteer import Gazetteer
    from watchfloor.kb.loader import load_entities

    return Gazetteer(load_entities())


@pytest.fixture(scope="session")
def name_stage() -> Any:
    """The names stage, set up once for the run."""
    from watchfloor.pipeline.names import NameStage

    stage = NameStage()
    stage.setup()
    return stage


@pytest.fixture(scope="session")
def found_names(gazetteer: Any, name_stage: Any) -> Any:
    """(surface, type) of every name the names stage finds in a text beside what the gazetteer links."""
    from watchfloor.pipeline.entities import EntityStage

    def found(text: str, lang: str) -> set[tuple[str, str]]:
        linked = EntityStage(gazetteer.find, gazetteer.entities).find(text)
        return {(m.surface, e.type) for m, e in name_stage.find(text, linked, lang)}

    return found


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, headless, with no background networking."""
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail("CI needs Chromium: `make test` installs it with scripts/chromium.sh")
        pytest.skip("no Chromium: run scripts/chromium.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield launched
        launched.close()
