"""Reads of the settings: the time zone of a region and of a user's regions; how long a
region keeps the KTP photos of field registration."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select

from jaring.access import Actor
from jaring.formatting import ZONES, zone_of_province
from jaring.registry.regions import name_of
from jaring.store.tables.registry import person
from jaring.store.tables.web import web_setting

PREFIX = "zone:"
TTL = 60.0  # seconds a zone is kept in memory (a change through the page clears it)
_cache: dict[tuple[int, str], tuple[float, str]] = {}
_lock = threading.Lock()


def forget() -> None:
    """Clear the kept zones (after a change)."""
    with _lock:
        _cache.clear()


@dataclasses.dataclass(frozen=True)
class RegionZone:
    """A region's time zone: the one set by an administrator, or its province's."""

    region: str
    name: str | None
    zone: str
    default: str  # the province's zone
    set_here: bool


def _stored(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(web_setting.c.key, web_setting.c.value).where(
                web_setting.c.key.startswith(PREFIX)
            )
        ).all()
    return {str(k)[len(PREFIX) :]: str(v) for k, v in rows}


def zone_of(engine: Engine, region: str, stored: dict[str, str] | None = None) -> str:
    """The zone of ``region`` (any level): the nearest setting up its codes (village,
    district, regency, province), else its province's zone."""
    stored = _stored(engine) if stored is None else stored
    parts = region.split(".")
    for n in range(len(parts), 0, -1):
        code = ".".join(parts[:n])
        if code in stored:
            return stored[code]
    return zone_of_province(parts[0])


def today_in(engine: Engine, region: str | None) -> dt.date:
    """Today's date in ``region``'s zone (:func:`zone_of`; WIB when the region is unknown):
    in Sorong (WIT) a new day starts at 15.00 UTC, not at midnight UTC."""
    label = zone_of(engine, region) if region else "WIB"
    return dt.datetime.now(ZoneInfo(ZONES.get(label, ZONES["WIB"]))).date()


def _home(engine: Engine) -> str:
    """The province most people of the store live in (the zone of a user of every region)."""
    with engine.connect() as conn:
        found = conn.execute(
            select(person.c.province_code)
            .where(person.c.province_code.is_not(None))
            .group_by(person.c.province_code)
            .order_by(func.count().desc())
            .limit(1)
        ).scalar()
    return str(found or "")


def zone_for(engine: Engine, regions: tuple[str, ...]) -> str:
    """The zone times are shown in for a user of ``regions`` (their first region's; for a
    user of every region, the zone of the province most people live in). Kept for
    :data:`TTL` seconds."""
    key = (id(engine), ",".join(regions))
    now = time.monotonic()
    hit = _cache.get(key)
    if hit and hit[0] > now:
        return hit[1]
    zone = zone_of(engine, regions[0] if regions else _home(engine) or "31")
    with _lock:
        _cache[key] = (now + TTL, zone)
    return zone


def region_zones(engine: Engine, actor: Actor, regions: list[str]) -> list[RegionZone]:
    """The zones of ``regions`` as the settings page lists them (``settings.manage``)."""
    actor.require("settings.manage")
    stored = _stored(engine)
    return [
        RegionZone(
            region=r,
            name=name_of(r),
            zone=zone_of(engine, r, stored),
            default=zone_of_province(r[:2]),
            set_here=r in stored,
        )
        for r in regions
    ]


def zones() -> tuple[str, ...]:
    """The zones a region may be set to."""
    return tuple(ZONES)


def known_regions(engine: Engine, actor: Actor) -> list[str]:
    """The provinces, regencies and districts people of the store live in, in code order
    (what the settings page offers)."""
    actor.require("settings.manage")
    with engine.connect() as conn:
        rows = conn.execute(
            select(person.c.province_code, person.c.regency_code, person.c.district_code)
            .distinct()
            .limit(5000)
        ).all()
    found = {c for r in rows for c in r if c}
    return sorted(found)


# --------------------------------------------------------------------------- photo retention

RETENTION_PREFIX = "photo_retention:"
#: Days a KTP photo of field registration is kept when no region up the line set otherwise.
#: 90 days covers a registration cycle with room to spare: the record syncs the same day, the
#: list's dedupe and review run within days, BPJS's answer comes within weeks; after that the
#: photo serves no purpose the registrant consented to (UU 27/2022: kept no longer than the
#: purpose needs).
DEFAULT_PHOTO_RETENTION_DAYS = 90
RETENTION_MIN_DAYS = 7  # the phone's queue and the review need a week at least
RETENTION_MAX_DAYS = 3650


@dataclasses.dataclass(frozen=True)
class RegionRetention:
    """How many days ``region`` keeps KTP photos: set here, inherited from an enclosing
    region (``from_region``), or the default (``from_region`` is ``None``)."""

    region: str
    name: str | None
    days: int
    set_here: bool
    from_region: str | None


def stored_retentions(engine: Engine) -> dict[str, int]:
    """Every retention an administrator set, by region code. No right: what it holds is no
    one's personal data, and the purge that enforces it runs as the system."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(web_setting.c.key, web_setting.c.value).where(
                web_setting.c.key.startswith(RETENTION_PREFIX)
            )
        ).all()
    return {str(k)[len(RETENTION_PREFIX) :]: int(v) for k, v in rows}


def retention_of(region: str, stored: dict[str, int]) -> tuple[int, str | None]:
    """The retention of ``region`` (any level, dotted code) and the region that set it: the
    nearest setting up its codes (village, district, regency, province), else the default
    with ``None``."""
    parts = region.split(".")
    for n in range(len(parts), 0, -1):
        code = ".".join(parts[:n])
        if code in stored:
            return stored[code], code
    return DEFAULT_PHOTO_RETENTION_DAYS, None


def region_retentions(engine: Engine, actor: Actor, regions: list[str]) -> list[RegionRetention]:
    """The photo retention of ``regions`` as the settings page lists them
    (``settings.manage``)."""
    actor.require("settings.manage")
    stored = stored_retentions(engine)
    out = []
    for r in regions:
        days, source = retention_of(r, stored)
        out.append(
            RegionRetention(
                region=r, name=name_of(r), days=days, set_here=r in stored, from_region=source
            )
        )
    return out
