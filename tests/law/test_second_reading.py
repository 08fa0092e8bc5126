"""The second reading of the law (December 2026): each corrected amount computed by hand,
through the rule and through ``jaring law`` as a user runs it."""

from __future__ import annotations

import datetime as dt
import json

from tests.law.test_cli import jaring, process

from jaring.law import contributions

D = dt.date


def test_jp_caps_of_2020_and_2021_by_hand() -> None:
    june_2021 = contributions.pu(12_000_000, "sangat-tinggi", D(2021, 6, 1)).components
    assert (june_2021["jp_employer"], june_2021["jp_worker"]) == (175_092, 87_546)
    june_2020 = contributions.pu(9_000_000, "sedang", D(2020, 6, 1)).components
    assert (june_2020["jp_employer"], june_2020["jp_worker"]) == (178_794, 89_397)
    # 2016 and 2018 are sourced now: 1% of 7.335.300 and of 8.094.000
    assert contributions.pu(9_000_000, "sedang", D(2016, 6, 1)).components["jp_worker"] == 73_353
    assert contributions.pu(9_000_000, "sedang", D(2018, 6, 1)).components["jp_worker"] == 80_940


def test_jp_2021_through_the_command_line() -> None:
    p = process(
        "law", "contribution", "--segment", "pu", "--wage", "12000000", "--risk",
        "sangat-tinggi", "--on", "2021-06-01", "--json",
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["jp_employer"], out["jp_worker"]) == (175_092, 87_546)
    assert out["total"] == 208_800 + 36_000 + 444_000 + 240_000 + 175_092 + 87_546


def test_total_disability_through_the_command_line() -> None:
    p = process(
        "law", "benefit", "jkk-total-disability", "--wage", "3000000", "--event-date",
        "2024-05-01", "--json",
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["lump_sum"], out["periodic"], out["total"]) == (
        168_000_000,
        12_000_000,
        180_000_000,
    )


def test_jkk_death_minimum_through_the_command_line() -> None:
    out = json.loads(
        jaring(
            "law", "benefit", "jkk-death", "--wage", "400000", "--event-date", "2024-05-01",
            "--json",
        ).stdout
    )  # fmt: skip
    assert (out["lump_sum"], out["total"]) == (20_000_000, 42_000_000)
    lines = {line["parameter"]: line for line in out["explanation"]}
    assert lines["benefits.jkk.death_multiplier"]["amount"] is None
    assert lines["benefits.jkm.lump_sum"]["amount"] == 20_000_000


def test_jkk_death_never_below_the_jkm_lump_sum_by_property() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from jaring.law import benefits

    @given(
        st.integers(min_value=0, max_value=50_000_000),
        st.dates(min_value=D(2015, 7, 1), max_value=D(2030, 12, 31)),
    )
    def check(wage: int, day: dt.date) -> None:
        amount = benefits.jkk_death(wage, day)
        floor = 20_000_000 if day >= D(2019, 12, 2) else 16_200_000
        assert amount.components["lump_sum"] == max(48 * wage, floor)

    check()


def test_pp49_jp_deferral_and_its_repayment_by_hand() -> None:
    from jaring.law import deferral

    # September 2020, 12.000.000 very high risk: JP on the cap 8.939.700 = 178.794 + 89.397
    # = 268.191; 99% deferred = 265.509 (half up); JKK + JKM relief 99% of 244.800 = 242.352.
    sept = deferral.pu_with_deferral(12_000_000, "sangat-tinggi", D(2020, 9, 1)).components
    assert (sept["jp_deferred"], sept["discount"]) == (265_509, 242_352)
    assert sept["total"] == 208_800 + 36_000 + 684_000 + 268_191 - 242_352 - 265_509
    # six relief months at the same cap: 6 x 265.509 = 1.593.054 over 12 instalments:
    # 132.754 each, the remainder 6 on the first six: 132.755 in May to October 2021.
    plan = deferral.repayment_schedule(6 * 265_509)
    assert [i.amount for i in plan] == [132_755] * 6 + [132_754] * 6
    assert (plan[0].month, plan[-1].month) == (D(2021, 5, 1), D(2022, 4, 1))
    # June 2021: the regular JP stays 175.092 + 87.546; the instalment is its own line
    june = deferral.pu_with_deferral(12_000_000, "sangat-tinggi", D(2021, 6, 1))
    c = june.components
    assert (c["jp_employer"], c["jp_worker"], c["jp_repayment"]) == (175_092, 87_546, 132_755)
    assert c["total"] == 1_191_438 + 132_755
    assert [line.parameter for line in june.explanation][-1] == "discounts.pp49_2020_jp_repayment"


