"""Rights, regions and clear data are checked in the registry itself, so the CLI (as the
account named by --user) refuses what the web refuses; the look-ups other domains ask for
("the person with this NIK in my regions", "is this person in scope"); the row issues'
wording from the catalogue."""

import datetime as dt
import json
import re
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, insert, select, text
from typer.testing import CliRunner, Result

from jaring.access import Actor
from jaring.cli import app, options
from jaring.errors import JaringError
from jaring.registry import issues, queries
from jaring.registry.actions import decisions, imports, linking
from jaring.registry.queries import exports, people
from jaring.store import make_engine, migrate
from jaring.store.tables.registry import registry_link
from jaring.store.tables.web import audit_event, web_user

# Two distriks; in each, two people typed with one NIK (so their rows were merged).
LIST = (
    "Nama,NIK,Tanggal Lahir,Jenis Kelamin,Distrik\n"
    "Agustina Rumbiak,9671026606920007,26 Juni 1992,P,Sorong Timur\n"
    "Agustinus Rumbiak,9671026606920007,26 Juni 1992,L,Sorong Timur\n"
    "Petrus Mambor,9671011111800008,11 November 1980,L,Sorong\n"
    "Petra Mambor,9671011111800008,11 November 1980,P,Sorong\n"
)
EAST, WEST = "9671026606920007", "9671011111800008"
SYSTEM = Actor.system()
TIMUR = Actor(username="op_timur", role="operator", regions=("96.71.02",))
VIEWER = Actor(username="pemantau", role="viewer")


def _load(engine: Engine, tmp_path: Path, actor: Actor = SYSTEM) -> dict[str, tuple[int, int]]:
    """The list imported by ``actor`` and linked: NIK -> (person id, its second row)."""
    path = tmp_path / "pasar.csv"
    path.write_text(LIST, encoding="utf-8")
    imports.import_files(engine, actor, [path], "Pasar Remu", listed_on=dt.date(2024, 1, 2))
    linking.dedupe(engine, SYSTEM)
    out = {}
    for found in exports.links(engine, SYSTEM).group_by("person_id").agg("row_id").iter_rows():
        pid, rows = found
        nik = people.person_file(engine, SYSTEM, pid).nik
        out[str(nik)] = (int(pid), int(sorted(rows)[1]))
    return out


def _account(engine: Engine, username: str, role: str, regions: list[str]) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(web_user).values(
                username=username, role=role, regions=regions, password_hash="-", active=True
            )
        )


def invoke(args: list[str]) -> Result:
    options.reset()
    return CliRunner().invoke(app, args)


def refusal(r: Result) -> str | None:
    """The code of the one-line refusal a command printed (exit 2), else None."""
    found = re.search(r"\[([a-z_]+)\]\s*$", r.output)
    return found.group(1) if r.exit_code == 2 and found else None


