"""Deaths learned outside a claim: a Dukcapil or kelurahan list, an operator, a death claim.

Recording a death (:func:`apply_death`, inside the caller's transaction) ends what the
programs owe and bill from the date of death, and keeps what it changed so that undoing it
restores everything:

- every membership still running at the death, or planned after it, becomes ``deceased``
  (dated history in ``membership_event``); one running in the month of death keeps that
  month as its last (the month is owed: it covers the day of death), the others end before
  it;
- coverage periods end on the day of death (a period wholly after it is removed from
  ``coverage_period`` and kept in ``death_effect``);
- each month after the month of death that was paid becomes a refund owed to the payer
  (``death_refund``: the program's Pemda, or the member for a self-paying program);
- each invoice line of a month after the month of death not paid in full is no longer asked
  of the payer (``death_line`` keeps it as it was): a line with nothing paid leaves its
  invoice, a part-paid line keeps only what was paid (that part is refunded), and the
  invoice's amount (and count of lines) goes down by as much. Each invoice changed gets an
  audit event (``invoice.death_cancel``, before and after).

Invoices issued later have no line for the person (:func:`jaring.families.queries.deaths.
alive_on` in billing's selection), and plans leave them out. Nothing is deleted: a death
recorded by mistake is undone by a supervisor (``person.approve``) with a written reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    Integer,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from jaring import audit
from jaring.access import Actor
from jaring.errors import BAD_FILE_TYPE
from jaring.families import deathlist, errors
from jaring.families.letter import letter_pdf
from jaring.families.queries import matching
from jaring.families.queries.deaths import tasks
from jaring.families.queries.matching import NearMatch
from jaring.programs.actions.memberships import set_state
from jaring.programs.months import add_months, first_of
from jaring.registry import errors as registry_errors
from jaring.registry import queries as registry
from jaring.registry.actions.imports import MAX_UPLOAD, SUFFIXES
from jaring.store.dialect import to_date
from jaring.store.tables.claims import claim
from jaring.store.tables.families import (
    death,
    death_effect,
    death_line,
    death_list,
    death_list_row,
    death_refund,
)
from jaring.store.tables.programs import (
    coverage_period,
    invoice,
    invoice_line,
    membership,
    membership_event,
    program,
)
from jaring.store.tables.registry import person


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclasses.dataclass(frozen=True)
class DeathRecorded:
    """A death recorded: its id, the person, the date, and what it changed (memberships
    ended, coverage periods cut, refunds owed and their sum in rupiah)."""

    death: int
    person_id: int
    death_date: dt.date
    source: str
    memberships: int
    periods_cut: int
    refunds: int
    refund_amount: int
    lines_cancelled: int = 0
    cancelled_amount: int = 0


@dataclasses.dataclass(frozen=True)
class DeathListImported:
    """A death list read: how many rows were recorded, wait for review, were refused, or
    changed nothing; ``list`` is None when the same file was read before."""

    list: int | None
    file: str
    source: str
    rows: int = 0
    recorded: int = 0
    review: int = 0
    refused: int = 0
    unchanged: int = 0
    refund_amount: int = 0
    lines_cancelled: int = 0
    cancelled_amount: int = 0


@dataclasses.dataclass(frozen=True)
class DeathUndone:
    """A death undone: memberships restored, coverage periods restored, refunds cancelled,
    invoice lines asked again (and their rupiah)."""

    death: int
    person_id: int
    reason: str
    memberships: int
    periods_restored: int
    refunds_cancelled: int
    lines_restored: int = 0
    restored_amount: int = 0


@dataclasses.dataclass(frozen=True)
class RowDecided:
    """A supervisor's decision on a row of a death list that waited for review."""

    row: int
    outcome: str  # accepted | rejected
    death: int | None


# --------------------------------------------------------------------------- the core


@dataclasses.dataclass(frozen=True)
class NewDeath:
    """A death to record (:func:`apply_deaths`): who, when, where, learned from what."""

    person_id: int
    death_date: dt.date
    place: str | None
    source: str
    kind: str  # list | claim | entered
    list_row_id: int | None = None
    claim_id: int | None = None


def apply_death(
    conn: Connection,
    actor: Actor,
    person_id: int,
    death_date: dt.date,
    *,
    place: str | None,
    source: str,
    kind: str,
    list_row_id: int | None = None,
    claim_id: int | None = None,
) -> DeathRecorded:
    """Record one death on ``conn`` (:func:`apply_deaths` for one)."""
    item = NewDeath(person_id, death_date, place, source, kind, list_row_id, claim_id)
    return apply_deaths(conn, actor, [item])[0]


