"""The network of channels on exports the test writes, on SQLite and PostgreSQL: forward and mention
edges resolved to our sources or outside channels, communities, a channel that comes back under a new
identity, GraphML and GEXF that other tools read, the commands and the analyst's page."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree
from sqlalchemy.engine import Engine

from conftest import Cli, LiveServer, message, write_export
from watchfloor import runner
from watchfloor.models import Role
from watchfloor.network import build_graph, find_returns
from watchfloor.settings import load_settings
from watchfloor.store import users as user_store
from watchfloor.web.auth import hash_password
from webclient import Reader

DAY = 86400
T0 = 1717200000  # 2024-06-01
PORT_NEWS = [
    "The port authority in Hodeidah said on Monday that two cargo ships docked after inspection.",
    "Hodeidah port officials said a fuel tanker was cleared to unload on Tuesday.",
    "The Hodeidah port authority reported that three vessels waited for inspection on Wednesday.",
    "Port officials in Hodeidah said on Thursday that a food shipment had been unloaded.",
]
PORT_NEWS_AGAIN = [
    "Hodeidah's port authority said two cargo vessels docked on Monday after inspections.",
    "Officials at Hodeidah port said a fuel ship was allowed to unload on Tuesday.",
    "Three ships were waiting for inspection at Hodeidah port on Wednesday, the port authority said.",
    "A food shipment was unloaded at Hodeidah port on Thursday, officials said.",
]
FOOTBALL = [
    "The national football league published its fixtures for the new season on Monday.",
    "The league's champions signed a new goalkeeper on Tuesday, the club said.",
    "A cup final was moved to a larger stadium on Wednesday, organisers said.",
    "The football federation named a new national coach on Thursday.",
]


def _channel(root: Path, chat_id: int, name: str, texts: list[str], start: int, forward_from: str | None = None,
             mention: str | None = None) -> Path:
    messages = []
    for index, text in enumerate(texts, start=1):
        extra = {"forwarded_from": "Harbour Wire", "forwarded_from_id": forward_from} if forward_from else {}
        body = f"{text} Via @{mention}" if mention else text
        messages.append(message(index, body, start + index * DAY // 2, **extra))
    return write_export(root / str(chat_id), chat_id, name, messages).parent


@pytest.fixture
def network_store(store: Engine, tmp_path: Path) -> Engine:
    folders = [
        _channel(tmp_path, 1999100002, "Harbour Wire", PORT_NEWS[:3], T0),
        _channel(tmp_path, 1999100001, "Old Desk", PORT_NEWS, T0, forward_from="channel1999100002",
                 mention="coast_watch"),
        _channel(tmp_path, 1999100003, "New Desk", PORT_NEWS_AGAIN, T0 + 6 * DAY, forward_from="channel1999100002",
                 mention="coast_watch"),
        _channel(tmp_path, 1999100004, "Sports Daily", FOOTBALL, T0 + 6 * DAY, mention="league_news"),
    ]
    for folder in folders:
        runner.import_telegram_export(store, folder)
    runner.process(store, load_settings(environ={}))
    return store


def test_edges_resolve_to_our_sources_or_outside_channels(network_store: Engine) -> None:
    with network_store.connect() as conn:
        graph = build_graph(conn)
    old, new, harbour, sports = (f"telegram:{i}" for i in (1999100001, 1999100003, 1999100002, 1999100004))
    assert graph.edges[old, harbour]["forward"] == 4 and graph.edges[new, harbour]["forward"] == 4
    assert graph.edges[old, "ext:coast_watch"]["mention"] == 4
    assert graph.nodes["ext:coast_watch"]["kind"] == "outside" and graph.nodes[old]["posts"] == 4
    assert set(graph.successors(sports)) == {"ext:league_news"}
    community = {n: d["community"] for n, d in graph.nodes(data=True)}
    assert community[sports] == community["ext:league_news"]
    assert community[sports] not in {community[n] for n in (old, new, harbour, "ext:coast_watch")}


def test_a_channel_back_under_a_new_identity_is_found(network_store: Engine) -> None:
    with network_store.connect() as conn:
        found = find_returns(conn)
    pairs = {(r.old, r.new): r for r in found}
    assert ("telegram:1999100001", "telegram:1999100003") in pairs
    match = pairs["telegram:1999100001", "telegram:1999100003"]
    assert match.forwards == 1.0 and match.mentions == 1.0 and match.content > 0.9 and 0 < match.gap_days < 60
    assert not any("1999100004" in r.new for r in found)  # football is not the port desk come back


def test_graph_exports_read_back(network_store: Engine, cli: Cli, tmp_path: Path) -> None:
    with network_store.connect() as conn:
        graph = build_graph(conn)
    cli("export", "graph", "--format", "graphml", "--out", str(tmp_path / "net.graphml"))
    read = nx.read_graphml(tmp_path / "net.graphml")
    assert set(read.nodes) == set(graph.nodes) and set(read.edges) == set(graph.edges)
    assert read.nodes["telegram:1999100001"]["label"] == "Old Desk"
    gexf = cli("export", "graph", "--format", "gexf").stdout
    root = ElementTree.fromstring(gexf.encode("utf-8"))
    assert len([e for e in root.iter() if e.tag.endswith("}node")]) == graph.number_of_nodes()
    bad = cli("export", "graph", "--format", "dot", ok=False)
    assert bad.exit_code == 1 and "graphml or gexf" in bad.output
    shown = cli.json("network", "show")
    assert {"from": "telegram:1999100001", "to": "telegram:1999100002", "weight": 4, "forwards": 4,
            "mentions": 0} in shown["edges"]
    assert [(r["old"], r["new"]) for r in cli.json("network", "returns")][:1] == [
        ("telegram:1999100001", "telegram:1999100003")]


def test_the_network_page(network_store: Engine) -> None:
    with network_store.begin() as conn:
        user_store.create_user(conn, "analyst@example.org", hash_password("a long enough password"), Role.ANALYST)
        graph = build_graph(conn)
    server = LiveServer(network_store)
    try:
        analyst = Reader(server.url)
        assert analyst.get("/network").status_code == 200 and "Log in" in analyst.get("/network").text
        analyst.login("analyst@example.org", "a long enough password")
        page = BeautifulSoup(analyst.get("/network").text, "html.parser")
        assert len(page.select("svg.network circle.node")) == graph.number_of_nodes()
        assert len(page.select("svg.network line.edge")) == graph.number_of_edges()
        returns = [[td.get_text() for td in tr.select("td")][:2] for tr in page.select("#returns tbody tr")]
        assert ["telegram:1999100001", "telegram:1999100003"] in returns
        assert len(page.select("svg.chart")) >= 1
        analyst.close()
    finally:
        server.stop()


def test_the_same_pictures_re_posted_count_towards_a_return(store: Engine, tmp_path: Path) -> None:
    from media_images import news_graphic, unrelated_image

    settings = load_settings({"data_dir": str(tmp_path / "data"), "media_ocr": "off"}, environ={})
    pictures = [news_graphic(), unrelated_image()]
    for chat_id, name, texts, start, scale in ((1999100011, "Valley Notes", PORT_NEWS[:3], T0, 1),
                                               (1999100012, "Valley Notes 2", PORT_NEWS_AGAIN[:3], T0 + 6 * DAY, 2)):
        folder = tmp_path / str(chat_id)
        (folder / "photos").mkdir(parents=True)
        messages = []
        for index, text in enumerate(texts, start=1):
            picture = pictures[index % 2]
            copy = picture.resize((picture.width // scale, picture.height // scale)).convert("RGB")
            copy.save(folder / "photos" / f"{index}.jpg", quality=45 if scale > 1 else 90)
            messages.append(message(index, text, start + index * DAY // 2, photo=f"photos/{index}.jpg"))
        write_export(folder, chat_id, name, messages)
        runner.import_telegram_export(store, folder, settings=settings)
    runner.process(store, settings)
    with store.connect() as conn:
        found = {(r.old, r.new): r for r in find_returns(conn)}
    pair = found[("telegram:1999100011", "telegram:1999100012")]
    assert pair.images == 1.0 and pair.forwards == 0.0 and pair.mentions == 0.0
