"""Billing arithmetic: law amounts on lines, allocation order, coverage runs."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from jaring.law.contributions import frame as law_frame
from jaring.programs import billing


def test_invoice_lines_are_the_laws_amounts_each_month() -> None:
    members = pl.DataFrame(
        {
            "membership_id": [1, 2, 3],
            "segment": ["bpu", "bpu", "bpu"],
            "income_base": [1_000_000, 2_500_000, 5_000_000],
            "risk": [None, None, None],
            "with_jht": [False, True, False],
            "paid_by": ["apbd", "self", "apbd"],
        },
        schema_overrides={"risk": pl.String},
    )
    months = [dt.date(2024, 3, 1), dt.date(2026, 4, 1)]  # 2026-04: PP 50/2025 for self-payers
    lines = billing.invoice_lines(members, months)
    assert lines.height == 6
    for row in lines.iter_rows(named=True):
        m = members.filter(pl.col("membership_id") == row["membership_id"]).row(0, named=True)
        q = pl.DataFrame(
            {
                "segment": [m["segment"]],
                "income": [m["income_base"] if m["segment"] == "bpu" else None],
                "wage": [m["income_base"] if m["segment"] == "pu" else None],
                "risk": [m["risk"]],
                "jht": [m["with_jht"]],
                "paid_by": [m["paid_by"]],
            },
            schema_overrides={"income": pl.Int64, "wage": pl.Int64, "risk": pl.String},
        )
        expect = law_frame(q, on=row["month"]).row(0, named=True)
        assert row["amount"] == expect["total"]
        assert row["jkk"] == expect["jkk"] and row["jkm"] == expect["jkm"]
    pemda = lines.filter(pl.col("membership_id") == 1)
    assert pemda["amount"].to_list() == [pemda["jkk"][0] + pemda["jkm"][0]] * 2


def test_allocation_fills_lines_in_membership_order() -> None:
    lines = pl.DataFrame({"membership_id": [3, 1, 2], "amount": [100, 100, 100], "paid": [0, 0, 0]})
    out = billing.allocate(lines, 250).sort("membership_id")
    assert out["membership_id"].to_list() == [1, 2, 3]
    assert out["paid"].to_list() == [100, 100, 50]
    assert out["full"].to_list() == [True, True, False]
    again = billing.allocate(
        lines.join(out.select("membership_id", "paid"), on="membership_id", how="left")
        .with_columns(paid=pl.col("paid_right").fill_null(pl.col("paid")))
        .drop("paid_right"),
        50,
    )
    assert again.to_dicts() == [{"membership_id": 3, "amount": 100, "paid": 100, "full": True}]


@given(
    amounts=st.lists(st.integers(1, 50_000), min_size=1, max_size=40),
    fraction=st.floats(0, 1),
)
def test_allocation_conserves_every_rupiah(amounts: list[int], fraction: float) -> None:
    lines = pl.DataFrame(
        {
            "membership_id": list(range(1, len(amounts) + 1)),
            "amount": amounts,
            "paid": [0] * len(amounts),
        }
    )
    pay = int(sum(amounts) * fraction)
    out = billing.allocate(lines, pay)
    assert int(out["paid"].sum() if out.height else 0) == pay
    assert (out["paid"] <= out["amount"]).all()
    assert out.filter(~pl.col("full")).height <= 1


def test_coverage_islands_are_runs_of_paid_months() -> None:
    months = [dt.date(2024, m, 1) for m in (3, 4, 5, 7, 8, 12)]
    paid = pl.DataFrame(
        {
            "membership_id": [1] * 6,
            "person_id": [10] * 6,
            "program_id": [1] * 6,
            "segment": ["bpu"] * 6,
            "month": months,
        }
    )
    out = billing.coverage_islands(paid)
    assert out.select("start_date", "end_date").rows() == [
        (dt.date(2024, 3, 1), dt.date(2024, 5, 31)),
        (dt.date(2024, 7, 1), dt.date(2024, 8, 31)),
        (dt.date(2024, 12, 1), dt.date(2024, 12, 31)),
    ]
