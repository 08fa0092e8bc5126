"""Today in a region's zone: the day a claim's file is complete without documents."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from jaring.access import Actor
from jaring.settings import actions
from jaring.settings.queries import forget, today_in


def _admin() -> Actor:
    return Actor.system()


def test_today_follows_the_region_zone(engine: Engine) -> None:
    # Kota Sorong (96.71) is in WIT by its province; Jakarta (31.71) in WIB.
    assert today_in(engine, "96.71") == dt.datetime.now(ZoneInfo("Asia/Jayapura")).date()
    assert today_in(engine, "31.71") == dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()
    assert today_in(engine, None) == dt.datetime.now(ZoneInfo("Asia/Jakarta")).date()


def test_today_follows_a_zone_set_by_an_administrator(engine: Engine) -> None:
    actions.set_zone(engine, _admin(), "96.71", "WITA")
    forget()
    assert today_in(engine, "96.71.01") == dt.datetime.now(ZoneInfo("Asia/Makassar")).date()
