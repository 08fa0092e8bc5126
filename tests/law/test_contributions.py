"""Contributions: every band of PP 44/2015 Lampiran II, every date boundary of RULES.md."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from jaring.errors import JaringError
from jaring.law import blocks
from jaring.law import contributions as c
from jaring.law.parameters import ParameterError

D = dt.date
ON = D(2024, 3, 1)

# RULES.md section 1, copied by hand (not from the YAML): band, lowest income, highest, base.
BANDS = [
    (1, 0, 1_099_999, 1_000_000),
    (2, 1_100_000, 1_299_999, 1_200_000),
    (3, 1_300_000, 1_499_999, 1_400_000),
    (4, 1_500_000, 1_699_999, 1_600_000),
    (5, 1_700_000, 1_899_999, 1_800_000),
    (6, 1_900_000, 2_099_999, 2_000_000),
    (7, 2_100_000, 2_299_999, 2_200_000),
    (8, 2_300_000, 2_499_999, 2_400_000),
    (9, 2_500_000, 2_699_999, 2_600_000),
    (10, 2_700_000, 3_199_999, 2_950_000),
    (11, 3_200_000, 3_699_999, 3_450_000),
    (12, 3_700_000, 4_199_999, 3_950_000),
    (13, 4_200_000, 4_699_999, 4_450_000),
    (14, 4_700_000, 5_199_999, 4_950_000),
    (15, 5_200_000, 5_699_999, 5_450_000),
    (16, 5_700_000, 6_199_999, 5_950_000),
    (17, 6_200_000, 6_699_999, 6_450_000),
    (18, 6_700_000, 7_199_999, 6_950_000),
    (19, 7_200_000, 7_699_999, 7_450_000),
    (20, 7_700_000, 8_199_999, 7_950_000),
    (21, 8_200_000, 9_199_999, 8_700_000),
    (22, 9_200_000, 10_199_999, 9_700_000),
    (23, 10_200_000, 11_199_999, 10_700_000),
    (24, 11_200_000, 12_199_999, 11_700_000),
    (25, 12_200_000, 13_199_999, 12_700_000),
    (26, 13_200_000, 14_199_999, 13_700_000),
    (27, 14_200_000, 15_199_999, 14_700_000),
    (28, 15_200_000, 16_199_999, 15_700_000),
    (29, 16_200_000, 17_199_999, 16_700_000),
    (30, 17_200_000, 18_199_999, 17_700_000),
    (31, 18_200_000, 19_199_999, 18_700_000),
    (32, 19_200_000, 20_199_999, 19_700_000),
    (33, 20_200_000, 10**12, 20_700_000),
]


@pytest.mark.parametrize(("band", "low", "high", "base"), BANDS)
def test_every_income_band_at_both_edges(band: int, low: int, high: int, base: int) -> None:
    for income in (low, high):
        a = c.bpu(income, ON, jht=True)
        assert a.components["base"] == base
        assert a.components["jkk"] == base // 100
        assert a.components["jkm"] == 6_800
        assert a.components["jht"] == base * 2 // 100
        assert a.total == base // 100 + 6_800 + base * 2 // 100
        assert a.explanation[0].value["band"] == band


def test_the_pemda_package_is_16800_a_month() -> None:
    a = c.bpu(1_000_000, ON)
    assert (a.total, a.components["jkk"], a.components["jkm"], a.components["jht"]) == (
        16_800,
        10_000,
        6_800,
        0,
    )
    assert c.bpu(1_000_000, ON, jht=True).total == 36_800
    assert c.bpu(0, ON).total == 16_800
    assert c.bpu(20_700_000, ON).components["jkk"] == 207_000


def test_bpu_explanation_names_parameters_dates_and_references() -> None:
    a = c.bpu(2_500_000, ON, jht=True)
    assert [line.parameter for line in a.explanation] == [
        "bpu.income_bands",
        "bpu.jkk_rate",
        "bpu.jkm",
        "bpu.jht_rate",
    ]
    assert all(line.reference and line.effective_from == D(2015, 7, 1) for line in a.explanation)
    assert sum(line.amount or 0 for line in a.explanation) == a.total
    assert a.to_dict()["explanation"][0]["effective_from"] == "2015-07-01"


RISKS = {"sangat-rendah": 24, "rendah": 54, "sedang": 89, "tinggi": 127, "sangat-tinggi": 174}


@pytest.mark.parametrize(("risk", "bp"), RISKS.items())
def test_pu_jkk_by_risk_group(risk: str, bp: int) -> None:
    a = c.pu(10_000_000, risk, D(2024, 6, 1))
    assert a.components["jkk"] == 10_000_000 * bp // 10_000


def test_pu_example_from_the_issue() -> None:
    a = c.pu(12_000_000, "sangat-rendah", D(2024, 6, 1))
    assert a.components == {
        "jkk": 28_800,
        "jkm": 36_000,
        "jht_employer": 444_000,
        "jht_worker": 240_000,
        "jp_employer": 200_846,  # 2% of the Rp10,042,300 cap = 200,846
        "jp_worker": 100_423,
        "total": 1_050_069,
    }


def test_pu_rounds_half_up_to_whole_rupiah() -> None:
    # 0.24% of 1,234,567 = 2,962.96 -> 2,963; 0.30% = 3,703.701 -> 3,704; 1% JP = 12,345.67 -> 12,346
    a = c.pu(1_234_567, "sangat-rendah", D(2024, 6, 1))
    assert (a.components["jkk"], a.components["jkm"], a.components["jp_worker"]) == (
        2_963,
        3_704,
        12_346,
    )
    # exactly half: 0.30% of 1,500 = 4.5 -> 5
    assert c.pu(1_500, "rendah", D(2024, 6, 1)).components["jkm"] == 5


@pytest.mark.parametrize(
    ("day", "cap"),
    [
        (D(2024, 2, 29), 9_559_600),
        (D(2024, 3, 1), 10_042_300),
        (D(2025, 2, 28), 10_042_300),
        (D(2025, 3, 1), 10_547_400),
    ],
)
def test_jp_cap_change_in_march(day: dt.date, cap: int) -> None:
    a = c.pu(50_000_000, "sedang", day)
    assert a.components["jp_employer"] == (cap * 2 + 50) // 100
    assert a.components["jp_worker"] == (cap + 50) // 100
    assert c.pu(cap - 1, "sedang", day).components["jp_worker"] == (cap - 1 + 50) // 100


def test_the_2026_jp_cap_is_an_error_naming_the_parameter() -> None:
    assert c.pu(5_000_000, "rendah", D(2026, 2, 28)).total > 0
    with pytest.raises(ParameterError) as e:
        c.pu(5_000_000, "rendah", D(2026, 3, 1))
    assert e.value.context["parameter"] == "pu.jp_wage_cap"
    # BPU workers do not need the JP cap: they still compute in 2026.
    assert c.bpu(1_000_000, D(2026, 6, 1)).total == 16_800


@pytest.mark.parametrize(
    ("day", "transport", "discounted"),
    [
        (D(2025, 12, 31), True, False),
        (D(2026, 1, 1), True, True),
        (D(2027, 3, 31), True, True),
        (D(2027, 4, 1), True, False),
        (D(2026, 3, 31), False, False),
        (D(2026, 4, 1), False, True),
        (D(2026, 12, 31), False, True),
        (D(2027, 1, 1), False, False),
    ],
)
def test_pp50_2025_windows_for_self_paying_bpu(
    day: dt.date, transport: bool, discounted: bool
) -> None:
    own = c.bpu(1_000_000, day, paid_by="self", transport=transport)
    assert own.total == (8_400 if discounted else 16_800)
    assert own.components.get("discount", 0) == (8_400 if discounted else 0)
    assert any(line.parameter == "discounts.pp50_2025" for line in own.explanation) == discounted
    # A Pemda (APBD) never gets it.
    assert c.bpu(1_000_000, day, paid_by="apbd", transport=transport).total == 16_800


def test_pp50_2025_does_not_touch_jht() -> None:
    a = c.bpu(1_000_000, D(2026, 6, 1), paid_by="self", jht=True)
    assert (a.components["jht"], a.components["discount"], a.total) == (20_000, 8_400, 28_400)


@pytest.mark.parametrize(
    ("day", "relief"),
    [
        (D(2020, 7, 31), False),
        (D(2020, 8, 1), True),
        (D(2021, 1, 31), True),
        (D(2021, 2, 1), False),
    ],
)
def test_pp49_2020_months(day: dt.date, relief: bool) -> None:
    bpu = c.bpu(1_000_000, day)
    assert bpu.total == (168 if relief else 16_800)  # 99% off 16,800 = 16,632 off
    pu = c.pu(4_000_000, "sangat-rendah", day)
    jkk_jkm = 9_600 + 12_000
    assert pu.components.get("discount", 0) == ((jkk_jkm * 99 + 50) // 100 if relief else 0)


def test_law_starts_on_1_july_2015() -> None:
    assert c.bpu(1_000_000, D(2015, 7, 1)).total == 16_800
    with pytest.raises(ParameterError) as e:
        c.bpu(1_000_000, D(2015, 6, 30))
    assert e.value.code == "date_before_law"


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: c.bpu(-1, ON), "negative_income"),
        (lambda: c.pu(-1, "rendah", ON), "negative_wage"),
        (lambda: c.pu(1_000_000, "extreme", ON), "unknown_risk"),
        (lambda: c.bpu(1_000_000, ON, paid_by="bank"), "unknown_payer"),
        (lambda: c.bpu(10**13, ON), "amount_too_large"),
        (lambda: c.bpu(1.5, ON), "not_whole_rupiah"),  # type: ignore[arg-type]
    ],
)
def test_bad_input_is_refused(call, code: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(JaringError) as e:
        call()
    assert e.value.code == code
    assert "baris" not in e.value.message("id")  # one worker: no row number


def test_frame_matches_one_worker_calls_and_keeps_input_columns() -> None:
    df = pl.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "segment": ["bpu", "pu", "bpu", "pu"],
            "income": [2_500_000, None, 30_000_000, None],
            "wage": [None, 12_000_000, None, 3_000_000],
            "risk": [None, "sangat-rendah", None, "Sangat_Tinggi"],
            "jht": [False, None, True, None],
        }
    )
    out = c.frame(df, ON)
    assert out.columns == ["id", "segment", "income", "wage", "risk", *c.OUTPUT]
    assert all(out.schema[k] == pl.Int64 for k in c.OUTPUT)
    assert out["total"].to_list() == [
        c.bpu(2_500_000, ON).total,
        c.pu(12_000_000, "sangat-rendah", ON).total,
        c.bpu(30_000_000, ON, jht=True).total,
        c.pu(3_000_000, "sangat-tinggi", ON).total,
    ]
    assert out["jht"].to_list()[1] == out["jht_employer"][1] + out["jht_worker"][1]


def test_pu_package_without_jht_or_jp() -> None:
    """A PU package is JKK + JKM, and JHT and JP only when chosen (empty: both)."""
    df = pl.DataFrame(
        {
            "segment": ["pu"] * 4,
            "wage": [4_000_000] * 4,
            "risk": ["sangat-rendah"] * 4,
            "jht": [None, False, True, False],
            "jp": [None, True, False, False],
        }
    )
    out = c.frame(df, ON)
    # 4.000.000: JKK 9.600, JKM 12.000, JHT 148.000 + 80.000, JP 80.000 + 40.000
    assert out["total"].to_list() == [369_600, 141_600, 249_600, 21_600]
    assert out["total"].to_list() == [
        c.pu(4_000_000, "sangat-rendah", ON).total,
        c.pu(4_000_000, "sangat-rendah", ON, jht=False).total,
        c.pu(4_000_000, "sangat-rendah", ON, jp=False).total,
        c.pu(4_000_000, "sangat-rendah", ON, jht=False, jp=False).total,
    ]


def test_pu_without_jp_needs_no_jp_cap() -> None:
    """2026's JP cap is unknown: a package without JP still computes."""
    day = dt.date(2026, 6, 1)
    assert c.pu(4_000_000, "sangat-rendah", day, jp=False).total == 249_600
    df = pl.DataFrame({"segment": ["pu"], "wage": [4_000_000], "risk": ["rendah"], "jp": [False]})
    assert c.frame(df, day)["jp_employer"].to_list() == [0]


