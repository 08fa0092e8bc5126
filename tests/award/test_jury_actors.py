"""Who may run an edition and who scores as whom, checked in the award domain: a juror
account acts only as itself, on the panels it sits on; every action leaves its audit
event."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from jaring.access import Actor
from jaring.award import actions, queries
from jaring.errors import JaringError
from jaring.store.tables.web import audit_event

SYSTEM = Actor.system()
J1 = Actor(username="j1", role="juror")  # the account of juror J1
J10 = Actor(username="j10", role="juror")  # a juror of no edition
ADMIN = Actor(username="admin", role="administrator")
SECRETARIAT = Actor(username="sekretariat", role="award_secretariat")


def code_of(f) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(JaringError) as e:
        f()
    return e.value.code


def test_a_juror_account_scores_as_itself_only(edition) -> None:
    out = actions.record_scores(edition, J1, 2024, "96.71", {"inovasi": 4})
    assert out.juror == "J1"
    assert queries.juror_view(edition, J1, 2024, "96.71").own == {"inovasi": 4}
    assert code_of(
        lambda: actions.record_scores(edition, J1, 2024, "96.71", {"inovasi": 1}, juror="J2")
    ) == ("other_juror")
    assert code_of(lambda: queries.juror_view(edition, J1, 2024, "96.71", "J2")) == "other_juror"
    assert code_of(lambda: actions.record_scores(edition, J10, 2024, "96.71", {"inovasi": 1})) == (
        "not_a_juror"
    )


def test_a_juror_sees_results_only_after_submitting(edition) -> None:
    actions.record_scores(edition, J1, 2024, "96.71", {"inovasi": 4})
    assert code_of(lambda: queries.results(edition, J1, 2024, "96.71")) == "submit_first"
    assert isinstance(queries.candidate(edition, J1, 2024, "96.71"), queries.JurorView)
    actions.record_scores(edition, J1, 2024, "96.71", {"wawancara": 3}, submit=True)
    assert queries.results(edition, J1, 2024, "96.71").jurors_submitted == 1
    assert isinstance(queries.candidate(edition, SECRETARIAT, 2024, "96.71"), queries.Result)


def test_scoring_and_running_need_their_rights(edition) -> None:
    # the administrator runs editions but does not score; the system names the juror
    assert code_of(
        lambda: actions.record_scores(edition, ADMIN, 2024, "96.71", {"inovasi": 1}, juror="J1")
    ) == ("forbidden")
    assert code_of(lambda: actions.record_scores(edition, SYSTEM, 2024, "96.71", {})) == (
        "juror_required"
    )
    assert code_of(lambda: actions.add_juror(edition, J1, 2024, "J11", "Juri baru")) == "forbidden"
    assert actions.add_juror(edition, SECRETARIAT, 2024, "J11", "Juri baru").code == "J11"
    scoped = Actor(username="papua", role="administrator", regions=("95",))
    assert code_of(lambda: actions.add_candidate(edition, scoped, 2024, "provinsi", "96")) == (
        "region_out_of_scope"
    )


def test_every_action_is_audited_in_its_transaction(edition) -> None:
    actions.add_evidence(edition, SECRETARIAT, 2024, "96.71", "regulasi", "perda")
    actions.record_attendance(edition, SECRETARIAT, 2024, "96.71", True)
    actions.record_scores(edition, J1, 2024, "96.71", {"inovasi": 4, "wawancara": 4}, submit=True)
    assert code_of(
        lambda: actions.add_evidence(edition, SECRETARIAT, 2024, "96.71", "regulasi", "x")
    ) == ("bad_evidence")
    with edition.connect() as conn:
        events = conn.execute(
            select(audit_event.c.actor, audit_event.c.action, audit_event.c.entity_id).order_by(
                audit_event.c.id
            )
        ).all()
    actions_seen = [e.action for e in events]
    # the fixture's edition, five candidates, nine jurors, five interviews; then ours
    assert actions_seen[:1] == ["award.edition_create"]
    assert actions_seen.count("award.candidate_add") == 5
    assert actions_seen.count("award.juror_add") == 9
    assert actions_seen.count("award.interview_schedule") == 5
    assert [(e.actor, e.action, e.entity_id) for e in events[-3:]] == [
        ("sekretariat", "award.evidence_add", "2024/96.71"),
        ("sekretariat", "award.attendance", "2024/96.71"),
        ("j1", "award.score", "2024/96.71"),
    ]
