"""Every read of field registration: the region lists a phone carries, a registrar's own
records, and a team's progress by day and place for a supervisor.

A registrar (``field.register``, :data:`jaring.access.OWN_RECORDS`) sees only the records
they made, inside their regions; a supervisor (``field.supervise``) sees every registrar's
records inside theirs, by counts: progress needs no names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from sqlalchemy import ColumnElement, Engine, case, func, select

from jaring import i18n
from jaring.access import Actor
from jaring.field import errors, rules
from jaring.field.rules import RegionLists
from jaring.i18n import N_
from jaring.registry import issues as registry_issues
from jaring.store import dialect
from jaring.store.tables.field import field_record


def lists(actor: Actor) -> RegionLists:
    """The distrik and kelurahan of the actor's regions, and the NIK prefixes Jaring knows:
    what the phone needs to check a record offline."""
    if not actor.can("field.register"):
        actor.require("field.supervise")
    out = rules.region_lists(actor.regions or (DEFAULT_REGION,))
    return dataclasses.replace(out, messages=messages())


#: The region of an actor who works everywhere (the system, an administrator): Kota Sorong,
#: the reference case, until a region is chosen.
DEFAULT_REGION = "96.71"


def messages(lang: str | None = None) -> dict[str, str]:
    """Every issue code a record can get -> its sentence in ``lang`` (default: the current
    language), ``{value}`` and ``{detail}`` left open for the phone to fill."""
    out = {code: registry_issues.template(code, lang) for code in registry_issues.CODES}
    for code, entry in errors.ISSUES.entries.items():
        out[code] = entry.wording(lang or i18n.lang(), {"value": "{value}", "detail": "{detail}"})
    out["nik_on_device"] = i18n.gettext_in(ON_DEVICE, lang)
    return out


ON_DEVICE = N_("This NIK is already on this phone, in the record of {value}.")


@dataclasses.dataclass
class MyRecord:
    """One of a registrar's records as the server holds it."""

    client_id: str
    day: dt.date
    status: str
    name: str
    nik: str | None
    district_code: str | None
    village_code: str | None
    market: str | None
    batch: int | None
    photo: bool


def my_records(engine: Engine, actor: Actor, day: dt.date | None = None) -> list[MyRecord]:
    """The actor's own records (``field.register``), newest first; of ``day`` when given."""
    actor.require("field.register")
    c = field_record.c
    q = select(
        c.client_id, c.day, c.status, c.payload, c.nik, c.district_code, c.village_code,
        c.market, c.batch_id, c.photo_id,
    ).where(c.registrar == actor.username)  # fmt: skip
    clause = actor.region_clause(field_record)
    if clause is not None:
        q = q.where(clause)
    if day is not None:
        q = q.where(c.day == day)
    out = []
    with engine.connect() as conn:
        for row in conn.execute(q.order_by(c.id.desc())):
            out.append(
                MyRecord(
                    client_id=row.client_id,
                    day=dialect.to_date(row.day),
                    status=row.status,
                    name=str(json.loads(row.payload).get("name") or ""),
                    nik=row.nik,
                    district_code=row.district_code,
                    village_code=row.village_code,
                    market=row.market,
                    batch=row.batch_id,
                    photo=row.photo_id is not None,
                )
            )
    return out


@dataclasses.dataclass
class ProgressRow:
    """Records of one registrar on one day in one distrik and market, by answer."""

    day: dt.date
    registrar: str
    district_code: str | None
    district: str | None
    market: str | None
    records: int
    accepted: int
    needs_fix: int
    duplicates: int
    photos: int


@dataclasses.dataclass
class Progress:
    """A team's progress from ``since`` to ``until``: one row per day, registrar, distrik
    and market, newest day first, and the totals."""

    since: dt.date
    until: dt.date
    rows: list[ProgressRow]
    records: int
    accepted: int
    needs_fix: int
    duplicates: int
    registrars: int


def progress(
    engine: Engine, actor: Actor, *, since: dt.date | None = None, until: dt.date | None = None
) -> Progress:
    """The team's progress in the actor's regions (``field.supervise``): counts only."""
    actor.require("field.supervise")
    until = until or dt.date.today()
    since = since or until - dt.timedelta(days=6)
    if since > until:
        since, until = until, since
    c = field_record.c

    def count(status: tuple[str, ...]) -> ColumnElement[Any]:
        return func.sum(case((c.status.in_(status), 1), else_=0))

    q = (
        select(
            c.day,
            c.registrar,
            c.district_code,
            c.market,
            func.count().label("records"),
            count((rules.ACCEPTED,)).label("accepted"),
            count((rules.NEEDS_FIX,)).label("needs_fix"),
            count((rules.DUPLICATE_HERE, rules.DUPLICATE_ELSEWHERE)).label("duplicates"),
            func.sum(case((c.photo_id.is_not(None), 1), else_=0)).label("photos"),
        )
        .where(c.day >= since, c.day <= until)
        .group_by(c.day, c.registrar, c.district_code, c.market)
        .order_by(c.day.desc(), c.registrar, c.district_code, c.market)
    )
    clause = actor.region_clause(field_record)
    if clause is not None:
        q = q.where(clause)
    with engine.connect() as conn:
        rows = [
            ProgressRow(
                day=dialect.to_date(r.day),
                registrar=r.registrar,
                district_code=r.district_code,
                district=rules.place_name(r.district_code) if r.district_code else None,
                market=r.market,
                records=int(r.records),
                accepted=int(r.accepted or 0),
                needs_fix=int(r.needs_fix or 0),
                duplicates=int(r.duplicates or 0),
                photos=int(r.photos or 0),
            )
            for r in conn.execute(q)
        ]
    return Progress(
        since=since,
        until=until,
        rows=rows,
        records=sum(r.records for r in rows),
        accepted=sum(r.accepted for r in rows),
        needs_fix=sum(r.needs_fix for r in rows),
        duplicates=sum(r.duplicates for r in rows),
        registrars=len({r.registrar for r in rows}),
    )
