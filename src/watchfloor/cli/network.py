"""`watchfloor network`: the channels, who forwards and names whom, communities, and returning channels."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import typer

from watchfloor.cli.common import JsonOpt, engine, errors, out, print_json

__all__ = ["network_app"]

network_app = typer.Typer(no_args_is_help=True, help="The network of channels: forwards, mentions, communities.")


@network_app.command("show")
def network_show(json_out: JsonOpt = False) -> None:
    """Channels with their community, and the forward and mention links between them."""
    from rich.table import Table

    from watchfloor.network import build_graph

    with errors(), engine().connect() as conn:
        graph = build_graph(conn)
    nodes = [{"id": n, **{k: v for k, v in d.items()}} for n, d in sorted(graph.nodes(data=True))]
    edges = [{"from": a, "to": b, "weight": d["weight"], "forwards": d.get("forward", 0),
              "mentions": d.get("mention", 0)} for a, b, d in sorted(graph.edges(data=True))]
    if json_out:
        print_json({"nodes": nodes, "edges": edges})
        return
    table = Table("channel", "kind", "community", "posts", "links out", "links in")
    for node in nodes:
        table.add_row(str(node["label"]), str(node["kind"]), str(node.get("community", "")), str(node["posts"]),
                      str(graph.out_degree(node["id"], weight="weight")),
                      str(graph.in_degree(node["id"], weight="weight")))
    out.print(table)


@network_app.command("returns")
def network_returns(max_gap_days: Annotated[int, typer.Option(help="Longest silence between the two.")] = 60,
                    threshold: Annotated[float, typer.Option(help="Score from 0 to 1 to report a pair.")] = 0.6,
                    json_out: JsonOpt = False) -> None:
    """Channels that may be another come back under a new identity (a lead to check, not a finding)."""
    from rich.table import Table

    from watchfloor.network import find_returns

    with errors(), engine().connect() as conn:
        found = find_returns(conn, timedelta(days=max_gap_days), threshold)
    rows: list[dict[str, Any]] = [vars(r) for r in found]
    if json_out:
        print_json(rows)
        return
    table = Table("went quiet", "started", "gap (days)", "content", "forwards", "mentions", "images", "score")
    for r in found:
        table.add_row(r.old, r.new, str(r.gap_days), str(r.content), str(r.forwards), str(r.mentions),
                      str(r.images), str(r.score))
    out.print(table)
