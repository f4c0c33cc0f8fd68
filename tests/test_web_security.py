"""The web app's defences, over real HTTP: headers, cookies, CSRF, log-in limits, redirects, hashed secrets,
API keys, escaping of hostile posts, and password reset through a real SMTP server on loopback."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from sqlalchemy.engine import Engine

from conftest import Inbox, LiveServer
from hostile import import_hostile
from watchfloor.models import Role
from watchfloor.store import sources as source_store
from watchfloor.store import users as user_store
from watchfloor.store.tables import api_keys, users
from watchfloor.web.app import CSP
from watchfloor.web.auth import hash_password, new_api_key, token_hash
from webclient import Reader

PASSWORD = "a long enough password"


@pytest.fixture
def site(store: Engine) -> Iterator[LiveServer]:
    with store.begin() as conn:
        for email, role in (("admin@example.org", Role.ADMIN), ("analyst@example.org", Role.ANALYST),
                            ("reader@example.org", Role.PUBLIC)):
            user_store.create_user(conn, email, hash_password(PASSWORD), role)
    server = LiveServer(store, login_attempts="3")
    yield server
    server.stop()


@pytest.fixture
def reader(site: LiveServer) -> Iterator[Reader]:
    client = Reader(site.url)
    yield client
    client.close()


def test_every_page_carries_the_security_headers(reader: Reader) -> None:
    for path in ("/", "/login", "/feed.xml", "/api/v1/reports", "/no-such-page"):
        headers = reader.get(path).headers
        assert headers["content-security-policy"] == CSP
        assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"


def test_cookies_are_httponly_and_samesite(site: LiveServer) -> None:
    client = Reader(site.url)
    csrf_cookie = client.get("/login").headers["set-cookie"].lower()
    assert "wf_csrf=" in csrf_cookie and "httponly" in csrf_cookie and "samesite=strict" in csrf_cookie
    response = client.http.post("/login", data={"email": "reader@example.org", "password": PASSWORD,
                                                "csrf": client.csrf(), "next": "/"}, follow_redirects=False)
    session_cookie = response.headers["set-cookie"].lower()
    assert response.status_code == 303
    assert "wf_session=" in session_cookie and "httponly" in session_cookie and "samesite=lax" in session_cookie
    client.close()


def test_forms_without_the_csrf_token_are_refused(site: LiveServer, store: Engine, reader: Reader) -> None:
    response = reader.http.post("/login", data={"email": "reader@example.org", "password": PASSWORD})
    assert response.status_code == 403 and "wf_session" not in reader.http.cookies
    reader.login("admin@example.org", PASSWORD)
    with store.connect() as conn:
        target = user_store.find_user(conn, "reader@example.org")
    assert target is not None
    forged = reader.http.post(f"/admin/users/{target.id}", data={"role": "admin", "csrf": "forged"})
    assert forged.status_code == 403
    with store.connect() as conn:
        assert user_store.get_user(conn, target.id).role == Role.PUBLIC
    granted = reader.post_form(f"/admin/users/{target.id}", {"role": "subscriber", "until": "2099-12-31"},
                               form_page="/admin")
    assert granted.status_code == 200
    with store.connect() as conn:
        after = user_store.get_user(conn, target.id)
        assert after.role == Role.SUBSCRIBER and after.subscription_until is not None
        assert after.subscription_until.year == 2099
        assert any(a["action"] == "set-role" and a["actor"] == "admin@example.org"
                   for a in user_store.list_audit(conn))
    added = reader.post_form("/admin/sources", {"key": "telegram:@Example_Wire", "name": "Example Wire",
                                                "affiliation": "an example movement", "lang": "ar",
                                                "tags": "levant, test", "collector": "telegram-web"},
                             form_page="/admin")
    assert added.status_code == 200 and "Example Wire" in added.text
    with store.connect() as conn:
        source = source_store.get_source(conn, "telegram:example_wire")
        assert (source.affiliation, source.collector, source.tags) == ("an example movement", "telegram-web",
                                                                     ["levant", "test"])
        assert any(a["action"] == "source-add" and a["target"] == "telegram:example_wire"
                   for a in user_store.list_audit(conn))
    refused = reader.post_form("/admin/sources", {"key": "not a key"}, form_page="/admin")
    assert refused.status_code == 400 and "must look like telegram:" in refused.text


def test_login_is_refused_after_repeated_failures(reader: Reader) -> None:
    for _ in range(3):
        wrong = reader.post_form("/login", {"email": "reader@example.org", "password": "not the password"})
        assert wrong.status_code == 401 and "Wrong e-mail address or password" in wrong.text
    locked = reader.post_form("/login", {"email": "reader@example.org", "password": PASSWORD})
    assert locked.status_code == 429 and "Too many failed log-ins" in locked.text
    assert "wf_session" not in reader.http.cookies
    reader.login("analyst@example.org", PASSWORD)  # another address is not affected


def test_login_redirects_only_within_the_site(reader: Reader) -> None:
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response = reader.http.post("/login", data={"email": "reader@example.org", "password": PASSWORD,
                                                    "csrf": reader.csrf(), "next": target}, follow_redirects=False)
        assert response.headers["location"] == "/"
    response = reader.http.post("/login", data={"email": "reader@example.org", "password": PASSWORD,
                                                "csrf": reader.csrf(), "next": "/search?q=x"}, follow_redirects=False)
    assert response.headers["location"] == "/search?q=x"


def test_secrets_are_stored_hashed(store: Engine, site: LiveServer) -> None:
    key, prefix = new_api_key()
    with store.begin() as conn:
        analyst = user_store.find_user(conn, "analyst@example.org")
        assert analyst is not None
        user_store.create_api_key(conn, analyst.id, token_hash(key), prefix)
        stored_passwords = conn.execute(sa.select(users.c.password_hash)).scalars().all()
        stored_keys = conn.execute(sa.select(api_keys.c.key_hash)).scalars().all()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in stored_passwords)
    assert key not in stored_keys and token_hash(key) in stored_keys


def test_api_keys_grant_exactly_their_owners_role(store: Engine, site: LiveServer) -> None:
    keys = {}
    with store.begin() as conn:
        for email in ("analyst@example.org", "reader@example.org"):
            user = user_store.find_user(conn, email)
            assert user is not None
            key, prefix = new_api_key()
            keys[email] = (user_store.create_api_key(conn, user.id, token_hash(key), prefix), key)
    anonymous = Reader(site.url)
    response = anonymous.get("/api/v1/posts")
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
    analyst = Reader(site.url, api_key=keys["analyst@example.org"][1])
    assert analyst.get("/api/v1/posts").status_code == 200
    assert analyst.get("/api/v1/sources").json()["items"] == []
    public = Reader(site.url, api_key=keys["reader@example.org"][1])
    assert public.get("/api/v1/posts").status_code == 403
    assert public.get("/api/v1/reports").status_code == 200
    with store.begin() as conn:
        user_store.revoke_api_key(conn, keys["analyst@example.org"][0])
    assert analyst.get("/api/v1/posts").status_code == 401
    openapi = anonymous.get("/api/v1/openapi.json").json()
    assert {"/reports", "/reports/{report_id}", "/posts", "/stories", "/entities", "/sources"} <= set(openapi["paths"])
    for client in (anonymous, analyst, public):
        client.close()


def test_hostile_posts_are_shown_as_text(store: Engine, site: LiveServer, reader: Reader, tmp_path: Path) -> None:
    import_hostile(store, tmp_path / "hostile")
    reader.login("analyst@example.org", PASSWORD)
    pages = [reader.get("/posts").text]
    story_ids = set(re.findall(r'href="/stories/(\d+)"', pages[0]))
    assert story_ids
    pages += [reader.get(f"/stories/{i}").text for i in story_ids]
    source_key = re.search(r'href="/sources/([^"]+)"', pages[0])
    assert source_key
    pages.append(reader.get(f"/sources/{source_key.group(1)}").text)
    draft = reader.post_form(f"/stories/{min(story_ids)}/draft", {}, form_page="/posts")
    assert draft.status_code == 200 and "/edit" in str(draft.url)
    pages.append(draft.text)
    for page in pages:
        soup = BeautifulSoup(page, "html.parser")
        scripts = [tag.get("src") for tag in soup.find_all("script")]
        assert all(src == "/static/editor.js" for src in scripts), scripts  # only our own file, no inline code
        for tag in soup.find_all(True):
            handlers = [name for name in tag.attrs if name.lower().startswith("on")]
            assert not handlers, (tag.name, handlers)
            for name in ("href", "src", "action", "formaction"):
                value = str(tag.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:text/html")), (tag.name, name, value)
        assert not soup.find_all(["svg", "img", "iframe", "object", "embed"], recursive=True) or all(
            t.name == "svg" and "chart" in (t.get("class") or []) for t in soup.find_all(["svg", "img", "iframe"]))
    assert "<script>window.__pwned" in BeautifulSoup(pages[0], "html.parser").get_text()  # shown, as text


def test_password_reset_by_email(store: Engine, inbox: Inbox) -> None:
    with store.begin() as conn:
        user_store.create_user(conn, "forgetful@example.org", hash_password(PASSWORD), Role.SUBSCRIBER)
    server = LiveServer(store, smtp_host="127.0.0.1", smtp_port=str(inbox.port), mail_from="desk@example.org")
    try:
        client = Reader(server.url)
        for address in ("nobody@example.org", "forgetful@example.org"):
            answer = client.post_form("/reset", {"email": address}, form_page="/reset")
            assert "a link to set a new password is on its way" in answer.text
        assert len(inbox.wait_for(1)) == 1  # only the real account gets mail; the page says the same either way
        mail = inbox.parsed()[0]
        assert mail["To"] == "forgetful@example.org" and mail["From"] == "desk@example.org"
        link = re.search(rf"{re.escape(server.url)}(/reset/\S+)", mail.get_payload(decode=True).decode())
        assert link
        new_password = "another long password"
        done = client.post_form(link.group(1), {"password": new_password}, form_page=link.group(1))
        assert "Password changed" in done.text
        again = client.post_form(link.group(1), {"password": "yet another password"}, form_page=link.group(1))
        assert "expired or was already used" in again.text
        client.login("forgetful@example.org", new_password)
        client.close()
    finally:
        server.stop()