def test_frame_refusals_name_the_row() -> None:
    df = pl.DataFrame(
        {
            "segment": ["bpu", "pu", "pu"],
            "income": [1, None, None],
            "wage": [None, 1, 2],
            "risk": [None, "rendah", "x"],
        }
    )
    with pytest.raises(JaringError) as e:
        c.frame(df, ON)
    assert (e.value.code, e.value.context["row"], e.value.context["field"]) == (
        "unknown_risk",
        3,
        "risk",
    )
    with pytest.raises(JaringError) as e:
        c.frame(pl.DataFrame({"segment": ["bpu", "ojek"], "income": [1, 2]}), ON)
    assert (e.value.code, e.value.context["row"]) == ("unknown_segment", 2)
    with pytest.raises(JaringError) as e:
        c.frame(pl.DataFrame({"income": [1]}), ON)
    assert e.value.code == "missing_column"


def test_frame_reads_text_flags_and_amounts_from_files() -> None:
    df = pl.DataFrame(
        {
            "segment": ["BPU", "bpu"],
            "income": ["1000000", " 2500000"],
            "jht": ["ya", "0"],
            "paid_by": ["APBD", None],
        }
    )
    out = c.frame(df, ON)
    assert out["total"].to_list() == [36_800, 32_800]
    with pytest.raises(JaringError) as e:
        c.frame(pl.DataFrame({"segment": ["bpu"], "income": ["1.000.000"]}), ON)
    assert e.value.code == "not_a_number"
    with pytest.raises(JaringError) as e:
        c.frame(pl.DataFrame({"segment": ["bpu"], "income": [1000000.5]}), ON)
    assert e.value.code == "not_whole_rupiah"


