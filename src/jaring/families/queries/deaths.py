"""Reads about deaths: who is dead on a day (for billing and planning), the deaths of a
person, the rows of death lists waiting for review, refunds owed, the claims officer's
"klaim belum diajukan" tasks and the coverage-gap report.

A date of death is known from a recorded death (``death``, status ``recorded``) or from a
death claim that was not rejected (its event date): :func:`dead_before` answers for both, so
a death claim stops billing even before anyone records the death.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import polars as pl
from sqlalchemy import ColumnElement, Connection, Engine, func, select

from jaring import i18n
from jaring.access import Actor, mask
from jaring.claims import catalog
from jaring.claims.batch import assess_frame
from jaring.families import deathlist, errors
from jaring.families.queries.families import Heir, proposed_heirs_of
from jaring.i18n import N_, _
from jaring.law import benefits
from jaring.registry import queries as registry
from jaring.store.bulk import read_frame
from jaring.store.dialect import date_columns, to_date, to_datetime
from jaring.store.tables.claims import claim
from jaring.store.tables.families import death, death_list, death_list_row, death_refund
from jaring.store.tables.programs import (
    bpjs_refusal,
    coverage_period,
    membership,
    program,
)
from jaring.store.tables.registry import person

# --------------------------------------------------------------------------- who is dead


def dead_before(person_id: Any, day: dt.date) -> ColumnElement[bool]:
    """SQL: the person ``person_id`` (a column) died before ``day``, by a recorded death or a
    death claim not rejected. Billing leaves such people out of the invoice of the month
    that starts on ``day``; planning leaves them out of a plan that starts on it."""
    recorded = select(death.c.person_id).where(
        death.c.status == "recorded", death.c.death_date < day
    )
    claimed = select(claim.c.person_id).where(
        claim.c.benefit_key == "death", claim.c.status != "rejected", claim.c.event_date < day
    )
    return person_id.in_(recorded) | person_id.in_(claimed)


def alive_on(person_id: Any, day: dt.date) -> ColumnElement[bool]:
    """SQL: not :func:`dead_before` ``day``."""
    return ~dead_before(person_id, day)


# --------------------------------------------------------------------------- one person


@dataclasses.dataclass(frozen=True)
class Death:
    """A death recorded for a person: date, place, source, and whether it was undone."""

    id: int
    person_id: int
    death_date: dt.date
    place: str | None
    source: str
    source_kind: str
    status: str
    recorded_by: str
    recorded_at: dt.datetime | None
    undone_by: str | None
    undone_at: dt.datetime | None
    undo_reason: str | None
    refunds_due: int


def deaths_of(engine: Engine, actor: Actor, person_id: int) -> list[Death]:
    """Every death recorded for ``person_id`` (undone ones too), newest first."""
    actor.require("person.read")
    with engine.connect() as conn:
        registry.require_person_in_scope(conn, actor, person_id)
        refunds = (
            select(func.coalesce(func.sum(death_refund.c.amount), 0))
            .where(death_refund.c.death_id == death.c.id, death_refund.c.status == "due")
            .scalar_subquery()
        )
        rows = conn.execute(
            select(death, refunds.label("refunds_due"))
            .where(death.c.person_id == person_id)
            .order_by(death.c.id.desc())
        ).all()
    return [_death(r._mapping) for r in rows]


def _death(r: Any) -> Death:
    return Death(
        id=int(r["id"]),
        person_id=int(r["person_id"]),
        death_date=to_date(r["death_date"]),
        place=r["place"],
        source=r["source"],
        source_kind=r["source_kind"],
        status=r["status"],
        recorded_by=r["recorded_by"],
        recorded_at=to_datetime(r["recorded_at"]),
        undone_by=r["undone_by"],
        undone_at=to_datetime(r["undone_at"]),
        undo_reason=r["undo_reason"],
        refunds_due=int(r["refunds_due"] or 0),
    )


def get_death(engine: Engine, actor: Actor, death_id: int) -> Death:
    """One death (``death_not_found``)."""
    actor.require("person.read")
    with engine.connect() as conn:
        refunds = (
            select(func.coalesce(func.sum(death_refund.c.amount), 0))
            .where(death_refund.c.death_id == death.c.id, death_refund.c.status == "due")
            .scalar_subquery()
        )
        r = conn.execute(
            select(death, refunds.label("refunds_due")).where(death.c.id == death_id)
        ).first()
        if r is None:
            raise errors.DEATH_NOT_FOUND(death=death_id)
        registry.require_person_in_scope(conn, actor, int(r.person_id))
    return _death(r._mapping)


# --------------------------------------------------------------------------- lists, review


@dataclasses.dataclass(frozen=True)
class DeathListRow:
    """A row of a death list: what it said and what became of it (and why)."""

    id: int
    list_id: int
    source: str
    file_name: str
    row_number: int
    nik: str | None
    name: str | None
    death_date: dt.date | None
    place: str | None
    outcome: str
    reason: str | None
    reason_text: str
    person_id: int | None
    person_name: str | None
    match_score: float | None
    death_id: int | None
    #: why the deduplication model proposed the person: field -> ``{level, weight}`` (level
    #: in Indonesian, weight in bits), ``hold`` when a rule asks to look first; empty else
    match_explain: dict[str, Any] = dataclasses.field(default_factory=dict)


def list_rows(
    engine: Engine,
    actor: Actor,
    *,
    outcome: str | None = "review",
    list_id: int | None = None,
    limit: int = 500,
) -> list[DeathListRow]:
    """Rows of death lists (by default those waiting for review), oldest first. NIKs masked
    for roles that see them masked; rows whose candidate lies outside the actor's regions
    are left out (rows with no candidate are shown to actors of every region only)."""
    actor.require("person.read")
    r, dl = death_list_row.c, death_list.c
    q = (
        select(
            r.id, r.list_id, dl.source, dl.file_name, r.row_number, r.nik, r.name, r.death_date,
            r.place, r.outcome, r.reason, r.person_id, person.c.name.label("person_name"),
            r.match_score, r.death_id, r.match_explain,
        )
        .join(death_list, dl.id == r.list_id)
        .outerjoin(person, person.c.id == r.person_id)
        .order_by(r.id)
        .limit(limit)
    )  # fmt: skip
    if outcome:
        q = q.where(r.outcome == outcome)
    if list_id is not None:
        q = q.where(r.list_id == list_id)
    scope = actor.region_clause(person)
    if scope is not None:
        q = q.where(scope)
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return [
        DeathListRow(
            **{
                **x._mapping,
                "nik": mask(x.nik) if actor.masked else x.nik,
                "death_date": to_date(x.death_date),
                "reason_text": deathlist.reason_text(x.reason),
                "match_explain": json.loads(x.match_explain) if x.match_explain else {},
            }
        )
        for x in rows
    ]


# --------------------------------------------------------------------------- refunds


@dataclasses.dataclass(frozen=True)
class Refund:
    """A month paid after a death, owed back to the payer."""

    id: int
    death_id: int
    person_id: int
    name: str
    program: str
    month: dt.date
    amount: int
    payer: str
    status: str


def refunds(engine: Engine, actor: Actor, *, status: str | None = "due") -> list[Refund]:
    """Refunds (by default those still due), by month."""
    actor.require("program.read")
    rf = death_refund.c
    q = (
        select(
            rf.id, rf.death_id, death.c.person_id, person.c.name, program.c.name.label("program"),
            rf.month, rf.amount, rf.payer, rf.status,
        )
        .join(death, death.c.id == rf.death_id)
        .join(person, person.c.id == death.c.person_id)
        .join(program, program.c.id == rf.program_id)
        .order_by(rf.month, rf.id)
    )  # fmt: skip
    if status:
        q = q.where(rf.status == status)
    scope = actor.region_clause(person)
    if scope is not None:
        q = q.where(scope)
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return [Refund(**{**r._mapping, "month": to_date(r.month)}) for r in rows]


# --------------------------------------------------------------------------- tasks, gaps


@dataclasses.dataclass(frozen=True)
class DocumentNeeded:
    code: str
    label: str


@dataclasses.dataclass(frozen=True)
class Task:
    """ "Klaim belum diajukan": a covered person died and no claim was filed. The expected
    benefit is the law's JKM for that death (a death from a work accident, JKK, pays more:
    the claim decides); heirs are proposed from the family in the law's order."""

    death_id: int
    person_id: int
    name: str
    nik: str | None
    district_code: str | None
    death_date: dt.date
    place: str | None
    source: str
    days_since: int
    program: str
    membership_id: int
    kpj: str | None
    expected_amount: int
    early_death: bool
    heirs: list[Heir]
    documents: list[DocumentNeeded]
    kk_number: str | None


