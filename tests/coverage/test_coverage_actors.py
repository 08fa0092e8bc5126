"""Rights and regions are checked in the coverage domain, so the CLI refuses what the API
refuses; entered figures leave an audit event in their own transaction."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import pytest
from sqlalchemy import insert, select
from tests import clirun

from jaring.access import Actor
from jaring.coverage import actions, queries
from jaring.errors import JaringError
from jaring.store.tables.web import audit_event, web_user

ON = dt.date(2024, 12, 31)
SYSTEM = Actor.system()
# an operator of Distrik Sorong Timur; a viewer everywhere
OPERATOR = Actor(username="op", role="operator", regions=("96.71.02",))
CITY_OPERATOR = Actor(username="kota", role="operator", regions=("96.71",))
VIEWER = Actor(username="lihat", role="viewer")
JUROR = Actor(username="j1", role="juror")


def code_of(f) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(JaringError) as e:
        f()
    return e.value.code


def test_reads_need_the_right_and_the_region(sorong) -> None:
    assert queries.coverage_report(sorong, OPERATOR, "96.71.02", ON).covered == 1
    assert code_of(lambda: queries.coverage_report(sorong, OPERATOR, "96.71", ON)) == (
        "region_out_of_scope"
    )
    assert code_of(lambda: queries.trace(sorong, OPERATOR, "96.71.01", ON)) == (
        "region_out_of_scope"
    )
    assert code_of(lambda: queries.coverage_report(sorong, JUROR, "96.71", ON)) == "forbidden"
    # an old code is judged by the region it maps to
    assert queries.coverage_report(sorong, CITY_OPERATOR, "92.71", ON).region.code == "96.71"


def test_national_view_counts_only_the_actors_regions(sorong) -> None:
    everyone = queries.covered_by_region(sorong, SYSTEM, ON, level=3)
    mine = queries.covered_by_region(sorong, OPERATOR, ON, level=3)
    assert set(mine["code"]) == {"96.71.02"}
    assert (
        mine["covered"].to_list()
        == everyone.filter(everyone["code"] == "96.71.02")["covered"].to_list()
    )


def test_entering_figures_needs_the_right_and_the_region(sorong) -> None:
    assert code_of(lambda: actions.set_denominator(sorong, VIEWER, "96.71", 2024, 9, "x")) == (
        "forbidden"
    )
    assert code_of(lambda: actions.set_target(sorong, OPERATOR, "96.71", 2024, "x", "5")) == (
        "region_out_of_scope"
    )
    out = actions.set_denominator(sorong, CITY_OPERATOR, "96.71", 2024, 160, "BPS")
    assert out.region == "96.71" and out.value == 160


def test_an_entered_figure_is_audited_with_what_it_replaced(sorong) -> None:
    actions.set_denominator(sorong, CITY_OPERATOR, "96.71", 2024, 160, "BPS 2024")
    actions.set_denominator(sorong, CITY_OPERATOR, "96.71", 2024, 170, "BPS 2024 revisi")
    with sorong.connect() as conn:
        events = conn.execute(
            select(audit_event.c.actor, audit_event.c.entity_id, audit_event.c.before)
            .where(audit_event.c.action == "coverage.denominator")
            .order_by(audit_event.c.id)
        ).all()
    assert [e.actor for e in events] == ["kota", "kota"]
    assert events[0].entity_id == "96.71/2024/all" and events[0].before is None
    assert events[1].before == {"value": 160, "source": "BPS 2024"}


def test_a_refused_import_leaves_no_event(sorong, tmp_path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("region,year,value,source\n96.71,2024,5000,BPS\n96.01,2024,1,BPS\n")
    assert code_of(lambda: actions.import_denominators(sorong, CITY_OPERATOR, bad)) == "bad_row"
    with sorong.connect() as conn:
        assert conn.execute(select(audit_event.c.id)).first() is None


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_cli_refuses_a_region_outside_the_users(sorong, db_url) -> None:
    with sorong.begin() as conn:
        conn.execute(
            insert(web_user).values(
                username="op", role="operator", regions=["96.71.02"], password_hash="-"
            )
        )

    def jaring(*args: str) -> subprocess.CompletedProcess[str]:
        return clirun.jaring(*args, "--db", db_url, "--user", "op")

    ok = jaring("coverage", "report", "--region", "96.71.02", "--on", "2024-12-31", "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["covered"] == 1
    refused = jaring("coverage", "report", "--region", "96.71", "--on", "2024-12-31")
    assert refused.returncode == 2
    assert refused.stderr.strip().endswith("[region_out_of_scope]")
    entered = jaring("coverage", "target", "--region", "96.71", "--year", "2024", "--source", "x")
    assert entered.returncode == 2 and "[region_out_of_scope]" in entered.stderr