def test_worker_months_use_each_rows_date() -> None:
    months = [D(2024, m, 1) for m in range(1, 13)] + [D(2020, 8, 1), D(2026, 4, 1)]
    df = pl.DataFrame(
        {
            "segment": ["pu"] * 12 + ["bpu", "bpu"],
            "wage": [20_000_000] * 12 + [None, None],
            "income": [None] * 12 + [1_000_000, 1_000_000],
            "risk": ["rendah"] * 12 + [None, None],
            "paid_by": ["apbd"] * 12 + ["apbd", "self"],
            "month": months,
        }
    )
    out = c.frame(df)
    expected = [c.pu(20_000_000, "rendah", m).total for m in months[:12]]
    expected += [
        c.bpu(1_000_000, months[12]).total,
        c.bpu(1_000_000, months[13], paid_by="self").total,
    ]
    assert out["total"].to_list() == expected
    assert expected[1] != expected[2]  # the JP cap rose in March
    assert expected[12:] == [168, 8_400]


def test_worker_months_need_a_month_column_and_refuse_unknown_caps() -> None:
    with pytest.raises(JaringError) as e:
        c.frame(pl.DataFrame({"segment": ["bpu"], "income": [1]}))
    assert e.value.code == "missing_column"
    df = pl.DataFrame(
        {"segment": ["pu"], "wage": [1], "risk": ["rendah"], "month": [D(2026, 3, 1)]}
    )
    with pytest.raises(ParameterError) as e:
        c.frame(df)
    assert e.value.context["parameter"] == "pu.jp_wage_cap"