def test_pp49_deadline_and_fine() -> None:
    from jaring.law import deferral

    assert deferral.due_date(D(2020, 9, 1)) == D(2020, 10, 30)
    assert deferral.due_date(D(2021, 1, 1)) == D(2021, 2, 28)  # the 30th, clamped
    assert deferral.due_date(D(2021, 2, 1)) == D(2021, 3, 15)
    # 0,5% of 1.000.000 = 5.000 a month; paid 2 November: 1 month late (due 30 October)
    assert deferral.late_fine(1_000_000, D(2020, 9, 1), D(2020, 11, 2)).total == 5_000
    assert deferral.late_fine(1_000_000, D(2020, 9, 1), D(2020, 10, 30)).total == 0
    # 2% after the relief: due 15 March 2021, paid 16 April: 2 months begun, 40.000
    assert deferral.late_fine(1_000_000, D(2021, 2, 1), D(2021, 4, 16)).total == 40_000


def test_deferral_through_the_command_line() -> None:
    out = json.loads(
        jaring(
            "law", "contribution", "--segment", "pu", "--wage", "12000000", "--risk",
            "sangat-tinggi", "--on", "2021-06-01", "--pp49-jp-deferral", "--json",
        ).stdout
    )  # fmt: skip
    assert (out["jp_employer"], out["jp_worker"], out["jp_repayment"]) == (175_092, 87_546, 132_755)


def test_claim_payment_time_counts_holidays_by_hand() -> None:
    from jaring.law import workdays

    # File complete Friday 5 April 2024. 8, 9, 12, 15 April cuti bersama, 10-11 Idul Fitri:
    # the 3 working days are 16, 17, 18 April (JKM); JKK's 7 run to 24 April.
    assert workdays.add_working_days(D(2024, 4, 5), 3).due == D(2024, 4, 18)
    assert workdays.add_working_days(D(2024, 4, 5), 7).due == D(2024, 4, 24)
    # paid 20 April: 2 days late, 1% a day of Rp42.000.000 = Rp840.000
    a = workdays.claim_payment("jkm", D(2024, 4, 5), 42_000_000, D(2024, 4, 20))
    assert a.total == 840_000 and not a.uncertain
    assert workdays.claim_payment("jkm", D(2024, 4, 5), 42_000_000, D(2024, 4, 18)).total == 0
    # across the year: 25 Dec 2024 off, 26 cuti bersama, 1 Jan 2025 off: 23, 24, 27, 30, 31
    # December, 2 and 3 January are JKK's 7 working days; paid 6 January, 3 days late
    late = workdays.claim_payment("jkk", D(2024, 12, 20), 1_000_000, D(2025, 1, 6))
    assert not late.uncertain and late.total == 30_000
    # no 2027 list: Monday to Friday counted, and flagged
    late = workdays.claim_payment("jkk", D(2026, 12, 24), 1_000_000, D(2027, 1, 7))
    assert late.uncertain and "Monday to Friday" in (late.explanation[0].note_en or "")
    # 28, 29, 30, 31 December, then 1 (counted: no list), 4, 5 January: 2 days late
    assert late.total == 20_000


def test_holiday_lists_of_2021_to_2026_by_hand() -> None:
    from jaring.law import workdays

    # Idul Fitri 2025: 31 March - 1 April off, 2, 3, 4, 7 April cuti bersama; complete
    # Friday 28 March (itself cuti bersama): JKM's 3 days are 8, 9, 10 April
    assert workdays.add_working_days(D(2025, 3, 28), 3).due == D(2025, 4, 10)
    # 18 August 2025, added by the amended decree: complete 15 August -> 19, 20, 21 August
    assert workdays.add_working_days(D(2025, 8, 15), 3).due == D(2025, 8, 21)
    # Idul Fitri 2026: 20, 23, 24 March cuti bersama, 19 March Nyepi -> 18 is cuti too;
    # complete Tuesday 17 March: 25, 26, 27 March
    assert workdays.add_working_days(D(2026, 3, 17), 3).due == D(2026, 3, 27)
    # 2023 after both amendments: 19-25 April off for Idul Fitri; 26 April works again
    assert workdays.add_working_days(D(2023, 4, 18), 1).due == D(2023, 4, 26)
    # 2022: 29 April and 2-6 May; 2021: only 12 May cuti bersama, 13-14 May off
    assert workdays.add_working_days(D(2022, 4, 28), 1).due == D(2022, 5, 9)
    assert workdays.add_working_days(D(2021, 5, 11), 1).due == D(2021, 5, 17)
    # 27 November 2024, the regional elections (Keppres 33/2024)
    assert workdays.add_working_days(D(2024, 11, 26), 1).due == D(2024, 11, 28)
    assert workdays.holidays(2020) is None and workdays.holidays(2027) is None


def test_claim_payment_command() -> None:
    out = json.loads(
        jaring(
            "law", "claim-payment", "--program", "jkm", "--complete-on", "2024-04-05",
            "--benefit", "42000000", "--paid-on", "2024-04-20", "--json",
        ).stdout
    )  # fmt: skip
    assert out["total"] == 840_000


