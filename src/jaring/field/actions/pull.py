"""Submissions from ODK Collect and KoboToolbox: pulled from ODK Central, or read from
their exports, and synced as field records (by ``instanceID``: each stored once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Engine

from jaring.access import Actor
from jaring.field import errors, odk, rules, xlsform
from jaring.field.actions.sync import Answer, Synced, counts, sync
from jaring.field.rules import Record


def sync_many(engine: Engine, actor: Actor, records: Sequence[Record], *, origin: str) -> Synced:
    """:func:`sync` of any number of records (an export, a pull), :data:`rules.MAX_RECORDS`
    per transaction; the answers together."""
    if not records:
        raise errors.NO_RECORDS(field="records")
    answers: list[Answer] = []
    for start in range(0, len(records), rules.MAX_RECORDS):
        part = sync(engine, actor, records[start : start + rules.MAX_RECORDS], origin=origin)
        answers.extend(part.answers)
    return Synced(answers=answers, **counts(answers))


def pull(
    engine: Engine,
    actor: Actor,
    central: odk.Central,
    region: str,
    *,
    since: dt.date | None = None,
) -> Synced:
    """Fetch the submissions of an ODK Central form (received after ``since``) and store
    them as field records (``field.register``): a submission pulled or imported before is
    answered again, not stored again."""
    actor.require("field.register")
    region = xlsform.check_region(region)
    start = dt.datetime.combine(since, dt.time()) if since else None
    rows = odk.fetch(central, since=start)
    records = odk.records_of(rows, region)
    if not records:
        return Synced(answers=[], accepted=0, needs_fix=0, duplicates=0, repeated=0)
    return sync_many(engine, actor, records, origin="odk")
