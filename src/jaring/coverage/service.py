"""Coverage actions: the report for a region on a date, the trace behind a figure, and
entering denominators, targets and BPJS-reported UCJ figures. The CLI, the web app, the
reports and the award all call these functions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine

from jaring.coverage import indicators as ind
from jaring.coverage import money, repo
from jaring.coverage.regions import CHILD_KEY, COLUMN_BY_LEVEL, descendants, resolve
from jaring.errors import JaringError
from jaring.registry.regions import population
from jaring.store.tables.coverage import coverage_denominator, coverage_target, ucj_report

SEGMENTS = ("all", "pu", "bpu")
UCJ_SEGMENTS = ("all", "pu", "bpu", "jakon", "pmi")


def _denominator(conn: Connection, region: str, level: int, year: int) -> dict[str, Any] | None:
    row = repo.denominator(conn, region, year)
    if row is not None:
        return {
            "value": int(row["value"]),
            "kind": "working_population",
            "year": row["year"],
            "source": row["source"],
            "label": "penduduk bekerja (BPS)",
        }
    if level <= 2:
        pop = population().filter(pl.col("kode") == region)
        if pop.height:
            return {
                "value": int(pop.get_column("total")[0]),
                "kind": "population_fallback",
                "year": 2024,
                "source": "Dukcapil semester II 2024 (data bawaan Jaring)",
                "label": "penduduk total, bukan penduduk bekerja: pengganti sementara",
            }
    return None


def coverage_report(
    engine: Engine, region: str, on: dt.date, trend_months: int = 12
) -> dict[str, Any]:
    """Every coverage indicator for ``region`` on ``on``.

    ``covered`` counts distinct people with a coverage period containing ``on``; the
    breakdowns (``by_segment``, ``by_sex``, ``by_age_group``, ``by_occupation``, ``by_desil``
    and the children: ``by_regency``/``by_district``/``by_village``) each sum to it.
    ``ratio`` uses the entered BPS working population when there is one, else the shipped
    population, labelled as a fallback (``denominator.kind``).
    """
    code, level, name = resolve(region)
    year = on.year
    year_start = dt.date(year, 1, 1)
    with engine.begin() as conn:
        cells = repo.cells(conn, code, level, on)
        covered = int(cells.get_column("n").sum()) if cells.height else 0
        den = _denominator(conn, code, level, year)
        seg_den = {s: repo.denominator(conn, code, year, s) for s in ("pu", "bpu")}
        trend: list[dict[str, Any]] = [
            {"date": d, "covered": repo.covered_count(conn, code, level, d)}
            for d in ind.month_ends(on, trend_months)[:-1]
        ] + [{"date": on, "covered": covered}]
        tgt = repo.target(conn, code, year)
        ucj = repo.ucj(conn, code, on)
        spent = money.spending(conn, code, year_start, on)
        benefits = money.benefits_paid(conn, code, year_start, on)
        covered_year = repo.covered_in_period(conn, code, level, year_start, on)

    den_value = den["value"] if den else None
    by_segment = ind.breakdown(cells, "segment", ["bpu", "pu"])
    for row in by_segment:
        d = seg_den.get(row["value"])
        row["denominator"] = int(d["value"]) if d else None
        row["ratio"] = ind.ratio(row["covered"], row["denominator"])
    out: dict[str, Any] = {
        "region": {"code": code, "name": name, "level": level},
        "on": on,
        "covered": covered,
        "denominator": den,
        "ratio": ind.ratio(covered, den_value),
        "by_segment": by_segment,
        "by_sex": ind.breakdown(cells, "sex", ["L", "P"]),
        "by_age_group": ind.breakdown(cells, "age_group", ind.age_groups()),
        "by_occupation": sorted(
            ind.breakdown(cells, "occupation"), key=lambda r: (-r["covered"], str(r["value"]))
        ),
        "by_desil": ind.breakdown(cells, "desil", list(range(1, 11))),
    }
    for child_level in range(level + 1, 4):
        col = COLUMN_BY_LEVEL[child_level]
        children = descendants(code, child_level)
        if col in cells.columns:
            out[CHILD_KEY[child_level - 1]] = ind.by_children(cells, col, children)
        elif child_level == 2:  # province: regency from the district code
            with_reg = cells.with_columns(
                pl.col("district_code").str.slice(0, 5).alias("regency_code")
            )
            out[CHILD_KEY[1]] = ind.by_children(with_reg, "regency_code", children)
    for row in trend:
        row["ratio"] = ind.ratio(row["covered"], den_value)
    out["trend"] = trend
    out["target"] = ind.target_gap(covered, den_value, tgt)
    out["ucj"] = [
        {
            "as_of": r["as_of"],
            "segment": r["segment"],
            "participants": int(r["participants"]),
            "working_population": r["working_population"],
            "ratio": ind.ratio(int(r["participants"]), r["working_population"]),
            "source": r["source"],
        }
        for r in ucj
    ]
    out["money"] = {
        "period": {"start": year_start, "end": on},
        "spent": spent,
        "covered_in_period": covered_year,
        "spent_per_person": ind.per_person(spent.get("total"), covered_year),
        "benefits_paid": benefits,
    }
    return out


def covered_by_region(engine: Engine, on: dt.date, level: int = 2) -> pl.DataFrame:
    """Covered people on ``on`` for every region at ``level`` (1 province .. 4 village) in
    the store: ``code``, ``name``, ``bpu``, ``pu``, ``covered``; the national view an analyst
    at a ministry starts from. Regions with nobody covered are absent."""
    if level not in COLUMN_BY_LEVEL:
        raise JaringError(
            "bad_level",
            f"Tingkat wilayah harus 1-4: {level}",
            f"Region level must be 1-4: {level}",
            field="level",
            value=level,
        )
    with engine.begin() as conn:
        df = repo.by_region(conn, level, on)
    if df.height == 0:
        return pl.DataFrame(
            schema={
                "code": pl.String,
                "name": pl.String,
                "bpu": pl.Int64,
                "pu": pl.Int64,
                "covered": pl.Int64,
            }
        )
    from jaring.registry.regions import regions

    names = regions().select(pl.col("kode").alias("code"), pl.col("nama").alias("name"))
    return (
        df.with_columns(pl.col("bpu", "pu", "covered").cast(pl.Int64))
        .join(names, on="code", how="left")
        .select("code", "name", "bpu", "pu", "covered")
    )


def trace(
    engine: Engine,
    region: str,
    on: dt.date,
    segment: str | None = None,
    sex: str | None = None,
    age_group: str | None = None,
    desil: int | None = None,
    occupation: str | None = None,
) -> pl.DataFrame:
    """The rows behind a figure: one row per coverage period that makes a person covered on
    ``on`` (``coverage_period_id``, ``membership_id``, ``person_id``, ``program_id`` ...),
    for the people the figure counts. Its distinct ``person_id`` count equals the figure.
    Ids only: no names or NIKs."""
    code, level, _ = resolve(region)
    with engine.begin() as conn:
        ppl = repo.people(conn, code, level, on)
        filters = {
            "segment": segment,
            "sex": sex,
            "age_group": age_group,
            "desil": desil,
            "occupation": occupation,
        }
        for col, value in filters.items():
            if value is not None and ppl.height:
                ppl = ppl.filter(pl.col(col) == value)
        ids = ppl.get_column("person_id").to_list() if ppl.height else []
        periods = repo.periods_of(conn, [int(i) for i in ids], on)
    if ppl.height == 0:
        return periods
    attrs = ppl.select(
        pl.col("person_id").cast(pl.Int64),
        "district_code",
        pl.col("segment").alias("person_segment"),
    )
    return periods.with_columns(pl.col("person_id").cast(pl.Int64)).join(
        attrs, on="person_id", how="left"
    )


def _check_segment(segment: str, allowed: tuple[str, ...]) -> None:
    if segment not in allowed:
        raise JaringError(
            "bad_segment",
            f"Segmen tidak dikenal: {segment!r} (pilih {', '.join(allowed)})",
            f"Unknown segment: {segment!r} (choose {', '.join(allowed)})",
            field="segment",
            value=segment,
        )


def _check_source(source: str) -> None:
    if not (source or "").strip():
        raise JaringError(
            "source_required",
            "Sumber angka wajib diisi (mis. 'BPS Sakernas Agustus 2024').",
            "A source is required (e.g. 'BPS Sakernas August 2024').",
            field="source",
        )


def set_denominator(
    engine: Engine, region: str, year: int, value: int, source: str, segment: str = "all"
) -> dict[str, Any]:
    """Enter the working population (BPS) of ``region`` for ``year``, replacing any earlier."""
    code, _, name = resolve(region)
    _check_segment(segment, SEGMENTS)
    _check_source(source)
    if value <= 0:
        raise JaringError(
            "bad_value",
            f"Jumlah penduduk bekerja harus positif: {value}",
            f"Working population must be positive: {value}",
            field="value",
            value=value,
        )
    with engine.begin() as conn:
        repo.upsert(
            conn,
            coverage_denominator,
            {"region_code": code, "year": year, "segment": segment},
            {"value": value, "source": source.strip()},
        )
    return {"region": code, "name": name, "year": year, "segment": segment, "value": value}


def import_denominators(engine: Engine, path: Path) -> dict[str, Any]:
    """Import a CSV of working population: columns ``region``, ``year``, ``value``,
    ``source`` and optionally ``segment``. All rows or none: one bad row refuses the file."""
    try:
        df = pl.read_csv(path, schema_overrides={"region": pl.String})
    except (OSError, pl.exceptions.PolarsError) as e:
        raise JaringError(
            "bad_file",
            f"Berkas tidak dapat dibaca: {path.name}",
            f"Cannot read file: {path.name}",
            file=str(path),
            detail=type(e).__name__,
        ) from None
    missing = {"region", "year", "value", "source"} - set(df.columns)
    if missing:
        raise JaringError(
            "missing_columns",
            f"Kolom wajib tidak ada: {', '.join(sorted(missing))}",
            f"Required columns missing: {', '.join(sorted(missing))}",
            file=path.name,
        )
    if "segment" not in df.columns:
        df = df.with_columns(segment=pl.lit("all"))
    rows = []
    for i, r in enumerate(df.iter_rows(named=True), start=2):  # header is line 1
        try:
            code, _, _ = resolve(str(r["region"]))
            _check_segment(str(r["segment"]), SEGMENTS)
            _check_source(str(r["source"] or ""))
            value, year = int(r["value"]), int(r["year"])
            if value <= 0:
                raise ValueError
        except (JaringError, TypeError, ValueError) as e:
            raise JaringError(
                "bad_row",
                f"Baris {i} tidak valid: {e.message('id') if isinstance(e, JaringError) else 'angka tidak valid'}",
                f"Row {i} is invalid: {e.message('en') if isinstance(e, JaringError) else 'bad number'}",
                file=path.name,
                row=i,
            ) from None
        rows.append((code, year, str(r["segment"]), value, str(r["source"]).strip()))
    with engine.begin() as conn:
        for code, year, seg, value, source in rows:
            repo.upsert(
                conn,
                coverage_denominator,
                {"region_code": code, "year": year, "segment": seg},
                {"value": value, "source": source},
            )
    return {"file": path.name, "rows": len(rows)}


def set_target(
    engine: Engine,
    region: str,
    year: int,
    source: str,
    ratio_pct: str | None = None,
    people: int | None = None,
    segment: str = "all",
) -> dict[str, Any]:
    """Enter a coverage target for ``region`` and ``year``: a ratio (percent, e.g. ``"65"``
    or ``"62.5"``) or a number of people."""
    from decimal import Decimal, InvalidOperation

    code, _, name = resolve(region)
    _check_segment(segment, SEGMENTS)
    _check_source(source)
    ratio_bp = None
    if ratio_pct is not None:
        try:
            bp = Decimal(str(ratio_pct).replace(",", ".")) * 100
        except InvalidOperation:
            bp = Decimal(-1)
        if bp != bp.to_integral_value() or not 0 < bp <= 10_000:
            raise JaringError(
                "bad_target",
                f"Target rasio tidak valid: {ratio_pct} (0-100, paling banyak 2 desimal)",
                f"Invalid target ratio: {ratio_pct} (0-100, at most 2 decimals)",
                field="ratio",
                value=ratio_pct,
            )
        ratio_bp = int(bp)
    if (ratio_bp is None) == (people is None):
        raise JaringError(
            "bad_target",
            "Isi target sebagai rasio atau jumlah orang (salah satu).",
            "Give the target as a ratio or a number of people (one of them).",
            field="target",
        )
    with engine.begin() as conn:
        repo.upsert(
            conn,
            coverage_target,
            {"region_code": code, "year": year, "segment": segment},
            {"ratio_bp": ratio_bp, "people": people, "source": source.strip()},
        )
    return {"region": code, "name": name, "year": year, "ratio_bp": ratio_bp, "people": people}


def set_ucj(
    engine: Engine,
    region: str,
    as_of: dt.date,
    segment: str,
    participants: int,
    source: str,
    working_population: int | None = None,
) -> dict[str, Any]:
    """Record Universal Coverage Jamsostek as BPJS TK reports it (all participants)."""
    code, _, name = resolve(region)
    _check_segment(segment, UCJ_SEGMENTS)
    _check_source(source)
    with engine.begin() as conn:
        repo.upsert(
            conn,
            ucj_report,
            {"region_code": code, "as_of": as_of, "segment": segment},
            {
                "participants": participants,
                "working_population": working_population,
                "source": source.strip(),
            },
        )
    return {"region": code, "name": name, "as_of": as_of, "segment": segment}
