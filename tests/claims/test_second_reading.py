"""The second reading of the law, through claims filed on SQLite and PostgreSQL: each amount
computed by hand."""

import datetime as dt

import pytest

from jaring.access import Actor
from jaring.claims import actions

from .helpers import world

D = dt.date
SYSTEM = Actor.system()
WIDOW = [{"relation": "spouse", "name": "Mama Yuliana"}]
NIK_A = "9671010101800001"
NIK_C = "9671010101800003"


@pytest.fixture
def sorong(engine):
    world(
        engine,
        [
            {"nik": NIK_A, "periods": [(D(2024, 1, 1), D(2024, 6, 30))]},
            {"nik": NIK_C, "periods": [(D(2020, 1, 1), D(2024, 12, 31))]},
        ],
    )
    return engine


def file(engine, nik=NIK_A, claim_type="jkm", event=D(2024, 5, 10), **kw):
    kw.setdefault("heirs", WIDOW if claim_type in ("jkm", "jkk_death") else None)
    return actions.file_claim(
        engine,
        SYSTEM,
        claim_type=claim_type,
        nik=nik,
        event_date=event,
        filed_on=kw.pop("filed_on", D(2025, 1, 10)),
        reporter="Kelurahan Klasaman",
        **kw,
    )


def test_total_disability_claim_pays_the_periodic_benefit(sorong) -> None:
    # 56 x 3.000.000 = 168.000.000, + 12.000.000 periodic = 180.000.000
    c = file(sorong, claim_type="jkk_disability", inputs={"disability": "total", "wage": 3_000_000})
    assert c.eligible and c.amount == 180_000_000
    assert c.components["periodic"] == 12_000_000


def test_jkk_death_claim_never_below_the_jkm_lump_sum(sorong) -> None:
    # 48 x 400.000 = 19.200.000 < 20.000.000: 20.000.000 + 12.000.000 + 10.000.000
    c = file(sorong, claim_type="jkk_death", inputs={"wage": 400_000})
    assert c.amount == 42_000_000 and c.components["lump_sum"] == 20_000_000


def test_no_heir_and_no_will_pays_the_funeral_cost_only(sorong) -> None:
    # JKM 2024: 20.000.000 + 12.000.000 stay with the Dana Jaminan Sosial; 10.000.000 funeral
    arranger = [{"relation": "funeral_arranger", "name": "Ketua RT 03"}]
    c = file(sorong, heirs=arranger)
    assert c.eligible and c.amount == 10_000_000
    line = next(x for x in c.explanation if x["parameter"] == "claims.no_heir_funeral_only")
    assert line["amount"] == -32_000_000 and "Dana Jaminan Sosial" in line["note_en"]
    assert "PP 44/2015 Pasal 37" in line["reference"]
    # a widow found later: the full amount again, and the line is gone
    c = actions.add_heirs(
        sorong, SYSTEM, c.claim, [{"relation": "spouse", "name": "Mama Yuliana", "recipient": True}]
    )
    assert c.amount == 42_000_000
    assert all(x["parameter"] != "claims.no_heir_funeral_only" for x in c.explanation)


def test_no_heir_for_a_jkk_death(sorong) -> None:
    # JKK death on 1.000.000: 48.000.000 + 12.000.000 to the Dana Jaminan Sosial; 10.000.000
    arranger = [{"relation": "funeral_arranger", "name": "Pengurus masjid"}]
    c = file(sorong, claim_type="jkk_death", heirs=arranger)
    assert c.amount == 10_000_000


def test_scholarship_after_a_total_permanent_disability(sorong) -> None:
    # The member lives; the scholarship rests on the JKK total disability and needs no
    # minimum contribution period: TK/SD Rp1.500.000 for the year.
    kids = {"child": "Anak 1", "level": "tk-sd", "school_year": "2024/2025"}
    file(sorong, claim_type="jkk_disability", inputs={"disability": "total"})
    s = file(sorong, claim_type="scholarship", event=None, inputs=kids)
    assert s.eligible and s.amount == 1_500_000 and s.event_date == D(2024, 5, 10)
    assert s.inputs["cause"] == "jkk" and s.inputs["basis"] == "total_disability"


