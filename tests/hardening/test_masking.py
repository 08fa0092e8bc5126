"""The rebuild attack on masked NIKs: a masked-data role rebuilds the hidden digits (distrik
and birth date) from what it sees beside the masked NIK. At most 1% may come out right."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl
from sqlalchemy import Engine

from jaring.access import Actor
from jaring.claims import actions as claims
from jaring.store.bulk import insert_frame

DISTRICTS = ["96.71.01", "96.71.02", "96.71.03", "96.71.04", "96.71.05"]
N = 400


def nik_of(district: str, born: dt.date, sex: str, serial: int) -> str:
    day = born.day + (40 if sex == "P" else 0)
    return f"{district.replace('.', '')}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def seed(engine: Engine) -> dict[int, str]:
    rnd = random.Random(16)
    rows = []
    for i in range(N):
        district = rnd.choice(DISTRICTS)
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rnd.randrange(40 * 365))
        sex = rnd.choice("LP")
        rows.append(
            {
                "id": 1000 + i,
                "nik": nik_of(district, born, sex, rnd.randrange(1, 60)),
                "name": f"Warga Uji {i:03d}",
                "name_norm": f"warga uji {i:03d}",
                "birth_date": born,
                "sex": sex,
                "province_code": "96",
                "regency_code": "96.71",
                "district_code": district,
                "registered_on": dt.date(2024, 1, 2),
            }
        )
    with engine.begin() as conn:
        insert_frame(conn, "person", pl.DataFrame(rows))
    return {r["id"]: r["nik"] for r in rows}


def rebuild(seen: dict) -> str | None:  # type: ignore[type-arg]
    """The attacker's best guess of the clear NIK from one person as seen: the masked NIK's
    ends, the distrik, sex and the birth date (when only the year is shown: the first day of
    the year, as good as any other of the 365)."""
    masked, district, sex = seen["nik"], seen["district_code"], seen["sex"]
    if not masked or not district or not sex:
        return None
    if seen.get("birth_date"):
        born = dt.date.fromisoformat(seen["birth_date"])
    elif seen.get("birth_year"):
        born = dt.date(int(seen["birth_year"]), 1, 1)
    else:
        return None
    return nik_of(district, born, sex, int(masked[-4:]))


def test_masked_niks_cannot_be_rebuilt(api, web_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    truth = seed(web_engine)
    viewer = api("viewer")
    seen: list[dict] = []  # type: ignore[type-arg]
    for offset in (0, 200):
        r = viewer.get("/api/v1/people", params={"q": "warga uji", "limit": 200, "offset": offset})
        assert r.status_code == 200, r.text
        seen += r.json()["people"]
    some = [viewer.get(f"/api/v1/people/{p['id']}").json() for p in seen[:20]]
    assert len(seen) == N
    for p in seen + some:
        assert p["nik"] != truth[p["id"]] and "*" in p["nik"]
    rebuilt = sum(rebuild(p) == truth[p["id"]] for p in seen + some)
    assert rebuilt <= 0.01 * len(seen + some), f"{rebuilt} of {len(seen + some)} rebuilt"
    # the clear-data roles still see the date (they need it to confirm a person)
    admin = api("admin").get(f"/api/v1/people/{seen[0]['id']}").json()
    assert admin["nik"] == truth[seen[0]["id"]] and admin["birth_date"]


def test_heirs_of_a_claim_are_masked(api, web_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    heir_nik = "9671024303950007"
    filed = claims.file_claim(
        web_engine,
        Actor.system(),
        claim_type="jkm",
        nik="9671011203850001",
        event_date=dt.date(2024, 6, 1),
        reporter="Keluarga",
        heirs=[
            {
                "relation": "spouse",
                "name": "Maria Kambuaya",
                "nik": heir_nik,
                "birth_date": dt.date(1995, 3, 3),
                "recipient": True,
            }
        ],
    )
    number = filed.claim
    r = api("viewer").get(f"/api/v1/claims/{number}")
    assert r.status_code == 200, r.text
    assert heir_nik not in r.text and "1995-03-03" not in r.text
    heir = r.json()["heirs"][0]
    assert heir["birth_year"] == 1995 and heir["birth_date"] is None
    assert heir_nik in api("admin").get(f"/api/v1/claims/{number}").text
