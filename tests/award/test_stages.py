"""Moving an edition between its stages, by the rules of `jaring.award.stages`: forward
unless an unscored interview's panel does not fit the new stage, back only while nothing is
scored, never to the same stage; audited; the CLI refuses in one line."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from jaring.access import Actor
from jaring.award import actions, queries, stages
from jaring.errors import JaringError
from jaring.store.tables.web import audit_event

SYSTEM = Actor.system()
SECRETARIAT = Actor(username="sekretariat", role="award_secretariat")
J1 = Actor(username="j1", role="juror")


def code_of(f) -> str:
    with pytest.raises(JaringError) as e:
        f()
    return e.value.code


@given(
    current=st.sampled_from(stages.STAGES),
    target=st.sampled_from((*stages.STAGES, "kota", "")),
    scores=st.integers(0, 50),
    panels=st.dictionaries(st.sampled_from(["96.71", "96.01", "PT-A"]), st.integers(1, 12)),
)
def test_the_rules_of_a_move(current, target, scores, panels) -> None:
    try:
        stages.check_move(current, target, scores=scores, panels=panels)
    except JaringError as e:
        if target not in stages.STAGES:
            assert e.code == "bad_stage"
        elif target == current:
            assert e.code == "stage_unchanged"
        elif stages.STAGES.index(target) < stages.STAGES.index(current) and scores:
            assert e.code == "stage_scored"
        else:
            assert e.code == "stage_panels"
            assert any(not stages.panel_fits(target, n) for n in panels.values())
        assert e.context["field"] == "stage"
        return
    assert target in stages.moves(current)
    assert all(stages.panel_fits(target, n) for n in panels.values())
    assert not (stages.STAGES.index(target) < stages.STAGES.index(current) and scores)


def test_forward_and_back_until_scored(edition) -> None:
    eng = edition
    assert queries.admin_edition(eng, SECRETARIAT, 2024).stage_moves == ["nasional"]
    out = actions.change_stage(eng, SECRETARIAT, 2024, "nasional")
    assert (out.before, out.stage) == ("provinsi", "nasional")
    ed = queries.admin_edition(eng, SECRETARIAT, 2024)
    assert ed.stage == "nasional" and ed.stage_moves == ["provinsi"]
    assert code_of(lambda: actions.change_stage(eng, SECRETARIAT, 2024, "nasional")) == (
        "stage_unchanged"
    )
    # back while nothing is scored: a correction
    actions.change_stage(eng, SECRETARIAT, 2024, "provinsi")
    actions.change_stage(eng, SECRETARIAT, 2024, "nasional")
    actions.record_scores(eng, J1, 2024, "96.71", {"inovasi": 4})  # a draft counts
    assert code_of(lambda: actions.change_stage(eng, SECRETARIAT, 2024, "provinsi")) == (
        "stage_scored"
    )
    with eng.connect() as conn:
        events = conn.execute(
            select(audit_event.c.actor, audit_event.c.before, audit_event.c.after).where(
                audit_event.c.action == "award.edition_stage"
            )
        ).all()
    assert len(events) == 3 and events[0].actor == "sekretariat"
    assert [json.loads(e.after)["stage"] if isinstance(e.after, str) else e.after["stage"]
            for e in events] == ["nasional", "provinsi", "nasional"]  # fmt: skip


def test_a_panel_that_does_not_fit_must_be_rescheduled(edition) -> None:
    eng = edition
    # a provincial interview before a team of three: the national stage needs nine
    actions.schedule_interview(
        eng, SECRETARIAT, 2024, "96.01", dt.datetime(2024, 3, 1, 9), jurors=["J1", "J2", "J3"]
    )
    with pytest.raises(JaringError) as e:
        actions.change_stage(eng, SECRETARIAT, 2024, "nasional")
    assert e.value.code == "stage_panels" and "96.01" in e.value.message("id")
    assert queries.admin_edition(eng, SECRETARIAT, 2024).stage == "provinsi"  # unchanged
    actions.schedule_interview(eng, SECRETARIAT, 2024, "96.01", dt.datetime(2024, 3, 1, 9))
    assert actions.change_stage(eng, SECRETARIAT, 2024, "nasional").stage == "nasional"
    # at the national stage, a panel of three is refused as before
    assert code_of(
        lambda: actions.schedule_interview(
            eng, SECRETARIAT, 2024, "96.02", dt.datetime(2024, 3, 2, 9), jurors=["J1"]
        )
    ) == ("jury_size")


def test_who_may_move_a_stage(edition) -> None:
    for who in (J1, Actor(username="v", role="viewer")):
        assert code_of(lambda w=who: actions.change_stage(edition, w, 2024, "nasional")) == (
            "forbidden"
        )
    assert code_of(lambda: actions.change_stage(edition, SECRETARIAT, 2099, "nasional")) == (
        "edition_not_found"
    )
    assert code_of(lambda: actions.change_stage(edition, SECRETARIAT, 2024, "kota")) == (
        "bad_stage"
    )


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_cli_moves_a_stage(edition, db_url) -> None:
    def jaring(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "jaring", "award", "edition", "stage", *args, "--db", db_url],
            capture_output=True,
            text=True,
            timeout=300,
        )

    p = jaring("--edition", "2024", "--stage", "nasional")
    assert p.returncode == 0, p.stderr
    assert "dari tahap provinsi ke tahap nasional" in p.stdout
    p = jaring("--edition", "2024", "--stage", "nasional")
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1
    assert "Traceback" not in p.stderr and "[stage_unchanged]" in p.stderr
    p = jaring("--edition", "2024", "--stage", "provinsi", "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == {"edition": 2024, "before": "nasional", "stage": "provinsi"}
