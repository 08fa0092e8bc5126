"""A program's candidates added by hand, on SQLite and PostgreSQL: the plan counts them
beside those the rules select (alive, in the program's region, with a NIK, never twice)
and says how many came from the list; adding and removing are audited, need the right to
change a plan and every region, and a refusal changes nothing."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from sqlalchemy import Engine, func, select

from jaring.access import Actor
from jaring.errors import JaringError
from jaring.families.actions.deaths import record_death
from jaring.programs import actions, queries
from jaring.registry.queries.browse import Filters
from jaring.store.tables.programs import program_candidate
from jaring.store.tables.web import audit_event
from programs.helpers import add_people, people_frame

START = dt.date(2024, 3, 1)
SYSTEM = Actor.system()
ADMIN = Actor(username="admin", role="administrator")


def _setup(engine: Engine) -> dict[str, list[int]]:
    frame = people_frame(40, seed=3)
    frame = frame.with_columns(
        # person 40 lives in another regency; person 39 has no NIK
        pl.when(pl.col("id") == 40).then(pl.lit("96.72.01")).otherwise("district_code")
        .alias("district_code"),
        pl.when(pl.col("id") == 40).then(pl.lit("96.72")).otherwise("regency_code")
        .alias("regency_code"),
        pl.when(pl.col("id") == 39).then(None).otherwise("nik").alias("nik"),
    )  # fmt: skip
    add_people(engine, frame)
    record_death(engine, SYSTEM, 38, dt.date(2023, 12, 1), source="surat kelurahan")
    actions.create_program(
        engine,
        SYSTEM,
        name="Nelayan",
        fiscal_year=2024,
        budget=10_000_000_000,
        period_start=START,
        funder_region="96.71",
        rules={"occupations": ["nelayan"]},
    )
    fishers = frame.filter(pl.col("occupation") == "nelayan", pl.col("id") < 38)["id"].to_list()
    others = frame.filter(pl.col("occupation") != "nelayan", pl.col("id") < 38)["id"].to_list()
    return {"fishers": fishers, "others": others}


def _plan(engine: Engine) -> queries.PlanSummary:
    return actions.plan_program(engine, SYSTEM, "Nelayan", save=False)


def test_the_plan_counts_the_list_beside_the_rules(engine: Engine) -> None:
    s = _setup(engine)
    before = _plan(engine)
    assert before.eligible == len(s["fishers"]) and before.from_list == 0
    a, b = s["others"][:2]
    picked = [a, b, s["fishers"][0], 38, 39, 40]  # two new, one the rules select, dead,
    out = actions.add_candidates(engine, ADMIN, "Nelayan", reason="usulan kelurahan", ids=picked)
    assert (out.added, out.already, out.outside) == (5, 0, 1)  # 40 lives elsewhere
    again = actions.add_candidates(engine, ADMIN, "Nelayan", reason="lagi", ids=[a, 40])
    assert (again.added, again.already, again.outside) == (0, 1, 1)
    after = _plan(engine)
    # a and b count; the fisher not twice; 38 died before the start; 39 has no NIK
    assert after.eligible == before.eligible + 2 and after.from_list == 2
    assert after.people == after.eligible and after.people_from_list == 2
    listed = queries.candidate_list(engine, ADMIN, "Nelayan")
    assert listed.total == 5 and listed.outside == 0 and listed.next is None
    first = next(c for c in listed.people if c.person.id == a)
    assert first.reason == "usulan kelurahan" and first.added_by == "admin"
    assert isinstance(first.added_at, dt.datetime) and first.in_region
    gone = actions.remove_candidates(engine, ADMIN, "Nelayan", [a, 9999])
    assert (gone.removed, gone.not_listed) == (1, 1)
    assert _plan(engine).from_list == 1
    with engine.connect() as c:
        events = dict(
            c.execute(
                select(audit_event.c.action, func.count())
                .where(audit_event.c.action.like("program.candidates%"))
                .group_by(audit_event.c.action)
            ).all()
        )
        removed = c.execute(
            select(audit_event.c.before).where(audit_event.c.action == "program.candidates_remove")
        ).scalar_one()
    assert events == {
        "program.candidates_add": 2,
        "program.candidates_remove": 1,
        "program.candidates": 1,  # the read of the list, with the ids shown
    }
    assert removed[0]["person_id"] == a and removed[0]["reason"] == "usulan kelurahan"


def test_everyone_the_filters_keep(engine: Engine) -> None:
    _setup(engine)
    out = actions.add_candidates(
        engine, ADMIN, "Nelayan", reason="semua petani", filters=Filters(occupation="petani")
    )
    farmers = people_frame(40, seed=3).filter(pl.col("occupation") == "petani")
    farmers = farmers.filter(pl.col("id") != 40)  # 40 lives outside the program's region
    with engine.connect() as c:
        n = c.execute(select(func.count()).select_from(program_candidate)).scalar()
    assert out.added == n == farmers.height > 0


@pytest.mark.parametrize(
    ("who", "code"),
    [
        (Actor(username="op", role="operator", regions=("96.71.01",)), "program_needs_all_regions"),
        (Actor(username="v", role="viewer"), "forbidden"),
    ],
)
def test_who_may_change_the_list(engine: Engine, who: Actor, code: str) -> None:
    _setup(engine)
    with pytest.raises(JaringError) as e:
        actions.add_candidates(engine, who, "Nelayan", reason="x", ids=[1])
    assert e.value.code == code
    with pytest.raises(JaringError) as e:
        actions.remove_candidates(engine, who, "Nelayan", [1])
    assert e.value.code == code


def test_refusals_change_nothing(engine: Engine) -> None:
    _setup(engine)
    for kwargs, code in (
        ({"reason": " ", "ids": [1]}, "missing_reason"),
        ({"reason": "x", "ids": []}, "no_candidates_chosen"),
        ({"reason": "x", "ids": [99_999]}, "no_candidates_chosen"),
        ({"reason": "x", "filters": Filters(occupation="astronot")}, "no_candidates_chosen"),
    ):
        with pytest.raises(JaringError) as e:
            actions.add_candidates(engine, ADMIN, "Nelayan", **kwargs)  # type: ignore[arg-type]
        assert e.value.code == code
    with pytest.raises(JaringError) as e:
        actions.add_candidates(engine, ADMIN, "Tidak ada", reason="x", ids=[1])
    assert e.value.code == "program_not_found"
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(program_candidate)).scalar() == 0
