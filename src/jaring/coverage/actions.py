"""What changes the coverage store: the figures coverage is judged by, as a region enters
them: the working population (BPS), a target, and UCJ as BPJS TK reports it.

Each action is one transaction: it checks the actor's right (``program.write``: the people
who plan and pay for the programs enter the figures they are judged by) and that the region
lies inside the actor's regions, replaces any earlier figure for the same region, year (or
date) and segment, and writes its audit event (``coverage.denominator``,
``coverage.denominator_import``, ``coverage.target``, ``coverage.ucj``) in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, Table, delete, insert, select

from jaring import audit
from jaring.access import Actor
from jaring.coverage import errors
from jaring.coverage.queries.indicators import check_region
from jaring.coverage.regions import resolve
from jaring.errors import BAD_VALUE, JaringError
from jaring.i18n import _
from jaring.store.tables.coverage import coverage_denominator, coverage_target, ucj_report

RIGHT = "program.write"
SEGMENTS = ("all", "pu", "bpu")
UCJ_SEGMENTS = ("all", "pu", "bpu", "jakon", "pmi")


@dataclass(frozen=True)
class DenominatorSet:
    region: str
    name: str
    year: int
    segment: str
    value: int


@dataclass(frozen=True)
class DenominatorsImported:
    file: str
    rows: int


@dataclass(frozen=True)
class TargetSet:
    region: str
    name: str
    year: int
    ratio_bp: int | None
    people: int | None


@dataclass(frozen=True)
class UcjSet:
    region: str
    name: str
    as_of: dt.date
    segment: str


def _check_segment(segment: str, allowed: tuple[str, ...]) -> None:
    if segment not in allowed:
        raise errors.BAD_SEGMENT(field="segment", value=segment, choices=", ".join(allowed))


def _check_source(source: str) -> None:
    if not (source or "").strip():
        raise errors.SOURCE_REQUIRED(field="source")


def _region(actor: Actor, region: str) -> tuple[str, str]:
    """The current code and name of ``region``, refused outside the actor's regions."""
    code, _level, name = resolve(region)
    check_region(actor, code)
    return code, name


def _replace(
    conn: Connection, table: Table, keys: dict[str, Any], values: dict[str, Any]
) -> dict[str, Any] | None:
    """Replace the row with these ``keys`` (one figure per region, year and segment); the
    values it had, for the audit trail."""
    where = [table.c[k] == v for k, v in keys.items()]
    old = conn.execute(select(*(table.c[k] for k in values)).where(*where)).mappings().first()
    conn.execute(delete(table).where(*where))
    conn.execute(insert(table).values(**keys, **values))
    return dict(old) if old else None


def _set_denominator(
    conn: Connection, actor: Actor, code: str, year: int, segment: str, value: int, source: str
) -> None:
    keys = {"region_code": code, "year": year, "segment": segment}
    values = {"value": value, "source": source}
    before = _replace(conn, coverage_denominator, keys, values)
    audit.record(
        conn,
        actor,
        "coverage.denominator",
        "coverage_denominator",
        f"{code}/{year}/{segment}",
        before=before,
        after=values,
    )


def set_denominator(
    engine: Engine,
    actor: Actor,
    region: str,
    year: int,
    value: int,
    source: str,
    segment: str = "all",
) -> DenominatorSet:
    """Enter the working population (BPS) of ``region`` for ``year`` and ``segment`` (``all``,
    ``pu``, ``bpu``), replacing any earlier. Refuses: ``forbidden``, ``unknown_region``,
    ``region_out_of_scope``, ``bad_segment``, ``source_required``, ``bad_value`` (not
    positive)."""
    actor.require(RIGHT)
    code, name = _region(actor, region)
    _check_segment(segment, SEGMENTS)
    _check_source(source)
    if value <= 0:
        raise BAD_VALUE(field="value", value=value)
    with engine.begin() as conn:
        _set_denominator(conn, actor, code, year, segment, value, source.strip())
    return DenominatorSet(code, name, year, segment, value)


