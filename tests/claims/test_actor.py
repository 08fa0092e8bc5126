"""Who acts on a claim: rights, regions and masking are checked in the domain, so the CLI and
the API refuse alike; the trail and the audit trail record the account, never free text."""

import datetime as dt
import json

import pytest
from sqlalchemy import insert, select
from tests.clirun import jaring, process

from jaring.access import Actor
from jaring.claims import actions, queries
from jaring.errors import JaringError
from jaring.store.tables.web import audit_event, web_user

from .helpers import world

D = dt.date
SYSTEM = Actor.system()
NIK_EAST = "9671020101800001"  # Distrik Sorong Timur (96.71.02)
NIK_WEST = "9671010101800002"  # Distrik Sorong (96.71.01)
HEIR_NIK = "9671024101900009"
OPERATOR = Actor("op", "operator", regions=("96.71.02",), user_id=7)
VIEWER = Actor("lihat", "viewer")


@pytest.fixture
def two_districts(engine):
    world(
        engine,
        [
            {
                "nik": NIK_EAST,
                "periods": [(D(2024, 1, 1), D(2024, 12, 31))],
                "district": "96.71.02",
            },
            {
                "nik": NIK_WEST,
                "periods": [(D(2024, 1, 1), D(2024, 12, 31))],
                "district": "96.71.01",
            },
        ],
    )
    return engine


def file(engine, actor, nik, **kw):
    return actions.file_claim(
        engine,
        actor,
        claim_type="jkm",
        nik=nik,
        event_date=D(2024, 5, 10),
        filed_on=D(2024, 5, 20),
        reporter="Kelurahan",
        heirs=[{"relation": "spouse", "name": "Mama Yuliana", "nik": HEIR_NIK}],
        **kw,
    )


def test_an_operator_files_and_sees_only_in_their_regions(two_districts) -> None:
    east = file(two_districts, OPERATOR, NIK_EAST)
    assert east.trail[0].actor == "op"
    with pytest.raises(JaringError) as e:
        file(two_districts, OPERATOR, NIK_WEST)
    assert e.value.code == "person_not_found"
    with pytest.raises(JaringError) as e:  # named by id: the region is checked too
        actions.file_claim(
            two_districts,
            OPERATOR,
            claim_type="jkm",
            person_id=2,
            event_date=D(2024, 5, 10),
            reporter="Kelurahan",
            heirs=[{"relation": "spouse", "name": "Mama"}],
        )
    assert e.value.code == "person_out_of_region" and e.value.status == 403
    west = file(two_districts, SYSTEM, NIK_WEST)
    for act in (
        lambda: queries.get_claim(two_districts, OPERATOR, west.claim),
        lambda: actions.record_documents(two_districts, OPERATOR, west.claim, ["kpj"]),
        lambda: actions.add_heirs(two_districts, OPERATOR, west.claim, [{"relation": "child", "name": "Yosua"}]),
        lambda: actions.advance_claim(two_districts, OPERATOR, west.claim, "rejected", reason_code="lapsed"),
    ):  # fmt: skip
        with pytest.raises(JaringError) as e:
            act()
        assert e.value.code == "person_out_of_region"
    assert [c.claim for c in queries.list_claims(two_districts, OPERATOR)] == [east.claim]
    assert queries.count_claims(two_districts, OPERATOR) == 1
    assert queries.count_claims(two_districts, SYSTEM) == 2
    assert queries.summary(two_districts, OPERATOR).claims == 1
    assert queries.forecast(two_districts, OPERATOR, program=1, year=2024).members == 1


def test_rights_and_masking_are_the_domains(two_districts) -> None:
    with pytest.raises(JaringError) as e:
        file(two_districts, VIEWER, NIK_EAST)
    assert e.value.code == "forbidden"
    c = file(two_districts, SYSTEM, NIK_EAST)
    with pytest.raises(JaringError) as e:
        actions.advance_claim(two_districts, VIEWER, c.claim, "rejected", reason_code="lapsed")
    assert e.value.code == "forbidden"
    seen = queries.get_claim(two_districts, VIEWER, c.claim)
    assert seen.heirs[0].nik == "9671********0009"
    assert queries.get_claim(two_districts, OPERATOR, c.claim).heirs[0].nik == HEIR_NIK
    with pytest.raises(JaringError) as e:
        queries.get_claim(two_districts, Actor("juri", "juror"), c.claim)
    assert e.value.code == "forbidden"


