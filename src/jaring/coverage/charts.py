"""Charts for the reports, drawn with matplotlib (Agg, no display) into PNG bytes: the
coverage trend, coverage by child region (distrik) and spending by month, titled and
numbered in ``lang``."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

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
