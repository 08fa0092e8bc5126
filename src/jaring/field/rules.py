"""Field registration rules (pure): what a record holds, the region lists a phone carries,
the checks a record gets beyond a list row's, how records become a list's rows, and the
answer a record gets.

A record is what a registrar types on the phone for one worker: NIK, name, birth date, sex,
address, distrik and kelurahan (codes chosen from the region's lists), phone, occupation,
market or base, income, and the consent (purpose read, box ticked, name of who agreed). On
the server a record is checked as a row of a list is (:func:`jaring.registry.intake.
validate_long`, the same codes) plus :func:`field_issues`; the phone runs the same checks
offline (``web/static/field/checks.js``), and one file of NIK cases
(``field/data/nik_cases.json``) holds the two equal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from functools import cache
from importlib import resources
from typing import Any

import polars as pl

from jaring.field.errors import SEVERITY as FIELD_SEVERITY
from jaring.registry import nik as nik_rules
from jaring.registry.errors import SEVERITY as REGISTRY_SEVERITY
from jaring.registry.regions import district_lookup, regions

#: Records one sync may carry: a day's work of one registrar, answered in one transaction.
MAX_RECORDS = 500

#: The purpose read to the worker before they agree (UU 27/2022 art. 20-22), versioned: a
#: record keeps the version it was given under.
CONSENT_VERSION = "2026-12"

#: A record's status on the server.
ACCEPTED = "accepted"
NEEDS_FIX = "needs_fix"
DUPLICATE_HERE = "duplicate_here"
DUPLICATE_ELSEWHERE = "duplicate_elsewhere"
STATUSES = (ACCEPTED, NEEDS_FIX, DUPLICATE_HERE, DUPLICATE_ELSEWHERE)

#: The list's columns a record becomes (headers the registry maps, then provenance).
HEADERS = (
    "NIK",
    "Nama",
    "Tanggal Lahir",
    "Jenis Kelamin",
    "Alamat",
    "Kelurahan",
    "Distrik",
    "No HP",
    "Pekerjaan",
    "Penghasilan",
    "Pasar atau Pangkalan",
    "ID Rekaman",
    "Petugas",
    "Perangkat",
    "Waktu Pendaftaran",
    "Persetujuan Oleh",
)


@dataclasses.dataclass
class Record:
    """One record as the phone (or an ODK submission) sends it; text as typed."""

    client_id: str
    nik: str = ""
    name: str = ""
    birth_date: str = ""  # YYYY-MM-DD
    sex: str = ""  # L | P
    address: str = ""
    district_code: str = ""
    village_code: str = ""
    phone: str = ""
    occupation: str = ""
    market: str = ""
    income: str = ""
    consent: bool = False
    consent_name: str = ""
    consent_version: str = CONSENT_VERSION
    registered_at: str = ""  # ISO 8601 on the phone's clock, with its offset
    device: str = ""
    instance_id: str | None = None  # ODK's meta/instanceID

    def payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def of(cls, data: dict[str, Any]) -> Record:
        names = {f.name for f in dataclasses.fields(cls)}
        clean: dict[str, Any] = {}
        for k, v in data.items():
            if k not in names:
                continue
            if k == "consent":  # a box ticked: true, or what a form export writes for it
                clean[k] = v is True or str(v).strip().lower() in ("true", "1", "ya", "yes")
            elif k == "instance_id":
                clean[k] = str(v) if v else None
            else:
                clean[k] = "" if v is None else str(v)
        return cls(**clean)


def severity(code: str) -> str:
    """``error`` or ``warning``, for the registry's codes and the field form's own."""
    return FIELD_SEVERITY.get(code) or REGISTRY_SEVERITY.get(code, "error")


def registered_at(record: Record, received: dt.datetime) -> tuple[dt.datetime, dt.date]:
    """When the record was made (UTC, naive) and the registrar's day (the date on the phone's
    clock): the phone's own time when it is readable and not in the future, else when the
    server received it."""
    try:
        at = dt.datetime.fromisoformat(record.registered_at.replace("Z", "+00:00"))
    except ValueError:
        return received, received.date()
    day = at.date()
    utc = at.astimezone(dt.UTC).replace(tzinfo=None) if at.tzinfo else at
    if utc > received + dt.timedelta(minutes=10):
        return received, received.date()
    return utc.replace(microsecond=0), day


# --------------------------------------------------------------------------- region lists


@dataclasses.dataclass
class Place:
    code: str
    name: str


@dataclasses.dataclass
class District:
    code: str
    name: str
    villages: list[Place]


@dataclasses.dataclass
class RegionLists:
    """What the phone carries: the distrik and kelurahan of the registrar's regions, and
    every NIK district prefix Jaring knows (for the NIK's region check)."""

    regions: list[Place]
    districts: list[District]
    nik_prefixes: str  # six-digit prefixes of current districts, concatenated, sorted
    nik_old: dict[str, str]  # old prefix (before the 2022 Papua split) -> current district
    # issue code -> its sentence in the reader's language, slots {value} and {detail} open
    messages: dict[str, str] = dataclasses.field(default_factory=dict)


def region_lists(codes: tuple[str, ...]) -> RegionLists:
    """The lists for the regions ``codes`` (regency, district or village codes)."""
    r = regions()
    names = dict(r.select("kode", "nama").iter_rows())
    districts: dict[str, District] = {}
    for code in codes:
        level = code.count(".") + 1
        if level <= 2:
            rows = r.filter((pl.col("level") == 3) & pl.col("kode").str.starts_with(code + "."))
            for d in rows.get_column("kode").to_list():
                districts.setdefault(d, District(d, names[d], []))
        else:
            d = code[:8]
            if d in names:
                districts.setdefault(d, District(d, names[d], []))
    villages = r.filter(pl.col("level") == 4).filter(pl.col("parent").is_in(list(districts)))
    for v_code, v_name, parent in villages.select("kode", "nama", "parent").iter_rows():
        if in_regions(v_code, codes):  # a registrar of named villages sees only those
            districts[parent].villages.append(Place(v_code, v_name))
    for d in districts.values():
        d.villages.sort(key=lambda p: p.name)
    return RegionLists(
        regions=[Place(c, names.get(c, c)) for c in codes],
        districts=sorted(districts.values(), key=lambda d: d.name),
        nik_prefixes=nik_prefixes(),
        nik_old=nik_old(),
    )


@cache
def _lookup() -> dict[str, str]:
    rows = district_lookup().select("prefix", "district_code").iter_rows()
    return {p: d for p, d in rows if len(p) == 6 and p.isdigit()}


@cache
def nik_prefixes() -> str:
    """Every NIK prefix of a current district, six digits each, concatenated (compact for the
    phone: about 44 KB before compression)."""
    return "".join(sorted(p for p, d in _lookup().items() if d.replace(".", "") == p))


@cache
def nik_old() -> dict[str, str]:
    """NIK prefixes Jaring knows that are not a current district's: old code -> current."""
    return {p: d for p, d in sorted(_lookup().items()) if d.replace(".", "") != p}


@cache
def _place_names() -> dict[str, tuple[str, str | None]]:
    r = regions().filter(pl.col("level").is_in([3, 4]))
    return {k: (n, p) for k, n, p in r.select("kode", "nama", "parent").iter_rows()}


def place_name(code: str) -> str | None:
    found = _place_names().get(code)
    return found[0] if found else None


def in_regions(code: str, codes: tuple[str, ...]) -> bool:
    """Whether the district or village ``code`` lies inside ``codes`` (empty: everywhere)."""
    if not codes:
        return True
    return any(code == c or code.startswith(c + ".") or c.startswith(code + ".") for c in codes)


def field_issues(record: Record, codes: tuple[str, ...]) -> list[dict[str, str | None]]:
    """The field form's own checks of one record (beyond a list row's), as issues."""
    out: list[dict[str, str | None]] = []

    def add(field: str, code: str, value: str | None = None, detail: str | None = None) -> None:
        out.append(
            {
                "field": field,
                "code": code,
                "severity": severity(code),
                "value": value,
                "detail": detail,
            }
        )

    if not record.nik.strip():
        add("nik", "nik_required")
    district = record.district_code.strip()
    village = record.village_code.strip()
    places = _place_names()
    if not district:
        add("district", "district_required")
    elif district not in places or not in_regions(district, codes):
        add("district", "district_not_in_region", district)
    elif village:
        found = places.get(village)
        if found is None or found[1] != district or not in_regions(village, codes):
            add("village", "village_not_in_district", village, district)
    if not record.consent or not record.consent_name.strip():
        add("consent", "consent_missing")
    return out


def frame_of(records: list[Record]) -> pl.DataFrame:
    """Records as a list's rows: one String column per :data:`HEADERS`, names of places
    (as a list would carry them)."""
    rows = []
    for r in records:
        rows.append(
            [
                r.nik,
                r.name,
                r.birth_date,
                r.sex,
                r.address,
                place_name(r.village_code) or r.village_code,
                place_name(r.district_code) or r.district_code,
                r.phone,
                r.occupation,
                r.income,
                r.market,
                r.client_id,
                "",  # registrar: filled by the caller
                r.device,
                r.registered_at,
                r.consent_name,
            ]
        )
    return pl.DataFrame(rows, schema=list(HEADERS), orient="row", infer_schema_length=None)


def status_of(issues: list[dict[str, Any]], duplicate: str | None) -> str:
    """A record's answer: needs a fix when any issue is an error, else what the NIK look-up
    found (``duplicate``), else accepted."""
    if any(i["severity"] == "error" for i in issues):
        return NEEDS_FIX
    return duplicate or ACCEPTED


# --------------------------------------------------------------------------- the NIK cases


@dataclasses.dataclass
class NikVerdict:
    """What the NIK rules say of one NIK (and the birth date and sex typed beside it)."""

    error: str | None
    codes: list[str]
    birth_date: str | None
    sex: str | None
    district_code: str | None


def check_nik(
    nik: str, *, birth_date: str | None = None, sex: str | None = None, today: dt.date
) -> NikVerdict:
    """:func:`jaring.registry.nik.validate` of one NIK, as the phone's check answers it."""
    frame = pl.DataFrame(
        {
            "nik": [nik],
            "birth_date": [dt.date.fromisoformat(birth_date) if birth_date else None],
            "sex": [sex or None],
        },
        schema={"nik": pl.String, "birth_date": pl.Date, "sex": pl.String},
    )
    out = nik_rules.validate(frame, today=today).row(0, named=True)
    bd = out["nik_birth_date"]
    return NikVerdict(
        error=out["nik_error"],
        codes=[i["code"] for i in out["nik_issues"]],
        birth_date=bd.isoformat() if bd else None,
        sex=out["nik_sex"],
        district_code=out["nik_district_code"],
    )


def nik_cases() -> list[dict[str, Any]]:
    """The shared NIK cases (``field/data/nik_cases.json``)."""
    text = (resources.files("jaring.field") / "data" / "nik_cases.json").read_text("utf-8")
    cases: list[dict[str, Any]] = json.loads(text)["cases"]
    return cases
