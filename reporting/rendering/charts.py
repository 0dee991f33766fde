"""Server-side SVG charts: one drawing serves the web page and the PDF.

Plain SVG without scripts or external styles, because WeasyPrint renders inline
SVG but runs no JavaScript; no chart library is vendored on this branch.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

WIDTH, HEIGHT = 560, 190
LEFT, RIGHT, TOP, BOTTOM = 70, 12, 14, 34
FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"


def _fmt(value: Decimal | float) -> str:
    value = float(value)
    if abs(value) >= 100_000_000:
        return f"{value / 100_000_000:.1f}亿"
    if abs(value) >= 10_000:
        return f"{value / 10_000:.1f}万"
    return f"{value:,.0f}"


def progress_chart_svg(
    *,
    series: list[tuple[str, Decimal]],
    target: Decimal | None,
    title: str = "",
    target_label: str = "target",
) -> str:
    """A cumulative line over the period's months with the target as a dashed line."""
    if not series:
        return ""
    values = [float(v) for _label, v in series]
    top = max([*values, float(target or 0), 1.0]) * 1.08
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(values) - 1) if len(values) > 1 else 0

    def x(i: int) -> float:
        return LEFT + (i * step if len(values) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h - (v / top) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kpi-chart" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" font-family="{FONT}" font-size="10">',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fafbfc" '
        'stroke="#d0d7de"/>',
    ]
    # Few labels: every text node costs a Pango layout in the PDF renderer.
    for frac in (0, 1):
        v = top * frac
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(v) + 3:.1f}" text-anchor="end" fill="#59636e">'
            f"{escape(_fmt(v))}</text>"
        )
    if target:
        ty = y(float(target))
        parts.append(
            f'<line x1="{LEFT}" y1="{ty:.1f}" x2="{LEFT + plot_w}" y2="{ty:.1f}" '
            'stroke="#a4262c" stroke-dasharray="5 4" stroke-width="1.2"/>'
        )
        parts.append(
            f'<text x="{LEFT + plot_w - 4}" y="{ty - 4:.1f}" text-anchor="end" fill="#a4262c">'
            f"{escape(target_label)} {escape(_fmt(target))}</text>"
        )
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    parts.append(f'<polyline points="{points}" fill="none" stroke="#0969da" stroke-width="2"/>')
    # One marker, on the figure: a marker a month is a dozen more nodes to draw per chart.
    last = len(values) - 1
    parts.append(f'<circle cx="{x(last):.1f}" cy="{y(values[last]):.1f}" r="3" fill="#0969da"/>')
    shown = {0, len(series) // 2, len(series) - 1}
    for i, (label, _v) in enumerate(series):
        if i in shown:
            # Edge labels align inwards so they are not cut off at the drawing's border.
            anchor = "start" if i == 0 else "end" if i == len(series) - 1 else "middle"
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 14}" text-anchor="{anchor}" '
                f'fill="#59636e">{escape(label)}</text>'
            )
    parts.append(
        f'<text x="{LEFT + plot_w}" y="{HEIGHT - 4}" text-anchor="end" fill="#1f2328">'
        f"{escape(_fmt(values[-1]))}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
