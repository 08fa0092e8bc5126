"""What the Pemda reads: claims paid by month, area and program; benefits received by families
against contributions paid; and the expected claims of a program from its members' ages.

Contributions are the payments recorded by billing (``payment`` of the program's invoices).
When a program has no recorded payments (billing not run yet, or history imported as coverage
only), they are computed from its coverage periods through ``jaring.law.contributions`` at each
paid month, and the result says so (``contributions.source``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Engine, select

from jaring.claims import forecast as fc
from jaring.claims.frames import as_dates
from jaring.claims.service import program_id_of
from jaring.registry.regions import name_of
from jaring.store.bulk import read_frame
from jaring.store.tables.programs import program as program_table


def _year_bounds(year: int | None) -> tuple[dt.date, dt.date]:
    if year is None:
        return dt.date(1900, 1, 1), dt.date(9999, 12, 31)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _money_rows(frame: pl.DataFrame, key: str) -> list[dict[str, Any]]:
    if frame.height == 0:
        return []
    out = (
        frame.group_by(key)
        .agg(pl.len().alias("count"), pl.col("paid_amount").sum().alias("amount"))
        .sort(key)
    )
    return [
        {key: r[key], "count": int(r["count"]), "amount": int(r["amount"])} for r in out.to_dicts()
    ]


def _contributions(conn: Any, program_id: int | None, lo: dt.date, hi: dt.date) -> dict[str, Any]:
    where = "AND i.program_id = :p" if program_id is not None else ""
    paid = read_frame(
        conn,
        f"""SELECT COALESCE(SUM(p.amount), 0) AS amount, COUNT(p.id) AS n
            FROM payment p JOIN invoice i ON i.id = p.invoice_id
            WHERE i.month >= :lo AND i.month <= :hi {where}""",
        {"p": program_id, "lo": lo, "hi": hi},
    )
    if int(paid["n"][0] or 0) > 0:
        return {"amount": int(paid["amount"][0]), "source": "payments"}
    where = "AND cp.program_id = :p" if program_id is not None else ""
    periods = read_frame(
        conn,
        f"""SELECT cp.start_date, cp.end_date, m.segment, m.income_base, m.risk, m.with_jht
            FROM coverage_period cp JOIN membership m ON m.id = cp.membership_id
            WHERE cp.end_date >= :lo AND cp.start_date <= :hi {where}""",
        {"p": program_id, "lo": lo, "hi": hi},
    )
    if periods.height == 0:
        return {"amount": 0, "source": "none"}
    months = (
        as_dates(periods, "start_date", "end_date")
        .with_columns(
            pl.col("start_date").clip(lower_bound=lo).dt.month_start().alias("a"),
            pl.col("end_date").clip(upper_bound=hi).dt.month_start().alias("b"),
        )
        .with_columns(pl.date_ranges("a", "b", interval="1mo").alias("month"))
        .explode("month")
        .select(
            pl.col("segment"),
            pl.when(pl.col("segment") == "bpu").then(pl.col("income_base")).alias("income"),
            pl.when(pl.col("segment") == "pu").then(pl.col("income_base")).alias("wage"),
            pl.col("risk"),
            pl.col("with_jht").cast(pl.Boolean).alias("jht"),
            pl.col("month"),
        )
    )
    from jaring.law import contributions

    total = contributions.frame(months)["total"].sum()
    return {
        "amount": int(total),
        "source": "coverage_periods_via_law",
        "person_months": months.height,
    }


def summary(
    engine: Engine, *, program: str | int | None = None, year: int | None = None
) -> dict[str, Any]:
    """Claims and benefits for a program (or all), optionally one calendar year of payment."""
    lo, hi = _year_bounds(year)
    with engine.connect() as conn:
        pid = program_id_of(conn, program) if program is not None else None
        prog = None
        if pid is not None:
            r = conn.execute(
                select(program_table.c.name, program_table.c.fiscal_year).where(
                    program_table.c.id == pid
                )
            ).first()
            prog = {"id": pid, "name": r.name, "fiscal_year": r.fiscal_year} if r else None
        where = "AND c.program_id = :p" if pid is not None else ""
        claims = read_frame(
            conn,
            f"""SELECT c.id, c.type, c.status, c.amount, c.paid_on, c.paid_amount, c.person_id,
                       c.program_id, c.event_date, c.eligible, pr.district_code, g.name AS program
                FROM claim c JOIN person pr ON pr.id = c.person_id
                JOIN program g ON g.id = c.program_id
                WHERE ((c.event_date >= :lo AND c.event_date <= :hi)
                       OR (c.paid_on >= :lo AND c.paid_on <= :hi)) {where}""",
            {"p": pid, "lo": lo, "hi": hi},
        )
        contrib = _contributions(conn, pid, lo, hi)
    if claims.height == 0:
        claims = pl.DataFrame(
            schema={
                "status": pl.String,
                "type": pl.String,
                "amount": pl.Int64,
                "paid_on": pl.Date,
                "paid_amount": pl.Int64,
                "person_id": pl.Int64,
                "district_code": pl.String,
                "program": pl.String,
            }
        )
    paid = as_dates(claims.filter(pl.col("status") == "paid"), "paid_on").with_columns(
        pl.col("paid_amount").cast(pl.Int64)
    )
    paid = paid.filter(pl.col("paid_on").is_between(lo, hi))
    by_status = {
        r["status"]: {"count": int(r["count"]), "amount": int(r["amount"] or 0)}
        for r in claims.group_by("status")
        .agg(pl.len().alias("count"), pl.col("amount").cast(pl.Int64).sum())
        .to_dicts()
    }
    paid_total = int(paid["paid_amount"].sum() or 0)
    per_month = _money_rows(
        paid.with_columns(pl.col("paid_on").dt.strftime("%Y-%m").alias("month")), "month"
    )
    per_district = _money_rows(paid.rename({"district_code": "district"}), "district")
    for row in per_district:
        row["name"] = name_of(row["district"]) if row["district"] else None
    ratio = round(paid_total / contrib["amount"], 2) if contrib["amount"] else None
    families = int(paid["person_id"].n_unique()) if paid.height else 0
    return {
        "program": prog,
        "year": year,
        "claims": int(claims.height),
        "by_status": by_status,
        "paid": {"count": int(paid.height), "amount": paid_total, "families": families},
        "paid_by_month": per_month,
        "paid_by_district": per_district,
        "paid_by_program": _money_rows(paid, "program"),
        "paid_by_type": _money_rows(paid, "type"),
        "contributions": contrib,
        "benefits_per_rupiah": ratio,
    }


def forecast(
    engine: Engine,
    *,
    program: str | int,
    year: int | None = None,
    mortality: str | Path | None = None,
) -> dict[str, Any]:
    """Expected deaths and JKM benefits for a program's members in ``year`` (default: the
    program's fiscal year), from their ages and sexes and a mortality table."""
    from jaring.law import benefits

    table, meta = fc.load_table(mortality)
    with engine.connect() as conn:
        pid = program_id_of(conn, program)
        prog = conn.execute(
            select(
                program_table.c.name, program_table.c.fiscal_year, program_table.c.segment
            ).where(program_table.c.id == pid)
        ).one()
        year = year or int(prog.fiscal_year)
        lo, hi = _year_bounds(year)
        members = read_frame(
            conn,
            """SELECT m.id AS membership_id, p.birth_date, p.sex, m.start_month, m.end_month
               FROM membership m JOIN person p ON p.id = m.person_id
               WHERE m.program_id = :p""",
            {"p": pid},
        )
        periods = read_frame(
            conn,
            """SELECT membership_id, start_date, end_date FROM coverage_period
               WHERE program_id = :p AND end_date >= :lo AND start_date <= :hi""",
            {"p": pid, "lo": lo, "hi": hi},
        )
    mid = dt.date(year, 7, 1)
    if members.height == 0:
        frame = pl.DataFrame(
            schema={"age": pl.Int32, "sex": pl.String, "exposure_years": pl.Float64}
        )
        basis = "none"
    else:
        members = as_dates(members, "birth_date")
        if periods.height:
            exposure = (
                as_dates(periods, "start_date", "end_date")
                .with_columns(
                    pl.col("start_date").clip(lower_bound=lo).alias("a"),
                    pl.col("end_date").clip(upper_bound=hi).alias("b"),
                )
                .group_by("membership_id")
                .agg(
                    (((pl.col("b") - pl.col("a")).dt.total_days() + 1).sum() / 365.25).alias(
                        "exposure_years"
                    )
                )
            )
            basis = "coverage_periods"
        else:  # a planned program: every member counted for the whole year
            exposure = members.select("membership_id", pl.lit(1.0).alias("exposure_years"))
            basis = "whole_year_assumed"
        frame = members.join(exposure, on="membership_id", how="inner").select(
            (
                pl.lit(mid).dt.year()
                - pl.col("birth_date").dt.year()
                - (
                    (pl.col("birth_date").dt.month() > 7)
                    | ((pl.col("birth_date").dt.month() == 7) & (pl.col("birth_date").dt.day() > 1))
                ).cast(pl.Int32)
            )
            .cast(pl.Int32)
            .alias("age"),
            pl.col("sex"),
            pl.col("exposure_years").cast(pl.Float64),
        )
    result = fc.expected_deaths(frame, table)
    per_death = benefits.jkm(mid, segment=prog.segment)
    result.update(
        program={"id": pid, "name": prog.name},
        year=year,
        exposure_basis=basis,
        table={k: meta.get(k) for k in ("name", "reference", "confidence", "provenance", "caveat")},
        jkm_per_death=int(per_death.total),
        expected_jkm_benefits=round(result["expected_deaths"] * per_death.total),
        expected_jkm_range=[int(n * per_death.total) for n in result["range_95"]],
        note=(
            "JKM deaths only (not work accidents); deaths in the first 3 months of a BPU "
            "membership are paid less, so the amount is an upper bound on that account."
        ),
    )
    return result
