"""One worker at a time: registered with a form, contact details edited.

A worker registered with the form is a list of one: the row enters as a source row of the
operator's list of the day (source ``Formulir <user> <date>``), is checked by the same rules
as any imported row and linked to a person by the same deduplication, so a form and a list
never disagree. Contact fields (phone, address, occupation) change at once on the person,
checked by the same rules, with the before and after in the audit trail. Identity fields go
through a change request (:mod:`jaring.registry.actions.changes`).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, select, update

from jaring import audit, i18n
from jaring.access import Actor
from jaring.registry import errors, intake
from jaring.registry import issues as issue_words
from jaring.registry.actions.imports import import_uploads
from jaring.registry.columns import FIELDS
from jaring.registry.normalise import parse_date
from jaring.registry.queries import batches
from jaring.registry.queries import rows as source_rows
from jaring.registry.queries.people import _visible, require_clear_data
from jaring.store.tables.registry import person, registry_link

#: The form's fields as the list headers an import maps (``registry.columns.SYNONYMS``).
HEADERS = {
    "name": "Nama",
    "nik": "NIK",
    "birth_date": "Tanggal Lahir",
    "birth_place": "Tempat Lahir",
    "sex": "Jenis Kelamin",
    "address": "Alamat",
    "village": "Kelurahan",
    "district": "Distrik",
    "phone": "No HP",
    "occupation": "Pekerjaan",
    "income": "Penghasilan",
}

#: Fields that change at once; the others (identity) need a supervisor's approval.
CONTACT_FIELDS = ("phone", "address", "occupation")
#: Fields changed only by an approved change request.
IDENTITY_FIELDS = ("nik", "name", "birth_date", "sex")
#: Warnings of a list's row that refuse one worker typed in a form: a list fills a birth
#: date it cannot read from the NIK, a person typing one date is told it is impossible.
FORM_ERRORS = frozenset({"birth_date_invalid_nik_used"})


@dataclasses.dataclass
class Registered:
    """A worker registered with the form: the list (batch) and source row they entered as,
    its status, its issues (field and sentence) and, when accepted, the person they are now
    (a new person, or one already in the registry the row was linked to)."""

    batch: int | None
    row: int | None
    status: str
    issues: list[dict[str, str]]
    person_id: int | None = None


def source_of_day(actor: Actor, on: dt.date) -> str:
    """The source name of an operator's form registrations of one day."""
    return f"Formulir {actor.username} {on.isoformat()}"


def register_worker(
    engine: Engine, actor: Actor, values: dict[str, str], *, on: dt.date | None = None
) -> Registered:
    """Register one worker from a form: ``values`` (field -> text as typed, the fields of
    :data:`HEADERS`) become one row of the actor's list of the day, imported, checked and
    linked like any list row (:func:`jaring.registry.actions.imports.import_uploads`).
    A rejected row waits on the list's page to be fixed, like any other. Needs
    ``person.write``; refuses ``field_unknown`` and ``worker_already_registered`` (the same
    form sent twice the same day)."""
    actor.require("person.write")
    require_clear_data(actor)
    unknown = sorted(set(values) - set(HEADERS))
    if unknown:
        raise errors.FIELD_UNKNOWN(
            fields=unknown, unknown=", ".join(unknown), choices=", ".join(HEADERS)
        )
    _refuse_unreadable_date(values.get("birth_date"))
    on = on or dt.date.today()
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADERS.values())
    w.writerow([(values.get(k) or "").strip() for k in HEADERS])
    stamp = dt.datetime.now(dt.UTC).strftime("%H%M%S%f")
    name = f"formulir-{actor.username}-{on.isoformat()}-{stamp}.csv"
    out = import_uploads(
        engine, actor, [(name, buf.getvalue().encode())], source_of_day(actor, on), listed_on=on
    )
    if out.batch is None or out.rows == 0:
        raise errors.WORKER_ALREADY_REGISTERED(field="nik")
    rows = batches.rows_with_issues(engine, actor, out.batch)
    issues = [
        {"field": i.field, "severity": i.severity, "message": i.message}
        for r in rows
        for i in r.issues
    ]
    row_id = rows[0].row_id if rows else None
    status = "accepted" if out.accepted else "rejected"
    person_id = None
    if status == "accepted":
        person_id = _person_of_batch(engine, out.batch)
    return Registered(
        batch=out.batch, row=row_id, status=status, issues=issues, person_id=person_id
    )


def _refuse_unreadable_date(typed: str | None) -> None:
    """Refuse (``person_value_invalid``, field ``birth_date``) a birth date typed in a form
    that cannot be read or is impossible (31 February): the import would take the NIK's date
    instead, which suits a list but not a person typing one worker."""
    value = (typed or "").strip()
    if not value:
        return
    parsed = pl.select(parse_date(pl.lit(value, dtype=pl.String))).item()
    if parsed is None:
        refuse_issues([{"field": "birth_date", "code": "birth_date_invalid", "value": value}])


