"""Bulk paths round-trip types exactly on both dialects."""

import datetime as dt
import math
import sqlite3

import polars as pl
import psycopg
import pytest
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError

from jaring.store import bulk
from jaring.store.bulk import insert_frame, read_frame


def test_insert_frame_round_trip(engine) -> None:
    frame = pl.DataFrame(
        {
            "id": [1, 2, 3],
            "nik": ["9671010101800001", None, "9671015101800002"],
            "name": ["Maria\tYoku", "Yohanis \\ Kambu", "Siti\nAminah"],
            "birth_date": [dt.date(1980, 1, 1), None, dt.date(1980, 1, 11)],
            "sex": ["P", "L", "P"],
            "desil": [1, None, 4],
            "registered_on": [dt.date(2024, 1, 1)] * 3,
        },
        schema_overrides={"desil": pl.Int16},
    )
    with engine.begin() as conn:
        assert insert_frame(conn, "person", frame) == 3
    with engine.connect() as conn:
        back = read_frame(
            conn, "select id, nik, name, birth_date, sex, desil from person order by id"
        )
        count = conn.execute(text("select count(*) from person")).scalar_one()
    assert count == 3
    assert back.get_column("name").to_list() == frame.get_column("name").to_list()
    assert back.get_column("nik").to_list() == frame.get_column("nik").to_list()
    dates = [
        str(d)[:10] if d is not None else None for d in back.get_column("birth_date").to_list()
    ]
    assert dates == ["1980-01-01", None, "1980-01-11"]


def test_insert_frame_rolls_back_with_transaction(engine) -> None:
    frame = pl.DataFrame({"id": [1], "name": ["A"], "registered_on": [dt.date(2024, 1, 1)]})
    try:
        with engine.begin() as conn:
            insert_frame(conn, "person", frame)
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from person")).scalar_one() == 0


# --- every type and every awkward text through the bulk writer --------------------------

_kinds = MetaData()
_kinds_table = Table(
    "bulk_kinds",
    _kinds,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("s", String(50)),
    Column("i", Integer),
    Column("big", BigInteger),
    Column("b", Boolean),
    Column("d", Date),
    Column("ts", DateTime),
    Column("f", Float(53)),
)

AWKWARD = [
    "",
    None,
    "tab\there",
    'quote " inside',
    '"',
    "line\nbreak",
    "carriage\rreturn\r\n",
    "back\\slash",
    "\\.",
    "a\n\\.\nb",
    "\\N",
    "NULL",
    "comma, here",
    "  spaces  ",
    "Ñoño Papua \u2013 Sorong",
    "true",
]


def _kinds_frame() -> pl.DataFrame:
    n = len(AWKWARD)
    return pl.DataFrame(
        {
            "id": list(range(1, n + 1)),
            "s": AWKWARD,
            "i": [None, 0, -1, 2**31 - 1, -(2**31), *range(n - 5)],
            "big": [2**63 - 1, -(2**63), None, 0, *(10**15 + k for k in range(n - 4))],
            "b": ([True, False, None] * n)[:n],
            "d": [dt.date(2024, 2, 29), None, dt.date(1, 1, 1), dt.date(9999, 12, 31)]
            + [dt.date(2024, 1, 1) + dt.timedelta(days=k) for k in range(n - 4)],
            "ts": [dt.datetime(2024, 3, 1, 12, 30, 1, 123456), None]
            + [dt.datetime(2024, 1, 1, 0, 0, k) for k in range(n - 2)],
            "f": [0.1 + 0.2, None, 1e300, -2.5e-300, float("inf"), float("-inf"), 0.0]
            + [k / 7 for k in range(n - 7)],
        },
        schema_overrides={"i": pl.Int32},
    )


def _rows_back(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(_kinds_table).order_by(_kinds_table.c.id))]


def test_insert_frame_every_type_and_awkward_text(engine) -> None:
    """NULL stays NULL and '' stays '' (COPY's CSV rule), escapes and the end-of-data marker
    survive, extreme ints, dates, datetimes and floats round-trip exactly."""
    _kinds.create_all(engine)
    frame = _kinds_frame()
    with engine.begin() as conn:
        assert insert_frame(conn, _kinds_table, frame) == frame.height
    assert _rows_back(engine) == frame.rows()


def test_insert_frame_chunks_and_remainders(engine, monkeypatch) -> None:
    """Many chunks and a partial last multi-row statement land every row exactly once."""
    _kinds.create_all(engine)
    monkeypatch.setattr(bulk, "CHUNK_ROWS", 7)
    monkeypatch.setattr(bulk, "SQLITE_ROWS_PER_STATEMENT", 3)
    base = _kinds_frame()
    frame = pl.concat(
        [base.with_columns(pl.col("id") + k * base.height) for k in range(3)]
    )  # 48 rows: 6 full chunks of 7 and one of 6, each 2 statements of 3 + a remainder
    with engine.begin() as conn:
        assert insert_frame(conn, "bulk_kinds", frame) == frame.height
    assert _rows_back(engine) == frame.rows()


