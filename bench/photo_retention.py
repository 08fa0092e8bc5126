"""Benchmark: erasing KTP photos past their region's retention.

    PYTHONPATH=src python bench/photo_retention.py [--photos 20000] [--db sqlite|postgresql]

Fills a fresh store with ``--photos`` KTP photo attachments (4 KB each, synthetic bytes) over
the 10 distrik of Kota Sorong and 10 of Kabupaten Sorong, aged 0-199 days, with a retention
of 30 days for Kota Sorong and the default (90) elsewhere. Times (1) the check every sync and
upload pays when nothing has expired, and (2) the purge that erases the expired ones (one
transaction). Prints wall and CPU seconds and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import polars as pl
from sqlalchemy import create_engine, func, insert, select, text

from jaring import audit
from jaring.access import Actor
from jaring.field.actions import PHOTO_PURPOSE, purge_expired_photos
from jaring.settings import actions as settings
from jaring.store import make_engine, migrate
from jaring.store.bulk import insert_frame
from jaring.store.tables.attachments import attachment, attachment_blob

SYSTEM = Actor.system()


def fill(engine, photos: int, seed: int = 7) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    regions = [f"96.71.{d:02d}" for d in range(1, 11)] + [f"96.01.{d:02d}" for d in range(1, 11)]
    now = audit.now()
    age = rng.integers(0, 200, photos)
    ids = np.arange(1, photos + 1)
    meta = pl.DataFrame(
        {
            "id": ids,
            "sha256": [f"{i:064x}" for i in ids],
            "media_type": "image/jpeg",
            "size": 4096,
            "filename": "ktp.jpg",
            "purpose": PHOTO_PURPOSE,
            "region": [regions[i] for i in rng.integers(0, len(regions), photos)],
            "read_right": "person.read",
            "personal": True,
            "encrypted": True,
            "key_id": "bench",
            "created_at": [now - dt.timedelta(days=int(a)) for a in age],
            "created_by": "reg1",
        }
    )
    blobs = [{"attachment_id": int(i), "data": rng.bytes(4096)} for i in ids]
    with engine.begin() as c:
        insert_frame(c, "attachment", meta)
        c.execute(insert(attachment_blob), blobs)  # bytes: no CSV path for COPY


def timed(label: str, fn) -> object:  # type: ignore[no-untyped-def]
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    print(f"{label}: {time.perf_counter() - w:.3f} s wall, {time.process_time() - c:.3f} s CPU")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", type=int, default=20_000)
    ap.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        admin = None
        if a.db == "sqlite":
            engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        else:
            name = f"jaring_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/test",
                                  isolation_level="AUTOCOMMIT")  # fmt: skip
            with admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{name}"'))
            engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
        try:
            migrate(engine)
            fill(engine, a.photos)
            settings.set_photo_retention(engine, SYSTEM, "96.71", 30)
            now = audit.now()
            timed("check, nothing expired", lambda: purge_expired_photos(
                engine, SYSTEM, now - dt.timedelta(days=400)))  # fmt: skip
            out = timed("purge", lambda: purge_expired_photos(engine, SYSTEM, now))
            with engine.connect() as c:
                left = c.execute(
                    select(func.count()).where(attachment.c.deleted_at.is_(None))
                ).scalar_one()
            print(f"erased {out.erased} of {a.photos}, {left} kept")  # type: ignore[attr-defined]
            timed(
                "check again, nothing left to erase", lambda: purge_expired_photos(engine, SYSTEM)
            )
        finally:
            engine.dispose()
            if admin is not None:
                with admin.connect() as c:
                    c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
