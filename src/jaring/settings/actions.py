"""Changing the settings: a region's time zone."""

from __future__ import annotations

from sqlalchemy import Engine, delete, insert, select

from jaring import audit
from jaring.access import Actor
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
