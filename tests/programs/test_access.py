"""Rights, regions, masking and the audit trail in the programs domain itself: the CLI, the
API and the pages get the same refusals because the actions and queries check them."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, select

from jaring.access import Actor
from jaring.cli import main
from jaring.errors import JaringError
from jaring.programs import actions, queries
from jaring.store import make_engine, migrate
from jaring.store.tables.web import audit_event, web_user
from jaring.web.app import create_app
from programs.helpers import add_people, people_frame

START = dt.date(2024, 3, 1)
SYSTEM = Actor.system()
OPERATOR = Actor("op", "operator", regions=("96.71.01",), user_id=7)
ADMIN = Actor("adm", "administrator", user_id=1)
BUDGET = Actor("bo", "budget_officer", user_id=2)  # sees personal data masked
VIEWER = Actor("v", "viewer", user_id=3)


class Recorder:
    """A Progress that remembers the phases it was told about."""

    def __init__(self) -> None:
        self.steps: list[str] = []
        self.units = 0

    def step(self, description: str, total: int | None = None) -> None:
        self.steps.append(description)

    def advance(self, units: int = 1) -> None:
        self.units += units


def _program(engine: Engine, people: int = 40) -> None:
    add_people(engine, people_frame(people, seed=6))
    actions.create_program(
        engine, SYSTEM, name="Uji", fiscal_year=2024, budget=10_000_000, period_start=START
    )


@pytest.mark.parametrize(
    "act",
    [
        lambda e, a: actions.create_program(e, a, name="X", fiscal_year=2024, budget=1),
        lambda e, a: actions.plan_program(e, a, "Uji", save=False),
        lambda e, a: actions.enrol(e, a, "Uji"),
        lambda e, a: actions.bpjs_export(e, a, "Uji", Path("x.csv")),
        lambda e, a: actions.bpjs_import_kpj(e, a, Path("x.csv")),
        lambda e, a: actions.create_invoice(e, a, "Uji", START),
        lambda e, a: actions.pay(e, a, 1, amount=1, sp2d="A", on=START),
    ],
)
def test_program_actions_need_every_region(engine: Engine, act) -> None:  # type: ignore[no-untyped-def]
    _program(engine)
    with pytest.raises(JaringError) as e:
        act(engine, OPERATOR)
    assert e.value.code in ("program_needs_all_regions", "forbidden")
    assert e.value.status == 403
    with pytest.raises(JaringError) as e:
        act(engine, VIEWER)
    assert e.value.code == "forbidden"


def test_reads_need_program_read(engine: Engine) -> None:
    _program(engine)
    juror = Actor("j", "juror")
    for read in (
        lambda a: queries.list_programs(engine, a),
        lambda a: queries.reconcile(engine, a, "Uji"),
        lambda a: queries.list_invoices(engine, a, "Uji"),
        lambda a: queries.bpjs_refusals(engine, a),
        lambda a: queries.coverage_count(engine, a, START),
    ):
        with pytest.raises(JaringError) as e:
            read(juror)
        assert e.value.code == "forbidden"
        read(OPERATOR)  # program reads are not region-scoped: a program is one budget


def test_actions_write_their_audit_event_in_their_transaction(engine: Engine) -> None:
    _program(engine)
    actions.plan_program(engine, ADMIN, "Uji")
    actions.plan_program(engine, ADMIN, "Uji", save=False)  # a dry run changes nothing
    with pytest.raises(JaringError):
        actions.create_program(engine, ADMIN, name="Uji", fiscal_year=2024, budget=1)
    with engine.connect() as c:
        rows = c.execute(
            select(audit_event.c.action, audit_event.c.actor, audit_event.c.entity_id).order_by(
                audit_event.c.id
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("program.create", "system", "1"),
        ("program.plan", "adm", "1"),
    ]


def test_masked_roles_see_masked_niks_in_kpj_answers(engine: Engine, tmp_path: Path) -> None:
    _program(engine, people=10)
    actions.plan_program(engine, SYSTEM, "Uji")
    actions.enrol(engine, SYSTEM, "Uji")
    actions.bpjs_export(engine, SYSTEM, "Uji", tmp_path / "reg.csv")
    answer = tmp_path / "ans.csv"
    pl.DataFrame({"NIK": ["9171010101000001"], "KPJ": ["20000000001"]}).write_csv(answer)
    out = actions.bpjs_import_kpj(engine, BUDGET, answer, program_ref="Uji")
    assert out.refused == 1 and out.refusals[0].nik == "9171********0001"
    assert queries.bpjs_refusals(engine, BUDGET)[0].nik == "9171********0001"
    assert queries.bpjs_refusals(engine, ADMIN)[0].nik == "9171010101000001"


def test_coverage_reads_keep_to_the_actors_regions(engine: Engine) -> None:
    people = people_frame(6, seed=2, districts=2)
    add_people(engine, people)
    outside = people.filter(pl.col("district_code") != "96.71.01").row(0, named=True)
    inside = people.filter(pl.col("district_code") == "96.71.01").row(0, named=True)
    with pytest.raises(JaringError) as e:
        queries.coverage_of(engine, OPERATOR, START, nik=outside["nik"])
    assert e.value.code == "person_not_found"
    with pytest.raises(JaringError) as e:
        queries.coverage_of(engine, OPERATOR, START, person_id=outside["id"])
    assert e.value.code == "person_out_of_region"
    seen = queries.coverage_of(engine, OPERATOR, START, nik=inside["nik"])
    assert [p.person_id for p in seen.people] == [inside["id"]] and not seen.covered
    assert queries.coverage_count(engine, OPERATOR, START).covered == 0


def test_long_actions_report_progress(engine: Engine) -> None:
    _program(engine)
    p = Recorder()
    actions.plan_program(engine, SYSTEM, "Uji", progress=p)
    assert len(p.steps) == 3
    p = Recorder()
    out = actions.enrol(engine, SYSTEM, "Uji", progress=p)
    assert len(p.steps) == 2 and p.units == out.enrolled > 0


@pytest.fixture
def run(capsys, monkeypatch):  # type: ignore[no-untyped-def]
    def _run(*args: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
        monkeypatch.setattr(sys, "argv", ["jaring", *args])
        try:
            main()
            code = 0
        except SystemExit as e:
            code = int(e.code or 0)
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return _run


def test_the_cli_refuses_a_named_user_with_regions(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'j.db'}"
    eng = make_engine(db)
    migrate(eng)
    add_people(eng, people_frame(20, seed=3))
    with eng.begin() as c:
        for name, role, regions in (("op", "operator", ["96.71.01"]), ("v", "viewer", [])):
            c.execute(
                insert(web_user).values(
                    username=name, role=role, regions=regions, password_hash="x"
                )
            )
    eng.dispose()
    p = run("program", "create", "--name", "S", "--year", "2024", "--budget", "9000000",
            "--db", db, "--user", "op")  # fmt: skip
    assert p.returncode == 2 and "program_needs_all_regions" in p.stderr
    p = run("program", "create", "--name", "S", "--year", "2024", "--budget", "9000000",
            "--db", db, "--user", "v")  # fmt: skip
    assert p.returncode == 2 and "[forbidden]" in p.stderr
    p = run("program", "create", "--name", "S", "--year", "2024", "--budget", "9000000",
            "--db", db, "--json")  # fmt: skip
    assert p.returncode == 0, p.stderr
    p = run("program", "list", "--db", db, "--user", "v", "--json")
    assert p.returncode == 0 and json.loads(p.stdout)[0]["name"] == "S"
    p = run("program", "plan", "S", "--quota", "kota=2", "--db", db, "--lang", "en")
    assert p.returncode == 2 and "Not a quota: kota=2" in p.stderr and "[bad_quota]" in p.stderr


def test_a_refusal_names_the_option_of_its_field(tmp_path: Path, run) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'j.db'}"
    p = run("program", "create", "--name", "S", "--year", "2024", "--budget", "1", "--db", db)
    assert p.returncode == 0, p.stderr
    p = run("program", "plan", "S", "--quota", "kota=2", "--db", db)
    assert p.returncode == 2 and "(--quota) [bad_quota]" in p.stderr
    p = run("program", "plan", "S", "--from", "2025-01", "--db", db)
    assert p.returncode == 2 and "(--from) [month_outside_period]" in p.stderr


def test_refusals_name_the_field_not_a_flag(engine: Engine) -> None:
    _program(engine)
    for call, field in (
        (lambda: actions.plan_program(engine, SYSTEM, "Uji", quotas=["kota=2"]), "quotas"),
        (lambda: actions.plan_program(engine, SYSTEM, "Uji", budget=1), "budget"),
        (lambda: actions.pay(engine, SYSTEM, 1, amount=0, sp2d="A", on=START), "amount"),
        (
            lambda: actions.create_program(
                engine, SYSTEM, name="P", fiscal_year=2024, budget=1, segment="pu"
            ),
            "income_base",
        ),
    ):
        with pytest.raises(JaringError) as e:
            call()
        assert e.value.context["field"] == field
        assert "--" not in e.value.message("id") + e.value.message("en")


def test_every_program_route_describes_its_answer(engine: Engine) -> None:
    doc = TestClient(create_app(engine)).get("/api/v1/openapi.json").json()
    ops = [
        (path, method, op)
        for path, item in doc["paths"].items()
        if path.startswith(("/api/v1/programs", "/api/v1/invoices"))
        for method, op in item.items()
    ]
    assert len(ops) == 23  # with the refunds (one and several) and the candidates added by hand
    for path, method, op in ops:
        ok = op["responses"].get("201") or op["responses"]["200"]
        content = ok["content"]
        if path.endswith(("/bpjs/registrations", "/bpjs/files/{file_id}")):
            assert "text/csv; charset=utf-8" in content
            continue
        assert content["application/json"]["schema"], (method, path)
