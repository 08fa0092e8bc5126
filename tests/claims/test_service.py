"""Filing, eligibility, entitlement, heirs, overrides and the trail, on SQLite and PostgreSQL."""

import datetime as dt

import pytest

from jaring.access import Actor
from jaring.claims import actions, queries
from jaring.errors import JaringError

from .helpers import world

D = dt.date
WIDOW = [{"relation": "spouse", "name": "Mama Yuliana"}]
NIK_A = "9671010101800001"
NIK_B = "9671010101800002"
NIK_C = "9671010101800003"
SYSTEM = Actor.system()


@pytest.fixture
def sorong(engine):
    world(
        engine,
        [
            {"nik": NIK_A, "periods": [(D(2024, 1, 1), D(2024, 6, 30))]},
            {"nik": NIK_B, "periods": [(D(2023, 1, 1), D(2023, 12, 31))]},
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


def test_covered_death_gets_42_million_with_references(sorong) -> None:
    c = file(sorong)
    assert c.eligible and c.amount == 42_000_000 and c.status == "filed"
    params = [line["parameter"] for line in c.explanation]
    assert "benefits.jkm.lump_sum" in params and "claims.covered_on_event_date" in params
    assert all(
        line.get("reference") for line in c.explanation if line["parameter"].startswith("benefits")
    )
    assert c.trail[0].action == "file" and c.trail[0].to_status == "filed"


@pytest.mark.parametrize(
    ("event", "amount"), [(D(2023, 3, 31), 10_000_000), (D(2023, 4, 1), 42_000_000)]
)
def test_bpu_death_on_day_90_vs_day_91(sorong, event, amount) -> None:
    # Member from 1 January 2023: 31 March is day 90 (inside the first 3 months), 1 April day 91.
    c = file(sorong, nik=NIK_B, event=event)
    assert c.eligibility["membership_day"] == (90 if event.day == 31 else 91)
    assert c.eligible and c.amount == amount
    assert c.early_death is (amount == 10_000_000)


def test_the_day_before_and_after_a_lapse(sorong) -> None:
    last = file(sorong, event=D(2024, 6, 30))
    assert last.eligible and last.amount == 42_000_000


def test_death_the_day_after_a_lapse_pays_nothing_and_says_why(sorong) -> None:
    c = file(sorong, event=D(2024, 7, 1))
    assert not c.eligible and c.amount == 0 and c.law_total == 42_000_000
    assert c.reasons == ["lapsed"]
    assert any(line["value"] == "lapsed" for line in c.explanation)


def test_second_claim_for_the_same_death_is_refused_unless_reasoned(sorong) -> None:
    first = file(sorong)
    with pytest.raises(JaringError) as e:
        file(sorong, event=D(2024, 5, 11))
    assert e.value.code == "claim_duplicate" and e.value.context["existing_claim"] == first.claim
    with pytest.raises(JaringError):
        file(sorong, reason="   ")  # a blank reason is no reason
    again = file(sorong, reason="Klaim pertama salah tanggal; dikonfirmasi kelurahan")
    assert again.trail[0].override is True
    assert "Klaim pertama" in again.trail[0].reason


def test_a_rejected_claim_does_not_block_a_new_one(sorong) -> None:
    first = file(sorong)
    actions.advance_claim(sorong, SYSTEM, first.claim, "rejected", reason_code="documents_invalid")
    assert file(sorong).claim != first.claim


def _to_approved(engine, claim_id, **kw):
    c = queries.get_claim(engine, SYSTEM, claim_id)
    actions.record_documents(
        engine, SYSTEM, claim_id, c.missing_documents, received_on=D(2025, 1, 12)
    )
    actions.advance_claim(engine, SYSTEM, claim_id, "documents_complete")
    actions.advance_claim(engine, SYSTEM, claim_id, "verified")
    return actions.advance_claim(engine, SYSTEM, claim_id, "approved", **kw)


def test_full_path_to_paid_and_benefit_already_paid(sorong) -> None:
    c = file(sorong)
    assert "marriage-book" in c.missing_documents  # the recipient is the spouse
    _to_approved(sorong, c.claim)
    with pytest.raises(JaringError) as e:
        actions.advance_claim(
            sorong,
            SYSTEM,
            c.claim,
            "paid",
            paid_on=D(2025, 1, 15),
            amount=40_000_000,
            reference="SP2D-1",
        )
    assert e.value.code == "paid_amount_mismatch"
    paid = actions.advance_claim(
        sorong,
        SYSTEM,
        c.claim,
        "paid",
        paid_on=D(2025, 1, 15),
        amount=42_000_000,
        reference="SP2D-1",
    )
    assert paid.status == "paid" and paid.paid_amount == 42_000_000
    assert [t.to_status for t in paid.trail if t.action == "advance"] == [
        "documents_complete",
        "verified",
        "approved",
        "paid",
    ]
    with pytest.raises(JaringError) as e:
        file(sorong)
    assert e.value.code == "claim_already_paid"


def test_disallowed_transitions_are_refused(sorong) -> None:
    c = file(sorong)
    for target in ("approved", "paid", "verified"):
        with pytest.raises(JaringError) as e:
            actions.advance_claim(sorong, SYSTEM, c.claim, target)
        assert e.value.code == "claim_transition_not_allowed"
    with pytest.raises(JaringError) as e:
        actions.advance_claim(sorong, SYSTEM, c.claim, "documents_complete")
    assert e.value.code == "documents_missing"


def test_rejection_needs_a_listed_reason_code(sorong) -> None:
    c = file(sorong)
    for code in (None, "bad_luck"):
        with pytest.raises(JaringError) as e:
            actions.advance_claim(sorong, SYSTEM, c.claim, "rejected", reason_code=code)
        assert e.value.code == "reject_reason_required"
    r = actions.advance_claim(sorong, SYSTEM, c.claim, "rejected", reason_code="lapsed")
    assert r.status == "rejected" and r.reject_reason == "lapsed"
    with pytest.raises(JaringError):
        actions.advance_claim(sorong, SYSTEM, c.claim, "approved")


def test_later_ranked_heir_needs_a_written_reason(sorong) -> None:
    heirs = [
        {"relation": "parent", "name": "Bapak Markus", "recipient": True},
        {"relation": "spouse", "name": "Mama Yuliana"},
    ]
    c = file(sorong, heirs=heirs)
    with pytest.raises(JaringError) as e:
        _to_approved(sorong, c.claim)
    assert e.value.code == "heir_order" and e.value.context["earliest_rank"] == 1
    ok = actions.advance_claim(
        sorong, SYSTEM, c.claim, "approved", reason="Janda telah meninggal; akta kematian terlampir"
    )
    last = ok.trail[-1]
    assert ok.status == "approved" and last.override and "heir_order" in last.data["overrides"]


def test_ineligible_claim_is_approved_only_with_a_reason(sorong) -> None:
    c = file(sorong, event=D(2024, 7, 1))
    with pytest.raises(JaringError) as e:
        _to_approved(sorong, c.claim)
    assert e.value.code == "claim_not_eligible"
    ok = actions.advance_claim(
        sorong, SYSTEM, c.claim, "approved", reason="Pembayaran Juli terlambat dicatat"
    )
    assert ok.amount == 42_000_000


def test_death_claim_needs_an_heir_and_an_event_not_in_the_future(sorong) -> None:
    with pytest.raises(JaringError) as e:
        file(sorong, heirs=[])
    assert e.value.code == "heir_missing"
    with pytest.raises(JaringError) as e:
        file(sorong, event=D(2025, 2, 1))
    assert e.value.code == "event_in_future"
    with pytest.raises(JaringError) as e:
        file(sorong, nik="9671010101809999")
    assert e.value.code == "person_not_found"


@pytest.mark.parametrize(("filed", "ok"), [(D(2029, 5, 10), True), (D(2029, 5, 11), False)])
def test_jkk_five_year_deadline(sorong, filed, ok) -> None:
    c = file(sorong, claim_type="jkk_medical", inputs={"cost": 3_500_000}, filed_on=filed)
    assert c.eligible is ok
    assert c.amount == (3_500_000 if ok else 0)


def test_jkk_death_uses_the_declared_income(sorong) -> None:
    c = file(sorong, claim_type="jkk_death")
    assert c.amount == 48 * 1_000_000 + 12_000_000 + 10_000_000


def test_scholarship_needs_a_death_and_three_years(sorong) -> None:
    kids = {"child": "Anak 1", "level": "tk-sd", "school_year": "2024/2025"}
    with pytest.raises(JaringError) as e:
        file(sorong, nik=NIK_C, claim_type="scholarship", event=None, inputs=kids)
    assert e.value.code == "scholarship_without_death"
    file(sorong, nik=NIK_C, event=D(2022, 12, 31))  # 36 paid months since January 2020
    s = file(sorong, nik=NIK_C, claim_type="scholarship", event=None, inputs=kids)
    assert s.eligible and s.amount == 1_500_000 and s.event_date == D(2022, 12, 31)
    with pytest.raises(JaringError) as e:
        file(sorong, nik=NIK_C, claim_type="scholarship", event=None, inputs=kids)
    assert e.value.code == "claim_duplicate"


def test_scholarship_before_three_years_is_not_eligible(sorong) -> None:
    file(sorong, nik=NIK_C, event=D(2022, 11, 30))  # 35 paid months
    s = file(
        sorong,
        nik=NIK_C,
        claim_type="scholarship",
        event=None,
        inputs={"child": "Anak 1", "level": "smp", "school_year": "2024/2025"},
    )
    assert not s.eligible and s.reasons == ["min_contribution"] and s.amount == 0
    line = next(x for x in s.explanation if x["parameter"].endswith("jkm_min_contribution_months"))
    assert line["value"] == 36 and line["reference"]


def test_list_by_status_and_month(sorong) -> None:
    a = file(sorong)
    file(sorong, nik=NIK_B, event=D(2023, 6, 1))
    assert [c.claim for c in queries.list_claims(sorong, SYSTEM, month="2024-05")] == [a.claim]
    assert len(queries.list_claims(sorong, SYSTEM, status="filed")) == 2
    assert queries.list_claims(sorong, SYSTEM, status="paid") == []
    with pytest.raises(JaringError):
        queries.list_claims(sorong, SYSTEM, month="May 2024")


def test_an_heir_found_later_blocks_payment_to_a_parent(sorong) -> None:
    c = file(sorong, heirs=[{"relation": "parent", "name": "Bapak Markus"}])
    c = actions.add_heirs(sorong, SYSTEM, c.claim, [{"relation": "spouse", "name": "Mama Yuliana"}])
    assert [h.recipient for h in c.heirs] == [True, False]
    with pytest.raises(JaringError) as e:
        _to_approved(sorong, c.claim)
    assert e.value.code == "heir_order"
    c = actions.add_heirs(
        sorong, SYSTEM, c.claim, [{"relation": "child", "name": "Yosua", "recipient": True}]
    )
    assert [h.recipient for h in c.heirs] == [False, False, True]
    assert actions.advance_claim(sorong, SYSTEM, c.claim, "approved").status == "approved"
    assert [t.action for t in c.trail].count("heirs") == 2


def test_heirs_cannot_be_added_after_approval(sorong) -> None:
    c = file(sorong)
    _to_approved(sorong, c.claim)
    with pytest.raises(JaringError) as e:
        actions.add_heirs(sorong, SYSTEM, c.claim, [{"relation": "child", "name": "Yosua"}])
    assert e.value.code == "claim_closed"


def test_stmb_is_claimed_as_the_months_add_up(sorong) -> None:
    first = file(sorong, claim_type="jkk_stmb", event=D(2024, 2, 5), inputs={"months": 3})
    assert first.amount == 3 * 1_000_000
    with pytest.raises(JaringError) as e:
        file(sorong, claim_type="jkk_stmb", event=D(2024, 2, 5), inputs={"months": 3})
    assert e.value.code == "claim_duplicate"
    with pytest.raises(JaringError) as e:
        file(sorong, claim_type="jkk_stmb", event=D(2024, 2, 5), inputs={"months": 2})
    assert e.value.code == "stmb_months_already_claimed"
    # 14 months so far: 12 at 100% and 2 at 50%, less the 3 months already claimed.
    later = file(sorong, claim_type="jkk_stmb", event=D(2024, 2, 5), inputs={"months": 14})
    assert later.amount == 12 * 1_000_000 + 2 * 500_000 - 3 * 1_000_000
    assert later.explanation[-1]["parameter"] == "claims.stmb_claimed_before"