def import_denominators(engine: Engine, actor: Actor, path: Path) -> DenominatorsImported:
    """Import a CSV of working population: columns ``region``, ``year``, ``value``,
    ``source`` and optionally ``segment``. All rows or none: one bad row (``bad_row``, with
    its line number and why) refuses the file. Refuses also ``bad_file``,
    ``missing_columns``, ``forbidden``."""
    actor.require(RIGHT)
    try:
        df = pl.read_csv(path, schema_overrides={"region": pl.String})
    except (OSError, pl.exceptions.PolarsError) as e:
        raise errors.BAD_FILE(file=path.name, detail=type(e).__name__) from None
    missing = {"region", "year", "value", "source"} - set(df.columns)
    if missing:
        raise errors.MISSING_COLUMNS(file=path.name, columns=", ".join(sorted(missing)))
    if "segment" not in df.columns:
        df = df.with_columns(segment=pl.lit("all"))
    rows = []
    for i, r in enumerate(df.iter_rows(named=True), start=2):  # header is line 1
        try:
            code, _name = _region(actor, str(r["region"]))
            _check_segment(str(r["segment"]), SEGMENTS)
            _check_source(str(r["source"] or ""))
            value, year = int(r["value"]), int(r["year"])
            if value <= 0:
                raise ValueError
        except JaringError as e:
            raise errors.BAD_ROW(
                file=path.name, row=i, reason=e.message(), problem=e.code
            ) from None
        except (TypeError, ValueError):
            raise errors.BAD_ROW(file=path.name, row=i, reason=_("not a valid number")) from None
        rows.append((code, year, str(r["segment"]), value, str(r["source"]).strip()))
    with engine.begin() as conn:
        for code, year, seg, value, source in rows:
            _set_denominator(conn, actor, code, year, seg, value, source)
        audit.record(
            conn,
            actor,
            "coverage.denominator_import",
            "coverage_denominator",
            None,
            after={"file": path.name, "rows": len(rows)},
        )
    return DenominatorsImported(path.name, len(rows))


def _ratio_bp(ratio_pct: str) -> int:
    """A percentage (``"65"``, ``"62.5"``, ``"62,5"``) as basis points; refuses anything
    outside 0-100 or finer than a hundredth of a percent."""
    try:
        bp = Decimal(str(ratio_pct).replace(",", ".")) * 100
    except InvalidOperation:
        bp = Decimal(-1)
    if not bp.is_finite() or bp != bp.to_integral_value() or not 0 < bp <= 10_000:
        raise errors.BAD_TARGET(field="ratio", value=ratio_pct)
    return int(bp)


def set_target(
    engine: Engine,
    actor: Actor,
    region: str,
    year: int,
    source: str,
    ratio_pct: str | None = None,
    people: int | None = None,
    segment: str = "all",
) -> TargetSet:
    """Enter a coverage target for ``region`` and ``year``: a ratio (percent, e.g. ``"65"``
    or ``"62.5"``) or a number of people, one of them. Refuses: ``bad_target``,
    ``bad_segment``, ``source_required``, ``unknown_region``, ``region_out_of_scope``,
    ``forbidden``."""
    actor.require(RIGHT)
    code, name = _region(actor, region)
    _check_segment(segment, SEGMENTS)
    _check_source(source)
    ratio_bp = None if ratio_pct is None else _ratio_bp(ratio_pct)
    if (ratio_bp is None) == (people is None):
        raise errors.BAD_TARGET(field="target", value=None)
    values = {"ratio_bp": ratio_bp, "people": people, "source": source.strip()}
    with engine.begin() as conn:
        before = _replace(
            conn, coverage_target, {"region_code": code, "year": year, "segment": segment}, values
        )
        audit.record(
            conn,
            actor,
            "coverage.target",
            "coverage_target",
            f"{code}/{year}/{segment}",
            before=before,
            after=values,
        )
    return TargetSet(code, name, year, ratio_bp, people)


def set_ucj(
    engine: Engine,
    actor: Actor,
    region: str,
    as_of: dt.date,
    segment: str,
    participants: int,
    source: str,
    working_population: int | None = None,
) -> UcjSet:
    """Record Universal Coverage Jamsostek as BPJS TK reports it (all participants, not only
    the ones Jaring pays for) for ``segment`` (``all``, ``pu``, ``bpu``, ``jakon``, ``pmi``).
    Refuses as :func:`set_denominator`."""
    actor.require(RIGHT)
    code, name = _region(actor, region)
    _check_segment(segment, UCJ_SEGMENTS)
    _check_source(source)
    values = {
        "participants": participants,
        "working_population": working_population,
        "source": source.strip(),
    }
    with engine.begin() as conn:
        before = _replace(
            conn, ucj_report, {"region_code": code, "as_of": as_of, "segment": segment}, values
        )
        audit.record(
            conn,
            actor,
            "coverage.ucj",
            "ucj_report",
            f"{code}/{as_of.isoformat()}/{segment}",
            before=before,
            after=values,
        )
    return UcjSet(code, name, as_of, segment)
