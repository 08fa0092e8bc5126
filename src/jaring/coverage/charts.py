"""Charts for the reports, drawn with matplotlib (Agg, no display) into PNG bytes: the
coverage trend, coverage by child region (distrik) and spending by month."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from jaring import formatting as f

COLOUR = "#1f5f8b"


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=150)
    plt.close(fig)
    return buf.getvalue()


def _thousands(lang: str) -> FuncFormatter:
    return FuncFormatter(lambda x, _pos: f.number(int(x), lang))


def trend(points: list[dict[str, Any]], lang: str = "id", title: str | None = None) -> bytes:
    fig, ax = plt.subplots(figsize=(4.2, 2.6))
    xs = [f.month(p["date"], lang) for p in points]
    ys = [p["covered"] for p in points]
    ax.plot(xs, ys, marker="o", color=COLOUR, linewidth=1.5, markersize=3)
    ax.set_title(title or ("Coverage trend" if lang == "en" else "Tren peserta aktif"), fontsize=9)
    ax.yaxis.set_major_formatter(_thousands(lang))
    ax.set_ylim(bottom=0)
    ax.tick_params(axis="x", labelrotation=60, labelsize=6)
    ax.tick_params(axis="y", labelsize=6)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def by_region(rows: list[dict[str, Any]], lang: str = "id", title: str | None = None) -> bytes:
    rows = sorted(rows, key=lambda r: r["covered"])
    fig, ax = plt.subplots(figsize=(4.2, max(2.6, 0.22 * len(rows) + 0.8)))
    ax.barh([str(r["name"]) for r in rows], [r["covered"] for r in rows], color=COLOUR)
    ax.set_title(
        title or ("Covered by district" if lang == "en" else "Peserta per distrik"), fontsize=9
    )
    ax.xaxis.set_major_formatter(_thousands(lang))
    ax.tick_params(labelsize=6)
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)


def spending(by_month: list[dict[str, Any]], lang: str = "id") -> bytes:
    fig, ax = plt.subplots(figsize=(8.4, 2.2))
    ax.bar(
        [f.month(m["month"], lang) for m in by_month], [m["amount"] for m in by_month], color=COLOUR
    )
    ax.set_title(
        "Contributions paid (APBD)" if lang == "en" else "Belanja iuran (APBD) per bulan",
        fontsize=9,
    )
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _p: f.rupiah(int(x), lang)))
    ax.tick_params(labelsize=6)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)
