"""Everything that changes the attachment store: :func:`put`, :func:`delete`, :func:`purge`.

:func:`put` runs inside the owning domain's action, on its Connection, after that action has
checked the actor's right to add the file: the file and the record naming it land together
or not at all. :func:`delete` and :func:`purge` are user actions of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, and_, insert, or_, select, update
from sqlalchemy import delete as sql_delete

from jaring import audit
from jaring.access import Actor
from jaring.attachments import errors, keys, rules
from jaring.attachments.queries import _load, may_read
from jaring.attachments.rules import Attachment
from jaring.errors import FORBIDDEN, OUT_OF_REGION
from jaring.store.tables.attachments import attachment, attachment_blob

# The right that deletes a file, by the domain that owns its purpose; besides it, the one who
# added the file may delete it, and so may an administrator of settings.
DELETE_RIGHTS = {
    "award": "award.manage",
    "registry": "person.approve",
    "field": "person.approve",
    "claims": "claim.write",
    "programs": "program.write",
}
READ_RIGHTS = {
    "award": "award.read",
    "registry": "person.read",
    "field": "person.read",
    "claims": "claim.read",
    "programs": "program.read",
}


def put(
    conn: Connection,
    actor: Actor,
    data: bytes,
    *,
    filename: str | None,
    purpose: str,
    region: str | None = None,
    read_right: str | None = None,
    personal: bool = False,
    encrypt: bool = False,
    kinds: tuple[str, ...] = ("pdf", "jpeg", "png"),
    max_bytes: int = rules.DEFAULT_MAX_BYTES,
) -> Attachment:
    """Store ``data`` for ``purpose`` (``<domain>.<what>``, e.g. ``award.evidence``) on the
    caller's transaction and return its record.

    Refuses an empty file, one over ``max_bytes``, and one whose content is none of
    ``kinds`` (``pdf``, ``jpeg``, ``png``), whatever its name says; a ``region`` outside the
    actor's regions. ``read_right`` defaults to the owning domain's read right; ``personal``
    files are refused to roles that see personal data masked; ``encrypt`` keeps the bytes
    under AES-256-GCM with the key of :mod:`.keys` (created on first use when none is set).
    """
    shown = rules.clean_filename(filename, "application/pdf").rsplit(".", 1)[0]
    if not data:
        raise errors.EMPTY(filename=shown)
    if len(data) > max_bytes:
        raise errors.TOO_LARGE(filename=shown, size=len(data), maximum=max_bytes)
    media_type = rules.sniff(data)
    accepted = {rules.KINDS[k] for k in kinds}
    if media_type not in accepted:
        raise errors.BAD_TYPE(filename=shown, accepted=", ".join(k.upper() for k in kinds))
    if region is not None and not actor.covers_region(region):
        raise OUT_OF_REGION()
    domain = purpose.split(".", 1)[0]
    right = read_right or READ_RIGHTS.get(domain, "settings.manage")
    sha256 = rules.digest(data)
    key_id = None
    stored = data
    if encrypt:
        key = keys.load(create=True)
        if key is None:
            raise errors.KEY_MISSING()
        key_id = rules.key_id(key)
        stored = rules.encrypt(key, data, sha256)
    record = {
        "sha256": sha256,
        "media_type": media_type,
        "size": len(data),
        "filename": rules.clean_filename(filename, media_type),
        "purpose": purpose,
        "region": region,
        "read_right": right,
        "personal": personal,
        "encrypted": encrypt,
        "key_id": key_id,
        "created_at": audit.now(),
        "created_by": actor.username,
    }
    new_id = conn.execute(
        insert(attachment).values(**record).returning(attachment.c.id)
    ).scalar_one()
    conn.execute(insert(attachment_blob).values(attachment_id=new_id, data=stored))
    audit.record(
        conn,
        actor,
        "attachment.put",
        "attachment",
        new_id,
        after={k: record[k] for k in ("purpose", "media_type", "size", "region", "encrypted")},
    )
    return _load(conn, new_id)


def delete(engine: Engine, actor: Actor, attachment_id: int, reason: str) -> Attachment:
    """Erase a file's bytes, keeping its record, who deleted it and why (audited).

    Allowed to the one who added it, to holders of the owning domain's delete right who may
    read it, and to administrators of settings. Deleting a deleted file changes nothing.
    """
    reason = (reason or "").strip()
    if not reason:
        raise errors.BAD_REASON(field="reason")
    with engine.begin() as conn:
        found = _load(conn, attachment_id, lock=True)
        if found.deleted_at is not None:
            return found
        domain_right = DELETE_RIGHTS.get(found.purpose.split(".", 1)[0], "settings.manage")
        allowed = (
            found.created_by == actor.username
            or actor.can("settings.manage")
            or (actor.can(domain_right) and may_read(actor, found))
        )
        if not allowed:
            raise FORBIDDEN(right=domain_right)
        conn.execute(sql_delete(attachment_blob).where(attachment_blob.c.attachment_id == found.id))
        conn.execute(
            update(attachment)
            .where(attachment.c.id == found.id)
            .values(deleted_at=audit.now(), deleted_by=actor.username)
        )
        audit.record(
            conn,
            actor,
            "attachment.delete",
            "attachment",
            found.id,
            before={"purpose": found.purpose, "size": found.size},
            after={"reason": reason},
        )
        return _load(conn, found.id)


def purge(engine: Engine, actor: Actor, purpose: str, created_before: dt.datetime) -> int:
    """Erase the bytes of every file of ``purpose`` added before ``created_before`` (the
    retention a Pemda sets, e.g. for KTP photos); returns how many. ``settings.manage``."""
    actor.require("settings.manage")
    with engine.begin() as conn:
        return purge_rows(conn, actor, purpose, created_before)


def purge_rows(
    conn: Connection,
    actor: Actor,
    purpose: str,
    created_before: dt.datetime,
    regions: Sequence[str | None] | None = None,
    **why: Any,
) -> int:
    """:func:`purge` inside the caller's transaction, limited to files of ``regions`` when
    given (``None`` in it: files of no region); ``why`` goes into the audit event
    (``attachment.purge``, written only when something was erased). ``settings.manage``."""
    actor.require("settings.manage")
    where = [
        attachment.c.purpose == purpose,
        attachment.c.created_at < created_before,
        attachment.c.deleted_at.is_(None),
    ]
    if regions is not None:
        named = [r for r in regions if r is not None]
        where.append(
            or_(attachment.c.region.in_(named), attachment.c.region.is_(None))
            if None in regions
            else attachment.c.region.in_(named)
        )
    ids = [r.id for r in conn.execute(select(attachment.c.id).where(and_(*where)))]
    if not ids:
        return 0
    conn.execute(sql_delete(attachment_blob).where(attachment_blob.c.attachment_id.in_(ids)))
    conn.execute(
        update(attachment)
        .where(attachment.c.id.in_(ids))
        .values(deleted_at=audit.now(), deleted_by=actor.username)
    )
    audit.record(
        conn,
        actor,
        "attachment.purge",
        "attachment",
        None,
        after={"purpose": purpose, "before": created_before, "count": len(ids), **why},
    )
    return len(ids)
