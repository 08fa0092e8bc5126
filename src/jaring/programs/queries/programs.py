"""Programs as they are read: the one program look-up every domain uses (:func:`find_program`)
and the list of programs.

A program is not region-scoped: it covers every member wherever they live, so reading one
needs only ``program.read``; changing one needs every region
(:func:`jaring.programs.actions.scope.require_whole_program`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Engine, select

from jaring.access import Actor
from jaring.law.inputs import PAYERS
from jaring.programs import errors
from jaring.programs.months import month_range
from jaring.programs.pricing import Package
from jaring.store.dialect import to_date
from jaring.store.tables.programs import program

LOWEST_BPU_INCOME = 1_000_000  # base of band 1 of PP 44/2015 Lampiran II (RULES.md 1)


@dataclasses.dataclass(frozen=True)
class Program:
    """A program: who pays (``funder_type``: ``apbd``, ``self``, ``apbn``, ``apbdes`` or
    ``donor``; ``funder_region``), its budget in whole rupiah, the package it buys for each
    member (``segment``, ``income_base``, ``risk``, ``with_jht``, ``with_jp`` for PU), its period (first day of the first month to the
    last day of the last) and its targeting ``rules`` (JSON data, see
    :mod:`jaring.programs.targeting`)."""

    id: int
    name: str
    funder_type: str
    funder_region: str | None
    fiscal_year: int
    budget: int
    segment: str
    income_base: int
    risk: str | None
    with_jht: bool
    period_start: dt.date
    period_end: dt.date
    rules: dict[str, Any]
    with_jp: bool

    @property
    def paid_by(self) -> str:
        """Who pays the contributions, as the law names it (PP 50/2025 payer types:
        ``apbd``, ``self``, ``apbn``, ``apbdes``, ``donor``; only ``self`` is discounted)."""
        return self.funder_type if self.funder_type in PAYERS else "apbd"

    @property
    def package(self) -> Package:
        """The contribution package the program buys for every member."""
        return Package(
            segment=self.segment,
            income_base=self.income_base,
            risk=self.risk,
            with_jht=self.with_jht,
            paid_by=self.paid_by,
            with_jp=self.with_jp,
        )

    @property
    def months(self) -> list[dt.date]:
        """The first day of every month of the period."""
        return month_range(self.period_start, self.period_end)


def program_of(row: Mapping[Any, Any]) -> Program:
    """A :class:`Program` from a row of ``program`` (dates read back as text or dates)."""
    return Program(
        id=int(row["id"]),
        name=row["name"],
        funder_type=row["funder_type"],
        funder_region=row["funder_region"],
        fiscal_year=int(row["fiscal_year"]),
        budget=int(row["budget"]),
        segment=row["segment"],
        income_base=int(row["income_base"]),
        risk=row["risk"],
        with_jht=bool(row["with_jht"]),
        period_start=to_date(row["period_start"]),
        period_end=to_date(row["period_end"]),
        rules=dict(row["rules"] or {}),
        with_jp=bool(row.get("with_jp") or False),
    )


def find_program(bind: Connection | Engine, ref: str | int) -> Program:
    """The program ``ref`` names: its id (``3``, ``"3"``) or its exact name.

    The one program look-up: claims, coverage and the award call it too, inside their own
    transaction (pass the connection) or on their own (pass the engine). It checks no right:
    the caller's action or query has already. Refuses ``program_not_found`` (404).
    """
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return find_program(conn, ref)
    row = None
    if isinstance(ref, int) or str(ref).isdigit():
        row = bind.execute(select(program).where(program.c.id == int(ref))).mappings().first()
    if row is None:
        row = bind.execute(select(program).where(program.c.name == str(ref))).mappings().first()
    if row is None:
        raise errors.PROGRAM_NOT_FOUND(program=str(ref))
    return program_of(row)


def list_programs(engine: Engine, actor: Actor) -> list[Program]:
    """Every program, oldest first. Needs ``program.read``."""
    actor.require("program.read")
    with engine.connect() as conn:
        rows = conn.execute(select(program).order_by(program.c.id)).mappings().all()
    return [program_of(r) for r in rows]