def test_each_action_writes_its_audit_event_with_the_actor(two_districts) -> None:
    c = file(two_districts, OPERATOR, NIK_EAST)
    actions.record_documents(two_districts, OPERATOR, c.claim, ["kpj"], received_on=D(2024, 5, 21))
    actions.add_heirs(two_districts, OPERATOR, c.claim, [{"relation": "child", "name": "Yosua"}])
    actions.advance_claim(two_districts, SYSTEM, c.claim, "rejected", reason_code="lapsed")
    with two_districts.connect() as conn:
        events = conn.execute(
            select(audit_event.c.actor, audit_event.c.actor_id, audit_event.c.action)
            .where(audit_event.c.entity == "claim", audit_event.c.entity_id == str(c.claim))
            .order_by(audit_event.c.id)
        ).all()
    assert [tuple(e) for e in events] == [
        ("op", 7, "claim.file"),
        ("op", 7, "claim.documents"),
        ("op", 7, "claim.heirs"),
        ("system", None, "claim.advance"),
    ]
    trail = queries.get_claim(two_districts, SYSTEM, c.claim).trail
    assert [e.actor for e in trail] == ["op", "op", "op", "system"]


def test_a_refused_action_leaves_no_audit_event(two_districts) -> None:
    c = file(two_districts, SYSTEM, NIK_EAST)
    with pytest.raises(JaringError):
        actions.advance_claim(two_districts, SYSTEM, c.claim, "documents_complete")
    with two_districts.connect() as conn:
        actions_seen = conn.execute(
            select(audit_event.c.action).where(audit_event.c.entity == "claim")
        ).scalars()
        assert list(actions_seen) == ["claim.file"]


# --------------------------------------------------------------------------- the CLI


@pytest.fixture
def cli_store(tmp_path):
    from jaring.store import make_engine, migrate

    url = f"sqlite:///{tmp_path / 'c.db'}"
    eng = make_engine(url)
    migrate(eng)
    world(
        eng,
        [
            {
                "nik": NIK_EAST,
                "periods": [(D(2024, 1, 1), D(2024, 12, 31))],
                "district": "96.71.02",
            },
            {
                "nik": NIK_WEST,
                "periods": [(D(2024, 1, 1), D(2024, 12, 31))],
                "district": "96.71.01",
            },
        ],
    )
    with eng.begin() as conn:
        conn.execute(
            insert(web_user).values(
                username="op", role="operator", regions=["96.71.02"], password_hash="-"
            )
        )
    eng.dispose()
    return url


def cli(url, *args):
    return jaring("claims", *args, "--db", url)


FILE = ("file", "--type", "jkm", "--event-date", "2024-08-17", "--heir", "spouse:Mama Yuliana")


def test_the_cli_checks_the_users_regions_and_records_them(cli_store) -> None:
    p = cli(cli_store, *FILE, "--nik", NIK_WEST, "--user", "op")
    assert p.returncode == 2 and "[person_not_found]" in p.stderr
    p = cli(cli_store, *FILE, "--nik", NIK_EAST, "--user", "op", "--json")
    assert p.returncode == 0, p.stderr
    east = json.loads(p.stdout)
    assert east["trail"][0]["actor"] == "op"
    p = cli(cli_store, *FILE, "--nik", NIK_WEST, "--json")  # no --user: the system
    assert p.returncode == 0, p.stderr
    west = json.loads(p.stdout)["claim"]
    p = cli(cli_store, "show", str(west), "--user", "op")
    assert p.returncode == 2 and "[person_out_of_region]" in p.stderr
    p = cli(cli_store, "list", "--user", "op", "--json")
    assert [c["claim"] for c in json.loads(p.stdout)] == [east["claim"]]


def test_the_cli_still_takes_actor_but_records_who_acts(cli_store) -> None:
    # the real entry point
    p = process(
        "claims", *FILE, "--nik", NIK_EAST, "--actor", "kepala-bidang", "--json", "--db", cli_store
    )
    assert p.returncode == 0, p.stderr
    assert "--actor" in p.stderr
    assert json.loads(p.stdout)["trail"][0]["actor"] == "system"


def test_the_cli_names_the_flag_of_the_field(cli_store) -> None:
    p = cli(cli_store, *FILE, "--nik", NIK_EAST, "--json")
    cid = json.loads(p.stdout)["claim"]
    p = cli(cli_store, "advance", str(cid), "--to", "rejected", "--lang", "en")
    assert p.returncode == 2
    assert "(--reason-code) [reject_reason_required]" in p.stderr
    p = cli(cli_store, "advance", str(cid), "--to", "documents_complete", "--lang", "en")
    assert "written reason. (--reason) [documents_missing]" in p.stderr


def test_a_nik_two_people_carry_is_refused_until_the_registry_resolves_it(engine) -> None:
    covered = [(D(2024, 1, 1), D(2024, 12, 31))]
    world(engine, [{"nik": NIK_EAST, "periods": covered}, {"nik": NIK_EAST, "periods": covered}])
    with pytest.raises(JaringError) as e:
        file(engine, SYSTEM, NIK_EAST)
    assert e.value.code == "nik_shared" and e.value.context["field"] == "nik"
    assert file(engine, SYSTEM, None, person_id=2).person_id == 2