def test_scholarship_without_death_or_disability_is_refused(sorong) -> None:
    from jaring.errors import JaringError

    kids = {"child": "Anak 1", "level": "tk-sd", "school_year": "2024/2025"}
    file(sorong, claim_type="jkk_disability", inputs={"part": "mata-satu"})  # partial: no
    with pytest.raises(JaringError) as e:
        file(sorong, claim_type="scholarship", event=None, inputs=kids)
    assert e.value.code == "scholarship_without_death"


def test_payment_due_by_claim_type() -> None:
    from jaring.claims import workflow

    # a JKK claim complete on Friday 5 April 2024 is due on 24 April (7 working days)
    a = workflow.payment_due("jkk_medical", D(2024, 4, 5), 5_000_000, D(2024, 4, 26))
    assert a.total == 2 * 50_000  # 2 days late, 1% a day of 5.000.000
    assert workflow.payment_due("jkm", D(2024, 4, 5), 42_000_000, D(2024, 4, 18)).total == 0


def test_scholarship_ends_at_23_marriage_or_work(sorong) -> None:
    file(sorong, claim_type="jkk_disability", inputs={"disability": "total"})
    kid = {"child": "Anak 1", "level": "pt", "school_year": "2024/2025"}
    # filed 10 January 2025; born 10 January 2002: 23 that day, the scholarship has ended
    s = file(
        sorong,
        claim_type="scholarship",
        event=None,
        inputs={**kid, "child_birth_date": "2002-01-10"},
    )
    assert not s.eligible and s.reasons == ["scholarship_ended"] and s.amount == 0
    s = file(
        sorong, claim_type="scholarship", event=None,
        inputs={**kid, "child": "Anak 2", "child_birth_date": "2002-01-11"},
    )  # fmt: skip
    assert s.eligible and s.amount == 12_000_000


def _through_to_paid(engine, c, received_on, paid_on):
    from jaring.claims import queries

    actions.record_documents(engine, SYSTEM, c.claim, c.missing_documents, received_on=received_on)
    done = actions.advance_claim(engine, SYSTEM, c.claim, "documents_complete")
    actions.advance_claim(engine, SYSTEM, c.claim, "verified")
    approved = actions.advance_claim(engine, SYSTEM, c.claim, "approved")
    paid = actions.advance_claim(
        engine, SYSTEM, c.claim, "paid", paid_on=paid_on, amount=c.amount, reference="SP2D-9"
    )
    return done, approved, paid, queries.get_claim(engine, SYSTEM, c.claim)


def test_jkk_paid_late_across_idul_fitri_owes_compensation(sorong) -> None:
    # JKK death, base 400.000: 42.000.000. File complete Thursday 27 March 2025; 28 March
    # cuti bersama, 31 March - 1 April Idul Fitri, 2, 3, 4, 7 April cuti bersama: the 7
    # working days are 8, 9, 10, 11, 14, 15, 16 April. Paid Monday 21 April: 5 days late,
    # 5 x 1% x 42.000.000 = 2.100.000 owed by BPJS TK.
    c = file(sorong, nik=NIK_C, claim_type="jkk_death", inputs={"wage": 400_000})
    assert c.amount == 42_000_000
    done, approved, paid, shown = _through_to_paid(sorong, c, D(2025, 3, 27), D(2025, 4, 21))
    assert done.complete_on == D(2025, 3, 27) and done.payment_due is None
    assert approved.payment_due == D(2025, 4, 16) and approved.late_compensation is None
    assert (paid.late_days, paid.late_compensation) == (5, 2_100_000)
    assert shown.payment_working_days == 7 and shown.payment_assumed_years == []
    step = next(t for t in paid.trail if t.to_status == "paid")
    assert step.data["late_compensation"] == 2_100_000


def test_jkm_paid_in_time_owes_nothing(sorong) -> None:
    # JKM 42.000.000, complete Friday 14 June 2024; 17 June Idul Adha, 18 cuti bersama: due
    # Friday 21 June. Paid that day: nothing owed.
    c = file(sorong)
    *_, paid = _through_to_paid(sorong, c, D(2024, 6, 14), D(2024, 6, 21))
    assert paid.payment_due == D(2024, 6, 21) and paid.payment_working_days == 3
    assert (paid.late_days, paid.late_compensation) == (0, 0)
