"""The contributions benchmark's own references (a plain loop and tuned rules, written apart
from the law's vectorised code) give the law's amounts, so that its 'exact' stays true when
the law changes: a PU package with or without JHT, every risk group, BPU with or without JHT."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from jaring.law import contributions
from jaring.law.parameters import params

SPEC = importlib.util.spec_from_file_location(
    "law_contributions_bench", Path(__file__).parents[2] / "bench" / "law_contributions.py"
)
assert SPEC and SPEC.loader
BENCH = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(BENCH)

WORKER = st.one_of(
    st.tuples(
        st.just("bpu"), st.integers(0, 50_000).map(lambda k: k * 1000), st.none(), st.none(),
        st.booleans(),
    ),
    st.tuples(
        st.just("pu"), st.none(), st.integers(1, 60_000).map(lambda k: k * 1000),
        st.sampled_from(contributions.RISKS), st.booleans(),
    ),
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(WORKER, min_size=1, max_size=40), st.dates(dt.date(2024, 1, 1), dt.date(2026, 2, 1))
)
def test_the_benchmarks_references_give_the_laws_amounts(workers, on: dt.date) -> None:  # type: ignore[no-untyped-def]
    df = pl.DataFrame(
        workers,
        schema={"segment": pl.String, "income": pl.Int64, "wage": pl.Int64, "risk": pl.String,
                "jht": pl.Boolean},
        orient="row",
    )  # fmt: skip
    law = contributions.frame(df, on)["total"].to_list()
    tuned = BENCH.TunedRules(on)
    tree = params()
    assert [tuned.total(*w) for w in workers] == law
    assert [BENCH.plain_total(tree, on, *w) for w in workers] == law
