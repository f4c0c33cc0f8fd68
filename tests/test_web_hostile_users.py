"""The web app under hostile users, over real HTTP: no route blocks the event loop, log-in, registration and
reset requests are limited per address and per client, an unknown address gets the same answer after the same
work as a known one, a password change ends every reset link and session, and every route answers bad input with
a 4xx and a message, never a 500. HEAD is answered like GET; the CSRF token changes at log-in and log-out."""

from __future__ import annotations

import inspect
import logging
import re
import socket
import statistics
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy.engine import Engine
from starlette.routing import Mount

from conftest import Inbox, LiveServer
from watchfloor.models import Role
from watchfloor.settings import load_settings
from watchfloor.store import users as user_store
from watchfloor.web import accounts
from watchfloor.web.app import create_app
from watchfloor.web.auth import hash_password
from watchfloor.web.common import read_form
from webclient import Reader

PASSWORD = "a long enough password"


def _create(store: Engine, *people: tuple[str, Role]) -> None:
    with store.begin() as conn:
        for email, role in people:
            user_store.create_user(conn, email, hash_password(PASSWORD), role)


class Web:
    """The live servers and readers a test starts, all stopped and closed at its end (pass or fail)."""

    def __init__(self) -> None:
        self.servers: list[LiveServer] = []
        self.readers: list[Reader] = []

    def serve(self, store: Engine, **overrides: str) -> LiveServer:
        self.servers.append(LiveServer(store, **overrides))
        return self.servers[-1]

    def reader(self, url: str) -> Reader:
        self.readers.append(Reader(url))
        return self.readers[-1]


@pytest.fixture
def web() -> Iterator[Web]:
    made = Web()
    yield made
    for reader in made.readers:
        reader.close()
    for server in made.servers:
        server.stop()


def _routes_in(routes: list[Any], prefix: str) -> Iterator[tuple[str, APIRoute]]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif isinstance(route, Mount) and isinstance(route.app, FastAPI):
            yield from _routes_in(route.app.router.routes, prefix + route.path)
        elif hasattr(route, "original_router"):  # an included router, as newer FastAPI keeps it
            yield from _routes_in(route.original_router.routes, prefix + route.include_context.prefix)


def _routes(app: FastAPI) -> Iterator[tuple[str, APIRoute]]:
    """Every route of the app and of the API mounted in it, with its full path."""
    return _routes_in(app.router.routes, "")


def _app() -> FastAPI:
    from sqlalchemy import create_engine

    return create_app(create_engine("sqlite://"), load_settings(environ={}))


# --- the event loop ------------------------------------------------------------------------------------------

def test_no_route_runs_on_the_event_loop() -> None:
    """Every route is a plain function (FastAPI runs it in a worker thread); the only coroutine a route may
    depend on is the form reader, which only awaits the request body."""
    routes = list(_routes(_app()))
    assert len(routes) > 30
    for path, route in routes:
        assert not inspect.iscoroutinefunction(route.endpoint), f"{path} is async def: it would block the loop"
        pending = list(route.dependant.dependencies)
        while pending:
            dependency = pending.pop()
            if inspect.iscoroutinefunction(dependency.call):
                assert dependency.call is read_form, (path, dependency.call)
            pending.extend(dependency.dependencies)


def _slowed(real: Any, seconds: float) -> Any:
    def slow(*args: Any) -> Any:
        time.sleep(seconds)  # a CPU slower than this one: what blocks while it works?
        return real(*args)
    return slow


