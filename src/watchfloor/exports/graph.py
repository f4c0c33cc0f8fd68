"""The network of channels as GraphML or GEXF, for Gephi, Cytoscape or networkx."""

from __future__ import annotations

from typing import Any, TextIO

import networkx as nx

from watchfloor.errors import InvalidInput
from watchfloor.network import build_graph
from watchfloor.store.base import Connection

__all__ = ["export_graphml", "export_gexf"]


def _graph(conn: Connection, subject: str) -> nx.DiGraph:
    if subject != "network":
        raise InvalidInput(f"the graph exporters export the channel network (subject 'network'), not {subject!r}")
    return build_graph(conn)


def export_graphml(conn: Connection, subject: str, out: TextIO, **options: Any) -> int:
    """Exporter `graphml`: sources and the channels they forward or name; returns the node count."""
    graph = _graph(conn, subject)
    for line in nx.generate_graphml(graph, prettyprint=True):
        out.write(line + "\n")
    return int(graph.number_of_nodes())


def export_gexf(conn: Connection, subject: str, out: TextIO, **options: Any) -> int:
    """Exporter `gexf`: the same graph in Gephi's format; returns the node count."""
    graph = _graph(conn, subject)
    for line in nx.generate_gexf(graph, prettyprint=True):
        out.write(line + "\n")
    return int(graph.number_of_nodes())
