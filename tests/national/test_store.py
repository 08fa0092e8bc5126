"""A Pemda's store and the national picture: its snapshot (audited, region-scoped,
pseudonymised on request, checked on reading), and the cross-region pairs of its people
taken back into its review, decided by its operators. Both dialects."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, func, select
from tests.clirun import jaring, process

from jaring.access import Actor
from jaring.errors import JaringError
from jaring.national import actions, queries, results, snapshot
from jaring.store import identity
from jaring.store.bulk import insert_frame
from jaring.store.tables.registry import person
from jaring.store.tables.web import audit_event, web_setting

D = dt.date
SYSTEM = Actor.system()
ADMIN_CITY = Actor(username="admin", role="administrator", regions=("96.71",))
OPERATOR = Actor(username="op", role="operator", regions=("96.71",))
SUPERVISOR = Actor(username="sup", role="supervisor", regions=("96.71",))
VIEWER = Actor(username="lihat", role="viewer")


MARK = "5eed" * 8  # the store's mark (jaring.store.identity) after seed()


def seed(engine: Engine) -> None:
    """Three people of Kota Sorong and one of Kabupaten Sorong; a city program paying
    January to March for persons 1 and 2 (person 2 only half of March), a province program
    paying March for person 1."""
    people = pl.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "nik": ["9671010101900001", "9671014202850002", None, "9601010303800003"],
            "name": ["Yohana Kambu", "Markus Wanma", "Siti Aminah", "Paulus Mayor"],
            "name_norm": ["yohana kambu", "markus wanma", "siti aminah", "paulus mayor"],
            "birth_date": [D(1990, 1, 1), D(1985, 2, 2), D(1970, 5, 5), D(1980, 3, 3)],
            "sex": ["P", "L", "P", "L"],
            "province_code": ["96"] * 4,
            "regency_code": ["96.71", "96.71", "96.71", "96.01"],
            "district_code": ["96.71.01", "96.71.01", "96.71.02", "96.01.01"],
            "registered_on": [D(2025, 1, 1)] * 4,
        }
    )
    programs = pl.DataFrame(
        {
            "id": [1, 2],
            "name": ["BPU Kota", "BPU Provinsi"],
            "funder_type": ["apbd", "apbd"],
            "funder_region": ["96.71", "96"],
            "fiscal_year": [2026, 2026],
            "budget": [100_000_000, 100_000_000],
            "segment": ["bpu", "bpu"],
            "income_base": [1_000_000, 1_000_000],
            "with_jht": [False, False],
            "period_start": [D(2026, 1, 1)] * 2,
            "period_end": [D(2026, 12, 31)] * 2,
            "rules": ["{}", "{}"],
        }
    )
    members = pl.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "program_id": [1, 1, 2, 1],
            "person_id": [1, 2, 1, 4],
            "segment": ["bpu"] * 4,
            "income_base": [1_000_000] * 4,
            "with_jht": [False] * 4,
            "state": ["active"] * 4,
            "start_month": [D(2026, 1, 1), D(2026, 1, 1), D(2026, 3, 1), D(2026, 1, 1)],
        }
    )
    periods = pl.DataFrame(
        {
            "id": [1, 2, 3],
            "membership_id": [1, 2, 3],
            "person_id": [1, 2, 1],
            "program_id": [1, 1, 2],
            "segment": ["bpu"] * 3,
            "start_date": [D(2026, 1, 1), D(2026, 1, 1), D(2026, 3, 1)],
            "end_date": [D(2026, 3, 31), D(2026, 2, 28), D(2026, 3, 31)],
        }
    )
    invoices = pl.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "number": ["INV-1-2026-01", "INV-1-2026-02", "INV-1-2026-03", "INV-2-2026-03"],
            "program_id": [1, 1, 1, 2],
            "month": [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1), D(2026, 3, 1)],
            "lines": [2, 2, 2, 1],
            "amount": [33_600, 33_600, 33_600, 16_800],
        }
    )
    lines = pl.DataFrame(
        {
            "invoice_id": [1, 1, 2, 2, 3, 3, 4],
            "membership_id": [1, 2, 1, 2, 1, 2, 3],
            "jkk": [10_000] * 7,
            "jkm": [6_800] * 7,
            "jht": [0] * 7,
            "amount": [16_800] * 7,
            "paid": [16_800, 16_800, 16_800, 16_800, 16_800, 8_400, 16_800],
        }
    )
    with engine.begin() as conn:
        for table, frame in [
            ("person", people),
            ("program", programs),
            ("membership", members),
            ("coverage_period", periods),
            ("invoice", invoices),
            ("invoice_line", lines),
            ("web_setting", pl.DataFrame({"key": [identity.KEY], "value": [MARK]})),
        ]:
            insert_frame(conn, table, frame)


def test_snapshot_of_a_store(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    res = actions.snapshot(engine, SYSTEM, tmp_path / "s", region="96.71")
    assert res.source == "96.71"
    assert res.counts["people"] == 3 and res.counts["memberships"] == 3
    m = snapshot.read(tmp_path / "s")
    assert m.files["people"][0]["path"] == "people/province=96/regency=96.71/part-0.parquet"
    pay = pl.read_parquet(m.paths("payments"))
    assert pay.height == 7  # every paid line (person 4, outside 96.71, has none)
    assert pay.filter(pl.col("payer") == "96").get_column("amount").to_list() == [16_800]
    assert pay.get_column("amount").sum() == 16_800 * 6 + 8_400
    with engine.connect() as conn:
        ev = conn.execute(
            select(audit_event).where(audit_event.c.action == "national.snapshot")
        ).one()
    after = json.loads(ev.after) if isinstance(ev.after, str) else ev.after
    assert after["counts"]["people"] == 3 and after["region"] == "96.71"


def test_a_pseudonymised_snapshot_has_no_clear_nik(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    key = b"x" * 40
    actions.snapshot(engine, SYSTEM, tmp_path / "s", key=key)
    m = snapshot.read(tmp_path / "s")
    assert m.pseudonymised and m.key_id and m.source == "all"  # two payers: the whole store
    niks = pl.read_parquet(m.paths("people")).get_column("nik")
    assert niks.null_count() == 1
    assert niks.drop_nulls().str.contains("^[0-9a-f]{64}$").all()
    for p in m.paths("people"):
        assert b"9671010101900001" not in Path(p).read_bytes()


def test_snapshot_refusals(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    with pytest.raises(JaringError) as e:
        actions.snapshot(engine, VIEWER, tmp_path / "a")
    assert e.value.code == "forbidden"
    with pytest.raises(JaringError) as e:
        actions.snapshot(engine, ADMIN_CITY, tmp_path / "a", region="96.01")
    assert e.value.code == "out_of_region"
    actions.snapshot(engine, ADMIN_CITY, tmp_path / "a")
    with pytest.raises(JaringError) as e:
        actions.snapshot(engine, ADMIN_CITY, tmp_path / "a")
    assert e.value.code == "snapshot_exists"
    # a changed file is caught on reading
    target = Path(snapshot.read(tmp_path / "a").paths("people")[0])
    target.write_bytes(target.read_bytes() + b"x")
    with pytest.raises(JaringError) as e:
        snapshot.read(tmp_path / "a")
    assert e.value.code == "snapshot_damaged"


def _results(tmp_path: Path, store: str | None) -> Path:
    """A deduplication's folder holding two pairs for Kota Sorong (persons 1 and 4) and one
    for a person it does not have, made from the snapshot of the store marked ``store``."""
    out = tmp_path / "dd"
    (out / "to_pemda").mkdir(parents=True)
    explain = json.dumps({"nik": {"level": "sama", "weight": 12.0}})
    pl.DataFrame(
        {
            "person_id": [1, 4, 99],
            "other_region": ["96.01", "96.01", "96.01"],
            "other_key": ["run1:1-2", "run1:4-5", "run1:99-6"],
            "match_probability": [0.999, 0.7, 0.99],
            "link": [True, False, True],
            "explain": [explain] * 3,
            "store": [store] * 3,
        },
        schema_overrides={"store": pl.String},
    ).write_parquet(out / "to_pemda" / "96.71.parquet")
    (out / "summary.json").write_text("{}")
    return out


def _mark(engine: Engine) -> str:
    with engine.begin() as conn:
        return identity.store_id(conn)


def test_results_come_back_only_to_the_store_they_were_made_from(
    engine: Engine, tmp_path: Path
) -> None:
    seed(engine)
    with engine.begin() as conn:
        conn.execute(delete(web_setting).where(web_setting.c.key == identity.KEY))
    m = actions.snapshot(engine, SYSTEM, tmp_path / "s", region="96.71")
    mark = _mark(engine)
    assert len(mark) == 32 and mark != MARK and _mark(engine) == mark  # made once, kept
    assert snapshot.read(m.path).store == mark
    for store, code in (
        (None, "national_result_unmarked"),
        ("ab" * 16, "national_result_other_store"),
    ):
        with pytest.raises(JaringError) as e:
            actions.receive(engine, SYSTEM, _results(tmp_path / code, store), pemda="96.71")
        assert e.value.code == code
        assert "to_pemda/96.71.parquet" in e.value.message("id")
    assert queries.cross_region_pairs(engine, SYSTEM) == []  # nothing taken


def test_pairs_come_back_into_review(engine: Engine, tmp_path: Path) -> None:
    seed(engine)
    out = _results(tmp_path, MARK)
    got = actions.receive(engine, SUPERVISOR, out, pemda="96.71")
    assert (got.pairs, got.people, got.skipped) == (1, 1, 2)  # 4: outside 96.71; 99: nobody
    again = actions.receive(engine, SYSTEM, out, pemda="96.71")
    assert again.pairs == 1  # person 4 for an actor of every region; person 1 only once
    pending = queries.cross_region_pairs(engine, OPERATOR)
    assert [p.person for p in pending] == [1]
    p = pending[0]
    assert p.other_region == "96.01" and p.explain["nik"]["level"] == "sama"
    with pytest.raises(JaringError) as e:
        queries.cross_region_pairs(engine, VIEWER)
    assert e.value.code == "registry_needs_clear_data"
    d = actions.decide(engine, OPERATOR, p.pair, same=True, reason="KTP dicek")
    assert d.status == "same"
    with pytest.raises(JaringError) as e:
        actions.decide(engine, OPERATOR, p.pair, same=False)
    assert e.value.code == "cross_region_pair_decided"
    other = queries.cross_region_pairs(engine, SYSTEM)[0]
    with pytest.raises(JaringError) as e:
        actions.decide(engine, OPERATOR, other.pair, same=False)
    assert e.value.code == "person_out_of_region"
    with engine.connect() as conn:
        assert queries.marked_people(conn, [1, 2, 4]) == {4}
    with pytest.raises(JaringError) as e:
        results.back_to(tmp_path, "96.71")
    assert e.value.code == "not_deduped"
    # a folder written before results carried the store's mark: refused in words
    old = _results(tmp_path / "old", None)
    pl.read_parquet(old / "to_pemda" / "96.71.parquet").drop("store").write_parquet(
        old / "to_pemda" / "96.71.parquet"
    )
    with pytest.raises(JaringError) as e:
        actions.receive(engine, SYSTEM, old, pemda="96.71")
    assert e.value.code == "national_result_unmarked"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_cli(engine: Engine, db_url: str, tmp_path: Path) -> None:
    seed(engine)
    key = tmp_path / "key"
    key.write_text("0123456789abcdef0123456789abcdef\n")
    p = jaring("national", "snapshot", "--out", str(tmp_path / "s"), "--region", "96.71",
               "--pseudonymise", str(key), "--json", "--db", db_url)  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["pseudonymised"] is True
    short = tmp_path / "short"
    short.write_text("abc")
    p = process("national", "snapshot", "--out", str(tmp_path / "t"), "--pseudonymise", str(short),
                "--db", db_url)  # fmt: skip
    assert p.returncode == 2 and "--pseudonymise" in p.stderr and "Traceback" not in p.stderr
    p = jaring("national", "coverage", str(tmp_path / "s"), "--level", "district", "--on",
               "2026-02-15", "--json")  # fmt: skip
    assert p.returncode == 0, p.stderr
    cov = json.loads(p.stdout)
    assert (cov["listed"], cov["covered"]) == (3, 2)
    assert {r["region"] for r in cov["regions"]} == {"96.71.01", "96.71.02"}
    p = jaring(
        "national", "coverage", str(tmp_path / "s"), "--level", "village", "--on", "2026-02-15"
    )
    assert p.returncode == 2 and "--level" in p.stderr
    pu_file = tmp_path / "pu.csv"
    pu_file.write_text("nik,employer,months\n9671010101900001,PT Sorong Jaya,2026-01\n")
    p = jaring("national", "double-funding", str(tmp_path / "s"), "--pu", str(pu_file))
    assert p.returncode == 2 and "pu_needs_key" in p.stderr
    p = jaring("national", "double-funding", str(tmp_path / "s"), "--pu", str(pu_file),
               "--pseudonymise", str(key), "--json")  # fmt: skip
    assert p.returncode == 0, p.stderr
    money = json.loads(p.stdout)
    # January: the city and the employer; March: the city and the province
    assert (money["humans"], money["human_months"], money["rupiah"]) == (1, 2, 3 * 16_800)
    p = jaring("national", "dedupe", str(tmp_path / "s"), "--out", str(tmp_path / "dd"), "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["cross_region_pairs"] == 0  # one Pemda: nothing crosses
    out = _results(tmp_path / "r", MARK)
    assert (
        jaring("national", "receive", str(out), "--pemda", "96.71", "--db", db_url).returncode == 0
    )
    p = jaring("national", "review", "--db", db_url, "--lang", "en")
    assert p.returncode == 0 and "cross-region" in p.stdout and "96.01" in p.stdout
    # a decision and its undo from the CLI; an undo of a pending pair is refused, exit 2
    pair = json.loads(jaring("national", "review", "--db", db_url, "--json").stdout)[0]["pair"]
    p = jaring("national", "decide", str(pair), "--different", "--db", db_url)
    assert p.returncode == 0, p.stderr
    p = jaring("national", "undo", str(pair), "--reason", "salah pilih", "--db", db_url, "--json")
    assert p.returncode == 0 and json.loads(p.stdout)["status"] == "pending", p.stderr
    p = jaring("national", "undo", str(pair), "--db", db_url)
    assert p.returncode == 2 and "Traceback" not in p.stderr


def _file(**changes: object) -> bytes:
    import io

    data: dict[str, object] = {
        "person_id": [1, 2],
        "other_region": ["96.01", "96.01"],
        "other_key": ["run1:1-7", "run1:2-8"],
        "match_probability": [0.999, 0.8],
        "link": [True, False],
        "explain": [json.dumps({"nik": {"level": "sama", "weight": 12.0}})] * 2,
        **changes,
    }
    data.setdefault("store", [MARK] * len(data["person_id"]))  # type: ignore[arg-type]
    buf = io.BytesIO()
    pl.DataFrame(data).write_parquet(buf)
    return buf.getvalue()


def test_a_result_file_received_whole_and_a_decision_undone(engine: Engine) -> None:
    seed(engine)
    with pytest.raises(JaringError) as e:
        actions.receive_file(engine, OPERATOR, _file(), "96.71.parquet")
    assert e.value.code == "forbidden"  # receiving is the Pemda's, not one operator's
    with pytest.raises(JaringError) as e:
        actions.receive_file(engine, SUPERVISOR, _file(person_id=[1, 4]), "96.71.parquet")
    assert e.value.code == "national_result_other_pemda"  # 4 lives in Kabupaten Sorong
    assert e.value.context["row"] == 2 and "Kota Sorong" in e.value.message("id")
    assert queries.pending_cards(engine, SYSTEM) == []
    got = actions.receive_file(engine, SUPERVISOR, _file(), "C:\\Unduhan\\96.71.parquet")
    assert (got.pairs, got.people, got.skipped, got.file) == (2, 2, 0, "96.71.parquet")
    cards = queries.pending_cards(engine, VIEWER)
    assert [c.person.nik for c in cards] == ["9671********0001", "9671********0002"]
    assert cards[0].agreements[0].level == "sama" and cards[0].person.birth_date is None
    pair = cards[0].pair
    actions.decide(engine, OPERATOR, pair, same=False)
    with pytest.raises(JaringError) as e:
        actions.undo(engine, VIEWER, pair)
    assert e.value.code == "forbidden"
    assert actions.undo(engine, OPERATOR, pair).status == "pending"
    with pytest.raises(JaringError) as e:
        actions.undo(engine, OPERATOR, pair)
    assert e.value.code == "cross_region_pair_pending"
    with engine.connect() as conn:
        ev = conn.execute(select(audit_event).where(audit_event.c.action == "national.undo")).one()
    assert ev.actor == "op" and ev.entity_id == str(pair)


@given(data=st.binary(max_size=400))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_any_bytes_are_refused_in_words(engine: Engine, data: bytes) -> None:
    with pytest.raises(JaringError) as e:
        actions.receive_file(engine, SYSTEM, data, "96.71.parquet")
    assert e.value.code == "national_result_not_parquet"
    assert "96.71.parquet" in e.value.message("id")


_VALUE = st.one_of(st.text(max_size=12), st.integers(), st.none(), st.floats(allow_nan=True))


@given(
    explain=st.dictionaries(
        st.sampled_from(["nik", "name_norm", "birth_date", "name", "hold", "address"]),
        st.one_of(_VALUE, st.dictionaries(st.sampled_from(["level", "weight", "value"]), _VALUE)),
        max_size=4,
    )
)
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_explanations_carry_only_levels(engine: Engine, explain: dict[str, object]) -> None:
    """Whatever an ``explain`` holds, it comes in only as the model's levels and weights."""
    from jaring.registry.dedupe import HOLDS, LEVELS

    with engine.connect() as conn:  # one store for every example
        if not conn.execute(select(func.count()).select_from(person)).scalar_one():
            seed(engine)
    text = json.dumps(explain)
    ok = all(
        isinstance(v, dict)
        and set(v) <= {"level", "weight"}
        and v.get("level") in (HOLDS.values() if k == "hold" else LEVELS.get(k, {}).values())
        and (v.get("weight") is None or isinstance(v.get("weight"), int | float))
        for k, v in explain.items()
    )
    try:
        actions.receive_file(engine, SYSTEM, _file(explain=[text, text]), "96.71.parquet")
    except JaringError as e:
        assert not ok
        assert e.code == "national_result_not_levels"
    else:
        assert ok