def _chunks(ids: list[Any], size: int = 1000) -> list[list[Any]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def apply_deaths(conn: Connection, actor: Actor, items: list[NewDeath]) -> list[DeathRecorded]:
    """Record deaths on ``conn`` (the caller's transaction) and apply them: memberships,
    coverage periods, refunds (see the module). A whole list's deaths take a fixed number of
    statements, not a number per death. Checks nothing: the callers have; one death per
    person in ``items``."""
    if not items:
        return []
    now = _now()
    # one INSERT ... RETURNING for all (SQLAlchemy's "insertmanyvalues"), ids in order
    ids = [
        int(i)
        for i in conn.execute(
            insert(death).returning(death.c.id, sort_by_parameter_order=True),
            [
                {"person_id": it.person_id, "death_date": it.death_date, "place": it.place,
                 "source": it.source[:200], "source_kind": it.kind,
                 "list_row_id": it.list_row_id, "claim_id": it.claim_id, "status": "recorded",
                 "recorded_by": actor.username, "recorded_at": now}
                for it in items
            ],
        ).scalars()
    ]  # fmt: skip
    by_person = {it.person_id: (did, it) for did, it in zip(ids, items, strict=True)}
    people = sorted(by_person)
    m, cp = membership.c, coverage_period.c
    mems = [
        r
        for chunk in _chunks(people)
        for r in conn.execute(
            select(m.id, m.person_id, m.state, m.start_month, m.end_month)
            .where(m.person_id.in_(chunk), m.state != "deceased")
            .order_by(m.id)
        )
    ]
    periods: dict[int, list[Any]] = {}
    for chunk in _chunks(people):
        for p in conn.execute(select(coverage_period).where(cp.person_id.in_(chunk))):
            periods.setdefault(int(p.membership_id), []).append(p)
    effects, ends, events, cut, removed = [], [], [], [], []
    counts: dict[int, list[int]] = {did: [0, 0] for did in ids}  # memberships, periods cut
    for r in mems:
        did, it = by_person[int(r.person_id)]
        month = first_of(it.death_date)
        start, end = to_date(r.start_month), to_date(r.end_month)
        if end is not None and end < month:
            continue  # over before the death: nothing to end
        saved = [
            {"id": int(p.id), "start_date": to_date(p.start_date).isoformat(),
             "end_date": to_date(p.end_date).isoformat(), "person_id": int(p.person_id),
             "program_id": int(p.program_id), "segment": p.segment}
            for p in periods.get(int(r.id), [])
            if to_date(p.end_date) > it.death_date
        ]  # fmt: skip
        effects.append({"death_id": did, "membership_id": int(r.id), "prior_state": r.state,
                        "prior_end_month": end, "periods": saved})  # fmt: skip
        for kept in saved:
            if dt.date.fromisoformat(kept["start_date"]) > it.death_date:
                removed.append(kept["id"])
            else:
                cut.append({"pid": kept["id"], "day": it.death_date})
        # the month of death stays owed by a running membership; any other ends before it
        last = month if r.state == "active" else add_months(month, -1)
        if start <= month and (end is None or end > last):
            ends.append({"mid": int(r.id), "last": last})
        events.append({"membership_id": int(r.id), "state": "deceased",
                       "on_date": it.death_date, "reason": "death_recorded"})  # fmt: skip
        counts[did][0] += 1
        counts[did][1] += len(saved)
    if effects:
        conn.execute(insert(death_effect), effects)
        for chunk in _chunks([e["membership_id"] for e in effects]):
            conn.execute(update(membership).where(m.id.in_(chunk)).values(state="deceased"))
        conn.execute(insert(membership_event), events)
    if ends:
        conn.execute(
            update(membership).where(m.id == bindparam("mid")).values(end_month=bindparam("last")),
            ends,
        )
    for chunk in _chunks(removed):
        conn.execute(delete(coverage_period).where(cp.id.in_(chunk)))
    if cut:
        conn.execute(
            update(coverage_period)
            .where(cp.id == bindparam("pid"))
            .values(end_date=bindparam("day")),
            cut,
        )
    refunds = _refunds(conn, by_person, now)
    cancelled = _cancel_lines(conn, actor, by_person, now)
    out = []
    for did, it in zip(ids, items, strict=True):
        n_ref, amount = refunds.get(did, (0, 0))
        n_lines, rupiah = cancelled.get(did, (0, 0))
        out.append(
            DeathRecorded(
                death=did, person_id=it.person_id, death_date=it.death_date, source=it.source,
                memberships=counts[did][0], periods_cut=counts[did][1], refunds=n_ref,
                refund_amount=amount, lines_cancelled=n_lines, cancelled_amount=rupiah,
            )
        )  # fmt: skip
    return out


def _cancel_lines(
    conn: Connection, actor: Actor, by_person: dict[int, tuple[int, NewDeath]], now: dt.datetime
) -> dict[int, tuple[int, int]]:
    """The invoice lines of months after the month of death not paid in full: kept in
    ``death_line``, their unpaid part taken off (a line with nothing paid leaves the invoice,
    a part-paid one keeps what was paid), the invoices' amounts and lines lowered, one audit
    event per invoice. A fixed number of statements for any number of deaths. Returns death
    id -> (lines, rupiah no longer asked)."""
    line, inv, m = invoice_line.c, invoice.c, membership.c
    kept: list[dict[str, Any]] = []
    for chunk in _chunks(sorted(by_person)):
        for r in conn.execute(
            select(
                m.person_id, line.invoice_id, line.membership_id, inv.month, line.jkk, line.jkm,
                line.jht, line.amount, line.paid,
            )
            .select_from(
                invoice_line.join(membership, m.id == line.membership_id)
                .join(invoice, inv.id == line.invoice_id)
            )
            .where(m.person_id.in_(chunk), line.paid < line.amount)
            .order_by(line.invoice_id, line.membership_id)
        ):  # fmt: skip
            did, it = by_person[int(r.person_id)]
            if to_date(r.month) <= first_of(it.death_date):
                continue
            kept.append(
                {"death_id": did, "invoice_id": int(r.invoice_id),
                 "membership_id": int(r.membership_id), "month": to_date(r.month),
                 "jkk": int(r.jkk), "jkm": int(r.jkm), "jht": int(r.jht),
                 "amount": int(r.amount), "paid": int(r.paid),
                 "cancelled": int(r.amount) - int(r.paid), "status": "cancelled",
                 "created_at": now}
            )  # fmt: skip
    if not kept:
        return {}
    conn.execute(insert(death_line), kept)
    gone = [{"i": k["invoice_id"], "m": k["membership_id"]} for k in kept if k["paid"] == 0]
    part = [{"i": k["invoice_id"], "m": k["membership_id"]} for k in kept if k["paid"] > 0]
    at = and_(line.invoice_id == bindparam("i"), line.membership_id == bindparam("m"))
    if gone:
        conn.execute(delete(invoice_line).where(at), gone)
    if part:
        conn.execute(update(invoice_line).where(at).values(amount=line.paid), part)
    _shift_invoices(conn, actor, kept, sign=-1, action="invoice.death_cancel")
    out: dict[int, tuple[int, int]] = {}
    for k in kept:
        n, rupiah = out.get(k["death_id"], (0, 0))
        out[k["death_id"]] = (n + 1, rupiah + k["cancelled"])
    return out


def _shift_invoices(
    conn: Connection, actor: Actor, lines: list[dict[str, Any]], *, sign: int, action: str
) -> None:
    """Lower (``sign`` -1) or raise (+1) each invoice of ``lines`` by their cancelled rupiah
    and, for lines with nothing paid, their count; one audit event per invoice."""
    per: dict[int, list[int]] = {}
    for k in lines:
        rupiah, count = per.setdefault(k["invoice_id"], [0, 0])
        per[k["invoice_id"]] = [rupiah + k["cancelled"], count + (1 if k["paid"] == 0 else 0)]
    before = {
        int(r.id): (int(r.amount), int(r.lines))
        for chunk in _chunks(sorted(per))
        for r in conn.execute(
            select(invoice.c.id, invoice.c.amount, invoice.c.lines).where(invoice.c.id.in_(chunk))
        )
    }
    conn.execute(
        update(invoice)
        .where(invoice.c.id == bindparam("iid"))
        .values(
            amount=invoice.c.amount + bindparam("da", type_=BigInteger),
            lines=invoice.c.lines + bindparam("dl", type_=Integer),
        ),
        [{"iid": i, "da": sign * v[0], "dl": sign * v[1]} for i, v in sorted(per.items())],
    )
    audit.record_many(
        conn, actor, action, "invoice",
        [
            (i, {"amount": before[i][0], "lines": before[i][1]},
             {"amount": before[i][0] + sign * v[0], "lines": before[i][1] + sign * v[1]})
            for i, v in sorted(per.items())
        ],
    )  # fmt: skip


def _refunds(
    conn: Connection, by_person: dict[int, tuple[int, NewDeath]], now: dt.datetime
) -> dict[int, tuple[int, int]]:
    """A refund for each line of a month after the month of death that holds a payment,
    owed to the program's payer. Returns death id -> (refunds, rupiah)."""
    line, inv, m, p = invoice_line.c, invoice.c, membership.c, program.c
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(sorted(by_person)):
        paid = conn.execute(
            select(
                m.person_id, line.membership_id, line.invoice_id, line.paid, inv.month,
                inv.program_id, p.funder_type, p.funder_region,
            )
            .select_from(
                invoice_line.join(membership, m.id == line.membership_id)
                .join(invoice, inv.id == line.invoice_id)
                .join(program, p.id == inv.program_id)
            )
            .where(m.person_id.in_(chunk), line.paid > 0)
            .order_by(m.person_id, inv.month)
        ).all()  # fmt: skip
        for r in paid:
            did, it = by_person[int(r.person_id)]
            if to_date(r.month) <= first_of(it.death_date):
                continue
            rows.append(
                {
                    "death_id": did,
                    "membership_id": int(r.membership_id),
                    "program_id": int(r.program_id),
                    "invoice_id": int(r.invoice_id),
                    "month": to_date(r.month),
                    "amount": int(r.paid),
                    "payer": payer_of(r.funder_type, r.funder_region),
                    "status": "due",
                    "created_at": now,
                }
            )
    if rows:
        conn.execute(insert(death_refund), rows)
    out: dict[int, tuple[int, int]] = {}
    for refund in rows:
        n, amount = out.get(refund["death_id"], (0, 0))
        out[refund["death_id"]] = (n + 1, amount + refund["amount"])
    return out


def payer_of(funder_type: str | None, funder_region: str | None) -> str:
    """Who paid a program's contributions: ``apbd 96.71`` (the Pemda) or ``self``."""
    if funder_type == "apbd":
        return f"apbd {funder_region or ''}".strip()
    return "self"


def _recorded_death(conn: Connection, person_id: int) -> Any:
    return conn.execute(
        select(death.c.id, death.c.death_date).where(
            death.c.person_id == person_id, death.c.status == "recorded"
        )
    ).first()


# --------------------------------------------------------------------------- the actions


def record_death(
    engine: Engine,
    actor: Actor,
    person_id: int,
    death_date: dt.date,
    *,
    source: str,
    place: str | None = None,
    today: dt.date | None = None,
) -> DeathRecorded:
    """Record one death by hand (a letter from the kelurahan, a visit). Needs
    ``person.write`` and the person inside the actor's regions. Refused:
    ``death_source_missing``, ``death_date_future``, ``death_before_birth``,
    ``already_dead``. Audited as ``death.record``."""
    actor.require("person.write")
    source = (source or "").strip()
    if not source:
        raise errors.DEATH_SOURCE_MISSING(field="source")
    today = today or dt.date.today()
    if death_date > today:
        raise errors.DEATH_DATE_FUTURE(field="death_date", value=death_date.isoformat())
    with engine.begin() as conn:
        registry.require_person_in_scope(conn, actor, person_id)
        found = conn.execute(
            select(person.c.birth_date).where(person.c.id == person_id).with_for_update()
        ).first()
        if found is None:
            raise registry_errors.PERSON_NOT_FOUND(person_id=person_id)
        born = found.birth_date
        if born is not None and death_date < to_date(born):
            raise errors.DEATH_BEFORE_BIRTH(
                field="death_date", value=death_date.isoformat(), birth=to_date(born).isoformat()
            )
        earlier = _recorded_death(conn, person_id)
        if earlier is not None:
            raise errors.ALREADY_DEAD(
                field="death_date", date=to_date(earlier.death_date).isoformat(), death=earlier.id
            )
        out = apply_death(conn, actor, person_id, death_date, place=place, source=source,
                          kind="entered")  # fmt: skip
        audit.record(conn, actor, "death.record", "person", person_id, after=out)
    return out


def import_deaths(
    engine: Engine,
    actor: Actor,
    path: str | Path,
    *,
    source: str,
    listed_on: dt.date | None = None,
    today: dt.date | None = None,
) -> DeathListImported:
    """Read a death list (CSV or XLSX, :func:`jaring.families.deathlist.read`) and judge
    every row (:func:`jaring.families.deathlist.judge`): record the deaths that match one
    person by NIK, queue near matches (found by the registry's deduplication model,
    :mod:`jaring.families.queries.matching`, with its probability and reasons; never
    recorded without a supervisor) and contradictions for review, refuse the rest with
    their reason; every row is kept as typed. The same file read twice changes nothing. One
    transaction; needs ``person.write``; matches only people inside the actor's regions.
    Audited as ``death.import``."""
    actor.require("person.write")
    source = (source or "").strip()
    if not source:
        raise errors.DEATH_SOURCE_MISSING(field="source")
    today = today or dt.date.today()
    listed_on = listed_on or today
    read = deathlist.read(path, listed_on=listed_on)
    with engine.begin() as conn:
        if conn.execute(select(death_list.c.id).where(death_list.c.sha256 == read.sha256)).first():
            out = DeathListImported(list=None, file=read.name, source=source)
            audit.record(conn, actor, "death.import", "death_list", None, after=out)
            return out
        list_id = int(
            conn.execute(
                insert(death_list)
                .values(
                    source=source[:200],
                    file_name=read.name[:500],
                    sha256=read.sha256,
                    listed_on=listed_on,
                    imported_by=actor.username,
                    imported_at=_now(),
                    rows=read.rows.height,
                    recorded=0,
                    review=0,
                    refused=0,
                    unchanged=0,
                )
                .returning(death_list.c.id)
            ).scalar_one()
        )
        rows = read.rows.drop("cells").to_dicts()
        cells = read.rows["cells"].to_list()
        by_nik, near, dead = _lookups(conn, actor, rows, today)
        counts = {"recorded": 0, "review": 0, "refused": 0, "unchanged": 0}
        seen: dict[str, dt.date] = {}
        todo: list[NewDeath] = []
        values: list[dict[str, Any]] = []
        for at, (row, typed) in enumerate(zip(rows, cells, strict=True)):
            found = near.get(at)
            outcome, reason, person_id, score = deathlist.judge(
                row,
                today=today,
                people=by_nik.get(row["nik"] or "", []),
                near=None if found is None else {"id": found.person_id,
                                                 "probability": found.probability},
                dead=dead,
                seen=seen,
            )  # fmt: skip
            if row["nik_ok"] and row["death_date"] is not None and outcome != "refused":
                seen.setdefault(row["nik"], row["death_date"])
            values.append(
                {
                    "list_id": list_id,
                    "sheet": row["sheet"],
                    "row_number": int(row["row_number"]),
                    "cells": {str(k): v for k, v in typed.items()},
                    "nik": row["nik"] if row["nik_ok"] else None,
                    "name": (row["name"] or None) and str(row["name"])[:200],
                    "death_date": row["death_date"],
                    "place": (row["place"] or None) and str(row["place"])[:200],
                    "outcome": outcome,
                    "reason": reason,
                    "detail": None if row["nik_ok"] else row.get("nik_text"),
                    "person_id": person_id,
                    "match_score": score,
                    "match_explain": found.explain if reason == "near_match" and found else None,
                }
            )
            counts[outcome] += 1
            if outcome == "recorded" and person_id is not None:
                todo.append(
                    NewDeath(
                        person_id=person_id,
                        death_date=row["death_date"],
                        place=row["place"],
                        source=f"{source} ({read.name}, {row['row_number']})",
                        kind="list",
                        list_row_id=len(values) - 1,  # its index until the row is stored
                    )
                )
                dead[person_id] = row["death_date"]
        row_ids = [
            int(i)
            for i in conn.execute(
                insert(death_list_row).returning(death_list_row.c.id, sort_by_parameter_order=True),
                values,
            ).scalars()
        ]
        todo = [dataclasses.replace(t, list_row_id=row_ids[t.list_row_id or 0]) for t in todo]
        done = apply_deaths(conn, actor, todo)
        refund_amount = sum(d.refund_amount for d in done)
        if done:
            conn.execute(
                update(death_list_row)
                .where(death_list_row.c.id == bindparam("rid"))
                .values(death_id=bindparam("did")),
                [{"rid": t.list_row_id, "did": d.death} for t, d in zip(todo, done, strict=True)],
            )
        conn.execute(update(death_list).where(death_list.c.id == list_id).values(**counts))
        out = DeathListImported(
            list=list_id,
            file=read.name,
            source=source,
            rows=len(rows),
            refund_amount=refund_amount,
            lines_cancelled=sum(d.lines_cancelled for d in done),
            cancelled_amount=sum(d.cancelled_amount for d in done),
            **counts,
        )
        audit.record(conn, actor, "death.import", "death_list", list_id, after=out)
    return out


def _lookups(
    conn: Connection, actor: Actor, rows: list[dict[str, Any]], today: dt.date
) -> tuple[dict[str, list[dict[str, Any]]], dict[int, NearMatch], dict[int, dt.date]]:
    """For the rows of a list: people by NIK; the near match the registry's deduplication
    model proposes for each row (by position) whose NIK no one has
    (:func:`jaring.families.queries.matching.near_matches`: only rows that could be
    recorded are scored); and the deaths already recorded of all these people."""
    p = person.c
    scope = actor.region_clause(person)
    niks = sorted({r["nik"] for r in rows if r["nik_ok"]})
    by_nik: dict[str, list[dict[str, Any]]] = {}
    for chunk in _chunks(niks):
        q = select(p.id, p.nik, p.name_norm, p.birth_date).where(p.nik.in_(chunk))
        if scope is not None:
            q = q.where(scope)
        for r in conn.execute(q):
            by_nik.setdefault(r.nik, []).append({**r._mapping, "birth_date": to_date(r.birth_date)})
    lost = [
        i
        for i, r in enumerate(rows)
        if r["nik_ok"] and r["nik"] not in by_nik
        and r["death_date"] is not None and r["death_date"] <= today
    ]  # fmt: skip
    near: dict[int, NearMatch] = {}
    if lost:
        frame = pl.DataFrame(
            [{c: rows[i][c] for c in matching.ROW_COLUMNS} for i in lost],
            schema={"nik": pl.String, "name_norm": pl.String, "birth_date": pl.Date,
                    "sex": pl.String, "district_code": pl.String, "village_code": pl.String},
        )  # fmt: skip
        near = {lost[k]: m for k, m in matching.near_matches(conn, actor, frame).items()}
    ids = {int(x["id"]) for group in by_nik.values() for x in group}
    ids |= {m.person_id for m in near.values()}
    dead: dict[int, dt.date] = {}
    for chunk in _chunks(sorted(ids)):
        for d in conn.execute(
            select(death.c.person_id, death.c.death_date).where(
                death.c.person_id.in_(chunk), death.c.status == "recorded"
            )
        ):
            dead[int(d.person_id)] = to_date(d.death_date)
    return by_nik, near, dead


def decide_row(
    engine: Engine,
    actor: Actor,
    row_id: int,
    *,
    accept: bool,
    reason: str,
    person_id: int | None = None,
) -> RowDecided:
    """A supervisor decides a row of a death list that waits for review (``person.approve``,
    a written reason). Accepting records the death for the row's candidate (or
    ``person_id``); a person already recorded dead on another date has that death undone
    first (the list's date replaces it). Rejecting records nothing. Audited as
    ``death.review``."""
    actor.require("person.approve")
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_MISSING(field="reason")
    with engine.begin() as conn:
        r = conn.execute(
            select(death_list_row, death_list.c.source, death_list.c.file_name)
            .join(death_list, death_list.c.id == death_list_row.c.list_id)
            .where(death_list_row.c.id == row_id, death_list_row.c.outcome == "review")
            .with_for_update()
        ).first()
        if r is None:
            raise errors.DEATH_ROW_NOT_FOUND(row=row_id)
        death_id = None
        target = person_id if person_id is not None else r.person_id
        if accept:
            if target is None:
                raise errors.PERSON_REQUIRED(field="person_id", row=row_id)
            registry.require_person_in_scope(conn, actor, int(target))
            died = to_date(r.death_date)
            found = conn.execute(select(person.c.birth_date).where(person.c.id == target)).first()
            if found is None:
                raise registry_errors.PERSON_NOT_FOUND(person_id=target, field="person_id")
            born = found.birth_date
            if born is not None and died < to_date(born):
                raise errors.DEATH_BEFORE_BIRTH(
                    value=died.isoformat(), birth=to_date(born).isoformat()
                )
            earlier = _recorded_death(conn, int(target))
            if earlier is not None:
                _undo(
                    conn, actor, int(earlier.id), f"replaced by death list row {row_id}: {reason}"
                )
            done = apply_death(
                conn,
                actor,
                int(target),
                died,
                place=r.place,
                source=f"{r.source} ({r.file_name}, {r.row_number})",
                kind="list",
                list_row_id=row_id,
            )
            death_id = done.death
        outcome = "accepted" if accept else "rejected"
        conn.execute(
            update(death_list_row)
            .where(death_list_row.c.id == row_id)
            .values(
                outcome=outcome,
                person_id=target if accept else r.person_id,
                death_id=death_id,
                decided_by=actor.username,
                decided_at=_now(),
                detail=reason,
            )
        )
        out = RowDecided(row=row_id, outcome=outcome, death=death_id)
        audit.record(conn, actor, "death.review", "death_list_row", row_id,
                     after={**dataclasses.asdict(out), "reason": reason})  # fmt: skip
    return out


def undo_death(engine: Engine, actor: Actor, death_id: int, *, reason: str) -> DeathUndone:
    """Undo a recorded death (a wrong match): memberships get back their state and last
    month, coverage periods their days, refunds are cancelled; the death stays, marked
    ``undone`` with who, when and why. Needs ``person.approve`` and a written reason.
    Refused: ``reason_missing``, ``death_not_found``, ``death_undone``. Audited as
    ``death.undo``."""
    actor.require("person.approve")
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_MISSING(field="reason")
    with engine.begin() as conn:
        row = conn.execute(
            select(death.c.person_id, death.c.status).where(death.c.id == death_id)
        ).first()
        if row is None:
            raise errors.DEATH_NOT_FOUND(death=death_id)
        registry.require_person_in_scope(conn, actor, int(row.person_id))
        if row.status != "recorded":
            raise errors.DEATH_UNDONE(death=death_id)
        out = _undo(conn, actor, death_id, reason)
    return out


def _undo(conn: Connection, actor: Actor, death_id: int, reason: str) -> DeathUndone:
    d = conn.execute(select(death).where(death.c.id == death_id).with_for_update()).one()
    effects = conn.execute(select(death_effect).where(death_effect.c.death_id == death_id)).all()
    today = dt.date.today()
    restored = 0
    by_state: dict[str, list[int]] = {}
    for e in effects:
        conn.execute(
            update(membership)
            .where(membership.c.id == e.membership_id)
            .values(end_month=e.prior_end_month)
        )
        by_state.setdefault(e.prior_state, []).append(int(e.membership_id))
        for p in e.periods or []:
            cp = coverage_period.c
            values = {
                "end_date": dt.date.fromisoformat(p["end_date"]),
                "start_date": dt.date.fromisoformat(p["start_date"]),
            }
            hit = conn.execute(
                update(coverage_period).where(cp.id == p["id"]).values(**values)
            ).rowcount
            if not hit:
                conn.execute(
                    insert(coverage_period).values(
                        id=p["id"],
                        membership_id=e.membership_id,
                        person_id=p["person_id"],
                        program_id=p["program_id"],
                        segment=p["segment"],
                        **values,
                    )
                )
            restored += 1
    for state, ids in by_state.items():
        set_state(conn, pl.Series(ids, dtype=pl.Int64), state, today, "death_undone")
    cancelled = conn.execute(
        update(death_refund)
        .where(death_refund.c.death_id == death_id, death_refund.c.status == "due")
        .values(status="cancelled", cancelled_at=_now())
    ).rowcount
    lines = _restore_lines(conn, actor, death_id)
    conn.execute(
        update(death)
        .where(death.c.id == death_id)
        .values(status="undone", undone_by=actor.username, undone_at=_now(), undo_reason=reason)
    )
    out = DeathUndone(
        death=death_id,
        person_id=int(d.person_id),
        reason=reason,
        memberships=len(effects),
        periods_restored=restored,
        refunds_cancelled=int(cancelled or 0),
        lines_restored=len(lines),
        restored_amount=sum(k["cancelled"] for k in lines),
    )
    audit.record(conn, actor, "death.undo", "person", int(d.person_id), after=out)
    return out


def _restore_lines(conn: Connection, actor: Actor, death_id: int) -> list[dict[str, Any]]:
    """Ask again what recording the death cancelled: each line of ``death_line`` back as it
    was (a line that left its invoice is written again), the invoices raised by as much.
    Returns the lines restored."""
    dl = death_line.c
    lines = [
        {**r._mapping, "month": to_date(r.month)}
        for r in conn.execute(
            select(death_line).where(dl.death_id == death_id, dl.status == "cancelled")
        )
    ]
    if not lines:
        return []
    gone = [k for k in lines if k["paid"] == 0]
    part = [k for k in lines if k["paid"] > 0]
    if gone:
        conn.execute(
            insert(invoice_line),
            [{c: k[c] for c in ("invoice_id", "membership_id", "jkk", "jkm", "jht", "amount",
                                "paid")} for k in gone],
        )  # fmt: skip
    if part:
        line = invoice_line.c
        conn.execute(
            update(invoice_line)
            .where(line.invoice_id == bindparam("i"), line.membership_id == bindparam("m"))
            .values(amount=bindparam("a")),
            [{"i": k["invoice_id"], "m": k["membership_id"], "a": k["amount"]} for k in part],
        )
    _shift_invoices(conn, actor, lines, sign=1, action="invoice.death_restore")
    conn.execute(
        update(death_line)
        .where(dl.death_id == death_id, dl.status == "cancelled")
        .values(status="restored", restored_at=_now())
    )
    return lines


#: Reasons a death claim is rejected for that do not put the death itself in doubt (the
#: member died, but was not covered): such a death is recorded all the same, and shows in the
#: coverage-gap report.
UNDISPUTED_DEATH = ("not_covered", "lapsed", "min_contribution", "deadline_passed")


def record_claim_deaths(engine: Engine, actor: Actor) -> int:
    """Record the deaths that so far only a claim states (a JKM or JKK death claim not
    rejected, or rejected for a reason of :data:`UNDISPUTED_DEATH`, for a person with no
    recorded death): the date of death is the claim's event
    date, the source the claim. Billing and planning already leave these people out; this
    also ends their memberships and owes back the months paid after the death. Needs
    ``person.write``; audited as ``death.from_claims``. Returns how many were recorded."""
    actor.require("person.write")
    with engine.begin() as conn:
        recorded = select(death.c.person_id).where(death.c.status == "recorded")
        first = (
            select(claim.c.person_id, func.min(claim.c.id).label("claim_id"))
            .where(
                claim.c.benefit_key == "death",
                or_(
                    claim.c.status != "rejected",
                    claim.c.reject_reason.in_(UNDISPUTED_DEATH),
                ),
                claim.c.person_id.not_in(recorded),
            )
            .group_by(claim.c.person_id)
            .subquery()
        )
        rows = conn.execute(
            select(claim.c.id, claim.c.person_id, claim.c.event_date)
            .join(first, and_(first.c.claim_id == claim.c.id))
            .order_by(claim.c.id)
        ).all()
        apply_deaths(
            conn,
            actor,
            [
                NewDeath(int(r.person_id), to_date(r.event_date), None, f"claim {r.id}", "claim",
                         claim_id=int(r.id))
                for r in rows
            ],
        )  # fmt: skip
        audit.record(conn, actor, "death.from_claims", "death", None, after={"recorded": len(rows)})
    return len(rows)


def print_letter(
    engine: Engine,
    actor: Actor,
    death_id: int,
    *,
    today: dt.date | None = None,
    office: str | None = None,
    lang: str | None = None,
) -> bytes:
    """The letter to the family of an open task (:func:`jaring.families.letter.letter_pdf`):
    PDF bytes. Needs ``claim.read``; refused ``task_not_found`` when the death has no open
    task (no coverage on the day, a claim filed, undone, or outside the actor's regions).
    Audited as ``death.letter`` (it prints names of the family)."""
    found = tasks(engine, actor, today=today, death_id=death_id)
    if not found:
        raise errors.TASK_NOT_FOUND(death=death_id)
    pdf = letter_pdf(found[0], made_on=today, office=office, lang=lang)
    with engine.begin() as conn:
        audit.record(conn, actor, "death.letter", "death", death_id,
                     after={"bytes": len(pdf)})  # fmt: skip
    return pdf


def import_upload(
    engine: Engine,
    actor: Actor,
    name: str,
    content: bytes,
    *,
    source: str,
    listed_on: dt.date | None = None,
    today: dt.date | None = None,
) -> DeathListImported:
    """:func:`import_deaths` for an uploaded file (its name and bytes). Refused like a
    worker list's upload: ``file_missing``, ``bad_file_type`` (not CSV or XLSX),
    ``file_too_large``."""
    actor.require("person.write")
    if not content:
        raise registry_errors.FILE_MISSING(field="file")
    safe = Path(name or "kematian.csv").name
    if Path(safe).suffix.lower() not in SUFFIXES:
        raise BAD_FILE_TYPE(file=safe, allowed="CSV, XLSX", field="file")
    if len(content) > MAX_UPLOAD:
        raise registry_errors.FILE_TOO_LARGE(file=safe, field="file")
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / safe
        path.write_bytes(content)
        return import_deaths(engine, actor, path, source=source, listed_on=listed_on, today=today)
