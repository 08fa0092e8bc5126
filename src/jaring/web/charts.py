"""Charts and maps drawn as inline SVG from Python: no script, no CDN, scaled by ``viewBox``
so they fit 360 px as well as 1366 px, readable by screen readers (``role="img"``, a title,
and a ``<title>`` on every mark with its figure).

- :func:`line_chart`: a value over months, month names written whole in the page's language;
- :func:`percent_bars`: a share per area (coverage by distrik, in percent);
- :func:`stacked_bars`: parts per month (budget burn-down; claims per month by type);
- :func:`choropleth`: the areas of a region coloured by a share, with a legend.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from markupsafe import Markup

from jaring.formatting import month_long
from jaring.web import i18n

BLUE = "#1f5f8b"
PALETTE = ("#1f5f8b", "#e39b2d", "#9aa9b5", "#2e7d32", "#8e3b8e", "#c0392b")
# coverage classes, light to dark (ColorBrewer Blues, 5 classes)
SHADES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#e6e6e6"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _svg(width: int, height: int, title: str, body: list[str], cls: str = "chart") -> Markup:
    return Markup(
        f'<svg class="{cls}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(title)}" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMidYMid meet"><title>{_e(title)}</title>' + "".join(body) + "</svg>"
    )


def month_label(month: dt.date, lang: str | None = None) -> str:
    """``Maret 2024``: a month written whole."""
    return month_long(month, lang or i18n.current.get())


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(v))
    for step in (1, 2, 2.5, 5, 10):
        if v <= step * mag:
            return step * mag
    return 10 * mag


def line_chart(
    points: Sequence[tuple[dt.date, float]],
    title: str,
    fmt: Callable[[Any], str] | None = None,
    width: int = 640,
    height: int = 300,
) -> Markup:
    """A value at each month as a line; every month's name whole under its point (slanted)."""
    fmt = fmt or i18n.number
    top_v = max(4.0, _nice_max(max([float(v) for _d, v in points] + [0.0])))
    left = 12 + 7 * max(len(fmt(int(top_v * k / 4))) for k in range(5))
    right, top, bottom = 16, 16, 92
    inner_w, inner_h = width - left - right, height - top - bottom
    n = max(1, len(points) - 1)
    body: list[str] = []
    for k in range(5):  # grid and y labels
        v = top_v * k / 4
        y = top + inner_h - inner_h * k / 4
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="lbl">{_e(fmt(int(v)))}</text>'
        )
    xy = [
        (
            left + inner_w * i / n if len(points) > 1 else left + inner_w / 2,
            top + inner_h - inner_h * float(v) / top_v,
        )
        for i, (_d, v) in enumerate(points)
    ]
    if xy:
        body.append(
            '<polyline fill="none" stroke="'
            + BLUE
            + '" stroke-width="2.5" points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
            + '"/>'
        )
    for (x, y), (d, v) in zip(xy, points, strict=True):
        label = month_label(d)
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BLUE}"><title>{_e(label)}: '
            f"{_e(fmt(v))}</title></circle>"
            f'<text class="lbl month" transform="translate({x:.1f},{top + inner_h + 12}) rotate(-40)" '
            f'text-anchor="end">{_e(label)}</text>'
        )
    return _svg(width, height, title, body)


def percent_bars(rows: Sequence[tuple[str, float, str]], title: str, width: int = 640) -> Markup:
    """One bar per area: ``(name, share 0..1, note)``; the percent written beside it."""
    bar_h, gap, label_w, value_w = 20, 8, 170, 64
    height = max(1, len(rows)) * (bar_h + gap)
    inner = width - label_w - value_w
    body: list[str] = []
    for i, (name, share, note) in enumerate(rows):
        y = i * (bar_h + gap)
        pct = i18n.percent(share)
        body.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" class="lbl">{_e(name)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{inner:.1f}" height="{bar_h}" fill="#e8eef3"/>'
            f'<rect x="{label_w}" y="{y}" width="{inner * min(max(share, 0.0), 1.0):.1f}" '
            f'height="{bar_h}" fill="{BLUE}"><title>{_e(name)}: {_e(pct)} {_e(note)}</title></rect>'
            f'<text x="{width - value_w + 6}" y="{y + 14}" class="val">{_e(pct)}</text>'
        )
    return _svg(width, height, title, body)


