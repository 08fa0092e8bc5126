"""The batch pass gives, claim by claim, what the one-claim path gives."""

import datetime as dt

import polars as pl

from jaring.claims import batch
from jaring.claims.batch import assess_frame
from jaring.claims.entitlement import entitle

D = dt.date


def test_batch_equals_one_by_one() -> None:
    memberships = pl.DataFrame(
        {
            "membership_id": [1, 2, 3],
            "start_month": [D(2023, 1, 1), D(2024, 1, 1), D(2020, 1, 1)],
            "segment": ["bpu", "bpu", "pu"],
            "income_base": [1_000_000, 2_000_000, 4_500_000],
        }
    )
    periods = pl.DataFrame(
        {
            "membership_id": [1, 2, 3],
            "start_date": [D(2023, 1, 1), D(2024, 1, 1), D(2020, 1, 1)],
            "end_date": [D(2024, 12, 31), D(2024, 6, 30), D(2024, 12, 31)],
        }
    )
    claims = pl.DataFrame(
        {
            "claim_ref": range(1, 11),
            "membership_id": [1, 1, 2, 2, 2, 3, 1, 3, 2, 1],
            "type": [
                "jkm",
                "jkm",
                "jkm",
                "jkm",
                "jkk_death",
                "jkk_disability",
                "jkk_medical",
                "jkk_stmb",
                "jkk_disability",
                "jkk_death",
            ],
            "event_date": [
                D(2023, 3, 31),
                D(2023, 4, 1),
                D(2024, 2, 10),
                D(2024, 7, 1),
                D(2024, 5, 5),
                D(2024, 3, 3),
                D(2019, 5, 1),
                D(2024, 2, 2),
                D(2024, 4, 4),
                D(2024, 8, 8),
            ],
            "filed_on": [D(2025, 1, 1)] * 10,
            "disability": [None] * 5 + ["total", None, None, "partial", None],
            "percent": [None] * 8 + [35.0, None],
            "cost": [None] * 6 + [4_000_000, None, None, None],
            "months": [None] * 7 + [14, None, None],
        }
    )
    out = assess_frame(claims, memberships, periods).sort("claim_ref")
    seg = dict(zip(memberships["membership_id"], memberships["segment"], strict=True))
    wage = dict(zip(memberships["membership_id"], memberships["income_base"], strict=True))
    for c, r in zip(claims.to_dicts(), out.to_dicts(), strict=True):
        inputs = {k: c[k] for k in ("disability", "percent", "cost", "months") if c[k] is not None}
        if c["type"] != "jkk_medical":
            inputs["wage"] = wage[c["membership_id"]]
        one = entitle(
            c["type"], c["event_date"], segment=seg[c["membership_id"]], facts=r, inputs=inputs
        )
        assert (r["amount"], r["law_total"]) == (one["amount"], one["law_total"]), c
        assert r["early_death"] == one["early_death"], c
    assert out["early_death"].to_list()[:2] == [True, False]
    assert out["amount"].to_list()[3] == 0  # after the lapse
    # 2019: PP 44/2015's 2-year deadline applies too
    assert out["reasons"].to_list()[6] == ["not_covered", "deadline_passed"]


def test_batch_from_the_store(engine) -> None:
    from jaring.access import Actor
    from jaring.claims import queries

    from .helpers import world

    world(
        engine,
        [
            {"nik": "9671010101800001", "periods": [(D(2024, 1, 1), D(2024, 6, 30))]},
            {"nik": "9671010101800002", "periods": [(D(2023, 1, 1), D(2024, 12, 31))]},
        ],
    )
    claims = pl.DataFrame(
        {
            "claim_ref": [1, 2, 3],
            "membership_id": [1, 1, 2],
            "type": ["jkm", "jkm", "jkk_death"],
            "event_date": [D(2024, 6, 30), D(2024, 7, 1), D(2024, 3, 1)],
            "filed_on": [D(2024, 8, 1)] * 3,
        }
    )
    for _ in range(2):  # twice: the temporary table must not outlive the call
        out = queries.assess_batch(engine, Actor.system(), claims).sort("claim_ref")
        assert out["amount"].to_list() == [42_000_000, 0, 48 * 1_000_000 + 22_000_000]
        assert out["reasons"].to_list()[1] == ["lapsed"]

    # a membership that does not exist leaves its claim unassessed, never the others
    some_unknown = claims.with_columns(
        pl.when(pl.col("claim_ref") == 2).then(99).otherwise(pl.col("membership_id"))
        .alias("membership_id")
    )  # fmt: skip
    out = queries.assess_batch(engine, Actor.system(), some_unknown).sort("claim_ref")
    assert out["amount"].to_list() == [42_000_000, 0, 48 * 1_000_000 + 22_000_000]
    assert out["reasons"].to_list()[1] == ["membership_not_found"]
    assert batch.summarise(out).unassessed == 1