def test_the_surest_first_on_both_dialects(engine: Engine) -> None:
    """A pair sharing a NIK that the model scored low (no probability) comes after the scored
    ones on PostgreSQL too, where NULL sorts first in a descending order."""
    seed(engine)
    actions.receive_file(
        engine, SYSTEM, _file(match_probability=[None, 0.8], link=[False, False]), "96.71.parquet"
    )
    assert [c.match_probability for c in queries.pending_cards(engine, SYSTEM)] == [0.8, None]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_file_too_big_unpacked_is_refused_before_reading(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows a file holds are read from its footer first: a small file that would unpack
    to millions of rows (a compression bomb) is refused without unpacking it. The limit is
    lowered here to the two rows of a small file."""
    seed(engine)
    monkeypatch.setattr(actions, "MAX_RESULT_ROWS", 1)
    with pytest.raises(JaringError) as e:
        actions.receive_file(engine, SYSTEM, _file(), "96.71.parquet")
    assert e.value.code == "national_result_too_large" and "2 baris" in e.value.message("id")


def test_a_person_without_a_place_is_still_a_person_here(engine: Engine) -> None:
    """A person of the store whose region is unknown is not 'not in this store': a file for
    the whole store (``all.parquet``) takes their pair; a file for Kota Sorong does not, as
    they do not live there as far as the store knows."""
    seed(engine)
    with engine.begin() as conn:
        insert_frame(
            conn,
            "person",
            pl.DataFrame({"id": [5], "name": ["Tanpa Alamat"], "registered_on": [D(2025, 1, 1)]}),
        )
    one = _file(
        person_id=[5], other_region=["96.01"], other_key=["r:5-9"], match_probability=[0.9],
        link=[True], explain=[json.dumps({"nik": {"level": "sama", "weight": 1.0}})],
    )  # fmt: skip
    with pytest.raises(JaringError) as e:
        actions.receive_file(engine, SYSTEM, one, "96.71.parquet")
    assert e.value.code == "national_result_other_pemda"
    assert actions.receive_file(engine, SYSTEM, one, "all.parquet").pairs == 1
