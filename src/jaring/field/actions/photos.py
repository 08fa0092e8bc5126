"""KTP photos of field records: kept encrypted in the attachment store, once per record,
and erased past the retention the Pemda set."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import Engine, select, update

from jaring import audit
from jaring.access import Actor
from jaring.attachments import actions as attachments
from jaring.field import errors, rules
from jaring.store import dialect
from jaring.store.tables.field import field_record

#: The largest KTP photo the phone sends (it compresses to this; the server refuses more).
PHOTO_MAX = 500 * 1024
#: The attachment store's purpose of KTP photos (its retention is set per purpose).
PHOTO_PURPOSE = "field.ktp"


@dataclasses.dataclass
class PhotoStored:
    """A KTP photo kept for a record: its attachment (encrypted at rest), and ``repeated``
    when the record had it already (the phone sent it again)."""

    client_id: str
    attachment: int
    size: int
    repeated: bool


def store_photo(engine: Engine, actor: Actor, client_id: str, data: bytes) -> PhotoStored:
    """Keep the KTP photo of one of the actor's records that the server confirmed
    (``field.register``), encrypted at rest in the attachment store, readable by the roles
    that may see the registry's personal data in that region; audited as ``field.photo``.
    A record has one photo: sending it again changes nothing."""
    actor.require("field.register")
    if len(data) > PHOTO_MAX:
        raise errors.PHOTO_TOO_LARGE(field="file", size=len(data), limit=PHOTO_MAX)
    c = field_record.c
    with engine.begin() as conn:
        dialect.lock_table(conn, field_record)
        row = conn.execute(
            select(c.id, c.district_code, c.photo_id).where(
                c.client_id == client_id,
                c.registrar == actor.username,
                c.status != rules.NEEDS_FIX,
            )
        ).first()
        if row is None:
            raise errors.RECORD_NOT_FOUND(field="client_id", record=client_id)
        if row.photo_id is not None:
            return PhotoStored(client_id, int(row.photo_id), len(data), repeated=True)
        kept = attachments.put(
            conn,
            actor,
            data,
            filename="ktp.jpg",
            purpose=PHOTO_PURPOSE,
            region=row.district_code,
            personal=True,
            encrypt=True,
            kinds=("jpeg", "png"),
            max_bytes=PHOTO_MAX,
        )
        conn.execute(update(field_record).where(c.id == row.id).values(photo_id=kept.id))
        audit.record(
            conn,
            actor,
            "field.photo",
            "field_record",
            row.id,
            after={"attachment": kept.id, "size": kept.size},
        )
    return PhotoStored(client_id, kept.id, kept.size, repeated=False)


def purge_photos(engine: Engine, actor: Actor, before: dt.date) -> int:
    """Erase the bytes of every KTP photo added before ``before`` (the retention the Pemda
    set; ``settings.manage``): the records and who registered them stay. Returns how many."""
    start = dt.datetime.combine(before, dt.time())
    return attachments.purge(engine, actor, PHOTO_PURPOSE, start)