def _open_deaths(conn: Connection, actor: Actor, death_id: int | None = None) -> pl.DataFrame:
    """Recorded deaths in the actor's regions with no death claim (not rejected) yet."""
    claimed = select(claim.c.person_id).where(
        claim.c.benefit_key == "death", claim.c.status != "rejected"
    )
    q = (
        select(
            death.c.id.label("death_id"), death.c.person_id, death.c.death_date, death.c.place,
            death.c.source, person.c.name, person.c.nik, person.c.district_code,
            person.c.birth_date,
        )
        .join(person, person.c.id == death.c.person_id)
        .where(death.c.status == "recorded", death.c.person_id.not_in(claimed))
        .order_by(death.c.death_date, death.c.id)
    )  # fmt: skip
    if death_id is not None:
        q = q.where(death.c.id == death_id)
    scope = actor.region_clause(person)
    if scope is not None:
        q = q.where(scope)
    frame = read_frame(conn, q)
    if frame.height == 0:
        return pl.DataFrame(
            schema={"death_id": pl.Int64, "person_id": pl.Int64, "death_date": pl.Date,
                    "place": pl.String, "source": pl.String, "name": pl.String,
                    "nik": pl.String, "district_code": pl.String, "birth_date": pl.Date}
        )  # fmt: skip
    return date_columns(frame, "death_date", "birth_date").with_columns(
        pl.col("death_id", "person_id").cast(pl.Int64)
    )


