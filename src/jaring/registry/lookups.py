"""How often a role that sees NIKs masked may look a person up by an exact NIK.

A masked role sees ``9671********0001`` and may still type a whole NIK to find a person:
that answers "is there someone with this number?", so a few hundred guesses (the hidden
digits are a birth date and a serial) would confirm a masked NIK. Each such role may make at
most :data:`LIMIT` exact-NIK look-ups in :data:`WINDOW` seconds; beyond that the look-up is
refused (``nik_lookups_limited``, HTTP 429 with ``Retry-After``) and the refusal audited
(``person.nik_limited``). Roles that see NIKs in clear are not counted: the check is one
attribute test on their path (the API's look-up by machine clients keeps its speed).

The count is kept in the store (``nik_lookup``: the user and the time of each look-up in the
window), so every worker of ``jaring serve --workers N`` and every CLI command share one count.
One short transaction per counted look-up: forget this user's look-ups older than the window,
count the rest, record this one unless the limit is reached (a refused look-up is not
counted). Two workers counting one user at the same instant may both take the last free
slot: the bound is ``LIMIT + workers - 1``.
"""

from __future__ import annotations

import math
import time

from sqlalchemy import Engine, delete, func, insert, select

from jaring import audit
from jaring.access import Actor
from jaring.registry import errors
from jaring.store.tables.web import nik_lookup

LIMIT = 30  # exact-NIK look-ups ...
WINDOW = 3600.0  # ... per this many seconds, per user of a masked role


class NikGuard:
    """A sliding window of look-up times per user, kept in the store."""

    def __init__(self, limit: int = LIMIT, window: float = WINDOW) -> None:
        self.limit = limit
        self.window = window

    def retry_after(self, engine: Engine, actor: Actor, now: float | None = None) -> int:
        """Seconds until ``actor`` may look a NIK up again (0: now), counting this look-up
        when it is allowed."""
        t = time.time() if now is None else now
        c = nik_lookup.c
        mine = c.username == actor.username
        with engine.begin() as conn:
            conn.execute(delete(nik_lookup).where(mine, c.at <= t - self.window))
            count, oldest = conn.execute(select(func.count(), func.min(c.at)).where(mine)).one()
            if count < self.limit:
                conn.execute(insert(nik_lookup).values(username=actor.username, at=t))
        if count >= self.limit:
            return max(1, math.ceil(oldest + self.window - t))
        return 0


GUARD = NikGuard()


def check_nik_lookup(engine: Engine, actor: Actor) -> None:
    """Count an exact-NIK look-up by ``actor``; refuse ``nik_lookups_limited`` (with
    ``retry_after`` seconds) past the limit, audited. Roles seeing NIKs in clear pass
    uncounted."""
    if not actor.masked:
        return
    wait = GUARD.retry_after(engine, actor)
    if wait:
        audit.record_read(
            engine, actor, "person.nik_limited", "person", None, {"retry_after": wait}
        )
        raise errors.NIK_LOOKUPS_LIMITED(
            limit=GUARD.limit, minutes=round(GUARD.window / 60), retry_after=wait
        )
