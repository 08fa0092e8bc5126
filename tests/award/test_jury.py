"""Interviews and jurors: a jury of nine, scores locked on submit, no peeking, results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from award_cases import JURORS, REGENCIES, score_all

from jaring.access import Actor
from jaring.award import actions, queries
from jaring.errors import JaringError

SYSTEM = Actor.system()


def code_of(f) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(JaringError) as e:
        f()
    return e.value.code


def test_the_national_jury_has_nine_the_provincial_team_any(edition) -> None:
    # the provincial stage is a regional team: eight (or any number) may interview
    actions.add_candidate(edition, SYSTEM, 2024, "provinsi", "96")
    actions.schedule_interview(
        edition, SYSTEM, 2024, "96", dt.datetime(2024, 2, 27, 9), jurors=JURORS[:8]
    )
    # the final, central stage: exactly nine jurors
    actions.create_edition(edition, SYSTEM, 2025, ["provinsi"], stage="nasional")
    for j in JURORS:
        actions.add_juror(edition, SYSTEM, 2025, j, f"Juri {j}", "Kemenko PMK")
    actions.add_candidate(edition, SYSTEM, 2025, "provinsi", "96")
    assert (
        code_of(
            lambda: actions.schedule_interview(
                edition, SYSTEM, 2025, "96", dt.datetime(2025, 2, 27, 9), jurors=JURORS[:8]
            )
        )
        == "jury_size"
    )
    # the same juror cannot sit two interviews at once
    assert (
        code_of(
            lambda: actions.schedule_interview(
                edition, SYSTEM, 2024, "96", dt.datetime(2024, 2, 26, 9)
            )
        )
        == "juror_busy"
    )


def test_scores_locked_after_submit(edition) -> None:
    actions.record_scores(edition, SYSTEM, 2024, "96.71", {"inovasi": 3}, juror="J1")
    actions.record_scores(
        edition, SYSTEM, 2024, "96.71", {"inovasi": 4}, juror="J1"
    )  # draft: may change
    assert (
        code_of(lambda: actions.submit_scores(edition, SYSTEM, 2024, "96.71", "J1"))
        == "incomplete_scores"
    )
    actions.record_scores(edition, SYSTEM, 2024, "96.71", {"wawancara": 5}, submit=True, juror="J1")
    assert (
        code_of(
            lambda: actions.record_scores(
                edition, SYSTEM, 2024, "96.71", {"inovasi": 1}, juror="J1"
            )
        )
        == "scores_locked"
    )
    assert (
        code_of(lambda: actions.submit_scores(edition, SYSTEM, 2024, "96.71", "J1"))
        == "scores_locked"
    )
    assert queries.juror_view(edition, SYSTEM, 2024, "96.71", "J1").own == {
        "inovasi": 4,
        "wawancara": 5,
    }


def test_juror_cannot_see_others_before_submitting(edition) -> None:
    actions.record_scores(
        edition, SYSTEM, 2024, "96.71", {"inovasi": 5, "wawancara": 5}, submit=True, juror="J1"
    )
    actions.record_scores(edition, SYSTEM, 2024, "96.71", {"inovasi": 2}, juror="J2")
    view = queries.juror_view(edition, SYSTEM, 2024, "96.71", "J2")
    assert view.others is None and view.own == {"inovasi": 2}
    assert (
        code_of(lambda: queries.results(edition, SYSTEM, 2024, "96.71", viewer="J2"))
        == "submit_first"
    )
    assert (
        code_of(lambda: queries.ranking(edition, SYSTEM, 2024, "kabupaten-kota", viewer="J2"))
        == "submit_first"
    )
    actions.record_scores(edition, SYSTEM, 2024, "96.71", {"wawancara": 3}, submit=True, juror="J2")
    view = queries.juror_view(edition, SYSTEM, 2024, "96.71", "J2")
    assert view.others == {"J1": {"inovasi": 5, "wawancara": 5}}
    # J1, who submitted before J2, sees J2 only now; J3 has drafts only and stays hidden
    actions.record_scores(edition, SYSTEM, 2024, "96.71", {"inovasi": 1}, juror="J3")
    assert set(queries.juror_view(edition, SYSTEM, 2024, "96.71", "J1").others) == {"J2"}


def test_juror_not_on_panel_and_evidence_criteria_refused(edition) -> None:
    actions.add_juror(edition, SYSTEM, 2024, "J10", "Juri cadangan")
    assert (
        code_of(
            lambda: actions.record_scores(
                edition, SYSTEM, 2024, "96.71", {"inovasi": 3}, juror="J10"
            )
        )
        == "not_on_panel"
    )
    assert (
        code_of(
            lambda: actions.record_scores(
                edition, SYSTEM, 2024, "96.71", {"regulasi": 3}, juror="J1"
            )
        )
        == "not_jury_criterion"
    )
    assert (
        code_of(
            lambda: actions.record_scores(
                edition, SYSTEM, 2024, "96.71", {"inovasi": 6}, juror="J1"
            )
        )
        == "bad_points"
    )


def test_weighted_score_and_juror_contributions(edition) -> None:
    actions.add_evidence(edition, SYSTEM, 2024, "96.71", "regulasi", "perkada")  # 3/4 of 15 = 11.25
    actions.add_evidence(edition, SYSTEM, 2024, "96.71", "cakupan_bpu", "0.21")  # 3/5 of 20 = 12
    # 9 jurors: inovasi 4/5 of 15 = 12, wawancara: J1..J3 give 5, the rest 2
    for j in JURORS:
        w = 5 if j in ("J1", "J2", "J3") else 2
        actions.record_scores(
            edition, SYSTEM, 2024, "96.71", {"inovasi": 4, "wawancara": w}, submit=True, juror=j
        )
    r = queries.results(edition, SYSTEM, 2024, "96.71")
    # wawancara mean = (3*5 + 6*2)/9 = 3 -> 3/5 of 10 = 6
    assert r.evidence_part == Decimal("23.25")
    assert r.jury_part == Decimal("18.00")
    assert r.total == Decimal("41.25")
    contrib = {j.juror: j.contribution for j in r.jurors}
    assert contrib["J1"] == Decimal("2.44")  # (12 + 10) / 9
    assert contrib["J4"] == Decimal("1.78")  # (12 + 4) / 9
    assert r.spread.range == Decimal("6.00")  # own totals 45.25 vs 39.25
    assert r.jurors_submitted == 9


def test_ranking_with_ties(edition) -> None:
    for code in REGENCIES:
        actions.add_evidence(edition, SYSTEM, 2024, code, "regulasi", "perda")
    score_all(edition, "96.71", 5, 5)
    score_all(edition, "96.01", 3, 3)
    score_all(edition, "96.02", 3, 3)  # same as 96.01 in every respect: shared rank
    # 96.03: same total as 96.01 but more of it from the jury (tie broken by jury_part)
    actions.add_evidence(
        edition, SYSTEM, 2024, "96.03", "regulasi", "perkada"
    )  # 11.25 instead of 15
    # jury part of 96.01: 15*3/5 + 10*3/5 = 15; 96.03 needs 18.75: inovasi 5 (15) wawancara ...
    for i, j in enumerate(JURORS):
        # wawancara mean 15/8 of 5 ... use 9 jurors giving a mean that yields 3.75 points
        w = 2 if i < 6 else 1  # mean (12 + 3)/9 = 5/3 -> 10 * (5/3)/5 = 3.333...
        actions.record_scores(
            edition, SYSTEM, 2024, "96.03", {"inovasi": 5, "wawancara": w}, submit=True, juror=j
        )
    score_all(edition, "96.04", 1, 1)
    rk = queries.ranking(edition, SYSTEM, 2024, "kabupaten-kota")
    assert rk.tie_break[0] == "total" and rk.tie_break[-1] == "shared_rank"
    order = [(r.candidate, r.rank, r.decided_by) for r in rk.ranking]
    assert order[0] == ("96.71", 1, None)
    ranks = {c: n for c, n, _ in order}
    assert ranks["96.01"] == ranks["96.02"]
    tied = [d for c, _, d in order if c in ("96.01", "96.02")]
    assert "tie" in tied
    assert ranks["96.04"] == 5
    assert rk.rubric.official is False


def test_equal_totals_broken_by_jury_part(engine) -> None:
    from jaring.award import rubric as rb
    from jaring.award import scoring

    rubric = rb.load()
    # A: regulasi perda (15) + jury 0 -> 15 ... B: regulasi tidak_ada + inovasi 5/5 (15)
    a = scoring.candidate_result(rubric, {"regulasi": 4}, {"J1": {"inovasi": 0, "wawancara": 0}})
    b = scoring.candidate_result(rubric, {"regulasi": 0}, {"J1": {"inovasi": 5, "wawancara": 0}})
    assert a["total"] == b["total"]
    ranked = scoring.rank(rubric, [dict(a, candidate="A"), dict(b, candidate="B")])
    assert [r["candidate"] for r in ranked] == ["B", "A"]
    assert ranked[1]["decided_by"] == "jury_part" and ranked[1]["rank"] == 2


def test_evidence_document_hash(edition, tmp_path) -> None:
    doc = tmp_path / "perwali-4-2021.pdf"
    doc.write_bytes(b"%PDF-1.4 perwali")
    out = actions.add_evidence(edition, SYSTEM, 2024, "96.71", "regulasi", "perkada", file=doc)
    assert out.file_name == "perwali-4-2021.pdf" and len(out.file_sha256) == 64
    d = queries.dossier(edition, SYSTEM, 2024, "96.71")
    reg = next(c for c in d.criteria if c.code == "regulasi")
    assert reg.file.sha256 == out.file_sha256 and reg.points == 3


def test_attendance_is_evidence_and_scored_interview_is_fixed(edition) -> None:
    actions.record_attendance(edition, SYSTEM, 2024, "96.71", True)
    r = queries.results(edition, SYSTEM, 2024, "96.71")
    att = next(c for c in r.criteria if c.criterion == "kehadiran")
    assert att.points == 1 and att.score == Decimal("5.00")
    actions.record_scores(edition, SYSTEM, 2024, "96.71", {"inovasi": 3}, juror="J1")
    assert (
        code_of(
            lambda: actions.schedule_interview(
                edition, SYSTEM, 2024, "96.71", dt.datetime(2024, 3, 1, 9)
            )
        )
        == "interview_scored"
    )
