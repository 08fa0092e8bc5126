"""Charts for the reports, drawn with matplotlib (Agg, no display) into PNG bytes: the
coverage trend, coverage by child region (distrik) and spending by month, titled and
numbered in ``lang``."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from jaring import formatting as f
from jaring import i18n
from jaring.coverage.indicators import AreaCount
from jaring.coverage.queries.indicators import TrendPoint
from jaring.coverage.queries.money import MonthAmount
from jaring.i18n import _

COLOUR = "#1f5f8b"


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=150)
    plt.close(fig)
    return buf.getvalue()


def _thousands(lang: str) -> FuncFormatter:
    return FuncFormatter(lambda x, _pos: f.number(int(x), lang))


def trend(points: Sequence[TrendPoint], lang: str = "id", title: str | None = None) -> bytes:
    """Covered people at each month end, as a line."""
    fig, ax = plt.subplots(figsize=(4.2, 2.6))
    xs = [f.month(p.date, lang) for p in points]
    ys = [p.covered for p in points]
    ax.plot(xs, ys, marker="o", color=COLOUR, linewidth=1.5, markersize=3)
    with i18n.using(lang):
        ax.set_title(title or _("Coverage trend"), fontsize=9)
    ax.yaxis.set_major_formatter(_thousands(lang))
    ax.set_ylim(bottom=0)
    ax.tick_params(axis="x", labelrotation=60, labelsize=6)
    ax.tick_params(axis="y", labelsize=6)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def by_region(rows: Sequence[AreaCount], lang: str = "id", title: str | None = None) -> bytes:
    """Covered people per child area, as horizontal bars (most covered on top)."""
    rows = sorted(rows, key=lambda r: r.covered)
    fig, ax = plt.subplots(figsize=(4.2, max(2.6, 0.22 * len(rows) + 0.8)))
    ax.barh([str(r.name) for r in rows], [r.covered for r in rows], color=COLOUR)
    with i18n.using(lang):
        ax.set_title(title or _("Covered by district"), fontsize=9)
    ax.xaxis.set_major_formatter(_thousands(lang))
    ax.tick_params(labelsize=6)
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def spending(by_month: Sequence[MonthAmount], lang: str = "id") -> bytes:
    """Contributions paid per month billed, as bars in rupiah."""
    fig, ax = plt.subplots(figsize=(8.4, 2.2))
    ax.bar([f.month(m.month, lang) for m in by_month], [m.amount for m in by_month], color=COLOUR)
    with i18n.using(lang):
        ax.set_title(_("Contributions paid (APBD)"), fontsize=9)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: f.rupiah(int(x), lang)))
    ax.tick_params(labelsize=6)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def trend_long(points: Sequence[TrendPoint], lang: str = "id", title: str | None = None) -> bytes:
    """Covered people at each month end as a line, month names written whole (slanted)."""
    fig, ax = plt.subplots(figsize=(8.0, 3.4))
    xs = list(range(len(points)))
    ax.plot(xs, [p.covered for p in points], marker="o", color=COLOUR, linewidth=1.8)
    ax.set_xticks(xs, [f.month_long(p.date, lang) for p in points])
    with i18n.using(lang):
        ax.set_title(title or _("Coverage trend"), fontsize=10)
    ax.yaxis.set_major_formatter(_thousands(lang))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)
    ax.tick_params(axis="x", labelrotation=40, labelsize=7)
    for tick in ax.get_xticklabels():
        tick.set_horizontalalignment("right")
    ax.tick_params(axis="y", labelsize=7)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def percent_by_area(rows: Sequence[tuple[str, float]], lang: str = "id", title: str = "") -> bytes:
    """Coverage share per area as horizontal bars in percent, written at each bar's end."""
    rows = sorted(rows, key=lambda r: r[1])
    fig, ax = plt.subplots(figsize=(8.0, max(2.6, 0.3 * len(rows) + 1.0)))
    names = [r[0] for r in rows]
    values = [100 * r[1] for r in rows]
    ax.barh(names, values, color=COLOUR)
    for i, v in enumerate(values):
        ax.text(v + 1, i, f.percent(v / 100, lang, digits=1), va="center", fontsize=7)
    ax.set_xlim(0, 110)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{int(x)}%"))
    ax.set_title(title, fontsize=10)
    ax.tick_params(labelsize=7)
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def burn_down(
    months: Sequence[Any],
    parts: Sequence[tuple[str, Sequence[int]]],
    lang: str = "id",
    title: str = "",
) -> bytes:
    """The budget by month as stacked bars of its ``parts`` (spent, committed, unspent)."""
    fig, ax = plt.subplots(figsize=(8.0, 3.4))
    xs = list(range(len(months)))
    bottom = [0] * len(months)
    palette = (COLOUR, "#e39b2d", "#9aa9b5")
    for k, (label, values) in enumerate(parts):
        ax.bar(xs, values, bottom=bottom, color=palette[k % 3], label=label)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_xticks(xs, [f.month_long(m, lang) for m in months])
    ax.tick_params(axis="x", labelrotation=40, labelsize=7)
    for tick in ax.get_xticklabels():
        tick.set_horizontalalignment("right")
    ax.tick_params(axis="y", labelsize=7)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: f.rupiah(int(x), lang)))
    ax.legend(fontsize=7, ncols=3, loc="upper right")
    ax.set_title(title, fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)