@pytest.mark.parametrize("form", ["/register", "/login", "/reset"])
def test_slow_password_work_does_not_hold_up_other_requests(store: Engine, web: Web,
                                                            monkeypatch: pytest.MonkeyPatch, form: str) -> None:
    _create(store, ("known@example.org", Role.PUBLIC))
    monkeypatch.setattr(accounts, "hash_password", _slowed(accounts.hash_password, 1.5))
    monkeypatch.setattr(accounts, "verify_password", _slowed(accounts.verify_password, 1.5))
    monkeypatch.setattr(accounts, "send_mail", _slowed(accounts.send_mail, 1.5))
    server = web.serve(store, client_attempts="1000", login_attempts="1000", smtp_port="1")
    clients = [web.reader(server.url) for _ in range(3)]
    tokens = [c.csrf("/register") for c in clients]
    done: list[int] = []

    def submit(n: int) -> None:
        email = "known@example.org" if form == "/reset" else f"person{n}@example.org"
        data = {"csrf": tokens[n], "email": email, "password": PASSWORD}
        done.append(clients[n].http.post(form, data=data).status_code)

    workers = [threading.Thread(target=submit, args=(n,)) for n in range(3)]
    for worker in workers:
        worker.start()
    time.sleep(0.3)
    waits = []
    with httpx.Client(base_url=server.url) as other:
        for _ in range(5):
            started = time.monotonic()
            assert other.get("/static/app.css").status_code == 200
            waits.append(time.monotonic() - started)
    for worker in workers:
        worker.join()
    assert len(done) == 3 and all(status < 500 for status in done)
    # blocked, each request for the static file would wait for the 1.5 s of at least one submission
    assert max(waits) < 0.75, waits


# --- limits -------------------------------------------------------------------------------------------------

def _attempt(client: Reader, form: str, email: str) -> httpx.Response:
    password = "not the password" if form == "/login" else PASSWORD
    return client.post_form(form, {"email": email, "password": password},
                            form_page="/reset" if form == "/reset" else "/login")


@pytest.mark.parametrize("form", ["/login", "/register", "/reset"])
def test_each_form_is_limited_per_address(store: Engine, web: Web, form: str) -> None:
    _create(store, ("known@example.org", Role.PUBLIC))
    server = web.serve(store, login_attempts="3", client_attempts="1000", smtp_port="1")
    for address in ("known@example.org", "Unknown@Example.org"):
        answers = []
        for _ in range(4):
            client = web.reader(server.url)  # a fresh client each time: only the address is counted
            answers.append(_attempt(client, form, address))
        assert all(a.status_code != 429 for a in answers[:3]), [a.status_code for a in answers]
        assert answers[3].status_code == 429 and "wait 15 minutes" in answers[3].text
    client = web.reader(server.url)
    assert _attempt(client, form, "third@example.org").status_code != 429  # other addresses are not affected


@pytest.mark.parametrize("form", ["/login", "/register", "/reset"])
def test_each_form_is_limited_per_client(store: Engine, web: Web, form: str) -> None:
    server = web.serve(store, login_attempts="1000", client_attempts="4", smtp_port="1")
    client = web.reader(server.url)
    answers = [_attempt(client, form, f"person{n}@example.org") for n in range(5)]
    assert [a.status_code == 429 for a in answers] == [False] * 4 + [True]
    assert "Too many attempts from your connection" in answers[4].text


# --- enumeration --------------------------------------------------------------------------------------------

