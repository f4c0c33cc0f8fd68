"""The review queue on a real database (SQLite and PostgreSQL): candidate people, organisations and places
with their context and romanisation, those seen in several channels first; an accepted candidate links from
then on; the queue's web page over real HTTP."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from conftest import Cli, LiveServer, message, write_export
from watchfloor import runner
from watchfloor.models import Role
from watchfloor.store import users as user_store
from watchfloor.web.auth import hash_password
from webclient import Reader

T0 = 1716458400  # 2024-05-23 10:00 UTC
ORG = "حركة الأحرار الوطنية"


def _import(cli: Cli, tmp_path: Path) -> None:
    cli("init")
    write_export(tmp_path / "a", 1900000601, "Wire A", [
        message(1, f"أصدرت {ORG} بيانا حول الانتخابات في بلدة عيتا الشعب.", T0),
        message(2, "وصرح العميد خالد المحمدي للصحفيين بأن الوفد وصل إلى بلدة عيتا الشعب.", T0 + 600),
        message(3, "وقال العميد خالد المحمدي إن اللجنة ستجتمع الأسبوع المقبل.", T0 + 1200)])
    write_export(tmp_path / "b", 1900000602, "Wire B", [
        message(1, f"وقال المتحدث باسم {ORG} إن الحركة ستشارك في الانتخابات.", T0 + 300)])
    cli("import", "telegram-export", str(tmp_path / "a"))
    cli("import", "telegram-export", str(tmp_path / "b"))
    cli("process")


def test_candidates_of_every_type_rank_by_channels(cli: Cli, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    queue = cli.json("kb", "candidates")
    by_type = {c["type"]: c for c in queue}
    assert set(by_type) >= {"person", "organization", "place"}
    # the organisation two channels name comes first, before the person one channel names twice
    assert queue[0]["type"] == "organization" and queue[0]["channels"] == 2
    person = by_type["person"]
    assert person["channels"] == 1 and person["mentions"] == 2
    assert queue.index(person) > 0
    org = queue[0]
    assert org["aliases"][0]["text"] == ORG and org["attrs"]["romanised"]
    assert ORG in org["attrs"]["context"]
    assert [c["type"] for c in cli.json("kb", "candidates", "--type", "place")] == ["place"]


def test_an_accepted_organisation_or_place_links_from_then_on(cli: Cli, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    queue = cli.json("kb", "candidates")
    org = next(c for c in queue if c["type"] == "organization")
    place = next(c for c in queue if c["type"] == "place")
    accepted = cli.json("kb", "accept", org["id"])
    assert accepted["id"].startswith("org:") and accepted["status"] == "kb"
    accepted_place = cli.json("kb", "accept", place["id"])
    assert accepted_place["id"].startswith("place:")
    cli("process", "--reprocess")
    linked = {e["id"] for p in cli.json("posts", "list") for e in p["entities"]}
    assert {accepted["id"], accepted_place["id"]} <= linked
    assert org["id"] not in {c["id"] for c in cli.json("kb", "candidates")}


def test_the_review_page_shows_organisations_and_places(cli: Cli, tmp_path: Path) -> None:
    _import(cli, tmp_path)
    engine = runner.open_store(cli.db_url)
    with engine.begin() as conn:
        user_store.create_user(conn, "analyst@example.org", hash_password("a long enough password"), Role.ANALYST)
    server = LiveServer(engine)
    analyst = Reader(server.url)
    try:
        analyst.login("analyst@example.org", "a long enough password")
        soup = BeautifulSoup(analyst.get("/review").text, "html.parser")
        rows = soup.select("table.list tbody tr")
        types = [r.select("td")[2].get_text() for r in rows]
        assert {"person", "organization", "place"} <= set(types) and types[0] == "organization"
        written = rows[0].select("td")[1]
        assert written.get_text() == ORG and written["dir"] == "auto"
        assert rows[0].select("td")[4].get_text() == "2"  # channels
        places = BeautifulSoup(analyst.get("/review?type=place").text, "html.parser")
        assert {r.select("td")[2].get_text() for r in places.select("table.list tbody tr")} == {"place"}
    finally:
        analyst.close()
        server.stop()
        engine.dispose()