def test_insert_frame_all_null_column_and_nan(engine) -> None:
    """A column Polars holds as dtype Null writes NULLs; NaN is a float, not NULL."""
    _kinds.create_all(engine)
    frame = pl.DataFrame({"id": [1, 2], "s": [None, None], "f": [float("nan"), None]})
    assert frame.schema["s"] == pl.Null
    with engine.begin() as conn:
        insert_frame(conn, _kinds_table, frame)
    with engine.connect() as conn:
        rows = conn.execute(
            select(_kinds_table.c.s, _kinds_table.c.f).order_by(_kinds_table.c.id)
        ).all()
    assert rows[0][0] is None and rows[1] == (None, None)
    if engine.dialect.name == "postgresql":  # SQLite has no NaN: it stores NULL
        assert math.isnan(rows[0][1])


def test_insert_frame_refuses_a_duplicate_key_and_writes_nothing(engine) -> None:
    """The writer works on the raw driver cursor, so the driver's own error comes out."""
    _kinds.create_all(engine)
    frame = pl.DataFrame({"id": [1, 2, 3, 2], "s": ["a", "b", "c", "d"]})
    driver_errors = (IntegrityError, sqlite3.IntegrityError, psycopg.errors.IntegrityError)
    with pytest.raises(driver_errors), engine.begin() as conn:
        insert_frame(conn, _kinds_table, frame)
    assert _rows_back(engine) == []


# --- the read path keeps types ---------------------------------------------------------


def _kinds_with_rows(engine) -> pl.DataFrame:
    _kinds.create_all(engine)
    frame = _kinds_frame()
    with engine.begin() as conn:
        insert_frame(conn, _kinds_table, frame)
    return frame


def test_read_frame_types_on_both_dialects(engine) -> None:
    """Ints are Int64 and NULLs stay NULL on both dialects; on PostgreSQL dates, datetimes and
    booleans come typed from the result's type codes; SQLite returns text and 0/1 for them,
    and ``schema_overrides`` turns that text into dates and datetimes."""
    frame = _kinds_with_rows(engine)
    sql = "SELECT id, s, i, big, b, d, ts, f FROM bulk_kinds ORDER BY id"
    with engine.connect() as conn:
        back = read_frame(conn, sql)
        typed = read_frame(
            conn, sql, schema_overrides={"d": pl.Date, "ts": pl.Datetime("us"), "b": pl.Boolean}
        )
    for name in ("id", "i", "big"):
        assert back.schema[name] == pl.Int64
    assert back.schema["s"] == pl.String and back.schema["f"] == pl.Float64
    assert back["s"].to_list() == frame["s"].to_list()  # '' and NULL kept apart
    assert back["big"].to_list() == frame["big"].to_list()
    assert back["i"].to_list() == frame["i"].to_list()
    assert back["f"].to_list() == frame["f"].to_list()
    if engine.dialect.name == "postgresql":
        assert back.schema["d"] == pl.Date and back.schema["b"] == pl.Boolean
        assert back.schema["ts"] == pl.Datetime("us")
        assert back.select("b", "d", "ts").equals(frame.select("b", "d", "ts"))
    else:
        assert back.schema["d"] == pl.String
        assert back["d"][0] == "2024-02-29"
    assert typed.schema["d"] == pl.Date and typed.schema["ts"] == pl.Datetime("us")
    assert typed.select("b", "d", "ts").equals(frame.select("b", "d", "ts"))


def test_read_frame_null_columns_and_empty_results(engine) -> None:
    _kinds_with_rows(engine)
    with engine.connect() as conn:
        nulls = read_frame(conn, "SELECT id, i, d FROM bulk_kinds WHERE id = 1")
        empty = read_frame(conn, "SELECT id, s, d FROM bulk_kinds WHERE id < 0")
        empty_typed = read_frame(
            conn, "SELECT id, d FROM bulk_kinds WHERE id < 0", schema_overrides={"d": pl.Date}
        )
    assert nulls["i"].to_list() == [None]
    assert empty.height == 0 and empty.columns == ["id", "s", "d"]
    assert empty_typed.schema["d"] == pl.Date
    if engine.dialect.name == "postgresql":  # typed even when there is nothing to infer from
        assert nulls.schema["i"] == pl.Int64
        assert dict(empty.schema) == {"id": pl.Int64, "s": pl.String, "d": pl.Date}
    else:
        assert empty.schema["s"] == pl.Null


def test_read_frame_sees_its_own_transaction(engine) -> None:
    """Readers run on the caller's connection: temporary tables and uncommitted rows count."""
    _kinds.create_all(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE TEMPORARY TABLE tmp_ids (id BIGINT PRIMARY KEY)"))
        insert_frame(conn, "tmp_ids", pl.DataFrame({"id": [3, 1, 2]}))
        insert_frame(conn, _kinds_table, pl.DataFrame({"id": [1, 2], "s": ["a", "b"]}))
        got = read_frame(
            conn,
            "SELECT t.id, k.s FROM tmp_ids t LEFT JOIN bulk_kinds k ON k.id = t.id "
            "WHERE t.id >= :lo ORDER BY t.id",
            {"lo": 1},
        )
    assert got.rows() == [(1, "a"), (2, "b"), (3, None)]
