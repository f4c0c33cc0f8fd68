"""The network of channels: who forwards and names whom (`graph`), its communities, channels that come
back under a new identity (`returns`), a drawing's layout (`layout`) and the page's view of it all, kept
until the posts change (`view`)."""

from __future__ import annotations

from watchfloor.network.graph import build_graph, communities, resolve_target
from watchfloor.network.returns import Return, find_returns

__all__ = ["build_graph", "communities", "Return", "find_returns", "resolve_target"]
