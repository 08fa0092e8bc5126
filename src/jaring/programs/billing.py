"""Billing arithmetic, pure: invoice lines from the law, allocation of a payment to lines,
coverage periods from paid months, the lapse rule's number of months and invoice numbers.
:mod:`jaring.programs.actions.billing` reads and writes the store around these.

Rules (documented in docs/programs.md and tested):
- An invoice holds one line per active membership for one month; each line's JKK, JKM and
  JHT are the law's amounts for that membership's package in that month.
- A payment is allocated to the invoice's unpaid lines in ascending membership id (the order
  people were enrolled), each line filled completely before the next; a remainder smaller
  than a line stays on that line as a part-payment. A month is covered only when its line
  is paid in full.
- Coverage periods are the runs of consecutive fully-paid months of a membership.
- Lapse (RULES.md 1, "likely"): when the invoice for month M is issued, an active membership
  whose lines for the :func:`lapse_months` months before M are all unpaid is ``suspended``
  and gets no line for M; paying its arrears in full makes it ``active`` again.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from jaring.law.parameters import params
from jaring.programs.pricing import package_frame

PACKAGE_COLUMNS = ("segment", "income_base", "risk", "with_jht", "paid_by", "with_jp")
LAPSE_PARAMETER = "bpu.inactive_after_unpaid_months"  # the law's value, 3 since 2015 (likely)


def lapse_months(on: dt.date) -> int:
    """How many unpaid months make a BPU membership non-active on ``on``, from the law
    (``bpu.inactive_after_unpaid_months``: 3)."""
    return int(params().value(LAPSE_PARAMETER, on))


def invoice_number(program_id: int, month: dt.date) -> str:
    """The number of a program's invoice for ``month``: ``INV-1-2024-03``."""
    return f"INV-{program_id}-{month:%Y-%m}"


def invoice_lines(members: pl.DataFrame, months: list[dt.date]) -> pl.DataFrame:
    """Lines for every member x month: ``membership_id``, ``month``, ``jkk``, ``jkm``,
    ``jht``, ``amount`` (member-major order).

    The law is asked once per distinct package and month (a handful of rows); each member
    gets the index of its package once, and every member-month is then a gather from the
    small price table: no join over member-months, no rule evaluated per line.
    """
    key = list(PACKAGE_COLUMNS)
    if "with_jp" not in members.columns:  # JP is billed only when the program chooses it
        members = members.with_columns(with_jp=pl.lit(False))
    base = members.select("membership_id", *key).with_columns(
        pl.col("risk").cast(pl.String),
        pl.col("income_base").cast(pl.Int64),
        pl.col("with_jht").cast(pl.Boolean),
    )
    packages = base.select(key).unique(maintain_order=True).with_row_index("pkg")
    n_months = len(months)
    prices = (
        package_frame(packages.drop("pkg"), months)
        .join(packages, on=key, how="left", nulls_equal=True)
        .with_columns(m=pl.col("month").rank("dense").cast(pl.Int64) - 1)
        .sort("pkg", "m")
    )
    assert prices.height == packages.height * n_months
    pkg = (
        base.join(packages, on=key, how="left", nulls_equal=True, maintain_order="left")["pkg"]
        .cast(pl.Int64)
        .to_numpy()
    )
    month_days = np.array([(m - dt.date(1970, 1, 1)).days for m in months], dtype=np.int32)
    out = {
        "membership_id": np.repeat(base["membership_id"].cast(pl.Int64).to_numpy(), n_months),
        "month": pl.Series(np.tile(month_days, len(pkg))).cast(pl.Date),
    }
    for col, src in (("jkk", "jkk"), ("jkm", "jkm"), ("jht", "jht"), ("amount", "total")):
        table = prices[src].to_numpy().reshape(packages.height, n_months)
        out[col] = table[pkg].ravel()  # one small row of months per member
    return pl.DataFrame(out)


def stored_lines(invoice_id: int, lines: pl.DataFrame) -> pl.DataFrame:
    """``lines`` (``membership_id``, ``jkk``, ``jkm``, ``jht``, ``amount``) in the columns of
    ``invoice_line`` for invoice ``invoice_id``, nothing paid yet: the one shape every writer
    of invoice lines (and the invoice benchmark) stores."""
    return lines.select(
        invoice_id=pl.lit(invoice_id, dtype=pl.Int64),
        membership_id="membership_id",
        jkk="jkk",
        jkm="jkm",
        jht="jht",
        amount="amount",
        paid=pl.lit(0, dtype=pl.Int64),
    )


def allocate(lines: pl.DataFrame, amount: int) -> pl.DataFrame:
    """Spread ``amount`` over ``lines`` (``membership_id``, ``amount``, ``paid``): ascending
    membership id, each line filled before the next. Returns the lines whose ``paid``
    changed, with the new ``paid`` and ``full`` (paid in full now)."""
    due = (pl.col("amount") - pl.col("paid")).clip(lower_bound=0)
    ordered = lines.sort("membership_id").with_columns(due=due)
    ordered = ordered.with_columns(before=pl.col("due").cum_sum() - pl.col("due"))
    return (
        ordered.filter((pl.col("due") > 0) & (pl.col("before") < amount))
        .with_columns(
            paid=pl.col("paid")
            + pl.min_horizontal(pl.col("due"), pl.lit(amount) - pl.col("before"))
        )
        .with_columns(full=pl.col("paid") >= pl.col("amount"))
        .select("membership_id", "amount", "paid", "full")
    )


def coverage_islands(paid: pl.DataFrame) -> pl.DataFrame:
    """Paid months (``membership_id``, ``person_id``, ``program_id``, ``segment``,
    ``month``) -> one row per run of consecutive months: ``start_date`` (first day of the
    first month) and ``end_date`` (last day of the last month)."""
    keys = ["membership_id", "person_id", "program_id", "segment"]
    if paid.height == 0:
        return pl.DataFrame(
            schema={
                "membership_id": pl.Int64,
                "person_id": pl.Int64,
                "program_id": pl.Int64,
                "segment": pl.String,
                "start_date": pl.Date,
                "end_date": pl.Date,
            }
        )
    index = pl.col("month").dt.year().cast(pl.Int32) * 12 + pl.col("month").dt.month().cast(
        pl.Int32
    )
    runs = (
        paid.unique(["membership_id", "month"])
        .sort("membership_id", "month")
        .with_columns(idx=index)
        .with_columns(run=pl.col("idx") - pl.int_range(pl.len()).over("membership_id"))
        .group_by([*keys, "run"])
        .agg(start_date=pl.col("month").min(), last=pl.col("month").max())
    )
    return runs.select(
        *keys,
        "start_date",
        end_date=pl.col("last").dt.offset_by("1mo").dt.offset_by("-1d"),
    ).sort("membership_id", "start_date")
