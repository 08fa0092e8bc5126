"""Synthetic people for program tests (no real NIK or name)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from sqlalchemy import Engine

from jaring.store.bulk import insert_frame

OCCUPATIONS = ["pedagang pasar", "ojek", "nelayan", "honorer", "petani"]


def people_frame(n: int, *, seed: int = 1, districts: int = 3, start_id: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    ids = np.arange(start_id, start_id + n)
    sex = rng.choice(["L", "P"], n)
    day = rng.integers(1, 28, n)
    month = rng.integers(1, 13, n)
    year = rng.integers(1960, 2004, n)
    nik_day = np.where(sex == "P", day + 40, day)
    dist = rng.integers(1, districts + 1, n)
    nik = [
        f"9671{d:02d}{dd:02d}{m:02d}{y % 100:02d}{i % 9999 + 1:04d}"
        for d, dd, m, y, i in zip(dist, nik_day, month, year, ids, strict=True)
    ]
    return pl.DataFrame(
        {
            "id": ids,
            "nik": nik,
            "name": [f"Warga Uji {i}" for i in ids],
            "birth_date": [
                dt.date(int(y), int(m), int(d)) for y, m, d in zip(year, month, day, strict=True)
            ],
            "sex": sex,
            "province_code": "96",
            "regency_code": "96.71",
            "district_code": [f"96.71.{d:02d}" for d in dist],
            "village_code": [f"96.71.{d:02d}.100{d}" for d in dist],
            "address": [f"Jl. Uji No. {i}" for i in ids],
            "phone": [f"+62812{i:07d}" for i in ids],
            "occupation": rng.choice(OCCUPATIONS, n),
            "desil": rng.integers(1, 11, n).astype(np.int16),
            "registered_on": [
                dt.date(2023, 1, 1) + dt.timedelta(days=int(x)) for x in rng.integers(0, 365, n)
            ],
        }
    ).with_columns(pl.col("id").cast(pl.Int64))


def add_people(engine: Engine, frame: pl.DataFrame) -> None:
    with engine.begin() as conn:
        insert_frame(conn, "person", frame)
