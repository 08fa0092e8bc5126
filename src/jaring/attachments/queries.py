"""Reads of the attachment store: a file's record (:func:`get`), its bytes (:func:`read`,
audited) and the files of a purpose (:func:`list_for`). Who may read a file is
:func:`may_read`."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, select

from jaring import audit
from jaring.access import Actor
from jaring.attachments import errors, keys, rules
from jaring.attachments.rules import Attachment
from jaring.errors import FORBIDDEN, OUT_OF_REGION, JaringError
from jaring.store.tables.attachments import attachment, attachment_blob

_FIELDS = [f for f in Attachment.__dataclass_fields__]


def _load(conn: Connection, attachment_id: int, lock: bool = False) -> Attachment:
    stmt = select(*(attachment.c[f] for f in _FIELDS)).where(attachment.c.id == attachment_id)
    if lock:
        stmt = stmt.with_for_update()
    row = conn.execute(stmt).mappings().first()
    if row is None:
        raise errors.NOT_FOUND(attachment_id=attachment_id)
    return Attachment(**row)


def refusal(actor: Actor, found: Attachment) -> JaringError | None:
    """Why ``actor`` may not read the file, or ``None`` when they may: the file's read right
    (``forbidden``), its region inside the actor's (``out_of_region``), clear personal data for
    a personal file and, for a registrar, only their own files (``forbidden``)."""
    if not actor.can(found.read_right):
        return FORBIDDEN(right=found.read_right)
    if found.region is not None and not actor.covers_region(found.region):
        return OUT_OF_REGION()
    if (found.personal and actor.masked) or (
        actor.own_records_only and found.created_by != actor.username
    ):
        return FORBIDDEN(right=found.read_right)
    return None


def may_read(actor: Actor, found: Attachment) -> bool:
    """Whether ``actor`` may read the file (:func:`refusal` finds no reason against it)."""
    return refusal(actor, found) is None


def _check(actor: Actor, found: Attachment) -> None:
    refused = refusal(actor, found)
    if refused is not None:
        raise refused


def get(engine: Engine, actor: Actor, attachment_id: int) -> Attachment:
    """The record of a file the actor may read (not found, forbidden or out of region
    otherwise)."""
    with engine.connect() as conn:
        found = _load(conn, attachment_id)
    _check(actor, found)
    return found


def read(engine: Engine, actor: Actor, attachment_id: int) -> tuple[Attachment, bytes]:
    """A file's record and bytes, decrypted; the read is audited (``attachment.read``).
    A deleted file is ``attachment_deleted``; an encrypted one without its key is
    ``attachment_key_missing`` or ``attachment_key_wrong`` (HTTP 503)."""
    with engine.begin() as conn:
        found = _load(conn, attachment_id)
        _check(actor, found)
        if found.deleted_at is not None:
            raise errors.DELETED(attachment_id=found.id, deleted_on=found.deleted_at.date())
        data = conn.execute(
            select(attachment_blob.c.data).where(attachment_blob.c.attachment_id == found.id)
        ).scalar_one()
        if found.encrypted:
            key = keys.load()
            if key is None:
                raise errors.KEY_MISSING()
            plain = rules.decrypt(key, bytes(data), found.sha256)
            if plain is None:
                raise errors.KEY_WRONG(attachment_id=found.id)
            data = plain
        audit.record(conn, actor, "attachment.read", "attachment", found.id)
    return found, bytes(data)


def list_for(
    engine: Engine, actor: Actor, purpose: str, ids: list[int] | None = None
) -> list[Attachment]:
    """The files of ``purpose`` the actor may read (all, or those of ``ids``), newest first,
    deleted ones included (their record says when and by whom)."""
    stmt = select(*(attachment.c[f] for f in _FIELDS)).where(attachment.c.purpose == purpose)
    if ids is not None:
        stmt = stmt.where(attachment.c.id.in_(ids))
    with engine.connect() as conn:
        rows = conn.execute(stmt.order_by(attachment.c.id.desc())).mappings().all()
    return [a for a in (Attachment(**r) for r in rows) if may_read(actor, a)]