def test_scholarship_levels_and_the_pp44_scheme_by_hand() -> None:
    from jaring.law import benefits

    on = D(2024, 5, 1)
    # TK at most 2 years (2 x 1.500.000), SD at most 6 (6 x 1.500.000), together 8
    assert benefits.scholarship(on, [("tk", 3)], cause="jkk").total == 3_000_000
    assert benefits.scholarship(on, [("sd", 7)], cause="jkk").total == 9_000_000
    assert benefits.scholarship(on, [("tk-sd", 9)], cause="jkk").total == 12_000_000
    # before PP 82/2019: Rp12.000.000 at once for one child; JKM after 60 months
    before = D(2019, 6, 1)
    assert benefits.scholarship(before, [("pt", 1)], contribution_months=60).total == 12_000_000
    assert benefits.scholarship(before, [("sd", 1)], cause="jkk").total == 12_000_000
    import pytest

    from jaring.errors import JaringError

    with pytest.raises(JaringError) as e:
        benefits.scholarship(before, [("sd", 1)], contribution_months=59)
    assert e.value.code == "scholarship_min_contribution"
    with pytest.raises(JaringError) as e:
        benefits.scholarship(before, [("sd", 1), ("smp", 1)], cause="jkk")
    assert e.value.code == "scholarship_too_many_children"
    # the end: 23 years old, marriage, work
    assert benefits.scholarship_end(on, D(2001, 5, 1)) == "age"
    assert benefits.scholarship_end(on, D(2001, 5, 2)) is None
    assert benefits.scholarship_end(on, married=True) == "marriage"
    assert benefits.scholarship_end(on, working=True) == "work"


def test_jkk_claim_deadline_was_2_years_before_pp82() -> None:
    from jaring.law.parameters import params

    assert params().value("benefits.jkk.claim_deadline_years", D(2018, 1, 1)) == 2
    assert params().value("benefits.jkk.claim_deadline_years", D(2019, 12, 2)) == 5


def test_bpu_arrears_lapse_and_refund_by_hand() -> None:
    from jaring.law import arrears

    # covered to 31 March 2024: arrears payable to 30 June; 1 July the membership has ended
    assert arrears.status_on(D(2024, 3, 31), D(2024, 3, 31)) == "covered"
    assert arrears.status_on(D(2024, 3, 31), D(2024, 6, 30)) == "grace"
    assert arrears.status_on(D(2024, 3, 31), D(2024, 7, 1)) == "ended"
    assert arrears.new_start_after_payment(D(2024, 3, 31), D(2024, 6, 30)) is None
    assert arrears.new_start_after_payment(D(2024, 3, 31), D(2024, 7, 15)) == D(2024, 7, 1)
    # died 10 May 2024, paid Rp16.800 for May to December: June-December refunded, 7 x 16.800
    paid = [(D(2024, m, 1), 16_800) for m in range(5, 13)]
    refund = arrears.refund_after_death(D(2024, 5, 10), paid)
    assert refund.total == 117_600 and len(refund.explanation) == 7


def test_jht_bpu_estimate_by_hand() -> None:
    from jaring.law import jht

    # Rp20.000 a month (2% of Rp1.000.000) for 2023 and 2024 at 5% a year:
    # 2023: 20.000 x (11+10+...+0)/12 x 5% = 20.000 x 66/12 x 0,05 = 5.500
    # 2024: 245.500 x 5% = 12.275, + 5.500 = 17.775; balance 480.000 + 5.500 + 17.775
    paid = [(D(y, m, 1), 20_000) for y in (2023, 2024) for m in range(1, 13)]
    a = jht.estimate(paid, D(2025, 1, 1))
    assert a.components == {"contributions": 480_000, "returns": 23_275, "total": 503_275}
    assert a.uncertain and "ledger" in (a.explanation[0].note_en or "")
    # on the day of a death in mid-2024 the 2024 return is not yet credited
    assert jht.payout_on_death(paid, D(2024, 6, 15)).total == 240_000 + 5_500 + 6 * 20_000


def test_transport_by_several_modes_and_return_to_work_by_hand() -> None:
    from jaring.law import benefits

    on = D(2024, 5, 1)
    # land 3.000.000 + 3.500.000 return to work = 6.500.000, capped 5.000.000;
    # sea 1.500.000 (ceiling 2.000.000); air 12.000.000 capped 10.000.000: 16.500.000
    a = benefits.jkk_transport_modes(
        {"land": 3_000_000, "sea": 1_500_000, "air": 12_000_000},
        on,
        return_to_work={"land": 3_500_000},
    )
    assert a.components == {
        "land": 5_000_000, "sea": 1_500_000, "air": 10_000_000, "total": 16_500_000,
    }  # fmt: skip
    assert benefits.jkk_transport(7_000_000, "air", on).components == {
        "transport": 7_000_000, "total": 7_000_000,
    }  # fmt: skip


def test_sudden_death_caused_by_work_is_jkk() -> None:
    from jaring.claims.entitlement import sudden_death_type

    assert sudden_death_type(D(2024, 5, 1), caused_by_work=True) == "jkk_death"
    assert sudden_death_type(D(2024, 5, 1), caused_by_work=False) == "jkm"
    assert (
        sudden_death_type(D(2020, 5, 1), caused_by_work=True) == "jkm"
    )  # before Permenaker 5/2021
