"""KTP photos of field records: kept encrypted in the attachment store, once per record,
and erased past the retention the Pemda set."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from sqlalchemy import Engine, select, update

from jaring import audit
from jaring.access import Actor
from jaring.attachments import actions as attachments
from jaring.field import errors, rules
from jaring.settings import queries as settings
from jaring.store import dialect
from jaring.store.tables.attachments import attachment
from jaring.store.tables.field import field_record

log = logging.getLogger("jaring.field")

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
    purge_expired_quietly(engine)  # the retention, enforced as photos arrive
    return PhotoStored(client_id, kept.id, kept.size, repeated=False)


@dataclasses.dataclass(frozen=True)
class PhotosExpired:
    """What a purge by the regions' retention erased: how many photos, and the retention
    (days) applied to each region that had some erased."""

    erased: int
    retention: dict[str, int]


def purge_expired_photos(
    engine: Engine, actor: Actor, now: dt.datetime | None = None
) -> PhotosExpired:
    """Erase the bytes of every KTP photo older than the retention of its region (the
    setting of the region or the nearest enclosing one, else the default:
    :mod:`jaring.settings.queries`); the records and who registered them stay. One
    transaction; audited as ``attachment.purge`` per retention applied, only when something
    was erased. Needs ``settings.manage`` (the server runs it as the system: at start, every
    few hours, and after each sync and photo upload)."""
    actor.require("settings.manage")
    stored = settings.stored_retentions(engine)
    now = now or audit.now()
    shortest = min([settings.DEFAULT_PHOTO_RETENTION_DAYS, *stored.values()])
    a = attachment.c
    erased = 0
    applied: dict[str, int] = {}
    with engine.begin() as conn:
        regions = conn.execute(
            select(a.region)
            .where(
                a.purpose == PHOTO_PURPOSE,
                a.deleted_at.is_(None),
                a.created_at < now - dt.timedelta(days=shortest),
            )
            .distinct()
        ).scalars()
        by_days: dict[int, list[str | None]] = {}
        for region in regions:
            days = (
                settings.retention_of(region, stored)[0]
                if region
                else settings.DEFAULT_PHOTO_RETENTION_DAYS
            )
            by_days.setdefault(days, []).append(region)
        for days, group in sorted(by_days.items()):
            n = attachments.purge_rows(
                conn,
                actor,
                PHOTO_PURPOSE,
                now - dt.timedelta(days=days),
                group,
                retention_days=days,
                region_codes=sorted(r or "-" for r in group),
            )
            erased += n
            if n:
                applied.update({r or "-": days for r in group})
    return PhotosExpired(erased=erased, retention=applied)


def purge_expired_quietly(engine: Engine) -> int:
    """:func:`purge_expired_photos` as the system, for the server's own schedule and after a
    sync or an upload: a failure is logged (its type only) and never fails the caller, whose
    work is already committed; the next run erases what this one could not."""
    try:
        return purge_expired_photos(engine, Actor.system()).erased
    except Exception as e:  # the caller's answer matters more; logged without its message
        log.warning("purging expired KTP photos failed: %s", type(e).__name__)
        return 0


def purge_photos(engine: Engine, actor: Actor, before: dt.date) -> int:
    """Erase the bytes of every KTP photo added before ``before`` (the retention the Pemda
    set; ``settings.manage``): the records and who registered them stay. Returns how many."""
    start = dt.datetime.combine(before, dt.time())
    return attachments.purge(engine, actor, PHOTO_PURPOSE, start)
