"""Media in the web app, over real HTTP: archived images are shown to analysts blurred behind a content
warning; readers get an image only when a report they may read shows it; other files are downloads,
never rendered; the sandbox policy travels with every file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from sqlalchemy.engine import Engine

from conftest import LiveServer, message, write_export
from media_images import unrelated_image
from watchfloor import runner
from watchfloor.models import ReportDraft, Role, Tier
from watchfloor.settings import load_settings
from watchfloor.store import reports as report_store
from watchfloor.store import users as user_store
from watchfloor.store.tables import media
from watchfloor.web.auth import hash_password
from webclient import Reader

PASSWORD = "a long enough password"


@pytest.fixture
def site(store: Engine, tmp_path: Path) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    data = tmp_path / "data"
    export = tmp_path / "export"
    (export / "photos").mkdir(parents=True)
    unrelated_image().save(export / "photos" / "scene.png")
    (export / "files").mkdir()
    (export / "files" / "schedule.pdf").write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    write_export(export, 1999400001, "Image Desk", [
        message(1, "Photographs from the harbour on Tuesday.", 1716458400, photo="photos/scene.png",
                width=640, height=480),
        message(2, "The schedule was published.", 1716458460, file="files/schedule.pdf",
                mime_type="application/pdf", media_type="file"),
    ])
    settings = load_settings({"data_dir": str(data), "media_ocr": "off"}, environ={})
    runner.import_telegram_export(store, export, settings=settings)
    runner.process(store, settings)
    with store.begin() as conn:
        user_store.create_user(conn, "analyst@example.org", hash_password(PASSWORD), Role.ANALYST)
        files = {row.mime: row.sha256 for row in conn.execute(sa.select(media.c.mime, media.c.sha256))}
    server = LiveServer(store, data_dir=str(data))
    yield server, files
    server.stop()


def test_analysts_see_images_blurred_behind_a_warning(site: tuple[LiveServer, dict[str, str]]) -> None:
    server, files = site
    analyst = Reader(server.url)
    analyst.login("analyst@example.org", PASSWORD)
    page = BeautifulSoup(analyst.get("/posts").text, "html.parser")
    warning = page.select_one("details.graphic")
    assert warning is not None and "Content warning" in warning.summary.get_text()
    assert warning.select_one("summary img.blurred")["src"] == f"/media/{files['image/png']}"
    assert not warning.has_attr("open")  # closed until clicked
    image = analyst.get(f"/media/{files['image/png']}")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert image.headers["content-security-policy"] == "default-src 'none'; sandbox"
    pdf = analyst.get(f"/media/{files['application/pdf']}")
    assert pdf.headers["content-type"] == "application/octet-stream"
    assert pdf.headers["content-disposition"].startswith("attachment;")
    assert "download" in page.select("div.media p.file")[0].get_text()
    analyst.close()


def test_readers_get_an_image_only_through_a_report_they_may_read(store: Engine,
                                                                 site: tuple[LiveServer, dict[str, str]]) -> None:
    server, files = site
    png = files["image/png"]
    reader = Reader(server.url)
    assert reader.get(f"/media/{png}").status_code == 404
    body = f"The harbour on Tuesday.\n\n![Image from Image Desk](/media/{png})"
    with store.begin() as conn:
        secret = report_store.save_draft(conn, ReportDraft(title="Harbour", date="May 23, 2024", body=body))
        report_store.publish(conn, secret, Tier.SUBSCRIBER)
    assert reader.get(f"/media/{png}").status_code == 404  # only a subscriber may read that report's body
    with store.begin() as conn:
        report_store.publish(conn, secret, Tier.PUBLIC)
    page = BeautifulSoup(reader.get(f"/reports/{secret}").text, "html.parser")
    assert page.select_one(".body img")["src"] == f"/media/{png}"
    assert reader.get(f"/media/{png}").status_code == 200
    assert reader.get(f"/media/{files['application/pdf']}").status_code == 404  # never through a report
    reader.close()
