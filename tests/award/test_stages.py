"""The four stages of an edition, by the rules of `jaring.award.stages`: who assesses each
and with which criteria, a shortlist that decides who goes on, scores kept per stage (an
earlier stage's ranking stays readable), moves forward and back, the old stage names as
aliases in the CLI, and revision 0027 placing the scores given before it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from decimal import Decimal

import pytest
from alembic import command
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text
from tests import clirun

from jaring import audit
from jaring.access import Actor
from jaring.award import actions, queries, stages
from jaring.award import rubric as rb
from jaring.errors import JaringError
from jaring.store import migrate
from jaring.store.db import _alembic_config
from jaring.store.tables.award import award_candidate, award_interview, award_score
from jaring.store.tables.web import audit_event

SYSTEM = Actor.system()
SECRETARIAT = Actor(username="sekretariat", role="award_secretariat")
J1 = Actor(username="j1", role="juror")
NINE = [f"J{i}" for i in range(1, 10)]
ADM, PROV, VER, NAS = stages.STAGES


def code_of(f) -> str:
    with pytest.raises(JaringError) as e:
        f()
    return e.value.code


@given(
    current=st.sampled_from(stages.STAGES),
    target=st.sampled_from((*stages.STAGES, "kota", "")),
    scores=st.integers(0, 50),
    panels=st.dictionaries(st.sampled_from(["96.71", "96.01", "PT-A"]), st.integers(1, 12)),
    at_stage=st.integers(0, 5),
    shortlisted=st.integers(0, 5),
)
def test_the_rules_of_a_move(current, target, scores, panels, at_stage, shortlisted) -> None:
    shortlisted = min(shortlisted, at_stage)
    kw = {"scores_after": scores, "panels": panels, "at_stage": at_stage}
    forward = target in stages.STAGES and stages.index(target) > stages.index(current)
    try:
        stages.check_move(current, target, shortlisted=shortlisted, **kw)
    except JaringError as e:
        if target not in stages.STAGES:
            assert e.code == "bad_stage"
        elif target == current:
            assert e.code == "stage_unchanged"
        elif not forward and scores:
            assert e.code == "stage_scored"
        elif forward and at_stage and not shortlisted:
            assert e.code == "no_shortlist"
        else:
            assert e.code == "stage_panels"
            assert any(not stages.panel_fits(target, n) for n in panels.values())
        assert e.context["field"] == "stage"
        return
    assert target in stages.moves(current)
    assert all(stages.panel_fits(target, n) for n in panels.values())
    assert not (not forward and scores) and not (forward and at_stage and not shortlisted)


def test_who_assesses_each_stage_and_with_which_criteria() -> None:
    # the nine sit only at the national interview; the provincial one is a team of any size
    assert stages.JURY_SIZE == {NAS: 9}
    assert [stages.BY_CODE[s].interview for s in stages.STAGES] == [False, True, False, True]
    assert stages.panel_fits(PROV, 3) and not stages.panel_fits(NAS, 3)
    assert stages.canonical("provinsi") == PROV and stages.canonical("Nasional") == NAS
    with pytest.raises(JaringError) as e:
        stages.canonical("kota")
    assert e.value.code == "bad_stage" and "wawancara-nasional" in e.value.message("en")
    rubric = rb.load(None, "kabupaten-kota")
    adm = [c["code"] for c in stages.criteria(rubric, ADM)]
    # the data stages: the evidence criteria, without the interview's attendance
    assert adm == [
        "regulasi",
        "cakupan_pu",
        "cakupan_bpu",
        "anggaran",
        "pendaftaran_pemberi_kerja",
        "pertumbuhan",
    ]
    assert [c["code"] for c in stages.criteria(rubric, VER)] == adm
    assert len(stages.criteria(rubric, PROV)) == len(rubric["criteria"])
    # a rubric may place a criterion itself (the old names understood)
    own = {**rubric, "criteria": [{**c, "stages": ["nasional"]} for c in rubric["criteria"]]}
    assert stages.criteria(own, PROV) == [] and len(stages.criteria(own, NAS)) == 9


@given(
    stage=st.sampled_from(stages.STAGES),
    own=st.dictionaries(
        st.sampled_from(["regulasi", "inovasi", "kehadiran"]),
        st.lists(st.sampled_from((*stages.STAGES, "provinsi", "nasional")), max_size=3),
    ),
)
def test_a_stage_takes_its_criteria_in_the_rubric_order(stage, own) -> None:
    rubric = rb.load(None, "kabupaten-kota")
    rubric = {
        **rubric,
        "criteria": [{**c, "stages": own.get(c["code"], [])} for c in rubric["criteria"]],
    }
    got = stages.criteria(rubric, stage)
    order = [c["code"] for c in rubric["criteria"]]
    assert [c["code"] for c in got] == [c for c in order if c in {g["code"] for g in got}]
    for c in rubric["criteria"]:
        listed = [stages.ALIASES.get(s, s) for s in own.get(c["code"], [])]
        if listed:
            assert (c in got) == (stage in listed)
        elif c["scored_by"] == "jury":  # the jury's criteria only where a jury sits
            assert (c in got) == stages.BY_CODE[stage].interview


@given(
    current=st.sampled_from(stages.STAGES),
    unknown=st.lists(st.sampled_from(["96.71", "PT-A"]), max_size=2),
)
def test_a_shortlist_sends_to_the_next_stage(current, unknown) -> None:
    try:
        nxt = stages.check_shortlist(current, unknown)
    except JaringError as e:
        assert e.code == ("last_stage" if current == stages.STAGES[-1] else "not_at_stage")
        return
    assert not unknown and stages.index(nxt) == stages.index(current) + 1


@pytest.fixture
def four(engine):  # type: ignore[no-untyped-def]
    """An edition at the administrative stage with three regencies and nine jurors."""
    actions.create_edition(engine, SECRETARIAT, 2026, ["kabupaten-kota"], assessed_year=2025)
    for code in ("96.71", "96.01", "96.02"):
        actions.add_candidate(engine, SECRETARIAT, 2026, "kabupaten-kota", code)
    for j in NINE:
        actions.add_juror(engine, SECRETARIAT, 2026, j, f"Juri {j}", "Disnaker")
    for code, perda in (("96.71", "perda"), ("96.01", "perkada"), ("96.02", "tidak_ada")):
        actions.add_evidence(engine, SECRETARIAT, 2026, code, "regulasi", perda)
        actions.add_evidence(engine, SECRETARIAT, 2026, code, "cakupan_bpu", "0.12")
    return engine


def _score(eng, code: str, inovasi: int, jurors=NINE) -> None:  # type: ignore[no-untyped-def]
    for j in jurors:
        actions.record_scores(
            eng, SYSTEM, 2026, code, {"inovasi": inovasi, "wawancara": 3}, submit=True, juror=j
        )


def test_an_edition_through_its_four_stages(four) -> None:
    eng = four
    ed = queries.admin_edition(eng, SECRETARIAT, 2026)
    assert ed.stage == ADM and ed.next_stage == PROV and not ed.interview
    # the administrative stage is assessed from the data: no interview, no juror score
    at = dt.datetime(2026, 3, 2, 9)
    assert code_of(lambda: actions.schedule_interview(eng, SECRETARIAT, 2026, "96.71", at)) == (
        "stage_no_interview"
    )
    rk = queries.ranking(eng, SECRETARIAT, 2026, "kabupaten-kota")
    assert rk.stage == ADM and rk.max_total == Decimal(70)
    # regulasi 15 x 4/4 + cakupan_bpu 20 x 2/5 = 23
    assert (rk.ranking[0].candidate, rk.ranking[0].total) == ("96.71", Decimal("23.00"))
    # nobody goes on until the secretariat says who passes
    assert code_of(lambda: actions.change_stage(eng, SECRETARIAT, 2026, PROV)) == "no_shortlist"
    out = actions.shortlist(eng, SECRETARIAT, 2026, ["96.71", "96.01"])
    assert (out.next_stage, out.candidates, out.stay) == (PROV, ["96.01", "96.71"], ["96.02"])
    assert actions.change_stage(eng, SECRETARIAT, 2026, "provinsi").stage == PROV  # an alias
    # the provincial interview: a team of three, only for those who went on
    assert code_of(
        lambda: actions.schedule_interview(eng, SECRETARIAT, 2026, "96.02", at, jurors=["J1"])
    ) == ("not_at_stage")
    for i, code in enumerate(("96.71", "96.01")):
        actions.schedule_interview(
            eng, SECRETARIAT, 2026, code, at + dt.timedelta(hours=i), jurors=["J1", "J2", "J3"]
        )
    _score(eng, "96.71", 5, ["J1", "J2", "J3"])
    _score(eng, "96.01", 2, ["J1", "J2", "J3"])
    actions.record_attendance(eng, SECRETARIAT, 2026, "96.71", True)  # at the provincial one
    prov = queries.ranking(eng, SECRETARIAT, 2026, "kabupaten-kota")
    assert prov.stage == PROV and prov.max_total == Decimal(100)
    assert [r.candidate for r in prov.ranking] == ["96.71", "96.01"]  # 96.02 stayed behind
    prov_total = prov.ranking[0].total
    # the central verification, then the national interview before the nine
    actions.shortlist(eng, SECRETARIAT, 2026, ["96.71", "96.01"])
    actions.change_stage(eng, SECRETARIAT, 2026, VER)
    assert code_of(lambda: actions.record_scores(eng, J1, 2026, "96.71", {"inovasi": 4})) == (
        "stage_no_interview"
    )
    actions.shortlist(eng, SECRETARIAT, 2026, ["96.71"])
    actions.change_stage(eng, SECRETARIAT, 2026, NAS)
    assert code_of(
        lambda: actions.schedule_interview(eng, SECRETARIAT, 2026, "96.71", at, jurors=["J1"])
    ) == ("jury_size")
    actions.schedule_interview(eng, SECRETARIAT, 2026, "96.71", dt.datetime(2026, 5, 4, 9))
    actions.record_attendance(eng, SECRETARIAT, 2026, "96.71", False)  # represented
    # a juror who locked the provincial scores scores again at the national interview
    desk = queries.desk(eng, J1, 2026)
    assert desk.stage == NAS and [(i.code, i.state) for i in desk.items] == [("96.71", "new")]
    _score(eng, "96.71", 1)
    nas = queries.ranking(eng, SECRETARIAT, 2026, "kabupaten-kota")
    assert [r.candidate for r in nas.ranking] == ["96.71"]
    assert nas.ranking[0].jurors_submitted == 9 and nas.ranking[0].total < prov_total
    # the earlier stages stay readable with their own scores
    again = queries.ranking(eng, SECRETARIAT, 2026, "kabupaten-kota", stage="provinsi")
    assert again.ranking[0].total == prov_total and again.ranking[0].jurors_submitted == 3
    # each interview's own attendance: in person at the provincial one (5 of 5), not after
    attendance = {
        st: next(c.score for c in r.criteria if c.criterion == "kehadiran")
        for st, r in (("prov", again.ranking[0]), ("nas", nas.ranking[0]))
    }
    assert attendance == {"prov": Decimal("5.00"), "nas": Decimal("0.00")}
    assert len(queries.ranking(eng, SECRETARIAT, 2026, "kabupaten-kota", stage=ADM).ranking) == 3
    r = queries.results(eng, SECRETARIAT, 2026, "96.01")  # stayed at verification
    assert r.stage == VER and r.jury_part == 0
    assert queries.results(eng, SECRETARIAT, 2026, "96.71", stage=PROV).total == prov_total
    # back only while nothing is scored after the stage it goes back to
    assert code_of(lambda: actions.change_stage(eng, SECRETARIAT, 2026, VER)) == "stage_scored"
    with eng.connect() as conn:
        acts = [
            r.action
            for r in conn.execute(
                select(audit_event.c.action).where(audit_event.c.action.like("award.%"))
            )
        ]
    assert acts.count("award.shortlist") == 3 and acts.count("award.edition_stage") == 3


def test_back_keeps_the_shortlist_and_the_last_stage_has_none(four) -> None:
    eng = four
    actions.shortlist(eng, SECRETARIAT, 2026, ["96.71"])
    actions.change_stage(eng, SECRETARIAT, 2026, PROV)
    assert code_of(lambda: actions.change_stage(eng, SECRETARIAT, 2026, PROV)) == (
        "stage_unchanged"
    )
    # back, nothing scored: 96.71 is still the one chosen to pass the first stage
    actions.change_stage(eng, SECRETARIAT, 2026, ADM)
    ed = queries.admin_edition(eng, SECRETARIAT, 2026)
    assert {c.code: c.shortlisted for c in ed.candidates} == {
        "96.71": True,
        "96.01": False,
        "96.02": False,
    }
    # a shortlist replaces the one before; a candidate not at the stage is refused
    actions.shortlist(eng, SECRETARIAT, 2026, ["96.01"])
    actions.change_stage(eng, SECRETARIAT, 2026, NAS)  # a jump takes the shortlisted along
    assert code_of(lambda: actions.shortlist(eng, SECRETARIAT, 2026, ["96.01"])) == "last_stage"
    actions.change_stage(eng, SECRETARIAT, 2026, VER)
    assert code_of(lambda: actions.shortlist(eng, SECRETARIAT, 2026, ["96.71"])) == ("not_at_stage")
    with eng.connect() as conn:
        reached = dict(conn.execute(select(award_candidate.c.code, award_candidate.c.stage)).all())
    assert reached == {"96.71": ADM, "96.01": NAS, "96.02": ADM}


def test_who_may_move_a_stage(four) -> None:
    for who in (J1, Actor(username="v", role="viewer")):
        assert code_of(lambda w=who: actions.change_stage(four, w, 2026, PROV)) == "forbidden"
        assert code_of(lambda w=who: actions.shortlist(four, w, 2026, ["96.71"])) == "forbidden"
    assert code_of(lambda: actions.change_stage(four, SECRETARIAT, 2099, PROV)) == (
        "edition_not_found"
    )
    assert code_of(lambda: actions.change_stage(four, SECRETARIAT, 2026, "kota")) == "bad_stage"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_cli_moves_a_stage_by_old_and_new_names(four, db_url) -> None:
    def jaring(*args: str) -> subprocess.CompletedProcess[str]:
        return clirun.jaring("award", *args, "--db", db_url)

    # the real entry point
    p = clirun.process("award", "edition", "stage", "--edition", "2026", "--stage", "provinsi",
                       "--db", db_url)  # fmt: skip
    assert p.returncode == 2 and "[no_shortlist]" in p.stderr and "Traceback" not in p.stderr
    p = jaring("shortlist", "--edition", "2026", "--candidate", "96.71", "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["candidates"] == ["96.71"]
    p = jaring("edition", "stage", "--edition", "2026", "--stage", "provinsi")
    assert p.returncode == 0, p.stderr
    assert "dari tahap data administrasi ke tahap wawancara provinsi" in p.stdout
    p = jaring("edition", "stage", "--edition", "2026", "--stage", "wawancara-provinsi")
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1
    assert "[stage_unchanged]" in p.stderr
    p = jaring("edition", "stage", "--edition", "2026", "--stage", "administrasi", "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == {"edition": 2026, "before": PROV, "stage": ADM}
    p = jaring("ranking", "--edition", "2026", "--category", "kabupaten-kota", "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["stage"] == ADM


def test_revision_0027_places_the_old_scores(engine) -> None:
    """Two editions of revision 0025: 2024 scored at ``provinsi`` and then moved to
    ``nasional``; 2025 created at ``nasional`` and never moved."""
    command.downgrade(_alembic_config(engine), "0025")
    rows = {
        "award_edition": [
            (1, 2024, 2023, "A", "nasional", '["kabupaten-kota"]', "{}"),
            (2, 2025, 2024, "B", "nasional", '["kabupaten-kota"]', "{}"),
        ],
    }
    with engine.begin() as c:
        for r in rows["award_edition"]:
            c.execute(
                text(
                    "INSERT INTO award_edition (id, year, assessed_year, name, stage, "
                    "categories, rubric) VALUES (:i, :y, :a, :n, :s, :c, :r)"
                ),
                dict(zip("iyanscr", r, strict=True)),
            )
        for cid, eid, code in ((1, 1, "96.71"), (2, 2, "96.71")):
            c.execute(
                text(
                    "INSERT INTO award_candidate (id, edition_id, category, code, name) "
                    "VALUES (:i, :e, 'kabupaten-kota', :c, 'Kota Sorong')"
                ),
                {"i": cid, "e": eid, "c": code},
            )
            c.execute(
                text(
                    "INSERT INTO award_juror (id, edition_id, code, name) VALUES (:i, :e, 'J1', 'x')"
                ),
                {"i": cid, "e": eid},
            )
            c.execute(
                text(
                    "INSERT INTO award_interview (id, candidate_id, scheduled_at) "
                    "VALUES (:i, :i, '2024-02-26 09:00:00')"
                ),
                {"i": cid},
            )
            c.execute(
                text(
                    "INSERT INTO award_score (candidate_id, juror_id, criterion, points) "
                    "VALUES (:i, :i, 'inovasi', 4)"
                ),
                {"i": cid},
            )
            c.execute(
                text("INSERT INTO award_submission (candidate_id, juror_id) VALUES (:i, :i)"),
                {"i": cid},
            )
        # the trail: 2024's interview scheduled at provinsi, then the edition moved
        audit.record(c, SYSTEM, "award.interview_schedule", "award_candidate", "2024/96.71")
        audit.record(
            c,
            SYSTEM,
            "award.edition_stage",
            "award_edition",
            2024,
            before={"stage": "provinsi"},
            after={"stage": "nasional"},
        )
        audit.record(c, SYSTEM, "award.interview_schedule", "award_candidate", "2025/96.71")
    migrate(engine)
    with engine.connect() as c:
        iv = dict(c.execute(select(award_interview.c.candidate_id, award_interview.c.stage)).all())
        sc = dict(c.execute(select(award_score.c.candidate_id, award_score.c.stage)).all())
        cand = dict(c.execute(select(award_candidate.c.id, award_candidate.c.stage)).all())
        sub = dict(c.execute(text("SELECT candidate_id, stage FROM award_submission")).all())
    assert iv == sc == sub == {1: PROV, 2: NAS}
    assert cand == {1: NAS, 2: NAS}  # everyone had reached the edition's stage


def test_the_dossier_shows_the_stage_it_is_assessed_at(four) -> None:
    from jaring.award import dossier as render

    d = queries.dossier(four, SECRETARIAT, 2026, "96.71")
    assert (d.stage, d.max_total, len(d.criteria)) == (ADM, Decimal(70), 6)
    assert d.interview is None and d.results.total == Decimal("23.00")
    assert render.dossier_pdf(d, "id").startswith(b"%PDF")