def test_the_cli_refuses_what_the_web_refuses(tmp_path: Path) -> None:
    """An operator of Sorong Timur named by --user: no split of a person of Sorong, no
    batch of another user, no source rows for a viewer; the system may, and is recorded as
    such in the audit trail."""
    db = f"sqlite:///{tmp_path / 'j.db'}"
    engine = make_engine(db)
    migrate(engine)
    merged = _load(engine, tmp_path)
    _account(engine, "op_timur", "operator", ["96.71.02"])
    _account(engine, "pemantau", "viewer", [])
    _west_person, west_row = merged[WEST]
    east_person, east_row = merged[EAST]

    r = invoke(
        ["registry", "split", str(west_row), "--reason", "x", "--user", "op_timur", "--db", db]
    )
    assert refusal(r) == "person_out_of_region"
    r = invoke(["registry", "rows", "--db", db, "--user", "pemantau"])
    assert refusal(r) == "registry_needs_clear_data"
    r = invoke(["registry", "fix", str(west_row), "name=X", "--db", db, "--user", "op_timur"])
    assert refusal(r) == "batch_not_yours"  # the system imported it
    r = invoke(["registry", "dedupe", "--db", db, "--user", "pemantau"])
    assert refusal(r) == "forbidden"
    r = invoke(["registry", "find", "9671", "--db", db, "--user", "pemantau", "--json"])
    assert refusal(r) == "nik_prefix_forbidden"
    # the operator finds only the people of Sorong Timur, and splits there
    r = invoke(["registry", "find", "mambor", "--db", db, "--user", "op_timur", "--json"])
    assert r.exit_code == 0 and json.loads(r.output) == []
    r = invoke(["registry", "find", "rumbiak", "--db", db, "--user", "op_timur", "--json"])
    assert [p["id"] for p in json.loads(r.output)] == [east_person]
    r = invoke(["registry", "split", str(east_row), "--db", db, "--user", "op_timur"])
    assert refusal(r) == "reason_required"
    r = invoke(
        [
            "registry",
            "split",
            str(east_row),
            "--reason",
            "kembar",
            "--user",
            "op_timur",
            "--db",
            db,
            "--json",
        ]
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["from_person"] == east_person
    r = invoke(["registry", "split", str(west_row), "--reason", "kembar", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    with engine.connect() as conn:
        events = conn.execute(
            select(audit_event.c.actor, audit_event.c.actor_id, audit_event.c.entity_id)
            .where(audit_event.c.action == "registry.split")
            .order_by(audit_event.c.id)
        ).all()
        who = conn.execute(text("SELECT decided_by FROM registry_split ORDER BY id")).scalars()
        decided = list(who)
    assert [(e.actor, e.entity_id) for e in events] == [
        ("op_timur", str(east_row)),
        ("system", str(west_row)),
    ]
    assert events[0].actor_id is not None and events[1].actor_id is None
    assert decided == ["op_timur", "system"]
    engine.dispose()


def test_scoped_reads_and_decisions(engine: Engine, tmp_path: Path) -> None:
    merged = _load(engine, tmp_path, actor=TIMUR)
    west_person, west_row = merged[WEST]
    east_person, east_row = merged[EAST]
    # the look-ups other domains ask for
    assert queries.person_by_nik(engine, TIMUR, EAST) == east_person
    with pytest.raises(JaringError) as e:
        queries.person_by_nik(engine, TIMUR, WEST)  # exists, but elsewhere
    assert e.value.code == "person_not_found" and e.value.context["field"] == "nik"
    with pytest.raises(JaringError) as e:
        queries.person_by_nik(engine, TIMUR, "96710")
    assert e.value.code == "bad_nik"
    with pytest.raises(JaringError) as e:
        queries.require_person_in_scope(engine, TIMUR, west_person)
    assert e.value.code == "person_out_of_region" and e.value.status == 403
    with pytest.raises(JaringError) as e:
        queries.require_person_in_scope(engine, TIMUR, 999_999)
    assert e.value.code == "person_not_found" and e.value.status == 404
    with engine.connect() as conn:
        queries.require_person_in_scope(conn, TIMUR, east_person)
        assert queries.ids_in_scope(conn, TIMUR, [east_person, west_person, 999_999]) == {
            east_person
        }
        assert queries.ids_in_scope(conn, SYSTEM, [east_person, west_person]) == {
            east_person,
            west_person,
        }
    # a NIK two people carry
    decisions.split_row(engine, SYSTEM, east_row, reason="kembar")
    with pytest.raises(JaringError) as e:
        queries.person_by_nik(engine, TIMUR, EAST)
    assert e.value.code == "nik_shared"
    # masked-data roles: NIK and phone masked, no source rows, no people file
    found = people.search(engine, VIEWER, EAST).people
    assert found and all(p.nik == "9671********0007" for p in found)
    with pytest.raises(JaringError) as e:
        people.source_rows_of(engine, VIEWER, west_person)
    assert e.value.code == "registry_needs_clear_data"
    # the operator's people file holds the people of their distrik only
    with engine.begin() as conn:
        frame = exports.people_frame(conn, TIMUR)
    assert set(frame.get_column("district_code")) == {"96.71.02"}
    assert frame.filter(pl.col("nik") == WEST).height == 0
    # a split of a row outside the operator's regions is refused, nothing changes
    with engine.connect() as conn:
        before = conn.execute(
            select(registry_link.c.person_id).where(registry_link.c.row_id == west_row)
        ).scalar()
    with pytest.raises(JaringError) as e:
        decisions.split_row(engine, TIMUR, west_row, reason="x")
    assert e.value.code == "person_out_of_region"
    with pytest.raises(JaringError) as e:
        decisions.split_row(engine, SYSTEM, west_row, reason="x", person_id=east_person)
    assert e.value.code == "row_not_linked"
    with engine.connect() as conn:
        after = conn.execute(
            select(registry_link.c.person_id).where(registry_link.c.row_id == west_row)
        ).scalar()
    assert before == after == west_person


def test_row_issues_read_from_the_catalogue() -> None:
    assert issues.severity("nik_excel_mangled") == "error"
    assert issues.severity("nik_missing") == "warning"
    assert issues.message("nik_length", "en", "12345", "5") == (
        "NIK 12345 must have 16 digits (it has 5)."
    )
    assert issues.message("nik_length", "id", "12345", "5") == (
        "NIK 12345 harus 16 digit (tertulis 5 digit)."
    )
    assert issues.message("nik_missing", "id") == (
        "NIK kosong: orang ini hanya dapat dicocokkan dengan nama dan tanggal lahir."
    )
    frame = pl.DataFrame({"code": ["phone_invalid"], "value": ["0812"], "detail": [None]})
    assert issues.with_messages(frame, "id").get_column("message").to_list() == [
        "Nomor HP 0812 tidak sah; dikosongkan."
    ]
    # every code intake can give has a severity and both wordings
    for code in issues.CODES:
        assert issues.message(code, "id", "x", "y") and issues.message(code, "en", "x", "y")