def test_empty_frame() -> None:
    out = c.frame(
        pl.DataFrame(
            {"segment": [], "income": []}, schema={"segment": pl.String, "income": pl.Int64}
        ),
        ON,
    )
    assert out.height == 0 and "total" in out.columns


def test_totals() -> None:
    out = c.frame(pl.DataFrame({"segment": ["bpu"] * 3, "income": [1_000_000] * 3}), ON)
    assert c.totals(out)["total"] == 3 * 16_800


def test_enum_columns_take_the_fast_path_with_the_same_result() -> None:
    df = pl.DataFrame(
        {
            "segment": ["bpu", "pu", "bpu", None],
            "income": [2_500_000, None, 1_000_000, 5],
            "wage": [None, 12_000_000, None, None],
            "risk": [None, "sangat-rendah", None, None],
            "jht": [True, False, None, False],
        }
    ).head(3)
    as_enum = df.with_columns(
        pl.col("segment").cast(pl.Enum(["bpu", "pu"])),
        pl.col("risk").cast(pl.Enum(list(c.RISKS))),
    )
    assert c.frame(as_enum, ON)["total"].to_list() == c.frame(df, ON)["total"].to_list()
    odd = pl.DataFrame({"segment": ["BPU", "ojek"], "income": [1, 1]}).with_columns(
        pl.col("segment").cast(pl.Enum(["BPU", "ojek"]))
    )
    with pytest.raises(JaringError) as e:
        c.frame(odd, ON)
    assert (e.value.code, e.value.context["row"]) == ("unknown_segment", 2)
    assert c.frame(odd.head(1), ON)["total"].to_list() == [16_800]


