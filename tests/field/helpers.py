"""Field records for the tests: synthetic people (real region codes, made-up NIK serials and
names) as a registrar at Pasar Remu would enter them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from jaring.access import Actor
from jaring.field.rules import Record

REGISTRAR = Actor(username="reg1", role="registrar", regions=("96.71",))
OTHER_REGISTRAR = Actor(username="reg2", role="registrar", regions=("96.71",))
JAYAPURA_REGISTRAR = Actor(username="reg9", role="registrar", regions=("91.71",))
SUPERVISOR = Actor(username="sup1", role="supervisor", regions=("96.71",))
TODAY = dt.date(2026, 12, 5)
AT = "2026-12-05T09:15:00+09:00"


def nik(serial: int, day: int = 12, month: int = 3, year: int = 85, female: bool = False) -> str:
    """A NIK of Distrik Sorong (96.71.01) with the birth date and serial given."""
    return f"967101{day + (40 if female else 0):02d}{month:02d}{year:02d}{serial:04d}"


def record(serial: int, **changes: Any) -> Record:
    """A complete, valid record of a trader at Pasar Remu (Distrik Sorong, Remu Utara)."""
    base: dict[str, Any] = {
        "client_id": str(uuid.uuid4()),
        "nik": nik(serial),
        "name": f"Mama Pedagang {serial}",
        "birth_date": "1985-03-12",
        "sex": "L",
        "address": "Jl. Pasar Remu",
        "district_code": "96.71.01",
        "village_code": "96.71.01.1001",
        "phone": "0812345600" + f"{serial:02d}"[-2:],
        "occupation": "pedagang pasar",
        "market": "Pasar Remu",
        "income": "1.500.000",
        "consent": True,
        "consent_name": f"Mama Pedagang {serial}",
        "registered_at": AT,
        "device": "test-phone",
    }
    base.update(changes)
    return Record(**base)
