"""Inline SVG charts for the HTML report: drawn here, no chart library, no network.

Each function returns ``markupsafe.Markup``; every label is escaped before it
goes into the SVG, so a column name or title can never become markup.
"""
from __future__ import annotations

from markupsafe import Markup, escape

PALETTE = ("#c0392b", "#d35400", "#2980b9", "#16a085", "#8e44ad", "#7f8c8d", "#27ae60", "#2c3e50")
FONT = 'font-family="Microsoft YaHei,PingFang SC,Noto Sans CJK SC,sans-serif" font-size="12"'


def bar_chart(items: list[tuple[str, int]], *, title: str, chart_id: str, width: int = 640,
              label_width: int = 170, bar_height: int = 20, max_bars: int = 25) -> Markup:
    """Horizontal bars, one per (label, value), biggest first."""
    items = sorted(((str(k), int(v)) for k, v in items if v), key=lambda kv: (-kv[1], kv[0]))[:max_bars]
    gap, top = 6, 28
    height = top + max(1, len(items)) * (bar_height + gap) + 8
    top_value = max((v for _, v in items), default=0) or 1
    span = width - label_width - 60
    parts = _svg_start(chart_id, title, width, height)
    if not items:
        parts.append(f'<text x="0" y="{top + 14}" fill="#666">无数据</text>')
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_height + gap)
        w = max(2, round(span * value / top_value))
        shown = label if len(label) <= 12 else label[:11] + "…"
        parts.append(
            f'<g class="bar" data-label="{escape(label)}" data-value="{value}">'
            f'<text x="{label_width - 6}" y="{y + bar_height - 5}" text-anchor="end">{escape(shown)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{w}" height="{bar_height}" fill="{PALETTE[i % len(PALETTE)]}">'
            f'<title>{escape(label)}: {value}</title></rect>'
            f'<text x="{label_width + w + 4}" y="{y + bar_height - 5}">{value}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _svg_start(chart_id: str, title: str, width: int, height: int) -> list[str]:
    """The opening of a chart: the svg element, its accessible title and the visible heading."""
    return [f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="chart" role="img" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" {FONT}>',
            f'<title>{escape(title)}</title>',
            f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>']


def line_chart(points: list[tuple[str, int]], *, title: str, chart_id: str, width: int = 640,
               height: int = 220) -> Markup:
    """A line over runs: (label, value) oldest first, e.g. open findings at each run."""
    left, right, top, bottom = 48, 16, 30, 40
    parts = _svg_start(chart_id, title, width, height)
    if not points:
        parts.append(f'<text x="0" y="{top + 14}" fill="#666">无数据</text></svg>')
        return Markup("".join(parts))
    top_value = max(v for _, v in points) or 1
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(points) - 1)

    def xy(i, v):
        x = left + (i * step if len(points) > 1 else plot_w / 2)
        return round(x, 1), round(top + plot_h - plot_h * v / top_value, 1)
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#999"/>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#999"/>')
    parts.append(f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{top_value}</text>')
    parts.append(f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>')
    coords = [xy(i, v) for i, (_, v) in enumerate(points)]
    parts.append('<polyline fill="none" stroke="#c0392b" stroke-width="2" points="'
                 + " ".join(f"{x},{y}" for x, y in coords) + '"/>')
    for (label, value), (x, y) in zip(points, coords):
        parts.append(f'<g class="point" data-label="{escape(label)}" data-value="{value}">'
                     f'<circle cx="{x}" cy="{y}" r="4" fill="#c0392b"><title>{escape(label)}: {value}</title></circle>'
                     f'<text x="{x}" y="{y - 8}" text-anchor="middle">{value}</text>'
                     f'<text x="{x}" y="{top + plot_h + 16}" text-anchor="middle" fill="#555">{escape(label)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))