def test_login_does_the_same_work_and_answers_the_same_for_unknown_addresses(
        store: Engine, web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    _create(store, ("known@example.org", Role.PUBLIC))
    checked: list[str] = []
    real = accounts.verify_password
    monkeypatch.setattr(accounts, "verify_password", lambda stored, pw: (checked.append(stored), real(stored, pw))[1])
    server = web.serve(store, login_attempts="1000")
    client = web.reader(server.url)
    pages, times = {}, {"known@example.org": [], "nobody@example.org": []}  # type: ignore[var-annotated]
    for _ in range(5):
        for email in times:
            checked.clear()
            started = time.monotonic()
            answer = _attempt(client, "/login", email)
            times[email].append(time.monotonic() - started)
            assert len(checked) == 1 and checked[0].startswith("$argon2id$"), checked  # one real argon2 check
            pages[email] = (answer.status_code, answer.text.replace(email, "ADDRESS"))
    assert pages["known@example.org"] == pages["nobody@example.org"]
    known, unknown = (statistics.median(t) for t in times.values())
    assert 1 / 3 < known / unknown < 3, times  # was about 50 times slower for a real address


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens there once the probe is closed


def test_reset_answers_the_same_for_every_address_with_mail_working(store: Engine, web: Web,
                                                                    inbox: Inbox) -> None:
    _create(store, ("known@example.org", Role.PUBLIC))
    server = web.serve(store, smtp_host="127.0.0.1", smtp_port=str(inbox.port))
    client = web.reader(server.url)
    known = _attempt(client, "/reset", "known@example.org")
    unknown = _attempt(client, "/reset", "nobody@example.org")
    malformed = _attempt(client, "/reset", "not an address")
    assert (known.status_code, known.text) == (unknown.status_code, unknown.text) == (malformed.status_code,
                                                                                      malformed.text)
    assert len(inbox.wait_for(1)) == 1 and inbox.parsed()[0]["To"] == "known@example.org"


def test_reset_answers_the_same_with_mail_down_and_names_no_server(store: Engine, web: Web,
                                                                   closed_port: int,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    _create(store, ("known@example.org", Role.PUBLIC))
    server = web.serve(store, smtp_host="127.0.0.1", smtp_port=str(closed_port))
    client = web.reader(server.url)
    with caplog.at_level(logging.ERROR, logger="watchfloor"):
        known = _attempt(client, "/reset", "known@example.org")
        unknown = _attempt(client, "/reset", "nobody@example.org")
        deadline = time.monotonic() + 10
        while not any("not sent" in r.getMessage() for r in caplog.records) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert known.status_code == unknown.status_code == 200 and known.text == unknown.text
    assert "on its way" in known.text
    for detail in ("127.0.0.1", str(closed_port), "SMTP", "smtp", "WATCHFLOOR_"):
        assert detail not in known.text
    logged = [r.getMessage() for r in caplog.records if "not sent" in r.getMessage()]
    assert len(logged) == 1 and f"127.0.0.1:{closed_port}" in logged[0]  # the operator learns why, not the visitor


# --- sessions and reset links ----------------------------------------------------------------------------------

@pytest.mark.parametrize("spent_first", ["newer", "older"])
def test_a_password_change_ends_every_reset_link_and_session(store: Engine, web: Web,
                                                             inbox: Inbox, spent_first: str) -> None:
    _create(store, ("forgetful@example.org", Role.SUBSCRIBER))
    server = web.serve(store, smtp_host="127.0.0.1", smtp_port=str(inbox.port))
    sessions = [web.reader(server.url) for _ in range(2)]
    for session in sessions:
        session.login("forgetful@example.org", PASSWORD)
    asker = web.reader(server.url)
    links = []
    for n in (1, 2):
        _attempt(asker, "/reset", "forgetful@example.org")
        assert len(inbox.wait_for(n)) == n
        body = inbox.parsed()[n - 1].get_payload(decode=True).decode()
        found = re.search(rf"{re.escape(server.url)}(/reset/\S+)", body)
        assert found
        links.append(found.group(1))
    first, second = (links[1], links[0]) if spent_first == "newer" else (links[0], links[1])
    done = asker.post_form(first, {"password": "a brand new password"}, form_page=first)
    assert "Password changed" in done.text
    again = asker.post_form(second, {"password": "an attacker's password"}, form_page=second)
    assert again.status_code == 400 and "expired or was already used" in again.text
    for session in sessions:
        assert session.get("/account").url.path == "/login"  # logged out everywhere
    asker.login("forgetful@example.org", "a brand new password")


def test_changing_ones_password_ends_other_sessions_and_reset_links(store: Engine, web: Web, inbox: Inbox) -> None:
    _create(store, ("reader@example.org", Role.PUBLIC))
    server = web.serve(store, smtp_host="127.0.0.1", smtp_port=str(inbox.port))
    here, elsewhere, asker = (web.reader(server.url) for _ in range(3))
    for session in (here, elsewhere):
        session.login("reader@example.org", PASSWORD)
    _attempt(asker, "/reset", "reader@example.org")
    assert len(inbox.wait_for(1)) == 1
    link = re.search(rf"{re.escape(server.url)}(/reset/\S+)", inbox.parsed()[0].get_payload(decode=True).decode())
    assert link
    new = "a newer long password"
    wrong = here.post_form("/account/password", {"current": "not the password", "password": new}, form_page="/account")
    assert wrong.status_code == 400 and "current password is not right" in wrong.text
    done = here.post_form("/account/password", {"current": PASSWORD, "password": new}, form_page="/account")
    assert done.status_code == 200 and "password is changed" in done.text
    assert here.get("/account").url.path == "/account"  # the session that changed it stays
    assert elsewhere.get("/account").url.path == "/login"
    spent = asker.post_form(link.group(1), {"password": "an attacker's password"}, form_page=link.group(1))
    assert spent.status_code == 400 and "expired or was already used" in spent.text
    web.reader(server.url).login("reader@example.org", new)


def test_the_csrf_token_changes_at_log_in_and_log_out(store: Engine, web: Web) -> None:
    _create(store, ("reader@example.org", Role.PUBLIC))
    server = web.serve(store)
    client = web.reader(server.url)
    before = client.csrf()
    client.login("reader@example.org", PASSWORD)
    during = client.http.cookies["wf_csrf"]
    assert during != before and client.csrf("/") == during
    stale = client.http.post("/logout", data={"csrf": before})
    assert stale.status_code == 403  # a token seen before log-in is void after it
    client.http.post("/logout", data={"csrf": during})
    after = client.http.cookies["wf_csrf"]
    assert after not in (before, during) and "Log in" in client.get("/").text


# --- bad input ------------------------------------------------------------------------------------------------

# each a member of a class: overflowing integers, numbers Python reads and SQL does not, NUL, lone surrogates,
# full-text query syntax, bidi controls, empty, malformed dates, very long
HOSTILE = ["1" * 20, str(2**63), str(10**21), "-1", str(-(2**63) - 1), "9" * 5000, "\u0661\u0662", "\x00", "a\x00b",
           "\ud800", '"', "NEAR(", "a OR *", "\\", "\u202e", "", "2024-13-45", "0001-01-01T00:00+14:00",
           "9999-12-31T23:59-14:00", "x" * 2000]
SHORT = [str(2**63), "\x00", "\ud800", ""]


def _encoded(value: str) -> str:
    from urllib.parse import quote

    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def _form_fields() -> set[str]:
    from pathlib import Path

    import watchfloor.web

    folder = Path(watchfloor.web.__file__).parent / "templates"
    return {name for page in folder.glob("*.html") for name in re.findall(r'name="(\w+)"', page.read_text())}


def _fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda _: _encoded(value), path)


def _check(response: httpx.Response, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert response.text.strip(), (what, "an error without a message")


def test_every_route_answers_bad_input_with_a_4xx_and_a_message(store: Engine, web: Web) -> None:
    _create(store, ("admin@example.org", Role.ADMIN))
    server = web.serve(store, client_attempts="100000", login_attempts="100000", smtp_port="1")
    admin = web.reader(server.url)
    admin.login("admin@example.org", PASSWORD)
    anonymous = web.reader(server.url)
    csrf = admin.csrf("/")
    fields = _form_fields()
    assert {"email", "password", "body", "title", "role", "key"} <= fields
    routes = [(path, route) for path, route in _routes(_app()) if path != "/logout"]
    tried = 0
    for path, route in routes:
        queries = [p.name for p in route.dependant.query_params]
        for method in sorted(route.methods):
            for client, values in ((admin, HOSTILE), (anonymous, SHORT)):
                for value in values:
                    url = _fill(path, value) if "{" in path else path
                    if method == "GET":
                        query = "&".join(f"{_encoded(q)}={_encoded(value)}" for q in queries) or f"q={_encoded(value)}"
                        _check(client.http.get(f"{url}?{query}"), f"GET {path}?... {value[:30]!r}")
                        if "{" in path and queries:  # the query alone, with a good path
                            _check(client.http.get(f"{_fill(path, '1')}?{query}"), f"GET {path}?{value[:30]!r}")
                    else:
                        form = "&".join(f"{f}={_encoded(value)}" for f in sorted(fields) if f != "csrf")
                        body = f"csrf={csrf}&{form}"
                        headers = {"content-type": "application/x-www-form-urlencoded"}
                        _check(client.http.post(url, content=body, headers=headers), f"POST {path} {value[:30]!r}")
                        if "{" in path:  # the form alone, with a good path
                            _check(client.http.post(_fill(path, "1"), content=body, headers=headers),
                                   f"POST {path} form {value[:30]!r}")
                    tried += 1
    assert tried > 500


OVERFLOWING = [("/reports/{}", None), ("/api/v1/reports/{}", None), ("/api/v1/reports", "offset"), ("/posts", "page"),
               ("/stories/{}", None), ("/api/v1/stories", "min_sources"), ("/search", "q"), ("/posts", "q"),
               ("/api/v1/posts", "q"), ("/entities/{}", None), ("/sources/{}", None)]


def test_overflowing_and_nul_values_get_a_clear_message(store: Engine, web: Web) -> None:
    _create(store, ("analyst@example.org", Role.ANALYST))
    client = web.reader(web.serve(store).url)
    client.login("analyst@example.org", PASSWORD)
    for path, param in OVERFLOWING:
        for value in ("1" * 20, str(2**63), str(10**21), "\x00", "a\x00b"):
            url = path.format(_encoded(value)) if param is None else f"{path}?{param}={_encoded(value)}"
            answer = client.get(url)
            if "\x00" in value:
                assert answer.status_code == 400 and "NUL" in answer.text, url
            elif param == "q" or path in ("/entities/{}", "/sources/{}"):
                assert answer.status_code in (200, 404), (url, answer.status_code)
            else:
                assert answer.status_code in (400, 422), (url, answer.status_code)
                assert "less than or equal" in answer.text, answer.text[:300]


DATES = ["0001-01-01T00:00+14:00", "9999-12-31T23:59-14:00", "2024-02-30", "2024-13-01T00:00", "99999-01-01",
         "10000-01-01T00:00", "\u0662\u0660\u0662\u0664-05-23", "2024-05-23T25:00", "-2024-05-23", "2024-05-23\x00",
         "2024-05-23T09:00+99:00"]


def test_dates_out_of_range_get_a_message(store: Engine, web: Web) -> None:
    from watchfloor.models import ReportDraft
    from watchfloor.store import reports as report_store

    _create(store, ("admin@example.org", Role.ADMIN), ("reader@example.org", Role.PUBLIC))
    with store.begin() as conn:
        report_id = report_store.save_draft(conn, ReportDraft(title="Harbour talks", date="May 23, 2024",
                                                              body="Officials met at the harbour."))
        reader = user_store.find_user(conn, "reader@example.org")
    assert reader is not None
    admin = web.reader(web.serve(store).url)
    admin.login("admin@example.org", PASSWORD)
    for value in DATES:
        answers = [
            admin.post_form(f"/reports/{report_id}/edit", {"title": "Harbour talks", "body": "Officials met.",
                                                           "tier": "public", "action": "save", "publish_at": value},
                            form_page="/drafts"),
            admin.post_form(f"/admin/users/{reader.id}", {"role": "subscriber", "until": value}, form_page="/admin"),
            admin.get("/posts", params={"since": value}), admin.get("/api/v1/posts", params={"until": value})]
        for answer in answers:
            assert answer.status_code == 400, (value, str(answer.url), answer.status_code)
            assert re.search("must be a date|NUL|years 1 and 9999", answer.text), (value, answer.text[:200])


# --- HEAD -------------------------------------------------------------------------------------------------------

def test_head_answers_like_get_without_a_body(store: Engine, web: Web) -> None:
    _create(store, ("admin@example.org", Role.ADMIN))
    server = web.serve(store)
    for login in (False, True):
        client = web.reader(server.url)
        if login:
            client.login("admin@example.org", PASSWORD)
        paths = [p for p, r in _routes(_app()) if "GET" in r.methods and "{" not in p] + ["/static/app.css"]
        assert "/" in paths and "/api/v1/reports" in paths
        for path in paths:
            got = client.http.get(path, follow_redirects=False)
            head = client.http.head(path, follow_redirects=False)
            assert head.status_code == got.status_code, (path, head.status_code, got.status_code)
            assert head.content == b"" and head.headers.get("content-type") == got.headers.get("content-type")