def stacked_bars(
    months: Sequence[dt.date],
    series: Sequence[tuple[str, Sequence[float]]],
    title: str,
    fmt: Callable[[Any], str] | None = None,
    width: int = 640,
    height: int = 320,
) -> Markup:
    """Bars per month, each made of the ``series`` parts (``(label, values by month)``), with a
    legend above; month names whole under the bars."""
    fmt = fmt or i18n.number
    totals = [sum(float(s[1][i]) for s in series) for i in range(len(months))]
    top_v = max(4.0, _nice_max(max([*totals, 0.0])))
    left = 12 + 7 * max(len(fmt(int(top_v * k / 4))) for k in range(5))
    right, top, bottom = 12, 34, 92
    inner_w, inner_h = width - left - right, height - top - bottom
    body: list[str] = []
    x = left
    for k, (label, _v) in enumerate(series):  # legend
        body.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{PALETTE[k % len(PALETTE)]}"/>'
            f'<text x="{x + 16}" y="14" class="lbl">{_e(label)}</text>'
        )
        x += 24 + 7 * len(label)
    for k in range(5):
        v = top_v * k / 4
        y = top + inner_h - inner_h * k / 4
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="lbl">{_e(fmt(int(v)))}</text>'
        )
    slot = inner_w / max(1, len(months))
    bar_w = max(4.0, slot * 0.7)
    for i, m in enumerate(months):
        bx = left + slot * i + (slot - bar_w) / 2
        y = top + inner_h
        label = month_label(m)
        for k, (name, values) in enumerate(series):
            v = float(values[i])
            h = inner_h * v / top_v
            y -= h
            if h > 0:
                body.append(
                    f'<rect x="{bx:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                    f'fill="{PALETTE[k % len(PALETTE)]}"><title>{_e(label)} · {_e(name)}: '
                    f"{_e(fmt(v))}</title></rect>"
                )
        cx = bx + bar_w / 2
        body.append(
            f'<text class="lbl month" transform="translate({cx:.1f},{top + inner_h + 12}) rotate(-40)" '
            f'text-anchor="end">{_e(label)}</text>'
        )
    return _svg(width, height, title, body)


def choropleth(
    shapes: Mapping[str, Mapping[str, Any]],
    shares: Mapping[str, float],
    title: str,
    width: int = 640,
) -> Markup:
    """The areas (``{code: {"n": name, "r": rings of [lng, lat] x 10000}}``) coloured by
    ``shares`` (0..1) in five classes of 20 points, with a legend; an area without a figure is
    grey. Projected equirectangularly with the longitude scaled by cos(latitude)."""
    pts = [p for s in shapes.values() for ring in s["r"] for p in ring]
    if not pts:
        return Markup("")
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    lat0 = math.radians((min(ys) + max(ys)) / 2 / 10_000)
    kx = math.cos(lat0)
    span_x = max(1.0, (max(xs) - min(xs)) * kx)
    span_y = max(1.0, float(max(ys) - min(ys)))
    legend_h = 40
    inner_w = width - 20
    scale = inner_w / span_x
    map_h = span_y * scale
    if map_h > width * 1.1:  # a tall region: fit the height instead
        scale = width * 1.1 / span_y
        map_h = width * 1.1
    height = int(map_h) + 20 + legend_h
    x0, y1 = min(xs), max(ys)

    def proj(p: Sequence[int]) -> str:
        return f"{10 + (p[0] - x0) * kx * scale:.1f},{10 + (y1 - p[1]) * scale:.1f}"

    body: list[str] = []
    for code, s in sorted(shapes.items()):
        share = shares.get(code)
        fill = NO_DATA if share is None else SHADES[min(4, int(max(share, 0.0) * 5))]
        d = "".join("M" + "L".join(proj(p) for p in ring) + "Z" for ring in s["r"])
        tip = f"{s['n']}: " + (i18n.percent(share) if share is not None else "-")
        body.append(
            f'<path d="{d}" fill="{fill}" stroke="#fff" stroke-width="1" data-code="{_e(code)}">'
            f"<title>{_e(tip)}</title></path>"
        )
    ly = height - legend_h + 8
    for k, shade in enumerate(SHADES):
        lx = 10 + k * 70
        body.append(
            f'<rect x="{lx}" y="{ly}" width="16" height="14" fill="{shade}" stroke="#999"/>'
            f'<text x="{lx + 20}" y="{ly + 12}" class="lbl">{k * 20}–{(k + 1) * 20}%</text>'
        )
    return _svg(width, height, title, body, cls="chart map")
