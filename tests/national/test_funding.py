"""Double funding exact to the rupiah against the generator's planted months, and the BPJS
list of PU participants read strictly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jaring.errors import JaringError
from jaring.national import dedupe, engines, funding, pseudonym, pu

from .conftest import KEY, manifests, model, truth_clusters


def as_truth(res: funding.DoubleFunding, root: Path, clusters: pl.DataFrame) -> pl.DataFrame:
    """The result in the truth's terms: one row per human, month, payer, amount. A record in
    no cluster is a human of its own (its id is the key)."""
    t = pl.read_parquet(root / "truth.parquet")
    records = (
        truth_clusters(root).select("id", "pemda", "person_id").join(t, on=["pemda", "person_id"])
    )
    keyed = records.join(clusters.select("id", "cluster"), on="id", how="left").with_columns(
        key=pl.coalesce("cluster", "id")
    )
    human = keyed.group_by("key").agg(pl.col("human").first().alias("true_human"))
    return (
        res.months.join(human, left_on="human", right_on="key")
        .select(pl.col("true_human").alias("human"), "month", "payer", "amount")
        .sort(pl.all())
    )


def expected(root: Path) -> pl.DataFrame:
    return (
        pl.read_parquet(root / "double_paid.parquet")
        .select("human", "month", "payer", "amount")
        .sort(pl.all())
    )


def test_every_planted_month_found_none_invented(
    duck: engines.DuckDBEngine, clear_dir: Path
) -> None:
    clusters = truth_clusters(clear_dir)
    res = funding.double_funding(
        duck, manifests(clear_dir), clusters=clusters, pu=pu.read(clear_dir / "pu.csv")
    )
    got, want = as_truth(res, clear_dir, clusters), expected(clear_dir)
    assert want.height > 50
    assert got.equals(want)
    assert res.rupiah == want.get_column("amount").sum()
    assert res.by_payer.get_column("rupiah").sum() == res.rupiah
    assert any(p.startswith("pu:") for p in res.by_payer.get_column("payer"))


def test_with_the_deduplication_and_hashed_niks(
    duck: engines.DuckDBEngine, hashed_dir: Path
) -> None:
    ms = manifests(hashed_dir)
    dd = dedupe.run(duck, ms, model=model(hashed_dir))
    participants = pseudonym.hash_column(pu.read(hashed_dir / "pu.csv"), "nik", KEY)
    res = funding.double_funding(duck, ms, clusters=dd.clusters, pu=participants)
    got, want = as_truth(res, hashed_dir, dd.clusters), expected(hashed_dir)
    # what the deduplication links is found exactly; nothing is invented
    assert got.join(want, on=list(want.columns), how="anti", nulls_equal=True).height == 0
    assert got.height >= 0.95 * want.height


def test_no_payments_no_double(duck: engines.DuckDBEngine, clear_dir: Path) -> None:
    res = funding.double_funding(duck, manifests(clear_dir)[:1])
    assert res.months.height == 0 and res.rupiah == 0


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("2026-03", ["2026-03"]),
        ("2025-11..2026-02", ["2025-11", "2025-12", "2026-01", "2026-02"]),
        ("2026-05; 2026-01..2026-02;2026-05", ["2026-01", "2026-02", "2026-05"]),
        ("2026-13", None),
        ("2026-03..2026-01", None),
        ("", None),
        ("March", None),
    ],
)
def test_months(text: str, months: list[str] | None) -> None:
    got = pu.months(text)
    assert (None if got is None else [d.strftime("%Y-%m") for d in got]) == months


@given(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 1)), st.integers(0, 40))
def test_a_run_has_its_length(start: dt.date, extra: int) -> None:
    a = start.replace(day=1)
    y, m = divmod(a.month - 1 + extra, 12)
    b = dt.date(a.year + y, m + 1, 1)
    got = pu.months(f"{a:%Y-%m}..{b:%Y-%m}")
    assert got is not None and len(got) == extra + 1 and got[0] == a and got[-1] == b


def test_a_bad_row_is_named(tmp_path: Path) -> None:
    f = tmp_path / "pu.csv"
    f.write_text("nik,employer,months\n9671010101900001,PT A,2026-01\n12345,PT B,2026-01\n")
    with pytest.raises(JaringError) as e:
        pu.read(f)
    assert e.value.code == "bad_pu_file" and e.value.context["row"] == 3  # the file's line
    f.write_text("nik,employer\n9671010101900001,PT A\n")
    with pytest.raises(JaringError) as e:
        pu.read(f)
    assert e.value.code == "missing_column"
