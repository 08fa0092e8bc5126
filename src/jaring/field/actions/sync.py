"""A phone's records synced (or ODK submissions pulled), each answered at once, and the
accepted ones entered into the registry as source rows of the registrar's batch of the day.

**Once and only once.** Every record carries the id the phone made for it (``client_id``;
ODK's ``instanceID`` for ODK submissions). A sync is one transaction whose first statement
locks ``field_record`` against other writers, so two syncs of the same records (a retry while
the first is still running) run one after the other: the second finds the records stored
and answers what the first answered. A sync cut off halfway left nothing (the transaction
rolled back) or everything (it committed; the phone's retry gets the same answers).

**Checked as a list's row is.** The records of one day become the rows of a list
(:data:`jaring.field.rules.HEADERS`) and go through :func:`jaring.registry.intake.
validate_long` and the registry's own store (:func:`jaring.registry.actions.imports.write`):
the same codes, the same chunks, the same deduplication with the next batch. The distrik and
kelurahan are the codes the registrar chose from the region's lists, not names to resolve.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, insert, or_, select, update

from jaring import audit, i18n
from jaring.access import Actor
from jaring.field import errors, rows, rules
from jaring.field.actions import photos
from jaring.field.rules import Record
from jaring.registry import issues as registry_issues
from jaring.registry.actions import imports
from jaring.registry.queries import rows as source_rows
from jaring.store import dialect
from jaring.store.tables.field import field_record
from jaring.store.tables.registry import person


@dataclasses.dataclass
class Issue:
    """One thing found in a record: ``severity`` ``error`` (fix it) or ``warning``."""

    field: str
    code: str
    severity: str
    value: str | None
    detail: str | None
    message: str


@dataclasses.dataclass
class Answer:
    """The server's answer to one record: ``status`` (``accepted``, ``needs_fix``,
    ``duplicate_here``: the same NIK is registered in this region, ``duplicate_elsewhere``:
    in another region, nothing more said), its issues and a sentence for the phone.
    ``repeated``: the record was answered before (a sync sent again)."""

    client_id: str
    status: str
    message: str
    issues: list[Issue]
    repeated: bool = False
    same_as: str | None = None  # the registrar's own earlier record with this NIK


@dataclasses.dataclass
class Synced:
    """A sync's answers, one per record sent, in the order sent, and their counts."""

    answers: list[Answer]
    accepted: int
    needs_fix: int
    duplicates: int
    repeated: int


def sync(
    engine: Engine,
    actor: Actor,
    records: Sequence[Record],
    *,
    origin: str = "pwa",
    today: dt.date | None = None,
) -> Synced:
    """Store and answer the ``records`` a registrar sends (``field.register``); audited as
    ``field.sync``. A record already answered is answered the same again (nothing stored
    twice); a record that needed a fix is checked again as sent now."""
    actor.require("field.register")
    if not records:
        raise errors.NO_RECORDS(field="records")
    if len(records) > rules.MAX_RECORDS:
        raise errors.TOO_MANY_RECORDS(field="records", limit=rules.MAX_RECORDS, count=len(records))
    received = audit.now()
    lang = i18n.lang()
    with engine.begin() as conn:
        dialect.lock_table(conn, field_record)
        answers = _sync(conn, actor, list(records), origin, received, today, lang)
        tally = counts(answers)
        audit.record(
            conn,
            actor,
            "field.sync",
            "field_record",
            None,
            after={
                **tally,
                "origin": origin,
                "client_ids": [a.client_id for a in answers if not a.repeated],
            },
        )
    photos.purge_expired_quietly(engine)  # the photo retention, enforced at each sync
    return Synced(answers=answers, **tally)


def counts(answers: list[Answer]) -> dict[str, int]:
    fresh = [a for a in answers if not a.repeated]
    return {
        "accepted": sum(a.status == rules.ACCEPTED for a in fresh),
        "needs_fix": sum(a.status == rules.NEEDS_FIX for a in fresh),
        "duplicates": sum(
            a.status in (rules.DUPLICATE_HERE, rules.DUPLICATE_ELSEWHERE) for a in fresh
        ),
        "repeated": len(answers) - len(fresh),
    }


