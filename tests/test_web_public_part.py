"""A subscriber report shows the public exactly its first paragraph as the Markdown parser reads it, on every
surface (page, API item and listing, Atom feed, home page, search), whatever block construct ends that paragraph
or comes before it; subscribers read everything. Over real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from conftest import LiveServer
from watchfloor.models import ReportDraft, Role, Tier
from watchfloor.public_part import MARKDOWN, first_paragraph
from watchfloor.reports.render import markdown_to_safe_html
from watchfloor.store import reports as report_store
from watchfloor.store import users as user_store
from watchfloor.web.auth import hash_password
from webclient import Reader

PASSWORD = "a long enough password"
LEDE = "Officials met at the harbour on Tuesday, a channel reported"


def _lede(n: int) -> str:
    return f"{LEDE} (harbourlede{n})."


def _secret(n: int) -> str:
    return f"vaultword{n}"


# (body, whether the parser keeps the text after the lede in its paragraph): {L} is the lede, {S} a word that
# only subscribers may read. Every way CommonMark ends a paragraph, or starts a document with something else.
ENDINGS = [
    "{L}\n\n{S} follows a blank line.",
    "{L}\n   \n{S} follows a line of spaces.",
    "{L}\n\t\n{S} follows a line of a tab.",
    "{L}\n \t \n{S} follows spaces and tabs.",
    "{L}\r\n\r\n{S} follows a CRLF blank line.",
    "{L}\r\r{S} follows a CR blank line.",
    "{L}\r\n \t\r\n{S} follows a CRLF line of whitespace.",
    "{L}\n# {S} ATX heading",
    "{L}\n   ### {S} indented ATX heading",
    "{L}\n###### {S} level six\nmore text",
    "{L}\n***\n{S} after a rule",
    "{L}\n* * *\n{S} after a spaced rule",
    "{L}\n___\n{S} after an underscore rule",
    "{L}\n- {S} bullet item\n- another",
    "{L}\n* {S} star item",
    "{L}\n+ {S} plus item",
    "{L}\n1. {S} ordered item",
    "{L}\n1) {S} ordered item with a parenthesis",
    "{L}\n> {S} quoted",
    "{L}\n   > {S} indented quote",
    "{L}\n```\n{S} in a fence\n```",
    "{L}\n~~~ text\n{S} in a tilde fence\n~~~",
    "{L}\n\n    {S} indented code",
    "{L}\n\n<div>\n{S} in an HTML block\n</div>",
    "{L}\n\n<!-- {S} in a comment -->",
    "{L}\n\n[ref]: https://example.org/{S}",
    "{L} [see][ref].\n\n[ref]: https://example.org/{S} \"{S}\"",
    "{L}\n\n| {S} | b |\n|---|---|\n| c | d |",
    "{L}\n\nSetext {S}\n=====",
    "{L}\n\n- loose {S}\n\n- list",
    "{L}\n\n> quote\n{S} lazy continuation",
    # the first block is not a paragraph: the lede is the first paragraph after it, the block stays private
    "# {S} heading first\n\n{L}\n\nmore {S}",
    "{S} setext heading first\n---\n{L}\n\nmore",
    "{S} setext heading first\n===\n\n{L}",
    "***\n{L}\n\n{S}",
    "- {S} list first\n- two\n\n{L}\n\n{S}",
    "1. {S} ordered first\n\n{L}",
    "> {S} quote first\n\n{L}\n\n{S}",
    "```\n{S} fence first\n```\n{L}\n\n{S}",
    "    {S} indented code first\n\n{L}",
    "[ref]: https://example.org/{S}\n{L}\n\n{S}",
    "\n\n \t\n{L}\n\n{S}",
    "{L}\x00\n\n{S} after a NUL",
    "\ufeff{L}\n\n{S} after a byte-order mark",
]


def _body(pattern: str, n: int) -> str:
    return pattern.replace("{L}", _lede(n)).replace("{S}", _secret(n))


@pytest.mark.parametrize("pattern", ENDINGS)
def test_the_lede_is_the_first_paragraph_and_nothing_else(pattern: str) -> None:
    body = _body(pattern, 7)
    lede = first_paragraph(body)
    assert _lede(7) in lede and lede.count("\n") == 0
    assert _secret(7) not in lede


@pytest.mark.parametrize("body", ["# Only a heading", "- only\n- a list", "```\ncode\n```", "", " \n\t\n", "***"])
def test_a_report_without_a_paragraph_has_no_public_text(body: str) -> None:
    assert first_paragraph(body) == ""


def test_text_the_parser_keeps_in_the_paragraph_stays_in_the_lede() -> None:
    # lines that look like blocks but cannot interrupt a paragraph, and characters that are not line breaks
    for tail in ("\n2. not a list", "\n    four spaces", "\n<div>html is off</div>", "\n| a | b |",
                 "\u2028line separator", "\x0cform feed", "\x85next line", "\n\x0c\nform feed line",
                 "\n\u00a0\nno-break space line", "\n* \nempty star item"):
        body = f"Lede{tail}\n\nvaultword"
        lede = first_paragraph(body)
        assert lede.startswith("Lede") and "vaultword" not in lede
        assert _top_paragraph_texts(body)[0] == _top_paragraph_texts(lede)[0]


def _top_paragraph_texts(markdown: str) -> list[str]:
    soup = BeautifulSoup(MARKDOWN.render(markdown), "html.parser")
    return [_unbracketed(p.get_text()) for p in soup.find_all("p", recursive=False)]


def _unbracketed(text: str) -> str:
    """Text without square brackets: the public part alone leaves [r] as written where the whole body links it
    to a definition made after the first paragraph (which the public must not see)."""
    return text.replace("[", "").replace("]", "")


BLOCKS = ["para one", "para two\nwith a second line", "# heading", "heading\n===", "---", "- item\n- item",
          "1. item", "> quote", "```\ncode\n```", "    code", "[r]: /url", "<div>x</div>", "  \t", "\tcode",
          "para\n# heading after", "para\n> quote after", "para\n- list after", "para\n***"]
SEPARATORS = ["\n", "\n\n", "\n  \n", "\r\n", "\r\n\r\n", "\n\t\n"]


@pytest.mark.parametrize("first,second", list(itertools.product(BLOCKS, BLOCKS)))
def test_the_public_part_renders_as_the_first_paragraph_of_the_whole(first: str, second: str) -> None:
    for separator in SEPARATORS:
        body = first + separator + second
        expected = _top_paragraph_texts(body)
        shown = BeautifulSoup(markdown_to_safe_html(first_paragraph(body)), "html.parser")
        assert [_unbracketed(p.get_text()) for p in shown.find_all("p")] == expected[:1], repr(body)
        assert len(shown.find_all(True)) == len(shown.find_all("p")) + len(shown.find_all(["code", "em", "a"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(BLOCKS + ["word", "*em*", "`x`", "\u202e", "\x00", " ", "\r"]), max_size=8),
       st.lists(st.sampled_from(SEPARATORS + ["", " "]), min_size=8, max_size=8))
def test_any_mix_of_blocks_shows_only_the_parsers_first_paragraph(blocks: list[str], seps: list[str]) -> None:
    body = "".join(block + sep for block, sep in zip(blocks, seps, strict=False))
    expected = _top_paragraph_texts(body)
    shown = BeautifulSoup(markdown_to_safe_html(first_paragraph(body)), "html.parser")
    assert [_unbracketed(p.get_text()) for p in shown.find_all("p")] == expected[:1], repr(body)


@pytest.fixture
def site(store: Engine) -> Iterator[tuple[LiveServer, list[int]]]:
    with store.begin() as conn:
        user_store.create_user(conn, "sub@example.org", hash_password(PASSWORD), Role.SUBSCRIBER)
        ids = []
        for n, pattern in enumerate(ENDINGS):
            report_id = report_store.save_draft(conn, ReportDraft(
                # PostgreSQL stores no NUL (the editor refuses one); the parser reads it as U+FFFD anyway
                title=f"Harbour report {n}", date="May 23, 2024", body=_body(pattern, n).replace("\x00", "\ufffd")))
            report_store.publish(conn, report_id, Tier.SUBSCRIBER)
            ids.append(report_id)
    server = LiveServer(store)
    yield server, ids
    server.stop()


def test_anonymous_readers_see_only_the_first_paragraph_everywhere(site: tuple[LiveServer, list[int]]) -> None:
    server, ids = site
    reader = Reader(server.url)
    try:
        listing = reader.get("/api/v1/reports", params={"limit": 500}).json()["items"]
        shared = {"home": reader.get("/").text, "feed": reader.get("/feed.xml").text, "api list": str(listing)}
        assert len(listing) == len(ENDINGS) and all(LEDE in item["lede"] for item in listing)
        for n, report_id in enumerate(ids):
            page = reader.get(f"/reports/{report_id}").text
            item = reader.get(f"/api/v1/reports/{report_id}").json()
            assert _lede(n) in item["lede"] and "body" not in item
            body = BeautifulSoup(page, "html.parser").select_one("article.report div.body")
            assert body is not None and _lede(n) in body.get_text()
            found = reader.get("/search", params={"q": _secret(n)}).text
            assert "0 report(s) match" in found
            assert f"/reports/{report_id}\"" in reader.get("/search", params={"q": f"harbourlede{n}"}).text
            for where, text in {**shared, "page": page, "api": str(item)}.items():
                assert _secret(n) not in text, (where, ENDINGS[n])
    finally:
        reader.close()


def test_subscribers_read_every_construct_in_full(site: tuple[LiveServer, list[int]]) -> None:
    server, ids = site
    reader = Reader(server.url)
    try:
        reader.login("sub@example.org", PASSWORD)
        for n, report_id in enumerate(ids):
            if _secret(n) in markdown_to_safe_html(_body(ENDINGS[n], n)):  # an unused link definition shows nothing
                assert _secret(n) in reader.get(f"/reports/{report_id}").text, ENDINGS[n]
            assert _secret(n) in reader.get(f"/api/v1/reports/{report_id}").json()["body"]
            assert f"/reports/{report_id}\"" in reader.get("/search", params={"q": _secret(n)}).text
    finally:
        reader.close()


def test_the_editor_shows_what_the_public_will_see(store: Engine) -> None:
    with store.begin() as conn:
        user_store.create_user(conn, "analyst@example.org", hash_password(PASSWORD), Role.ANALYST)
        ids = [report_store.save_draft(conn, ReportDraft(title=f"Harbour report {n}", date="May 23, 2024",
                                                         body=_body(ENDINGS[n], n))) for n in (1, 7, 31)]
        bare = report_store.save_draft(conn, ReportDraft(title="Only a list", date="May 23, 2024",
                                                         body="- vaultword\n- two"))
    server = LiveServer(store)
    reader = Reader(server.url)
    try:
        reader.login("analyst@example.org", PASSWORD)
        for n, report_id in zip((1, 7, 31), ids, strict=True):
            page = BeautifulSoup(reader.get(f"/reports/{report_id}/edit").text, "html.parser")
            public = page.select_one("#public-part")
            assert public is not None and _lede(n) in public.get_text() and _secret(n) not in public.get_text()
        page = BeautifulSoup(reader.get(f"/reports/{bare}/edit").text, "html.parser")
        assert "Only the title" in page.select_one("#public-part").get_text()  # type: ignore[union-attr]
    finally:
        reader.close()
        server.stop()