def _person_of_batch(engine: Engine, batch_id: int) -> int | None:
    with engine.connect() as conn:
        found = source_rows.read(conn, batches=[batch_id], columns=("status",))
        if found.height == 0:
            return None
        row_id = int(found.item(0, "id"))
        return conn.execute(
            select(registry_link.c.person_id).where(registry_link.c.row_id == row_id)
        ).scalar()


def checked_values(
    conn: Connection, current: dict[str, Any], changes: dict[str, str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The person's values with ``changes`` typed over them, checked by the import's rules
    (:func:`jaring.registry.intake.validate_rows`): the clean values and the errors found in
    the changed fields."""
    typed: dict[str, str | None] = {f: None for f in FIELDS}
    for k in FIELDS:
        v = current.get(k)
        if isinstance(v, dt.date):
            v = v.isoformat()
        typed[k] = None if v is None else str(v)
    typed["district"] = current.get("district_code")
    typed["village"] = current.get("village_code")
    typed.update({k: v for k, v in changes.items()})
    frame = pl.DataFrame(
        [{**typed, "row_number": 1, "nik_numeric": False}],
        schema={
            **{f: pl.String for f in FIELDS},
            "row_number": pl.Int32,
            "nik_numeric": pl.Boolean,
        },
    )
    region = (current.get("regency_code") or None) if current else None
    rec = intake.validate_rows(frame, listed_on=dt.date.today(), region=region).row(0, named=True)
    bad = [
        i
        for i in rec["issues"]
        if (i.get("severity") == "error" or i.get("code") in FORM_ERRORS)
        and (i.get("field") in changes or not changes)
    ]
    return rec, bad


def refuse_issues(bad: list[dict[str, Any]]) -> None:
    """Refuse with the first error found (its sentence, naming the field)."""
    if bad:
        first = bad[0]
        raise errors.PERSON_VALUE_INVALID(
            field=first.get("field") or "",
            problem=issue_words.message(
                first.get("code") or "", i18n.lang(), first.get("value"), first.get("detail")
            ),
        )


_PERSON_COLUMNS = (
    person.c.id,
    person.c.nik,
    person.c.name,
    person.c.birth_date,
    person.c.sex,
    person.c.province_code,
    person.c.regency_code,
    person.c.district_code,
    person.c.village_code,
    person.c.address,
    person.c.phone,
    person.c.occupation,
    person.c.desil,
)


def person_values(
    conn: Connection, actor: Actor, person_id: int, *, lock: bool = False
) -> dict[str, Any]:
    """The person's stored values, after checking they exist and lie in the actor's regions."""
    q = select(*_PERSON_COLUMNS).where(person.c.id == person_id)
    if lock:
        q = q.with_for_update()
    row = conn.execute(q).first()
    return dict(_visible(actor, person_id, row))


@dataclasses.dataclass
class ContactEdited:
    """A person's contact details changed: which fields, before and after."""

    person_id: int
    fields: list[str]
    before: dict[str, Any]
    after: dict[str, Any]


def edit_contact(
    engine: Engine, actor: Actor, person_id: int, values: dict[str, str]
) -> ContactEdited:
    """Change a person's contact fields (:data:`CONTACT_FIELDS`) at once, checked by the
    import's rules (a phone becomes ``+62...``); identity fields are refused here
    (``identity_needs_request``: they change through a change request). Needs
    ``person.write`` and the person in the actor's regions; audited as ``person.edit``
    with before and after."""
    actor.require("person.write")
    require_clear_data(actor)
    identity = sorted(set(values) & set(IDENTITY_FIELDS))
    if identity:
        raise errors.IDENTITY_NEEDS_REQUEST(field=identity[0])
    unknown = sorted(set(values) - set(CONTACT_FIELDS))
    if unknown:
        raise errors.FIELD_UNKNOWN(
            fields=unknown, unknown=", ".join(unknown), choices=", ".join(CONTACT_FIELDS)
        )
    with engine.begin() as conn:
        now = person_values(conn, actor, person_id, lock=True)
        rec, bad = checked_values(conn, now, {k: v.strip() for k, v in values.items()})
        refuse_issues(bad)
        new = {k: (rec[k] if (values[k] or "").strip() else None) for k in values}
        changed = {k: v for k, v in new.items() if v != now.get(k)}
        before = {k: now.get(k) for k in changed}
        if changed:
            conn.execute(update(person).where(person.c.id == person_id).values(**changed))
            audit.record(
                conn, actor, "person.edit", "person", person_id, before=before, after=changed
            )
    return ContactEdited(person_id=person_id, fields=sorted(changed), before=before, after=changed)