def _sync(
    conn: Connection,
    actor: Actor,
    records: list[Record],
    origin: str,
    received: dt.datetime,
    today: dt.date | None,
    lang: str,
) -> list[Answer]:
    c = field_record.c
    ids = [r.client_id for r in records]
    instances = [r.instance_id for r in records if r.instance_id]
    conds = [c.client_id.in_(ids)]
    if instances:
        conds.append(c.instance_id.in_(instances))
    known = {
        row.client_id: row
        for row in conn.execute(
            select(c.id, c.client_id, c.instance_id, c.registrar, c.status, c.issues, c.nik).where(
                or_(*conds)
            )
        )
    }
    by_instance = {row.instance_id: row for row in known.values() if row.instance_id}
    answers: dict[int, Answer] = {}
    fresh: list[tuple[int, Record, int | None]] = []
    seen: set[str] = set()
    for k, r in enumerate(records):
        row = known.get(r.client_id) or (by_instance.get(r.instance_id) if r.instance_id else None)
        if row is not None and row.registrar != actor.username:
            issue = _issue("client_id", "record_id_taken", None, None, lang)
            answers[k] = Answer(
                r.client_id, rules.NEEDS_FIX, _summary(rules.NEEDS_FIX, lang), [issue]
            )
        elif row is not None and row.status != rules.NEEDS_FIX:
            answers[k] = _stored_answer(conn, r.client_id, row, lang)
        elif r.client_id in seen:  # sent twice in one sync: answered as the first
            continue
        else:
            seen.add(r.client_id)
            fresh.append((k, r, row.id if row is not None else None))
    if fresh:
        answers.update(_check_and_store(conn, actor, fresh, origin, received, today, lang))
    first_of = {r.client_id: k for k, r in reversed(list(enumerate(records)))}
    for k, r in enumerate(records):
        if k not in answers:
            answers[k] = dataclasses.replace(answers[first_of[r.client_id]], repeated=True)
    return [answers[k] for k in range(len(records))]


def _stored_answer(conn: Connection, client_id: str, row: Any, lang: str) -> Answer:
    issues = [
        _issue(i["field"], i["code"], i.get("value"), i.get("detail"), lang)
        for i in json.loads(row.issues)
    ]
    same_as = None
    if row.status == rules.DUPLICATE_HERE:  # the few duplicates only: one query each
        same_as = _own_same_nik(conn, row.registrar, row.nik, client_id, before_id=row.id)
    return Answer(
        client_id, row.status, _summary(row.status, lang), issues, repeated=True, same_as=same_as
    )


def _own_same_nik(
    conn: Connection, registrar: str, nik: str | None, client_id: str, before_id: int | None
) -> str | None:
    if not nik:
        return None
    c = field_record.c
    q = select(c.client_id).where(
        c.registrar == registrar,
        c.nik == nik,
        c.client_id != client_id,
        c.status != rules.NEEDS_FIX,
    )
    if before_id is not None:
        q = q.where(c.id < before_id)
    return conn.execute(q.order_by(c.id).limit(1)).scalar()


def _issue(field: str, code: str, value: str | None, detail: str | None, lang: str) -> Issue:
    if code in errors.SEVERITY:
        message = errors.ISSUES.entries[code].wording(
            lang, {"value": value or "", "detail": detail or ""}
        )
    else:
        message = registry_issues.message(code, lang, value, detail)
    return Issue(field, code, rules.severity(code), value, detail, message)


_SUMMARY = {
    rules.ACCEPTED: i18n.N_("Accepted."),
    rules.NEEDS_FIX: i18n.N_("Needs a fix: correct the record and send it again."),
    rules.DUPLICATE_HERE: i18n.N_("This NIK is already registered in this region."),
    rules.DUPLICATE_ELSEWHERE: i18n.N_(
        "This NIK is already registered in another region; the person is kept once."
    ),
}


def _summary(status: str, lang: str) -> str:
    return i18n.gettext_in(_SUMMARY[status], lang)


def _check_and_store(
    conn: Connection,
    actor: Actor,
    fresh: list[tuple[int, Record, int | None]],
    origin: str,
    received: dt.datetime,
    today: dt.date | None,
    lang: str,
) -> dict[int, Answer]:
    on = today or received.date()
    region = _regency_of(actor)
    records = [r for _, r, _ in fresh]
    checked = rows.validated(records, actor.username, on, region)
    issues = rows.issues_of(records, actor.regions, checked[1])
    niks = [n if isinstance(n, str) else None for n in checked[0].get_column("nik").to_list()]
    found = _niks_known(conn, actor, [n for n in niks if n])
    out: dict[int, Answer] = {}
    keep: list[tuple[int, Record, int | None, str, list[dict[str, Any]]]] = []
    taken: dict[str, str] = {}  # NIK -> the client id that took it in this sync
    for (k, r, row_id), found_issues, nik in zip(fresh, issues, niks, strict=True):
        duplicate, same_as = None, None
        if nik:
            if nik in taken:
                duplicate, same_as = rules.DUPLICATE_HERE, taken[nik]
            elif nik in found:
                duplicate, same_as = found[nik]
        status = rules.status_of(found_issues, duplicate)
        if status != rules.NEEDS_FIX and nik and nik not in taken:
            taken[nik] = r.client_id
        out[k] = Answer(
            r.client_id,
            status,
            _summary(status, lang),
            [_issue(i["field"], i["code"], i["value"], i["detail"], lang) for i in found_issues],
            same_as=same_as,
        )
        keep.append((k, r, row_id, status, found_issues))
    _store(conn, actor, keep, niks, origin, received, checked)
    return out


def check(actor: Actor, records: Sequence[Record], today: dt.date) -> list[list[Issue]]:
    """The issues each record would get from a sync by ``actor`` on ``today``, storing
    nothing and without the look-up of NIKs already registered (what the phone checks
    offline; the tests hold the two equal)."""
    records = list(records)
    if not records:
        return []
    checked = rows.validated(records, actor.username, today, _regency_of(actor))
    lang = i18n.lang()
    return [
        [_issue(i["field"], i["code"], i["value"], i["detail"], lang) for i in found]
        for found in rows.issues_of(records, actor.regions, checked[1])
    ]


