"""The store's own mark: a random id made once per store, kept in ``web_setting``.

Person ids are numbers of one store. A national deduplication's results name people by
those numbers, so each result carries the mark of the store whose snapshot it was made
from, and a store takes only results bearing its own mark (:mod:`jaring.national.actions`).
A backup restored elsewhere keeps its mark: it holds the same people.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from jaring.store.tables.web import web_setting

KEY = "store:id"


def store_id(conn: Connection) -> str:
    """This store's mark (32 hex digits), made and kept on first use. ``conn`` must be in a
    transaction that commits (``engine.begin()``) for a new mark to stay; two processes
    making it at once agree on the one stored first."""
    got = _stored(conn)
    if got:
        return got
    try:
        with conn.begin_nested():
            conn.execute(insert(web_setting).values(key=KEY, value=uuid.uuid4().hex))
    except IntegrityError:
        pass  # another process stored one meanwhile: take it
    return _stored(conn) or ""


def _stored(conn: Connection) -> str | None:
    value = conn.execute(select(web_setting.c.value).where(web_setting.c.key == KEY))
    got = value.scalar_one_or_none()
    return str(got) if got else None
