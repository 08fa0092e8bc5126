"""Benefits: PP 82/2019 and the history before it, each amount explained."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from jaring.errors import JaringError
from jaring.law import benefits as b

D = dt.date
PP82 = D(2019, 12, 2)
BEFORE = D(2019, 12, 1)
E = D(2024, 5, 1)


def test_jkm_is_42_million_from_pp82_and_24_million_the_day_before() -> None:
    after = b.jkm(PP82, segment="pu")
    assert after.components == {
        "lump_sum": 20_000_000,
        "periodic": 12_000_000,
        "funeral": 10_000_000,
        "total": 42_000_000,
    }
    before = b.jkm(BEFORE, segment="pu")
    assert before.components == {
        "lump_sum": 16_200_000,
        "periodic": 4_800_000,
        "funeral": 3_000_000,
        "total": 24_000_000,
    }
    assert all(
        line.effective_from == PP82 and "PP 82/2019" in line.reference for line in after.explanation
    )
    assert not after.uncertain


def test_jkm_issue_example() -> None:
    a = b.jkm(E, segment="bpu", member_since=D(2023, 1, 1))
    assert a.total == 42_000_000 and not a.uncertain


@pytest.mark.parametrize(
    ("since", "event", "total"),
    [
        (D(2024, 3, 1), D(2024, 3, 1), 10_000_000),
        (D(2024, 3, 1), D(2024, 5, 31), 10_000_000),
        (D(2024, 3, 1), D(2024, 6, 1), 42_000_000),
        (D(2023, 11, 30), D(2024, 2, 28), 10_000_000),
        (D(2023, 11, 30), D(2024, 2, 29), 42_000_000),  # 30 Nov + 3 months = 29 Feb
    ],
)
def test_bpu_first_three_months_rule_splits_death_benefit_and_funeral(
    since: dt.date, event: dt.date, total: int
) -> None:
    a = b.jkm(event, segment="bpu", member_since=since)
    assert a.total == total
    if total == 10_000_000:
        assert (a.components["lump_sum"], a.components["funeral"]) == (8_000_000, 2_000_000)
        assert a.components["periodic"] == 0 and not a.uncertain
        ref = a.explanation[0].reference
        assert "Peraturan BPJS Ketenagakerjaan 5/2021" in ref
        assert "Permenaker 1/2025" in (a.explanation[0].note_en or "")
    # A wage earner is never under the rule.
    assert b.jkm(event, segment="pu", member_since=since).total == 42_000_000


def test_bpu_without_membership_date_is_uncertain() -> None:
    a = b.jkm(E, segment="bpu")
    assert a.total == 42_000_000 and a.uncertain


def test_jkm_refusals() -> None:
    with pytest.raises(JaringError) as e:
        b.jkm(E, segment="xx")
    assert e.value.code == "unknown_segment"
    with pytest.raises(JaringError) as e:
        b.jkm(E, member_since=D(2024, 6, 1))
    assert e.value.code == "event_before_membership"
    with pytest.raises(JaringError) as e:
        b.jkm(D(2015, 6, 30))
    assert e.value.code == "date_before_law"


def test_jkk_death() -> None:
    a = b.jkk_death(2_000_000, E)
    assert a.components == {
        "lump_sum": 96_000_000,
        "periodic": 12_000_000,
        "funeral": 10_000_000,
        "total": 118_000_000,
    }
    assert b.jkk_death(2_000_000, BEFORE).total == 96_000_000 + 4_800_000 + 3_000_000
    with pytest.raises(JaringError):
        b.jkk_death(-1, E)


def test_jkk_total_disability_is_56_times_wage_plus_the_periodic_benefit() -> None:
    assert b.jkk_total_disability(2_000_000, E).total == 112_000_000 + 12_000_000
    assert b.jkk_total_disability(2_000_000, BEFORE).total == 112_000_000 + 4_800_000


@pytest.mark.parametrize(
    ("part", "percent"),
    [
        ("mata-keduanya", 70),
        ("mata-satu", 35),
        ("telinga-keduanya", 40),
        ("telinga-satu", 20),
        ("lengan-kanan-bahu", 40),
        ("lengan-kiri-bahu", 35),
    ],
)
def test_every_known_disability_row(part: str, percent: int) -> None:
    a = b.jkk_partial_disability(2_000_000, E, part=part)
    assert a.total == percent * 80 * 2_000_000 // 100
    assert a.explanation[0].value["percent"] == percent
    assert {row["part"] for row in b.disability_parts(E)} >= {part}


def test_functional_disability_and_rounding() -> None:
    a = b.jkk_partial_disability(2_000_000, E, percent=Decimal("35"), function_loss=Decimal("50"))
    assert a.total == 28_000_000
    # 12.5% x 80 x 1,000,001 = 10,000,010; x 33.33% = 3,333,003.333 -> 3,333,003
    a = b.jkk_partial_disability(
        1_000_001, E, percent=Decimal("12.5"), function_loss=Decimal("33.33")
    )
    assert a.total == 3_333_003


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({}, "disability_part_or_percent"),
        ({"part": "mata-satu", "percent": Decimal(1)}, "disability_part_or_percent"),
        ({"part": "kaki"}, "unknown_disability_part"),
        ({"percent": Decimal(101)}, "bad_percent"),
        ({"percent": Decimal(10), "function_loss": Decimal(-1)}, "bad_percent"),
    ],
)
def test_partial_disability_refusals(kwargs: dict, code: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(JaringError) as e:
        b.jkk_partial_disability(2_000_000, E, **kwargs)
    assert e.value.code == code


@pytest.mark.parametrize(
    ("months", "total"),
    [(0, 0), (1, 2_000_000), (12, 24_000_000), (13, 25_000_000), (14, 26_000_000)],
)
def test_stmb_full_wage_for_12_months_then_half(months: int, total: int) -> None:
    assert b.stmb(2_000_000, months, E).total == total


def test_stmb_before_pp82_and_default_date() -> None:
    # PP 44/2015: 6 x 100%, 6 x 75%, then 50%
    assert b.stmb(2_000_000, 14, BEFORE).components == {
        "pct_100": 12_000_000,
        "pct_75": 9_000_000,
        "pct_50": 2_000_000,
        "total": 23_000_000,
    }
    assert b.stmb(2_000_000, 14).total == 26_000_000
    with pytest.raises(JaringError):
        b.stmb(2_000_000, -1, E)


def test_jkk_medical_has_no_ceiling() -> None:
    assert b.jkk_medical(750_000_000, E).total == 750_000_000


@pytest.mark.parametrize(
    ("level", "years", "amount"),
    [
        ("tk-sd", 8, 12_000_000),
        ("smp", 3, 6_000_000),
        ("sma", 3, 9_000_000),
        ("pt", 5, 60_000_000),
        ("pt", 7, 60_000_000),
        ("smp", 1, 2_000_000),
    ],
)
def test_scholarship_per_level(level: str, years: int, amount: int) -> None:
    assert b.scholarship(E, [(level, years)], contribution_months=36).total == amount


def test_scholarship_two_children_and_the_three_year_condition() -> None:
    a = b.scholarship(E, [("tk-sd", 8), ("pt", 5)], contribution_months=40)
    assert a.components == {"child_1": 12_000_000, "child_2": 60_000_000, "total": 72_000_000}
    with pytest.raises(JaringError) as e:
        b.scholarship(E, [("smp", 3)], contribution_months=35)
    assert e.value.code == "scholarship_min_contribution"
    with pytest.raises(JaringError) as e:
        b.scholarship(E, [("smp", 3)])
    assert e.value.code == "contribution_months_required"
    # JKK needs no minimum period.
    assert b.scholarship(E, [("smp", 3)], cause="jkk", contribution_months=1).total == 6_000_000
    assert b.scholarship(E, [("smp", 3)], cause="jkk").total == 6_000_000
    with pytest.raises(JaringError) as e:
        b.scholarship(E, [("smp", 3)] * 3, cause="jkk")
    assert e.value.code == "scholarship_too_many_children"
    with pytest.raises(JaringError) as e:
        b.scholarship(E, [("s3", 3)], cause="jkk")
    assert e.value.code == "unknown_school_level"


def test_scholarship_before_pp82_is_the_flat_pp44_amount() -> None:
    # PP 44/2015: Rp12.000.000 at once for one child, whatever the level and years
    assert b.scholarship(BEFORE, [("smp", 3)], cause="jkk").total == 12_000_000


def test_jkm_frame_equals_the_scalar_rule() -> None:
    rows = [
        (E, "bpu", D(2023, 1, 1)),
        (E, "bpu", D(2024, 3, 1)),
        (E, "bpu", None),
        (E, "pu", D(2024, 4, 1)),
        (BEFORE, "pu", None),
        (D(2024, 2, 28), "bpu", D(2023, 11, 30)),
        (D(2024, 2, 29), "bpu", D(2023, 11, 30)),
    ]
    df = pl.DataFrame(
        rows,
        schema={"event_date": pl.Date, "segment": pl.String, "member_since": pl.Date},
        orient="row",
    )
    out = b.jkm_frame(df)
    for row, (event, seg, since) in zip(out.iter_rows(named=True), rows, strict=True):
        one = b.jkm(event, segment=seg, member_since=since)
        assert row["total"] == one.total
        assert (row["lump_sum"], row["periodic"], row["funeral"]) == (
            one.components["lump_sum"],
            one.components["periodic"],
            one.components["funeral"],
        )
        assert row["uncertain"] == one.uncertain


def test_jkk_frame_equals_the_scalar_rules() -> None:
    df = pl.DataFrame(
        {
            "kind": [
                "death",
                "total_disability",
                "partial_disability",
                "partial_disability",
                "death",
            ],
            "wage": [2_000_000, 3_000_000, 1_000_001, 2_000_000, 1_000_000],
            "event_date": [E, E, E, E, BEFORE],
            "percent": [None, None, 12.5, 35.0, None],
            "function_loss": [None, None, 33.33, None, None],
        }
    )
    out = b.jkk_frame(df)
    assert out["total"].to_list() == [
        b.jkk_death(2_000_000, E).total,
        b.jkk_total_disability(3_000_000, E).total,
        b.jkk_partial_disability(
            1_000_001, E, percent=Decimal("12.5"), function_loss=Decimal("33.33")
        ).total,
        b.jkk_partial_disability(2_000_000, E, percent=Decimal(35)).total,
        b.jkk_death(1_000_000, BEFORE).total,
    ]
    with pytest.raises(JaringError) as e:
        b.jkk_frame(df.with_columns(pl.lit("flood").alias("kind")))
    assert (e.value.code, e.value.context["row"]) == ("unknown_kind", 1)


def test_home_care_and_transport_have_ceilings() -> None:
    assert b.jkk_home_care(25_000_000, E).total == 20_000_000
    assert b.jkk_home_care(7_500_000, E).total == 7_500_000
    assert [b.jkk_transport(50_000_000, m, E).total for m in ("land", "sea", "air")] == [
        5_000_000,
        2_000_000,
        10_000_000,
    ]
    with pytest.raises(JaringError) as e:
        b.jkk_transport(1, "rail", E)
    assert e.value.code == "unknown_transport_mode"
    with pytest.raises(JaringError) as e:
        b.jkk_home_care(1, BEFORE)
    assert e.value.code == "parameter_unknown"


def test_rules_held_as_data() -> None:
    from jaring.law.parameters import params

    heirs = params().value("benefits.heirs_order", E)
    assert heirs[0]["heir"] == "spouse-or-child" and len(heirs) == 6
    assert params().value("bpu.inactive_after_unpaid_months", E) == 3
    assert params().value("benefits.jkk.claim_deadline_years", E) == 5
    assert params().value("benefits.claims.payment_working_days", E) == {"jkm": 3, "jkk": 7}
    assert len(params().value("benefits.claims.jkm_documents", E)) == 8
