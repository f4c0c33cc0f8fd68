"""Bidi controls in untrusted strings (channel names, file names, entity names, affiliations, tags, titles, notes)
never reorder the app's own text: every untrusted string is shown in an element of its own that isolates it
(<bdi>, an element with dir, or a block holding nothing else). Checked over every page for twelve controls, and
in Chromium for the words around a right-to-left override."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup, NavigableString

from conftest import LiveServer, message, write_export
from watchfloor import runner
from watchfloor.kb.normalize import normalize
from watchfloor.models import Entity, Footnote, ReportDraft, Role, Source, Tier
from watchfloor.settings import load_settings
from watchfloor.store import kb as kb_store
from watchfloor.store import reports as report_store
from watchfloor.store import sources as source_store
from watchfloor.store import users as user_store
from watchfloor.web.auth import hash_password
from watchfloor.web.common import BIDI_CONTROLS
from webclient import Reader

PASSWORD = "a long enough password"
CONTROLS = sorted(BIDI_CONTROLS)
# Elements whose content is laid out on its own: nothing in them reorders text outside them.
ISOLATING = {"bdi", "textarea", "option", "title", "text", "script", "style"}
BLOCKS = {"p", "div", "td", "th", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "section", "article",
          "aside", "pre", "blockquote", "summary", "main", "body", "ul", "ol", "dl", "table", "tr", "nav", "header"}


def _values(n: int, control: str) -> dict[str, str]:
    """The untrusted strings of channel n, each carrying one control."""
    return {"channel": f"Wire{n} {control}ksed ngiam", "file": f"report{n}{control}fdp.exe",
            "text": f"Statement {n} on the harbour meeting {control}detroper.", "affiliation": f"Bloc{n}{control}ffa",
            "tag": f"tag{n}{control}gat", "entity": f"Harbourname{n}{control}eman", "title": f"Harbour report {n}"
            f"{control} title", "note": f"Telegram note {n}{control}eton.", "old_name": f"Old{n}{control}dlo"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str], dict[str, list[str]]]]:
    folder = tmp_path_factory.mktemp("bidi")
    engine = runner.open_store(f"sqlite:///{folder / 'watchfloor.sqlite3'}", migrate=True)
    runner.init_store(engine)
    settings = load_settings({"data_dir": str(folder / "data"), "media_ocr": "off"}, environ={})
    values: list[str] = []
    pages = {"sources": [], "entities": [], "reports": []}  # type: dict[str, list[str]]
    for n, control in enumerate(CONTROLS):
        v = _values(n, control)
        values += [*v.values(), f"ext:{v['old_name']}"]  # the network's name for a channel it only saw forwarded
        export = folder / f"export{n}"
        write_export(export, 1999500000 + n, v["channel"], [
            message(1, v["text"], 1716458400 + n * 60, file=f"files/{v['file']}", file_name=v["file"],
                    mime_type="application/pdf", media_type="file", forwarded_from=v["old_name"])])
        runner.import_telegram_export(engine, export, settings=settings)
        with engine.begin() as conn:
            key = f"telegram:{1999500000 + n}"
            source_store.add_source(conn, Source(key=key, handle=None, channel_id=1999500000 + n, name=v["channel"],
                                                 affiliation=v["affiliation"], tags=[v["tag"], "levant"]))
            pages["sources"].append(f"/sources/{key}")
            kb_store.add_candidates(conn, [Entity(id=f"candidate:harbour{n}", type="person", name=v["entity"],
                                                  status="candidate")], normalize)
            pages["entities"].append(f"/entities/candidate:harbour{n}")
            report_id = report_store.save_draft(conn, ReportDraft(
                title=v["title"], date="May 23, 2024", body=f"{v['text']}\n\nMore detail.",
                footnotes=[Footnote(n=1, source=key, message_id=1, text=v["note"], url="https://t.me/x/1")]))
            report_store.publish(conn, report_id, Tier.SUBSCRIBER)
            pages["reports"] += [f"/reports/{report_id}", f"/reports/{report_id}/edit"]
    runner.process(engine, settings)
    with engine.begin() as conn:
        user_store.create_user(conn, "admin@example.org", hash_password(PASSWORD), Role.ADMIN)
    server = LiveServer(engine, data_dir=str(folder / "data"))
    yield server.url, values, pages
    server.stop()
    engine.dispose()


def _isolator(node: NavigableString) -> Any:
    for parent in node.parents:
        if parent.name in ISOLATING or parent.name in BLOCKS or parent.has_attr("dir"):
            return parent
    return None


def _unisolated(html: str, values: list[str]) -> list[str]:
    """Text around a bidi control that shares its isolating element with text that is not the untrusted value."""
    problems = []
    soup = BeautifulSoup(html, "html.parser")
    for node in soup.find_all(string=True):
        if not any(c in node for c in BIDI_CONTROLS):
            continue
        around = _isolator(node)
        if around is not None and around.name == "textarea":
            continue  # an editing box holds the analyst's text and nothing of the app's
        shown = " ".join((around.get_text() if around is not None else str(node)).split()).rstrip("…").rstrip(".")
        plain = re.sub("\u2068[^\u2066-\u2069]*\u2069", "", shown)  # isolated in plain text (FSI ... PDI)
        owned = any(shown.casefold() in " ".join(value.split()).casefold() for value in values)
        if not owned and any(c in plain for c in BIDI_CONTROLS):
            problems.append(f"<{around.name if around is not None else '?'}> {shown!r}")
    return problems


def test_every_untrusted_string_is_isolated_on_every_page(site: tuple[str, list[str], dict[str, list[str]]]) -> None:
    url, values, pages = site
    admin = Reader(url)
    admin.login("admin@example.org", PASSWORD)
    paths = ["/", "/posts", "/stories?min_sources=1", "/admin", "/network", "/review", "/drafts", "/search?q=harbour",
             *pages["sources"], *pages["entities"], *pages["reports"]]
    stories = set(re.findall(r'href="(/stories/\d+)"', admin.get("/stories?min_sources=1").text))
    assert stories
    seen = {c: 0 for c in CONTROLS}
    for path in [*paths, *sorted(stories)]:
        page = admin.get(path)
        assert page.status_code == 200, path
        assert _unisolated(page.text, values) == [], path
        for control in CONTROLS:
            seen[control] += page.text.count(control)
    assert all(seen.values()), seen  # every control reached the pages (and was isolated there)
    admin.close()


@pytest.mark.parametrize("control", CONTROLS)
def test_messages_quoting_input_show_bidi_controls_instead_of_obeying_them(
        site: tuple[str, list[str], dict[str, list[str]]], control: str) -> None:
    url, _, _ = site
    reader = Reader(url)
    answer = reader.post_form("/register", {"email": f"news{control}desk@example.org", "password": PASSWORD},
                              form_page="/register")
    assert answer.status_code == 400 and control not in BeautifulSoup(answer.text, "html.parser").get_text()
    assert "control or invisible characters" in answer.text
    missing = reader.get(f"/sources/telegram:nosuch{control}desk")
    assert control not in BeautifulSoup(missing.text, "html.parser").get_text() or _unisolated(missing.text, []) == []
    reader.close()


# For each occurrence of a word in the page's text: the left edge of its first and of its last letter.
EDGES = """word => {
  const found = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (let i = node.data.indexOf(word); i >= 0; i = node.data.indexOf(word, i + 1)) {
      const first = document.createRange(); first.setStart(node, i); first.setEnd(node, i + 1);
      const last = document.createRange(); last.setStart(node, i + word.length - 1); last.setEnd(node, i + word.length);
      found.push([first.getBoundingClientRect().left, last.getBoundingClientRect().left]);
    }
  }
  return found;
}"""


def test_the_apps_words_beside_an_override_read_left_to_right_in_chromium(
        site: tuple[str, list[str], dict[str, list[str]]], browser: Any) -> None:
    url, _, pages = site
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    tab = context.new_page()
    tab.goto(f"{url}/login")
    tab.fill("input[name=email]", "admin@example.org")
    tab.fill("input[name=password]", PASSWORD)
    tab.click("form.stack button")
    tab.wait_for_selector("header .who form button")
    rlo = CONTROLS.index("\u202e")
    checks = {"/posts": ["UTC", "not archived"], pages["sources"][rlo]: ["levant"],
              pages["entities"][rlo]: ["person"], pages["reports"][2 * rlo + 1]: ["https"]}
    for path, words in checks.items():
        tab.goto(f"{url}{path}")
        assert "\u202e" in tab.content()
        for word in words:
            edges = tab.evaluate(EDGES, word)
            assert edges, (path, word)
            reversed_ = [e for e in edges if e[0] >= e[1]]
            assert reversed_ == [], f"{word!r} on {path} is drawn right to left {len(reversed_)} time(s)"
    context.close()
