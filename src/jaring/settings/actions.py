"""Changing the settings: a region's time zone, how long it keeps KTP photos."""

from __future__ import annotations

from sqlalchemy import Engine, delete, insert, select

from jaring import audit
from jaring.access import Actor
from jaring.errors import OUT_OF_REGION
from jaring.formatting import ZONES
from jaring.registry.regions import name_of
from jaring.settings import errors, queries
from jaring.store.tables.web import web_setting


def set_zone(engine: Engine, actor: Actor, region: str, zone: str) -> queries.RegionZone:
    """Show the times of ``region`` (a province, regency, district or village code) in
    ``zone`` (``WIB``, ``WITA``, ``WIT``), also its parts that have no setting of their own.
    Needs ``settings.manage``; audited as ``settings.zone`` with before and after. Refuses
    ``zone_unknown`` and ``setting_region_unknown``."""
    actor.require("settings.manage")
    region = region.strip()
    if zone not in ZONES:
        raise errors.ZONE_UNKNOWN(field="zone", value=zone, choices=", ".join(ZONES))
    if not name_of(region):
        raise errors.REGION_UNKNOWN(field="region", value=region)
    key = queries.PREFIX + region
    with engine.begin() as conn:
        before = conn.execute(select(web_setting.c.value).where(web_setting.c.key == key)).scalar()
        conn.execute(delete(web_setting).where(web_setting.c.key == key))
        conn.execute(insert(web_setting).values(key=key, value=zone))
        audit.record(
            conn,
            actor,
            "settings.zone",
            "region",
            region,
            before={"zone": before},
            after={"zone": zone},
        )
    queries.forget()
    return queries.region_zones(engine, actor, [region])[0]


def set_photo_retention(
    engine: Engine, actor: Actor, region: str, days: int | str | None
) -> queries.RegionRetention:
    """Keep the KTP photos of field registration in ``region`` (and its parts that have no
    setting of their own) for ``days`` days after they reach the server; older ones are
    erased automatically (:func:`jaring.field.actions.purge_expired_photos`). ``None`` or an
    empty value removes the region's own setting (it inherits again). Needs
    ``settings.manage`` and the region inside the actor's regions; audited as
    ``settings.photo_retention`` with before and after. Refuses ``retention_bad``,
    ``setting_region_unknown``, ``out_of_region``."""
    actor.require("settings.manage")
    region = region.strip()
    if not name_of(region):
        raise errors.REGION_UNKNOWN(field="region", value=region[:20])
    if not actor.covers_region(region):
        raise OUT_OF_REGION()
    raw = "" if days is None else str(days).strip()
    value: int | None = None
    if raw:
        if not raw.isdigit() or not (
            queries.RETENTION_MIN_DAYS <= int(raw) <= queries.RETENTION_MAX_DAYS
        ):
            raise errors.RETENTION_BAD(
                field="days",
                value=raw[:12],
                min=queries.RETENTION_MIN_DAYS,
                max=queries.RETENTION_MAX_DAYS,
            )
        value = int(raw)
    key = queries.RETENTION_PREFIX + region
    with engine.begin() as conn:
        before = conn.execute(select(web_setting.c.value).where(web_setting.c.key == key)).scalar()
        conn.execute(delete(web_setting).where(web_setting.c.key == key))
        if value is not None:
            conn.execute(insert(web_setting).values(key=key, value=str(value)))
        audit.record(
            conn,
            actor,
            "settings.photo_retention",
            "region",
            region,
            before={"days": None if before is None else int(before)},
            after={"days": value},
        )
    return queries.region_retentions(engine, actor, [region])[0]