def _regency_of(actor: Actor) -> str | None:
    return actor.regions[0][:5] if actor.regions else None


def _niks_known(
    conn: Connection, actor: Actor, niks: list[str]
) -> dict[str, tuple[str, str | None]]:
    """NIK -> (``duplicate_here`` or ``duplicate_elsewhere``, the client id of the
    registrar's own record with it, else ``None``) for the NIKs already registered: people
    in the registry, and field records not yet linked to people."""
    if not niks:
        return {}
    found: dict[str, tuple[str, str | None]] = {}
    p = person.c
    for row in conn.execute(
        select(p.nik, p.province_code, p.regency_code, p.district_code, p.village_code).where(
            p.nik.in_(niks)
        )
    ):
        here = actor.sees_region(dict(row._mapping))
        status = rules.DUPLICATE_HERE if here else rules.DUPLICATE_ELSEWHERE
        if found.get(row.nik, (None,))[0] != rules.DUPLICATE_HERE:
            found[row.nik] = (status, None)
    c = field_record.c
    for rec in conn.execute(
        select(
            c.nik,
            c.client_id,
            c.registrar,
            c.province_code,
            c.regency_code,
            c.district_code,
            c.village_code,
        )
        .where(c.nik.in_(niks), c.status != rules.NEEDS_FIX)
        .order_by(c.id)
    ):
        here = actor.sees_region(dict(rec._mapping))
        own = rec.client_id if rec.registrar == actor.username else None
        if here:
            if found.get(rec.nik, (None, None))[1] is None:
                found[rec.nik] = (rules.DUPLICATE_HERE, own)
        elif rec.nik not in found:
            found[rec.nik] = (rules.DUPLICATE_ELSEWHERE, None)
    return found


def _store(
    conn: Connection,
    actor: Actor,
    keep: list[tuple[int, Record, int | None, str, list[dict[str, Any]]]],
    niks: list[str | None],
    origin: str,
    received: dt.datetime,
    checked: rows.Checked,
) -> None:
    """Write the field records and enter the ones not needing a fix into the registry: one
    write per day into the registrar's batch of that day."""
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    placed: dict[int, tuple[int | None, int | None]] = {}
    times = [rules.registered_at(r, received) for _, r, _, _, _ in keep]
    for j, (_, _, _, status, _) in enumerate(keep):
        if status != rules.NEEDS_FIX:
            by_day[times[j][1]].append(j)
    for day, js in sorted(by_day.items()):
        batch = _batch_of(conn, actor.username, day)
        picked, issues, info = rows.subset(checked, js, [keep[j][1] for j in js])
        first = source_rows.next_row_id(conn)
        staged = imports.Staged(
            source=f"Lapangan {actor.username} {day.isoformat()}",
            listed_on=day,
            files=[info],
            files_skipped=0,
            parts=checked[2],
            rows=picked,
            issues=issues,
        )
        stored = imports.write(conn, actor, staged, batch=batch)
        for n, j in enumerate(js):
            placed[j] = (stored.batch, first + n)
    for j, (_, r, row_id, status, found_issues) in enumerate(keep):
        at, day = times[j]
        batch_id, source_row = placed.get(j, (None, None))
        district = r.district_code or None
        village = r.village_code or None
        values = {
            "client_id": r.client_id,
            "instance_id": r.instance_id or None,
            "origin": origin,
            "registrar": actor.username,
            "registrar_id": actor.user_id,
            "device": (r.device or "")[:200] or None,
            "day": day,
            "registered_at": at,
            "updated_at": received,
            "province_code": district[:2] if district else None,
            "regency_code": district[:5] if district else None,
            "district_code": district[:8] if district else None,
            "village_code": village if village and len(village) == 13 else None,
            "market": (r.market or "").strip()[:200] or None,
            "status": status,
            "nik": niks[j] if status != rules.NEEDS_FIX else None,
            "payload": json.dumps(r.payload(), ensure_ascii=False, default=str),
            "issues": json.dumps(found_issues, ensure_ascii=False, default=str),
            "consent_name": (r.consent_name or "").strip()[:200] or None,
            "consent_at": at if r.consent else None,
            "batch_id": batch_id,
            "row_id": source_row,
        }
        if row_id is None:
            conn.execute(insert(field_record).values(received_at=received, **values))
        else:
            conn.execute(update(field_record).where(field_record.c.id == row_id).values(**values))


def _batch_of(conn: Connection, registrar: str, day: dt.date) -> int | None:
    """The registry batch of ``registrar``'s records of ``day`` (``None``: not yet made)."""
    c = field_record.c
    return conn.execute(
        select(c.batch_id)
        .where(c.registrar == registrar, c.day == day, c.batch_id.is_not(None))
        .limit(1)
    ).scalar()
