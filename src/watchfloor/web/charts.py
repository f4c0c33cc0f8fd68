"""Small server-drawn SVG charts (no script, so they pass the Content-Security-Policy)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from markupsafe import Markup, escape

__all__ = ["daily_bars"]


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
