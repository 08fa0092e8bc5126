"""Bulk paths round-trip types exactly on both dialects."""

import datetime as dt

import polars as pl
from sqlalchemy import text

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
