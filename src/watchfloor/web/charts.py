"""Small server-drawn SVG charts (no script, so they pass the Content-Security-Policy)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup, escape

from watchfloor.web.common import isolated_plain

__all__ = ["daily_bars", "network_svg"]


def daily_bars(series: Sequence[tuple[date, int]], label: str, width: int = 640, height: int = 160) -> Markup:
    """A bar per day from the first to the last day with activity (empty days drawn as gaps)."""
    if not series:
        return Markup('<p class="muted">No activity yet.</p>')
    counts = dict(series)
    first, last = min(counts), max(counts)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)][-120:]
    peak = max(counts.values())
    pad, base = 28, height - 22
    step = (width - pad - 4) / len(days)
    bars = []
    for index, day in enumerate(days):
        value = counts.get(day, 0)
        if not value:
            continue
        h = (base - 8) * value / peak
        x = pad + index * step
        bars.append(f'<rect class="bar" x="{x:.1f}" y="{base - h:.1f}" width="{max(step - 1, 1):.1f}" '
                    f'height="{h:.1f}"><title>{day.isoformat()}: {value}</title></rect>')
    axis = (f'<text class="axis" x="{pad}" y="{height - 6}">{first.isoformat()}</text>'
            f'<text class="axis" x="{width - 4}" y="{height - 6}" text-anchor="end">{days[-1].isoformat()}</text>'
            f'<text class="axis" x="{pad - 4}" y="14" text-anchor="end">{peak}</text>'
            f'<line class="baseline" x1="{pad}" y1="{base}" x2="{width - 4}" y2="{base}"/>')
    return Markup(f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
                  f'<title>{escape(label)}</title>{"".join(bars)}{axis}</svg>')


LABELLED = 40  # the most linked nodes drawn carry their name; the rest show it on hover
PALETTE = ["#0a4b78", "#b35900", "#2e7d32", "#8e24aa", "#c62828", "#00838f", "#6d4c41", "#546e7a"]


def network_svg(graph: Any, positions: Mapping[str, tuple[float, float]], width: int = 900,
                height: int = 560) -> Markup:
    """The channel graph's nodes at ``positions`` (in [0, 1]², from `network.layout`) and the links among
    them: node size by posts, colour by community; the most linked nodes carry a label."""
    if graph.number_of_nodes() == 0:
        return Markup('<p class="muted">No channels yet.</p>')

    def place(node: str) -> tuple[float, float]:
        x, y = positions[node]
        return 60 + x * (width - 120), 40 + y * (height - 80)

    parts = [f'<svg class="network" viewBox="0 0 {width} {height}" role="img" aria-label="Network of channels">',
             "<title>Network of channels</title>",
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
             'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"/></marker></defs>']
    for a, b, data in graph.subgraph(positions).edges(data=True):
        (x1, y1), (x2, y2) = place(a), place(b)
        weight = min(1 + float(data.get("weight", 1)) / 2, 6)
        parts.append(f'<line class="edge" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                     f'stroke-width="{weight:.1f}" marker-end="url(#arrow)"><title>{escape(isolated_plain(a))} → '
                     f'{escape(isolated_plain(b))}: '
                     f'{int(data.get("forward", 0))} forwards, {int(data.get("mention", 0))} mentions</title></line>')
    for rank, node in enumerate(positions):
        data = graph.nodes[node]
        x, y = place(node)
        radius = 6 + min(float(data.get("posts", 0)) ** 0.5 * 2, 22)
        colour = PALETTE[int(data.get("community", 0)) % len(PALETTE)]
        kind = "source" if data.get("kind") == "source" else "outside"
        href = f"/sources/{escape(node)}" if kind == "source" else None
        label = (f'<text class="node-label" x="{x:.1f}" y="{y + radius + 12:.1f}" text-anchor="middle">'
                 f'{escape(data.get("label", node))}</text>') if rank < LABELLED else ""
        circle = (f'<circle class="node {kind}" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{colour}">'
                  f'<title>{escape(isolated_plain(data.get("label", node)))} '
                  f'({int(data.get("posts", 0))} posts, community '
                  f'{int(data.get("community", 0)) + 1})</title></circle>{label}')
        parts.append(f'<a href="{href}">{circle}</a>' if href else circle)
    parts.append("</svg>")
    return Markup("".join(parts))
