"""A small synthetic Kota Sorong for the families tests: a P3KE-shaped list with KK numbers
(no real NIK or name), a program from March 2024 that covers everyone, months billed and
paid, and death lists written as a Dukcapil office would send them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Engine

from jaring.access import Actor
from jaring.families.actions import families
from jaring.programs import actions
from jaring.programs.months import add_months
from jaring.registry.actions import imports, linking

SYSTEM = Actor.system()
START = dt.date(2024, 3, 1)
KK_A = "9671011203240001"
KK_B = "9671011203240002"

# (KK, relation as P3KE writes it, NIK, name, birth date, sex)
P3KE = [
    (KK_A, "Kepala Keluarga", "9671011505800001", "Yohanis Wonatorei", "15-05-1980", "L"),
    (KK_A, "Istri", "9671015708820002", "Maria Wonatorei", "17-08-1982", "P"),
    (KK_A, "Anak", "9671012003050003", "Petrus Wonatorei", "20-03-2005", "L"),
    (KK_A, "Anak", "9671016107080004", "Ester Wonatorei", "21-07-2008", "P"),
    (KK_A, "Orang Tua", "9671010101550005", "Lukas Wonatorei", "01-01-1955", "L"),
    (KK_B, "Kepala Keluarga", "9671020202750006", "Sitti Rahma", "02-02-1975", "P"),
    (KK_B, "Anak", "9671021010000007", "Andi Rahmat", "10-10-2000", "L"),
    (KK_B, "Famili Lain", "9671020505900008", "Hasan Basri", "05-05-1990", "L"),
]


def p3ke_csv(path: Path) -> Path:
    pl.DataFrame(
        {
            "id_keluarga_p3ke": [f"P3KE-{r[0][-4:]}" for r in P3KE],
            "no_kk": [r[0] for r in P3KE],
            "nik": [r[2] for r in P3KE],
            "nama_lengkap": [r[3] for r in P3KE],
            "hubungan_keluarga": [r[1] for r in P3KE],
            "tanggal_lahir": [r[4] for r in P3KE],
            "jenis_kelamin": [r[5] for r in P3KE],
            "kecamatan": ["Sorong Timur"] * len(P3KE),
            "desil_kesejahteraan": ["1"] * len(P3KE),
        }
    ).write_csv(path)
    return path


def deaths_csv(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """A Dukcapil-shaped death list: (NIK, name, date of death, place)."""
    pl.DataFrame(
        {
            "NIK": [r[0] for r in rows],
            "Nama Lengkap": [r[1] for r in rows],
            "Tanggal Meninggal": [r[2] for r in rows],
            "Tempat Meninggal": [r[3] for r in rows],
        }
    ).write_csv(path)
    return path


def _answer(registration: Path, out: Path) -> Path:
    reg = pl.read_csv(registration, infer_schema=False)
    reg.select(
        pl.col("NIK").alias("No NIK"),
        pl.format("{}", pl.int_range(pl.len()) + 20_000_000_001).alias("NOMOR KPJ"),
        pl.lit("").alias("Status"),
        pl.lit("").alias("Keterangan"),
    ).write_csv(out)
    return out


def built(engine: Engine, tmp_path: Path, copies: Any, *, paid_months: int = 6) -> dict[str, Any]:
    """:func:`build` in ``engine``'s fresh store, built once per test process and dialect
    and copied after (``copies``: the ``store_copies`` fixture), with the files it wrote in
    ``tmp_path``: building takes seconds, a copy a fraction of one."""
    key = f"families.world.build(paid_months={paid_months})"
    return dict(
        copies.once(engine, key, tmp_path, lambda: build(engine, tmp_path, paid_months=paid_months))
    )


def build(engine: Engine, tmp_path: Path, *, paid_months: int = 6) -> dict[str, Any]:
    """Import the P3KE list, link people, build families; a program from March 2024 for
    everyone, enrolled, registered at BPJS, billed and paid for ``paid_months`` months."""
    imports.import_files(
        engine, SYSTEM, [p3ke_csv(tmp_path / "p3ke.csv")], "P3KE 2024",
        listed_on=dt.date(2024, 1, 2), region="96.71",
    )  # fmt: skip
    linking.dedupe(engine, SYSTEM)
    built = families.build_from_lists(engine, SYSTEM)
    actions.create_program(
        engine, SYSTEM, name="Sorong 2024", fiscal_year=2024, budget=50_000_000,
        period_start=START,
    )  # fmt: skip
    actions.plan_program(engine, SYSTEM, "Sorong 2024")
    actions.enrol(engine, SYSTEM, "Sorong 2024", on=dt.date(2024, 2, 20))
    actions.bpjs_export(
        engine, SYSTEM, "Sorong 2024", tmp_path / "reg.csv", on=dt.date(2024, 2, 21)
    )
    actions.bpjs_import_kpj(
        engine, SYSTEM, _answer(tmp_path / "reg.csv", tmp_path / "ans.csv"), on=dt.date(2024, 2, 27)
    )
    invoices = []
    for k in range(paid_months):
        month = add_months(START, k)
        inv = actions.create_invoice(engine, SYSTEM, "Sorong 2024", month)
        actions.pay(engine, SYSTEM, inv.invoice, amount=inv.amount, sp2d=f"SP2D-{k}", on=month)
        invoices.append(inv)
    return {"families": built, "invoices": invoices}