def test_worker_months_when_the_largest_group_has_no_wage_earners() -> None:
    df = pl.DataFrame(
        {
            "segment": ["bpu"] * 5 + ["pu"],
            "income": [1_000_000] * 5 + [None],
            "wage": [None] * 5 + [20_000_000],
            "risk": [None] * 5 + ["sedang"],
            "month": [D(2024, 6, 1)] * 5 + [D(2024, 1, 1)],
        }
    )
    out = c.frame(df)
    assert out["total"].to_list() == [16_800] * 5 + [
        c.pu(20_000_000, "sedang", D(2024, 1, 1)).total
    ]
    assert out["jp_worker"].to_list() == [0] * 5 + [95_596]  # 1% of the Rp9,559,600 cap of 2023
    assert out["jht_employer"].to_list()[:5] == [0] * 5


def test_months_as_text() -> None:
    df = pl.DataFrame(
        {"segment": ["bpu", "bpu"], "income": [1, 1], "month": ["2024-03-01", "2020-09"]}
    )
    assert c.frame(df)["total"].to_list() == [16_800, 168]
    with pytest.raises(JaringError) as e:
        c.frame(df.with_columns(pl.lit("Maret").alias("month")))
    assert (e.value.code, e.value.context["row"]) == ("bad_date", 1)


def test_blocks_give_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    df = pl.DataFrame(
        {
            "segment": ["bpu", "pu", "bpu", "bpu", "pu", "bpu", "bpu"],
            "income": [1_000_000, None, 2_500_000, 30_000_000, None, 0, 7_000_000],
            "wage": [None, 12_000_000, None, None, 3_000_000, None, None],
            "risk": [None, "sedang", None, None, "tinggi", None, None],
            "jht": [True, False, False, True, False, False, True],
            "paid_by": ["self", "apbd", "self", "apbd", "apbd", "self", "self"],
        }
    )
    for on in (D(2024, 6, 1), D(2026, 5, 1), D(2020, 9, 1)):
        # 2026: BPU only (the JP cap of March 2026 is unknown)
        rows = df.filter(pl.col("segment") == "bpu") if on.year == 2026 else df
        whole = c.frame(rows, on)
        monkeypatch.setattr(blocks, "BLOCK", 2)
        blocked = c.frame(rows, on)
        monkeypatch.setattr(blocks, "BLOCK", 1 << 17)
        assert blocked.equals(whole)
        assert whole["discount"].sum() > 0 or on.year == 2024


