"""How often a role that sees NIKs masked may look a person up by an exact NIK.

A masked role sees ``9671********0001`` and may still type a whole NIK to find a person:
that answers "is there someone with this number?", so a few hundred guesses (the hidden
digits are a birth date and a serial) would confirm a masked NIK. Each such role may make at
most :data:`LIMIT` exact-NIK look-ups in :data:`WINDOW` seconds; beyond that the look-up is
refused (``nik_lookups_limited``, HTTP 429 with ``Retry-After``) and the refusal audited
(``person.nik_limited``). Roles that see NIKs in clear are not counted: the check is one
attribute test on their path (the API's look-up by machine clients keeps its speed).

The count is kept in the serving process (a sliding window per user and store), which is
what ``jaring serve`` runs; each CLI command is a process of its own and starts afresh.
"""

from __future__ import annotations

import collections
import math
import threading
import time

from sqlalchemy import Engine

from jaring import audit
from jaring.access import Actor
from jaring.registry import errors

LIMIT = 30  # exact-NIK look-ups ...
WINDOW = 3600.0  # ... per this many seconds, per user of a masked role


class NikGuard:
    """A sliding window of look-up times per (store, user)."""

    def __init__(self, limit: int = LIMIT, window: float = WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[tuple[int, str], collections.deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, engine: Engine, actor: Actor, now: float | None = None) -> int:
        """Seconds until ``actor`` may look a NIK up again (0: now), counting this look-up
        when it is allowed."""
        now = time.monotonic() if now is None else now
        key = (id(engine), actor.username)
        with self._lock:
            seen = self._seen.setdefault(key, collections.deque())
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                return max(1, math.ceil(seen[0] + self.window - now))
            seen.append(now)
            return 0

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()


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