def _history(conn: Connection, person_ids: list[int]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Memberships (``membership_id``, ``person_id``, ``start_month``, ``segment``,
    ``income_base``, ``state``, ``kpj``, ``program``) and their periods of ``person_ids``."""
    m, cp = membership.c, coverage_period.c
    ids = person_ids or [-1]
    mems = pl.concat(
        [
            read_frame(
                conn,
                select(
                    m.id.label("membership_id"), m.person_id, m.start_month, m.segment,
                    m.income_base, m.state, m.kpj, program.c.name.label("program"),
                )
                .join(program, program.c.id == m.program_id)
                .where(m.person_id.in_(ids[i : i + 1000])),
            )
            for i in range(0, len(ids), 1000)
        ],
        how="vertical_relaxed",
    )  # fmt: skip
    periods = pl.concat(
        [
            read_frame(
                conn,
                select(cp.membership_id, cp.person_id, cp.start_date, cp.end_date).where(
                    cp.person_id.in_(ids[i : i + 1000])
                ),
            )
            for i in range(0, len(ids), 1000)
        ],
        how="vertical_relaxed",
    )
    mem_schema = {"membership_id": pl.Int64, "person_id": pl.Int64, "start_month": pl.Date,
                  "segment": pl.String, "income_base": pl.Int64, "state": pl.String,
                  "kpj": pl.String, "program": pl.String}  # fmt: skip
    per_schema = {"membership_id": pl.Int64, "person_id": pl.Int64, "start_date": pl.Date,
                  "end_date": pl.Date}  # fmt: skip
    mems = (
        date_columns(mems, "start_month").cast(mem_schema)  # type: ignore[arg-type]
        if mems.height
        else pl.DataFrame(schema=mem_schema)
    )
    periods = (
        date_columns(periods, "start_date", "end_date").cast(per_schema)  # type: ignore[arg-type]
        if periods.height
        else pl.DataFrame(schema=per_schema)
    )
    return mems, periods


def _covering(deaths: pl.DataFrame, periods: pl.DataFrame) -> pl.DataFrame:
    """``death_id`` -> the membership whose paid period holds the day of death (the latest
    when several do)."""
    return (
        deaths.select("death_id", "person_id", "death_date")
        .join(periods, on="person_id")
        .filter((pl.col("start_date") <= pl.col("death_date")) & (pl.col("death_date") <= pl.col("end_date")))
        .sort("membership_id")
        .group_by("death_id")
        .agg(pl.col("membership_id").last())
    )  # fmt: skip


def _task_frame(
    conn: Connection, actor: Actor, today: dt.date, death_id: int | None
) -> pl.DataFrame:
    """Open deaths of people covered on the day of death, with the membership that covered
    them, the expected JKM ``amount`` and ``early_death``."""
    deaths = _open_deaths(conn, actor, death_id)
    mems, periods = _history(conn, deaths["person_id"].unique().to_list())
    cover = _covering(deaths, periods)
    work = deaths.join(cover, on="death_id").join(mems.drop("person_id"), on="membership_id")
    if work.height == 0:
        return work.with_columns(
            pl.lit(0, dtype=pl.Int64).alias("amount"), pl.lit(False).alias("early_death")
        )
    assessed = assess_frame(
        work.select(
            pl.col("death_id").alias("claim_ref"),
            "membership_id",
            pl.lit("jkm").alias("type"),
            pl.col("death_date").alias("event_date"),
            pl.lit(today).alias("filed_on"),
        ),
        mems.select("membership_id", "start_month", "segment", "income_base"),
        periods.select("membership_id", "start_date", "end_date"),
    ).select(pl.col("claim_ref").alias("death_id"), "amount", "early_death")
    return work.join(assessed, on="death_id", how="left").sort("death_date", "death_id")


def tasks(
    engine: Engine, actor: Actor, *, today: dt.date | None = None, death_id: int | None = None
) -> list[Task]:
    """The claims officer's open tasks: every recorded death of a person covered on the day
    of death for whom no death claim was filed, oldest death first, with the expected JKM
    benefit, the heirs proposed from the family, the documents to bring and the days since
    the death. Needs ``claim.read``; the actor's regions only; NIKs masked where the role
    sees them masked."""
    actor.require("claim.read")
    today = today or dt.date.today()
    key = "en" if _lang() == "en" else "id"
    with engine.connect() as conn:
        work = _task_frame(conn, actor, today, death_id)
        families = proposed_heirs_of(
            conn,
            actor,
            dict(zip(work["person_id"].to_list(), work["death_date"].to_list(), strict=True)),
        )
        out = []
        for r in work.iter_rows(named=True):
            family = families[int(r["person_id"])]
            recipient = next((h.relation for h in family.heirs if h.recipient), None)
            labels = catalog.document_labels(r["death_date"])
            docs = [
                DocumentNeeded(code=c, label=labels.get(c, {}).get(key, c))
                for c in catalog.required_documents(
                    "jkm", recipient_relation=recipient, on=r["death_date"]
                )
            ]
            out.append(
                Task(
                    death_id=int(r["death_id"]),
                    person_id=int(r["person_id"]),
                    name=r["name"],
                    nik=mask(r["nik"]) if actor.masked else r["nik"],
                    district_code=r["district_code"],
                    death_date=r["death_date"],
                    place=r["place"],
                    source=r["source"],
                    days_since=(today - r["death_date"]).days,
                    program=r["program"],
                    membership_id=int(r["membership_id"]),
                    kpj=r["kpj"],
                    expected_amount=int(r["amount"] or 0),
                    early_death=bool(r["early_death"]),
                    heirs=family.heirs,
                    documents=docs,
                    kk_number=family.kk_number,
                )
            )
    return out


def _lang() -> str:
    return i18n.lang()


AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-30", 0, 30),
    ("31-90", 31, 90),
    ("91-365", 91, 365),
    (">365", 366, None),
)


@dataclasses.dataclass(frozen=True)
class AgeBand:
    band: str
    deaths: int
    expected_amount: int


def tasks_by_age(engine: Engine, actor: Actor, *, today: dt.date | None = None) -> list[AgeBand]:
    """Deaths of covered people without a claim, counted by days since the death (the
    dashboard's figure), with the benefit still waiting in each band. Needs ``claim.read``."""
    actor.require("claim.read")
    today = today or dt.date.today()
    with engine.connect() as conn:
        work = _task_frame(conn, actor, today, None)
    days = [(today - d).days for d in work["death_date"].to_list()]
    amounts = [int(a or 0) for a in work["amount"].to_list()]
    out = []
    for band, lo, hi in AGE_BANDS:
        inside = [i for i, n in enumerate(days) if n >= lo and (hi is None or n <= hi)]
        out.append(
            AgeBand(band=band, deaths=len(inside), expected_amount=sum(amounts[i] for i in inside))
        )
    return out


@dataclasses.dataclass(frozen=True)
class Gap:
    """A listed person who died while not covered: why, and the benefit the family missed
    (the law's JKM for a covered BPU dying that day)."""

    death_id: int
    person_id: int
    name: str
    district_code: str | None
    death_date: dt.date
    reason: str  # not_enrolled | not_yet_covered | lapsed | refused_by_bpjs
    benefit_missed: int


@dataclasses.dataclass(frozen=True)
class GapReport:
    """The coverage-gap report for the head of region: deaths of listed people not covered
    on the day of death, by reason, with the benefits their families did not get."""

    since: dt.date | None
    until: dt.date
    deaths: int
    covered: int
    gaps: int
    benefit_missed: int
    by_reason: dict[str, int]
    missed_by_reason: dict[str, int]
    rows: list[Gap]


GAP_REASONS = {
    "not_enrolled": N_("Never enrolled in a program"),
    "not_yet_covered": N_("Enrolled, but coverage had not begun"),
    "lapsed": N_("Coverage had lapsed (contributions unpaid or the program ended)"),
    "refused_by_bpjs": N_("Refused by BPJS at registration"),
}


def gap_reason_text(code: str) -> str:
    """Why a death was not covered, in the current language."""
    return _(GAP_REASONS[code]) if code in GAP_REASONS else code


def gap_report(
    engine: Engine,
    actor: Actor,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> GapReport:
    """Deaths (recorded, claimed or not) between ``since`` and ``until`` of people in the
    registry who were not covered on the day of death, with why and the JKM benefit missed.
    Needs ``coverage.read``; the actor's regions only."""
    actor.require("coverage.read")
    until = until or dt.date.today()
    d, p = death.c, person.c
    q = (
        select(d.id.label("death_id"), d.person_id, d.death_date, p.name, p.nik, p.district_code)
        .join(person, p.id == d.person_id)
        .where(d.status == "recorded", d.death_date <= until)
        .order_by(d.death_date, d.id)
    )
    if since is not None:
        q = q.where(d.death_date >= since)
    scope = actor.region_clause(person)
    if scope is not None:
        q = q.where(scope)
    with engine.connect() as conn:
        deaths = read_frame(conn, q)
        if deaths.height == 0:
            return GapReport(since, until, 0, 0, 0, 0, {}, {}, [])
        deaths = date_columns(deaths, "death_date").with_columns(
            pl.col("death_id", "person_id").cast(pl.Int64)
        )
        mems, periods = _history(conn, deaths["person_id"].unique().to_list())
        niks = [n for n in deaths["nik"].drop_nulls().unique().to_list()]
        refused = set(
            conn.execute(
                select(bpjs_refusal.c.nik).where(
                    bpjs_refusal.c.nik.in_(niks or [""]), bpjs_refusal.c.reason == "refused"
                )
            ).scalars()
        )
    covered = set(_covering(deaths, periods)["death_id"].to_list())
    rows: list[Gap] = []
    gaps = deaths.filter(~pl.col("death_id").is_in(list(covered)))
    if gaps.height:
        priced = benefits.jkm_frame(
            gaps.select("death_id", pl.col("death_date").alias("event_date"), pl.lit("bpu").alias("segment"))
        )  # fmt: skip
        missed = dict(zip(priced["death_id"].to_list(), priced["total"].to_list(), strict=True))
        for r in gaps.iter_rows(named=True):
            pid, day = int(r["person_id"]), r["death_date"]
            own = mems.filter(pl.col("person_id") == pid)
            before = periods.filter((pl.col("person_id") == pid) & (pl.col("start_date") <= day))
            if r["nik"] in refused:
                reason = "refused_by_bpjs"
            elif own.height == 0:
                reason = "not_enrolled"
            elif before.height:
                reason = "lapsed"
            else:
                reason = "not_yet_covered"
            rows.append(
                Gap(
                    death_id=int(r["death_id"]),
                    person_id=pid,
                    name=r["name"],
                    district_code=r["district_code"],
                    death_date=day,
                    reason=reason,
                    benefit_missed=int(missed[r["death_id"]]),
                )
            )
    by_reason: dict[str, int] = {}
    missed_by: dict[str, int] = {}
    for g in rows:
        by_reason[g.reason] = by_reason.get(g.reason, 0) + 1
        missed_by[g.reason] = missed_by.get(g.reason, 0) + g.benefit_missed
    return GapReport(
        since=since,
        until=until,
        deaths=deaths.height,
        covered=len(covered),
        gaps=len(rows),
        benefit_missed=sum(g.benefit_missed for g in rows),
        by_reason=by_reason,
        missed_by_reason=missed_by,
        rows=rows,
    )


__all__ = [
    "AgeBand",
    "Death",
    "DeathListRow",
    "DocumentNeeded",
    "Gap",
    "GapReport",
    "Refund",
    "Task",
    "alive_on",
    "dead_before",
    "deaths_of",
    "gap_report",
    "get_death",
    "list_rows",
    "refunds",
    "tasks",
    "tasks_by_age",
]