def test_sliced_and_chunked_inputs() -> None:
    df = pl.DataFrame(
        {
            "segment": ["pu", "bpu", "pu", "bpu", "bpu", "pu", "bpu", "bpu", "bpu"],
            "income": [None, 1_000_000, None, 2_500_000, 9_999_999, None, 0, 20_200_000, 1_099_999],
            "wage": [5_000_000, None, 12_000_000, None, None, 900_000, None, None, None],
            "risk": ["rendah", None, "tinggi", None, None, "sedang", None, None, None],
            "jht": [False, True, False, False, True, False, True, True, False],
        }
    )
    whole = c.frame(df, ON)
    for start in range(1, 9):
        assert c.frame(df.slice(start), ON).equals(whole.slice(start))
    chunked = pl.concat([df.slice(0, 4), df.slice(4)], rechunk=False)
    assert chunked["income"].n_chunks() == 2
    assert c.frame(chunked, ON).equals(whole)
    with pytest.raises(JaringError) as e:
        c.frame(
            df.slice(2).with_columns(
                pl.when(pl.col("segment") == "bpu")
                .then(None)
                .otherwise(pl.col("income"))
                .alias("income")
            ),
            ON,
        )
    assert (e.value.code, e.value.context["row"]) == ("missing_value", 2)


def test_worker_month_blocks_mixing_parameter_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    months = [
        D(2024, 1, 1),
        D(2024, 1, 1),
        D(2024, 6, 1),
        D(2020, 9, 1),
        D(2024, 6, 1),
        D(2024, 6, 1),
        D(2024, 2, 1),
    ]
    df = pl.DataFrame(
        {
            "segment": ["pu", "bpu", "pu", "bpu", "bpu", "pu", "bpu"],
            "income": [None, 1_000_000, None, 2_500_000, 30_000_000, None, 1_200_000],
            "wage": [20_000_000, None, 20_000_000, None, None, 3_000_000, None],
            "risk": ["rendah", None, "rendah", None, None, "tinggi", None],
            "jht": [None, True, None, True, False, None, True],
            "month": months,
        }
    )
    whole = c.frame(df)
    for block in (1, 2, 3):
        monkeypatch.setattr(blocks, "BLOCK", block)
        assert c.frame(df).equals(whole)
    monkeypatch.setattr(blocks, "BLOCK", 1 << 17)
    expected = [
        c.pu(20_000_000, "rendah", months[0]).total,
        c.bpu(1_000_000, months[1], jht=True).total,
        c.pu(20_000_000, "rendah", months[2]).total,
        c.bpu(2_500_000, months[3], jht=True).total,
        c.bpu(30_000_000, months[4]).total,
        c.pu(3_000_000, "tinggi", months[5]).total,
        c.bpu(1_200_000, months[6], jht=True).total,
    ]
    assert whole["total"].to_list() == expected


def test_chunks_with_and_without_nulls_read_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunk 1 has no null income, chunk 2 has; blocks of 3 rows straddle the chunk edges.
    first = pl.DataFrame(
        {"segment": ["bpu"] * 4, "income": [0, 1_100_000, 2_500_000, 20_200_000]},
        schema={"segment": pl.String, "income": pl.Int64},
    ).with_columns(wage=pl.lit(None, pl.Int64), risk=pl.lit(None, pl.String))
    second = pl.DataFrame(
        {
            "segment": ["pu", "bpu", "pu"],
            "income": [None, 7_000_000, None],
            "wage": [5_000_000, None, 20_000_000],
            "risk": ["rendah", None, "tinggi"],
        }
    )
    chunked = pl.concat([first, second, first], rechunk=False)
    assert chunked["income"].n_chunks() == 3
    whole = c.frame(chunked.rechunk(), ON)
    for block in (1, 2, 3, 5, 1 << 17):
        monkeypatch.setattr(blocks, "BLOCK", block)
        assert c.frame(chunked, ON).equals(whole)
    assert whole["total"].to_list()[4:7] == [
        c.pu(5_000_000, "rendah", ON).total,
        c.bpu(7_000_000, ON).total,
        c.pu(20_000_000, "tinggi", ON).total,
    ]
    # A refusal in a later chunk still names its row in the whole frame.
    bad = pl.concat([first, second.with_columns(pl.lit(-5, pl.Int64).alias("wage"))], rechunk=False)
    with pytest.raises(JaringError) as e:
        c.frame(bad, ON)
    assert (e.value.code, e.value.context["row"]) == ("negative_wage", 5)


def test_enum_columns_with_empty_rows() -> None:
    segment = pl.Enum(list(c.SEGMENTS))
    risk = pl.Enum(list(c.RISKS))
    payer = pl.Enum(["self", "apbd"])  # not the law's order: mapped, not read as they are
    df = pl.DataFrame(
        {
            "segment": pl.Series(["bpu", "pu", "bpu", "bpu"], dtype=segment),
            "income": [1_000_000, None, 1_000_000, 1_000_000],
            "wage": [None, 4_000_000, None, None],
            "risk": pl.Series([None, "sedang", None, None], dtype=risk),
            "paid_by": pl.Series(["self", None, None, "apbd"], dtype=payer),
        }
    )
    on = D(2026, 6, 1)
    out = c.frame(df.filter(pl.col("segment") == "bpu"), on)
    assert out["total"].to_list() == [8_400, 16_800, 16_800]
    as_text = df.with_columns(pl.col("segment", "risk", "paid_by").cast(pl.String))
    assert c.frame(df, ON).equals(
        c.frame(as_text, ON).with_columns(df["segment", "risk", "paid_by"])
    )
    with pytest.raises(JaringError) as e:
        c.frame(df.with_columns(pl.Series("risk", [None] * 4, dtype=risk)), ON)
    assert (e.value.code, e.value.context["row"]) == ("unknown_risk", 2)
    with pytest.raises(JaringError) as e:
        c.frame(
            df.with_columns(pl.Series("segment", ["bpu", None, "pu", "bpu"], dtype=segment)), ON
        )
    assert (e.value.code, e.value.context["row"]) == ("unknown_segment", 2)


def test_payer_as_users_type_it_is_explained_as_computed() -> None:
    # "SELF" is the self-paying payer: discounted, and the explanation says so (it used to
    # compare the raw text, explaining "not when a Pemda pays" under a discounted total).
    a = c.bpu(1_000_000, D(2026, 6, 1), paid_by=" SELF")
    assert (a.total, a.components["discount"]) == (8_400, 8_400)
    assert a.total == sum(line.amount or 0 for line in a.explanation)


def test_one_worker_refusals_without_a_frame_match_the_frames() -> None:
    # The one-worker call skips the frame for valid input only; odd input still gets the
    # frame's refusal (or conversion), naming the field.
    with pytest.raises(JaringError) as e:
        c.pu(1_000_000, None, ON)  # type: ignore[arg-type]
    assert (e.value.code, e.value.context["field"]) == ("unknown_risk", "risk")
    assert c.bpu(1_000_000, ON, paid_by=None).total == 16_800  # type: ignore[arg-type]
    assert c.pu(1_000_000, " Sangat_Tinggi", ON).explanation[0].value == {"sangat-tinggi": 174}
    assert c.bpu(c.MAX_RUPIAH, ON).components["base"] == 20_700_000
    with pytest.raises(JaringError) as e:
        c.bpu(c.MAX_RUPIAH + 1, ON)
    assert (e.value.code, e.value.context["field"]) == ("amount_too_large", "income")


def test_a_month_without_relief_inside_a_block_of_relief_months(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Most of the block is under PP 49/2020 (a discount column written); the one 2024 row is
    # computed under its own parameters and must read back no discount at all.
    df = pl.DataFrame(
        {
            "segment": ["bpu", "bpu", "bpu", "pu"],
            "income": [1_000_000, 1_000_000, 1_000_000, None],
            "wage": [None, None, None, 4_000_000],
            "risk": [None, None, None, "sangat-rendah"],
            "month": [D(2020, 9, 1), D(2020, 9, 1), D(2024, 6, 1), D(2020, 9, 1)],
        }
    )
    monkeypatch.setattr(blocks, "BLOCK", 4)
    out = c.frame(df)
    assert out["discount"].to_list() == [16_632, 16_632, 0, (21_600 * 99 + 50) // 100]
    assert out["total"].to_list()[:3] == [168, 168, 16_800]
    assert out["total"][3] == c.pu(4_000_000, "sangat-rendah", D(2020, 9, 1)).total
